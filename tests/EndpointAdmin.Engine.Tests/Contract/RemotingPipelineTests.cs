using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// What Invoke-Command returns is deserialized: pipelines that start from such objects still bind
    /// by property name and do the same as from live objects.
    /// </summary>
    public class RemotingPipelineTests : IClassFixture<RemotingManagerFixture>
    {
        /// <summary>A CliXml round trip, what remoting does to every object it returns.</summary>
        internal const string Remoted = " | ForEach-Object { $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml }";

        private readonly RemotingManagerFixture _fx;

        public RemotingPipelineTests(RemotingManagerFixture fixture)
        {
            _fx = fixture;
        }

        private string[] Ids(string script) => Succeeded(_fx.Shell.Invoke(script)).Select(o => Text(o, "Id") ?? Text(o, "AgentId")).ToArray();

        [Fact]
        public void DeserializedAgentsPipeIntoTestAgentHeartbeat()
        {
            var types = Succeeded(_fx.Shell.Invoke("Get-Agent -Id 1, 2, 3" + Remoted + " | ForEach-Object { $_.PSObject.TypeNames[0] }"));
            Assert.All(types, t => Assert.Equal("Deserialized.EndpointAdmin.Agent", t.ToString()));
            var live = Succeeded(_fx.Shell.Invoke("Get-Agent -Id 1, 2, 3 | Test-AgentHeartbeat"));
            var remote = Succeeded(_fx.Shell.Invoke("Get-Agent -Id 1, 2, 3" + Remoted + " | Test-AgentHeartbeat"));
            Assert.Equal(3, remote.Count);
            Assert.Equal(live.Select(o => Text(o, "AgentId") + "|" + Text(o, "Status")), remote.Select(o => Text(o, "AgentId") + "|" + Text(o, "Status")));
        }

        [Fact]
        public void DeserializedAgentsPipeIntoThePolicyAndSyncCmdlets()
        {
            var policies = Succeeded(_fx.Shell.Invoke("Get-Agent -Id 4" + Remoted + " | Get-AgentHeartbeatPolicy"));
            Assert.Single(policies);
            _fx.Simulator.ClearRequests();
            var whatIf = _fx.Shell.Invoke("Get-Agent -Id 4, 5" + Remoted + " | Invoke-AgentSync -WhatIf");
            Assert.False(whatIf.Failed, whatIf.Describe());
            var whatIfPolicy = _fx.Shell.Invoke("Get-Agent -Id 4" + Remoted + " | Set-AgentHeartbeatPolicy -IntervalMinutes 5 -WhatIf");
            Assert.False(whatIfPolicy.Failed, whatIfPolicy.Describe());
            Assert.Empty(_fx.Simulator.Writes);

            var synced = Succeeded(_fx.Shell.Invoke("Get-Agent -Id 4, 5" + Remoted + " | Invoke-AgentSync -Confirm:$false"));
            Assert.Equal(new[] { "4", "5" }, synced.Select(o => Text(o, "AgentId")).OrderBy(s => s));
            Assert.NotEmpty(_fx.Simulator.Writes);
        }

        [Fact]
        public void DeserializedCatalogRowsPipeIntoTestAgentPortAvailability()
        {
            var live = Succeeded(_fx.Shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound | Test-AgentPortAvailability"));
            var remote = Succeeded(_fx.Shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound" + Remoted + " | Test-AgentPortAvailability"));
            Assert.NotEmpty(remote);
            Assert.Equal(live.Select(o => Text(o, "Port") + "/" + Text(o, "Protocol")), remote.Select(o => Text(o, "Port") + "/" + Text(o, "Protocol")));
        }

        [NetnsFact]
        public void DeserializedCatalogRowsAndRulesDriveTheFirewallCmdlets()
        {
            using var ns = NetworkNamespace.Create("remoted");
            using var shell = new NamespacedShell(ns);
            const string Rows = "Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound" + Remoted;

            var whatIf = shell.Invoke(Rows + " | New-FirewallPortRule -WhatIf");
            Assert.False(whatIf.Failed, whatIf.Describe());
            Assert.DoesNotContain("dport", ns.Ruleset());

            var created = shell.Invoke(Rows + " | New-FirewallPortRule -PassThru");
            Assert.False(created.Failed, created.Describe());
            Assert.Equal(2, created.Output.Count);
            Assert.Contains("dport 443", ns.Ruleset());

            var tested = shell.Invoke("Get-FirewallPortRule" + Remoted + " | Test-FirewallPortRule");
            Assert.False(tested.Failed, tested.Describe());
            Assert.Equal(2, tested.Output.Count);
            Assert.All(tested.Output, t => Assert.Equal("True", Text(t, "InDesiredState")));

            var removed = shell.Invoke("Get-FirewallPortRule" + Remoted + " | Remove-FirewallPortRule -Confirm:$false");
            Assert.False(removed.Failed, removed.Describe());
            Assert.DoesNotContain("dport", ns.Ruleset());
        }
    }
}
