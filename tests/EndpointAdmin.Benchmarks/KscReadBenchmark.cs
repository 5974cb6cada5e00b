using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Reading a whole Kaspersky fleet at 10,000 and 100,000 devices (or the sizes given: ksc-read
    /// 2000 20000): Get-Agent and Test-AgentHeartbeat beside the script a KSC admin writes today
    /// (the Open API flow by hand, every answer parsed into a tree) and beside a bare client
    /// replaying the module's own requests, on the same simulator, with each side's requests
    /// (one FindHosts, one GetItemsChunk per chunk, one Release, each administration group's name
    /// once) and the module's peak memory, which must not grow with the fleet.
    /// </summary>
    public sealed class KscReadBenchmark : IBenchmark
    {
        private const string GetAgentScript = "$n = 0; Get-Agent | ForEach-Object { $n++ }; $n";

        private const string HeartbeatScript = "$n = 0; Test-AgentHeartbeat | ForEach-Object { $n++ }; $n";

        /// <summary>
        /// The admin's script, the Open API flow of the KSC samples: Session.StartSession with the
        /// KSCBasic header, HostGroup.FindHosts with a filter and the attributes, the count from
        /// ChunkAccessor.GetItemsCount, GetItemsChunk 500 at a time, Release, EndSession. One
        /// HttpClient (what Invoke-RestMethod uses inside), bodies made with ConvertTo-Json, every
        /// answer read whole and parsed with Newtonsoft.Json (what ConvertFrom-Json uses inside); one
        /// object per device with its group's name (each group read once), as Get-Agent gives.
        /// </summary>
        public const string BaselineScript = @"
param($Uri, $User, $Password)
$handler = [System.Net.Http.HttpClientHandler]::new()
$handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
$client = [System.Net.Http.HttpClient]::new($handler)
function Invoke-Ksc([string]$Method, [hashtable]$Body, [hashtable]$Headers) {
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, $Uri + '/api/v1.0/' + $Method)
    foreach ($h in $Headers.GetEnumerator()) { [void]$request.Headers.TryAddWithoutValidation($h.Key, [string]$h.Value) }
    $request.Content = [System.Net.Http.StringContent]::new(($Body | ConvertTo-Json -Depth 5 -Compress), [Text.Encoding]::UTF8, 'application/json')
    $response = $client.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw ""$($Method) failed: $($response.StatusCode) $text"" }
    $answer = [Newtonsoft.Json.Linq.JToken]::Parse($text)
    if ($null -ne $answer['PxgError']) { throw ""$($Method): $($answer['PxgError'])"" }
    return ,$answer
}
$basic = 'KSCBasic user=""' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($User)) + '"", pass=""' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Password)) + '"", internal=""1""'
$session = [string](Invoke-Ksc 'Session.StartSession' @{} @{ Authorization = $basic; 'X-KSC-VServer' = '' })['PxgRetVal']
$headers = @{ 'X-KSC-Session' = $session }
$fields = @('KLHST_WKS_HOSTNAME', 'KLHST_WKS_DN', 'KLHST_WKS_DNSNAME', 'KLHST_WKS_DNSDOMAIN', 'KLHST_WKS_IP_LONG', 'KLHST_WKS_GROUPID', 'KLHST_WKS_LAST_VISIBLE', 'KLHST_WKS_LAST_INFOUDATE', 'KLHST_WKS_LAST_NAGENT_CONNECTED', 'KLHST_WKS_KEEP_CONNECTION', 'KLHST_WKS_STATUS', 'KLHST_WKS_NAG_VERSION')
$found = Invoke-Ksc 'HostGroup.FindHosts' @{ wstrFilter = '(KLHST_WKS_HOSTNAME<>"""")'; vecFieldsToReturn = $fields; vecFieldsToOrder = @(); pParams = @{ KLSRVH_SLAVE_REC_DEPTH = 0; KLGRP_FIND_FROM_CUR_VS_ONLY = $true }; lMaxLifeTime = 600 } $headers
$accessor = [string]$found['strAccessor']
$total = [int](Invoke-Ksc 'ChunkAccessor.GetItemsCount' @{ strAccessor = $accessor } $headers)['PxgRetVal']
$groups = @{}
$n = 0
try {
    for ($start = 0; $start -lt $total; $start += 500) {
        $chunk = Invoke-Ksc 'ChunkAccessor.GetItemsChunk' @{ strAccessor = $accessor; nStart = $start; nCount = 500 } $headers
        foreach ($item in $chunk['pChunk']['KLCSP_ITERATOR_ARRAY']) {
            $d = $item['value']
            $groupId = [int]$d['KLHST_WKS_GROUPID']
            if (-not $groups.ContainsKey($groupId)) { $groups[$groupId] = [string](Invoke-Ksc 'HostGroup.GetGroupInfo' @{ nGroupId = $groupId } $headers)['PxgRetVal']['value']['name'] }
            $last = $d['KLHST_WKS_LAST_NAGENT_CONNECTED']
            $device = [pscustomobject]@{
                Id = [string]$d['KLHST_WKS_HOSTNAME']
                Name = [string]$d['KLHST_WKS_DN']
                DnsName = [string]$d['KLHST_WKS_DNSNAME'] + '.' + [string]$d['KLHST_WKS_DNSDOMAIN']
                GroupName = $groups[$groupId]
                LastContact = $(if ($last.Type -eq 'Object') { [datetime]::Parse([string]$last['value'], [Globalization.CultureInfo]::InvariantCulture) } else { $null })
                Alive = ([int]$d['KLHST_WKS_STATUS'] -band 8) -ne 0
                AgentVersion = [string]$d['KLHST_WKS_NAG_VERSION']
            }
            if ($null -ne $device.Id) { $n++ }
        }
    }
} finally {
    [void](Invoke-Ksc 'ChunkAccessor.Release' @{ strAccessor = $accessor } $headers)
    [void](Invoke-Ksc 'Session.EndSession' @{} $headers)
    $client.Dispose()
}
$n
";

        /// <summary>
        /// Each side runs this often per round and the fastest run counts: the first full read of a
        /// round runs largely on tier-0 code (about 3x slower at 100k, gone with
        /// DOTNET_TC_CallCountingDelayMs=0), and the machine is shared.
        /// </summary>
        private const int Runs = 3;

        public string Name => "ksc-read";

        public string Description => "Get-Agent and Test-AgentHeartbeat over a whole Kaspersky fleet vs the admin's Open API script and a raw replay of the module's requests: requests per device and peak memory, 10k and 100k devices";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 10_000, 100_000 };
            var report = new BenchReport("ksc-read: Get-Agent and Test-AgentHeartbeat vs the admin's Open API script vs a raw client replaying the module's requests (same simulator, same process)");
            var peaks = new Dictionary<string, List<(int N, long Peak)>> { ["Get-Agent"] = new List<(int, long)>(), ["Test-AgentHeartbeat"] = new List<(int, long)>() };
            foreach (var n in sizes.Prepend(600))
            {
                using var simulator = KscSimulator.Start(n);
                simulator.RecordRequests = false;
                simulator.SessionLifetime = TimeSpan.FromHours(1);
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", simulator.Uri, new PSCredential(simulator.UserName, HeartbeatBenchmark.Key(simulator.Password)), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                // The session Connect-AgentManager started; the replay sends the module's requests on it.
                var session = simulator.IssuedSessions.Last();
                var k = (n / 1000).ToString(CultureInfo.InvariantCulture) + "k";
                var rows = new List<(string Label, TimeSpan Time, long? Peak, string Detail)>();
                var notes = new List<(string Text, bool? Met)>();
                var sides = new[] { ("Get-Agent", GetAgentScript), ("Test-AgentHeartbeat", HeartbeatScript) };
                var best = new (TimeSpan Time, long PeakHeap, long PeakWorkingSet, long Retained, int Count)[sides.Length];
                var bestRaw = new ((TimeSpan Time, int Requests, long Bytes) Run, int Devices)[sides.Length];
                var sent = new IReadOnlyList<RecordedRequest>[sides.Length];
                var requests = new long[sides.Length];
                (TimeSpan Time, long PeakHeap, long PeakWorkingSet, long Retained, int Count) admin = default;
                long scriptRequests = 0;
                // The sides take turns, pass after pass, so the JIT's tiering late in a round favours none.
                for (var pass = 0; pass < Runs; pass++)
                {
                    for (var s = 0; s < sides.Length; s++)
                    {
                        // Only the first pass is recorded (a few hundred requests), so the raw client can send the same ones.
                        simulator.ClearRequests();
                        simulator.RecordRequests = pass == 0;
                        var before = simulator.RequestCount;
                        var run = HeartbeatBenchmark.Measure(shell, sides[s].Item2);
                        simulator.RecordRequests = false;
                        if (pass == 0)
                        {
                            requests[s] = simulator.RequestCount - before;
                            sent[s] = simulator.Requests;
                        }

                        best[s] = pass == 0 || run.Time < best[s].Time ? run : best[s];
                        var raw = Replay(simulator, session, sent[s]);
                        bestRaw[s] = pass == 0 || raw.Run.Time < bestRaw[s].Run.Time ? raw : bestRaw[s];
                    }

                    var scriptBefore = simulator.RequestCount;
                    var script = HeartbeatBenchmark.Measure(shell, BaselineScript, simulator.Uri, simulator.UserName, simulator.Password);
                    scriptRequests = simulator.RequestCount - scriptBefore;
                    admin = pass == 0 || script.Time < admin.Time ? script : admin;
                }

                for (var s = 0; s < sides.Length; s++)
                {
                    var (label, script) = sides[s];
                    var run = best[s];
                    var (raw, rawDevices) = bestRaw[s];
                    var live = n == 600 ? 0 : PeakLive(shell, script);
                    if (run.Count != n || rawDevices != n)
                    {
                        Console.Error.WriteLine(label + " found " + run.Count + " of " + n + " devices; its replay read " + rawDevices);
                        return 1;
                    }

                    peaks[label].Add((n, live));
                    var moduleRow = label + ", " + k + " devices";
                    rows.Add((moduleRow, run.Time, run.PeakHeap, run.Count + " devices; " + requests[s] + " requests = " + (requests[s] / (double)n).ToString("F4", CultureInfo.InvariantCulture) + " per device; peak live " + HeartbeatBenchmark.Mib(live) + " MiB; retained " + HeartbeatBenchmark.Mib(run.Retained) + " MiB"));
                    rows.Add(("raw client, " + label + "'s " + raw.Requests + " requests, parsed to a tree, " + k, raw.Time, null, raw.Requests + " requests; " + HeartbeatBenchmark.Mib(raw.Bytes) + " MiB read"));
                    var overFloor = run.Time.TotalMilliseconds / Math.Max(0.001, raw.Time.TotalMilliseconds);
                    notes.Add((k + ": " + label + " time " + overFloor.ToString("F2", CultureInfo.InvariantCulture) + "x the raw client's (tree) for the same " + raw.Requests + " requests (target <= 1.3x)", overFloor <= 1.3));
                }

                if (admin.Count != n)
                {
                    Console.Error.WriteLine("the admin's script found " + admin.Count + " of " + n + " devices");
                    return 1;
                }

                if (n == 600)
                {
                    peaks["Get-Agent"].Clear();
                    peaks["Test-AgentHeartbeat"].Clear();
                    continue; // the warm-up round: no measurement pays the JIT
                }

                var adminRow = "admin's Open API script, " + k + " devices";
                report.Add(adminRow, admin.Time, admin.PeakHeap, admin.Count + " devices; " + scriptRequests + " requests (StartSession, FindHosts, GetItemsCount, chunks, group names, Release, EndSession)");
                foreach (var r in rows)
                {
                    report.Add(r.Label, r.Time, r.Peak, r.Detail);
                }

                foreach (var t in notes)
                {
                    report.Target(t.Text, t.Met.Value);
                }

                var faster = report.Ratio(adminRow, "Get-Agent, " + k + " devices");
                report.Target(k + ": Get-Agent " + faster.ToString("F2", CultureInfo.InvariantCulture) + "x as fast as the admin's script (target >= 1x)", faster >= 1);
            }

            foreach (var p in peaks.Where(p => p.Value.Count >= 2))
            {
                var small = p.Value.First();
                var large = p.Value.Last();
                var growth = large.Peak / (double)Math.Max(1, small.Peak);
                report.Target(p.Key + " peak live memory " + HeartbeatBenchmark.Mib(small.Peak) + " MiB at " + small.N.ToString("N0", CultureInfo.InvariantCulture) + ", " + HeartbeatBenchmark.Mib(large.Peak) + " MiB at " + large.N.ToString("N0", CultureInfo.InvariantCulture) + " devices (" + growth.ToString("F2", CultureInfo.InvariantCulture) + "x; flat: <= 1.5x)", growth <= 1.5);
            }

            report.Note("requests: Session.StartSession once per connection (outside the module's runs), then per command one HostGroup.FindHosts, one ChunkAccessor.GetItemsChunk per 500 devices (KscWire.ChunkSize; no larger chunk is documented), one ChunkAccessor.Release, and Get-Agent one HostGroup.GetGroupInfo per administration group. The admin's script adds its own StartSession, GetItemsCount and EndSession.");
            report.Note("raw client: the module's requests as the simulator recorded them during the timed run, sent in order on one connection with the module's session (X-KSC-Session) and the accessor of its own FindHosts answer in place of the module's; every answer parsed to a JToken and checked for PxgError.");
            report.Note("peak live: the module's KSC read path holds nothing sized by the fleet (one chunk's tree at a time, the previous one let go before the next is read, which it was not before: up to two; group names per group; the ID set only when several searches can find a device twice; the found-list only for -Id/-Name). What grew was the simulator's, in this process: each FindHosts copied the fleet into its accessor (a list of 100,000 references, 1 MiB, plus the garbage of its growth) and each chunk answer was built as a tree and then as text; a whole-fleet search now keeps the fleet's own list and chunks are streamed into the response.");
            report.Note("time: the fastest of " + Runs + " runs of each side per round, the sides taking turns (the first pass pays JIT tiering; the machine is shared); requests from the first pass. The module's time beyond the raw client is its per-device work (an Agent or HeartbeatResult per device) and the PowerShell pipeline (ForEach-Object per object), which the raw client does not have.");
            report.Note("peak MiB = the largest managed heap a GC left behind during the run above the level before it (old garbage included); peak live = the most of further runs (at least two, about 6 s in all) under a full collection every 50 ms. Simulator included, same process.");
            report.Print();
            return 0;
        }

        /// <summary>
        /// The most a command holds, over sampled runs that add up to a few seconds (at least two):
        /// the sampler sees a short run only a few times and can miss the moment a chunk is in
        /// flight, which would make the small fleet's figure too low and the growth look larger.
        /// </summary>
        private static long PeakLive(InProcessPowerShell shell, string script)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            long peak = 0;
            for (var runs = 0; runs < 2 || (runs < 10 && watch.Elapsed < TimeSpan.FromSeconds(6)); runs++)
            {
                peak = Math.Max(peak, HeartbeatBenchmark.PeakLive(shell, script));
            }

            return peak;
        }

        /// <summary>
        /// The module's recorded requests sent again by a bare client. The accessor is the one
        /// stateful value: each GetItemsChunk and Release named the module's accessor, which its own
        /// Release ended, so the replay's FindHosts answer gives the one they name now.
        /// </summary>
        private static ((TimeSpan Time, int Requests, long Bytes) Run, int Devices) Replay(KscSimulator simulator, string session, IReadOnlyList<RecordedRequest> sent)
        {
            var recorded = sent.Select(r => r.Body == null ? null : (string)JObject.Parse(r.Body)["strAccessor"]).Where(a => a != null).Distinct().ToList();
            string current = null;
            var devices = 0;
            string Body(RecordedRequest r)
            {
                var body = r.Body;
                foreach (var a in recorded)
                {
                    body = body.Replace(a, current ?? a, StringComparison.Ordinal);
                }

                return body;
            }

            void Answered(RecordedRequest r, JToken answer)
            {
                if (answer?["PxgError"] is JToken error)
                {
                    throw new InvalidOperationException("replayed " + r.Path + " answered " + error.ToString(Newtonsoft.Json.Formatting.None));
                }

                if (r.Path.EndsWith("/HostGroup.FindHosts", StringComparison.Ordinal))
                {
                    current = (string)answer["strAccessor"];
                }
                else if (r.Path.EndsWith("/ChunkAccessor.GetItemsChunk", StringComparison.Ordinal))
                {
                    devices += (answer["pChunk"]?["KLCSP_ITERATOR_ARRAY"] as JArray)?.Count ?? 0;
                }
            }

            var run = RawReplay.Run(simulator.Uri, simulator.Thumbprint, sent, new Dictionary<string, string> { ["X-KSC-Session"] = session }, true, Body, Answered);
            return (run, devices);
        }
    }
}
