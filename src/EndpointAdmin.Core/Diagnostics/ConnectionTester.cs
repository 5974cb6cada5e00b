using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// Tests one target and port: resolve, connect (directly or through a proxy), and with TLS
    /// shake hands, then judge. Never throws for a network outcome; only cancellation escapes.
    /// At most one socket is open at any moment of a test.
    /// </summary>
    internal sealed class ConnectionTester
    {
        /// <summary>
        /// A diagnostic handshake offers every version, old ones included: a manager that only
        /// speaks TLS 1.0 must show up as "TLS 1.0, below 1.2" rather than as a failed handshake.
        /// (The platform's TLS library may still refuse to offer the old versions; then the
        /// handshake fails and says so.)
        /// </summary>
        internal static readonly SslProtocols DiagnosticOffer = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12
            | (Enum.IsDefined(typeof(SslProtocols), 12288) ? (SslProtocols)12288 : SslProtocols.None); // TLS 1.3 where the runtime knows it (not .NET Framework 4.7.2)

        private readonly INetworkProbe _probe;

        public ConnectionTester(INetworkProbe probe = null)
        {
            _probe = probe ?? NetworkProbe.Instance;
        }

        public async Task<ConnectionTestResult> TestAsync(ConnectionRequest request, CancellationToken cancellation)
        {
            var result = new ConnectionTestResult
            {
                ComputerName = request.ComputerName,
                Port = request.Port,
                Protocol = request.Protocol,
                Proxy = DiagnosticsInput.Display(request.Proxy),
                AgentVersion = request.Agent?.Version,
                IPv4Address = Array.Empty<string>(),
                IPv6Address = Array.Empty<string>(),
            };

            var addresses = await ResolveAsync(request.ComputerName, request.Timeout, result, cancellation).ConfigureAwait(false);
            if (request.Proxy != null)
            {
                // The proxy resolves the name itself (an IPv6-only agent may depend on that), so a
                // local DNS failure is reported but does not stop the test.
                await TestThroughProxyAsync(request, result, cancellation).ConfigureAwait(false);
            }
            else if (addresses.Count > 0)
            {
                if (request.Protocol == Protocol.UDP)
                {
                    await TestUdpAsync(request, addresses, result, cancellation).ConfigureAwait(false);
                }
                else
                {
                    await TestTcpAsync(request, addresses, result, cancellation).ConfigureAwait(false);
                }
            }

            result.Timestamp = DateTime.UtcNow;
            return result;
        }

        private async Task<IReadOnlyList<IPAddress>> ResolveAsync(string name, TimeSpan timeout, ConnectionTestResult result, CancellationToken cancellation)
        {
            IReadOnlyList<IPAddress> addresses;
            if (IPAddress.TryParse(name, out var literal))
            {
                addresses = new[] { literal };
            }
            else
            {
                var dns = await _probe.ResolveAsync(name, timeout, cancellation).ConfigureAwait(false);
                addresses = dns.Addresses;
                if (addresses.Count == 0)
                {
                    result.NameResolved = false;
                    result.Status = ConnectionStatus.NameNotResolved;
                    result.Detail = dns.Failure;
                    return addresses;
                }
            }

            result.NameResolved = true;
            result.IPv4Address = addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.ToString()).Distinct().ToArray();
            result.IPv6Address = addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Select(a => a.ToString()).Distinct().ToArray();
            return addresses;
        }

        private async Task TestTcpAsync(ConnectionRequest request, IReadOnlyList<IPAddress> addresses, ConnectionTestResult result, CancellationToken cancellation)
        {
            // Every address in turn until one opens, as a client falls back from AAAA to A; the
            // most telling failure is kept when none does.
            TcpOutcome best = null;
            IPEndPoint bestEndpoint = null;
            foreach (var address in addresses)
            {
                var endpoint = new IPEndPoint(address, request.Port);
                var outcome = await _probe.ConnectTcpAsync(endpoint, request.Timeout, cancellation).ConfigureAwait(false);
                if (best == null || Rank(outcome.Status) < Rank(best.Status))
                {
                    best?.Socket?.Dispose();
                    best = outcome;
                    bestEndpoint = endpoint;
                }

                if (outcome.Status == ConnectionStatus.Open)
                {
                    break;
                }
            }

            result.RemoteAddress = bestEndpoint.Address.ToString();
            result.Status = best.Status;
            result.Detail = best.Detail;
            if (best.Status != ConnectionStatus.Open)
            {
                return;
            }

            result.LatencyMs = Math.Round(best.Elapsed.TotalMilliseconds, 2);
            using (var socket = best.Socket)
            using (var stream = new NetworkStream(socket, true))
            {
                await HandshakeOrReachAsync(stream, request, result, cancellation).ConfigureAwait(false);
            }

            if (request.Agent != null && result.Reachable)
            {
                await CheckAgentAsync(request, bestEndpoint, result, cancellation).ConfigureAwait(false);
            }
        }

        private async Task CheckAgentAsync(ConnectionRequest request, IPEndPoint endpoint, ConnectionTestResult result, CancellationToken cancellation)
        {
            var agent = request.Agent;
            var tcp = await _probe.ConnectTcpAsync(endpoint, request.Timeout, cancellation).ConfigureAwait(false);
            AgentTlsVerdict verdict;
            if (tcp.Status != ConnectionStatus.Open)
            {
                verdict = new AgentTlsVerdict(null, "The second connection, for the agent's handshake, failed: " + tcp.Detail);
            }
            else
            {
                using (var socket = tcp.Socket)
                using (var stream = new NetworkStream(socket, true))
                {
                    var tls = await _probe.HandshakeTlsAsync(stream, request.ComputerName, agent.Protocol, agent.CipherSuites, request.Timeout, cancellation).ConfigureAwait(false);
                    verdict = agent.Judge(tls.Succeeded, tls.Protocol, tls.CipherSuite, tls.CiphersRestricted, tls.Failure);
                }
            }

            ApplyVerdict(verdict, result);
        }

        /// <summary>The agent's handshake through a fresh tunnel, as the agent itself would come through the proxy.</summary>
        private async Task CheckAgentThroughProxyAsync(ConnectionRequest request, IPEndPoint proxy, ConnectionTestResult result, CancellationToken cancellation)
        {
            var agent = request.Agent;
            AgentTlsVerdict verdict;
            var tcp = await _probe.ConnectTcpAsync(proxy, request.Timeout, cancellation).ConfigureAwait(false);
            if (tcp.Status != ConnectionStatus.Open)
            {
                verdict = new AgentTlsVerdict(null, "The second connection to the proxy, for the agent's handshake, failed: " + tcp.Detail);
            }
            else
            {
                using (var socket = tcp.Socket)
                using (var stream = new NetworkStream(socket, true))
                {
                    var answer = await _probe.ConnectThroughProxyAsync(stream, request.ComputerName, request.Port, request.ProxyCredential, request.Timeout, cancellation).ConfigureAwait(false);
                    if (answer.Failure != null || answer.StatusCode < 200 || answer.StatusCode > 299)
                    {
                        verdict = new AgentTlsVerdict(null, "The proxy did not open a second tunnel for the agent's handshake: " + (answer.Failure ?? answer.StatusLine));
                    }
                    else
                    {
                        var tls = await _probe.HandshakeTlsAsync(stream, request.ComputerName, agent.Protocol, agent.CipherSuites, request.Timeout, cancellation).ConfigureAwait(false);
                        verdict = agent.Judge(tls.Succeeded, tls.Protocol, tls.CipherSuite, tls.CiphersRestricted, tls.Failure);
                    }
                }
            }

            ApplyVerdict(verdict, result);
        }

        private static void ApplyVerdict(AgentTlsVerdict verdict, ConnectionTestResult result)
        {
            result.AgentTlsCompatible = verdict.Compatible;
            if (verdict.Compatible != true)
            {
                result.Warnings.Add(verdict.Detail);
            }

            result.Detail = Join(result.Detail, verdict.Detail);
        }

        private async Task TestThroughProxyAsync(ConnectionRequest request, ConnectionTestResult result, CancellationToken cancellation)
        {
            var proxyName = request.Proxy.DnsSafeHost;
            IReadOnlyList<IPAddress> proxyAddresses;
            if (IPAddress.TryParse(proxyName, out var literal))
            {
                proxyAddresses = new[] { literal };
            }
            else
            {
                var dns = await _probe.ResolveAsync(proxyName, request.Timeout, cancellation).ConfigureAwait(false);
                proxyAddresses = dns.Addresses;
                if (proxyAddresses.Count == 0)
                {
                    SetProxyFailure(result, ConnectionStatus.ProxyRefused, "The proxy " + result.Proxy + " cannot be resolved: " + dns.Failure);
                    return;
                }
            }

            TcpOutcome tcp = null;
            IPEndPoint proxyEndpoint = null;
            foreach (var address in proxyAddresses)
            {
                proxyEndpoint = new IPEndPoint(address, request.Proxy.Port);
                tcp = await _probe.ConnectTcpAsync(proxyEndpoint, request.Timeout, cancellation).ConfigureAwait(false);
                result.RemoteAddress = address.ToString();
                if (tcp.Status == ConnectionStatus.Open)
                {
                    break;
                }
            }

            if (tcp.Status != ConnectionStatus.Open)
            {
                SetProxyFailure(result, ConnectionStatus.ProxyRefused, "The proxy " + result.Proxy + " could not be reached: " + tcp.Detail);
                return;
            }

            using (var socket = tcp.Socket)
            using (var stream = new NetworkStream(socket, true))
            {
                var answer = await _probe.ConnectThroughProxyAsync(stream, request.ComputerName, request.Port, request.ProxyCredential, request.Timeout, cancellation).ConfigureAwait(false);
                if (answer.Failure != null)
                {
                    SetProxyFailure(result, ConnectionStatus.ProxyRefused, answer.Failure);
                    return;
                }

                if (answer.StatusCode == 407)
                {
                    SetProxyFailure(result, ConnectionStatus.ProxyAuthenticationRequired, request.ProxyCredential == null
                        ? "The proxy " + result.Proxy + " needs credentials (407 Proxy Authentication Required): give them with -ProxyCredential."
                        : "The proxy " + result.Proxy + " rejected the credentials given with -ProxyCredential (407 Proxy Authentication Required).");
                    return;
                }

                if (answer.StatusCode < 200 || answer.StatusCode > 299)
                {
                    SetProxyFailure(result, ConnectionStatus.ProxyRefused, "The proxy " + result.Proxy + " refused CONNECT " + request.ComputerName + ":" + request.Port.ToString(CultureInfo.InvariantCulture) + ": " + answer.StatusLine + (answer.StatusCode == 502 || answer.StatusCode == 503 || answer.StatusCode == 504 ? " (it could not reach the target)." : "."));
                    return;
                }

                result.Status = ConnectionStatus.Open;
                result.LatencyMs = Math.Round(tcp.Elapsed.TotalMilliseconds + answer.Elapsed.TotalMilliseconds, 2);
                result.Detail = "Tunnel opened through " + result.Proxy + ".";
                await HandshakeOrReachAsync(stream, request, result, cancellation).ConfigureAwait(false);
            }

            if (request.Agent != null && result.Reachable)
            {
                await CheckAgentThroughProxyAsync(request, proxyEndpoint, result, cancellation).ConfigureAwait(false);
            }
        }

        private async Task TestUdpAsync(ConnectionRequest request, IReadOnlyList<IPAddress> addresses, ConnectionTestResult result, CancellationToken cancellation)
        {
            UdpOutcome best = null;
            IPAddress bestAddress = null;
            foreach (var address in addresses)
            {
                var outcome = await _probe.ProbeUdpAsync(new IPEndPoint(address, request.Port), request.Timeout, cancellation).ConfigureAwait(false);
                if (best == null || Rank(outcome.Status) < Rank(best.Status))
                {
                    best = outcome;
                    bestAddress = address;
                }

                if (outcome.Status == ConnectionStatus.Open)
                {
                    break;
                }
            }

            result.RemoteAddress = bestAddress.ToString();
            result.Status = best.Status;
            result.Detail = best.Detail;
            result.Reachable = best.Status == ConnectionStatus.Open;
            if (result.Reachable)
            {
                result.LatencyMs = Math.Round(best.Elapsed.TotalMilliseconds, 2);
            }
        }

        /// <summary>On an open path (direct or tunnelled): the diagnostic TLS handshake when one is wanted, else the port simply answers.</summary>
        private async Task HandshakeOrReachAsync(Stream stream, ConnectionRequest request, ConnectionTestResult result, CancellationToken cancellation)
        {
            if (request.Tls || request.Agent != null)
            {
                var tls = await _probe.HandshakeTlsAsync(stream, request.ComputerName, DiagnosticOffer, null, request.Timeout, cancellation).ConfigureAwait(false);
                ApplyTls(tls, result);
            }
            else
            {
                result.Reachable = true;
            }
        }

        private static void ApplyTls(TlsOutcome tls, ConnectionTestResult result)
        {
            result.CertificateSubject = tls.CertificateSubject;
            result.CertificateIssuer = tls.CertificateIssuer;
            result.CertificateThumbprint = tls.CertificateThumbprint;
            result.CertificateNotAfter = tls.CertificateNotAfter;
            result.CertificateValid = tls.CertificateValid;
            result.CertificateErrors = tls.CertificateErrors;
            if (!tls.Succeeded)
            {
                result.Status = ConnectionStatus.TlsFailed;
                result.Reachable = false;
                result.Detail = Join(result.Detail, "The TCP connection opened but the TLS handshake failed: " + tls.Failure);
                return;
            }

            result.Reachable = true;
            result.TlsProtocol = tls.Protocol.ToString();
            result.CipherSuite = tls.CipherSuite;
            if (DeepSecurityAgentTls.IsBelowTls12(tls.Protocol))
            {
                result.Warnings.Add(result.ComputerName + ":" + result.Port.ToString(CultureInfo.InvariantCulture) + " negotiated " + DeepSecurityAgentTls.ProtocolName(tls.Protocol) + ", below TLS 1.2.");
            }

            if (tls.CertificateValid == false)
            {
                result.Warnings.Add(result.ComputerName + ":" + result.Port.ToString(CultureInfo.InvariantCulture) + " presented a certificate that is not valid here (" + tls.CertificateErrors + "): " + tls.CertificateSubject + ", issued by " + tls.CertificateIssuer + ".");
            }
        }

        private static void SetProxyFailure(ConnectionTestResult result, ConnectionStatus status, string detail)
        {
            result.Status = status;
            result.Reachable = false;
            result.Detail = Join(result.NameResolved ? null : result.Detail, detail);
        }

        /// <summary>Lower is better: which outcome of several addresses to report.</summary>
        private static int Rank(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.Open: return 0;
                case ConnectionStatus.OpenOrFiltered: return 1;
                case ConnectionStatus.Refused: return 2;
                case ConnectionStatus.Closed: return 2;
                case ConnectionStatus.TimedOut: return 3;
                default: return 4;
            }
        }

        private static string Join(string first, string second)
        {
            if (string.IsNullOrEmpty(first))
            {
                return second;
            }

            return string.IsNullOrEmpty(second) ? first : first + " " + second;
        }
    }
}
