#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Remove-FirewallPortRule' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Remove-FirewallPortRule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.RemoveFirewallPortRuleCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be @('Backend', 'Name', 'PassThru')
        }

        It 'supports ShouldProcess with ConfirmImpact High' {
            $attribute = Get-CmdletAttribute -Name Remove-FirewallPortRule
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'High'
        }

        It 'needs -Name, at position 0, from the pipeline by value or by property name, without wildcards' {
            $name = $command.Parameters['Name']
            $set = $name.ParameterSets['__AllParameterSets']
            $set.IsMandatory | Should -BeTrue
            $set.Position | Should -Be 0
            $set.ValueFromPipeline | Should -BeTrue
            $set.ValueFromPipelineByPropertyName | Should -BeTrue
            $name.Attributes.TypeId.Name | Should -Not -Contain 'SupportsWildcardsAttribute'
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Remove-FirewallPortRule -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'rejects an empty name at binding' {
            { Remove-FirewallPortRule -Name '' -Confirm:$false } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Remove-FirewallPortRule -Name 'x' -Backend WindowsFirewall -Confirm:$false -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'Remove-FirewallPortRule on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    BeforeEach {
        Reset-TestNetNamespace -Namespace $ns
    }

    It 'round trip: New, Get, Test, Remove from the pipeline, and the rules are gone' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $rows = Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound
            $rows | New-FirewallPortRule
            $created = @(Get-FirewallPortRule)
            $inPlace = $rows | Test-FirewallPortRule -Quiet
            $removed = @(Get-FirewallPortRule | Remove-FirewallPortRule -Confirm:$false -PassThru)
            [pscustomobject]@{
                Created = $created.Name
                InPlace = $inPlace
                Removed = $removed.Name
                Left    = @(Get-FirewallPortRule).Count
                GoneNow = -not ($rows | Test-FirewallPortRule -Quiet)
                Ruleset = (nft -j list ruleset) -join "`n"
            }
        }
        $result.Errors | Should -BeNullOrEmpty
        $stages = $result.Output[0]
        @($stages.Created).Count | Should -Be 2
        $stages.InPlace | Should -BeTrue
        @($stages.Removed | Sort-Object) | Should -Be @($stages.Created | Sort-Object)
        $stages.Left | Should -Be 0
        $stages.GoneNow | Should -BeTrue
        # Read independently: no packet rule is left in EndpointAdmin's chains.
        @(($stages.Ruleset | ConvertFrom-Json).nftables | Where-Object rule | ForEach-Object rule | Where-Object chain -In 'input', 'output') | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf, and reports a missing name while removing the others' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            New-FirewallPortRule -Name 'Backup [nightly]' -DisplayName 'Backup agent' -Direction Inbound -Protocol TCP -LocalPort 9000
            New-FirewallPortRule -Name 'Syslog' -DisplayName 'Syslog' -Direction Outbound -Protocol UDP -RemotePort 514
            $before = (nft list ruleset) -join "`n"
            Remove-FirewallPortRule -Name 'Backup [nightly]', 'Syslog' -WhatIf
            $afterWhatIf = (nft list ruleset) -join "`n"
            $removed = @(Remove-FirewallPortRule -Name 'Backup*', 'Backup [nightly]' -Confirm:$false -PassThru)
            [pscustomobject]@{ Before = $before; AfterWhatIf = $afterWhatIf; Removed = $removed.Name; Left = @(Get-FirewallPortRule).Name }
        }
        $stages = $result.Output[0]
        $stages.AfterWhatIf | Should -Be $stages.Before
        @($result.Errors).Count | Should -Be 1
        $result.Errors[0].ErrorId | Should -Be 'FirewallRuleNotFound,EndpointAdmin.Commands.RemoveFirewallPortRuleCommand'
        $result.Errors[0].Category | Should -Be 'ObjectNotFound'
        $result.Errors[0].TargetObject | Should -Be 'Backup*'
        @($stages.Removed) | Should -Be @('Backup [nightly]')
        @($stages.Left) | Should -Be @('Syslog')
    }
}
