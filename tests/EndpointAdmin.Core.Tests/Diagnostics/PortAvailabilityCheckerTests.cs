using System.Collections.Generic;
using System.Net;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests.Diagnostics
{
    public class PortAvailabilityCheckerTests
    {
        private sealed class FakeTable : ISocketTable
        {
            public List<LocalSocket> Sockets { get; } = new List<LocalSocket>();

            public Dictionary<long, (int, string)> Owners { get; } = new Dictionary<long, (int, string)>();

            public bool Fail { get; set; }

            public IReadOnlyList<LocalSocket> Read(Protocol protocol)
            {
                if (Fail)
                {
                    throw new System.IO.IOException("permission trouble");
                }

                return Sockets.FindAll(s => s.Protocol == protocol);
            }

            public void FindOwner(LocalSocket socket, out int? processId, out string processName)
            {
                processId = null;
                processName = null;
                if (Owners.TryGetValue(socket.Inode, out var owner))
                {
                    processId = owner.Item1;
                    processName = owner.Item2;
                }
            }
        }

        [Fact]
        public void OnlyListeningOrBoundSocketsHoldAPort()
        {
            var table = new FakeTable();
            table.Sockets.Add(new LocalSocket { Protocol = Protocol.TCP, LocalAddress = IPAddress.Loopback, LocalPort = 4343, State = "Established", Inode = 1 });
            table.Sockets.Add(new LocalSocket { Protocol = Protocol.TCP, LocalAddress = IPAddress.Loopback, LocalPort = 4343, State = "TimeWait", Inode = 0 });
            var result = Assert.Single(new PortAvailabilityChecker(table).Check(4343, Protocol.TCP));
            Assert.True(result.Available);
        }

        [Fact]
        public void EachHoldingSocketIsReportedWithItsOwnerOrWhyItIsHidden()
        {
            var table = new FakeTable();
            table.Sockets.Add(new LocalSocket { Protocol = Protocol.TCP, LocalAddress = IPAddress.Any, LocalPort = 4120, State = "Listen", Inode = 7 });
            table.Sockets.Add(new LocalSocket { Protocol = Protocol.TCP, LocalAddress = IPAddress.IPv6Any, LocalPort = 4120, State = "Listen", Inode = 8 });
            table.Sockets.Add(new LocalSocket { Protocol = Protocol.UDP, LocalAddress = IPAddress.Any, LocalPort = 4120, State = "Bound", Inode = 9 });
            table.Owners[7] = (501, "ds_agent");
            var results = new PortAvailabilityChecker(table).Check(4120, Protocol.TCP);
            Assert.Equal(2, results.Count);
            Assert.False(results[0].Available);
            Assert.Equal(501, results[0].ProcessId);
            Assert.Equal("ds_agent", results[0].ProcessName);
            Assert.Equal("0.0.0.0", results[0].LocalAddress);
            Assert.Equal("::", results[1].LocalAddress);
            Assert.Null(results[1].ProcessId);
            Assert.Contains("not visible", results[1].Detail);
        }

        [Fact]
        public void AnUnreadableTableIsAResourceError()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => new PortAvailabilityChecker(new FakeTable { Fail = true }).Check(13000, Protocol.UDP));
            Assert.Equal(ErrorIds.PortAvailabilityTableUnreadable, ex.ErrorId);
            Assert.Equal(ErrorKind.ResourceUnavailable, ex.Kind);
            Assert.Equal(13000, ex.Target);
        }
    }
}
