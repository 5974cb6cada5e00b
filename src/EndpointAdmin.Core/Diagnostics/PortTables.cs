using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>One local socket as the platform's socket table lists it.</summary>
    internal sealed class LocalSocket
    {
        public Protocol Protocol { get; set; }

        public IPAddress LocalAddress { get; set; }

        public int LocalPort { get; set; }

        /// <summary>Listen, Bound (TCP bound but not listening, or any UDP socket), or another TCP state.</summary>
        public string State { get; set; }

        /// <summary>Linux: the socket inode that ties the socket to a process's file descriptor.</summary>
        public long Inode { get; set; }

        /// <summary>Windows: the owning process, straight from the table.</summary>
        public int? ProcessId { get; set; }

        /// <summary>Whether this socket keeps a server from binding the port.</summary>
        public bool HoldsPort => State == "Listen" || State == "Bound";
    }

    /// <summary>
    /// Reads Linux's /proc/net/{tcp,tcp6,udp,udp6}. Addresses there are hex in the kernel's byte
    /// order: each 32-bit word as the machine stores it (little-endian on x86/ARM), ports big
    /// hex numbers.
    /// </summary>
    internal static class ProcNetParser
    {
        private static readonly Dictionary<string, string> s_tcpStates = new Dictionary<string, string>
        {
            ["01"] = "Established", ["02"] = "SynSent", ["03"] = "SynReceived", ["04"] = "FinWait1", ["05"] = "FinWait2",
            ["06"] = "TimeWait", ["07"] = "Bound", ["08"] = "CloseWait", ["09"] = "LastAck", ["0A"] = "Listen", ["0B"] = "Closing",
        };

        public static List<LocalSocket> Parse(string text, Protocol protocol, bool littleEndian = true)
        {
            var sockets = new List<LocalSocket>();
            var lines = text.Split('\n');
            for (int i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10)
                {
                    continue;
                }

                var local = fields[1].Split(':');
                if (local.Length != 2)
                {
                    throw new FormatException("Line " + (i + 1) + ": local address '" + fields[1] + "' is not address:port.");
                }

                var state = fields[3].ToUpperInvariant();
                sockets.Add(new LocalSocket
                {
                    Protocol = protocol,
                    LocalAddress = ParseAddress(local[0], littleEndian),
                    LocalPort = int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    // UDP has no connection states; any UDP socket there is bound to its port.
                    State = protocol == Protocol.UDP ? "Bound" : (s_tcpStates.TryGetValue(state, out var name) ? name : state),
                    Inode = long.Parse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture),
                });
            }

            return sockets;
        }

        internal static IPAddress ParseAddress(string hex, bool littleEndian)
        {
            if (hex.Length != 8 && hex.Length != 32)
            {
                throw new FormatException("'" + hex + "' is neither an IPv4 nor an IPv6 address in /proc hex form.");
            }

            var bytes = new byte[hex.Length / 2];
            for (int word = 0; word < bytes.Length / 4; word++)
            {
                for (int b = 0; b < 4; b++)
                {
                    var value = byte.Parse(hex.Substring((word * 4 + b) * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    bytes[word * 4 + (littleEndian ? 3 - b : b)] = value;
                }
            }

            return new IPAddress(bytes);
        }

        /// <summary>The inode in a /proc/&lt;pid&gt;/fd link target such as "socket:[12345]", or -1.</summary>
        public static long SocketInode(string linkTarget)
        {
            const string prefix = "socket:[";
            if (linkTarget == null || !linkTarget.StartsWith(prefix, StringComparison.Ordinal) || !linkTarget.EndsWith("]", StringComparison.Ordinal))
            {
                return -1;
            }

            return long.TryParse(linkTarget.Substring(prefix.Length, linkTarget.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode) ? inode : -1;
        }
    }

    /// <summary>
    /// Reads the tables GetExtendedTcpTable and GetExtendedUdpTable fill on Windows
    /// (TCP_TABLE_OWNER_PID_ALL, UDP_TABLE_OWNER_PID): a DWORD row count, then fixed-size rows of
    /// little-endian DWORDs. Ports sit in network byte order in the low two bytes of their DWORD.
    /// </summary>
    internal static class WindowsPortTableParser
    {
        public const int TcpRowSize = 24;    // MIB_TCPROW_OWNER_PID
        public const int Tcp6RowSize = 56;   // MIB_TCP6ROW_OWNER_PID
        public const int UdpRowSize = 12;    // MIB_UDPROW_OWNER_PID
        public const int Udp6RowSize = 28;   // MIB_UDP6ROW_OWNER_PID

        private static readonly string[] s_tcpStates =
        {
            null, "Bound", "Listen", "SynSent", "SynReceived", "Established", "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait", "DeleteTcb",
        };

        public static List<LocalSocket> ParseTcp(byte[] table, bool ipv6)
        {
            var rows = Rows(table, ipv6 ? Tcp6RowSize : TcpRowSize);
            var sockets = new List<LocalSocket>(rows.Count);
            foreach (var offset in rows)
            {
                IPAddress address = ipv6 ? new IPAddress(Slice(table, offset, 16), Dword(table, offset + 16)) : new IPAddress(Slice(table, offset + 4, 4));
                int port = ipv6 ? Port(table, offset + 20) : Port(table, offset + 8);
                uint state = (uint)(ipv6 ? Dword(table, offset + 48) : Dword(table, offset));
                int pid = (int)(ipv6 ? Dword(table, offset + 52) : Dword(table, offset + 20));
                sockets.Add(new LocalSocket
                {
                    Protocol = Protocol.TCP,
                    LocalAddress = address,
                    LocalPort = port,
                    State = state < s_tcpStates.Length && state > 0 ? s_tcpStates[state] : "State" + state.ToString(CultureInfo.InvariantCulture),
                    ProcessId = pid,
                });
            }

            return sockets;
        }

        public static List<LocalSocket> ParseUdp(byte[] table, bool ipv6)
        {
            var rows = Rows(table, ipv6 ? Udp6RowSize : UdpRowSize);
            var sockets = new List<LocalSocket>(rows.Count);
            foreach (var offset in rows)
            {
                sockets.Add(new LocalSocket
                {
                    Protocol = Protocol.UDP,
                    LocalAddress = ipv6 ? new IPAddress(Slice(table, offset, 16), Dword(table, offset + 16)) : new IPAddress(Slice(table, offset, 4)),
                    LocalPort = ipv6 ? Port(table, offset + 20) : Port(table, offset + 4),
                    State = "Bound",
                    ProcessId = (int)(ipv6 ? Dword(table, offset + 24) : Dword(table, offset + 8)),
                });
            }

            return sockets;
        }

        private static List<int> Rows(byte[] table, int rowSize)
        {
            if (table == null || table.Length < 4)
            {
                throw new FormatException("The table is shorter than its row count.");
            }

            long count = (uint)Dword(table, 0);
            if (4 + count * rowSize > table.Length)
            {
                throw new FormatException("The table says " + count + " rows of " + rowSize + " bytes but holds " + (table.Length - 4) + " bytes.");
            }

            var offsets = new List<int>((int)count);
            for (int i = 0; i < count; i++)
            {
                offsets.Add(4 + i * rowSize);
            }

            return offsets;
        }

        private static long Dword(byte[] b, int offset)
        {
            return (uint)(b[offset] | b[offset + 1] << 8 | b[offset + 2] << 16 | b[offset + 3] << 24);
        }

        private static int Port(byte[] b, int offset)
        {
            return b[offset] << 8 | b[offset + 1];
        }

        private static byte[] Slice(byte[] b, int offset, int length)
        {
            var copy = new byte[length];
            Buffer.BlockCopy(b, offset, copy, 0, length);
            return copy;
        }
    }
}
