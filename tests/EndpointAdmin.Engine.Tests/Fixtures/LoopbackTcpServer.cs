using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>A TCP listener on a loopback port that accepts and hands each connection to a handler.</summary>
    internal class LoopbackTcpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Func<TcpClient, CancellationToken, Task> _handler;
        private int _accepted;

        public LoopbackTcpServer(IPAddress address, Func<TcpClient, CancellationToken, Task> handler = null)
        {
            _handler = handler ?? ((client, _) => { client.Dispose(); return Task.CompletedTask; });
            _listener = new TcpListener(address, 0);
            _listener.Start(512);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptLoop();
        }

        public int Port { get; }

        public int Accepted => Volatile.Read(ref _accepted);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await _handler(client, _stop.Token);
                    }
                    catch (Exception)
                    {
                        // A client that hangs up mid-handshake is part of the tests.
                    }
                    finally
                    {
                        client.Dispose();
                    }
                });
            }
        }

        public virtual void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        /// <summary>A loopback port nothing listens on (bound once to pick it, then released).</summary>
        public static int FreePort(IPAddress address, SocketType type = SocketType.Stream)
        {
            using var socket = new Socket(address.AddressFamily, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return ((IPEndPoint)socket.LocalEndPoint).Port;
        }
    }

    /// <summary>A TLS server on loopback offering only the given protocol versions (and cipher suites: Linux and macOS only, as .NET allows).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal sealed class LoopbackTlsServer : LoopbackTcpServer
    {
        public LoopbackTlsServer(X509Certificate2 certificate, SslProtocols protocols, TlsCipherSuite[] cipherSuites = null)
            : base(IPAddress.Loopback, async (client, token) =>
            {
                using var ssl = new SslStream(client.GetStream(), false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = protocols,
                    ClientCertificateRequired = false,
                    CipherSuitesPolicy = cipherSuites == null ? null : new CipherSuitesPolicy(cipherSuites),
                }, token);
                // Hold the connection until the client hangs up.
                var buffer = new byte[256];
                while (await ssl.ReadAsync(buffer, token) > 0)
                {
                }
            })
        {
        }
    }

    /// <summary>
    /// A small HTTP CONNECT proxy on loopback: optionally demands Basic credentials (407), opens
    /// the tunnel to loopback targets only, answers 502 when the target does not accept.
    /// </summary>
    internal sealed class LoopbackConnectProxy : LoopbackTcpServer
    {
        public LoopbackConnectProxy(string user = null, string password = null)
            : base(IPAddress.Loopback, (client, token) => Handle(client, user, password, token))
        {
        }

        private static async Task Handle(TcpClient client, string user, string password, CancellationToken token)
        {
            var stream = client.GetStream();
            var head = await ReadHead(stream, token);
            var lines = head.Split("\r\n");
            var target = lines[0].Split(' ')[1];
            if (user != null)
            {
                var expected = "Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
                if (Array.IndexOf(lines, expected) < 0)
                {
                    await Answer(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n", token);
                    return;
                }
            }

            var colon = target.LastIndexOf(':');
            var host = target.Substring(0, colon).Trim('[', ']');
            var port = int.Parse(target.Substring(colon + 1));
            if (host != "localhost" && !IPAddress.IsLoopback(IPAddress.Parse(host)))
            {
                await Answer(stream, "HTTP/1.1 403 Forbidden\r\n\r\n", token);
                return;
            }

            using var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host), port, token);
            }
            catch (SocketException)
            {
                await Answer(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", token);
                return;
            }

            await Answer(stream, "HTTP/1.1 200 Connection established\r\n\r\n", token);
            var up = upstream.GetStream();
            await Task.WhenAny(stream.CopyToAsync(up, token), up.CopyToAsync(stream, token));
        }

        private static async Task<string> ReadHead(NetworkStream stream, CancellationToken token)
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (bytes.Count < 8192 && await stream.ReadAsync(one, token) == 1)
            {
                bytes.Add(one[0]);
                var n = bytes.Count;
                if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                {
                    break;
                }
            }

            return Encoding.ASCII.GetString(bytes.ToArray());
        }

        private static async Task Answer(NetworkStream stream, string text, CancellationToken token)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            await stream.WriteAsync(bytes, token);
        }
    }

    /// <summary>A UDP socket on loopback that either echoes every datagram or stays silent.</summary>
    internal sealed class LoopbackUdpServer : IDisposable
    {
        private readonly UdpClient _udp;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public LoopbackUdpServer(bool reply)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_udp.Client.LocalEndPoint).Port;
            if (reply)
            {
                _ = Task.Run(async () =>
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        try
                        {
                            var datagram = await _udp.ReceiveAsync(_stop.Token);
                            await _udp.SendAsync(Encoding.ASCII.GetBytes("pong"), datagram.RemoteEndPoint, _stop.Token);
                        }
                        catch (Exception)
                        {
                            return;
                        }
                    }
                });
            }
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
        }
    }

    /// <summary>Certificates made for the tests with CertificateRequest: a self-signed one for localhost, and an expired one.</summary>
    internal static class TestCertificates
    {
        public static X509Certificate2 SelfSigned(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            using var cert = request.CreateSelfSigned(notBefore, notAfter);
            // Round-trip through PFX so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        }

        public static X509Certificate2 Current(string subject) => SelfSigned(subject, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        public static X509Certificate2 Expired(string subject) => SelfSigned(subject, DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-30));
    }
}
