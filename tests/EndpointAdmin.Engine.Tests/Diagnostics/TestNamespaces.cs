using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>
    /// Two network namespaces of the test's own, joined by a veth pair: a client (10.66.6.1) and
    /// a target (10.66.6.2) whose nftables ruleset drops what the test asks. The client gets its
    /// own hosts file (/etc/netns/&lt;name&gt;/hosts, which "ip netns exec" mounts over /etc/hosts).
    /// Nothing of the host's own interfaces, routes or ruleset is touched. Needs root and iproute2
    /// and nftables (.ci/run installs them).
    /// </summary>
    internal sealed class TestNamespaces : IDisposable
    {
        public const string ClientAddress = "10.66.6.1";
        public const string TargetAddress = "10.66.6.2";

        public TestNamespaces(string targetRules, string clientHosts)
        {
            var tag = Environment.ProcessId % 100000;
            Client = "ea6c" + tag;
            Target = "ea6t" + tag;
            Cleanup();
            Run("ip", "netns add " + Client);
            Run("ip", "netns add " + Target);
            Run("ip", "-n " + Client + " link set lo up");
            Run("ip", "-n " + Target + " link set lo up");
            Run("ip", "link add vc" + tag + " netns " + Client + " type veth peer name vt" + tag + " netns " + Target);
            Run("ip", "-n " + Client + " addr add " + ClientAddress + "/24 dev vc" + tag);
            Run("ip", "-n " + Target + " addr add " + TargetAddress + "/24 dev vt" + tag);
            Run("ip", "-n " + Client + " link set vc" + tag + " up");
            Run("ip", "-n " + Target + " link set vt" + tag + " up");
            var rules = Path.GetTempFileName();
            File.WriteAllText(rules, "table inet ea6test {\n chain input {\n  type filter hook input priority 0; policy accept;\n" + targetRules + "\n }\n}\n");
            try
            {
                Run("ip", "netns exec " + Target + " nft -f " + rules);
            }
            finally
            {
                File.Delete(rules);
            }

            Directory.CreateDirectory(HostsFolder);
            File.WriteAllText(Path.Combine(HostsFolder, "hosts"), "127.0.0.1 localhost\n" + clientHosts + "\n");
        }

        public string Client { get; }

        public string Target { get; }

        private string HostsFolder => "/etc/netns/" + Client;

        /// <summary>Runs PowerShell text with the built module in the client namespace (the in-process host, started there).</summary>
        public string RunInClient(string script)
        {
            return HostProcess.Run(script, null, "ip", "netns", "exec", Client);
        }

        public void Dispose()
        {
            Cleanup();
        }

        private void Cleanup()
        {
            Exec("ip", 10_000, "netns", "del", Client);
            Exec("ip", 10_000, "netns", "del", Target);
            if (Directory.Exists(HostsFolder))
            {
                Directory.Delete(HostsFolder, true);
            }
        }

        private static void Run(string file, string arguments)
        {
            var (exit, output, error) = Exec(file, 10_000, arguments.Split(' '));
            Assert.True(exit == 0, file + " " + arguments + " failed (" + exit + "): " + error + output + " - these tests need root, iproute2 and nftables.");
        }

        internal static (int, string, string) Exec(string file, int timeoutMs, params string[] arguments)
        {
            return Exec(file, timeoutMs, null, arguments);
        }

        internal static (int, string, string) Exec(string file, int timeoutMs, System.Collections.Generic.IDictionary<string, string> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var pair in environment ?? new System.Collections.Generic.Dictionary<string, string>())
            {
                start.Environment[pair.Key] = pair.Value;
            }

            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(true);
                return (-1, output.Result, "timed out");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
    }

    /// <summary>The in-process host (tests/EndpointAdmin.Host) as a child process: for what the test process itself cannot be (another namespace, another TLS library configuration).</summary>
    internal static class HostProcess
    {
        /// <summary>Runs script text; prefix is a wrapper command such as "ip netns exec ns". Returns the rendered output.</summary>
        public static string Run(string script, System.Collections.Generic.IDictionary<string, string> environment, params string[] prefix)
        {
            var host = typeof(InProcessPowerShell).Assembly.Location;
            var command = prefix.Concat(new[] { "dotnet", host, "-Width", "400", "-Command", script }).ToArray();
            var (exit, output, error) = TestNamespaces.Exec(command[0], 120_000, environment, command.Skip(1).ToArray());
            Assert.True(exit == 0, "the host exited " + exit + ": " + error + output);
            return output;
        }
    }
}
