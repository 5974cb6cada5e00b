#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
    $script:badRules = Get-BadFirewallRuleCase
}

Describe 'New-FirewallPortRule' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command New-FirewallPortRule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.NewFirewallPortRuleCommand" }
        $valid = @{ DisplayName = 'Bad input'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443' }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $expected = 'Action', 'Backend', 'Direction', 'DisplayName', 'Enabled', 'Group', 'InputObject', 'LocalPort', 'Name', 'PassThru', 'Protocol', 'RemoteAddress', 'RemoteMacAddress', 'RemotePort'
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be ($expected | Sort-Object)
        }

        It 'supports ShouldProcess with ConfirmImpact Medium' {
            $attribute = Get-CmdletAttribute -Name New-FirewallPortRule
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'Medium'
            $command.Parameters.Keys | Should -Contain 'WhatIf'
        }

        It 'has no mandatory parameter, so piped objects can bring the rule' {
            @($command.Parameters.Values | Where-Object { $_.ParameterSets['__AllParameterSets'].IsMandatory }) | Should -BeNullOrEmpty
        }

        It 'takes piped objects through -InputObject only, and reads their properties itself' {
            $inputObject = $command.Parameters['InputObject']
            $inputObject.ParameterType | Should -Be ([psobject])
            $inputObject.ParameterSets['__AllParameterSets'].ValueFromPipeline | Should -BeTrue
            foreach ($parameter in $command.Parameters.Values | Where-Object Name -NE 'InputObject') {
                $set = $parameter.ParameterSets['__AllParameterSets']
                ($set.ValueFromPipeline -or $set.ValueFromPipelineByPropertyName) | Should -BeFalse -Because "-$($parameter.Name) is not bound from the pipeline"
            }
            $command.Parameters['DisplayName'].ParameterSets['__AllParameterSets'].Position | Should -Be 0
        }

        It 'takes no wildcards (names are literal)' {
            @($command.Parameters.Values | Where-Object { $_.Attributes.TypeId.Name -contains 'SupportsWildcardsAttribute' }) | Should -BeNullOrEmpty
        }

        It 'shows at least three examples in Get-Help' {
            @((Get-Help New-FirewallPortRule -Examples).examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    Context 'Bad input, rejected before the firewall is read' -Skip:(-not ($IsLinux -or $IsWindows)) {
        It 'rejects <Label> with <ErrorId>' -ForEach $badRules {
            $splat = $valid.Clone()
            foreach ($key in $Change.Keys) { $splat[$key] = $Change[$key] }
            $err = Get-CaughtError { New-FirewallPortRule @splat -ErrorAction Stop }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err.FullyQualifiedErrorId | Should -Be (& $fqid $ErrorId)
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be $Target
        }

        It 'rejects an Outbound rule with a RemoteMacAddress on nftables' -Skip:(-not $IsLinux) {
            # The nftables backend's own check: it needs no nft call.
            $err = Get-CaughtError { New-FirewallPortRule -DisplayName 'Bad input' -Direction Outbound -Protocol TCP -RemotePort 443 -RemoteMacAddress 00:11:22:33:44:55 -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallMacAddressNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'Bad input'
        }

        It 'rejects a rule without -Protocol and no catalog row' {
            $err = Get-CaughtError { New-FirewallPortRule -DisplayName 'Bad input' -Direction Inbound -LocalPort 443 -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallRuleIncomplete')
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'Bad input'
        }

        It 'refuses a backend this system does not have' -Skip:(-not $IsLinux) {
            $err = Get-CaughtError { New-FirewallPortRule @valid -Backend WindowsFirewall -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'FirewallBackendNotSupported')
            "$($err.CategoryInfo.Category)" | Should -Be 'NotImplemented'
        }
    }
}

Describe 'New-FirewallPortRule on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
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

    It 'creates the catalog rows as rules in inet endpointadmin only' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound | New-FirewallPortRule -PassThru
        }
        $result.Errors | Should -BeNullOrEmpty
        @($result.Output.Name | Sort-Object) | Should -Be @('EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000', 'EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443')
        $ruleset = (Get-TestNetNamespaceRuleset -Namespace $ns -Json).nftables
        @($ruleset | Where-Object table | ForEach-Object { "$($_.table.family) $($_.table.name)" }) | Should -Be @('inet endpointadmin')
        $inputRules = @($ruleset | Where-Object rule | ForEach-Object rule | Where-Object chain -EQ 'input')
        $inputRules.Count | Should -Be 2
        @($inputRules | ForEach-Object { $_.expr[0].match.right } | Sort-Object) | Should -Be @(443, 17000)
        $inputRules | ForEach-Object { $_.expr[-1].PSObject.Properties.Name | Should -Be 'accept' }
    }

    It 'creates nothing on a second run and says so' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $rows = Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound
            $rows | New-FirewallPortRule
            $before = (nft list ruleset) -join "`n"
            $rows | New-FirewallPortRule -InformationAction Continue
            [pscustomobject]@{ Before = $before; After = (nft list ruleset) -join "`n" }
        }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output[0].After | Should -Be $result.Output[0].Before
        $result.Information[-1] | Should -Be 'Nftables: 0 rule(s) created, 2 already present and unchanged.'
    }

    It 'changes nothing with -WhatIf' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            New-FirewallPortRule -DisplayName 'Existing' -Direction Inbound -Protocol UDP -LocalPort 514
            $before = (nft list ruleset) -join "`n"
            New-FirewallPortRule -DisplayName 'KSC' -Direction Inbound -Protocol TCP -LocalPort 13000 -RemoteAddress 10.20.30.0/24 -WhatIf
            [pscustomobject]@{ Before = $before; After = (nft list ruleset) -join "`n" }
        }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output[0].After | Should -Be $result.Output[0].Before
        $result.Output[0].After | Should -Not -Match '13000'
    }

    It 'creates none of a pipeline when one of its rules is not valid' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            $before = (nft list ruleset) -join "`n"
            @(
                [pscustomobject]@{ DisplayName = 'Good'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '8443' }
                [pscustomobject]@{ DisplayName = 'Bad'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 'abc' }
            ) | New-FirewallPortRule
            [pscustomobject]@{ Before = $before; After = (nft list ruleset) -join "`n" }
        }
        $result.Errors.ErrorId | Should -Be 'FirewallPortInvalid,EndpointAdmin.Commands.NewFirewallPortRuleCommand'
        $result.Warnings | Should -BeLike 'No rule was created*'
        $result.Output[0].After | Should -Be $result.Output[0].Before
    }

    It 'refuses a name that exists with other settings and creates nothing' {
        $result = Invoke-InTestNetNamespace -Namespace $ns -Script {
            New-FirewallPortRule -Name 'Backup [nightly]' -DisplayName 'Backup agent' -Direction Inbound -Protocol TCP -LocalPort 9000-9010
            $before = (nft list ruleset) -join "`n"
            @(
                [pscustomobject]@{ DisplayName = 'Unrelated'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '8080' }
                [pscustomobject]@{ Name = 'Backup [nightly]'; DisplayName = 'Backup agent'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '9000-9011' }
            ) | New-FirewallPortRule
            [pscustomobject]@{ Before = $before; After = (nft list ruleset) -join "`n" }
        }
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].ErrorId | Should -Be 'FirewallRuleConflict,EndpointAdmin.Commands.NewFirewallPortRuleCommand'
        $result.Errors[0].Category | Should -Be 'ResourceExists'
        $result.Errors[0].TargetObject | Should -Be 'Backup [nightly]'
        $result.Errors[0].Message | Should -BeLike '*LocalPort: wanted 9000-9011, found 9000-9010*'
        $result.Output[0].After | Should -Be $result.Output[0].Before
    }
}
