using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Test-AgentHeartbeat over a whole simulated Deep Security fleet, at 10,000 and 100,000
    /// computers (or the sizes given: heartbeat 2000 20000), beside the paging script a Deep
    /// Security admin writes today (Invoke-RestMethod, on the same simulator, in the same engine)
    /// and beside the floor of the module's own requests (a bare client replaying them, parse only),
    /// with the request counts side by side and each target marked met or not.
    /// </summary>
    public sealed class HeartbeatBenchmark : IBenchmark
    {
        private const int PageSize = 5000;
        private const int Policies = 5;

        /// <summary>
        /// The admin's script as it is written with Invoke-RestMethod: the policies listed once (GET
        /// /policies carries each one's effective settings), then the documented ID-paged computer
        /// search, 5,000 a page with computerStatus, and the verdict per computer. It ignores
        /// settings made on a computer itself, which the module does not.
        /// </summary>
        public const string BaselineScript = @"
param($Uri, $Key, $Expected)
$headers = @{ 'api-secret-key' = $Key; 'api-version' = 'v1' }
$policies = @{}
foreach ($policy in (Invoke-RestMethod -Uri ""$Uri/api/policies"" -Headers $headers -SkipCertificateCheck).policies) {
    $policies[[int]$policy.ID] = $policy.policySettings
}
$now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
$counts = @{ Healthy = 0; Late = 0; Alert = 0; Unlimited = 0; NeverContacted = 0 }
$lastId = 0
do {
    $body = @{ maxItems = 5000; sortByObjectID = $true; searchCriteria = @(@{ idValue = $lastId; idTest = 'greater-than' }) } | ConvertTo-Json -Depth 4
    $computers = (Invoke-RestMethod -Method Post -Uri ""$Uri/api/computers/search?expand=computerStatus"" -Headers $headers -Body $body -ContentType 'application/json' -SkipCertificateCheck).computers
    foreach ($computer in $computers) {
        $settings = $policies[[int]$computer.policyID]
        $interval = [double]$settings.platformSettingHeartbeatInterval.value.Split(' ')[0]
        $threshold = $settings.platformSettingHeartbeatMissedAlertThreshold.value
        $last = $computer.lastAgentCommunication
        if ($null -eq $last) { $counts.NeverContacted++; continue }
        $missed = [Math]::Floor(($now - [long]$last) / 60000 / $interval)
        if ($missed -le 0) { $counts.Healthy++ }
        elseif ($threshold -eq 'Unlimited') { $counts.Unlimited++ }
        elseif ($missed -gt [int]$threshold) { $counts.Alert++ }
        else { $counts.Late++ }
    }
    if ($computers.Count -gt 0) { $lastId = [int]$computers[-1].ID }
} while ($computers.Count -eq 5000)
if ($counts.Healthy + $counts.Late + $counts.Alert + $counts.Unlimited + $counts.NeverContacted -ne $Expected) { throw 'not every computer was evaluated' }
$counts.Alert
";

        /// <summary>The module: the same question (how many agents are in alert?), streamed and filtered, nothing collected.</summary>
        public const string ModuleScript = @"
$alerts = 0
Test-AgentHeartbeat -Status Alert | ForEach-Object { $alerts++ }
$alerts
";

        /// <summary>Every agent listed, piped on and judged: the batches of piped IDs, and memory that must not grow with the fleet.</summary>
        public const string PipedScript = @"
$judged = 0
Get-Agent | Test-AgentHeartbeat | ForEach-Object { $judged++ }
$judged
";

        public string Name => "heartbeat";

        public string Description => "Test-AgentHeartbeat over a whole Deep Security fleet vs the admin's Invoke-RestMethod script and the raw floor, 10k and 100k computers";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10_000, 100_000 };
            var report = new BenchReport("heartbeat: Test-AgentHeartbeat vs the admin's Invoke-RestMethod script vs a raw client replaying the module's requests (same simulator, same process)");
            Warm();
            var pipedPeaks = new List<(int N, long Peak)>();
            foreach (var n in sizes)
            {
                using var simulator = DeepSecuritySimulator.Start(n);
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, Key(simulator.ApiKey), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                // The module's requests are recorded (a few dozen) so the raw client can send the same ones.
                simulator.ClearRequests();
                var requestsBefore = simulator.RequestCount;
                var module = Measure(shell, ModuleScript);
                var moduleRequests = simulator.RequestCount - requestsBefore;
                var sent = simulator.Requests;
                simulator.RecordRequests = false;
                var headers = new Dictionary<string, string> { ["api-secret-key"] = simulator.ApiKey, ["api-version"] = "v1" };
                var raw = RawReplay.Run(simulator.Uri, simulator.Thumbprint, sent, headers);
                var tokens = RawReplay.Run(simulator.Uri, simulator.Thumbprint, sent, headers, tree: false);

                requestsBefore = simulator.RequestCount;
                var script = Measure(shell, BaselineScript, simulator.Uri, simulator.ApiKey, n);
                var scriptRequests = simulator.RequestCount - requestsBefore;

                requestsBefore = simulator.RequestCount;
                var piped = Measure(shell, PipedScript);
                var pipedRequests = simulator.RequestCount - requestsBefore;
                var pipedLive = PeakLive(shell, PipedScript);
                pipedPeaks.Add((n, pipedLive));

                // The script ignores settings made on a computer itself (every 97th here), so its count may differ a little.
                if (module.Count == 0 || Math.Abs(module.Count - script.Count) > n / 50 || piped.Count != n)
                {
                    Console.Error.WriteLine("the runs disagree: " + module.Count + " (module) and " + script.Count + " (script) agents in alert; " + piped.Count + " of " + n + " piped");
                    return 1;
                }

                var k = (n / 1000).ToString(CultureInfo.InvariantCulture) + "k";
                var pages = (n + PageSize - 1) / PageSize;
                var scriptRow = "admin's Invoke-RestMethod script, " + k;
                var moduleRow = "Test-AgentHeartbeat, " + k;
                var rawRow = "raw client, the module's " + raw.Requests + " requests, parsed to a tree, " + k;
                report.Add(scriptRow, script.Time, script.PeakHeap, script.Count + " in alert; " + scriptRequests + " requests");
                report.Add(moduleRow, module.Time, module.PeakHeap, module.Count + " in alert; " + moduleRequests + " requests");
                report.Add(rawRow, raw.Time, null, raw.Requests + " requests; " + Mib(raw.Bytes) + " MiB read");
                report.Add("raw client, the same requests, token by token only, " + k, tokens.Time, null, tokens.Requests + " requests; the lowest a JSON client can go");
                report.Add("Get-Agent | Test-AgentHeartbeat, " + k, piped.Time, piped.PeakHeap, piped.Count + " judged; " + pipedRequests + " requests; peak live " + Mib(pipedLive) + " MiB; retained after a full GC " + Mib(piped.Retained) + " MiB");
                report.Note(k + ": requests side by side: script " + scriptRequests + ", module " + moduleRequests + ", raw replay " + raw.Requests + ", piped " + pipedRequests + " (Get-Agent's pages, then one range search per 500 piped agents)");
                report.Target(k + ": module requests " + moduleRequests + " <= pages + policies + 2 = " + pages + " + " + Policies + " + 2 = " + (pages + Policies + 2), moduleRequests <= pages + Policies + 2);
                var overFloor = module.Time.TotalMilliseconds / Math.Max(0.001, raw.Time.TotalMilliseconds);
                report.Target(k + ": module time " + overFloor.ToString("F2", CultureInfo.InvariantCulture) + "x the raw client's (tree) for the same requests (target <= 1.3x)", overFloor <= 1.3);
                report.Note(k + ": module time " + (module.Time.TotalMilliseconds / Math.Max(0.001, tokens.Time.TotalMilliseconds)).ToString("F2", CultureInfo.InvariantCulture) + "x the token-only floor (the rest is one object per agent through the PowerShell pipeline)");
                var faster = report.Ratio(scriptRow, moduleRow);
                report.Target(k + ": module " + faster.ToString("F1", CultureInfo.InvariantCulture) + "x faster than the admin's script (target >= 3x)", faster >= 3);
            }

            if (pipedPeaks.Count >= 2)
            {
                var small = pipedPeaks.First();
                var large = pipedPeaks.Last();
                var growth = large.Peak / (double)Math.Max(1, small.Peak);
                report.Target(
                    "peak live memory of Get-Agent | Test-AgentHeartbeat: " + Mib(small.Peak) + " MiB at " + small.N.ToString("N0", CultureInfo.InvariantCulture) + ", " + Mib(large.Peak) + " MiB at " + large.N.ToString("N0", CultureInfo.InvariantCulture) + " computers (" + growth.ToString("F2", CultureInfo.InvariantCulture) + "x for " + (large.N / small.N) + "x the fleet; flat: <= 1.5x)",
                    growth <= 1.5);
            }

            report.Note("peak MiB = the largest managed heap a GC left behind during the run (sampled every 5 ms, old garbage included), above the level before the run; peak live = the same script again under a full collection every 50 ms or more (what is really held). Simulator included, same process for all.");
            report.Note("module pattern: one computers/search per 5,000 (expand=computerStatus), every computer's own settings in one GET /computers?expand=computerSettings&overrides=true, each policy read once.");
            report.Print();
            return 0;
        }

        /// <summary>Both scripts once over a small fleet first, so neither pays the JIT in the measurement.</summary>
        private static void Warm()
        {
            // A page and more, so the settings listing is warmed too.
            using var simulator = DeepSecuritySimulator.Start(6000);
            using var shell = new InProcessPowerShell();
            shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, Key(simulator.ApiKey), simulator.Thumbprint);
            simulator.ClearRequests();
            Measure(shell, ModuleScript);
            RawReplay.Run(simulator.Uri, simulator.Thumbprint, simulator.Requests, new Dictionary<string, string> { ["api-secret-key"] = simulator.ApiKey, ["api-version"] = "v1" });
            RawReplay.Run(simulator.Uri, simulator.Thumbprint, simulator.Requests, new Dictionary<string, string> { ["api-secret-key"] = simulator.ApiKey, ["api-version"] = "v1" }, tree: false);
            Measure(shell, BaselineScript, simulator.Uri, simulator.ApiKey, 6000);
            Measure(shell, PipedScript);
        }

        internal static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

        /// <summary>
        /// The most memory a run really holds: a second run of the script while a sampler forces a
        /// full collection every 50 ms and reads what is live, above the level before the run. (A
        /// heap size as a quick collection leaves it still counts old garbage the next full one would
        /// free, and that grows with the length of the run, not with what the run keeps.) Slow on
        /// purpose: its time is not reported.
        /// </summary>
        internal static long PeakLive(InProcessPowerShell shell, string script, params object[] args)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            long peak = 0;
            var done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    var gc = Stopwatch.StartNew();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                    peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
                    // At least 50 ms, and never more than a fifth of the time spent collecting: a large heap still gets to run.
                    Thread.Sleep(Math.Max(50, (int)(gc.ElapsedMilliseconds * 4)));
                }
            }) { IsBackground = true };
            sampler.Start();
            var result = shell.Invoke(script, args);
            Volatile.Write(ref done, true);
            sampler.Join();
            if (result.Failed)
            {
                throw new InvalidOperationException(result.Describe());
            }

            return Math.Max(0, peak);
        }

        internal static (TimeSpan Time, long PeakHeap, long PeakWorkingSet, long Retained, int Count) Measure(InProcessPowerShell shell, string script, params object[] args)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            // Heap size as the last GC left it: what is really held, not garbage waiting for a GC.
            var heapBefore = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
            var setBefore = process.WorkingSet64;
            long peakHeap = 0, peakSet = 0;
            var done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes - heapBefore);
                    process.Refresh();
                    peakSet = Math.Max(peakSet, process.WorkingSet64 - setBefore);
                    Thread.Sleep(5);
                }
            }) { IsBackground = true };
            sampler.Start();
            var watch = Stopwatch.StartNew();
            var result = shell.Invoke(script, args);
            watch.Stop();
            Volatile.Write(ref done, true);
            sampler.Join();
            if (result.Failed)
            {
                throw new InvalidOperationException(result.Describe());
            }

            // What the run left behind once every dead object is gone: a leak shows here.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var retained = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes - heapBefore;
            return (watch.Elapsed, Math.Max(0, peakHeap), Math.Max(0, peakSet), retained, Convert.ToInt32(result.Output.Last().BaseObject, CultureInfo.InvariantCulture));
        }

        internal static SecureString Key(string text)
        {
            var key = new SecureString();
            foreach (var c in text)
            {
                key.AppendChar(c);
            }

            return key;
        }
    }
}
