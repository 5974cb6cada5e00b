using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace EndpointAdmin.TestSupport
{
    /// <summary>
    /// A private Linux network namespace for tests and benchmarks: its own interfaces, routes and
    /// nftables ruleset, so firewall work never touches the host's. Deleted on Dispose.
    /// </summary>
    public sealed class NetworkNamespace : IDisposable
    {
        private static int s_counter;

        private NetworkNamespace(string name)
        {
            Name = name;
        }

        public string Name { get; }

        /// <summary>Why namespaces cannot be used here, or null when they can (Linux, root, ip and nft present).</summary>
        public static string Unavailable { get; } = Probe();

        public static NetworkNamespace Create(string purpose)
        {
            if (Unavailable != null)
            {
                throw new InvalidOperationException(Unavailable);
            }

            var name = "ea-" + purpose + "-" + Environment.ProcessId + "-" + Interlocked.Increment(ref s_counter);
            Run("ip", "netns add " + name, check: true);
            var ns = new NetworkNamespace(name);
            ns.Exec("ip link set lo up", check: true);
            return ns;
        }

        /// <summary>Runs a command line inside the namespace.</summary>
        public ProcessResult Exec(string commandLine, bool check = false, string input = null, int timeoutMs = 60000)
        {
            return Run("ip", "netns exec " + Name + " " + commandLine, check, input, timeoutMs);
        }

        /// <summary>Runs nft commands (nft's own syntax, one per line) inside the namespace, as one transaction.</summary>
        public void Nft(string commands)
        {
            Exec("nft -f -", check: true, input: commands);
        }

        /// <summary>The namespace's whole ruleset as nft prints it: compared byte for byte to prove nothing changed.</summary>
        public string Ruleset()
        {
            return Exec("nft list ruleset", check: true).Output;
        }

        /// <summary>Joins two namespaces with a veth pair, <paramref name="subnet"/> being the first three octets (e.g. "10.231.7").</summary>
        public static void Link(NetworkNamespace a, NetworkNamespace b, string subnet, string tag)
        {
            var ifA = "ea" + tag + "a";
            var ifB = "ea" + tag + "b";
            Run("ip", "link add " + ifA + " netns " + a.Name + " type veth peer name " + ifB + " netns " + b.Name, check: true);
            a.Exec("ip addr add " + subnet + ".1/24 dev " + ifA, check: true);
            b.Exec("ip addr add " + subnet + ".2/24 dev " + ifB, check: true);
            a.Exec("ip link set " + ifA + " up", check: true);
            b.Exec("ip link set " + ifB + " up", check: true);
        }

        public void Dispose()
        {
            Run("ip", "netns del " + Name);
        }

        public static ProcessResult Run(string file, string arguments, bool check = false, string input = null, int timeoutMs = 60000)
        {
            return Run(new ProcessStartInfo(file, arguments), check, input, timeoutMs, null);
        }

        /// <summary>Runs a program with an argument list (no quoting) and extra environment variables.</summary>
        public static ProcessResult Run(string file, IEnumerable<string> arguments, IDictionary<string, string> environment = null, bool check = false, int timeoutMs = 60000)
        {
            var psi = new ProcessStartInfo(file);
            foreach (var a in arguments)
            {
                psi.ArgumentList.Add(a);
            }

            return Run(psi, check, null, timeoutMs, environment);
        }

        /// <summary>Runs a program with an argument list in a working directory, with text on its stdin (how DSC runs a command resource).</summary>
        public static ProcessResult Run(string file, IEnumerable<string> arguments, string workingDirectory, string input, IDictionary<string, string> environment = null, int timeoutMs = 60000)
        {
            var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory };
            foreach (var a in arguments)
            {
                psi.ArgumentList.Add(a);
            }

            return Run(psi, false, input, timeoutMs, environment);
        }

        private static ProcessResult Run(ProcessStartInfo psi, bool check, string input, int timeoutMs, IDictionary<string, string> environment)
        {
            psi.UseShellExecute = false;
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            psi.Environment["LC_ALL"] = "C";
            foreach (var pair in environment ?? new Dictionary<string, string>())
            {
                psi.Environment[pair.Key] = pair.Value;
            }

            var what = psi.FileName + " " + (psi.ArgumentList.Count > 0 ? string.Join(" ", psi.ArgumentList) : psi.Arguments);
            using (var p = Process.Start(psi))
            {
                var output = p.StandardOutput.ReadToEndAsync();
                var error = p.StandardError.ReadToEndAsync();
                if (input != null)
                {
                    p.StandardInput.Write(input);
                }

                p.StandardInput.Close();
                if (!p.WaitForExit(timeoutMs))
                {
                    p.Kill(true);
                    throw new TimeoutException(what + " did not finish in " + timeoutMs + " ms");
                }

                var result = new ProcessResult(p.ExitCode, output.Result, error.Result);
                if (check && result.ExitCode != 0)
                {
                    throw new InvalidOperationException(what + " failed (" + result.ExitCode + "): " + result.Error);
                }

                return result;
            }
        }

        private static string Probe()
        {
            if (!OperatingSystem.IsLinux())
            {
                return "network namespaces need Linux";
            }

            if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
            {
                return "network namespaces need root";
            }

            foreach (var tool in new[] { "ip", "nft" })
            {
                var found = false;
                foreach (var dir in ((Environment.GetEnvironmentVariable("PATH") ?? string.Empty) + ":/usr/sbin:/sbin").Split(':'))
                {
                    found |= dir.Length > 0 && File.Exists(Path.Combine(dir, tool));
                }

                if (!found)
                {
                    return tool + " is not installed (apt-get install " + (tool == "ip" ? "iproute2" : "nftables") + ")";
                }
            }

            // Root is not always enough (a container without CAP_SYS_ADMIN): try one.
            var probe = "ea-probe-" + Environment.ProcessId;
            var added = Run("ip", "netns add " + probe);
            if (added.ExitCode != 0)
            {
                return "cannot create a network namespace here: " + added.Error.Trim();
            }

            Run("ip", "netns del " + probe);
            return null;
        }
    }

    public sealed class ProcessResult
    {
        public ProcessResult(int exitCode, string output, string error)
        {
            ExitCode = exitCode;
            Output = output;
            Error = error;
        }

        public int ExitCode { get; }

        public string Output { get; }

        public string Error { get; }
    }
}
