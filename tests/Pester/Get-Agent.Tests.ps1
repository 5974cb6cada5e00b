#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Get-Agent' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.GetAgentCommand" }
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
            $actual = (Get-Command Get-Agent).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Name', 'Id', 'PolicyId', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'has no -WhatIf (it changes nothing on the manager)' {
            (Get-Command Get-Agent).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'declares its output type' {
            (Get-Command Get-Agent).OutputType.Name | Should -Contain 'EndpointAdmin.Agent'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Get-Agent -Name web* -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'describes Kaspersky devices with vendor-neutral properties that are empty for other products' {
            $agent = [EndpointAdmin.Agent]::new()
            foreach ($name in 'DnsName', 'GroupId', 'GroupName', 'LastInfoUpdate', 'LastVisible', 'ContinuousConnection', 'Visible', 'AgentInstalled', 'AgentAlive', 'RealTimeProtectionInstalled') {
                $agent.PSObject.Properties[$name] | Should -Not -BeNullOrEmpty
                $agent.$name | Should -BeNullOrEmpty
            }
        }

        It 'takes wildcards in -Name' {
            (Get-Command Get-Agent).Parameters['Name'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
        }

        It 'binds -Id by property name, also as AgentId' {
            $p = (Get-Command Get-Agent).Parameters['Id']
            $p.Aliases | Should -Contain 'AgentId'
            $p.Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        }

        It 'rejects a negative -PolicyId at binding' {
            { Get-Agent -PolicyId -1 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Get-Agent -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
