using System.Collections.Generic;
using System.IO;
using System.Text;
using EndpointAdmin.DeepSecurity;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class ComputerPageReaderTests
    {
        private static readonly HashSet<string> Wanted = new HashSet<string> { "platformSettingHeartbeatInterval", "platformSettingHeartbeatMissedAlertThreshold" };

        private static Stream Json(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

        [Fact]
        public void AnOverridesListingKeepsOnlyComputersThatSetAWantedSettingThemselves()
        {
            var listing = Json(@"{""computers"":[
                {""ID"":1,""computerSettings"":{}},
                {""ID"":2,""hostName"":null,""computerStatus"":{""agentStatus"":null},""computerSettings"":{""platformSettingHeartbeatInterval"":{""value"":""2 Minutes""}}},
                {""ID"":3,""computerSettings"":{""firewallSettingEngineOptionsEnabled"":{""value"":""true""}}},
                {""computerSettings"":{""platformSettingHeartbeatInterval"":{""value"":""5 Minutes""}}},
                {},
                {""ID"":5,""computerSettings"":{""platformSettingHeartbeatInterval"":{""value"":""2 Minutes""},""platformSettingHeartbeatMissedAlertThreshold"":{""value"":null}}}
            ],""extra"":[1,2]}");
            var own = ComputerPageReader.ReadOwnSettings(listing, Wanted);
            Assert.Equal(new[] { 2, 5 }, new SortedSet<int>(own.Keys));
            Assert.Equal("2 Minutes", own[2]["platformSettingHeartbeatInterval"]);
            Assert.Single(own[5]); // a null value is no override
            Assert.Same(own[2], own[5]); // identical sets are kept once
        }

        [Fact]
        public void ABrokenListingIsAnError()
        {
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => ComputerPageReader.ReadOwnSettings(Json(@"{""computers"":[{""ID"":1,""computerSettings"":{"), Wanted));
        }
    }
}
