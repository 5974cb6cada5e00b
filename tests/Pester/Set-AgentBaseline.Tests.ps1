#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:canUseNetns = Test-NetNamespaceSupport
}

Describe 'Set-AgentBaseline' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $command = Get-Command Set-AgentBaseline
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentBaselineCommand" }
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has -Path or -Baseline, -Session, -Backend and -PassThru' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $expected = 'Backend', 'Baseline', 'PassThru', 'Path', 'Session'
            @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) | Should -Be ($expected | Sort-Object)
            $command.DefaultParameterSet | Should -Be 'Path'
            $command.Parameters['Path'].ParameterSets['Path'].Position | Should -Be 0
            $command.Parameters['Baseline'].ParameterSets['Object'].IsMandatory | Should -BeTrue
        }

        It 'supports ShouldProcess with ConfirmImpact Medium' {
            $attribute = Get-CmdletAttribute -Name Set-AgentBaseline
            $attribute.SupportsShouldProcess | Should -BeTrue
            "$($attribute.ConfirmImpact)" | Should -Be 'Medium'
            $command.Parameters.Keys | Should -Contain 'WhatIf'
        }

        It 'shows at least three examples in Get-Help, each naming the cmdlet' {
            $examples = @((Get-Help Set-AgentBaseline -Examples).examples.example)
            $examples.Count | Should -BeGreaterOrEqual 3
            $examples | ForEach-Object { ($_ | Out-String) | Should -Match 'Set-AgentBaseline' }
        }
    }

    Context 'Bad baselines, refused before anything is read or written' {
        It 'refuses an unknown key with BaselineKeyUnknown, naming it' {
            $baseline = @{ HostFirewall = @{ ExtraRules = @(@{ DisplayName = 'x'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22; Port = 23 }) } }
            $err = Get-CaughtError { Set-AgentBaseline -Baseline $baseline -Confirm:$false -ErrorAction Stop }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'BaselineKeyUnknown')
            "$($err.CategoryInfo.Category)" | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be 'HostFirewall.ExtraRules[0].Port'
            $err.Exception.Message | Should -Match 'LocalPort'   # the known keys are named
        }

        It 'refuses a Kaspersky Unmanaged value other than Keep or Disable' {
            $baseline = @{ Managers = @(@{ Product = 'KasperskySecurityCenter'; Uri = 'https://ksc.example.com:13299'; ContinuousConnection = @{ Name = 'dc-*'; Unmanaged = 'Remove' } }) }
            $err = Get-CaughtError { Set-AgentBaseline -Baseline $baseline -Confirm:$false -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be (& $fqid 'BaselineValueInvalid')
            $err.TargetObject | Should -Be 'Managers[0].ContinuousConnection.Unmanaged'
        }
    }
}

Describe 'Set-AgentBaseline on nftables' -Tag 'Integration' -Skip:(-not $canUseNetns) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $ns = New-TestNetNamespace
        # A table that is not EndpointAdmin's: no baseline may touch it.
        & ip netns exec $ns nft add table inet other
        & ip netns exec $ns nft add chain inet other input '{ type filter hook input priority 10; policy accept; }'
        & ip netns exec $ns nft add rule inet other input tcp dport 8443 accept
        $baseline = @{
            HostFirewall = @{
                Rules      = @(@{ Product = 'KasperskySecurityCenter'; Component = 'AdministrationServer'; Direction = 'Inbound' })
                ExtraRules = @(@{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22; RemoteAddress = '10.0.0.0/8' })
            }
        }
        $before = Get-TestNetNamespaceRuleset -Namespace $ns
        $whatIf = Invoke-InTestNetNamespace -Namespace $ns -ArgumentList @(, $baseline) -Script {
            param($baseline)
            Set-AgentBaseline -Baseline $baseline -WhatIf -PassThru
        }
        $afterWhatIf = Get-TestNetNamespaceRuleset -Namespace $ns
        $first = Invoke-InTestNetNamespace -Namespace $ns -ArgumentList @(, $baseline) -Script {
            param($baseline)
            Set-AgentBaseline -Baseline $baseline -Confirm:$false -PassThru
            Test-AgentBaseline -Baseline $baseline -Quiet
        }
        $afterFirst = Get-TestNetNamespaceRuleset -Namespace $ns
        $second = Invoke-InTestNetNamespace -Namespace $ns -ArgumentList @(, $baseline) -Script {
            param($baseline)
            Set-AgentBaseline -Baseline $baseline -Confirm:$false -PassThru
        }
        $afterSecond = Get-TestNetNamespaceRuleset -Namespace $ns
        # A rule with other settings is replaced; an undeclared rule stays with Keep and goes with Remove.
        $changed = Invoke-InTestNetNamespace -Namespace $ns -ArgumentList @(, $baseline) -Script {
            param($baseline)
            New-FirewallPortRule -DisplayName 'Old syslog' -Direction Inbound -Protocol UDP -LocalPort 514 -Confirm:$false
            $baseline.HostFirewall.ExtraRules[0].RemoteAddress = '10.1.0.0/16'
            $replaced = @(Set-AgentBaseline -Baseline $baseline -Confirm:$false -PassThru)
            $kept = @(Get-FirewallPortRule | Where-Object DisplayName -eq 'Old syslog').Count
            $baseline.HostFirewall.Unmanaged = 'Remove'
            $removed = @(Set-AgentBaseline -Baseline $baseline -Confirm:$false -PassThru)
            [pscustomobject]@{
                Replaced = $replaced; Kept = $kept; Removed = $removed
                Rules = @(Get-FirewallPortRule | ForEach-Object { $_.DisplayName + ' ' + ($_.RemoteAddress -join ',') })
                InDesiredState = Test-AgentBaseline -Baseline $baseline -Quiet
            }
        }
        $afterChanged = Get-TestNetNamespaceRuleset -Namespace $ns
    }

    AfterAll {
        if ($ns) { Remove-TestNetNamespace -Namespace $ns }
    }

    It 'changes nothing with -WhatIf, and returns no Changed rows' {
        $whatIf.Errors | Should -BeNullOrEmpty
        $afterWhatIf | Should -Be $before
        @($whatIf.Output) | Should -BeNullOrEmpty
    }

    It 'creates the declared rules in one run, returning a Changed row for each' {
        $first.Errors | Should -BeNullOrEmpty
        $rows = @($first.Output | Where-Object { $_ -isnot [bool] })
        $rows.Count | Should -Be 3
        $rows | ForEach-Object {
            $_.State.ToString() | Should -Be 'Changed'
            $_.InDesiredState | Should -BeTrue
            $_.Actual | Should -Be $_.Expected
        }
        $first.Output[-1] | Should -BeTrue
        $afterFirst | Should -Match 'tcp dport 13000'
        $afterFirst | Should -Match 'udp dport 13000'
        $afterFirst | Should -Match 'tcp dport 22'
        $first.Information | Should -Contain '3 setting(s) and rule(s) changed.'
    }

    It 'changes nothing on a second run with the same baseline' {
        $second.Errors | Should -BeNullOrEmpty
        @($second.Output) | Should -BeNullOrEmpty
        $afterSecond | Should -Be $afterFirst
        $second.Information | Should -Contain '0 setting(s) and rule(s) changed.'
    }

    It 'replaces a rule whose settings drifted, keeping an undeclared rule with Unmanaged Keep' {
        $changed.Errors | Should -BeNullOrEmpty
        @($changed.Output[0].Replaced).Count | Should -Be 1
        $changed.Output[0].Replaced[0].Target | Should -Be 'Mgmt SSH'
        $changed.Output[0].Kept | Should -Be 1
    }

    It 'removes the undeclared EndpointAdmin rule with Unmanaged Remove, and nothing else' {
        @($changed.Output[0].Removed).Count | Should -Be 1
        $changed.Output[0].Removed[0].Target | Should -Be 'Old syslog'
        $changed.Output[0].Rules | Should -Not -Contain 'Old syslog '
        $changed.Output[0].Rules | Should -Contain 'Mgmt SSH 10.1.0.0/16'
        @($changed.Output[0].Rules).Count | Should -Be 3
        $changed.Output[0].InDesiredState | Should -BeTrue
        # The other table is untouched.
        $afterChanged | Should -Match 'table inet other'
        $afterChanged | Should -Match 'tcp dport 8443 accept'
    }
}
