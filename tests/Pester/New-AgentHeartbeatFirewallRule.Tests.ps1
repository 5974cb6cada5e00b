#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'New-AgentHeartbeatFirewallRule' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.NewAgentHeartbeatFirewallRuleCommand" }
        $key = [System.Security.SecureString]::new()
        'not-a-real-key'.ToCharArray() | ForEach-Object { $key.AppendChar($_) }
        Disconnect-AgentManager -ErrorAction SilentlyContinue
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command New-AgentHeartbeatFirewallRule).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('PolicyId', 'PolicyName', 'SourceIPAddress', 'SourceMacAddress', 'Port', 'Action', 'Name', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm (it changes the manager)' {
            (Get-Command New-AgentHeartbeatFirewallRule).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command New-AgentHeartbeatFirewallRule).Parameters.Keys | Should -Contain 'Confirm'
        }

        It 'declares its output type' {
            (Get-Command New-AgentHeartbeatFirewallRule).OutputType.Name | Should -Contain 'EndpointAdmin.HeartbeatFirewallRule'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.0.0.10 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'offers the two actions the document allows for the priority-4 rule' {
            [Enum]::GetNames([EndpointAdmin.HeartbeatRuleAction]) | Should -Be @('ForceAllow', 'Bypass')
        }

        It 'needs a policy' {
            (Get-Command New-AgentHeartbeatFirewallRule).ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -in 'PolicyId', 'PolicyName' | ForEach-Object IsMandatory } | Should -Not -Contain $false
        }

        It 'rejects an empty source list at binding' {
            { New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress @() } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help New-AgentHeartbeatFirewallRule -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
