using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
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
}
