#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Set-AgentHeartbeatPolicy' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentHeartbeatPolicyCommand" }
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
            $actual = (Get-Command Set-AgentHeartbeatPolicy).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('BasePolicy', 'PolicyId', 'PolicyName', 'AgentId', 'IntervalMinutes', 'MissedHeartbeatsBeforeAlert', 'MaximumClockChange', 'RaiseOfflineErrorsForInactiveVMs', 'Inherit', 'PassThru', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm (it changes the manager)' {
            (Get-Command Set-AgentHeartbeatPolicy).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command Set-AgentHeartbeatPolicy).Parameters.Keys | Should -Contain 'Confirm'
        }

        It 'declares its output type' {
            (Get-Command Set-AgentHeartbeatPolicy).OutputType.Name | Should -Contain 'EndpointAdmin.HeartbeatPolicy'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'offers exactly the inheritable settings to -Inherit' {
            $set = (Get-Command Set-AgentHeartbeatPolicy).Parameters['Inherit'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
            $set.ValidValues | Should -Be @('Interval', 'MissedHeartbeatsBeforeAlert', 'MaximumClockChange', 'RaiseOfflineErrorsForInactiveVMs')
        }

        It 'rejects an unknown setting name at binding' {
            { Set-AgentHeartbeatPolicy -PolicyId 2 -Inherit Colour } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'needs an explicit switch to change the base policy' {
            (Get-Command Set-AgentHeartbeatPolicy).Parameters['BasePolicy'].Attributes.Mandatory | Should -Contain $true
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentHeartbeatPolicy -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
