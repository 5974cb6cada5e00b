using System;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Test-AgentBaseline over a simulated Deep Security manager with 20 policies, at 2,000 and
    /// 10,000 computers (or the sizes given: baseline 1000 5000): a baseline that declares the base
    /// policy, all 20 policies and every computer (Name = '*'), beside reading the same settings
    /// with today's cmdlets one by one (Get-AgentHeartbeatPolicy for the base policy, each policy and
    /// each computer). The request counts at both sizes show what grows with policies and pages and
    /// what grows with computers.
    /// </summary>
    public sealed class BaselineBenchmark : IBenchmark
    {
        private const int PageSize = 5000;
        private const int Policies = 20;

        /// <summary>The baseline as a hashtable, built from the simulator's address and the policy count; the rows are counted as they stream.</summary>
        public const string ModuleScript = @"
param($Uri, $PolicyCount)
$policies = foreach ($id in 1..$PolicyCount) { @{ Id = $id; IntervalMinutes = 10; MissedHeartbeatsBeforeAlert = 2; CommunicationDirection = 'Bidirectional' } }
$baseline = @{ Managers = @( @{ Product = 'DeepSecurity'; Uri = $Uri
    BasePolicy = @{ IntervalMinutes = 10; MissedHeartbeatsBeforeAlert = 2; CommunicationDirection = 'Bidirectional' }
    Policies = @($policies)
    Computers = @( @{ Name = '*'; IntervalMinutes = 10; MissedHeartbeatsBeforeAlert = 2 } ) } ) }
$rows = 0
Test-AgentBaseline -Baseline $baseline | ForEach-Object { $rows++ }
$rows
";

        /// <summary>The same settings with today's cmdlets: the base policy, each policy, then each computer, one Get-AgentHeartbeatPolicy each.</summary>
        public const string OneByOneScript = @"
param($PolicyCount)
$read = 0
Get-AgentHeartbeatPolicy -BasePolicy | ForEach-Object { $read++ }
foreach ($id in 1..$PolicyCount) { Get-AgentHeartbeatPolicy -PolicyId $id | ForEach-Object { $read++ } }
Get-Agent -Name '*' | ForEach-Object { Get-AgentHeartbeatPolicy -AgentId $_.Id } | ForEach-Object { $read++ }
$read
";

        public string Name => "baseline";

        public string Description => "Test-AgentBaseline of a Deep Security manager with 20 policies, a KSC server and a host firewall vs today's cmdlets one by one, 2k and 10k computers";

        public int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 2_000, 10_000 };
            var report = new BenchReport("baseline: Test-AgentBaseline (base policy, " + Policies + " policies, Computers Name='*') vs Get-AgentHeartbeatPolicy per policy and per computer (same simulator, same process)");
            Warm();
            var counts = new System.Collections.Generic.List<(int N, long Module, long OneByOne)>();
            foreach (var n in sizes)
            {
                using var simulator = DeepSecuritySimulator.Start(n, policies: Policies);
                simulator.RecordRequests = false;
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, HeartbeatBenchmark.Key(simulator.ApiKey), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return 1;
                }

                var before = simulator.RequestCount;
                var module = HeartbeatBenchmark.Measure(shell, ModuleScript, simulator.Uri, Policies);
                var moduleRequests = simulator.RequestCount - before;
                before = simulator.RequestCount;
                var oneByOne = HeartbeatBenchmark.Measure(shell, OneByOneScript, Policies);
                var oneByOneRequests = simulator.RequestCount - before;
                counts.Add((n, moduleRequests, oneByOneRequests));

                // Three rows for the base policy and each policy, two per computer; one read each the other way.
                var rows = 3 * (Policies + 1) + 2 * n;
                if (module.Count != rows || oneByOne.Count != Policies + 1 + n)
                {
                    Console.Error.WriteLine("the runs disagree: " + module.Count + " rows (expected " + rows + "), " + oneByOne.Count + " reads (expected " + (Policies + 1 + n) + ")");
                    return 1;
                }

                var k = (n / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k";
                var moduleRow = "Test-AgentBaseline, " + k;
                var oneRow = "Get-AgentHeartbeatPolicy one by one, " + k;
                report.Add(oneRow, oneByOne.Time, oneByOne.PeakHeap, oneByOne.Count + " reads; " + oneByOneRequests + " requests");
                report.Add(moduleRow, module.Time, module.PeakHeap, module.Count + " rows; " + moduleRequests + " requests");

                // Policies: three listings; computers: a status search per page (and the empty one that ends the walk) and an own-settings search per page.
                var pages = n / PageSize + 1;
                var bound = 3 + 2 * pages;
                report.Target(k + ": Test-AgentBaseline requests " + moduleRequests + " <= 3 policy reads + 2 x " + pages + " page(s) = " + bound, moduleRequests <= bound);
                var faster = report.Ratio(oneRow, moduleRow);
                report.Note(k + ": Test-AgentBaseline " + faster.ToString("F1", CultureInfo.InvariantCulture) + "x faster; requests " + moduleRequests + " vs " + oneByOneRequests);
            }

            if (counts.Count >= 2)
            {
                var small = counts.First();
                var large = counts.Last();
                report.Note("requests at " + small.N.ToString("N0", CultureInfo.InvariantCulture) + " and " + large.N.ToString("N0", CultureInfo.InvariantCulture) + " computers: Test-AgentBaseline " + small.Module + " -> " + large.Module + ", one by one " + small.OneByOne + " -> " + large.OneByOne);
                var agentsGrowth = (large.N - small.N) / (double)small.N;
                var moduleGrowth = (large.Module - small.Module) / (double)Math.Max(1, small.Module);
                report.Target("Test-AgentBaseline requests grow with pages, not computers: +" + (large.Module - small.Module) + " requests for +" + (large.N - small.N).ToString("N0", CultureInfo.InvariantCulture) + " computers (" + (moduleGrowth * 100).ToString("F0", CultureInfo.InvariantCulture) + "% for " + (agentsGrowth * 100).ToString("F0", CultureInfo.InvariantCulture) + "% more computers; at most 2 per added page)", large.Module - small.Module <= 2 * ((large.N / PageSize) - (small.N / PageSize)));
            }

            if (!Ksc(report, sizes))
            {
                return 1;
            }

            HostFirewall(report);

            report.Note("peak MiB = the largest managed heap a GC left behind during the run (sampled every 5 ms), above the level before it; simulator included.");
            report.Note("module pattern: GET /policies, GET /policies?overrides=true, GET /policies/default once; per 5,000 computers one computers/search?expand=computerStatus and one computers/search?expand=computerSettings&overrides=true.");
            report.Print();
            return 0;
        }

        /// <summary>A Kaspersky entry: the db* devices keep a continuous connection, every other holder gives it up.</summary>
        public const string KscScript = @"
param($Uri)
$baseline = @{ Managers = @( @{ Product = 'KasperskySecurityCenter'; Uri = $Uri; ContinuousConnection = @{ Name = @('db*'); Unmanaged = 'Disable' } } ) }
$rows = 0
Test-AgentBaseline -Baseline $baseline | ForEach-Object { $rows++ }
$rows
";

        /// <summary>
        /// The Kaspersky Security Center part: Test-AgentBaseline of the continuous connection
        /// section at the same sizes, with 100 devices holding the setting, so its request counts
        /// stand beside Deep Security's.
        /// </summary>
        private static bool Ksc(BenchReport report, int[] sizes)
        {
            var counts = new System.Collections.Generic.List<(int N, long Requests)>();
            foreach (var n in sizes.Prepend(200))
            {
                using var simulator = KscSimulator.Start(n, keepConnection: 100);
                simulator.RecordRequests = false;
                simulator.SessionLifetime = TimeSpan.FromHours(1);
                using var shell = new InProcessPowerShell();
                var connect = shell.Invoke("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", simulator.Uri, new System.Management.Automation.PSCredential(simulator.UserName, HeartbeatBenchmark.Key(simulator.Password)), simulator.Thumbprint);
                if (connect.Failed)
                {
                    Console.Error.WriteLine(connect.Describe());
                    return false;
                }

                var before = simulator.RequestCount;
                var run = HeartbeatBenchmark.Measure(shell, KscScript, simulator.Uri);
                var requests = simulator.RequestCount - before;
                if (n == 200)
                {
                    continue; // the warm-up run
                }

                counts.Add((n, requests));
                var k = (n / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k";
                report.Add("KSC Test-AgentBaseline ContinuousConnection, " + k + " devices", run.Time, run.PeakHeap, run.Count + " rows; " + requests + " requests");
            }

            if (counts.Count >= 2)
            {
                report.Note("KSC requests at " + counts.First().N.ToString("N0", CultureInfo.InvariantCulture) + " and " + counts.Last().N.ToString("N0", CultureInfo.InvariantCulture) + " devices: " + counts.First().Requests + " -> " + counts.Last().Requests + " (one walk of the hosts, a chunk per request)");
            }

            return true;
        }

        /// <summary>The host firewall part: catalog rows plus 300 extra rules, in a network namespace of its own.</summary>
        public const string FirewallBaseline = @"
$extra = foreach ($p in 20001..20300) { @{ DisplayName = ""extra $p""; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = $p; RemoteAddress = '10.0.0.0/8' } }
$global:hostBaseline = @{ HostFirewall = @{ Rules = @(@{ Product = 'SesEvolution' }, @{ Product = 'KasperskySecurityCenter' }, @{ Product = 'DeepSecurity' }); ExtraRules = @($extra); Unmanaged = 'Remove' } }
";

        /// <summary>
        /// Test-AgentBaseline of the host firewall (one read of EndpointAdmin's table, whatever the
        /// number of rules) beside today's cmdlets one by one: Test-FirewallPortRule per wanted rule.
        /// </summary>
        private static void HostFirewall(BenchReport report)
        {
            if (NetworkNamespace.Unavailable != null)
            {
                report.Note("host firewall part skipped: " + NetworkNamespace.Unavailable);
                return;
            }

            using var ns = NetworkNamespace.Create("bb");
            using var shell = new NamespacedShell(ns);
            Check(shell.Invoke(FirewallBaseline));
            Check(shell.Invoke("Set-AgentBaseline -Baseline $hostBaseline -Confirm:$false"));
            var rules = Convert.ToInt32(Check(shell.Invoke("@(Get-FirewallPortRule).Count")).Output[0].BaseObject, CultureInfo.InvariantCulture);
            var wanted = Check(shell.Invoke("$global:wanted = @(Get-FirewallPortRule); $wanted.Count"));
            TimeSpan Timed(string command)
            {
                var r = Check(shell.Invoke("& { $sw = [System.Diagnostics.Stopwatch]::StartNew(); " + command + "; $sw.Stop(); $sw.Elapsed.Ticks }"));
                return TimeSpan.FromTicks(Convert.ToInt64(r.Output.Last().BaseObject, CultureInfo.InvariantCulture));
            }

            Timed("$null = Test-AgentBaseline -Baseline $hostBaseline");
            Timed("$null = foreach ($w in $wanted) { Test-FirewallPortRule -InputObject $w }");
            var module = Timed("$null = Test-AgentBaseline -Baseline $hostBaseline");
            var oneByOne = Timed("$null = foreach ($w in $wanted) { Test-FirewallPortRule -InputObject $w }");
            var before = ns.Ruleset();
            var again = Timed("$null = Set-AgentBaseline -Baseline $hostBaseline -Confirm:$false");
            var unchanged = before == ns.Ruleset();
            report.Add("Test-FirewallPortRule one by one, " + rules + " host rules", oneByOne, null, rules + " reads of the firewall");
            report.Add("Test-AgentBaseline, host firewall of " + rules + " rules", module, null, "one read of table inet endpointadmin");
            report.Add("Set-AgentBaseline again (nothing drifted)", again, null, unchanged ? "ruleset byte-identical" : "RULESET CHANGED");
            report.Note("host firewall: Test-AgentBaseline " + report.Ratio("Test-FirewallPortRule one by one, " + rules + " host rules", "Test-AgentBaseline, host firewall of " + rules + " rules").ToString("F1", CultureInfo.InvariantCulture) + "x faster than one Test-FirewallPortRule per rule");
            report.Target("a second Set-AgentBaseline leaves the host ruleset byte-identical", unchanged);
        }

        private static RemoteResult Check(RemoteResult r)
        {
            if (r.Failed)
            {
                throw new InvalidOperationException(r.Describe());
            }

            return r;
        }

        /// <summary>Both scripts once over a small manager first, so neither pays the JIT in the measurement.</summary>
        private static void Warm()
        {
            using var simulator = DeepSecuritySimulator.Start(200, policies: Policies);
            simulator.RecordRequests = false;
            using var shell = new InProcessPowerShell();
            shell.Invoke("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2]", simulator.Uri, HeartbeatBenchmark.Key(simulator.ApiKey), simulator.Thumbprint);
            HeartbeatBenchmark.Measure(shell, ModuleScript, simulator.Uri, Policies);
            HeartbeatBenchmark.Measure(shell, OneByOneScript, Policies);
        }
    }
}
