using System;
using EndpointAdmin.DeepSecurity;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class DeepSecurityWireTests
    {
        [Theory]
        [InlineData("10 Minutes", 10.0)]
        [InlineData("1 Minute", 1.0)]
        [InlineData("30 Seconds", 0.5)]
        [InlineData("1 Hour", 60.0)]
        [InlineData("5", 5.0)]
        public void SettingDurationsReadAsMinutes(string value, double minutes)
        {
            Assert.Equal(minutes, DeepSecurityWire.ParseMinutes(value));
        }

        [Fact]
        public void ValuesAreWrittenTheWayTheManagerShowsThem()
        {
            Assert.Equal("1 Minute", DeepSecurityWire.Minutes(1));
            Assert.Equal("10 Minutes", DeepSecurityWire.Minutes(10));
            Assert.Equal("Agent/Appliance Initiated", DeepSecurityWire.DirectionValue(CommunicationDirection.AgentInitiated));
            Assert.Equal(CommunicationDirection.AgentInitiated, DeepSecurityWire.ParseDirection("Agent/Appliance Initiated"));
            Assert.Equal(CommunicationDirection.ManagerInitiated, DeepSecurityWire.ParseDirection("Manager Initiated"));
            Assert.Null(DeepSecurityWire.ParseThreshold("Unlimited"));
            Assert.Equal(3, DeepSecurityWire.ParseThreshold("3"));
        }

        [Theory]
        [InlineData("web*", "web%")]
        [InlineData("db??", "db__")]
        [InlineData("app[12]x", "app_x")]
        [InlineData("exact", "exact")]
        public void PowerShellWildcardsBecomeTheManagersWildcards(string pattern, string expected)
        {
            var hasWildcards = pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
            Assert.Equal(expected, DeepSecurityWire.Criteria.ToServerWildcard(new NamePattern(pattern, hasWildcards, _ => true)));
        }

        [Fact]
        public void TheApiRootIsAddedOnce()
        {
            Assert.Equal("https://dsm:4119/api/", new DeepSecurityFactory().ApiBase(new Uri("https://dsm:4119")).ToString());
            Assert.Equal("https://dsm:4119/api/", new DeepSecurityFactory().ApiBase(new Uri("https://dsm:4119/api/")).ToString());
        }
    }
}
