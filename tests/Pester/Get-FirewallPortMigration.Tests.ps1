#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Get-FirewallPortMigration' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Get-FirewallPortMigration
        $fqid = { param($id) "$id,EndpointAdmin.Commands.GetFirewallPortMigrationCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be @('Backend', 'Product')
        }

        It 'only reads, so it has no ShouldProcess' {
            (Get-CmdletAttribute -Name Get-FirewallPortMigration).SupportsShouldProcess | Should -BeFalse
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'takes an optional -Product at position 0, by property name, without wildcards' {
            $set = $command.Parameters['Product'].ParameterSets['__AllParameterSets']
            $set.IsMandatory | Should -BeFalse
            $set.Position | Should -Be 0
            $set.ValueFromPipelineByPropertyName | Should -BeTrue
            $command.Parameters['Product'].Attributes.TypeId.Name | Should -Not -Contain 'SupportsWildcardsAttribute'
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Get-FirewallPortMigration -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'rejects an unknown product at binding and lists the valid ones' {
            { Get-FirewallPortMigration -Product Sophos } |
                Should -Throw -ErrorId (& $fqid 'CannotConvertArgumentNoMessage') -ExpectedMessage '*ApexOne, DeepSecurity, KasperskySecurityCenter, SesEvolution*'
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Get-FirewallPortMigration -Backend WindowsFirewall }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'Get-FirewallPortMigration on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $empty = @(Get-FirewallPortMigration)
            Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler, Backend | New-FirewallPortRule
            Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound | New-FirewallPortRule
            New-FirewallPortRule -DisplayName 'Backup agent' -Direction Inbound -Protocol TCP -LocalPort 9000
            [pscustomobject]@{
                Empty = $empty
                All   = @(Get-FirewallPortMigration)
                Ses   = @(Get-FirewallPortMigration -Product SesEvolution)
                Piped = @([pscustomobject]@{ Product = 'KasperskySecurityCenter' } | Get-FirewallPortMigration)
            }
        }
        $found = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'returns nothing on a machine without EndpointAdmin rules' {
        $result.Errors | Should -BeNullOrEmpty
        $found.Empty | Should -BeNullOrEmpty
    }

    It 'lists each catalog component with the versions present, and no migration' {
        @($found.All | ForEach-Object { "$($_.Product.ToString()) $($_.Component)" }) |
            Should -Be @('KasperskySecurityCenter AdministrationServer', 'SesEvolution AgentHandler', 'SesEvolution Backend')
        foreach ($status in $found.All) {
            $status.State.ToString() | Should -Be 'None'
            $status.FromVersion | Should -BeNullOrEmpty
        }
        @($found.Ses[1].VersionsPresent) | Should -Be @('2.6')
        $found.Ses[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.FirewallMigrationStatus'
    }

    It 'filters by -Product, also from the pipeline' {
        @($found.Ses.Component) | Should -Be @('AgentHandler', 'Backend')
        @($found.Piped.Component) | Should -Be @('AdministrationServer')
    }
}
