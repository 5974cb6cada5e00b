#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Get-AgentHeartbeatPolicy' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.GetAgentHeartbeatPolicyCommand" }
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
            $actual = (Get-Command Get-AgentHeartbeatPolicy).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('BasePolicy', 'PolicyId', 'PolicyName', 'AgentId', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'has no -WhatIf (it changes nothing on the manager)' {
            (Get-Command Get-AgentHeartbeatPolicy).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'declares its output type' {
            (Get-Command Get-AgentHeartbeatPolicy).OutputType.Name | Should -Contain 'EndpointAdmin.HeartbeatPolicy'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Get-AgentHeartbeatPolicy -PolicyId 2 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'has one parameter set per target' {
            (Get-Command Get-AgentHeartbeatPolicy).ParameterSets.Name | Sort-Object | Should -Be @('AgentId', 'BasePolicy', 'PolicyId', 'PolicyName')
        }

        It 'binds an agent from the pipeline by Id' {
            (Get-Command Get-AgentHeartbeatPolicy).Parameters['AgentId'].Aliases | Should -Contain 'Id'
        }

        It 'rejects -PolicyId 0 at binding' {
            { Get-AgentHeartbeatPolicy -PolicyId 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Get-AgentHeartbeatPolicy -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
