using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Inbound port rules into an empty firewall at 500 and 5,000 rules (arguments: other sizes),
    /// each way in a fresh network namespace:
    ///   - what admins script today: one "nft add rule" per port, in a shell loop;
    ///   - one raw "nft -f" file with all the rules (the floor: nft's own parse and commit);
    ///   - EndpointAdmin: the rule objects piped into New-FirewallPortRule (one nft transaction),
    ///     timed inside the engine; then Get-FirewallPortRule (all rules, and the rule objects piped
    ///     in, which filters by as many display names as there are rules), Test-FirewallPortRule over
    ///     the same objects, and New-FirewallPortRule again, which must change nothing.
    /// The baselines are timed inside their namespace too (no "ip netns exec" start-up counted).
    /// Each figure is the median of several runs from an empty ruleset, so one slow run on a busy
    /// machine does not decide the ratio. A per-rule loop above 500 rules takes minutes; it is timed
    /// on two samples (the first adds into an empty chain, the last adds into a chain that holds all
    /// the others) and extrapolated, and the report says so. Last, each operation's time at the
    /// largest size is set against the smallest: linear work grows by the size ratio.
    /// </summary>
    public sealed class FirewallBenchmark : IBenchmark
    {
        private const int LoopRuns = 3;
        private const int Runs = 7;
        private const int LargeRuns = 5;

        // Up to this many rules the per-rule loop runs in full; above, it is sampled.
        private const int FullLoopLimit = 500;
        private const int LoopSample = 250;

        private const string Setup = "add table inet bench\nadd chain inet bench input { type filter hook input priority 0; policy accept; }\n";

        private const string Loop = "per-rule loop";
        private const string Raw = "raw nft -f";
        private const string New = "New-FirewallPortRule";
        private const string Get = "Get-FirewallPortRule";
        private const string GetPiped = "Get-FirewallPortRule, rules piped in";
        private const string Test = "Test-FirewallPortRule";
        private const string Again = "re-apply (New- again)";

        public string Name => "firewall";

        public string Description => "500 and 5,000 nftables rules: New-, Get-, Test-FirewallPortRule and re-apply vs a per-rule nft loop vs one raw nft -f file";

        public int Run(string[] args)
        {
            if (NetworkNamespace.Unavailable != null)
            {
                Console.WriteLine("firewall benchmark skipped: " + NetworkNamespace.Unavailable);
                return 0;
            }

            var sizes = args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).Where(n => n > 0).ToArray();
            if (sizes.Length == 0)
            {
                sizes = new[] { 500, 5000 };
            }

            var byOperation = new Dictionary<string, Dictionary<int, TimeSpan>>(StringComparer.Ordinal);
            var exit = 0;
            foreach (var size in sizes)
            {
                exit = Math.Max(exit, RunSize(size, byOperation));
            }

            if (sizes.Length > 1)
            {
                PrintScaling(sizes.Min(), sizes.Max(), byOperation);
            }

            return exit;
        }

        private static int RunSize(int rules, Dictionary<string, Dictionary<int, TimeSpan>> byOperation)
        {
            var c = CultureInfo.InvariantCulture;
            var report = new BenchReport(string.Format(c, "firewall: {0:N0} inbound TCP rules into an empty ruleset (nft {1})", rules, NftVersion()));
            var ports = Enumerable.Range(10001, rules).ToArray();
            var runs = rules > FullLoopLimit ? LargeRuns : Runs;
            void Record(string operation, TimeSpan elapsed)
            {
                if (!byOperation.TryGetValue(operation, out var bySize))
                {
                    byOperation[operation] = bySize = new Dictionary<int, TimeSpan>();
                }

                bySize[rules] = elapsed;
            }

            var file = Path.Combine(Path.GetTempPath(), "ea-bench-" + Environment.ProcessId + "-" + rules + ".nft");
            File.WriteAllText(file, Setup + RuleLines(ports));
            try
            {
                var loopLabel = string.Format(c, "per-rule loop: {0:N0} x nft add rule", rules);
                using (var ns = NetworkNamespace.Create("bl"))
                {
                    TimeSpan loop;
                    string detail;
                    if (rules <= FullLoopLimit)
                    {
                        var count = 0;
                        loop = Median(LoopRuns, () =>
                        {
                            ns.Exec("nft flush ruleset", check: true);
                            ns.Nft(Setup);
                            var t = Timed(ns, LoopScript(ports));
                            count = Count(ns);
                            return t;
                        });
                        detail = count + " rules, median of " + LoopRuns;
                    }
                    else
                    {
                        // The first adds go into an empty chain, the last into one that holds every
                        // other rule (loaded untimed with nft -f): their mean rate times the size is
                        // exact when the cost of one add grows linearly with the chain.
                        ns.Exec("nft flush ruleset", check: true);
                        ns.Nft(Setup);
                        var first = Timed(ns, LoopScript(ports.Take(LoopSample)));
                        ns.Exec("nft flush ruleset", check: true);
                        ns.Nft(Setup + RuleLines(ports.Take(rules - LoopSample)));
                        var last = Timed(ns, LoopScript(ports.Skip(rules - LoopSample)));
                        var count = Count(ns);
                        loop = TimeSpan.FromTicks((first.Ticks + last.Ticks) / 2 * rules / LoopSample);
                        detail = string.Format(
                            c,
                            "EXTRAPOLATED from {0} adds into an empty chain ({1:F1} ms each) and {0} adds into a chain of {2:N0} ({3:F1} ms each); {4:N0} rules at the end",
                            LoopSample,
                            first.TotalMilliseconds / LoopSample,
                            rules - LoopSample,
                            last.TotalMilliseconds / LoopSample,
                            count);
                    }

                    report.Add(loopLabel, loop, null, detail);
                    Record(Loop, loop);
                }

                var rawLabel = "raw: one nft -f file";
                using (var ns = NetworkNamespace.Create("br"))
                {
                    var count = 0;
                    var raw = Median(runs, () =>
                    {
                        ns.Exec("nft flush ruleset", check: true);
                        var t = Timed(ns, "nft -f " + file);
                        count = Count(ns);
                        return t;
                    });
                    report.Add(rawLabel, raw, null, count + " rules, median of " + runs);
                    Record(Raw, raw);
                }

                using (var ns = NetworkNamespace.Create("be"))
                using (var shell = new NamespacedShell(ns))
                {
                    // Rule objects built before the clock starts, as a script would have them from a CSV or the catalog.
                    Check(shell.Invoke("$global:rules = foreach ($p in " + ports[0] + ".." + ports[ports.Length - 1] + ") { [pscustomobject]@{ DisplayName = \"bench $p\"; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = \"$p\" } }"));
                    var cold = Measure(shell, "$rules | New-FirewallPortRule");
                    report.Add("EndpointAdmin: New-FirewallPortRule (first command of the process)", cold.Elapsed, cold.Peak, cold.Rules + " rules");

                    var warm = cold;
                    var created = Median(runs, () =>
                    {
                        ns.Exec("nft flush ruleset", check: true);
                        warm = Measure(shell, "$rules | New-FirewallPortRule");
                        return warm.Elapsed;
                    });
                    var newLabel = "EndpointAdmin: New-FirewallPortRule";
                    report.Add(newLabel, created, warm.Peak, warm.Rules + " rules, median of " + runs);
                    Record(New, created);

                    var listed = warm;
                    var get = Median(runs, () =>
                    {
                        listed = Measure(shell, "$found = @(Get-FirewallPortRule)", "$found.Count");
                        return listed.Elapsed;
                    });
                    report.Add("EndpointAdmin: Get-FirewallPortRule", get, listed.Peak, listed.Rules + " rules listed, median of " + runs);
                    Record(Get, get);

                    // The rule objects piped in bind -DisplayName one by one: as many filters as rules.
                    var matched = warm;
                    var getPiped = Median(runs, () =>
                    {
                        matched = Measure(shell, "$found = @($rules | Get-FirewallPortRule)", "$found.Count");
                        return matched.Elapsed;
                    });
                    report.Add("EndpointAdmin: the rules piped into Get-FirewallPortRule", getPiped, matched.Peak, matched.Rules + " found by " + rules + " display names, median of " + runs);
                    Record(GetPiped, getPiped);

                    var tested = warm;
                    var test = Median(runs, () =>
                    {
                        tested = Measure(shell, "$results = @($rules | Test-FirewallPortRule)", "@($results | Where-Object InDesiredState).Count");
                        return tested.Elapsed;
                    });
                    report.Add("EndpointAdmin: Test-FirewallPortRule", test, tested.Peak, tested.Rules + " of " + rules + " in the desired state, median of " + runs);
                    Record(Test, test);

                    var before = ns.Ruleset();
                    var reapplied = warm;
                    var again = Median(runs, () =>
                    {
                        reapplied = Measure(shell, "$rules | New-FirewallPortRule -InformationVariable global:info");
                        return reapplied.Elapsed;
                    });
                    var unchanged = before == ns.Ruleset();
                    var said = shell.Invoke("$global:info -join ' '").Output.FirstOrDefault()?.ToString() ?? string.Empty;
                    var changes = ChangeCount(said);
                    report.Add("EndpointAdmin: the same command again", again, reapplied.Peak, string.Format(c, "{0} change(s), ruleset {1} ({2:N0} bytes); {3}", changes, unchanged ? "byte-identical" : "CHANGED", before.Length, said));
                    Record(Again, again);

                    report.Print();
                    var vsLoop = report.Ratio(loopLabel, newLabel);
                    var vsRaw = 1 / report.Ratio(rawLabel, newLabel);
                    Console.WriteLine(string.Format(c, "   EndpointAdmin vs per-rule loop: {0:F0}x faster (target: at least 50x){1}", vsLoop, rules > FullLoopLimit ? " (loop extrapolated)" : string.Empty));
                    Console.WriteLine(string.Format(c, "   EndpointAdmin vs raw nft -f:    {0:F2}x its time (target: within 2x)", vsRaw));
                    Console.WriteLine(string.Format(c, "   re-apply: {0} change(s), ruleset {1} after {2} runs", changes, unchanged ? "byte-identical" : "CHANGED", runs));
                    Console.WriteLine("   peak MiB: the engine process's peak working set (PowerShell engine and module included).");
                    return unchanged && changes == 0 ? 0 : 1;
                }
            }
            finally
            {
                File.Delete(file);
            }
        }

        private static void PrintScaling(int small, int large, Dictionary<string, Dictionary<int, TimeSpan>> byOperation)
        {
            var c = CultureInfo.InvariantCulture;
            var expected = (double)large / small;
            Console.WriteLine();
            Console.WriteLine(string.Format(c, "== firewall: growth from {0:N0} to {1:N0} rules (linear = {2:F0}x)", small, large, expected));
            Console.WriteLine(string.Format(c, "{0,-34} {1,12} {2,12} {3,8}  {4}", "operation", small.ToString("N0", c) + " ms", large.ToString("N0", c) + " ms", "ratio", "verdict"));
            foreach (var operation in new[] { New, Get, GetPiped, Test, Again, Raw, Loop })
            {
                if (!byOperation.TryGetValue(operation, out var bySize) || !bySize.ContainsKey(small) || !bySize.ContainsKey(large))
                {
                    continue;
                }

                var ratio = bySize[large].TotalMilliseconds / Math.Max(0.001, bySize[small].TotalMilliseconds);
                // Fixed costs (a process, a transaction) make small sizes relatively dear, so up to
                // the linear ratio is linear; well above it something grows faster than the input.
                var verdict = ratio <= expected * 1.3 ? "linear" : "SUPER-LINEAR";
                Console.WriteLine(string.Format(
                    c,
                    "{0,-34} {1,12:F1} {2,12:F1} {3,7:F1}x  {4} (vs {5:F0}x){6}",
                    operation,
                    bySize[small].TotalMilliseconds,
                    bySize[large].TotalMilliseconds,
                    ratio,
                    verdict,
                    expected,
                    operation == Loop && large > FullLoopLimit ? "; " + large.ToString("N0", c) + " extrapolated" : string.Empty));
            }
        }

        private static string RuleLines(IEnumerable<int> ports)
        {
            var text = new StringBuilder();
            foreach (var p in ports)
            {
                text.Append("add rule inet bench input tcp dport ").Append(p).Append(" accept comment \"bench ").Append(p).Append("\"\n");
            }

            return text.ToString();
        }

        private static string LoopScript(IEnumerable<int> ports)
        {
            return "for p in " + string.Join(" ", ports) + "; do nft add rule inet bench input tcp dport $p accept comment \"\\\"bench $p\\\"\" || exit 1; done";
        }

        private static int ChangeCount(string information)
        {
            // "Nftables: 0 rule(s) created, 500 already present and unchanged."
            var colon = information.IndexOf(": ", StringComparison.Ordinal);
            var space = colon < 0 ? -1 : information.IndexOf(' ', colon + 2);
            return space > 0 && int.TryParse(information.Substring(colon + 2, space - colon - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
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
            var r = ns.Exec("bash -s", check: true, input: script, timeoutMs: 1800000);
            var micro = long.Parse(r.Output.Trim().Split('\n').Last(), CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(micro * 10);
        }

        // Timed inside a script block, as the command runs in a script or function (top-level
        // interactive statements are interpreted without the engine's compiled locals). The count
        // (by default the rules in the firewall) is taken after the clock stops.
        private static (TimeSpan Elapsed, long Peak, int Rules) Measure(NamespacedShell shell, string command, string count = "@(Get-FirewallPortRule).Count")
        {
            var r = shell.Invoke("& { $rules = $global:rules; $sw = [System.Diagnostics.Stopwatch]::StartNew(); " + command + "; $sw.Stop(); $sw.Elapsed.Ticks; [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64; " + count + " }");
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
