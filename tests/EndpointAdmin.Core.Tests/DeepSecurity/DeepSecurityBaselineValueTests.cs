using System.Collections;
using System.Linq;
using EndpointAdmin.Baseline;
using EndpointAdmin.DeepSecurity;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The manager's value strings read into the same text a baseline value normalizes to, so an
    /// unchanged manager shows no drift ("10 Minutes" is 10), and what does differ still differs.
    /// </summary>
    public class DeepSecurityBaselineValueTests
    {
        private static SettingDefinition Definition(string name) => DeepSecurityBaseline.Schema().Policy.Single(d => d.Name == name);

        private static string Normalize(string name, object value) => Definition(name).Normalize(value, "Managers[0].BasePolicy." + name);

        [Theory]
        [InlineData("10 Minutes", 10)]
        [InlineData("1 Minute", 1)]
        [InlineData("1 Hour", 60)]
        [InlineData("5", 5)]
        public void IntervalsReadAsTheWholeMinutesABaselineDeclares(string wire, int declared)
        {
            Assert.Equal(Normalize(DeepSecurityBaseline.IntervalMinutes, declared), DeepSecurityBaseline.MinutesText(wire));
        }

        [Fact]
        public void ThresholdsClockChangesBooleansAndDirectionsReadAsTheirBaselineText()
        {
            Assert.Equal(Normalize(DeepSecurityBaseline.MissedHeartbeatsBeforeAlert, "unlimited"), DeepSecurityBaseline.ThresholdText("Unlimited"));
            Assert.Equal(Normalize(DeepSecurityBaseline.MissedHeartbeatsBeforeAlert, 3L), DeepSecurityBaseline.ThresholdText("3"));
            Assert.Equal(Normalize(DeepSecurityBaseline.MaximumClockChange, 30.0), DeepSecurityBaseline.ClockText("30 Minutes"));
            Assert.Equal(Normalize(DeepSecurityBaseline.MaximumClockChange, "Unlimited"), DeepSecurityBaseline.ClockText("Unlimited"));
            Assert.Equal(Normalize(DeepSecurityBaseline.RaiseOfflineErrorsForInactiveVMs, true), DeepSecurityBaseline.BooleanText("true"));
            Assert.Equal(Normalize(DeepSecurityBaseline.RaiseOfflineErrorsForInactiveVMs, "False"), DeepSecurityBaseline.BooleanText("false"));
            Assert.Equal(Normalize(DeepSecurityBaseline.CommunicationDirection, "Agent Initiated"), DeepSecurityBaseline.DirectionText("Agent/Appliance Initiated"));
            Assert.Equal(Normalize(DeepSecurityBaseline.CommunicationDirection, "ManagerInitiated"), DeepSecurityBaseline.DirectionText("Manager Initiated"));
            Assert.NotEqual(Normalize(DeepSecurityBaseline.IntervalMinutes, 10), DeepSecurityBaseline.MinutesText("5 Minutes"));
            Assert.NotEqual(Normalize(DeepSecurityBaseline.MissedHeartbeatsBeforeAlert, 2), DeepSecurityBaseline.ThresholdText("Unlimited"));
        }

        [Theory]
        [InlineData(null, "None")]
        [InlineData("", "None")]
        [InlineData("0", "None")]
        [InlineData("3", "3")]
        public void ProxyIdsReadAsAnIdOrNone(string wire, string normalized)
        {
            Assert.Equal(normalized, DeepSecurityBaseline.ProxyValue(wire));
            Assert.Equal(Normalize(DeepSecurityBaseline.SmartProtectionProxyId, normalized == "None" ? (object)"none" : int.Parse(normalized)), normalized);
        }

        [Fact]
        public void AnUnreadableValueIsKeptAsItIsAndNeverMatchesADeclaredOne()
        {
            Assert.Equal("soon", DeepSecurityBaseline.MinutesText("soon"));
            Assert.Equal("many", DeepSecurityBaseline.ThresholdText("many"));
            Assert.Null(DeepSecurityBaseline.ThresholdText(null));
        }

        [Fact]
        public void TheSchemaKeepsPolicyOnlySettingsOffTheBasePolicyAndComputers()
        {
            var schema = DeepSecurityBaseline.Schema();
            Assert.Contains(DeepSecurityBaseline.HeartbeatFirewallRule, schema.PolicyOnly);
            Assert.DoesNotContain(schema.Agent, d => d.Name == DeepSecurityBaseline.HeartbeatFirewallRule);
            Assert.Equal(new[] { DeepSecurityBaseline.AgentUpdateProxyId, DeepSecurityBaseline.ManagerUpdateProxyId }, schema.Manager.Select(d => d.Name));
            var invalid = Assert.Throws<Errors.EndpointAdminException>(() => Normalize(DeepSecurityBaseline.IntervalMinutes, 7));
            Assert.Equal(Errors.ErrorIds.BaselineValueInvalid, invalid.ErrorId);
            Assert.Contains("BasePolicy.IntervalMinutes", invalid.Message);
        }
    }
}
