#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Set-FirewallPortMigration' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Set-FirewallPortMigration
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetFirewallPortMigrationCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be @('Backend', 'Component', 'Migrated', 'PassThru', 'Product')
        }

        It 'supports ShouldProcess with ConfirmImpact Medium' {
            $attribute = Get-CmdletAttribute -Name Set-FirewallPortMigration
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'Medium'
        }

        It 'needs -Product (0) and -Component (1) by property name, and a Boolean -Migrated' {
            $product = $command.Parameters['Product'].ParameterSets['__AllParameterSets']
            $component = $command.Parameters['Component'].ParameterSets['__AllParameterSets']
            $migrated = $command.Parameters['Migrated']
            $product.IsMandatory | Should -BeTrue
            $product.Position | Should -Be 0
            $product.ValueFromPipelineByPropertyName | Should -BeTrue
            $component.IsMandatory | Should -BeTrue
            $component.Position | Should -Be 1
            $component.ValueFromPipelineByPropertyName | Should -BeTrue
            $migrated.ParameterType | Should -Be ([bool])
            $migrated.ParameterSets['__AllParameterSets'].IsMandatory | Should -BeTrue
            $command.Parameters['Component'].Attributes.TypeId.Name | Should -Not -Contain 'SupportsWildcardsAttribute'
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Set-FirewallPortMigration -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'rejects an empty component at binding' {
            { Set-FirewallPortMigration -Product SesEvolution -Component '' -Migrated $true -WhatIf } |
                Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -Backend WindowsFirewall -Confirm:$false }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'Set-FirewallPortMigration on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $out = [ordered]@{}
            Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $out.NotStarted = @($e | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.TargetObject })
            Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler, Backend | New-FirewallPortRule
            $null = Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SameMachine -Confirm:$false
            $before = (nft list ruleset) -join "`n"
            Set-FirewallPortMigration -Product SesEvolution -Component Agent -Migrated $true -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            $out.Unknown = @($e | ForEach-Object { $_.FullyQualifiedErrorId + '|' + [string]$_.CategoryInfo.Category + '|' + $_.TargetObject })
            Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -WhatIf
            $out.UnchangedByErrorAndWhatIf = ((nft list ruleset) -join "`n") -eq $before
            $out.OneMarked = @(Set-FirewallPortMigration -Product SesEvolution -Component agenthandler -Migrated $true -Confirm:$false -PassThru)
            $out.PipedAll = @(Get-FirewallPortMigration -Product SesEvolution | Set-FirewallPortMigration -Migrated $true -Confirm:$false -PassThru)
            $out.TakenBack = @(Set-FirewallPortMigration SesEvolution Backend -Migrated $false -Confirm:$false -PassThru)
            [pscustomobject]$out
        }
        $run = $result.Output[0]
        $state = { param($statuses, $component) ($statuses | Where-Object Component -EQ $component)[0] }
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'reports a product with no migration started' {
        @($run.NotStarted) | Should -Be @('FirewallMigrationNotStarted,EndpointAdmin.Commands.SetFirewallPortMigrationCommand|SesEvolution')
    }

    It 'reports a component that is not part of the migration, and -WhatIf, without changing anything' {
        @($run.Unknown) | Should -Be @('FirewallMigrationComponentNotFound,EndpointAdmin.Commands.SetFirewallPortMigrationCommand|ObjectNotFound|Agent')
        $run.UnchangedByErrorAndWhatIf | Should -BeTrue
    }

    It 'marks one component (names are not case-sensitive) while the other stays in progress' {
        (& $state $run.OneMarked 'AgentHandler').Migrated | Should -BeTrue
        (& $state $run.OneMarked 'Backend').Migrated | Should -BeFalse
        (& $state $run.OneMarked 'AgentHandler').State.ToString() | Should -Be 'InProgress'
    }

    It 'marks every component piped from Get-FirewallPortMigration: ready to complete' {
        # One status per component after each piped record; the last two are the final state.
        @($run.PipedAll).Count | Should -Be 4
        $final = @($run.PipedAll)[2, 3]
        @($final | Where-Object { -not $_.Migrated }) | Should -BeNullOrEmpty
        @($final | ForEach-Object { $_.State.ToString() } | Sort-Object -Unique) | Should -Be @('ReadyToComplete')
    }

    It 'takes a mark back' {
        (& $state $run.TakenBack 'Backend').Migrated | Should -BeFalse
        (& $state $run.TakenBack 'AgentHandler').State.ToString() | Should -Be 'InProgress'
    }
}
