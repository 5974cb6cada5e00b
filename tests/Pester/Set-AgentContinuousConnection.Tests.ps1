#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager (the 300 cap, -WhatIf, nothing changed on
# refusal) is covered by the engine tests, which start the Kaspersky Security Center simulator
# in-process (tests/EndpointAdmin.Engine.Tests/Cmdlets/Managers/KasperskyCmdletTests.cs).
Describe 'Set-AgentContinuousConnection' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentContinuousConnectionCommand" }
        Disconnect-AgentManager -ErrorAction SilentlyContinue
    }

    AfterAll {
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Set-AgentContinuousConnection).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Id', 'Name', 'Enabled', 'PassThru', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm with a medium impact (it changes the manager)' {
            $command = Get-Command Set-AgentContinuousConnection
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
            $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'Medium'
        }

        It 'declares its output type' {
            (Get-Command Set-AgentContinuousConnection).OutputType.Name | Should -Contain 'EndpointAdmin.Agent'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentContinuousConnection -Id 'c5ac2d9e-3d7c-4e4b-9b8f-0e3f1c2a7b10' -Enabled $true -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }

        It 'does not prompt or change anything under -WhatIf either' {
            { Set-AgentContinuousConnection -Id 'c5ac2d9e-3d7c-4e4b-9b8f-0e3f1c2a7b10' -Enabled $true -WhatIf } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected')
        }
    }

    Context 'Parameters in detail' {
        It 'requires -Enabled' {
            (Get-Command Set-AgentContinuousConnection).Parameters['Enabled'].Attributes.Mandatory | Should -Contain $true
        }

        It 'rejects a value that is not a Boolean at binding' {
            { Set-AgentContinuousConnection -Id 'a' -Enabled 'maybe' } | Should -Throw -ErrorId (& $fqid 'CannotConvertArgument')
        }

        It 'binds devices by Id or AgentId from the pipeline' {
            $p = (Get-Command Set-AgentContinuousConnection).Parameters['Id']
            $p.Aliases | Should -Contain 'AgentId'
            $p.Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
        }

        It 'takes wildcards in -Name' {
            (Get-Command Set-AgentContinuousConnection).Parameters['Name'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
        }

        It 'rejects an empty -Id at binding' {
            { Set-AgentContinuousConnection -Id '' -Enabled $true } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentContinuousConnection -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }

        It 'explains the limit of 300' {
            (Get-Help Set-AgentContinuousConnection -Full).description.Text | Should -Match '300'
        }
    }
}
