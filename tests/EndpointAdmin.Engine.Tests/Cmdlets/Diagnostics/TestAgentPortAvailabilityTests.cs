using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>Test-AgentPortAvailability through the real engine, with ports this test process holds.</summary>
    public sealed class TestAgentPortAvailabilityTests : IClassFixture<EngineFixture>
    {
        private const string Cmd = "TestAgentPortAvailabilityCommand";
        private readonly EngineFixture _ps;

        public TestAgentPortAvailabilityTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        [Fact]
        public void APortThisProcessListensOnIsInUseByThisProcess()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var row = Assert.Single(Succeeded(_ps.Run("Test-AgentPortAvailability -Port $args[0]", port)));
                Assert.Equal("EndpointAdmin.PortAvailability", row.TypeNames[0]);
                Assert.False((bool)Prop(row, "Available"));
                Assert.Equal(port, (int)Prop(row, "Port"));
                Assert.Equal("TCP", Text(row, "Protocol"));
                Assert.Equal("127.0.0.1", Text(row, "LocalAddress"));
                Assert.Equal("Listen", Text(row, "State"));
                Assert.Equal(Environment.ProcessId, (int)Prop(row, "ProcessId"));
                Assert.False(string.IsNullOrEmpty(Text(row, "ProcessName")));
                Assert.Contains("(process " + Environment.ProcessId + ")", Text(row, "Detail"));
            }
            finally
            {
                listener.Stop();
            }
        }

        [Fact]
        public void AUdpPortThisProcessHoldsIsInUseAndTheSamePortIsFreeOverTcp()
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint).Port;
            var rows = Succeeded(_ps.Run("Test-AgentPortAvailability $args[0] -Protocol UDP; Test-AgentPortAvailability $args[0] -Protocol TCP", port));
            Assert.Equal(2, rows.Count);
            var held = rows[0];
            Assert.Equal("UDP", Text(held, "Protocol"));
            Assert.False((bool)Prop(held, "Available"));
            Assert.Equal("::1", Text(held, "LocalAddress"));
            Assert.Equal("Bound", Text(held, "State"));
            Assert.Equal(Environment.ProcessId, (int)Prop(held, "ProcessId"));
            Assert.Equal("TCP", Text(rows[1], "Protocol"));
            Assert.True((bool)Prop(rows[1], "Available"));
            Assert.Null(Prop(rows[1], "ProcessId"));
        }

        [Fact]
        public void AReleasedPortIsAvailable()
        {
            var port = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var row = Assert.Single(Succeeded(_ps.Run("Test-AgentPortAvailability $args[0]", port)));
            Assert.True((bool)Prop(row, "Available"));
            Assert.Null(Text(row, "LocalAddress"));
        }

        [Fact]
        public void TheCatalogPipesInAndEachPortIsCheckedOnce()
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product ApexOne -Direction Inbound | Test-AgentPortAvailability"));
            var expected = Succeeded(_ps.Run("Get-AgentPortRequirement -Product ApexOne -Direction Inbound")).Select(r => Text(r, "Protocol") + "/" + Text(r, "Port")).Distinct().OrderBy(s => s);
            Assert.Equal(expected, rows.Select(r => Text(r, "Protocol") + "/" + Text(r, "Port")).Distinct().OrderBy(s => s));
            Assert.Equal(new[] { "TCP/4343", "TCP/61617" }, expected.ToArray());
        }

        [Fact]
        public void ObjectsWithPortAndProtocolBindByPropertyName()
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint).Port;
            var row = Assert.Single(Succeeded(_ps.Run("[pscustomobject]@{ Port = $args[0]; Protocol = 'UDP' } | Test-AgentPortAvailability", port)));
            Assert.Equal("UDP", Text(row, "Protocol"));
            Assert.False((bool)Prop(row, "Available"));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        [InlineData(-1)]
        public void APortOutsideTheRangeIsAnErrorAndTheOthersAreStillChecked(int bad)
        {
            var good = LoopbackTcpServer.FreePort(IPAddress.Loopback);
            var result = _ps.Run("Test-AgentPortAvailability -Port $args[0], $args[1]", bad, good);
            SingleError(result, "PortAvailabilityPortInvalid", Cmd, ErrorCategory.InvalidArgument, bad);
            var row = Assert.Single(result.Output);
            Assert.Equal(good, (int)Prop(row, "Port"));
        }
    }
}
