using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>One normalized form per setting, so values that mean the same never read as drift.</summary>
    public class SettingDefinitionTests
    {
        [Theory]
        [InlineData("Limit", "unlimited", "Unlimited")]
        [InlineData("Limit", " 3 ", "3")]
        [InlineData("Limit", 3L, "3")]
        [InlineData("Limit", 3.0, "3")]
        [InlineData("Boolean", "TRUE", "True")]
        [InlineData("Boolean", false, "False")]
        [InlineData("Direction", "Agent/Appliance Initiated", "AgentInitiated")]
        [InlineData("Direction", "managerinitiated", "ManagerInitiated")]
        [InlineData("ProxyId", "none", "None")]
        [InlineData("ProxyId", null, "None")]
        [InlineData("ProxyId", 12, "12")]
        [InlineData("ProxyMode", "http://Proxy.Corp:8080/", "http://proxy.corp:8080")]
        [InlineData("ProxyMode", "system", "System")]
        public void ValuesThatMeanTheSameNormalizeTheSame(string kind, object raw, string expected)
        {
            Assert.Equal(expected, new SettingDefinition("S", (SettingKind)System.Enum.Parse(typeof(SettingKind), kind)) { Maximum = 100 }.Normalize(raw, "K"));
        }

        [Fact]
        public void AddressSetsCompareInAnyOrderAndSpelling()
        {
            var definition = new SettingDefinition("HeartbeatFirewallRule", SettingKind.HeartbeatRule) { DefaultPort = 4118 };
            var a = definition.Normalize(BaselineSamples.Table("SourceIPAddress", BaselineSamples.List("10.0.0.5", "192.168.1.0/24"), "SourceMacAddress", "00-11-22-33-44-AA"), "K");
            var b = definition.Normalize(BaselineSamples.Table("sourceipaddress", BaselineSamples.List("192.168.1.0/24", "10.0.0.5"), "SourceMacAddress", "00:11:22:33:44:aa", "Port", 4118, "Action", "bypass"), "K");

            Assert.Equal(a, b);
            Assert.Equal(SettingDefinition.DescribeHeartbeatRule("Bypass", 4118, new[] { "192.168.1.0/24", "10.0.0.5" }, new[] { "00:11:22:33:44:AA" }), a);
            Assert.Equal(
                new SettingDefinition("ServerAddress", SettingKind.HostList).Normalize(BaselineSamples.List("B.corp", "a.corp"), "K"),
                new SettingDefinition("ServerAddress", SettingKind.HostList).Normalize(BaselineSamples.List("a.corp", "b.corp", "A.CORP"), "K"));
        }

        [Theory]
        [InlineData("Interval", 7)]
        [InlineData("Limit", 0)]
        [InlineData("Limit", 101)]
        [InlineData("Limit", 2.5)]
        [InlineData("Boolean", 1)]
        [InlineData("Port", 0)]
        [InlineData("ProxyId", -1)]
        [InlineData("ProxyMode", "http://user:pw@proxy:8080")]
        [InlineData("Direction", "Inherited")]
        public void AnInvalidValueIsRefusedWithItsKey(string kind, object raw)
        {
            var definition = new SettingDefinition("S", (SettingKind)System.Enum.Parse(typeof(SettingKind), kind)) { Maximum = 100, Allowed = new[] { 1, 5, 10 } };

            var ex = Assert.Throws<EndpointAdminException>(() => definition.Normalize(raw, "Managers[0].X"));

            Assert.Equal(ErrorIds.BaselineValueInvalid, ex.ErrorId);
            Assert.Equal("Managers[0].X", ex.Target);
            Assert.DoesNotContain("pw@", ex.Message.Replace("'http://user:pw@proxy:8080'", string.Empty));
        }
    }
}
