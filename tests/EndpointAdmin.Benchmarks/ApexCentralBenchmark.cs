using System;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Get-Agent over a whole simulated Apex Central against the script an Apex admin writes today
    /// (a JWT made by hand, one GET of ProductAgents, the JSON parsed into a tree), on the same
    /// simulator, at 10,000 and 100,000 agents (or the sizes given: apexcentral 5000 50000), with
    /// each side's requests per agent and the module's peak memory from the smallest to the largest;
    /// beside them a raw HttpClient replaying the module's own request (RawReplay), the floor.
    /// </summary>
    public sealed class ApexCentralBenchmark : IBenchmark
    {
        /// <summary>
        /// The admin's script: the token of the Authentication guide built with .NET, sent through one
        /// HttpClient (what Invoke-RestMethod uses inside), the answer parsed with Newtonsoft.Json (what
        /// ConvertFrom-Json uses inside), then the agents of one server counted.
        /// </summary>
        public const string BaselineScript = @"
param($Uri, $AppId, $Key, $ServerId)
function ConvertTo-Base64Url([byte[]]$Bytes) { [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
$path = '/WebApp/API/AgentResource/ProductAgents'
$sha = [System.Security.Cryptography.SHA256]::Create()
$checksum = [Convert]::ToBase64String($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes('GET|' + $path.ToLowerInvariant() + '||')))
$header = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{""alg"":""HS256"",""typ"":""JWT""}'))
$payload = ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{""appid"":""' + $AppId + '"",""iat"":' + [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + ',""version"":""V1"",""checksum"":""' + $checksum + '""}'))
$hmac = [System.Security.Cryptography.HMACSHA256]::new([Text.Encoding]::UTF8.GetBytes($Key))
$token = $header + '.' + $payload + '.' + (ConvertTo-Base64Url $hmac.ComputeHash([Text.Encoding]::ASCII.GetBytes($header + '.' + $payload)))
$handler = [System.Net.Http.HttpClientHandler]::new()
$handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
$client = [System.Net.Http.HttpClient]::new($handler)
$request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, $Uri + $path)
$request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token)
$response = $client.SendAsync($request).GetAwaiter().GetResult()
$text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
if (-not $response.IsSuccessStatusCode) { throw ""GET failed: $($response.StatusCode) $text"" }
$answer = [Newtonsoft.Json.Linq.JToken]::Parse($text)
if ([int]$answer['result_code'] -ne 1) { throw ""result_code $($answer['result_code'])"" }
$count = 0
foreach ($agent in $answer['result_content']) { if ([string]$agent['managing_server_id'] -eq $ServerId) { $count++ } }
$client.Dispose()
$count
";

        /// <summary>The module: the same question, streamed and filtered, nothing collected.</summary>
        public const string ModuleScript = @"
param($ServerId)
$count = 0
Get-Agent | Where-Object ManagingServerId -eq $ServerId | ForEach-Object { $count++ }
$count
";

        /// <summary>Below this, peak live memory is a few buffers and agents in flight: flat whatever the ratio of two such small numbers.</summary>
        private const long FlatFloorBytes = 4L * 1024 * 1024;

        public string Name => "apexcentral";

        public string Description => "Get-Agent over a whole Apex Central vs a hand-made JWT script, 10k and 100k agents";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10_000, 100_000 };
            var report = new BenchReport("apexcentral: Get-Agent vs the admin's JWT script (same simulator, same process)");
            var peaks = new System.Collections.Generic.List<(int N, long Peak)>();
            foreach (var n in sizes.Prepend(500))
            {
                using var simulator = ApexCentralSimulator.Start(n);
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product ApexCentral -Uri $args[0] -ApplicationId $args[1] -ApiKey $args[2] -CertificateThumbprint $args[3]", simulator.Uri, simulator.ApplicationId, HeartbeatBenchmark.Key(simulator.ApiKey), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                var server = simulator.Agents[0].ManagingServerId;
                var expected = simulator.Agents.Count(a => a.ManagingServerId == server);
                var before = simulator.Requests.Count;
                var tokensBefore = simulator.Tokens.Count;
                var module = HeartbeatBenchmark.Measure(shell, ModuleScript, server);
                var moduleRequests = simulator.Requests.Count - before;

                // The raw client sends the module's own request again, with the module's own JWT (its
                // checksum covers exactly this method, path and body; its iat is seconds old).
                var sent = simulator.Requests.Skip(before).ToList();
                var token = simulator.Tokens.Skip(tokensBefore).Last();
                var headers = new System.Collections.Generic.Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
                var raw = RawReplay.Run(simulator.Uri, simulator.Thumbprint, sent, headers);
                var rawTokens = RawReplay.Run(simulator.Uri, simulator.Thumbprint, sent, headers, tree: false);

                // Peak live memory before the script runs: the script's tree (hundreds of MiB at 100k)
                // is garbage by then, and a baseline taken while it is still around reads as no growth.
                // The median of three runs: what is live at a sample is a few buffers and agents in flight
                // (well under a few MiB), and one unlucky sample should not decide the target.
                var live = n == 500 ? 0 : Enumerable.Range(0, 3).Select(_ => HeartbeatBenchmark.PeakLive(shell, ModuleScript, server)).OrderBy(p => p).ElementAt(1);
                before = simulator.Requests.Count;
                var script = HeartbeatBenchmark.Measure(shell, BaselineScript, simulator.Uri, simulator.ApplicationId, simulator.ApiKey, server);
                var scriptRequests = simulator.Requests.Count - before;
                if (module.Count != expected || script.Count != expected)
                {
                    Console.Error.WriteLine("wrong counts: module " + module.Count + ", script " + script.Count + ", expected " + expected);
                    return 1;
                }

                if (n == 500)
                {
                    continue; // the warm-up round: neither pays the JIT in the measurement
                }

                var k = (n / 1000).ToString(CultureInfo.InvariantCulture) + "k";
                peaks.Add((n, live));
                report.Add("admin JWT script, " + k + " agents", script.Time, script.PeakHeap, script.Count + " agents of one server; working set +" + HeartbeatBenchmark.Mib(script.PeakWorkingSet) + " MiB; retained " + HeartbeatBenchmark.Mib(script.Retained) + " MiB");
                report.Add("Get-Agent, " + k + " agents", module.Time, module.PeakHeap, module.Count + " agents of one server; " + moduleRequests + " requests; peak live " + HeartbeatBenchmark.Mib(live) + " MiB; working set +" + HeartbeatBenchmark.Mib(module.PeakWorkingSet) + " MiB; retained " + HeartbeatBenchmark.Mib(module.Retained) + " MiB");
                report.Add("raw client, the module's " + raw.Requests + " request, parsed to a tree, " + k, raw.Time, null, raw.Requests + " request; " + HeartbeatBenchmark.Mib(raw.Bytes) + " MiB read");
                report.Add("raw client, the same request, token by token only, " + k, rawTokens.Time, null, rawTokens.Requests + " request; the lowest a JSON client can go");
                report.Note(k + ": script/Get-Agent time ratio " + report.Ratio("admin JWT script, " + k + " agents", "Get-Agent, " + k + " agents").ToString("F2", CultureInfo.InvariantCulture));
                report.Note(k + ": requests side by side: script " + scriptRequests + ", raw replay " + raw.Requests + ", Get-Agent " + moduleRequests + " = " + (moduleRequests / (double)n).ToString("F5", CultureInfo.InvariantCulture) + " per agent (ProductAgents is one unpaged answer)");
            }

            if (peaks.Count >= 2)
            {
                var small = peaks.First();
                var large = peaks.Last();
                var growth = large.Peak / (double)Math.Max(1, small.Peak);
                report.Target("Get-Agent peak live memory " + HeartbeatBenchmark.Mib(small.Peak) + " MiB at " + small.N.ToString("N0", CultureInfo.InvariantCulture) + ", " + HeartbeatBenchmark.Mib(large.Peak) + " MiB at " + large.N.ToString("N0", CultureInfo.InvariantCulture) + " agents (" + growth.ToString("F2", CultureInfo.InvariantCulture) + "x; flat: <= 1.5x, or under " + HeartbeatBenchmark.Mib(FlatFloorBytes) + " MiB at the largest fleet, where a few buffers in flight make the ratio noise)", growth <= 1.5 || large.Peak <= FlatFloorBytes);
            }

            report.Note("peak MiB = the largest managed heap a GC left behind during the run above the level before it; simulator included (it writes the answer agent by agent), same process for all.");
            report.Print();
            return 0;
        }
    }
}
