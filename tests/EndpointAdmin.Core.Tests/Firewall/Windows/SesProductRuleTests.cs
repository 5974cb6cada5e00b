using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Windows;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The Windows Defender Firewall rules SES Evolution creates by itself (names from the 2.7.1
    /// firewall document), through the fake COM policy: recognised and reported, counted by Test and
    /// by the migration instead of duplicated, never changed; outbound rules stay the admin's.
    /// </summary>
    public class SesProductRuleTests
    {
        private readonly FakeFirewallPolicy _com = new FakeFirewallPolicy();
        private readonly WindowsFirewallBackend _backend;
        private readonly FirewallService _service;

        public SesProductRuleTests()
        {
            _backend = new WindowsFirewallBackend(_com);
            _service = new FirewallService(_backend);
        }

        /// <summary>The agent handler and backend rules of a separate-machines 2.7.1 installation, named as the document prints them.</summary>
        private void InstallSesRules()
        {
            _com.Foreign("Stormshield Endpoint Security Evolution Agent Handler (TCP-In)", "Stormshield", 6, "17000");
            _com.Foreign("Stormshield Endpoint Security EvolutionAgent Handler (TCP-In)", "Stormshield", 6, "443");
            _com.Foreign("Stormshield Endpoint Security EvolutionBackend (TCP-In)", "Stormshield", 6, "443");
            _com.Foreign("Stormshield Endpoint Security EvolutionPublic API (TCP-In)", "Stormshield", 6, "10443");
            _com.Foreign("Some other product (TCP-In)", "Other", 6, "443");
        }

        private NormalizedRule[] Wanted(string version, string component, Topology? topology)
        {
            var rows = PortCatalog.Default.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Version = version, Components = new[] { NamePattern.Literal(component) }, Topology = topology }).Requirements;
            return rows.Select(r => _service.Prepare(FirewallRuleNormalizer.FromRequirement(r))).ToArray();
        }

        [Theory]
        [InlineData("Stormshield Endpoint Security Evolution Agent Handler (TCP-In)", "AgentHandler")]
        [InlineData("Stormshield Endpoint Security EvolutionAgent Handler (TCP-In)", "AgentHandler")]
        [InlineData("stormshield endpoint security evolution backend (tcp-in)", "Backend")]
        [InlineData("Stormshield Endpoint Security EvolutionPublic API (TCP-In)", "Backend")]
        public void TheDocumentsRuleNamesAreRecognisedWithOrWithoutTheMissingSpace(string name, string component)
        {
            var recognized = ProductFirewallRules.Recognize(name);
            Assert.NotNull(recognized);
            Assert.Equal(Product.SesEvolution, recognized.Value.Product);
            Assert.Equal(component, recognized.Value.Component);
        }

        [Theory]
        [InlineData("Stormshield Endpoint Security Evolution Agent Handler (UDP-In)")]
        [InlineData("Stormshield Data Security (TCP-In)")]
        [InlineData("")]
        public void OtherNamesAreNotProductRules(string name)
        {
            Assert.Null(ProductFirewallRules.Recognize(name));
        }

        [Fact]
        public void TheBackendReadsProductRulesSeparatelyAndNeverChangesThem()
        {
            InstallSesRules();
            var snapshot = _backend.Read();
            Assert.Empty(snapshot.Rules);
            Assert.Equal(4, snapshot.ProductRules.Count);
            Assert.All(snapshot.ProductRules, r => Assert.Equal(FirewallRuleOrigin.Product, r.Origin));
            Assert.Equal(new[] { "17000", "443" }, snapshot.ProductRules.Where(r => r.Component == "AgentHandler").Select(r => r.LocalPort.Single()).ToArray());
            Assert.All(_com.Store, r => Assert.Empty(r.Assignments));

            // Not in the rules the FirewallPortRule cmdlets change: Remove-FirewallPortRule cannot reach them.
            Assert.All(snapshot.ProductRules, r => Assert.False(snapshot.ByName.ContainsKey(r.Name)));
            _backend.Apply(snapshot, new FirewallChangeSet());
            Assert.Equal(5, _com.Store.Count);
            Assert.Empty(_com.Removed);
        }

        [Fact]
        public void TestCountsAProductRuleAsTheWantedInboundRule()
        {
            InstallSesRules();
            var snapshot = _backend.Read();
            var inbound = Wanted("2.7.1", "AgentHandler", Topology.SeparateMachines).Where(w => w.Rule.Direction == Direction.Inbound).ToArray();
            Assert.NotEmpty(inbound);
            foreach (var wanted in inbound)
            {
                var result = _service.Test(snapshot, wanted);
                Assert.Equal(FirewallRuleState.CoveredByProductRule, result.State);
                Assert.True(result.InDesiredState);
                Assert.Contains("Agent Handler (TCP-In)", result.Differences.Single());
            }
        }

        [Fact]
        public void OutboundRulesAreReportedAsTheAdminsToMake()
        {
            InstallSesRules();
            var snapshot = _backend.Read();
            var outbound = Wanted("2.7.1", "AgentHandler", Topology.SeparateMachines).First(w => w.Rule.Direction == Direction.Outbound);
            var result = _service.Test(snapshot, outbound);
            Assert.Equal(FirewallRuleState.Missing, result.State);
            Assert.False(result.InDesiredState);
            Assert.Contains(result.Differences, d => d.Contains("never creates outbound rules", System.StringComparison.Ordinal) && d.Contains("New-FirewallPortRule", System.StringComparison.Ordinal));
        }

        [Fact]
        public void ADisabledOrRestrictedProductRuleDoesNotCount()
        {
            _com.Foreign("Stormshield Endpoint Security Evolution Agent Handler (TCP-In)", "Stormshield", 6, "443").Enabled = false;
            var wanted = Wanted("2.7.1", "AgentHandler", Topology.SeparateMachines).First(w => w.Rule.Direction == Direction.Inbound && w.LocalPorts.ToString() == "443");
            Assert.Equal(FirewallRuleState.Missing, _service.Test(_backend.Read(), wanted).State);
        }

        [Fact]
        public void StartingAMigrationDoesNotDuplicateWhatSesOpenedItself()
        {
            InstallSesRules();
            var migration = new FirewallMigration(PortCatalog.Default);
            var plan = migration.PlanStart(_backend.Read(), _service, Product.SesEvolution, "2.6", "2.7.1", new[] { "AgentHandler" }, Topology.SeparateMachines, null, null);
            // 2.7.1's agent handler listens on 443 (new agents) and 17000 (older agents): SES opened both.
            Assert.Equal(new[] { "17000", "443" }, plan.CoveredByProduct.Select(c => c.Key.LocalPort.Single()).OrderBy(p => p.Length).ThenBy(p => p).Reverse().ToArray());
            Assert.All(plan.CoveredByProduct, c => Assert.Equal(Direction.Inbound, c.Key.Direction));
            Assert.DoesNotContain(plan.Changes.Add, r => r.Rule.Direction == Direction.Inbound);
            Assert.Contains(plan.Changes.Add, r => r.Rule.Direction == Direction.Outbound);
        }

        [Fact]
        public void TheMigrationStatusListsTheProductsOwnRulesPerComponent()
        {
            InstallSesRules();
            var status = new FirewallMigration(PortCatalog.Default).Status(_backend.Read(), FirewallBackendKind.WindowsFirewall, Product.SesEvolution);
            var handler = status.Single(s => s.Component == "AgentHandler");
            Assert.Equal(2, handler.ProductRules.Length);
            Assert.Contains(handler.ProductRules, r => r.Contains("Inbound TCP 17000", System.StringComparison.Ordinal));
            Assert.Equal(2, status.Single(s => s.Component == "Backend").ProductRules.Length);
            Assert.Equal(FirewallMigrationState.None, handler.State);
        }
    }
}
