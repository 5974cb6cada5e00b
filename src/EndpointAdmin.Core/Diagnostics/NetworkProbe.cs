using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// The real probes, on plain sockets. netstandard2.0 has no cancellable connect or DNS call, so
    /// every wait races a timer and the caller's token, and the loser's socket is disposed: that
    /// is what makes a timeout or Ctrl+C take effect at once.
    /// </summary>
    internal sealed class NetworkProbe : INetworkProbe
    {
        public static readonly NetworkProbe Instance = new NetworkProbe();

        private const int MaxProxyHeaderBytes = 16384;

        public async Task<DnsOutcome> ResolveAsync(string name, TimeSpan timeout, CancellationToken cancellation)
        {
            var lookup = Dns.GetHostAddressesAsync(name);
            if (!await CompletesWithin(lookup, timeout, cancellation).ConfigureAwait(false))
            {
                Observe(lookup);
                cancellation.ThrowIfCancellationRequested();
                return new DnsOutcome { Failure = "DNS did not answer for '" + name + "' within " + Seconds(timeout) + "." };
            }

            try
            {
                var addresses = await lookup.ConfigureAwait(false);
                if (addresses.Length == 0)
                {
                    return new DnsOutcome { Failure = "DNS has no A or AAAA record for '" + name + "'." };
                }

                return new DnsOutcome { Addresses = addresses };
            }
            catch (SocketException ex)
            {
                return new DnsOutcome { Failure = "DNS could not resolve '" + name + "': " + ex.Message + " (" + ex.SocketErrorCode + ")." };
            }
            catch (ArgumentException ex)
            {
                return new DnsOutcome { Failure = "'" + name + "' cannot be looked up: " + ex.Message };
            }
        }

        public async Task<TcpOutcome> ConnectTcpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var watch = Stopwatch.StartNew();
            try
            {
                var connect = socket.ConnectAsync(endpoint);
                if (!await CompletesWithin(connect, timeout, cancellation).ConfigureAwait(false))
                {
                    socket.Dispose();
                    Observe(connect);
                    cancellation.ThrowIfCancellationRequested();
                    await Settle(connect).ConfigureAwait(false);
                    return new TcpOutcome { Status = ConnectionStatus.TimedOut, Elapsed = watch.Elapsed, Detail = "No answer from " + Format(endpoint) + " within " + Seconds(timeout) + " (packets dropped, or the host is down)." };
                }

                await connect.ConfigureAwait(false);
                return new TcpOutcome { Status = ConnectionStatus.Open, Socket = socket, Elapsed = watch.Elapsed };
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                var status = Classify(ex.SocketErrorCode);
                return new TcpOutcome { Status = status, Elapsed = watch.Elapsed, Detail = Describe(status, endpoint, ex) };
            }
            catch (Exception)
            {
                socket.Dispose();
                throw;
            }
        }

        public async Task<UdpOutcome> ProbeUdpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation)
        {
            var watch = Stopwatch.StartNew();
            using (var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
            {
                try
                {
                    // A connected UDP socket is told about the ICMP port-unreachable that answers a
                    // datagram sent to a closed port: that is the only "closed" UDP can prove.
                    socket.Connect(endpoint);
                    await socket.SendAsync(new ArraySegment<byte>(Array.Empty<byte>()), SocketFlags.None).ConfigureAwait(false);
                    var buffer = new byte[1500];
                    var receive = socket.ReceiveAsync(new ArraySegment<byte>(buffer), SocketFlags.None);
                    if (!await CompletesWithin(receive, timeout, cancellation).ConfigureAwait(false))
                    {
                        socket.Dispose();
                        Observe(receive);
                        cancellation.ThrowIfCancellationRequested();
                        await Settle(receive).ConfigureAwait(false);
                        return new UdpOutcome { Status = ConnectionStatus.OpenOrFiltered, Elapsed = watch.Elapsed, Detail = "No answer and no ICMP error from " + Format(endpoint) + " within " + Seconds(timeout) + ": a listener that does not reply and a firewall that drops look the same over UDP." };
                    }

                    await receive.ConfigureAwait(false);
                    return new UdpOutcome { Status = ConnectionStatus.Open, Elapsed = watch.Elapsed, Detail = "The port answered." };
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused || ex.SocketErrorCode == SocketError.ConnectionReset)
                {
                    return new UdpOutcome { Status = ConnectionStatus.Closed, Elapsed = watch.Elapsed, Detail = "ICMP port unreachable from " + Format(endpoint) + ": nothing listens on this UDP port." };
                }
                catch (SocketException ex)
                {
                    var status = Classify(ex.SocketErrorCode);
                    return new UdpOutcome { Status = status, Elapsed = watch.Elapsed, Detail = Describe(status, endpoint, ex) };
                }
            }
        }

        public async Task<TlsOutcome> HandshakeTlsAsync(Stream stream, string targetHost, SslProtocols protocols, IReadOnlyList<string> cipherSuites, TimeSpan timeout, CancellationToken cancellation)
        {
            var outcome = new TlsOutcome();
            bool Validate(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
            {
                // The handshake always goes on: the certificate's faults are part of the report.
                Inspect(outcome, certificate, chain, errors);
                return true;
            }

            var ssl = new SslStream(stream, true, Validate);
            try
            {
                var handshake = TlsDetails.AuthenticateAsClientAsync(ssl, targetHost, protocols, cipherSuites, out var restricted);
                outcome.CiphersRestricted = restricted;
                if (!await CompletesWithin(handshake, timeout, cancellation).ConfigureAwait(false))
                {
                    ssl.Dispose();
                    stream.Dispose();
                    Observe(handshake);
                    cancellation.ThrowIfCancellationRequested();
                    outcome.Failure = "The TLS handshake did not finish within " + Seconds(timeout) + ".";
                    return outcome;
                }

                await handshake.ConfigureAwait(false);
                outcome.Succeeded = true;
                outcome.Protocol = ssl.SslProtocol;
                outcome.CipherSuite = TlsDetails.NegotiatedCipherSuite(ssl);
                return outcome;
            }
            catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is SocketException || ex is PlatformNotSupportedException || ex is System.ComponentModel.Win32Exception)
            {
                outcome.Failure = Flatten(ex);
                return outcome;
            }
            finally
            {
                ssl.Dispose();
            }
        }

        public async Task<ProxyOutcome> ConnectThroughProxyAsync(Stream proxyStream, string host, int port, NetworkCredential credential, TimeSpan timeout, CancellationToken cancellation)
        {
            var watch = Stopwatch.StartNew();
            var authority = (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + host + "]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);
            var request = new StringBuilder()
                .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
                .Append("Host: ").Append(authority).Append("\r\n");
            if (credential != null)
            {
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password));
                request.Append("Proxy-Authorization: Basic ").Append(token).Append("\r\n");
            }

            request.Append("\r\n");
            var exchange = ExchangeAsync(proxyStream, Encoding.ASCII.GetBytes(request.ToString()));
            if (!await CompletesWithin(exchange, timeout, cancellation).ConfigureAwait(false))
            {
                proxyStream.Dispose();
                Observe(exchange);
                cancellation.ThrowIfCancellationRequested();
                return new ProxyOutcome { Elapsed = watch.Elapsed, Failure = "The proxy did not answer the CONNECT within " + Seconds(timeout) + "." };
            }

            try
            {
                var statusLine = await exchange.ConfigureAwait(false);
                var parts = statusLine.Split(new[] { ' ' }, 3);
                if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    return new ProxyOutcome { Elapsed = watch.Elapsed, StatusLine = statusLine, Failure = "The proxy's answer is not HTTP: '" + Truncate(statusLine) + "'." };
                }

                return new ProxyOutcome { StatusCode = code, StatusLine = statusLine, Elapsed = watch.Elapsed };
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
            {
                return new ProxyOutcome { Elapsed = watch.Elapsed, Failure = "The proxy closed the connection during CONNECT: " + Flatten(ex) };
            }
        }

        /// <summary>Writes the request and reads the answer's head up to the blank line, returning its status line.</summary>
        private static async Task<string> ExchangeAsync(Stream stream, byte[] request)
        {
            await stream.WriteAsync(request, 0, request.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);

            // Byte by byte on purpose: after "200" the same stream carries the tunnelled bytes
            // (the TLS handshake), so nothing past the blank line may be consumed here.
            var head = new List<byte>(256);
            var one = new byte[1];
            while (head.Count < MaxProxyHeaderBytes)
            {
                int read = await stream.ReadAsync(one, 0, 1).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("end of stream after " + head.Count + " byte(s)");
                }

                head.Add(one[0]);
                int n = head.Count;
                if (n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n')
                {
                    break;
                }
            }

            var text = Encoding.ASCII.GetString(head.ToArray());
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            return end < 0 ? text : text.Substring(0, end);
        }

        private static void Inspect(TlsOutcome outcome, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (certificate == null)
            {
                outcome.CertificateValid = false;
                outcome.CertificateErrors = "The target sent no certificate.";
                return;
            }

            var cert = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            outcome.CertificateSubject = cert.Subject;
            outcome.CertificateIssuer = cert.Issuer;
            outcome.CertificateThumbprint = cert.Thumbprint;
            outcome.CertificateNotAfter = cert.NotAfter.ToUniversalTime();
            var problems = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                problems.Add("NameMismatch");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                problems.Add("NotAvailable");
            }

            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && chain != null)
            {
                problems.AddRange(chain.ChainStatus.Select(s => s.Status.ToString()).Where(s => s != "NoError"));
            }

            var now = DateTime.UtcNow;
            if (cert.NotAfter.ToUniversalTime() < now && !problems.Contains("NotTimeValid"))
            {
                problems.Add("NotTimeValid");
            }

            var distinct = problems.Distinct().ToList();
            outcome.CertificateValid = errors == SslPolicyErrors.None && distinct.Count == 0;
            outcome.CertificateErrors = distinct.Count == 0 ? null : string.Join(", ", distinct);
        }

        /// <summary>True when the task finished first; false on timeout or cancellation (the caller tells them apart by the token).</summary>
        internal static async Task<bool> CompletesWithin(Task task, TimeSpan timeout, CancellationToken cancellation)
        {
            if (task.IsCompleted)
            {
                return true;
            }

            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                var delay = Task.Delay(timeout, timer.Token);
                var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
                timer.Cancel();
                return first == task;
            }
        }

        /// <summary>
        /// Waits (briefly) for an aborted socket operation to unwind: the runtime closes the
        /// descriptor only then, and the throttle slot must not be handed on while the socket
        /// still exists, or more than ThrottleLimit sockets would be open at once.
        /// </summary>
        private static Task Settle(Task aborted)
        {
            return Task.WhenAny(aborted, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        /// <summary>Marks an abandoned task's eventual fault as seen, so it never surfaces as an unobserved exception.</summary>
        private static void Observe(Task task)
        {
            task.ContinueWith(t => GC.KeepAlive(t.Exception), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        internal static ConnectionStatus Classify(SocketError error)
        {
            switch (error)
            {
                case SocketError.ConnectionRefused:
                case SocketError.ConnectionReset:
                    return ConnectionStatus.Refused;
                case SocketError.TimedOut:
                case SocketError.TryAgain:
                    return ConnectionStatus.TimedOut;
                default:
                    return ConnectionStatus.Unreachable;
            }
        }

        private static string Describe(ConnectionStatus status, IPEndPoint endpoint, SocketException ex)
        {
            switch (status)
            {
                case ConnectionStatus.Refused:
                    return Format(endpoint) + " refused the connection: nothing listens on the port, or a firewall rejects it.";
                case ConnectionStatus.TimedOut:
                    return "No answer from " + Format(endpoint) + " (" + ex.SocketErrorCode + ").";
                default:
                    return Format(endpoint) + " is unreachable: " + ex.Message + " (" + ex.SocketErrorCode + ").";
            }
        }

        internal static string Format(IPEndPoint endpoint)
        {
            return (endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + endpoint.Address + "]" : endpoint.Address.ToString()) + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
        }

        internal static string Seconds(TimeSpan timeout)
        {
            return timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
        }

        private static string Flatten(Exception ex)
        {
            var messages = new List<string>();
            for (var e = ex; e != null && messages.Count < 4; e = e.InnerException)
            {
                if (!messages.Contains(e.Message))
                {
                    messages.Add(e.Message);
                }
            }

            return string.Join(" ", messages);
        }

        private static string Truncate(string text)
        {
            return text.Length <= 80 ? text : text.Substring(0, 80) + "...";
        }
    }
}
