using System.Linq;
using EndpointAdmin.Errors;
using Xunit;
using static EndpointAdmin.Core.Tests.BaselineSamples;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>A baseline is read whole and every problem is reported with the key it is about, before anything is asked of a manager.</summary>
    public class BaselineReaderTests
    {
        [Fact]
        public void AFullFileReadsIntoTargetsWithNormalizedValues()
        {
            var (document, problems) = Read(Table("Managers", List(
                DeepSecurityManager(
                    "AgentUpdateProxyId", 2L,
                    "BasePolicy", Table("IntervalMinutes", 10, "MissedHeartbeatsBeforeAlert", "unlimited"),
                    "Policies", List(Table("Name", "Servers", "MaximumClockChange", "30", "CommunicationDirection", "Manager Initiated", "HeartbeatFirewallRule", Table("SourceIPAddress", List("10.0.1.0/24", "10.0.0.5")))),
                    "Computers", List(Table("Name", "lap-*", "RaiseOfflineErrorsForInactiveVMs", true))),
                Table("Product", "KasperskySecurityCenter", "Uri", "https://ksc.example.com:13299", "SyncIntervalMinutes", 15, "ContinuousConnection", Table("Name", "dc-*", "Unmanaged", "Disable")))));

            Assert.Empty(problems);
            var ds = document.Managers[0];
            Assert.Equal(ManagerProduct.DeepSecurity, ds.Product);
            Assert.Equal("2", ds.Targets.Single(t => t.Type == BaselineTargetType.Manager).Settings.Single().Value);
            var basePolicy = ds.Targets.Single(t => t.IsBase);
            Assert.Equal(new[] { "10", "Unlimited" }, basePolicy.Settings.Select(s => s.Value));
            var servers = ds.Targets.Single(t => t.Type == BaselineTargetType.Policy && !t.IsBase);
            Assert.Equal("Servers", servers.Names.Single().Text);
            Assert.Equal("30", servers.Settings.Single(s => s.Name == "MaximumClockChange").Value);
            Assert.Equal("ManagerInitiated", servers.Settings.Single(s => s.Name == "CommunicationDirection").Value);
            Assert.Equal("Bypass TCP 4118 from 10.0.0.5, 10.0.1.0/24", servers.Settings.Single(s => s.Name == "HeartbeatFirewallRule").Value);
            Assert.Equal("Managers[0].Policies[0].MaximumClockChange", servers.Settings.Single(s => s.Name == "MaximumClockChange").Key);
            var laptops = ds.Targets.Single(t => t.Type == BaselineTargetType.Agent);
            Assert.True(laptops.Names.Single().IsMatch("LAP-0042"));
            Assert.Equal("True", laptops.Settings.Single().Value);

            var ksc = document.Managers[1];
            Assert.Equal("15", ksc.Targets.Single(t => t.Type == BaselineTargetType.Manager).Settings.Single().Value);
            Assert.Equal(new[] { "True", "False" }, ksc.Targets.Where(t => t.Type == BaselineTargetType.Agent).Select(t => t.Settings.Single().Value));
            Assert.True(ksc.Targets.Last().Others);
        }

        [Theory]
        [InlineData("IntervalMinute", 10, ErrorIds.BaselineKeyUnknown, "Managers[0].BasePolicy.IntervalMinute")]
        [InlineData("IntervalMinutes", 7, ErrorIds.BaselineValueInvalid, "Managers[0].BasePolicy.IntervalMinutes")]
        [InlineData("MissedHeartbeatsBeforeAlert", "sometimes", ErrorIds.BaselineValueInvalid, "Managers[0].BasePolicy.MissedHeartbeatsBeforeAlert")]
        [InlineData("RaiseOfflineErrorsForInactiveVMs", "yes", ErrorIds.BaselineValueInvalid, "Managers[0].BasePolicy.RaiseOfflineErrorsForInactiveVMs")]
        [InlineData("CommunicationDirection", "Inherited", ErrorIds.BaselineValueInvalid, "Managers[0].BasePolicy.CommunicationDirection")]
        [InlineData("SmartProtectionProxyId", 3, ErrorIds.BaselineKeyUnknown, "Managers[0].BasePolicy.SmartProtectionProxyId")]
        public void ABadValueOrKeyNamesTheKeyAndWhatIsWrong(string setting, object value, string errorId, string key)
        {
            var (_, problems) = Read(Table("Managers", List(DeepSecurityManager("BasePolicy", Table(setting, value)))));

            var problem = Assert.Single(problems);
            Assert.Equal(errorId, problem.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, problem.Kind);
            Assert.Equal(key, problem.Target);
            Assert.Contains(key, problem.Message);
        }

        [Fact]
        public void EveryProblemOfAFileIsReportedAtOnce()
        {
            var (_, problems) = Read(Table(
                "Managers", List(
                    DeepSecurityManager("Policies", List(Table("IntervalMinutes", 10), Table("Name", "A", "IntervalMinutes", 11))),
                    Table("Product", "KasperskySecurityCenter", "Uri", "http://ksc.example.com", "Policies", List())),
                "HostFirewall", Table("Unmanaged", "Purge", "Rules", List(Table("Product", "SesEvolution", "Version", "9.9")))));

            var keys = problems.Select(p => (string)p.Target).ToList();
            Assert.Contains("Managers[0].Policies[0]", keys);
            Assert.Contains("Managers[0].Policies[1].IntervalMinutes", keys);
            Assert.Contains("Managers[1].Uri", keys);
            Assert.Contains("HostFirewall.Unmanaged", keys);
            Assert.Contains(problems, p => ((string)p.Target).StartsWith("HostFirewall.Rules[0]") || p.Message.Contains("HostFirewall.Rules[0]"));
        }

        [Fact]
        public void AProductRefusesSectionsItDoesNotHave()
        {
            var (_, problems) = Read(Table("Managers", List(Table("Product", "ApexCentral", "Uri", "https://apex.example.com", "Policies", List(Table("Name", "x", "IntervalMinutes", 10))))));

            var problem = Assert.Single(problems);
            Assert.Equal(ErrorIds.BaselineKeyUnknown, problem.ErrorId);
            Assert.Equal("Managers[0].Policies", problem.Target);
        }

        [Fact]
        public void TheSameManagerTwiceIsAProblem()
        {
            var (_, problems) = Read(Table("Managers", List(DeepSecurityManager("AgentUpdateProxyId", 1), Table("Product", "DeepSecurity", "Uri", "https://DSM.example.com:4119/", "ManagerUpdateProxyId", 1))));

            Assert.Contains(problems, p => (string)p.Target == "Managers[1].Uri");
        }

        [Fact]
        public void AnEmptyBaselineIsRefused()
        {
            var (_, problems) = Read(Table());

            Assert.Equal(ErrorIds.BaselineKeyMissing, Assert.Single(problems).ErrorId);
        }

        [Fact]
        public void JsonReadsIntoTheSameDocumentAsAPsd1()
        {
            var tree = EndpointAdmin.Baseline.BaselineTree.FromJson("{\"managers\":[{\"product\":\"DeepSecurity\",\"uri\":\"https://dsm.example.com:4119\",\"basePolicy\":{\"intervalMinutes\":10,\"missedHeartbeatsBeforeAlert\":\"Unlimited\"}}],\"_inDesiredState\":true}", "test.json");
            var (document, problems) = Read(tree);

            Assert.Empty(problems);
            Assert.Equal(new[] { "10", "Unlimited" }, document.Managers.Single().Targets.Single().Settings.Select(s => s.Value));
        }

        [Fact]
        public void BrokenJsonIsUnreadableWithTheSourceNamed()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => EndpointAdmin.Baseline.BaselineTree.FromJson("{\"managers\": [", "broken.json"));

            Assert.Equal(ErrorIds.BaselineFileUnreadable, ex.ErrorId);
            Assert.Equal("broken.json", ex.Target);
        }

        [Fact]
        public void HostFirewallRulesComeFromTheCatalogAndExtraRulesAreChecked()
        {
            var (document, problems) = Read(Table("HostFirewall", Table(
                "Rules", List(Table("Product", "SesEvolution", "Version", "2.7.1", "Component", "AgentHandler", "Topology", "SeparateMachines", "RemoteAddress", "10.0.0.0/8")),
                "ExtraRules", List(Table("DisplayName", "Mgmt SSH", "Direction", "Inbound", "Protocol", "TCP", "LocalPort", 22)),
                "Unmanaged", "Remove")));

            Assert.Empty(problems);
            Assert.True(document.HostFirewall.RemoveUnmanaged);
            Assert.Equal(new[] { "10.0.0.0/8" }, document.HostFirewall.Catalog.Single().RemoteAddress);
            Assert.Equal(new[] { "22" }, document.HostFirewall.Extra.Single().Rule.LocalPort);

            var (_, bad) = Read(Table("HostFirewall", Table("ExtraRules", List(Table("DisplayName", "x", "Direction", "Inbound", "Protocol", "TCP", "LocalPort", 70000)))));
            var problem = Assert.Single(bad);
            Assert.Equal(ErrorIds.BaselineValueInvalid, problem.ErrorId);
            Assert.Equal("HostFirewall.ExtraRules[0]", problem.Target);
        }
    }
}
