using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Forced synchronization of a whole Kaspersky fleet (5,000 devices, or the size given:
    /// ksc-sync 2000): Invoke-AgentSync -Wait against the per-device loop a script writes today
    /// (one AddHostsForSync per device, then CheckActionState until each action is finalized), on
    /// the same simulator with a fixed latency per request (5 ms, or the second argument).
    /// </summary>
    public sealed class KscSyncBenchmark : IBenchmark
    {
        /// <summary>
        /// The admin's loop. In pwsh it is Invoke-RestMethod; the benchmark's engine has none, so the
        /// same loop sends through one reused HttpClient (what Invoke-RestMethod uses inside) and
        /// parses with Newtonsoft.Json. It signs in with Session.StartSession, asks for each device's
        /// synchronization with its own AddHostsForSync, then follows each action to its end.
        /// </summary>
        public const string BaselineScript = @"
param($Uri, $User, $Password, $Ids)
$handler = [System.Net.Http.HttpClientHandler]::new()
$handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
$handler.MaxConnectionsPerServer = 1
$client = [System.Net.Http.HttpClient]::new($handler)
$script:requests = 0
function Invoke-KscApi([string]$Method, $Body, [hashtable]$Headers = @{}) {
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, ""$Uri/api/v1.0/$Method"")
    foreach ($h in $Headers.GetEnumerator()) { [void]$request.Headers.TryAddWithoutValidation($h.Key, $h.Value) }
    $request.Content = [System.Net.Http.StringContent]::new([Newtonsoft.Json.JsonConvert]::SerializeObject($Body), [System.Text.Encoding]::UTF8, 'application/json')
    $script:requests++
    $response = $client.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw ""$Method failed: $($response.StatusCode) $text"" }
    $json = [Newtonsoft.Json.Linq.JToken]::Parse($text)
    if ($null -ne $json['PxgError']) { throw ""$Method failed: $($json['PxgError']['message'])"" }
    ,$json
}
$b64 = { param($t) [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($t)) }
$auth = 'KSCBasic user=""' + (& $b64 $User) + '"", pass=""' + (& $b64 $Password) + '"", domain="""", internal=""1""'
$session = [string](Invoke-KscApi 'Session.StartSession' @{} @{ Authorization = $auth; 'X-KSC-VServer' = (& $b64 '') })['PxgRetVal']
$headers = @{ 'X-KSC-Session' = $session }
# --- one request per device ---
$actions = [System.Collections.Generic.List[string]]::new()
foreach ($id in $Ids) {
    $answer = Invoke-KscApi 'HostGroup.AddHostsForSync' @{ pHostNames = @($id); strSSType = '' } $headers
    $actions.Add([string]$answer['strActionGuid'])
}
# --- then each action to its end ---
$ok = 0
foreach ($guid in $actions) {
    while ($true) {
        $state = Invoke-KscApi 'AsyncActionStateChecker.CheckActionState' @{ wstrActionGuid = $guid } $headers
        if ([bool]$state['bFinalized']) { if ([bool]$state['bSuccededFinalized']) { $ok++ }; break }
        [System.Threading.Thread]::Sleep([int]$state['lNextCheckDelay'])
    }
}
$client.Dispose()
$ok
";

        /// <summary>The module: the same request, every device followed to its own outcome.</summary>
        public const string ModuleScript = @"
param($Ids)
$ok = 0
Invoke-AgentSync -Id $Ids -Wait -TimeoutSec 600 | ForEach-Object { if ($_.Status -eq 'Succeeded') { $ok++ } }
$ok
";

        public string Name => "ksc-sync";

        public string Description => "Invoke-AgentSync -Wait over 5,000 Kaspersky devices vs a per-device AddHostsForSync loop, 5 ms per request";

        public int Run(string[] args)
        {
            var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5_000;
            var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
            var report = new BenchReport("ksc-sync: forced synchronization of " + devices + " devices, " + latency.TotalMilliseconds + " ms per request (same simulator, same process)");
            Warm();

            using var simulator = KscSimulator.Start(devices, offlineEvery: 0);
            AllAlive(simulator);
            simulator.RecordRequests = false;
            simulator.Latency = latency;
            simulator.SessionLifetime = TimeSpan.FromHours(1);
            var ids = simulator.Fleet.Hosts.Select(h => h.HostName).ToArray();
            using var shell = new InProcessPowerShell();
            var connect = shell.Invoke("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", simulator.Uri, new PSCredential(simulator.UserName, Secure(simulator.Password)), simulator.Thumbprint);
            if (connect.Failed)
            {
                Console.Error.WriteLine(connect.Describe());
                return 1;
            }

            var before = simulator.RequestCount;
            var (moduleTime, moduleOk) = Measure(shell, ModuleScript, (object)ids);
            var moduleRequests = simulator.RequestCount - before;

            // The devices synchronized by the module have settled; the loop asks for them all again.
            before = simulator.RequestCount;
            var (loopTime, loopOk) = Measure(shell, BaselineScript, simulator.Uri, simulator.UserName, simulator.Password, ids);
            var loopRequests = simulator.RequestCount - before;
            if (moduleOk != devices || loopOk != devices)
            {
                Console.Error.WriteLine("not every device was synchronized: " + moduleOk + " (module) and " + loopOk + " (loop) of " + devices);
                return 1;
            }

            const string Loop = "per-device loop (AddHostsForSync + CheckActionState per device)";
            const string Module = "Invoke-AgentSync -Wait (batched, each device confirmed)";
            report.Add(Loop, loopTime, null, loopOk + " succeeded; " + loopRequests + " requests");
            report.Add(Module, moduleTime, null, moduleOk + " succeeded; " + moduleRequests + " requests");
            report.Note(string.Format(CultureInfo.InvariantCulture, "requests: {0} vs {1} = {2:F1}x fewer (target >= 20x)", loopRequests, moduleRequests, loopRequests / (double)Math.Max(1, moduleRequests)));
            report.Note(string.Format(CultureInfo.InvariantCulture, "wall time: {0:F1}x faster (target >= 10x)", report.Ratio(Loop, Module)));
            report.Note(string.Format(CultureInfo.InvariantCulture, "requests per device: loop {0:F3}, Invoke-AgentSync {1:F3}", loopRequests / (double)devices, moduleRequests / (double)devices));
            report.Note("The simulator finalizes each action " + simulator.ActionDelay.TotalMilliseconds + " ms after it starts and a device synchronizes " + simulator.SyncDelay.TotalMilliseconds + " ms after the request (rounded up to the next whole second, as KSC datetimes carry seconds). The module also follows every device until its last Network Agent connection moves, which the loop does not.");
            report.Print();
            return 0;
        }

        /// <summary>Both scripts once over a small fleet first, so neither pays the JIT in the measurement.</summary>
        private static void Warm()
        {
            using var simulator = KscSimulator.Start(50, offlineEvery: 0);
            AllAlive(simulator);
            using var shell = new InProcessPowerShell();
            shell.Invoke("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", simulator.Uri, new PSCredential(simulator.UserName, Secure(simulator.Password)), simulator.Thumbprint);
            var ids = simulator.Fleet.Hosts.Select(h => h.HostName).ToArray();
            shell.Invoke(ModuleScript, (object)ids);
            shell.Invoke(BaselineScript, simulator.Uri, simulator.UserName, simulator.Password, ids);
        }

        /// <summary>Every Network Agent answers, so both sides can finish (the seeded fleet has a few that never connected).</summary>
        private static void AllAlive(KscSimulator simulator)
        {
            foreach (var host in simulator.Fleet.Hosts)
            {
                host.Status |= 0x08;
            }
        }

        private static (TimeSpan Time, int Ok) Measure(InProcessPowerShell shell, string script, params object[] args)
        {
            var watch = Stopwatch.StartNew();
            var result = shell.Invoke(script, args);
            watch.Stop();
            if (result.Failed)
            {
                throw new InvalidOperationException(result.Describe());
            }

            return (watch.Elapsed, Convert.ToInt32(result.Output.Last().BaseObject, CultureInfo.InvariantCulture));
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
