using System.Collections.Specialized;
using System.Linq;
using EndpointAdmin.Baseline;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>An export reads back as the same baseline, from .psd1 text and from JSON.</summary>
    public class BaselineWriterTests
    {
        private static OrderedDictionary Sample() => new OrderedDictionary
        {
            ["Managers"] = new object[]
            {
                new OrderedDictionary
                {
                    ["Product"] = "DeepSecurity",
                    ["Uri"] = "https://dsm.example.com:4119",
                    ["BasePolicy"] = new OrderedDictionary { ["IntervalMinutes"] = 10, ["MissedHeartbeatsBeforeAlert"] = "Unlimited", ["RaiseOfflineErrorsForInactiveVMs"] = false },
                    ["Policies"] = new object[] { new OrderedDictionary { ["Id"] = 3, ["CommunicationDirection"] = "ManagerInitiated" } },
                },
            },
            ["HostFirewall"] = new OrderedDictionary { ["ExtraRules"] = new object[] { new OrderedDictionary { ["DisplayName"] = "O'Brien's rule", ["Direction"] = "Inbound", ["Protocol"] = "TCP", ["LocalPort"] = new[] { "22", "2222" } } } },
        };

        [Fact]
        public void JsonRoundTripsThroughTheReader()
        {
            var tree = BaselineTree.FromJson(BaselineWriter.Json(Sample()), "export.json");
            var (document, problems) = BaselineSamples.Read(tree);

            Assert.Empty(problems);
            Assert.Equal(new[] { "10", "Unlimited", "False" }, document.Managers[0].Targets[0].Settings.Select(s => s.Value));
            Assert.Equal("O'Brien's rule", document.HostFirewall.Extra.Single().Rule.DisplayName);
        }

        [Fact]
        public void Psd1TextIsDataOnlyWithQuotesEscaped()
        {
            var text = BaselineWriter.Psd1(Sample());

            Assert.Contains("IntervalMinutes = 10", text);
            Assert.Contains("RaiseOfflineErrorsForInactiveVMs = $false", text);
            Assert.Contains("DisplayName = 'O''Brien''s rule'", text);
            Assert.Contains("LocalPort = @('22', '2222')", text);
            Assert.DoesNotContain("$null", text);
        }
    }
}
