using System.Collections;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Baseline;
using EndpointAdmin.DeepSecurity;
using Newtonsoft.Json.Linq;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>Firewall rules as the manager returns them, read as the heartbeat rule a baseline declares, and back.</summary>
    public class HeartbeatRuleSearchTests
    {
        private static JObject Rule(int id, string action = "bypass", string priority = "4", string port = "4118", string ipType = "single", string ip = "10.0.0.0/24")
        {
            var rule = new JObject
            {
                ["ID"] = id,
                ["action"] = action,
                ["priority"] = priority,
                ["direction"] = "incoming",
                ["frameType"] = "ip",
                ["protocol"] = "tcp",
                ["sourceIPType"] = ipType,
                ["sourceMACType"] = "any",
                ["destinationPortType"] = "multiple",
                ["destinationPortMultiple"] = new JArray(port),
            };
            if (ipType == "single")
            {
                rule["sourceIPValue"] = ip;
            }
            else if (ipType == "multiple")
            {
                rule["sourceIPMultiple"] = new JArray(ip.Split(','));
            }

            return rule;
        }

        private static string Declared(Hashtable table)
        {
            var definition = DeepSecurityBaseline.Schema().Policy.Single(d => d.Name == DeepSecurityBaseline.HeartbeatFirewallRule);
            return definition.Normalize(table, "Managers[0].Policies[0].HeartbeatFirewallRule");
        }

        [Fact]
        public void ARuleAsTheModuleCreatesItReadsAsTheDeclaredValue()
        {
            var found = HeartbeatRuleSearch.AsHeartbeatRule(Rule(101));
            Assert.NotNull(found);
            Assert.Equal(Declared(new Hashtable { ["SourceIPAddress"] = "10.0.0.0/24" }), found.Text);
            var multiple = HeartbeatRuleSearch.AsHeartbeatRule(Rule(102, action: "force-allow", ipType: "multiple", ip: "10.9.0.1,10.0.0.0/24"));
            Assert.Equal(Declared(new Hashtable { ["SourceIPAddress"] = new[] { "10.0.0.0/24", "10.9.0.1" }, ["Action"] = "ForceAllow" }), multiple.Text);
            Assert.NotEqual(Declared(new Hashtable { ["SourceIPAddress"] = "10.0.0.0/24", ["Port"] = 4119 }), found.Text);
        }

        [Theory]
        [InlineData("allow", "4", "4118", "single")]
        [InlineData("bypass", "3", "4118", "single")]
        [InlineData("bypass", "4", "4118,4119", "single")]
        [InlineData("bypass", "4", "4118", "ip-list")]
        public void RulesThatCannotBeTheHeartbeatRuleAreLeftOut(string action, string priority, string port, string ipType)
        {
            var rule = Rule(7, action, priority, port, ipType);
            if (port.Contains(','))
            {
                rule["destinationPortMultiple"] = new JArray(port.Split(','));
            }

            Assert.Null(HeartbeatRuleSearch.AsHeartbeatRule(rule));
        }

        [Fact]
        public void TheDeclaredTextParsesBackIntoTheRuleToCreate()
        {
            var text = Declared(new Hashtable { ["SourceIPAddress"] = new[] { "10.0.0.0/24" }, ["SourceMacAddress"] = "00-11-22-33-44-55", ["Action"] = "ForceAllow", ["Port"] = 4120 });
            var (action, port, ips, macs) = HeartbeatRuleSearch.Parse(text);
            Assert.Equal(HeartbeatRuleAction.ForceAllow, action);
            Assert.Equal(4120, port);
            Assert.Equal(new[] { "10.0.0.0/24" }, ips);
            Assert.Equal(new[] { "00:11:22:33:44:55" }, macs);
            Assert.Equal(text, SettingDefinition.DescribeHeartbeatRule(action.ToString(), port, ips, macs));
        }

        [Fact]
        public void APolicysOwnRuleWinsThenTheDeclaredPortThenTheNewest()
        {
            var rules = new[] { Rule(101), Rule(102, port: "4119"), Rule(103) }.Select(HeartbeatRuleSearch.AsHeartbeatRule).ToDictionary(r => r.Id);
            var inherits = new PolicyNode { Id = 5, Name = "Web Tier", RuleIds = new HashSet<int> { 101, 102, 103 }, OwnRuleIds = new HashSet<int>() };
            Assert.Equal(103, HeartbeatRuleSearch.Pick(inherits, rules, 4118).Id);
            Assert.Equal(102, HeartbeatRuleSearch.Pick(inherits, rules, 4119).Id);
            var own = new PolicyNode { Id = 2, Name = "Linux Server", RuleIds = new HashSet<int> { 101, 102, 103 }, OwnRuleIds = new HashSet<int> { 101 } };
            Assert.Equal(101, HeartbeatRuleSearch.Pick(own, rules, 4119).Id);
            Assert.Null(HeartbeatRuleSearch.Pick(new PolicyNode { Id = 9, Name = "None" }, rules, 4118));
        }
    }
}
