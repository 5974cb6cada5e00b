#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

# Tests that need no manager: parameter metadata, validation at binding, what happens without
# a session, and help. The behaviour against a manager is covered by the engine tests, which
# start the Deep Security simulator in-process (tests/EndpointAdmin.Engine.Tests).
Describe 'Connect-AgentManager' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.ConnectAgentManagerCommand" }
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
            $actual = (Get-Command Connect-AgentManager).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('Product', 'Uri', 'ApiKey', 'ApplicationId', 'Credential', 'VirtualServer', 'Domain', 'CertificateThumbprint', 'SkipCertificateCheck', 'Proxy', 'ProxyCredential', 'NoProxy', 'TimeoutSec', 'MaximumRetryCount', 'RetryIntervalSec', 'PassThru') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'has no -WhatIf (it changes nothing on the manager)' {
            (Get-Command Connect-AgentManager).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'declares its output type' {
            (Get-Command Connect-AgentManager).OutputType.Name | Should -Contain 'EndpointAdmin.AgentManagerSession'
        }
    }

    Context 'Bad input, rejected before any request' {
        It 'rejects <Uri> with ManagerUriInvalid' -ForEach @(
            @{ Uri = 'not a uri' }
            @{ Uri = 'http://127.0.0.1:4119' }
            @{ Uri = 'dsm.example.com:4119' }
        ) {
            { Connect-AgentManager -Product DeepSecurity -Uri $Uri -ApiKey $key -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerUriInvalid')
        }

        It 'rejects a malformed thumbprint and contradictory options with ManagerParameterInvalid' {
            { Connect-AgentManager -Product DeepSecurity -Uri https://127.0.0.1:1 -ApiKey $key -CertificateThumbprint xyz -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerParameterInvalid')
            { Connect-AgentManager -Product DeepSecurity -Uri https://127.0.0.1:1 -ApiKey $key -Proxy http://127.0.0.1:3128 -NoProxy -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerParameterInvalid')
        }

        It 'refuses the secret <Case> before any connection attempt' -ForEach @(
            @{ Case = 'a credential for Deep Security'; Product = 'DeepSecurity'; UseCredential = $true; AppId = $null }
            @{ Case = 'an API key for Kaspersky Security Center'; Product = 'KasperskySecurityCenter'; UseCredential = $false; AppId = $null }
            @{ Case = 'an API key without application ID for Apex Central'; Product = 'ApexCentral'; UseCredential = $false; AppId = $null }
            @{ Case = 'an application ID for Deep Security'; Product = 'DeepSecurity'; UseCredential = $false; AppId = 'a1b2' }
        ) {
            $secret = @{ ApiKey = $key }
            if ($UseCredential) { $secret = @{ Credential = [pscredential]::new('admin', $key) } }
            if ($AppId) { $secret.ApplicationId = $AppId }
            # Port 1 on loopback: a connection attempt would fail differently (ManagerConnectionFailed).
            { Connect-AgentManager -Product $Product -Uri https://127.0.0.1:1 @secret -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerParameterInvalid')
        }

        It 'rejects a timeout of 0 at binding' {
            { Connect-AgentManager -Product DeepSecurity -Uri https://127.0.0.1:1 -ApiKey $key -TimeoutSec 0 } | Should -Throw -ErrorId (& $fqid 'ParameterArgumentValidationError')
        }
    }

    Context 'Connection check' {
        It 'fails with ManagerConnectionFailed when nothing listens, and leaves no session' {
            { Connect-AgentManager -Product DeepSecurity -Uri https://127.0.0.1:1 -ApiKey $key -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId (& $fqid 'ManagerConnectionFailed')
            { Get-Agent -ErrorAction Stop } | Should -Throw -ErrorId 'ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand'
        }

        It 'warns about -SkipCertificateCheck' {
            try {
                $null = Connect-AgentManager -Product DeepSecurity -Uri https://127.0.0.1:1 -ApiKey $key -SkipCertificateCheck -MaximumRetryCount 0 -WarningVariable warn -WarningAction SilentlyContinue
            }
            catch {
                $_.FullyQualifiedErrorId | Should -Be (& $fqid 'ManagerConnectionFailed')
            }
            "$warn" | Should -BeLike '*SkipCertificateCheck*'
        }

        It 'takes the key only as a SecureString' {
            (Get-Command Connect-AgentManager).Parameters['ApiKey'].ParameterType | Should -Be ([System.Security.SecureString])
        }
    }

    Context 'Help' {
        It 'shows at least three examples in Get-Help' {
            (Get-Help Connect-AgentManager -Examples).examples.example.Count | Should -BeGreaterOrEqual 3
        }
    }
}
