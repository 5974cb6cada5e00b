#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Set-AgentProxy' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.SetAgentProxyCommand" }
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
            $actual = (Get-Command Set-AgentProxy).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Purpose', 'ProxyId', 'ProxyUri', 'ProxyCredential', 'NoProxy', 'UseSystemProxy', 'PolicyId', 'PolicyName', 'AgentId', 'Session') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'supports -WhatIf and -Confirm (it changes the manager)' {
            (Get-Command Set-AgentProxy).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command Set-AgentProxy).Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    Context 'Without a session' {
        It 'stops with ManagerNotConnected and says how to connect' {
            { Set-AgentProxy -Purpose AgentUpdate -ProxyId 2 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerNotConnected') -ExpectedMessage '*Connect-AgentManager*'
        }
    }

    Context 'Parameters in detail' {
        It 'offers the proxy purposes' {
            [Enum]::GetNames([EndpointAdmin.ProxyPurpose]) | Should -Be @('AgentUpdate', 'ManagerUpdate', 'SmartProtection', 'AgentServer')
        }

        It 'takes a proxy by ID or by address, or (Apex One agent-server) no proxy or the system proxy; never two of them' {
            (Get-Command Set-AgentProxy).ParameterSets.Name | Sort-Object | Should -Be @('NoProxy', 'ProxyId', 'ProxyUri', 'UseSystemProxy')
            { Set-AgentProxy -Purpose AgentServer -NoProxy -UseSystemProxy } | Should -Throw -ErrorId (& $fqid 'AmbiguousParameterSet')
            { Set-AgentProxy -Purpose AgentServer -NoProxy -ProxyUri http://p:1 } | Should -Throw -ErrorId (& $fqid 'AmbiguousParameterSet')
            { Set-AgentProxy -Purpose AgentUpdate -ProxyId 2 -ProxyUri http://p:1 } | Should -Throw -ErrorId (& $fqid 'AmbiguousParameterSet')
        }

        It 'rejects -ProxyId 0 at binding' {
            { Set-AgentProxy -Purpose AgentUpdate -ProxyId 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Set-AgentProxy -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
