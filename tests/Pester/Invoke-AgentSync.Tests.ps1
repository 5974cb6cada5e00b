#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Invoke-AgentSync' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.InvokeAgentSyncCommand" }
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
            $actual = (Get-Command Invoke-AgentSync).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Id', 'Name', 'Wait', 'TimeoutSec', 'ThrottleLimit', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm (it changes the manager)' {
            (Get-Command Invoke-AgentSync).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command Invoke-AgentSync).Parameters.Keys | Should -Contain 'Confirm'
        }

        It 'declares its output type' {
            (Get-Command Invoke-AgentSync).OutputType.Name | Should -Contain 'EndpointAdmin.SyncResult'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Invoke-AgentSync -Id 1 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'binds agents by Id or AgentId from the pipeline' {
            $p = (Get-Command Invoke-AgentSync).Parameters['Id']
            $p.Aliases | Should -Contain 'AgentId'
            $p.Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        }

        It 'rejects -TimeoutSec 0 at binding' {
            { Invoke-AgentSync -Id 1 -TimeoutSec 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'rejects -ThrottleLimit 0 at binding' {
            { Invoke-AgentSync -Id 1 -Wait -ThrottleLimit 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }

        It 'knows the sync outcomes' {
            [Enum]::GetNames([EndpointAdmin.SyncStatus]) | Should -Be @('Requested', 'Succeeded', 'TimedOut', 'Failed')
        }

        It 'carries the Kaspersky action and the failure reason on its results' {
            $names = [EndpointAdmin.SyncResult].GetProperties().Name
            $names | Should -Contain 'ActionId'
            $names | Should -Contain 'Message'
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Invoke-AgentSync -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
