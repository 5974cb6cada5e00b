using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Simulators
{
    /// <summary>
    /// A minimal HTTP CONNECT proxy on 127.0.0.1 for tests: it records each CONNECT (target and
    /// whether Proxy-Authorization came with it), can demand Basic credentials (407), and tunnels
    /// the bytes both ways. It only connects to 127.0.0.1.
    /// </summary>
    public sealed class ConnectProxy : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _connects = new ConcurrentQueue<string>();

        public ConnectProxy(string requiredBasicCredential = null)
        {
            RequiredCredential = requiredBasicCredential == null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(requiredBasicCredential));
            _listener.Start();
            _ = Task.Run(AcceptLoop);
        }

        /// <summary>http://127.0.0.1:port</summary>
        public string Uri => "http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Base64 of "user:password" that a tunnel needs, or null for none.</summary>
        public string RequiredCredential { get; }

        /// <summary>Each tunnel opened: "host:port" and " (authenticated)" when credentials came.</summary>
        public IReadOnlyCollection<string> Connects => _connects.ToArray();

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException)
                {
                    return;
                }

                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var head = await ReadHead(stream);
                if (head == null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var credential = Array.Find(lines, l => l.StartsWith("Proxy-Authorization: Basic ", StringComparison.OrdinalIgnoreCase))?.Substring("Proxy-Authorization: Basic ".Length).Trim();
                if (parts.Length < 2 || parts[0] != "CONNECT" || !parts[1].StartsWith("127.0.0.1:", StringComparison.Ordinal))
                {
                    await Reply(stream, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    return;
                }

                if (RequiredCredential != null && credential != RequiredCredential)
                {
                    await Reply(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
                    return;
                }

                _connects.Enqueue(parts[1] + (credential != null ? " (authenticated)" : string.Empty));
                using var target = new TcpClient();
                await target.ConnectAsync(IPAddress.Loopback, int.Parse(parts[1].Substring(10), System.Globalization.CultureInfo.InvariantCulture));
                await Reply(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
                var upstream = target.GetStream();
                await Task.WhenAny(stream.CopyToAsync(upstream, _stop.Token), upstream.CopyToAsync(stream, _stop.Token));
            }
        }

        private static async Task Reply(Stream stream, string text)
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            await stream.WriteAsync(bytes);
        }

        private static async Task<string> ReadHead(Stream stream)
        {
            var buffer = new List<byte>(512);
            var one = new byte[1];
            while (buffer.Count < 16384)
            {
                if (await stream.ReadAsync(one) == 0)
                {
                    return null;
                }

                buffer.Add(one[0]);
                var n = buffer.Count;
                if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n')
                {
                    return Encoding.ASCII.GetString(buffer.ToArray());
                }
            }

            return null;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
