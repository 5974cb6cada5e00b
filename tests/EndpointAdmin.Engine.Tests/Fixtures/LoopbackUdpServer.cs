using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>A UDP socket on loopback that either echoes every datagram or stays silent.</summary>
    internal sealed class LoopbackUdpServer : IDisposable
    {
        private readonly UdpClient _udp;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        private readonly ManualResetEventSlim _received = new ManualResetEventSlim();

        public LoopbackUdpServer(bool reply)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_udp.Client.LocalEndPoint).Port;
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        var datagram = await _udp.ReceiveAsync(_stop.Token);
                        _received.Set();
                        if (reply)
                        {
                            await _udp.SendAsync(Encoding.ASCII.GetBytes("pong"), datagram.RemoteEndPoint, _stop.Token);
                        }
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            });
        }

        public int Port { get; }

        /// <summary>Blocks until the first datagram has arrived (a probe is waiting for its answer now); false after <paramref name="timeout"/>.</summary>
        public bool WaitForDatagram(TimeSpan timeout) => _received.Wait(timeout);

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
        }
    }
}
