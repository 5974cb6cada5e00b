#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Complete-FirewallPortMigration' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Complete-FirewallPortMigration
        $fqid = { param($id) "$id,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be @('Backend', 'Force', 'PassThru', 'Product')
        }

        It 'supports ShouldProcess with ConfirmImpact High (it closes ports)' {
            $attribute = Get-CmdletAttribute -Name Complete-FirewallPortMigration
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'High'
        }

        It 'needs -Product at position 0, by property name; -Force is a switch' {
            $set = $command.Parameters['Product'].ParameterSets['__AllParameterSets']
            $set.IsMandatory | Should -BeTrue
            $set.Position | Should -Be 0
            $set.ValueFromPipelineByPropertyName | Should -BeTrue
            $command.Parameters['Force'].ParameterType | Should -Be ([switch])
            @($command.Parameters.Values | Where-Object { $_.Attributes.TypeId.Name -contains 'SupportsWildcardsAttribute' }) | Should -BeNullOrEmpty
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Complete-FirewallPortMigration -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'rejects an unknown product at binding' {
            { Complete-FirewallPortMigration -Product Sophos -WhatIf } | Should -Throw -ErrorId (& $fqid 'CannotConvertArgumentNoMessage')
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Complete-FirewallPortMigration -Product SesEvolution -Backend WindowsFirewall -Confirm:$false }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'Complete-FirewallPortMigration on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        # Back end and agent handler on one machine; only the agent handler gets marked.
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $out = [ordered]@{}
            Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler, Backend | New-FirewallPortRule
            $null = Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SameMachine -Confirm:$false
            Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -Confirm:$false
            $before = (nft list ruleset) -join "`n"
            Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $out.Refused = @($e | ForEach-Object { $_.FullyQualifiedErrorId + '|' + [string]$_.CategoryInfo.Category + '|' + $_.TargetObject })
            $out.UnchangedByRefusal = ((nft list ruleset) -join "`n") -eq $before
            Complete-FirewallPortMigration -Product SesEvolution -Force -WhatIf
            $out.UnchangedByWhatIf = ((nft list ruleset) -join "`n") -eq $before
            $out.Removed = @(Complete-FirewallPortMigration -Product SesEvolution -Force -Confirm:$false -PassThru | ForEach-Object Name)
            $out.Left = @(Get-FirewallPortRule | ForEach-Object { $_.Version } | Sort-Object -Unique)
            $out.Status = @(Get-FirewallPortMigration -Product SesEvolution)
            Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $out.Again = @($e | ForEach-Object FullyQualifiedErrorId)
            [pscustomobject]$out
        }
        $run = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'refuses while the back end is not marked migrated, and changes nothing' {
        @($run.Refused) | Should -Be @('FirewallMigrationComponentNotMigrated,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand|InvalidOperation|Backend')
        $run.UnchangedByRefusal | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        $run.UnchangedByWhatIf | Should -BeTrue
    }

    It 'removes the 2.6 rules with -Force and ends the migration' {
        @($run.Removed).Count | Should -BeGreaterThan 0
        $run.Removed | ForEach-Object { $_ | Should -BeLike 'EA-SesEvolution-2.6-*' }
        @($run.Left) | Should -Be @('2.7.1')
        $run.Status | ForEach-Object { $_.State.ToString() | Should -Be 'None' }
    }

    It 'reports that no migration is left to complete' {
        @($run.Again) | Should -Be @('FirewallMigrationNotStarted,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand')
    }
}
