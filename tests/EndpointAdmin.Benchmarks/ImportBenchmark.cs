using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// What loading the module costs a fresh pwsh, side by side in one run: a bare pwsh start, an
    /// empty script module (the engine's fixed cost of any Import-Module), EndpointAdmin, EndpointAdmin
    /// plus its first command, and PSResourceGet (a binary module shipped with pwsh). Each is a new
    /// process, run in rotation so load on the machine hits all of them alike; medians are printed,
    /// with the import and first command also timed inside the process (no process start at all).
    /// </summary>
    public sealed class ImportBenchmark : IBenchmark
    {
        public string Name => "import";

        public string Description => "Import-Module EndpointAdmin and its first command in a fresh pwsh, beside bare pwsh, an empty module and PSResourceGet";

        public int Run(string[] args)
        {
            var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 11;
            var root = RepositoryRoot();
            var module = Path.Combine(root, "out", "EndpointAdmin");
            if (!Directory.Exists(module))
            {
                Console.Error.WriteLine("import: build first (out/EndpointAdmin is missing)");
                return 1;
            }

            var empty = Path.Combine(Path.GetTempPath(), "ea-empty-module-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(empty);
            File.WriteAllText(Path.Combine(empty, "Empty.psm1"), "function Get-Nothing { }\n");
            File.WriteAllText(Path.Combine(empty, "Empty.psd1"), "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0.0'; GUID = 'b3c8f6d2-8a41-4f0e-9d77-1f2e3a4b5c6d'; FunctionsToExport = @('Get-Nothing') }\n");
            const string Clock = "$t = [Diagnostics.Stopwatch]::StartNew(); ";
            const string Report = "; '{0:F1}' -f $t.Elapsed.TotalMilliseconds";
            var cases = new (string Label, string Script)[]
            {
                ("bare pwsh (exit)", "exit"),
                ("empty script module", Clock + "Import-Module '" + Path.Combine(empty, "Empty.psd1") + "'" + Report),
                ("EndpointAdmin", Clock + "Import-Module '" + module + "'" + Report),
                ("EndpointAdmin after an empty script module (its own share)", "Import-Module '" + Path.Combine(empty, "Empty.psd1") + "'; " + Clock + "Import-Module '" + module + "'" + Report),
                ("EndpointAdmin + first Get-AgentPortRequirement", "Import-Module '" + module + "'; " + Clock + "$null = Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler" + Report),
                ("PSResourceGet", Clock + "Import-Module Microsoft.PowerShell.PSResourceGet" + Report),
            };

            var wall = cases.ToDictionary(c => c.Label, c => new List<double>());
            var inside = cases.ToDictionary(c => c.Label, c => new List<double>());
            try
            {
                // One warm-up round so the first case does not pay for a cold disk cache.
                foreach (var c in cases)
                {
                    Pwsh(c.Script, out _);
                }

                for (int round = 0; round < rounds; round++)
                {
                    foreach (var c in cases)
                    {
                        wall[c.Label].Add(Pwsh(c.Script, out var printed));
                        if (double.TryParse(printed, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                        {
                            inside[c.Label].Add(ms);
                        }
                    }
                }
            }
            finally
            {
                Directory.Delete(empty, true);
            }

            var report = new BenchReport("import: a fresh pwsh 7.6 process per measurement, " + rounds + " rounds in rotation, medians");
            var bare = Median(wall["bare pwsh (exit)"]);
            foreach (var c in cases)
            {
                var w = Median(wall[c.Label]);
                var detail = c.Label == "bare pwsh (exit)"
                    ? "process start and exit"
                    : string.Format(CultureInfo.InvariantCulture, "+{0:F0} ms over bare pwsh; {1:F1} ms measured inside the process", w - bare, Median(inside[c.Label]));
                report.Add(c.Label, TimeSpan.FromMilliseconds(w), null, detail);
            }

            var import = Median(inside["EndpointAdmin"]);
            var first = Median(inside["EndpointAdmin + first Get-AgentPortRequirement"]);
            var emptyCost = Median(inside["empty script module"]);
            report.Target(string.Format(CultureInfo.InvariantCulture, "Import-Module EndpointAdmin under 100 ms over a bare pwsh start: {0:F0} ms over bare (wall), {1:F1} ms inside the process; an empty script module costs {2:F1} ms inside", Median(wall["EndpointAdmin"]) - bare, import, emptyCost), Median(wall["EndpointAdmin"]) - bare < 100);
            report.Target(string.Format(CultureInfo.InvariantCulture, "first command under 50 ms: {0:F1} ms", first), first < 50);
            report.Note(string.Format(CultureInfo.InvariantCulture, "PSResourceGet, the binary module pwsh ships: {0:F1} ms inside the process", Median(inside["PSResourceGet"])));
            report.Note(string.Format(CultureInfo.InvariantCulture, "the engine's first Import-Module of a process costs any module about {0:F0} ms (the empty script module); after it, EndpointAdmin's own share is {1:F1} ms (assemblies, cmdlets, format and type data)", emptyCost, Median(inside["EndpointAdmin after an empty script module (its own share)"])));
            report.Print();
            return 0;
        }

        /// <summary>Runs one pwsh and returns its wall time in ms; <paramref name="printed"/> is its last output line.</summary>
        private static double Pwsh(string script, out string printed)
        {
            var start = new ProcessStartInfo(PwshPath())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script })
            {
                start.ArgumentList.Add(a);
            }

            var sw = Stopwatch.StartNew();
            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            sw.Stop();
            printed = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
            return sw.Elapsed.TotalMilliseconds;
        }

        /// <summary>The pwsh launcher build.ps1 Bootstrap writes (out/tools/pwsh), else pwsh on PATH.</summary>
        private static string PwshPath()
        {
            var launcher = Path.Combine(RepositoryRoot(), "out", "tools", "pwsh");
            return File.Exists(launcher) ? launcher : "pwsh";
        }

        private static double Median(List<double> values)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        private static string RepositoryRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "EndpointAdmin.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? Directory.GetCurrentDirectory();
        }
    }
}
