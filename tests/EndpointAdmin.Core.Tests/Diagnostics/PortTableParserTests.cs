using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using EndpointAdmin.Diagnostics;
using Xunit;

namespace EndpointAdmin.Core.Tests.Diagnostics
{
    /// <summary>The socket tables: /proc/net text from a Linux machine, and the byte layout GetExtendedTcpTable/GetExtendedUdpTable fill on Windows.</summary>
    public class PortTableParserTests
    {
        private const string ProcTcp =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n" +
            "   1: 00000000:10F7 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22222 1 0000000000000000 100 0 0 10 0\n" +
            "   2: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 23456 1 0000000000000000 20 4 30 10 -1\n" +
            "   3: 0100007F:A000 0100007F:1F90 06 00000000:00000000 03:00000F9E 00000000     0        0 0 3 0000000000000000\n";

        private const string ProcTcp6 =
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
            "   0: 00000000000000000000000001000000:10E1 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 34567 1 0000000000000000 100 0 0 10 0\n" +
            "   1: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 45678 1 0000000000000000 100 0 0 10 0\n";

        private const string ProcUdp =
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
            "  120: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 9876 2 0000000000000000 0\n";

        [Fact]
        public void ProcNetTcpGivesAddressesPortsStatesAndInodes()
        {
            var sockets = ProcNetParser.Parse(ProcTcp, Protocol.TCP);
            Assert.Equal(4, sockets.Count);
            Assert.Equal(IPAddress.Parse("127.0.0.1"), sockets[0].LocalAddress);
            Assert.Equal(8080, sockets[0].LocalPort);
            Assert.Equal("Listen", sockets[0].State);
            Assert.Equal(12345, sockets[0].Inode);
            Assert.Equal(IPAddress.Any, sockets[1].LocalAddress);
            Assert.Equal(4343, sockets[1].LocalPort);
            Assert.Equal("Established", sockets[2].State);
            Assert.Equal("TimeWait", sockets[3].State);
            Assert.Equal(new[] { true, true, false, false }, sockets.Select(s => s.HoldsPort).ToArray());
        }

        [Fact]
        public void ProcNetTcp6GivesIPv6AndMappedAddresses()
        {
            var sockets = ProcNetParser.Parse(ProcTcp6, Protocol.TCP);
            Assert.Equal(IPAddress.IPv6Loopback, sockets[0].LocalAddress);
            Assert.Equal(4321, sockets[0].LocalPort);
            Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), sockets[1].LocalAddress);
            Assert.Equal(8081, sockets[1].LocalPort);
            Assert.Equal("Bound", sockets[1].State);
            Assert.True(sockets[1].HoldsPort);
        }

        [Fact]
        public void EveryUdpSocketIsBound()
        {
            var socket = Assert.Single(ProcNetParser.Parse(ProcUdp, Protocol.UDP));
            Assert.Equal(IPAddress.Parse("127.0.0.53"), socket.LocalAddress);
            Assert.Equal(53, socket.LocalPort);
            Assert.Equal("Bound", socket.State);
            Assert.Equal(Protocol.UDP, socket.Protocol);
            Assert.Equal(9876, socket.Inode);
        }

        [Fact]
        public void ABigEndianKernelWritesAddressesTheOtherWayRound()
        {
            Assert.Equal(IPAddress.Parse("127.0.0.1"), ProcNetParser.ParseAddress("7F000001", littleEndian: false));
            Assert.Equal(IPAddress.Parse("127.0.0.1"), ProcNetParser.ParseAddress("0100007F", littleEndian: true));
        }

        [Theory]
        [InlineData("socket:[12345]", 12345)]
        [InlineData("pipe:[12345]", -1)]
        [InlineData("/dev/null", -1)]
        [InlineData("socket:[]", -1)]
        [InlineData(null, -1)]
        public void FileDescriptorLinksNameTheirSocketInode(string link, long inode)
        {
            Assert.Equal(inode, ProcNetParser.SocketInode(link));
        }

        [Fact]
        public void AMalformedLineIsAFormatError()
        {
            Assert.Throws<FormatException>(() => ProcNetParser.Parse("header\n 0: 0100007F 00000000:0000 0A 0:0 0:0 0 0 0 1 1\n", Protocol.TCP));
        }

        [Fact]
        public void TheRealProcOfThisMachineParsesAndShowsAListenerOfThisProcess()
        {
            if (!File.Exists("/proc/net/tcp"))
            {
                return; // not Linux: the Windows table tests below cover the other parser
            }

            var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var table = new LinuxSocketTable();
                var socket = Assert.Single(table.Read(Protocol.TCP), s => s.LocalPort == port && s.State == "Listen");
                table.FindOwner(socket, out var pid, out var name);
                Assert.Equal(Environment.ProcessId, pid);
                Assert.False(string.IsNullOrEmpty(name));
            }
            finally
            {
                listener.Stop();
            }
        }

        // ---- Windows: fake tables laid out as MIB_*ROW_OWNER_PID rows ----

        private static byte[] Dword(uint value) => new[] { (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24) };

        private static byte[] PortField(int port) => new[] { (byte)(port >> 8), (byte)port, (byte)0, (byte)0 };

        private static byte[] Table(params byte[][] rows)
        {
            var bytes = new List<byte>(Dword((uint)rows.Length));
            foreach (var row in rows)
            {
                bytes.AddRange(row);
            }

            return bytes.ToArray();
        }

        private static byte[] Row(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

        [Fact]
        public void WindowsTcpRowsGiveStatePortAddressAndOwner()
        {
            var table = Table(
                Row(Dword(2), new byte[] { 0, 0, 0, 0 }, PortField(4343), new byte[] { 0, 0, 0, 0 }, PortField(0), Dword(1234)),
                Row(Dword(5), new byte[] { 127, 0, 0, 1 }, PortField(49152), new byte[] { 127, 0, 0, 1 }, PortField(4343), Dword(5678)));
            Assert.Equal(4 + 2 * WindowsPortTableParser.TcpRowSize, table.Length);
            var sockets = WindowsPortTableParser.ParseTcp(table, ipv6: false);
            Assert.Equal(2, sockets.Count);
            Assert.Equal(IPAddress.Any, sockets[0].LocalAddress);
            Assert.Equal(4343, sockets[0].LocalPort);
            Assert.Equal("Listen", sockets[0].State);
            Assert.Equal(1234, sockets[0].ProcessId);
            Assert.Equal(IPAddress.Loopback, sockets[1].LocalAddress);
            Assert.Equal(49152, sockets[1].LocalPort);
            Assert.Equal("Established", sockets[1].State);
            Assert.False(sockets[1].HoldsPort);
        }

        [Fact]
        public void WindowsTcp6RowsGiveTheAddressScopeAndOwner()
        {
            var loopback = IPAddress.IPv6Loopback.GetAddressBytes();
            var table = Table(Row(loopback, Dword(0), PortField(443), new byte[16], Dword(0), PortField(0), Dword(2), Dword(4)));
            Assert.Equal(4 + WindowsPortTableParser.Tcp6RowSize, table.Length);
            var socket = Assert.Single(WindowsPortTableParser.ParseTcp(table, ipv6: true));
            Assert.Equal(IPAddress.IPv6Loopback, socket.LocalAddress);
            Assert.Equal(443, socket.LocalPort);
            Assert.Equal("Listen", socket.State);
            Assert.Equal(4, socket.ProcessId);
        }

        [Fact]
        public void WindowsUdpRowsOfBothFamiliesAreBound()
        {
            var v4 = WindowsPortTableParser.ParseUdp(Table(Row(new byte[] { 10, 1, 2, 3 }, PortField(13000), Dword(4321))), ipv6: false);
            var s4 = Assert.Single(v4);
            Assert.Equal(IPAddress.Parse("10.1.2.3"), s4.LocalAddress);
            Assert.Equal(13000, s4.LocalPort);
            Assert.Equal("Bound", s4.State);
            Assert.Equal(4321, s4.ProcessId);
            var v6 = WindowsPortTableParser.ParseUdp(Table(Row(new byte[16], Dword(0), PortField(15000), Dword(99))), ipv6: true);
            var s6 = Assert.Single(v6);
            Assert.Equal(IPAddress.IPv6Any, s6.LocalAddress);
            Assert.Equal(15000, s6.LocalPort);
            Assert.Equal(99, s6.ProcessId);
        }

        [Fact]
        public void ATruncatedWindowsTableIsAFormatError()
        {
            var table = Table(Row(Dword(2), new byte[4], PortField(1), new byte[4], PortField(0), Dword(1)));
            table[0] = 3; // claims three rows, holds one
            Assert.Throws<FormatException>(() => WindowsPortTableParser.ParseTcp(table, ipv6: false));
            Assert.Throws<FormatException>(() => WindowsPortTableParser.ParseUdp(new byte[2], ipv6: false));
        }
    }
}
