using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class ManagerCapabilityTests
    {
        [Fact]
        public void AMissingCapabilityIsOneNotSupportedErrorNamingTheConsolePage()
        {
            using var provider = new DeepSecurityProvider(null);
            Assert.DoesNotContain(ManagerCapability.SetProxyByAddress, provider.Capabilities);
            var ex = Assert.Throws<EndpointAdminException>(() => ManagerCapabilities.Require(provider, ManagerCapability.SetProxyByAddress));
            Assert.Equal(ErrorIds.ManagerOperationNotSupported, ex.ErrorId);
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Contains("Administration > System Settings > Proxies", ex.RecommendedAction);
        }

        /// <summary>A provider that declares nothing fails every operation with the one NotSupported error, never a silent no-op.</summary>
        [Fact]
        public void AProviderBaseFailsEveryUndeclaredOperationWithTheConsolePage()
        {
            using var provider = new NothingProvider();
            var cancel = System.Threading.CancellationToken.None;
            var calls = new Action[]
            {
                () => provider.GetAgents(new AgentQuery(), null, cancel),
                () => provider.TestHeartbeat(new AgentQuery(), new HeartbeatRun(DateTime.UtcNow), null, cancel),
                () => provider.GetHeartbeatPolicy(PolicyTarget.Base(), cancel),
                () => provider.ResolveTarget(PolicyTarget.Base(), cancel),
                () => provider.CheckChange(PolicyTarget.Base(), new HeartbeatChange(), cancel),
                () => provider.SetHeartbeatPolicy(PolicyTarget.Base(), new HeartbeatChange(), cancel),
                () => provider.NewHeartbeatFirewallRule(new HeartbeatRuleRequest(), cancel),
                () => provider.RequestSync(new[] { "1" }, cancel),
                () => provider.WaitForSync(new[] { new SyncResult() }, DateTime.UtcNow, cancel),
                () => provider.CountContinuousConnections(cancel),
                () => provider.SetContinuousConnection(new Agent(), true, cancel),
                () => provider.CheckProxyScope(ProxyPurpose.AgentUpdate, PolicyTarget.Base()),
                () => provider.SetProxy(ProxyPurpose.AgentUpdate, PolicyTarget.Base(), 1, cancel),
                () => provider.SetServerCommunication(new ServerCommunicationRequest(), null, cancel),
                () => provider.SetAgentServerProxy(new AgentServerProxyRequest(), null, cancel),
                () => provider.SetFirewallSettings(new FirewallSettingsRequest(), null, cancel),
                () => _ = provider.HeartbeatLimits,
                () => _ = provider.DefaultHeartbeatRulePort,
            };
            foreach (var call in calls)
            {
                var ex = Assert.Throws<EndpointAdminException>(call);
                Assert.Equal(ErrorIds.ManagerOperationNotSupported, ex.ErrorId);
                Assert.Equal(ErrorKind.NotSupported, ex.Kind);
                Assert.Equal("Do it in the DeepSecurity console: Somewhere > " + ex.Target + ".", ex.RecommendedAction);
            }
        }

        private sealed class NothingProvider : ManagerProviderBase
        {
            public override ManagerProduct Product => ManagerProduct.DeepSecurity;

            public override IReadOnlyCollection<ManagerCapability> Capabilities => new ManagerCapability[0];

            public override string ConsolePath(ManagerCapability capability) => "Somewhere > " + capability;

            public override string CheckConnection(System.Threading.CancellationToken cancel) => null;
        }

        /// <summary>
        /// The capability table of about_EndpointAdmin_Products is what the providers declare, row by
        /// row. Providers are found by reflection, so a new provider's column is checked as soon as it
        /// exists; a column whose product has no provider yet must say "pending".
        /// </summary>
        [Fact]
        public void TheDocumentedCapabilityMatrixMatchesWhatProvidersDeclare()
        {
            var root = AppContext.BaseDirectory;
            while (root != null && !File.Exists(Path.Combine(root, "EndpointAdmin.sln")))
            {
                root = Path.GetDirectoryName(root);
            }

            Assert.NotNull(root);
            var lines = File.ReadAllLines(Path.Combine(root, "docs", "en-US", "about_EndpointAdmin_Products.md"));
            var header = lines.Single(l => l.StartsWith("| Capability |", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
            var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && Enum.GetNames(typeof(ManagerCapability)).Any(n => l.StartsWith("| " + n + " ", StringComparison.Ordinal)))
                .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
                .ToDictionary(c => c[1], c => c);
            var providers = typeof(IAgentManagerProvider).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(IAgentManagerProvider).IsAssignableFrom(t))
                .Select(t => (IAgentManagerProvider)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t))
                .ToDictionary(p => p.Product.ToString(), p => p);
            Assert.Contains("DeepSecurity", providers.Keys);
            Assert.Contains("ApexCentral", providers.Keys);
            foreach (var product in Enum.GetNames(typeof(ManagerProduct)))
            {
                var column = Array.IndexOf(header, product);
                Assert.True(column > 0, product + " has no column in the capability table");
                foreach (ManagerCapability capability in Enum.GetValues(typeof(ManagerCapability)))
                {
                    Assert.True(rows.ContainsKey(capability.ToString()), capability + " is missing from the matrix");
                    var cell = rows[capability.ToString()][column];
                    if (!providers.TryGetValue(product, out var provider))
                    {
                        Assert.Equal("pending", cell);
                        continue;
                    }

                    Assert.True((provider.Capabilities.Contains(capability) ? "yes" : "no") == cell, product + " " + capability + ": the table says " + cell);
                }
            }
        }
    }
}
