#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, pipeline binding, what happens without a session,
# and help. The behaviour against Apex Central (validation, the Certified Safe Software proxy check,
# then the console page) is covered by the engine tests, which start the Apex Central simulator.
Describe 'Set-AgentFirewallSetting' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentFirewallSettingCommand" }
        Disconnect-AgentManager -ErrorAction SilentlyContinue
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Set-AgentFirewallSetting).Parameters.Keys | Where-Object { $_ -notin $common }
            $expected = @('EnableFirewall', 'SendLogToServer', 'LogSendingIntervalMinutes', 'UpdateDriverOnlyAfterRestart', 'SendHourlyLogCount', 'CertifiedSafeSoftwareService', 'AgentId', 'ProxyUri', 'TimeoutSec', 'Session')
            Compare-Object -ReferenceObject $expected -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'takes each setting as an explicit $true or $false' {
            foreach ($name in 'EnableFirewall', 'SendLogToServer', 'UpdateDriverOnlyAfterRestart', 'SendHourlyLogCount', 'CertifiedSafeSoftwareService') {
                (Get-Command Set-AgentFirewallSetting).Parameters[$name].ParameterType | Should -Be ([bool])
            }
        }

        It 'binds agent IDs from Get-Agent output by property name' {
            $parameter = (Get-Command Set-AgentFirewallSetting).Parameters['AgentId']
            $parameter.Aliases | Should -Contain 'Id'
            $parameter.ParameterSets.Values[0].ValueFromPipelineByPropertyName | Should -BeTrue
        }

        It 'supports -WhatIf and -Confirm' {
            (Get-CmdletAttribute Set-AgentFirewallSetting).SupportsShouldProcess | Should -BeTrue
        }

        It 'rejects a proxy test timeout outside 1-600 at binding' {
            { Set-AgentFirewallSetting -EnableFirewall $true -TimeoutSec 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentFirewallSetting -EnableFirewall $true -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentFirewallSetting -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
