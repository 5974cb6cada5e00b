using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EndpointAdmin.Host;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>Test-AgentConnection through the real engine, against listeners the tests open on 127.0.0.1 and ::1.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class TestAgentConnectionTests : IClassFixture<EngineFixture>, IDisposable
    {
        private const string Cmd = "TestAgentConnectionCommand";
        private readonly EngineFixture _ps;
        private readonly LoopbackTcpServer _open = new LoopbackTcpServer(IPAddress.Loopback);

        public TestAgentConnectionTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        public void Dispose() => _open.Dispose();

        private static PSObject Only(PowerShellResult r)
        {
            Assert.False(r.Failed, r.Describe());
            return Assert.Single(r.Output);
        }

        [Fact]
        public void OpenRefusedAndUnresolvedAreToldApart()
        {
            var closed = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var rows = Succeeded(_ps.Run("Test-AgentConnection -ComputerName 127.0.0.1, localhost -Port $args[0], $args[1] -TimeoutSec 2; Test-AgentConnection no-such-manager.invalid -Port $args[0]", _open.Port, closed));
            Assert.Equal(5, rows.Count);
            Assert.All(rows, r => Assert.Equal("EndpointAdmin.ConnectionTestResult", r.TypeNames[0]));
            foreach (var name in new[] { "127.0.0.1", "localhost" })
            {
                var open = Assert.Single(rows, r => Text(r, "ComputerName") == name && (int)Prop(r, "Port") == _open.Port);
                Assert.Equal("Open", Text(open, "Status"));
                Assert.True((bool)Prop(open, "Reachable"));
                Assert.True((bool)Prop(open, "NameResolved"));
                Assert.Equal("127.0.0.1", Text(open, "RemoteAddress"));
                Assert.Contains("127.0.0.1", (string[])Prop(open, "IPv4Address"));
                Assert.True((double)Prop(open, "LatencyMs") > 0);
                var refused = Assert.Single(rows, r => Text(r, "ComputerName") == name && (int)Prop(r, "Port") == closed);
                Assert.Equal("Refused", Text(refused, "Status"));
                Assert.False((bool)Prop(refused, "Reachable"));
                Assert.Null(Prop(refused, "LatencyMs"));
                Assert.Contains("refused", Text(refused, "Detail"));
            }

            var unresolved = rows.Single(r => Text(r, "ComputerName") == "no-such-manager.invalid");
            Assert.Equal("NameNotResolved", Text(unresolved, "Status"));
            Assert.False((bool)Prop(unresolved, "NameResolved"));
            Assert.Empty((string[])Prop(unresolved, "IPv4Address"));
            Assert.Empty((string[])Prop(unresolved, "IPv6Address"));
            Assert.Null(Prop(unresolved, "RemoteAddress"));
            Assert.True(_open.Accepted >= 2);
        }

        [Fact]
        public void AnIPv6ListenerIsReachedOverIPv6()
        {
            using var v6 = new LoopbackTcpServer(IPAddress.IPv6Loopback);
            var row = Assert.Single(Succeeded(_ps.Run("Test-AgentConnection ::1 -Port $args[0]", v6.Port)));
            Assert.Equal("Open", Text(row, "Status"));
            Assert.Equal("::1", Text(row, "RemoteAddress"));
            Assert.Equal(new[] { "::1" }, (string[])Prop(row, "IPv6Address"));
            Assert.Empty((string[])Prop(row, "IPv4Address"));
        }

        [Fact]
        public void UdpSaysOnlyWhatItObserved()
        {
            using var echo = new LoopbackUdpServer(reply: true);
            using var silent = new LoopbackUdpServer(reply: false);
            var closed = LoopbackTcpServer.FreePort(IPAddress.Loopback, System.Net.Sockets.SocketType.Dgram);
            var rows = Succeeded(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0], $args[1], $args[2] -Protocol UDP -TimeoutSec 0.4", echo.Port, silent.Port, closed));
            string StatusOf(int port) => Text(rows.Single(r => (int)Prop(r, "Port") == port), "Status");
            Assert.Equal("Open", StatusOf(echo.Port));
            Assert.Equal("OpenOrFiltered", StatusOf(silent.Port));
            Assert.Equal("Closed", StatusOf(closed));
            Assert.All(rows, r => Assert.Equal("UDP", Text(r, "Protocol")));
            Assert.False((bool)Prop(rows.Single(r => (int)Prop(r, "Port") == silent.Port), "Reachable"));
            Assert.Contains("look the same", Text(rows.Single(r => (int)Prop(r, "Port") == silent.Port), "Detail"));
        }

        [Fact]
        public void TlsReportsVersionCipherAndASelfSignedCertificate()
        {
            using var cert = TestCertificates.Current("ea-test-dsm");
            using var tls = new LoopbackTlsServer(cert, SslProtocols.Tls12);
            var result = _ps.Run("Test-AgentConnection localhost -Port $args[0] -Tls", tls.Port);
            var row = Only(result);
            Assert.Equal("Open", Text(row, "Status"));
            Assert.True((bool)Prop(row, "Reachable"));
            Assert.Equal("Tls12", Text(row, "TlsProtocol"));
            Assert.StartsWith("TLS_", Text(row, "CipherSuite"));
            Assert.Equal("CN=ea-test-dsm", Text(row, "CertificateSubject"));
            Assert.Equal("CN=ea-test-dsm", Text(row, "CertificateIssuer"));
            Assert.Equal(cert.Thumbprint, Text(row, "CertificateThumbprint"));
            Assert.Equal(cert.NotAfter.ToUniversalTime(), (DateTime)Prop(row, "CertificateNotAfter"));
            Assert.Equal(DateTimeKind.Utc, ((DateTime)Prop(row, "CertificateNotAfter")).Kind);
            Assert.False((bool)Prop(row, "CertificateValid"));
            Assert.Contains("UntrustedRoot", Text(row, "CertificateErrors"));
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("not valid", warning);
            Assert.DoesNotContain(result.Warnings, w => w.Contains("below TLS 1.2"));
        }

        [Fact]
        public void AnExpiredCertificateIsNamedAsSuch()
        {
            using var cert = TestCertificates.Expired("ea-test-expired");
            using var tls = new LoopbackTlsServer(cert, SslProtocols.Tls12);
            var row = Only(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -Tls -WarningAction SilentlyContinue", tls.Port));
            Assert.Equal("Open", Text(row, "Status"));
            Assert.False((bool)Prop(row, "CertificateValid"));
            Assert.Contains("NotTimeValid", Text(row, "CertificateErrors"));
            Assert.True((DateTime)Prop(row, "CertificateNotAfter") < DateTime.UtcNow);
        }

        [Fact]
        public void TlsAgainstAPlainListenerIsATlsFailure()
        {
            var row = Only(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -Tls -TimeoutSec 2", _open.Port));
            Assert.Equal("TlsFailed", Text(row, "Status"));
            Assert.False((bool)Prop(row, "Reachable"));
            Assert.Contains("TLS handshake failed", Text(row, "Detail"));
        }

        [Fact]
        public void ADeepSecurity95AgentCannotTalkToATls12OnlyManager()
        {
            using var cert = TestCertificates.Current("ea-test-dsm");
            using var tls = new LoopbackTlsServer(cert, SslProtocols.Tls12);
            var result = _ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -AgentVersion 9.5", tls.Port);
            var row = Only(result);
            Assert.Equal("Open", Text(row, "Status"));
            Assert.Equal("Tls12", Text(row, "TlsProtocol"));
            Assert.Equal("9.5", Text(row, "AgentVersion"));
            Assert.False((bool)Prop(row, "AgentTlsCompatible"));
            Assert.Contains(result.Warnings, w => w.Contains("Deep Security Agent 9.5") && w.Contains("TLS 1.0") && w.Contains("TLS_RSA_WITH_AES_256_CBC_SHA"));
        }

        [Fact]
        public void ADeepSecurity10AgentNeedsTheSha256CbcSuites()
        {
            using var cert = TestCertificates.Current("ea-test-dsm");
            using var gcmOnly = new LoopbackTlsServer(cert, SslProtocols.Tls12, new[] { TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 });
            using var withCbc = new LoopbackTlsServer(cert, SslProtocols.Tls12, new[] { TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256 });
            var refused = _ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -AgentVersion 10.0", gcmOnly.Port);
            Assert.False((bool)Prop(Only(refused), "AgentTlsCompatible"));
            Assert.Contains(refused.Warnings, w => w.Contains("Deep Security Agent 10.0"));
            var accepted = _ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -AgentVersion 10.0.0-2417", withCbc.Port);
            var row = Only(accepted);
            Assert.True((bool)Prop(row, "AgentTlsCompatible"), Text(row, "Detail"));
            Assert.Contains("TLS_RSA_WITH_AES_256_CBC_SHA256", Text(row, "Detail"));
            Assert.DoesNotContain(accepted.Warnings, w => w.Contains("Deep Security Agent"));
        }

        [Fact]
        public void TheProxyPathOpensATunnelAndCarriesTls()
        {
            using var proxy = new LoopbackConnectProxy();
            using var cert = TestCertificates.Current("ea-test-dsm");
            using var tls = new LoopbackTlsServer(cert, SslProtocols.Tls12);
            var closed = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var rows = Succeeded(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[1], $args[2] -Proxy ('http://127.0.0.1:' + $args[0]) -Tls -WarningAction SilentlyContinue", proxy.Port, tls.Port, closed));
            var through = rows.Single(r => (int)Prop(r, "Port") == tls.Port);
            Assert.Equal("Open", Text(through, "Status"));
            Assert.Equal("Tls12", Text(through, "TlsProtocol"));
            Assert.Equal("http://127.0.0.1:" + proxy.Port, Text(through, "Proxy"));
            Assert.Equal(cert.Thumbprint, Text(through, "CertificateThumbprint"));
            var badGateway = rows.Single(r => (int)Prop(r, "Port") == closed);
            Assert.Equal("ProxyRefused", Text(badGateway, "Status"));
            Assert.Contains("502", Text(badGateway, "Detail"));

            var before = proxy.Accepted;
            var agent = _ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[1] -Proxy ('http://127.0.0.1:' + $args[0]) -AgentVersion 9.5", proxy.Port, tls.Port);
            Assert.False((bool)Prop(Only(agent), "AgentTlsCompatible"));
            Assert.Contains(agent.Warnings, w => w.Contains("Deep Security Agent 9.5"));
            Assert.Equal(before + 2, proxy.Accepted); // the agent's handshake goes through a tunnel of its own
        }

        [Fact]
        public void AProxyThatAnswers407SaysCredentialsAreNeededAndTheCredentialNeverShows()
        {
            using var proxy = new LoopbackConnectProxy("agentsvc", "S3cret-Proxy-Pass");
            const string script = "Test-AgentConnection 127.0.0.1 -Port $args[1] -Proxy ('http://127.0.0.1:' + $args[0]) -ProxyCredential $args[2] -Verbose";
            static PSCredential Credential(string user, string password) => new PSCredential(user, new NetworkCredential(user, password).SecurePassword);
            var none = Only(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[1] -Proxy ('http://127.0.0.1:' + $args[0])", proxy.Port, _open.Port));
            Assert.Equal("ProxyAuthenticationRequired", Text(none, "Status"));
            Assert.Contains("-ProxyCredential", Text(none, "Detail"));

            var wrong = _ps.Run(script, proxy.Port, _open.Port, Credential("agentsvc", "Wrong-Pass-123"));
            Assert.Equal("ProxyAuthenticationRequired", Text(Only(wrong), "Status"));
            Assert.Contains("rejected the credentials", Text(Only(wrong), "Detail"));

            var right = _ps.Run(script, proxy.Port, _open.Port, Credential("agentsvc", "S3cret-Proxy-Pass"));
            var row = Only(right);
            Assert.Equal("Open", Text(row, "Status"));
            Assert.True((bool)Prop(row, "Reachable"));
            var seen = new SeenText();
            seen.Add(right);
            seen.AddCliXml(_ps.Shell, "$args[0]", row);
            seen.AssertNoneContains(new[] { "S3cret-Proxy-Pass", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("agentsvc:S3cret-Proxy-Pass")) });
        }

        [Fact]
        public void AProxyThatCannotBeReachedIsRefused()
        {
            var nobody = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var row = Only(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[1] -Proxy ('http://127.0.0.1:' + $args[0])", nobody, _open.Port));
            Assert.Equal("ProxyRefused", Text(row, "Status"));
            Assert.Contains("could not be reached", Text(row, "Detail"));
        }

        [Fact]
        public void CatalogPortsAreTheComponentsInboundPorts()
        {
            var rows = Succeeded(_ps.Run("Test-AgentConnection 127.0.0.1 -Product DeepSecurity -Component Manager -TimeoutSec 1"));
            var expected = Succeeded(_ps.Run("Get-AgentPortRequirement -Product DeepSecurity -Component Manager -Direction Inbound")).Select(r => (int)Prop(r, "Port")).OrderBy(p => p);
            Assert.Equal(expected, rows.Select(r => (int)Prop(r, "Port")).OrderBy(p => p));
            var udp = Succeeded(_ps.Run("Test-AgentConnection 127.0.0.1 -Product KasperskySecurityCenter -Component AdministrationServer -Protocol UDP -TimeoutSec 0.3"));
            var only = Assert.Single(udp);
            Assert.Equal(13000, (int)Prop(only, "Port"));
            Assert.Equal("UDP", Text(only, "Protocol"));
        }

        [Fact]
        public void ManyTargetsRunInParallelWithinTheThrottleLimit()
        {
            using var silent = new LoopbackUdpServer(reply: false);
            var result = _ps.Run("1..40 | ForEach-Object { '127.0.0.1' } | Test-AgentConnection -Port $args[0] -Protocol UDP -TimeoutSec 0.3 -ThrottleLimit 8 -Verbose", silent.Port);
            Assert.Equal(40, Succeeded(result).Count);
            // The command's own count of probes in flight at once: parallel, and never above the limit.
            var summary = result.Verbose.Single(v => v.StartsWith("Tested 40 target/port pair(s)"));
            var peak = int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"at most (\d+) at once").Groups[1].Value);
            Assert.InRange(peak, 2, 8);
        }

        [Fact]
        public void QuietWritesOneBooleanPerTargetAndPort()
        {
            var closed = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var rows = Succeeded(_ps.Run("Test-AgentConnection 127.0.0.1 -Port $args[0] -Quiet; Test-AgentConnection 127.0.0.1 -Port $args[1] -Quiet", _open.Port, closed));
            Assert.Equal(new object[] { true, false }, rows.Select(r => r.BaseObject).ToArray());
        }

        [Fact]
        public void ProgressCountsTheTestsAndCompletes()
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _ps.Shell.Runspace;
            ps.AddScript("Test-AgentConnection 127.0.0.1, localhost -Port $args[0], $args[1] -ThrottleLimit 2").AddArgument(_open.Port).AddArgument(LoopbackTcpServer.FreePort(IPAddress.Loopback));
            var output = ps.Invoke();
            Assert.Equal(4, output.Count);
            var progress = ps.Streams.Progress.Where(p => p.Activity == "Test-AgentConnection").ToList();
            Assert.Equal(5, progress.Count);
            Assert.Equal("4 of 4 tested", progress[3].StatusDescription);
            Assert.Equal(100, progress[3].PercentComplete);
            Assert.Equal(ProgressRecordType.Completed, progress[4].RecordType);
        }

        [Fact]
        public void StopEndsTheCommandAtOnce()
        {
            using var silent = new LoopbackUdpServer(reply: false);
            using var ps = PowerShell.Create();
            ps.Runspace = _ps.Shell.Runspace;
            ps.AddScript("Test-AgentConnection 127.0.0.1 -Port $args[0] -Protocol UDP -TimeoutSec 120").AddArgument(silent.Port);
            var running = ps.BeginInvoke();
            // A generous wait: it only ends a test whose probe never goes out.
            Assert.True(silent.WaitForDatagram(TimeSpan.FromSeconds(60)), "the probe never arrived");
            Assert.False(running.IsCompleted);
            var watch = Stopwatch.StartNew();
            ps.Stop();
            watch.Stop();
            Assert.True(running.IsCompleted);
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            // Half the 120 s the probe would wait: only a Stop that waits out the probe's timeout fails this.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "Stop took " + watch.Elapsed);
        }

        [Theory]
        [InlineData("-Port 0", "ConnectionTestPortInvalid", 0)]
        [InlineData("-Port 65536", "ConnectionTestPortInvalid", 65536)]
        [InlineData("-Port $args[0] -TimeoutSec -1", "ConnectionTestTimeoutInvalid", -1.0)]
        [InlineData("-Port $args[0] -TimeoutSec 0", "ConnectionTestTimeoutInvalid", 0.0)]
        [InlineData("-Port $args[0] -ThrottleLimit 0", "ConnectionTestThrottleLimitInvalid", 0)]
        [InlineData("-Port $args[0] -Proxy 'https://proxy.example:3128'", "ConnectionTestProxyInvalid", "https://proxy.example:3128")]
        [InlineData("-Port $args[0] -Proxy 'http://user:pw@proxy.example:3128'", "ConnectionTestProxyInvalid", "proxy.example")]
        [InlineData("-Port $args[0] -AgentVersion 8.0", "DeepSecurityAgentVersionUnknown", "8.0")]
        [InlineData("-Port $args[0] -Tls -Protocol UDP", "ConnectionTestOptionNotForUdp", "UDP")]
        [InlineData("-Product SesEvolution -Version 2.7.0", "PortCatalogVersionNotFound", "2.7.0")]
        public void BadInputIsRejectedBeforeAnythingIsSent(string arguments, string errorId, object target)
        {
            var before = _open.Accepted;
            var result = _ps.Run("Test-AgentConnection 127.0.0.1 " + arguments, _open.Port);
            var category = errorId == "PortCatalogVersionNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument;
            var error = SingleError(result, errorId, Cmd, category, target);
            Assert.Empty(result.Output);
            Assert.Equal(before, _open.Accepted);
            Assert.DoesNotContain("pw@", error.ToString());
        }

        [Fact]
        public void AnEmptyOrMalformedNameIsOneErrorAndTheOthersCarryOn()
        {
            var result = _ps.Run("Test-AgentConnection '', 'bad name!', 127.0.0.1 -Port $args[0]", _open.Port);
            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Equal("ConnectionTestComputerNameInvalid," + CommandNamespace + Cmd, e.FullyQualifiedErrorId));
            Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
            Assert.Equal(new object[] { string.Empty, "bad name!" }, result.Errors.Select(e => e.TargetObject).ToArray());
            var row = Assert.Single(result.Output);
            Assert.Equal("Open", Text(row, "Status"));
        }
    }
}
