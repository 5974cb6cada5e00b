using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Test-AgentHeartbeat over a whole simulated Deep Security fleet against the paging script a
    /// Deep Security admin writes today, on the same simulator, at 10,000 and 100,000 computers
    /// (or the sizes given: heartbeat 2000 20000).
    /// </summary>
    public sealed class HeartbeatBenchmark : IBenchmark
    {
        /// <summary>
        /// The admin's script: the documented ID-paged computer search, then, for every computer,
        /// its policy's heartbeat settings, then the verdict. In pwsh it is written with
        /// Invoke-RestMethod; the benchmark's engine has no Invoke-RestMethod, so the same loop
        /// sends through one reused HttpClient (what Invoke-RestMethod uses inside) and parses with
        /// Newtonsoft.Json (what ConvertFrom-Json uses inside), one request per page and one per
        /// computer for its policy.
        /// </summary>
        public const string BaselineScript = @"
param($Uri, $Key, $Expected)
# --- what Invoke-RestMethod -SkipCertificateCheck -Headers $headers -Body ($body | ConvertTo-Json) does ---
$handler = [System.Net.Http.HttpClientHandler]::new()
$handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
$client = [System.Net.Http.HttpClient]::new($handler)
$client.DefaultRequestHeaders.Add('api-secret-key', $Key)
$client.DefaultRequestHeaders.Add('api-version', 'v1')
function Invoke-DsApi([string]$Method, [string]$Path, $Body) {
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), ""$Uri/api/$Path"")
    if ($null -ne $Body) {
        $request.Content = [System.Net.Http.StringContent]::new([Newtonsoft.Json.JsonConvert]::SerializeObject($Body), [System.Text.Encoding]::UTF8, 'application/json')
    }
    $response = $client.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw ""$Method $Path failed: $($response.StatusCode) $text"" }
    # (the comma keeps PowerShell from unrolling the parsed object, as ConvertFrom-Json does)
    ,[Newtonsoft.Json.Linq.JToken]::Parse($text)
}
# --- the admin's loop ---
$now = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
$counts = @{ Healthy = 0; Late = 0; Alert = 0; Unlimited = 0; NeverContacted = 0 }
$lastId = 0
do {
    $body = @{ maxItems = 5000; sortByObjectID = $true; searchCriteria = @(@{ idValue = $lastId; idTest = 'greater-than' }) }
    $page = Invoke-DsApi POST 'computers/search?expand=computerStatus' $body
    $computers = $page['computers']
    foreach ($computer in $computers) {
        $policy = Invoke-DsApi GET ""policies/$([int]$computer['policyID'])""
        $interval = [double](([string]$policy['policySettings']['platformSettingHeartbeatInterval']['value']).Split(' ')[0])
        $threshold = [string]$policy['policySettings']['platformSettingHeartbeatMissedAlertThreshold']['value']
        $last = $computer['lastAgentCommunication']
        if ($null -eq $last) { $counts.NeverContacted++; continue }
        $missed = [Math]::Floor(($now - [long]$last) / 60000 / $interval)
        if ($missed -le 0) { $counts.Healthy++ }
        elseif ($threshold -eq 'Unlimited') { $counts.Unlimited++ }
        elseif ($missed -gt [int]$threshold) { $counts.Alert++ }
        else { $counts.Late++ }
    }
    if ($computers.Count -gt 0) { $lastId = [int]$computers[$computers.Count - 1]['ID'] }
} while ($computers.Count -eq 5000)
$client.Dispose()
if ($counts.Healthy + $counts.Late + $counts.Alert + $counts.Unlimited + $counts.NeverContacted -ne $Expected) { throw 'not every computer was evaluated' }
$counts.Alert
";

        /// <summary>The module: the same question (how many agents are in alert?), streamed and filtered, nothing collected.</summary>
        public const string ModuleScript = @"
$alerts = 0
Test-AgentHeartbeat | Where-Object Status -eq Alert | ForEach-Object { $alerts++ }
$alerts
";

        public string Name => "heartbeat";

        public string Description => "Test-AgentHeartbeat over a whole Deep Security fleet vs an idiomatic paging script, 10k and 100k computers";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10_000, 100_000 };
            var report = new BenchReport("heartbeat: Test-AgentHeartbeat vs the admin's paging script (same simulator, same process)");
            Warm();
            foreach (var n in sizes)
            {
                using var simulator = DeepSecuritySimulator.Start(n);
                simulator.RecordRequests = false;
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, Key(simulator.ApiKey), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                var requestsBefore = simulator.RequestCount;
                var (moduleTime, moduleHeap, moduleSet, moduleRetained, moduleCount) = Measure(shell, ModuleScript);
                var moduleRequests = simulator.RequestCount - requestsBefore;
                requestsBefore = simulator.RequestCount;
                var (scriptTime, scriptHeap, scriptSet, scriptRetained, scriptCount) = Measure(shell, BaselineScript, simulator.Uri, simulator.ApiKey, n);
                var scriptRequests = simulator.RequestCount - requestsBefore;
                // The script ignores settings made on a computer itself (every 97th here), so its count may differ a little.
                if (moduleCount == 0 || Math.Abs(moduleCount - scriptCount) > n / 50)
                {
                    Console.Error.WriteLine("the two disagree: " + moduleCount + " (module) and " + scriptCount + " (script) agents in alert");
                    return 1;
                }

                var k = (n / 1000).ToString(CultureInfo.InvariantCulture) + "k";
                report.Add("admin paging script, " + k + " computers", scriptTime, scriptHeap, scriptCount + " in alert; " + scriptRequests + " requests; working set +" + Mib(scriptSet) + " MiB; retained after a full GC " + Mib(scriptRetained) + " MiB");
                report.Add("Test-AgentHeartbeat, " + k + " computers", moduleTime, moduleHeap, moduleCount + " in alert; " + moduleRequests + " requests; working set +" + Mib(moduleSet) + " MiB; retained after a full GC " + Mib(moduleRetained) + " MiB");
                report.Note(k + ": Test-AgentHeartbeat is " + report.Ratio("admin paging script, " + k + " computers", "Test-AgentHeartbeat, " + k + " computers").ToString("F1", CultureInfo.InvariantCulture) + "x faster than the script");
            }

            report.Note("peak MiB = the largest managed heap a GC left behind during the run (live objects after each GC, sampled every 5 ms), above the level before the run; simulator included, same process for both. Working set: peak rise of the process's working set.");
            report.Note("Baseline = HttpClient + Newtonsoft.Json in script (what Invoke-RestMethod does inside; the benchmark engine has no Invoke-RestMethod): one search per 5000-computer page, one GET /policies/{id} per computer.");
            report.Print();
            return 0;
        }

        /// <summary>Both scripts once over a small fleet first, so neither pays the JIT in the measurement.</summary>
        private static void Warm()
        {
            using var simulator = DeepSecuritySimulator.Start(300);
            using var shell = new InProcessPowerShell();
            shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, Key(simulator.ApiKey), simulator.Thumbprint);
            shell.Invoke(ModuleScript);
            shell.Invoke(BaselineScript, simulator.Uri, simulator.ApiKey, 300);
        }

        internal static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

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
