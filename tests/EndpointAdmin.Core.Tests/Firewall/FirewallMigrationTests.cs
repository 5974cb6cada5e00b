using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Nftables;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The migration procedure's decisions, over snapshots built in memory (no firewall).</summary>
    public class FirewallMigrationTests
    {
        private readonly FirewallService _service = new FirewallService(new NftablesBackend(new NftRunner("/nonexistent/nft")));
        private readonly FirewallMigration _migration = new FirewallMigration(PortCatalog.Default);

        private IEnumerable<NormalizedRule> CatalogRules(string version, Topology? topology = null)
        {
            var rows = PortCatalog.Default.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Version = version, Components = new[] { NamePattern.Literal("AgentHandler") }, Topology = topology }).Requirements;
            return rows.Select(r => _service.Prepare(FirewallRuleNormalizer.FromRequirement(r)));
        }

        private static FirewallSnapshot Snapshot(IEnumerable<NormalizedRule> rules, Dictionary<string, string> documents = null)
        {
            return new FirewallSnapshot(rules.ToList(), documents ?? new Dictionary<string, string>(), new NftHandles(true));
        }

        private static FirewallSnapshot After(FirewallSnapshot snapshot, FirewallChangeSet changes)
        {
            var rules = snapshot.Rules.Where(r => !changes.Remove.Contains(r.Name)).Concat(changes.Add);
            var docs = snapshot.Documents.Where(d => !changes.DeleteDocuments.Contains(d.Key)).ToDictionary(d => d.Key, d => d.Value);
            foreach (var d in changes.PutDocuments)
            {
                docs[d.Key] = d.Value;
            }

            return Snapshot(rules, docs);
        }

        [Fact]
        public void StartAddsTheNewVersionsRulesForTheComponentsFoundAndRecordsThem()
        {
            var old = Snapshot(CatalogRules("2.6"));
            var plan = _migration.PlanStart(old, _service, Product.SesEvolution, "2.6", "2.7.1", null, Topology.SeparateMachines, null, null);
            Assert.Equal(6, plan.Changes.Add.Count);
            Assert.All(plan.Changes.Add, r => Assert.Equal("2.7.1", r.Rule.Version));
            Assert.DoesNotContain(plan.Changes.Add, r => r.LocalPorts.ToString() == "8443" || r.RemotePorts.ToString() == "8443");
            Assert.Equal(new[] { "AgentHandler" }, plan.State.Components.Keys);
            Assert.Empty(plan.Changes.Remove);

            var status = Assert.Single(_migration.Status(After(old, plan.Changes), FirewallBackendKind.Nftables, null));
            Assert.Equal(FirewallMigrationState.InProgress, status.State);
            Assert.Equal(5, status.FromVersionRuleCount);
            Assert.Equal(6, status.ToVersionRuleCount);
        }

        [Fact]
        public void CompleteRefusesUntilEveryComponentIsMarkedThenRemovesOnlyTheOldRules()
        {
            var started = Snapshot(CatalogRules("2.6"));
            started = After(started, _migration.PlanStart(started, _service, Product.SesEvolution, "2.6", "2.7.1", new[] { "agenthandler" }, Topology.SameMachine, null, null).Changes);

            var ex = Assert.Throws<EndpointAdminException>(() => _migration.PlanComplete(started, Product.SesEvolution, force: false));
            Assert.Equal(ErrorIds.FirewallMigrationComponentNotMigrated, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidOperation, ex.Kind);
            Assert.Equal("AgentHandler", ex.Target);

            var marked = After(started, _migration.PlanMark(started, Product.SesEvolution, new[] { "AGENTHANDLER" }, true).Changes);
            var plan = _migration.PlanComplete(marked, Product.SesEvolution, force: false);
            Assert.Equal(5, plan.Removed.Count);
            Assert.All(plan.Changes.Remove, n => Assert.StartsWith("EA-SesEvolution-2.6-", n));
            Assert.Empty(plan.Kept);
            Assert.Contains("migration:SesEvolution", plan.Changes.DeleteDocuments);
        }

        [Fact]
        public void AnOldRuleTheNewVersionStillNeedsIsKeptWhileNoNewRuleCoversIt()
        {
            var started = Snapshot(CatalogRules("2.6"));
            started = After(started, _migration.PlanStart(started, _service, Product.SesEvolution, "2.6", "2.7.1", null, Topology.SeparateMachines, null, null).Changes);
            // Someone removed the new 17000 rule; the old one is then the only thing letting old agents in.
            var without = Snapshot(started.Rules.Where(r => r.Name != "EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000"), started.Documents.ToDictionary(d => d.Key, d => d.Value));
            var plan = _migration.PlanComplete(without, Product.SesEvolution, force: true);
            var kept = Assert.Single(plan.Kept);
            Assert.Equal("EA-SesEvolution-2.6-AgentHandler-In-TCP-17000", kept.Name);
            Assert.Equal(4, plan.Removed.Count);
        }

        [Fact]
        public void BadRequestsAreRefusedWithTheirOwnErrors()
        {
            var empty = Snapshot(new NormalizedRule[0]);
            Assert.Equal(ErrorIds.FirewallMigrationNotStarted, Assert.Throws<EndpointAdminException>(() => _migration.PlanComplete(empty, Product.SesEvolution, false)).ErrorId);
            Assert.Equal(ErrorIds.FirewallMigrationNotStarted, Assert.Throws<EndpointAdminException>(() => _migration.PlanMark(empty, Product.SesEvolution, new[] { "AgentHandler" }, true)).ErrorId);
            Assert.Equal(ErrorIds.FirewallMigrationComponentNotFound, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(empty, _service, Product.SesEvolution, "2.6", "2.7.1", null, Topology.SameMachine, null, null)).ErrorId);
            Assert.Equal(ErrorIds.FirewallMigrationSameVersion, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(empty, _service, Product.SesEvolution, "2.7.1", "2.7.1", new[] { "AgentHandler" }, null, null, null)).ErrorId);
            Assert.Equal(ErrorIds.FirewallMigrationTopologyRequired, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(empty, _service, Product.SesEvolution, "2.6", "2.7.1", new[] { "AgentHandler" }, null, null, null)).ErrorId);
            Assert.Equal(ErrorIds.PortCatalogVersionNotFound, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(empty, _service, Product.SesEvolution, "2.6", "9.9", new[] { "AgentHandler" }, null, null, null)).ErrorId);
            Assert.Equal(ErrorIds.PortCatalogComponentNotFound, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(empty, _service, Product.SesEvolution, "2.6", "2.7.1", new[] { "Toaster" }, Topology.SameMachine, null, null)).ErrorId);

            var started = Snapshot(CatalogRules("2.6"));
            started = After(started, _migration.PlanStart(started, _service, Product.SesEvolution, "2.6", "2.7.1", null, Topology.SameMachine, null, null).Changes);
            Assert.Equal(ErrorIds.FirewallMigrationAlreadyStarted, Assert.Throws<EndpointAdminException>(() => _migration.PlanStart(started, _service, Product.SesEvolution, "2.6", "2.7", null, Topology.SameMachine, null, null)).ErrorId);
            Assert.Equal(ErrorIds.FirewallMigrationComponentNotFound, Assert.Throws<EndpointAdminException>(() => _migration.PlanMark(started, Product.SesEvolution, new[] { "Backend" }, true)).ErrorId);
            // Starting the same migration again adds nothing.
            Assert.Empty(_migration.PlanStart(started, _service, Product.SesEvolution, "2.6", "2.7.1", null, Topology.SameMachine, null, null).Changes.Add);
        }
    }
}
