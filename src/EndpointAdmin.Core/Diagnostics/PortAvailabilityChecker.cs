using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>Where the local socket table and the owners of its sockets come from (a seam for tests).</summary>
    internal interface ISocketTable
    {
        IReadOnlyList<LocalSocket> Read(Protocol protocol);

        /// <summary>The process id and name that own a socket, or nulls when the system does not show it.</summary>
        void FindOwner(LocalSocket socket, out int? processId, out string processName);
    }

    /// <summary>Answers "is this port free, and if not, who holds it" from the platform's socket table.</summary>
    internal sealed class PortAvailabilityChecker
    {
        private readonly ISocketTable _table;

        public PortAvailabilityChecker(ISocketTable table)
        {
            _table = table;
        }

        /// <summary>The table of this platform: /proc on Linux, the IP helper tables on Windows.</summary>
        public static PortAvailabilityChecker ForThisPlatform()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return new PortAvailabilityChecker(new LinuxSocketTable());
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new PortAvailabilityChecker(new WindowsSocketTable());
            }

            throw new EndpointAdminException(ErrorIds.PortAvailabilityUnsupportedPlatform, ErrorKind.NotSupported, RuntimeInformation.OSDescription, "Port availability is read from /proc on Linux and from the TCP/UDP tables on Windows; " + RuntimeInformation.OSDescription + " offers neither.")
            {
                RecommendedAction = "On macOS, use 'lsof -nP -i :<port>'.",
            };
        }

        public List<PortAvailability> Check(int port, Protocol protocol)
        {
            IReadOnlyList<LocalSocket> sockets;
            try
            {
                sockets = _table.Read(protocol);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is FormatException || ex is InvalidOperationException)
            {
                throw new EndpointAdminException(ErrorIds.PortAvailabilityTableUnreadable, ErrorKind.ResourceUnavailable, port, "The " + protocol + " socket table could not be read: " + ex.Message, ex);
            }

            var holders = sockets.Where(s => s.LocalPort == port && s.HoldsPort)
                .GroupBy(s => s.LocalAddress + "|" + s.State + "|" + s.Inode + "|" + s.ProcessId)
                .Select(g => g.First())
                .ToList();
            if (holders.Count == 0)
            {
                return new List<PortAvailability> { new PortAvailability { Port = port, Protocol = protocol, Available = true, Detail = "No socket listens on or is bound to " + protocol + "/" + port + "." } };
            }

            var results = new List<PortAvailability>();
            foreach (var socket in holders)
            {
                _table.FindOwner(socket, out var pid, out var name);
                results.Add(new PortAvailability
                {
                    Port = port,
                    Protocol = protocol,
                    Available = false,
                    LocalAddress = socket.LocalAddress.ToString(),
                    State = socket.State,
                    ProcessId = pid,
                    ProcessName = name,
                    Detail = pid.HasValue
                        ? name + " (process " + pid + ") holds " + protocol + "/" + port + " on " + socket.LocalAddress + "."
                        : "A socket holds " + protocol + "/" + port + " on " + socket.LocalAddress + "; its process is not visible to this user (run elevated to see it).",
                });
            }

            return results;
        }
    }

    /// <summary>Linux: /proc/net for the sockets, /proc/&lt;pid&gt;/fd socket inodes for their owners.</summary>
    internal sealed class LinuxSocketTable : ISocketTable
    {
        private readonly string _procRoot;
        private Dictionary<long, int> _owners;

        public LinuxSocketTable(string procRoot = "/proc")
        {
            _procRoot = procRoot;
        }

        public IReadOnlyList<LocalSocket> Read(Protocol protocol)
        {
            var name = protocol == Protocol.TCP ? "tcp" : "udp";
            var sockets = new List<LocalSocket>();
            foreach (var file in new[] { name, name + "6" })
            {
                var path = Path.Combine(_procRoot, "net", file);
                if (File.Exists(path))
                {
                    sockets.AddRange(ProcNetParser.Parse(File.ReadAllText(path), protocol, BitConverter.IsLittleEndian));
                }
            }

            return sockets;
        }

        public void FindOwner(LocalSocket socket, out int? processId, out string processName)
        {
            processId = null;
            processName = null;
            if (_owners == null)
            {
                _owners = ScanOwners();
            }

            if (socket.Inode != 0 && _owners.TryGetValue(socket.Inode, out var pid))
            {
                processId = pid;
                try
                {
                    processName = File.ReadAllText(Path.Combine(_procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "comm")).Trim();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    processName = null;
                }
            }
        }

        /// <summary>Socket inode → pid over every process this user may look into.</summary>
        private Dictionary<long, int> ScanOwners()
        {
            var owners = new Dictionary<long, int>();
            var buffer = new byte[256];
            foreach (var dir in Directory.EnumerateDirectories(_procRoot))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                IEnumerable<string> fds;
                try
                {
                    fds = Directory.GetFiles(Path.Combine(dir, "fd"));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    continue;
                }

                foreach (var fd in fds)
                {
                    var inode = ProcNetParser.SocketInode(ReadLink(fd, buffer));
                    if (inode > 0 && !owners.ContainsKey(inode))
                    {
                        owners.Add(inode, pid);
                    }
                }
            }

            return owners;
        }

        // FileSystemInfo.LinkTarget exists from .NET 6 on (every PowerShell 7.2+); netstandard2.0
        // cannot name it, so it is found at run time, with libc's readlink as the fallback.
        private static readonly System.Reflection.PropertyInfo s_linkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget");

        private static string ReadLink(string path, byte[] buffer)
        {
            if (s_linkTarget != null)
            {
                try
                {
                    return s_linkTarget.GetValue(new FileInfo(path)) as string;
                }
                catch (System.Reflection.TargetInvocationException)
                {
                    return null;
                }
            }

            var length = (long)readlink(path, buffer, (IntPtr)buffer.Length);
            return length <= 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr readlink(string path, byte[] buffer, IntPtr size);
    }

    /// <summary>
    /// Windows: GetExtendedTcpTable / GetExtendedUdpTable with owner process ids. The byte layout
    /// is parsed by WindowsPortTableParser, which is unit-tested; this P/Invoke part has not run
    /// in this project's (Linux) CI.
    /// </summary>
    internal sealed class WindowsSocketTable : ISocketTable
    {
        private const int AfInet = 2;
        private const int AfInet6 = 23;
        private const int TcpTableOwnerPidAll = 5;
        private const int UdpTableOwnerPid = 1;
        private const uint ErrorInsufficientBuffer = 122;

        public IReadOnlyList<LocalSocket> Read(Protocol protocol)
        {
            var sockets = new List<LocalSocket>();
            foreach (var family in new[] { AfInet, AfInet6 })
            {
                var table = Fetch(protocol, family);
                sockets.AddRange(protocol == Protocol.TCP ? WindowsPortTableParser.ParseTcp(table, family == AfInet6) : WindowsPortTableParser.ParseUdp(table, family == AfInet6));
            }

            return sockets;
        }

        public void FindOwner(LocalSocket socket, out int? processId, out string processName)
        {
            processId = socket.ProcessId;
            processName = null;
            if (socket.ProcessId.HasValue)
            {
                try
                {
                    using (var process = Process.GetProcessById(socket.ProcessId.Value))
                    {
                        processName = process.ProcessName;
                    }
                }
                catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException)
                {
                    processName = null;
                }
            }
        }

        private static byte[] Fetch(Protocol protocol, int family)
        {
            int size = 0;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                var buffer = new byte[Math.Max(size, 4)];
                size = buffer.Length;
                uint status = protocol == Protocol.TCP
                    ? GetExtendedTcpTable(buffer, ref size, false, family, TcpTableOwnerPidAll, 0)
                    : GetExtendedUdpTable(buffer, ref size, false, family, UdpTableOwnerPid, 0);
                if (status == 0)
                {
                    return buffer;
                }

                if (status != ErrorInsufficientBuffer)
                {
                    throw new InvalidOperationException("GetExtended" + (protocol == Protocol.TCP ? "Tcp" : "Udp") + "Table failed with error " + status + ".");
                }
            }

            throw new InvalidOperationException("The socket table kept growing while it was read.");
        }

        [DllImport("iphlpapi.dll", SetLastError = true)]
        private static extern uint GetExtendedTcpTable(byte[] table, ref int size, bool order, int addressFamily, int tableClass, uint reserved);

        [DllImport("iphlpapi.dll", SetLastError = true)]
        private static extern uint GetExtendedUdpTable(byte[] table, ref int size, bool order, int addressFamily, int tableClass, uint reserved);
    }
}
