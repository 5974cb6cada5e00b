using System;
using System.Net;
using System.Net.Sockets;
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
}
