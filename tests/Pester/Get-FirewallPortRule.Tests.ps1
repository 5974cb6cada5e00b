#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Get-FirewallPortRule' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Get-FirewallPortRule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.GetFirewallPortRuleCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be @('Backend', 'DisplayName', 'Group', 'IncludeProductRules', 'Name')
        }

        It 'only reads, so it has no ShouldProcess' {
            (Get-CmdletAttribute -Name Get-FirewallPortRule).SupportsShouldProcess | Should -BeFalse
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'takes wildcards in -DisplayName and -Group, not in -Name' {
            $command.Parameters['DisplayName'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
            $command.Parameters['Group'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
            $command.Parameters['Name'].Attributes.TypeId.Name | Should -Not -Contain 'SupportsWildcardsAttribute'
        }

        It 'takes -Name at position 0, and the filters by property name; none is mandatory' {
            $set = $command.Parameters['Name'].ParameterSets['__AllParameterSets']
            $set.Position | Should -Be 0
            foreach ($name in 'Name', 'DisplayName', 'Group') {
                $command.Parameters[$name].ParameterSets['__AllParameterSets'].ValueFromPipelineByPropertyName | Should -BeTrue
            }
            @($command.Parameters.Values | Where-Object { $_.ParameterSets['__AllParameterSets'].IsMandatory }) | Should -BeNullOrEmpty
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help Get-FirewallPortRule -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' {
        It 'rejects an empty <Parameter> at binding' -ForEach @(
            @{ Parameter = 'Name' }
            @{ Parameter = 'DisplayName' }
            @{ Parameter = 'Group' }
        ) {
            $splat = @{ $Parameter = '' }
            { Get-FirewallPortRule @splat } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { Get-FirewallPortRule -Backend WindowsFirewall -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
            $err.TargetObject | Should -Be 'WindowsFirewall'
        }
    }
}

Describe 'Get-FirewallPortRule on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            New-FirewallPortRule -Name 'Backup [nightly]' -DisplayName 'Backup agent' -Direction Inbound -Protocol TCP -LocalPort 9000-9010 -Group 'Operations'
            New-FirewallPortRule -Name 'Backup-B' -DisplayName 'Backup agent (second site)' -Direction Inbound -Protocol TCP -LocalPort 9100 -Group 'Operations'
            Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer -Direction Inbound | New-FirewallPortRule -RemoteAddress 10.20.30.0/24
            [pscustomobject]@{
                All       = @(Get-FirewallPortRule)
                Literal   = @(Get-FirewallPortRule -Name 'Backup [nightly]')
                Star      = @(Get-FirewallPortRule -Name 'Backup*' -ErrorVariable starErrors -ErrorAction SilentlyContinue)
                StarError = @($starErrors | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.TargetObject })
                Display   = @(Get-FirewallPortRule -DisplayName 'BACKUP agent*')
                Group     = @(Get-FirewallPortRule -Group 'oper*')
                Both      = @(Get-FirewallPortRule -Group 'Operations' -DisplayName '*second*')
                WithProduct = @(Get-FirewallPortRule -IncludeProductRules)
                NoMatch   = @(Get-FirewallPortRule -DisplayName 'Nothing*' -ErrorVariable noMatchErrors)
                NoMatchErrorCount = @($noMatchErrors).Count
            }
        }
        $found = $result.Output[0]
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'gets every EndpointAdmin rule, sorted by group and name' {
        @($found.All.Name) | Should -Be @(
            'EA-KasperskySecurityCenter-All-AdministrationServer-In-TCP-13000'
            'EA-KasperskySecurityCenter-All-AdministrationServer-In-UDP-13000'
            'Backup [nightly]'
            'Backup-B'
        )
        $found.All[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.FirewallPortRule'
        @($found.All[0].RemoteAddress) | Should -Be @('10.20.30.0/24')
        $found.All[0].Product.ToString() | Should -Be 'KasperskySecurityCenter'
        @($found.All | ForEach-Object { $_.Origin.ToString() } | Sort-Object -Unique) | Should -Be @('EndpointAdmin')
    }

    It 'lists no product rules on nftables with -IncludeProductRules (products create none there)' {
        @($found.WithProduct.Name) | Should -Be @($found.All.Name)
    }

    It 'matches -Name literally: brackets are part of the name, * is not a wildcard' {
        @($found.Literal.Name) | Should -Be @('Backup [nightly]')
        @($found.Literal.LocalPort) | Should -Be @('9000-9010')
        $found.Star | Should -BeNullOrEmpty
        @($found.StarError) | Should -Be @('FirewallRuleNotFound,EndpointAdmin.Commands.GetFirewallPortRuleCommand|Backup*')
    }

    It 'matches -DisplayName and -Group as wildcards, not case-sensitively, and all filters together' {
        @($found.Display.Name) | Should -Be @('Backup [nightly]', 'Backup-B')
        @($found.Group.Name) | Should -Be @('Backup [nightly]', 'Backup-B')
        @($found.Both.Name) | Should -Be @('Backup-B')
    }

    It 'is silent when a pattern matches nothing' {
        $found.NoMatch | Should -BeNullOrEmpty
        $found.NoMatchErrorCount | Should -Be 0
    }
}
