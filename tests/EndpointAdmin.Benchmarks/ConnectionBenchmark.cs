using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Test-AgentConnection over 1,000 endpoint:port pairs (open, refused and silent, 1 s timeout)
    /// against a serial loop of plain TCP connects with the same timeout, as a script would do
    /// with one Test-NetConnection after another.
    ///
    /// "Silent" needs a target that drops SYNs: a listener with a full backlog still answers.
    /// The benchmark therefore creates a network namespace of its own, adds an nftables rule
    /// there that drops TCP to the silent ports, and runs itself inside it; the host's own
    /// interfaces and ruleset are not touched. Every pair is on that namespace's loopback:
    /// 100 addresses of 127.0.0.0/8 times 10 ports (4 open, 3 refused, 3 silent). Needs root,
    /// iproute2 and nftables.
    /// </summary>
    public sealed class ConnectionBenchmark : IBenchmark
    {
        private const string InsideVariable = "EA_BENCH_CONNECTION_NETNS";
        private const int Addresses = 100;
        private const int ThrottleLimit = 100;
        private const int SilentSample = 12;
        private static readonly int[] OpenPorts = { 20001, 20002, 20003, 20004 };
        private static readonly int[] RefusedPorts = { 20005, 20006, 20007 };
        private static readonly int[] SilentPorts = { 20008, 20009, 20010 };
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

        public string Name => "connection";

        public string Description => "Test-AgentConnection over 1,000 open/refused/silent endpoint:port pairs vs a serial loop of TCP connects";

        public int Run(string[] args)
        {
            if (Environment.GetEnvironmentVariable(InsideVariable) == null)
            {
                return RunInOwnNamespace();
            }

            if (args.Contains("--listen"))
            {
                // The open ports live in a process of their own, so that every socket descriptor
                // of the measuring process is one Test-AgentConnection opened.
                var listeners = OpenPorts.Select(p => new Listener(p)).ToList();
                Console.WriteLine("listening");
                Console.In.ReadToEnd();
                listeners.ForEach(l => l.Dispose());
                return 0;
            }

            return Measure();
        }

        private int RunInOwnNamespace()
        {
            NetworkNamespace ns;
            try
            {
                ns = NetworkNamespace.Create("cb");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine("connection: cannot create the benchmark's network namespace (" + ex.Message + "). It needs root, iproute2 and nftables; without a target that drops packets the workload would not be the one measured here.");
                return 1;
            }

            using (ns)
            {
                ns.Nft("table inet eabench {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport { " + string.Join(", ", SilentPorts) + " } drop\n }\n}\n");
                var start = new ProcessStartInfo("ip") { UseShellExecute = false };
                foreach (var a in new[] { "netns", "exec", ns.Name, "dotnet", typeof(ConnectionBenchmark).Assembly.Location, Name })
                {
                    start.ArgumentList.Add(a);
                }

                start.Environment[InsideVariable] = ns.Name;
                using var child = Process.Start(start);
                child.WaitForExit();
                return child.ExitCode;
            }
        }

        private int Measure()
        {
            var names = Enumerable.Range(1, Addresses).Select(i => "127.0." + (i / 250) + "." + (i % 250 + 1)).ToArray();
            var ports = OpenPorts.Concat(RefusedPorts).Concat(SilentPorts).ToArray();
            int pairs = names.Length * ports.Length;
            var listenStart = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true };
            foreach (var a in new[] { typeof(ConnectionBenchmark).Assembly.Location, Name, "--listen" })
            {
                listenStart.ArgumentList.Add(a);
            }

            using var listenerProcess = Process.Start(listenStart);
            listenerProcess.StandardOutput.ReadLine();
            try
            {
                using var ps = new InProcessPowerShell();
                // Warm-up (JIT, module load), not timed.
                ps.Invoke("Test-AgentConnection 127.0.0.1 -Port $args[0], $args[1] -TimeoutSec 1", OpenPorts[0], RefusedPorts[0]);

                // ---- Test-AgentConnection ----
                using var sampler = new SocketSampler(ports, SocketDescriptors());
                var watch = Stopwatch.StartNew();
                var result = ps.Invoke("Test-AgentConnection -ComputerName $args[0] -Port $args[1] -TimeoutSec 1 -ThrottleLimit $args[2] -Verbose", names, ports, ThrottleLimit);
                watch.Stop();
                sampler.Stop();
                if (result.Failed)
                {
                    Console.Error.WriteLine("connection: Test-AgentConnection failed: " + result.Describe());
                    return 1;
                }

                var counts = result.Output.GroupBy(o => o.Properties["Status"].Value.ToString()).ToDictionary(g => g.Key, g => g.Count());
                string Count(string status) => counts.TryGetValue(status, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "0";
                var summary = result.Verbose.LastOrDefault(v => v.StartsWith("Tested", StringComparison.Ordinal)) ?? string.Empty;
                var inFlight = System.Text.RegularExpressions.Regex.Match(summary, @"at most (\d+) at once").Groups[1].Value;

                // ---- the serial baseline: the same pairs, one plain connect after another ----
                var quick = new List<(string, int)>();
                var silent = new List<(string, int)>();
                foreach (var name in names)
                {
                    foreach (var port in ports)
                    {
                        (SilentPorts.Contains(port) ? silent : quick).Add((name, port));
                    }
                }

                var quickTime = Stopwatch.StartNew();
                int quickOpen = quick.Count(p => SerialConnect(p.Item1, p.Item2));
                quickTime.Stop();
                var sample = silent.Where((_, i) => i % (silent.Count / SilentSample) == 0).Take(SilentSample).ToList();
                var sampleTime = Stopwatch.StartNew();
                int sampleOpen = sample.Count(p => SerialConnect(p.Item1, p.Item2));
                sampleTime.Stop();
                var perSilent = TimeSpan.FromTicks(sampleTime.Elapsed.Ticks / sample.Count);
                var serial = quickTime.Elapsed + TimeSpan.FromTicks(perSilent.Ticks * silent.Count);

                var report = new BenchReport("connection: " + pairs + " endpoint:port pairs (" + OpenPorts.Length * names.Length + " open, " + RefusedPorts.Length * names.Length + " refused, " + silent.Count + " silent), 1 s timeout");
                report.Add("serial TCP connects (baseline, partly extrapolated)", serial, null, "open+refused measured: " + quickTime.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s (" + quickOpen + " open); silent: " + sample.Count + " measured at " + perSilent.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms each, x " + silent.Count);
                report.Add("Test-AgentConnection -ThrottleLimit " + ThrottleLimit, watch.Elapsed, null, "Open " + Count("Open") + ", Refused " + Count("Refused") + ", TimedOut " + Count("TimedOut"));
                var ratio = report.Ratio("serial TCP connects (baseline, partly extrapolated)", "Test-AgentConnection -ThrottleLimit " + ThrottleLimit);
                report.Note("ratio: Test-AgentConnection is " + ratio.ToString("F1", CultureInfo.InvariantCulture) + "x faster than the serial loop (target >= 20x).");
                report.Note("sockets open at once: at most " + sampler.PeakDescriptors + " socket descriptors in this process above its idle count (/proc/self/fd, sampled every ~2 ms); -ThrottleLimit " + ThrottleLimit + "; the runner's own count of tests in flight: " + inFlight + ".");
                report.Note("   (the kernel's table /proc/net/tcp showed up to " + sampler.Peak + " client sockets to the target ports, " + sampler.PeakStates + " - that table is not read atomically: a socket closed and its replacement opened during one read are both counted)");
                report.Note("the serial baseline's silent part is extrapolated from " + sample.Count + " of " + silent.Count + " silent pairs (" + silent.Count + " x ~1 s would take about " + (silent.Count * perSilent.TotalSeconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min); the open and refused pairs were all measured.");
                report.Note("silent targets: an nftables rule in a namespace this benchmark created (" + Environment.GetEnvironmentVariable(InsideVariable) + ") drops TCP to ports " + string.Join(", ", SilentPorts) + " on its loopback.");
                report.Print();

                bool ok = Count("Open") == (OpenPorts.Length * names.Length).ToString(CultureInfo.InvariantCulture)
                    && Count("Refused") == (RefusedPorts.Length * names.Length).ToString(CultureInfo.InvariantCulture)
                    && Count("TimedOut") == silent.Count.ToString(CultureInfo.InvariantCulture)
                    && sampleOpen == 0 && sampler.PeakDescriptors <= ThrottleLimit;
                if (!ok)
                {
                    Console.Error.WriteLine("connection: the outcome does not match the workload, or more sockets than -ThrottleLimit were open.");
                    return 1;
                }

                return 0;
            }
            finally
            {
                listenerProcess.StandardInput.Close();
                listenerProcess.WaitForExit(10_000);
            }
        }

        /// <summary>The socket descriptors this process holds now.</summary>
        private static int SocketDescriptors()
        {
            int count = 0;
            foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                    {
                        count++;
                    }
                }
                catch (IOException)
                {
                    // Closed while listed.
                }
            }

            return count;
        }

        /// <summary>One plain connect with the timeout, as a script would do it.</summary>
        private static bool SerialConnect(string address, int port)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                var connect = socket.ConnectAsync(IPAddress.Parse(address), port);
                return connect.Wait(Timeout) && socket.Connected;
            }
            catch (AggregateException)
            {
                return false;
            }
        }

        /// <summary>Accepts on 0.0.0.0:port (every 127/8 address) and closes at once, so the backlog never fills.</summary>
        private sealed class Listener : IDisposable
        {
            private readonly TcpListener _listener;

            public Listener(int port)
            {
                _listener = new TcpListener(IPAddress.Any, port);
                _listener.Start(4096);
                _ = Task.Run(async () =>
                {
                    while (true)
                    {
                        try
                        {
                            (await _listener.AcceptSocketAsync()).Dispose();
                        }
                        catch (Exception)
                        {
                            return;
                        }
                    }
                });
            }

            public void Dispose() => _listener.Stop();
        }

        /// <summary>Counts the client sockets open toward the target ports, from /proc/net/tcp, on a thread of its own.</summary>
        private sealed class SocketSampler : IDisposable
        {
            private readonly HashSet<int> _ports;
            private readonly Thread _thread;
            private volatile bool _stop;

            private readonly int _idleDescriptors;

            public SocketSampler(IEnumerable<int> ports, int idleDescriptors)
            {
                _idleDescriptors = idleDescriptors;
                _ports = new HashSet<int>(ports);
                _thread = new Thread(Loop) { IsBackground = true, Name = "socket sampler" };
                _thread.Start();
            }

            private static readonly Dictionary<string, string> StateNames = new Dictionary<string, string> { ["01"] = "ESTABLISHED", ["02"] = "SYN_SENT", ["08"] = "CLOSE_WAIT" };

            public int Peak { get; private set; }

            /// <summary>The most socket descriptors of this process above its idle count.</summary>
            public int PeakDescriptors { get; private set; }

            /// <summary>The states of the sockets at the peak.</summary>
            public string PeakStates { get; private set; }

            private void Loop()
            {
                while (!_stop)
                {
                    int open = 0;
                    var states = new Dictionary<string, int>();
                    foreach (var line in Snapshot().Skip(1))
                    {
                        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        var remotePort = int.Parse(f[2].Substring(f[2].IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                        if (_ports.Contains(remotePort) && (f[3] == "01" || f[3] == "02" || f[3] == "08"))
                        {
                            open++;
                            states[f[3]] = states.GetValueOrDefault(f[3]) + 1;
                        }
                    }

                    if (open > Peak)
                    {
                        Peak = open;
                        PeakStates = string.Join(", ", states.OrderBy(kv => kv.Key).Select(kv => StateNames[kv.Key] + " " + kv.Value));
                    }
                    PeakDescriptors = Math.Max(PeakDescriptors, SocketDescriptors() - _idleDescriptors);
                    Thread.Sleep(2);
                }
            }

            // One read() with a buffer large enough for the whole table: the kernel then walks it in
            // one system call. Reading it in 4 KiB pieces lets sockets close and open between the
            // pieces, and the same throttle slot is counted twice.
            private readonly byte[] _buffer = new byte[8 << 20];

            private IEnumerable<string> Snapshot()
            {
                using var file = new FileStream("/proc/net/tcp", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                int length = 0, read;
                while ((read = file.Read(_buffer, length, _buffer.Length - length)) > 0)
                {
                    length += read;
                }

                return System.Text.Encoding.ASCII.GetString(_buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }

            public void Stop()
            {
                _stop = true;
                _thread.Join();
            }

            public void Dispose() => Stop();
        }
    }
}
