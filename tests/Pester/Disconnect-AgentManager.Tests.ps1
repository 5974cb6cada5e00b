#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Disconnect-AgentManager' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.DisconnectAgentManagerCommand" }
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
            $actual = (Get-Command Disconnect-AgentManager).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'has no -WhatIf (it changes nothing on the manager)' {
            (Get-Command Disconnect-AgentManager).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    Context 'Without a session' {
        It 'reports ManagerNotConnected as a non-terminating error' {
            Disconnect-AgentManager -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $fqid 'ManagerNotConnected')
        }

        It 'takes a session from the pipeline' {
            (Get-Command Disconnect-AgentManager).Parameters['Session'].Attributes.ValueFromPipeline | Should -Contain $true
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Disconnect-AgentManager -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
