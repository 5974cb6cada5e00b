using System.Linq;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>Validation and canonical form of wanted rules, before any firewall sees them.</summary>
    public class FirewallRuleNormalizerTests
    {
        private static FirewallPortRule Rule(string[] local = null, string[] addresses = null, string[] macs = null, string display = "web")
        {
            return new FirewallPortRule
            {
                DisplayName = display,
                Direction = Direction.Inbound,
                Protocol = Protocol.TCP,
                LocalPort = local ?? new[] { "443" },
                RemoteAddress = addresses ?? new string[0],
                RemoteMacAddress = macs ?? new string[0],
            };
        }

        [Theory]
        [InlineData(new[] { "443" }, new[] { "443" })]
        [InlineData(new[] { "13000-13010", "13005", "13011" }, new[] { "13000-13011" })]
        [InlineData(new[] { "8443", "443", "443-443" }, new[] { "443", "8443" })]
        [InlineData(new[] { "1-65535" }, new[] { "1-65535" })]
        [InlineData(new[] { " 80 " }, new[] { "80" })]
        public void PortsAreMergedSortedAndWrittenOneWay(string[] given, string[] canonical)
        {
            Assert.Equal(canonical, FirewallRuleNormalizer.Normalize(Rule(local: given)).Rule.LocalPort);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("65536")]
        [InlineData("70-60")]
        [InlineData("abc")]
        [InlineData("")]
        [InlineData("+443")]
        [InlineData("1-")]
        [InlineData("-5")]
        [InlineData("443,8443")]
        public void ABadPortIsRejectedNamingIt(string port)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => FirewallRuleNormalizer.Normalize(Rule(local: new[] { "443", port })));
            Assert.Equal(ErrorIds.FirewallPortInvalid, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Equal(port, ex.Target);
        }

        [Theory]
        [InlineData(new[] { "10.0.0.5/8" }, new[] { "10.0.0.0/8" })]
        [InlineData(new[] { "10.0.0.0-10.0.0.255" }, new[] { "10.0.0.0/24" })]
        [InlineData(new[] { "10.0.0.0/8", "10.1.0.0/16", "192.168.1.9" }, new[] { "10.0.0.0/8", "192.168.1.9" })]
        [InlineData(new[] { "192.168.1.1-192.168.1.20", "192.168.1.21" }, new[] { "192.168.1.1-192.168.1.21" })]
        [InlineData(new[] { "fe80::1/10", "2001:DB8::1", "10.0.0.1/32" }, new[] { "10.0.0.1", "2001:db8::1", "fe80::/10" })]
        [InlineData(new[] { "Any" }, new string[0])]
        public void AddressesAreMergedPerFamilyAndWrittenOneWay(string[] given, string[] canonical)
        {
            Assert.Equal(canonical, FirewallRuleNormalizer.Normalize(Rule(addresses: given)).Rule.RemoteAddress);
        }

        [Theory]
        [InlineData("300.1.1.1")]
        [InlineData("::g")]
        [InlineData("10.0.0.0/33")]
        [InlineData("fe80::/129")]
        [InlineData("10.1")]
        [InlineData("010.1.1.1.1")]
        [InlineData("10.0.0.9-10.0.0.1")]
        [InlineData("10.0.0.1-fe80::1")]
        [InlineData("fe80::1%eth0")]
        [InlineData("10.0.0.0/")]
        [InlineData("")]
        public void ABadAddressIsRejectedNamingIt(string address)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => FirewallRuleNormalizer.Normalize(Rule(addresses: new[] { address })));
            Assert.Equal(ErrorIds.FirewallAddressInvalid, ex.ErrorId);
            Assert.Equal(address, ex.Target);
        }

        [Fact]
        public void MacAddressesAreLowerCaseWithColons()
        {
            Assert.Equal(new[] { "00:11:22:33:44:55", "aa:bb:cc:dd:ee:ff" }, FirewallRuleNormalizer.Normalize(Rule(macs: new[] { "AA-BB-CC-DD-EE-FF", "00:11:22:33:44:55", "aa:bb:cc:dd:ee:ff" })).Macs);
            var ex = Assert.Throws<EndpointAdminException>(() => FirewallRuleNormalizer.Normalize(Rule(macs: new[] { "zz:11:22:33:44:55" })));
            Assert.Equal(ErrorIds.FirewallMacAddressInvalid, ex.ErrorId);
            Assert.Equal("zz:11:22:33:44:55", ex.Target);
        }

        [Fact]
        public void NameDefaultsToTheDisplayNameAndGroupToEndpointAdmin()
        {
            var rule = FirewallRuleNormalizer.Normalize(Rule(display: "  Web front  ")).Rule;
            Assert.Equal("Web front", rule.Name);
            Assert.Equal("Web front", rule.DisplayName);
            Assert.Equal("EndpointAdmin", rule.Group);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        public void AnEmptyDisplayNameIsRejected(string display)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => FirewallRuleNormalizer.Normalize(Rule(display: display)));
            Assert.Equal(ErrorIds.FirewallDisplayNameEmpty, ex.ErrorId);
        }

        [Fact]
        public void ARuleWithoutAnyPortIsRejected()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => FirewallRuleNormalizer.Normalize(Rule(local: new string[0])));
            Assert.Equal(ErrorIds.FirewallPortMissing, ex.ErrorId);
        }

        [Fact]
        public void CatalogRowsOpenTheLocalPortInboundAndTheRemotePortOutbound()
        {
            var inbound = FirewallRuleNormalizer.FromRequirement(new PortRequirement { Product = Product.SesEvolution, Version = "2.7.1", Component = "AgentHandler", Direction = Direction.Inbound, Protocol = Protocol.TCP, Port = 443, Purpose = "Agents over HTTPS." });
            Assert.Equal("EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443", inbound.Name);
            Assert.Equal(new[] { "443" }, inbound.LocalPort);
            Assert.Empty(inbound.RemotePort);
            Assert.Equal(Product.SesEvolution, inbound.Product);
            Assert.Contains("Agents over HTTPS.", inbound.DisplayName);

            var outbound = FirewallRuleNormalizer.FromRequirement(new PortRequirement { Product = Product.KasperskySecurityCenter, Version = "14", Component = "NetworkAgent", Direction = Direction.Outbound, Protocol = Protocol.UDP, Port = 13000 });
            Assert.Equal("EA-KasperskySecurityCenter-14-NetworkAgent-Out-UDP-13000", outbound.Name);
            Assert.Empty(outbound.LocalPort);
            Assert.Equal(new[] { "13000" }, outbound.RemotePort);
        }

        [Fact]
        public void DifferencesNameEachSettingThatDiffers()
        {
            var a = FirewallRuleNormalizer.Normalize(Rule(local: new[] { "443" }, addresses: new[] { "10.0.0.0/8" }));
            var same = FirewallRuleNormalizer.Normalize(Rule(local: new[] { "443-443" }, addresses: new[] { "10.0.0.0-10.255.255.255" }));
            Assert.Empty(a.DifferencesFrom(same));
            var other = FirewallRuleNormalizer.Normalize(Rule(local: new[] { "8443" }));
            Assert.Equal(new[] { "LocalPort: wanted 443, found 8443", "RemoteAddress: wanted 10.0.0.0/8, found Any" }, a.DifferencesFrom(other).ToArray());
        }
    }
}
