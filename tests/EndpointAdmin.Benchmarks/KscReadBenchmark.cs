using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Reading a whole Kaspersky fleet at 10,000 and 100,000 devices (or the sizes given: ksc-read
    /// 2000 20000): Get-Agent and Test-AgentHeartbeat, their requests per device (one FindHosts,
    /// one GetItemsChunk per chunk, one Release, each administration group's name once) and their
    /// peak memory, which must not grow with the fleet.
    /// </summary>
    public sealed class KscReadBenchmark : IBenchmark
    {
        private const string GetAgentScript = "$n = 0; Get-Agent | ForEach-Object { $n++ }; $n";

        private const string HeartbeatScript = "$n = 0; Test-AgentHeartbeat | ForEach-Object { $n++ }; $n";

        public string Name => "ksc-read";

        public string Description => "Get-Agent and Test-AgentHeartbeat over a whole Kaspersky fleet: requests per device and peak memory, 10k and 100k devices";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10_000, 100_000 };
            var report = new BenchReport("ksc-read: Get-Agent and Test-AgentHeartbeat over a whole Kaspersky fleet (same simulator, same process)");
            var peaks = new Dictionary<string, List<(int N, long Peak)>> { ["Get-Agent"] = new List<(int, long)>(), ["Test-AgentHeartbeat"] = new List<(int, long)>() };
            foreach (var n in sizes.Prepend(600))
            {
                using var simulator = KscSimulator.Start(n);
                simulator.RecordRequests = false;
                simulator.SessionLifetime = TimeSpan.FromHours(1);
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", simulator.Uri, new PSCredential(simulator.UserName, Secure(simulator.Password)), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                foreach (var (label, script) in new[] { ("Get-Agent", GetAgentScript), ("Test-AgentHeartbeat", HeartbeatScript) })
                {
                    var before = simulator.RequestCount;
                    var run = HeartbeatBenchmark.Measure(shell, script);
                    var requests = simulator.RequestCount - before;
                    var live = n == 600 ? 0 : HeartbeatBenchmark.PeakLive(shell, script);
                    if (run.Count != n)
                    {
                        Console.Error.WriteLine(label + " found " + run.Count + " of " + n + " devices");
                        return 1;
                    }

                    if (n == 600)
                    {
                        continue; // the warm-up round: no measurement pays the JIT
                    }

                    var k = (n / 1000).ToString(CultureInfo.InvariantCulture) + "k";
                    peaks[label].Add((n, live));
                    report.Add(label + ", " + k + " devices", run.Time, run.PeakHeap, run.Count + " devices; " + requests + " requests = " + (requests / (double)n).ToString("F4", CultureInfo.InvariantCulture) + " per device; peak live " + HeartbeatBenchmark.Mib(live) + " MiB; retained " + HeartbeatBenchmark.Mib(run.Retained) + " MiB");
                }
            }

            foreach (var p in peaks.Where(p => p.Value.Count >= 2))
            {
                var small = p.Value.First();
                var large = p.Value.Last();
                var growth = large.Peak / (double)Math.Max(1, small.Peak);
                report.Target(p.Key + " peak live memory " + HeartbeatBenchmark.Mib(small.Peak) + " MiB at " + small.N.ToString("N0", CultureInfo.InvariantCulture) + ", " + HeartbeatBenchmark.Mib(large.Peak) + " MiB at " + large.N.ToString("N0", CultureInfo.InvariantCulture) + " devices (" + growth.ToString("F2", CultureInfo.InvariantCulture) + "x; flat: <= 1.5x)", growth <= 1.5);
            }

            report.Note("requests: Session.StartSession once per connection, then per command one HostGroup.FindHosts, one ChunkAccessor.GetItemsChunk per 500 devices (KscWire.ChunkSize; no larger chunk is documented), one ChunkAccessor.Release, and Get-Agent one HostGroup.GetGroupInfo per administration group.");
            report.Note("peak MiB = the largest managed heap a GC left behind during the run above the level before it (old garbage included); peak live = the same run again under a full collection every 50 ms. Simulator included, same process.");
            report.Print();
            return 0;
        }

        private static System.Security.SecureString Secure(string text)
        {
            var secure = new System.Security.SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            return secure;
        }
    }
}
