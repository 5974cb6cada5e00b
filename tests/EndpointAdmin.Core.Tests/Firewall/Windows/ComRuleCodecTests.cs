using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Windows;
using Xunit;
using static EndpointAdmin.Core.Tests.FirewallRuleShapes;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The Windows codec on its own: every rule shape Windows Defender Firewall can keep is written
    /// to a COM rule and decoded back as it was; documents are inert rules that carry their value.
    /// </summary>
    public sealed class ComRuleCodecTests
    {
        public static IEnumerable<object[]> ShapeNames => Names(FirewallBackendKind.WindowsFirewall);

        [Theory]
        [MemberData(nameof(ShapeNames))]
        public void EveryRuleShapeWindowsCanKeepDecodesAsEncoded(string shape)
        {
            var wanted = All[shape]();
            ComRuleCodec.CheckStorable(wanted);
            var com = new FakeFirewallRule();
            ComRuleCodec.Encode(wanted).WriteTo(com);

            Assert.True(ComRuleCodec.IsOurs(com.Description));
            var found = ComRuleCodec.Decode(com, ComRuleCodec.ParseMeta(com));
            AssertReadBackAsWritten(wanted, new FirewallSnapshot(new[] { found }, new Dictionary<string, string>(), null), FirewallBackendKind.WindowsFirewall);
        }

        [Fact]
        public void ADocumentIsADisabledRuleOfTheStateGroupThatCarriesItsValue()
        {
            var com = new FakeFirewallRule();
            ComRuleCodec.EncodeDocument("migration:SesEvolution", "{\"a\":\"x|y\"}").WriteTo(com);

            Assert.False(com.Enabled);
            Assert.Equal(ComRuleCodec.StateGroup, com.Grouping);
            var meta = ComRuleCodec.ParseMeta(com);
            Assert.Equal("doc", ComRuleCodec.Text(meta, "t"));
            Assert.Equal("migration:SesEvolution", ComRuleCodec.Text(meta, "k"));
            Assert.Equal("{\"a\":\"x|y\"}", ComRuleCodec.Text(meta, "v"));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("A rule of someone else")]
        [InlineData("EndpointAdmin: written by hand")]
        public void OnlyDescriptionsStartingWithTheMarkerAndJsonAreOurs(string description)
        {
            Assert.False(ComRuleCodec.IsOurs(description));
        }

        [Fact]
        public void AProductRuleIsDecodedOnlyWhenItsNameIsKnownAndItsPortsAreReadable()
        {
            var policy = new FakeFirewallPolicy();
            var rule = ComRuleCodec.DecodeProductRule(policy.Foreign("Stormshield Endpoint Security EvolutionAgent Handler (TCP-In)", "Stormshield", 6, "443"));

            Assert.Equal(FirewallRuleOrigin.Product, rule.Origin);
            Assert.Equal(Product.SesEvolution, rule.Product);
            Assert.Equal("AgentHandler", rule.Component);
            Assert.Equal(new[] { "443" }, rule.LocalPort);
            Assert.Null(ComRuleCodec.DecodeProductRule(policy.Foreign("Some other product (TCP-In)", "Other", 6, "443")));
            Assert.Null(ComRuleCodec.DecodeProductRule(policy.Foreign("Stormshield Endpoint Security Evolution Backend (TCP-In)", "Stormshield", 6, "RPC")));
        }

        [Fact]
        public void TextCOMWouldRefuseIsRejectedWithItsOwnErrorId()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => ComRuleCodec.CheckStorable(Rule("bar", local: new[] { "1" }, group: "a|b")));
            Assert.Equal(ErrorIds.FirewallValueNotSupported, ex.ErrorId);
            Assert.Equal("bar", ex.Target);
            Assert.Equal(ErrorIds.FirewallValueNotSupported, Assert.Throws<EndpointAdminException>(() => ComRuleCodec.CheckStorable(Rule("all", local: new[] { "1" }, display: "ALL"))).ErrorId);
        }
    }
}
