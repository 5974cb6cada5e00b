using System;
using System.IO;
using EndpointAdmin.TestSupport;

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

        private readonly NetworkNamespace _client;
        private readonly NetworkNamespace _target;

        public TestNamespaces(string targetRules, string clientHosts)
        {
            _client = NetworkNamespace.Create("dc");
            _target = NetworkNamespace.Create("dt");
            NetworkNamespace.Link(_client, _target, "10.66.6", (Environment.ProcessId % 10000).ToString());
            _target.Nft("table inet ea6test {\n chain input {\n  type filter hook input priority 0; policy accept;\n" + targetRules + "\n }\n}\n");
            Directory.CreateDirectory(HostsFolder);
            File.WriteAllText(Path.Combine(HostsFolder, "hosts"), "127.0.0.1 localhost\n" + clientHosts + "\n");
        }

        public string Client => _client.Name;

        public string Target => _target.Name;

        private string HostsFolder => "/etc/netns/" + Client;

        /// <summary>Runs PowerShell text with the built module in the client namespace (the in-process host, started there).</summary>
        public string RunInClient(string script)
        {
            return HostProcess.Run(script, null, "ip", "netns", "exec", Client);
        }

        public void Dispose()
        {
            if (Directory.Exists(HostsFolder))
            {
                Directory.Delete(HostsFolder, true);
            }

            _client.Dispose();
            _target.Dispose();
        }
    }
}
