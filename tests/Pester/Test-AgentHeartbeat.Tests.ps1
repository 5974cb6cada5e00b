#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Test-AgentHeartbeat' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.TestAgentHeartbeatCommand" }
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
            $actual = (Get-Command Test-AgentHeartbeat).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Name', 'Id', 'PolicyId', 'Quiet', 'Status', 'SyncIntervalMinutes', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'has no -WhatIf (it changes nothing on the manager)' {
            (Get-Command Test-AgentHeartbeat).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'declares its output type' {
            (Get-Command Test-AgentHeartbeat).OutputType.Name | Should -Contain 'EndpointAdmin.HeartbeatResult'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Test-AgentHeartbeat -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'binds agents by Id or AgentId from the pipeline' {
            $p = (Get-Command Test-AgentHeartbeat).Parameters['Id']
            $p.Aliases | Should -Contain 'AgentId'
            $p.Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        }

        It 'declares a Boolean output for -Quiet' {
            (Get-Command Test-AgentHeartbeat).OutputType.Name | Should -Contain 'System.Boolean'
        }

        It 'rejects -SyncIntervalMinutes 0 at binding' {
            { Test-AgentHeartbeat -SyncIntervalMinutes 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'knows the five heartbeat states' {
            [Enum]::GetNames([EndpointAdmin.HeartbeatStatus]) | Should -Be @('Healthy', 'Late', 'Alert', 'Unlimited', 'NeverContacted')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Test-AgentHeartbeat -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
