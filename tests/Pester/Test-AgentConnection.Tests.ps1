#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-AgentConnection against listeners this file opens on 127.0.0.1 (plain TCP, UDP, and a TLS
# server in a runspace of its own with a certificate made here).

Describe 'Test-AgentConnection' -Tag 'Unit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-BuiltModule
        $fqid = { param($id) "$id,EndpointAdmin.Commands.TestAgentConnectionCommand" }
        $freePort = {
            $s = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $s.Start(); $p = $s.LocalEndpoint.Port; $s.Stop(); $p
        }

        # The kernel completes the handshake into the backlog: no accept loop is needed for a few connects.
        $open = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $open.Start(64)
        $openPort = $open.LocalEndpoint.Port
        $closedPort = & $freePort
        $silentUdp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        $silentUdpPort = $silentUdp.Client.LocalEndPoint.Port

        # A TLS 1.2 server with a self-signed certificate, serving in a runspace of its own.
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=ea-pester-dsm', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $made = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(10))
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($made.Export('Pfx'), [string]$null, 'Exportable')
        $tls = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $tls.Start(16)
        $tlsPort = $tls.LocalEndpoint.Port
        $server = [powershell]::Create().AddScript({
            param($listener, $certificate)
            while ($true) {
                try { $client = $listener.AcceptTcpClient() } catch { return }
                try {
                    $ssl = [System.Net.Security.SslStream]::new($client.GetStream(), $false)
                    $ssl.AuthenticateAsServer($certificate, $false, [System.Security.Authentication.SslProtocols]::Tls12, $false)
                    $null = $ssl.Read([byte[]]::new(16), 0, 16)
                } catch {
                } finally {
                    $client.Dispose()
                }
            }
        }).AddArgument($tls).AddArgument($cert)
        $serverRun = $server.BeginInvoke()
    }

    AfterAll {
        $tls.Stop()
        $server.Stop()
        $server.Dispose()
        $open.Stop()
        $silentUdp.Dispose()
        Get-Module EndpointAdmin | Remove-Module -Force
    }

    Context 'Parameters' {
        It 'has the expected parameters' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $actual = (Get-Command Test-AgentConnection).Parameters.Keys | Where-Object { $_ -notin $common }
            Compare-Object -ReferenceObject @('ComputerName', 'Port', 'Protocol', 'Product', 'Component', 'Version', 'Tls', 'AgentVersion', 'Proxy', 'ProxyCredential', 'TimeoutSec', 'ThrottleLimit', 'Quiet') -DifferenceObject @($actual) | Should -BeNullOrEmpty
        }

        It 'changes nothing, so it has no -WhatIf' {
            (Get-Command Test-AgentConnection).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }

        It 'takes computer names from the pipeline' {
            $p = (Get-Command Test-AgentConnection).Parameters['ComputerName'].ParameterSets.Values[0]
            $p.ValueFromPipeline | Should -BeTrue
            $p.ValueFromPipelineByPropertyName | Should -BeTrue
        }
    }

    Context 'TCP and DNS on loopback' {
        It 'tells open, refused and unresolved apart' {
            $rows = @(Test-AgentConnection -ComputerName 127.0.0.1 -Port $openPort, $closedPort -TimeoutSec 2) + @(Test-AgentConnection name-that-does-not-exist.invalid -Port $openPort)
            $rows.Count | Should -Be 3
            $rows | ForEach-Object { $_ | Should -BeOfType ([EndpointAdmin.ConnectionTestResult]) }
            ($rows | Where-Object Port -EQ $openPort | Where-Object ComputerName -EQ '127.0.0.1').Status | Should -Be 'Open'
            ($rows | Where-Object Port -EQ $closedPort).Status | Should -Be 'Refused'
            $unresolved = $rows | Where-Object ComputerName -EQ 'name-that-does-not-exist.invalid'
            $unresolved.Status | Should -Be 'NameNotResolved'
            $unresolved.NameResolved | Should -BeFalse
        }

        It 'resolves localhost and reports its addresses and latency' {
            $row = Test-AgentConnection localhost -Port $openPort
            $row.NameResolved | Should -BeTrue
            $row.IPv4Address | Should -Contain '127.0.0.1'
            $row.Reachable | Should -BeTrue
            $row.LatencyMs | Should -BeGreaterThan 0
        }

        It 'writes only booleans with -Quiet' {
            Test-AgentConnection 127.0.0.1 -Port $openPort -Quiet | Should -BeExactly $true
            Test-AgentConnection 127.0.0.1 -Port $closedPort -Quiet | Should -BeExactly $false
        }

        It 'takes the ports from the catalog' {
            $rows = @(Test-AgentConnection 127.0.0.1 -Product DeepSecurity -Component Manager -TimeoutSec 1)
            $expected = @(Get-AgentPortRequirement -Product DeepSecurity -Component Manager -Direction Inbound).Port | Sort-Object
            @($rows.Port | Sort-Object) | Should -Be $expected
        }
    }

    Context 'UDP says only what it saw' {
        It 'is OpenOrFiltered when nothing answers and Closed on ICMP port unreachable' {
            (Test-AgentConnection 127.0.0.1 -Port $silentUdpPort -Protocol UDP -TimeoutSec 0.3).Status | Should -Be 'OpenOrFiltered'
            (Test-AgentConnection 127.0.0.1 -Port (& $freePort) -Protocol UDP -TimeoutSec 0.3).Status | Should -Be 'Closed'
        }
    }

    Context 'TLS' {
        It 'reports the protocol, the cipher suite and a self-signed certificate' {
            $row = Test-AgentConnection 127.0.0.1 -Port $tlsPort -Tls -WarningVariable warnings -WarningAction SilentlyContinue
            $row.Status | Should -Be 'Open'
            $row.TlsProtocol | Should -Be 'Tls12'
            $row.CipherSuite | Should -BeLike 'TLS_*'
            $row.CertificateSubject | Should -Be 'CN=ea-pester-dsm'
            $row.CertificateThumbprint | Should -Be $cert.Thumbprint
            $row.CertificateValid | Should -BeFalse
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*not valid*'
        }

        It 'says a Deep Security 9.5 agent could not negotiate with a TLS 1.2-only manager' {
            $row = Test-AgentConnection 127.0.0.1 -Port $tlsPort -AgentVersion 9.5 -WarningVariable warnings -WarningAction SilentlyContinue
            $row.AgentTlsCompatible | Should -BeFalse
            @($warnings | Where-Object { "$_" -like '*Deep Security Agent 9.5*TLS 1.0*' }).Count | Should -Be 1
        }
    }

    Context 'Bad input' {
        It 'stops on <Name> with <ErrorId> before anything is sent' -ForEach @(
            @{ Name = 'port 0'; Arguments = @{ Port = 0 }; ErrorId = 'ConnectionTestPortInvalid'; Target = 0 }
            @{ Name = 'port 65536'; Arguments = @{ Port = 65536 }; ErrorId = 'ConnectionTestPortInvalid'; Target = 65536 }
            @{ Name = 'a negative timeout'; Arguments = @{ TimeoutSec = -1 }; ErrorId = 'ConnectionTestTimeoutInvalid'; Target = -1 }
            @{ Name = 'ThrottleLimit 0'; Arguments = @{ ThrottleLimit = 0 }; ErrorId = 'ConnectionTestThrottleLimitInvalid'; Target = 0 }
            @{ Name = 'an unlisted agent version'; Arguments = @{ AgentVersion = '7.0' }; ErrorId = 'DeepSecurityAgentVersionUnknown'; Target = '7.0' }
        ) {
            $splat = @{ ComputerName = '127.0.0.1'; Port = $openPort }
            foreach ($key in $Arguments.Keys) { $splat[$key] = $Arguments[$key] }
            $record = $null
            try {
                $rows = Test-AgentConnection @splat -ErrorAction Stop
            } catch {
                $record = $_
            }
            $rows | Should -BeNullOrEmpty
            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -Be (& $fqid $ErrorId)
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.TargetObject | Should -Be $Target
        }

        It 'reports an empty name and goes on with the others' {
            $rows = Test-AgentConnection -ComputerName '', 127.0.0.1 -Port $openPort -ErrorVariable err -ErrorAction SilentlyContinue
            @($rows).Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $fqid 'ConnectionTestComputerNameInvalid')
        }
    }

    Context 'Output' {
        It 'reads the same after a CliXml round trip (what remoting does)' {
            $live = Test-AgentConnection 127.0.0.1 -Port $closedPort
            $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.EndpointAdmin.ConnectionTestResult'
            foreach ($name in 'ComputerName', 'Port', 'Protocol', 'Status', 'Reachable', 'RemoteAddress', 'Detail') {
                "$($back.$name)" | Should -Be "$($live.$name)"
            }
            @($back.IPv4Address) | Should -Be @($live.IPv4Address)
            ($back | Out-String -Width 200) | Should -Be ($live | Out-String -Width 200)
        }

        It 'shows a table' {
            (Test-AgentConnection 127.0.0.1 -Port $closedPort | Out-String -Width 200) | Should -Match 'ComputerName\s+RemoteAddress\s+Protocol\s+Port\s+Status'
        }
    }
}
