using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests.Diagnostics
{
    /// <summary>The judging logic over a fake probe: which address is reported, how a proxy answer reads, what input is refused.</summary>
    public class ConnectionTesterTests
    {
        private sealed class FakeProbe : INetworkProbe
        {
            public Dictionary<string, IPAddress[]> Names { get; } = new Dictionary<string, IPAddress[]>();

            public Dictionary<IPAddress, ConnectionStatus> Tcp { get; } = new Dictionary<IPAddress, ConnectionStatus>();

            public List<string> Calls { get; } = new List<string>();

            public int ProxyStatus { get; set; } = 200;

            public Task<DnsOutcome> ResolveAsync(string name, TimeSpan timeout, CancellationToken cancellation)
            {
                Calls.Add("dns " + name);
                return Task.FromResult(Names.TryGetValue(name, out var a) ? new DnsOutcome { Addresses = a } : new DnsOutcome { Failure = "no such name" });
            }

            public Task<TcpOutcome> ConnectTcpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation)
            {
                Calls.Add("tcp " + endpoint);
                var status = Tcp.TryGetValue(endpoint.Address, out var s) ? s : ConnectionStatus.Refused;
                if (status != ConnectionStatus.Open)
                {
                    return Task.FromResult(new TcpOutcome { Status = status, Detail = status.ToString() });
                }

                // A connected pair on loopback stands in for the remote end.
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(listener.LocalEndpoint);
                listener.Stop();
                return Task.FromResult(new TcpOutcome { Status = status, Socket = client, Elapsed = TimeSpan.FromMilliseconds(3) });
            }

            public Task<UdpOutcome> ProbeUdpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation)
            {
                Calls.Add("udp " + endpoint);
                return Task.FromResult(new UdpOutcome { Status = ConnectionStatus.OpenOrFiltered });
            }

            public Task<TlsOutcome> HandshakeTlsAsync(Stream stream, string targetHost, SslProtocols protocols, IReadOnlyList<string> cipherSuites, TimeSpan timeout, CancellationToken cancellation)
            {
                Calls.Add("tls " + targetHost + " " + (int)protocols + " " + (cipherSuites == null ? "-" : string.Join("+", cipherSuites)));
                return Task.FromResult(new TlsOutcome { Succeeded = true, Protocol = SslProtocols.Tls12, CipherSuite = "TLS_RSA_WITH_AES_256_CBC_SHA256", CiphersRestricted = cipherSuites != null, CertificateValid = true });
            }

            public Task<ProxyOutcome> ConnectThroughProxyAsync(Stream proxyStream, string host, int port, NetworkCredential credential, TimeSpan timeout, CancellationToken cancellation)
            {
                Calls.Add("connect " + host + ":" + port + (credential == null ? string.Empty : " as " + credential.UserName));
                return Task.FromResult(new ProxyOutcome { StatusCode = ProxyStatus, StatusLine = "HTTP/1.1 " + ProxyStatus + " X" });
            }
        }

        private static ConnectionRequest Request(string name, int port = 4120) => new ConnectionRequest { ComputerName = name, Port = port, Protocol = Protocol.TCP, Timeout = TimeSpan.FromSeconds(1) };

        [Fact]
        public async Task EveryAddressIsTriedUntilOneOpensAndThatOneIsReported()
        {
            var probe = new FakeProbe();
            probe.Names["dsm"] = new[] { IPAddress.Parse("fd00::5"), IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6") };
            probe.Tcp[IPAddress.Parse("fd00::5")] = ConnectionStatus.TimedOut;
            probe.Tcp[IPAddress.Parse("10.0.0.5")] = ConnectionStatus.Open;
            var result = await new ConnectionTester(probe).TestAsync(Request("dsm"), CancellationToken.None);
            Assert.Equal(ConnectionStatus.Open, result.Status);
            Assert.True(result.Reachable);
            Assert.Equal("10.0.0.5", result.RemoteAddress);
            Assert.Equal(new[] { "10.0.0.5", "10.0.0.6" }, result.IPv4Address);
            Assert.Equal(new[] { "fd00::5" }, result.IPv6Address);
            Assert.DoesNotContain("tcp 10.0.0.6:4120", probe.Calls);
        }

        [Fact]
        public async Task WhenNoneOpensTheMostTellingFailureIsKept()
        {
            var probe = new FakeProbe();
            probe.Names["dsm"] = new[] { IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6") };
            probe.Tcp[IPAddress.Parse("10.0.0.5")] = ConnectionStatus.TimedOut;
            probe.Tcp[IPAddress.Parse("10.0.0.6")] = ConnectionStatus.Refused;
            var result = await new ConnectionTester(probe).TestAsync(Request("dsm"), CancellationToken.None);
            Assert.Equal(ConnectionStatus.Refused, result.Status);
            Assert.Equal("10.0.0.6", result.RemoteAddress);
            Assert.False(result.Reachable);
        }

        [Fact]
        public async Task AnAddressLiteralNeedsNoDns()
        {
            var probe = new FakeProbe();
            var result = await new ConnectionTester(probe).TestAsync(Request("192.0.2.7"), CancellationToken.None);
            Assert.True(result.NameResolved);
            Assert.DoesNotContain(probe.Calls, c => c.StartsWith("dns"));
            Assert.Equal(new[] { "192.0.2.7" }, result.IPv4Address);
        }

        [Fact]
        public async Task AnUnresolvedNameStopsADirectTestButNotOneThroughAProxy()
        {
            var probe = new FakeProbe();
            probe.Tcp[IPAddress.Loopback] = ConnectionStatus.Open;
            var direct = await new ConnectionTester(probe).TestAsync(Request("ipv6only.example"), CancellationToken.None);
            Assert.Equal(ConnectionStatus.NameNotResolved, direct.Status);
            Assert.DoesNotContain(probe.Calls, c => c.StartsWith("tcp"));

            var viaProxy = Request("ipv6only.example");
            viaProxy.Proxy = new Uri("http://127.0.0.1:3128");
            viaProxy.ProxyCredential = new NetworkCredential("svc", "pw");
            var result = await new ConnectionTester(probe).TestAsync(viaProxy, CancellationToken.None);
            Assert.Equal(ConnectionStatus.Open, result.Status);
            Assert.False(result.NameResolved);
            Assert.Equal("http://127.0.0.1:3128", result.Proxy);
            Assert.Contains("connect ipv6only.example:4120 as svc", probe.Calls);
        }

        [Theory]
        [InlineData(407, ConnectionStatus.ProxyAuthenticationRequired)]
        [InlineData(403, ConnectionStatus.ProxyRefused)]
        [InlineData(502, ConnectionStatus.ProxyRefused)]
        public async Task TheProxysAnswerDecides(int code, ConnectionStatus status)
        {
            var probe = new FakeProbe { ProxyStatus = code };
            probe.Tcp[IPAddress.Loopback] = ConnectionStatus.Open;
            var request = Request("10.1.1.1");
            request.Proxy = new Uri("http://127.0.0.1:8080");
            var result = await new ConnectionTester(probe).TestAsync(request, CancellationToken.None);
            Assert.Equal(status, result.Status);
            Assert.False(result.Reachable);
            Assert.Contains(code.ToString(), result.Detail);
        }

        [Fact]
        public async Task AnAgentVersionAddsASecondHandshakeOfferingOnlyTheAgentsSuites()
        {
            var probe = new FakeProbe();
            probe.Tcp[IPAddress.Parse("10.0.0.9")] = ConnectionStatus.Open;
            var request = Request("10.0.0.9");
            request.Agent = DeepSecurityAgentTls.Find("10.0");
            var result = await new ConnectionTester(probe).TestAsync(request, CancellationToken.None);
            Assert.Equal(true, result.AgentTlsCompatible);
            Assert.Equal("10.0", result.AgentVersion);
            Assert.Contains("tls 10.0.0.9 " + (int)ConnectionTester.DiagnosticOffer + " -", probe.Calls);
            Assert.Contains("tls 10.0.0.9 " + (int)SslProtocols.Tls12 + " TLS_RSA_WITH_AES_256_CBC_SHA256+TLS_RSA_WITH_AES_128_CBC_SHA256", probe.Calls);
            Assert.Empty(result.Warnings);
        }

        [Fact]
        public async Task ThroughAProxyTheAgentsHandshakeGoesThroughASecondTunnel()
        {
            var probe = new FakeProbe();
            probe.Tcp[IPAddress.Loopback] = ConnectionStatus.Open;
            var request = Request("dsm.example", 4120);
            request.Proxy = new Uri("http://127.0.0.1:3128");
            request.Agent = DeepSecurityAgentTls.Find("10.0");
            var result = await new ConnectionTester(probe).TestAsync(request, CancellationToken.None);
            Assert.Equal(true, result.AgentTlsCompatible);
            Assert.Equal(2, probe.Calls.FindAll(c => c == "connect dsm.example:4120").Count);
            Assert.Contains("tls dsm.example " + (int)SslProtocols.Tls12 + " TLS_RSA_WITH_AES_256_CBC_SHA256+TLS_RSA_WITH_AES_128_CBC_SHA256", probe.Calls);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        [InlineData(-80)]
        public void PortsOutsideTheRangeAreRefused(int port)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => DiagnosticsInput.CheckPort(port, ErrorIds.ConnectionTestPortInvalid));
            Assert.Equal(port, ex.Target);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("two words")]
        [InlineData("dsm/4119")]
        public void NamesThatAreNoHostAreRefused(string name)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => DiagnosticsInput.CheckComputerName(name));
            Assert.Equal(ErrorIds.ConnectionTestComputerNameInvalid, ex.ErrorId);
        }

        [Theory]
        [InlineData("dsm01.corp.example")]
        [InlineData("localhost")]
        [InlineData("10.0.0.1")]
        [InlineData("fe80::1")]
        public void HostNamesAndAddressesPass(string name)
        {
            DiagnosticsInput.CheckComputerName(name);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(601)]
        [InlineData(double.NaN)]
        public void TimeoutsOutsideTheRangeAreRefused(double seconds)
        {
            Assert.Equal(ErrorIds.ConnectionTestTimeoutInvalid, Assert.Throws<EndpointAdminException>(() => DiagnosticsInput.CheckTimeout(seconds)).ErrorId);
        }

        [Fact]
        public void AProxyAddressWithCredentialsIsRefusedWithoutRepeatingThem()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => DiagnosticsInput.CheckProxy(new Uri("http://svc:Secr3t@proxy.example:3128")));
            Assert.Equal("proxy.example", ex.Target);
            Assert.DoesNotContain("Secr3t", ex.Message);
        }
    }
}
