using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// 500 inbound port rules into an empty firewall, each way in a fresh network namespace:
    ///   - what admins script today: one "nft add rule" per port, in a shell loop;
    ///   - one raw "nft -f" file with all 500 rules (the floor: nft's own parse and commit);
    ///   - EndpointAdmin: 500 rule objects piped into New-FirewallPortRule (one nft transaction),
    ///     timed inside the engine; then the same command again, which must change nothing.
    /// The baselines are timed inside their namespace too (no "ip netns exec" start-up counted).
    /// Each figure is the median of several runs from an empty ruleset, so one slow run on a busy
    /// machine does not decide the ratio.
    /// </summary>
    public sealed class FirewallBenchmark : IBenchmark
    {
        private const int Rules = 500;
        private const int LoopRuns = 3;
        private const int Runs = 7;

        public string Name => "firewall";

        public string Description => Rules + " nftables rules: New-FirewallPortRule vs a per-rule nft loop vs one raw nft -f file";

        public int Run(string[] args)
        {
            if (NetworkNamespace.Unavailable != null)
            {
                Console.WriteLine("firewall benchmark skipped: " + NetworkNamespace.Unavailable);
                return 0;
            }

            var report = new BenchReport("firewall: " + Rules + " inbound TCP rules into an empty ruleset (nft " + NftVersion() + ")");
            var setup = "add table inet bench\nadd chain inet bench input { type filter hook input priority 0; policy accept; }\n";
            var ports = Enumerable.Range(10001, Rules).ToArray();

            using (var ns = NetworkNamespace.Create("bl"))
            {
                var loop = "for p in " + string.Join(" ", ports) + "; do nft add rule inet bench input tcp dport $p accept comment \"\\\"bench $p\\\"\" || exit 1; done";
                var count = 0;
                var median = Median(LoopRuns, () =>
                {
                    ns.Exec("nft flush ruleset", check: true);
                    ns.Nft(setup);
                    var t = Timed(ns, loop);
                    count = Count(ns);
                    return t;
                });
                report.Add("per-rule loop: " + Rules + " x nft add rule", median, null, count + " rules, median of " + LoopRuns);
            }

            using (var ns = NetworkNamespace.Create("br"))
            {
                var file = Path.Combine(Path.GetTempPath(), "ea-bench-" + Environment.ProcessId + ".nft");
                var text = new StringBuilder(setup);
                foreach (var p in ports)
                {
                    text.Append("add rule inet bench input tcp dport ").Append(p).Append(" accept comment \"bench ").Append(p).Append("\"\n");
                }

                File.WriteAllText(file, text.ToString());
                try
                {
                    var count = 0;
                    var median = Median(Runs, () =>
                    {
                        ns.Exec("nft flush ruleset", check: true);
                        var t = Timed(ns, "nft -f " + file);
                        count = Count(ns);
                        return t;
                    });
                    report.Add("raw: one nft -f file", median, null, count + " rules, median of " + Runs);
                }
                finally
                {
                    File.Delete(file);
                }
            }

            using (var ns = NetworkNamespace.Create("be"))
            using (var shell = new NamespacedShell(ns))
            {
                // Rule objects built before the clock starts, as a script would have them from a CSV or the catalog.
                Check(shell.Invoke("$global:rules = foreach ($p in " + ports[0] + ".." + ports[ports.Length - 1] + ") { [pscustomobject]@{ DisplayName = \"bench $p\"; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = \"$p\" } }"));
                var cold = Measure(shell, "$global:rules | New-FirewallPortRule");
                report.Add("EndpointAdmin: New-FirewallPortRule (first command of the process)", cold.Elapsed, cold.Peak, cold.Rules + " rules");
                var warm = cold;
                var median = Median(Runs, () =>
                {
                    ns.Exec("nft flush ruleset", check: true);
                    warm = Measure(shell, "$global:rules | New-FirewallPortRule");
                    return warm.Elapsed;
                });
                report.Add("EndpointAdmin: New-FirewallPortRule", median, warm.Peak, warm.Rules + " rules, median of " + Runs);
                var before = ns.Ruleset();
                var again = Measure(shell, "$global:rules | New-FirewallPortRule -InformationVariable global:info");
                var unchanged = before == ns.Ruleset();
                var said = shell.Invoke("$global:info -join ' '").Output.FirstOrDefault()?.ToString();
                report.Add("EndpointAdmin: the same command again", again.Elapsed, again.Peak, (unchanged ? "ruleset unchanged" : "RULESET CHANGED") + "; " + said);

                report.Print();
                var c = CultureInfo.InvariantCulture;
                var vsLoop = report.Ratio("per-rule loop: " + Rules + " x nft add rule", "EndpointAdmin: New-FirewallPortRule");
                var vsRaw = 1 / report.Ratio("raw: one nft -f file", "EndpointAdmin: New-FirewallPortRule");
                Console.WriteLine(string.Format(c, "   EndpointAdmin vs per-rule loop: {0:F0}x faster (target: at least 50x)", vsLoop));
                Console.WriteLine(string.Format(c, "   EndpointAdmin vs raw nft -f:    {0:F2}x its time (target: within 2x)", vsRaw));
                Console.WriteLine("   re-apply: " + (unchanged ? "zero changes" : "CHANGED THE RULESET"));
                Console.WriteLine("   peak MiB: the engine process's peak working set (PowerShell engine and module included).");
                return unchanged ? 0 : 1;
            }
        }

        private static TimeSpan Median(int runs, Func<TimeSpan> run)
        {
            var times = Enumerable.Range(0, runs).Select(_ => run()).OrderBy(t => t).ToList();
            return times[times.Count / 2];
        }

        private static TimeSpan Timed(NetworkNamespace ns, string command)
        {
            // Timed by the shell inside the namespace: only the work, not the start of "ip netns exec".
            var script = "s=$(date +%s%N)\n" + command + "\ne=$(date +%s%N)\necho $(( (e - s) / 1000 ))\n";
            var r = ns.Exec("bash -s", check: true, input: script, timeoutMs: 600000);
            var micro = long.Parse(r.Output.Trim().Split('\n').Last(), CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(micro * 10);
        }

        // Timed inside a script block, as the command runs in a script or function (top-level
        // interactive statements are interpreted without the engine's compiled locals).
        private static (TimeSpan Elapsed, long Peak, int Rules) Measure(NamespacedShell shell, string command)
        {
            var r = shell.Invoke("& { $rules = $global:rules; $sw = [System.Diagnostics.Stopwatch]::StartNew(); " + command.Replace("$global:rules", "$rules") + "; $sw.Stop(); $sw.Elapsed.Ticks }; [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64; @(Get-FirewallPortRule).Count");
            Check(r);
            return (TimeSpan.FromTicks(Convert.ToInt64(r.Output[0].BaseObject, CultureInfo.InvariantCulture)), Convert.ToInt64(r.Output[1].BaseObject, CultureInfo.InvariantCulture), Convert.ToInt32(r.Output[2].BaseObject, CultureInfo.InvariantCulture));
        }

        private static int Count(NetworkNamespace ns)
        {
            return ns.Exec("nft list chain inet bench input", check: true).Output.Split('\n').Count(l => l.Contains("dport"));
        }

        private static string NftVersion()
        {
            return NetworkNamespace.Run("nft", "--version").Output.Trim();
        }

        private static void Check(RemoteResult r)
        {
            if (r.Failed)
            {
                throw new InvalidOperationException(r.Describe());
            }
        }
    }
}
