#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, the High confirm impact, what happens without a
# session, and help. The behaviour against Apex Central (validation first, then the console page)
# is covered by the engine tests, which start the Apex Central simulator in-process.
Describe 'Set-AgentServerCommunication' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentServerCommunicationCommand" }
        Disconnect-AgentManager -ErrorAction SilentlyContinue
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Set-AgentServerCommunication).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('ServerAddress', 'ListeningPort', 'AgentVersion', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'asks for confirmation by default: installed agents would have to be redeployed' {
            (Get-CmdletAttribute Set-AgentServerCommunication).ConfirmImpact | Should -Be 'High'
            (Get-CmdletAttribute Set-AgentServerCommunication).SupportsShouldProcess | Should -BeTrue
        }

        It 'takes the server addresses as its first position' {
            (Get-Command Set-AgentServerCommunication).Parameters['ServerAddress'].ParameterSets.Values[0].Position | Should -Be 0
            (Get-Command Set-AgentServerCommunication).Parameters['ServerAddress'].ParameterType | Should -Be ([string[]])
        }

        It 'rejects an empty server address at binding' {
            { Set-AgentServerCommunication -ServerAddress '' -Confirm:$false } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentServerCommunication -ListeningPort 4343 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentServerCommunication -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }

        It 'names the console page in its description' {
            (Get-Help Set-AgentServerCommunication -Full).description.Text -join ' ' | Should -BeLike '*Agent-Server Communication*'
        }
    }
}
