#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Set-AgentCommunicationDirection' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentCommunicationDirectionCommand" }
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
            $actual = (Get-Command Set-AgentCommunicationDirection).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Direction', 'PolicyId', 'PolicyName', 'AgentId', 'PassThru', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm (it changes the manager)' {
            (Get-Command Set-AgentCommunicationDirection).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command Set-AgentCommunicationDirection).Parameters.Keys | Should -Contain 'Confirm'
        }

        It 'declares its output type' {
            (Get-Command Set-AgentCommunicationDirection).OutputType.Name | Should -Contain 'EndpointAdmin.HeartbeatPolicy'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentCommunicationDirection -Direction AgentInitiated -PolicyId 2 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'offers the four directions' {
            [Enum]::GetNames([EndpointAdmin.CommunicationDirection]) | Should -Be @('Bidirectional', 'ManagerInitiated', 'AgentInitiated', 'Inherited')
        }

        It 'rejects an unknown direction at binding' {
            { Set-AgentCommunicationDirection -Direction Sideways -PolicyId 2 } | Should -Throw -ErrorId (& $fqid 'CannotConvertArgumentNoMessage')
        }

        It 'asks for confirmation (ConfirmImpact High)' {
            $type = (Get-Command Set-AgentCommunicationDirection).ImplementingType
            ($type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)).ConfirmImpact | Should -Be 'High'
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentCommunicationDirection -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
