using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class HeartbeatEvaluatorTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
        private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

        [Theory]
        [InlineData(0, 3, "Healthy", 0)]
        [InlineData(9.9, 3, "Healthy", 0)]
        [InlineData(10, 3, "Late", 1)]
        [InlineData(39.9, 3, "Late", 3)]
        [InlineData(40, 3, "Alert", 4)] // "a value of three ... triggers an alert on the fourth missed heartbeat"
        [InlineData(600, 3, "Alert", 60)]
        [InlineData(10, 0, "Alert", 1)]
        [InlineData(-5, 3, "Healthy", 0)] // a manager clock ahead of ours
        public void AlertStartsOnThresholdPlusOne(double minutesAgo, int threshold, string status, int missed)
        {
            Assert.Equal(((HeartbeatStatus)Enum.Parse(typeof(HeartbeatStatus), status), missed), HeartbeatEvaluator.Evaluate(Now.AddMinutes(-minutesAgo), Now, TenMinutes, threshold));
        }

        [Fact]
        public void AnUnlimitedThresholdNeverAlerts()
        {
            Assert.Equal((HeartbeatStatus.Unlimited, 144), HeartbeatEvaluator.Evaluate(Now.AddDays(-1), Now, TenMinutes, null));
            Assert.Equal((HeartbeatStatus.Healthy, 0), HeartbeatEvaluator.Evaluate(Now.AddMinutes(-1), Now, TenMinutes, null));
        }

        [Fact]
        public void NoContactIsNeverContacted()
        {
            Assert.Equal((HeartbeatStatus.NeverContacted, 0), HeartbeatEvaluator.Evaluate(null, Now, TenMinutes, 2));
        }

        [Fact]
        public void AZeroIntervalIsAProgrammingError()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatEvaluator.Evaluate(Now, Now, TimeSpan.Zero, 2));
        }
    }

    public class HeartbeatSettingsTests
    {
        private static HeartbeatChange Validate(int? interval = null, string missed = null, string clock = null, bool? offline = null, params HeartbeatSetting[] inherit)
        {
            return HeartbeatSettings.Validate(interval, DeepSecurityWire.HeartbeatLimits, missed, clock, offline, inherit);
        }

        [Fact]
        public void ValidValuesBecomeAChange()
        {
            var change = Validate(10, "unlimited", "30", true, HeartbeatSetting.CommunicationDirection);
            Assert.Equal(10, change.IntervalMinutes);
            Assert.Equal(0, change.MissedHeartbeatsBeforeAlert);
            Assert.Equal(30, change.MaximumClockChangeMinutes);
            Assert.True(change.RaiseOfflineErrorsForInactiveVMs);
            Assert.Equal(new[] { HeartbeatSetting.CommunicationDirection }, change.Inherit);
            Assert.True(Validate().IsEmpty);
        }

        [Theory]
        [InlineData(-5, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(0, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(7, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(null, "0", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, "101", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, "two", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, null, "-1", "HeartbeatClockChangeInvalid")]
        [InlineData(null, null, "1441", "HeartbeatClockChangeInvalid")]
        public void OutOfRangeValuesAreRejected(int? interval, string missed, string clock, string errorId)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => Validate(interval, missed, clock));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        }

        [Fact]
        public void AValueAndInheritForTheSameSettingConflict()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => Validate(5, inherit: HeartbeatSetting.Interval));
            Assert.Equal(ErrorIds.HeartbeatSettingConflict, ex.ErrorId);
        }
    }

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

    public class ManagerCapabilityTests
    {
        [Fact]
        public void AMissingCapabilityIsOneNotSupportedErrorNamingTheConsolePage()
        {
            using var provider = new DeepSecurityProvider(null);
            Assert.DoesNotContain(ManagerCapability.SetProxyByAddress, provider.Capabilities);
            var ex = Assert.Throws<EndpointAdminException>(() => ManagerCapabilities.Require(provider, ManagerCapability.SetProxyByAddress));
            Assert.Equal(ErrorIds.ManagerOperationNotSupported, ex.ErrorId);
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Contains("Administration > System Settings > Proxies", ex.RecommendedAction);
        }

        /// <summary>A provider that declares nothing fails every operation with the one NotSupported error, never a silent no-op.</summary>
        [Fact]
        public void AProviderBaseFailsEveryUndeclaredOperationWithTheConsolePage()
        {
            using var provider = new NothingProvider();
            var cancel = System.Threading.CancellationToken.None;
            var calls = new Action[]
            {
                () => provider.GetAgents(new AgentQuery(), null, cancel),
                () => provider.TestHeartbeat(new AgentQuery(), new HeartbeatRun(DateTime.UtcNow), null, cancel),
                () => provider.GetHeartbeatPolicy(PolicyTarget.Base(), cancel),
                () => provider.ResolveTarget(PolicyTarget.Base(), cancel),
                () => provider.CheckChange(PolicyTarget.Base(), new HeartbeatChange(), cancel),
                () => provider.SetHeartbeatPolicy(PolicyTarget.Base(), new HeartbeatChange(), cancel),
                () => provider.NewHeartbeatFirewallRule(new HeartbeatRuleRequest(), cancel),
                () => provider.RequestSync(new[] { "1" }, cancel),
                () => provider.WaitForSync(new[] { new SyncResult() }, DateTime.UtcNow, cancel),
                () => provider.CountContinuousConnections(cancel),
                () => provider.SetContinuousConnection(new Agent(), true, cancel),
                () => provider.CheckProxyScope(ProxyPurpose.AgentUpdate, PolicyTarget.Base()),
                () => provider.SetProxy(ProxyPurpose.AgentUpdate, PolicyTarget.Base(), 1, cancel),
                () => provider.SetServerCommunication(new ServerCommunicationRequest(), null, cancel),
                () => provider.SetAgentServerProxy(new AgentServerProxyRequest(), null, cancel),
                () => provider.SetFirewallSettings(new FirewallSettingsRequest(), null, cancel),
                () => _ = provider.HeartbeatLimits,
                () => _ = provider.DefaultHeartbeatRulePort,
            };
            foreach (var call in calls)
            {
                var ex = Assert.Throws<EndpointAdminException>(call);
                Assert.Equal(ErrorIds.ManagerOperationNotSupported, ex.ErrorId);
                Assert.Equal(ErrorKind.NotSupported, ex.Kind);
                Assert.Equal("Do it in the DeepSecurity console: Somewhere > " + ex.Target + ".", ex.RecommendedAction);
            }
        }

        private sealed class NothingProvider : ManagerProviderBase
        {
            public override ManagerProduct Product => ManagerProduct.DeepSecurity;

            public override IReadOnlyCollection<ManagerCapability> Capabilities => new ManagerCapability[0];

            public override string ConsolePath(ManagerCapability capability) => "Somewhere > " + capability;

            public override string CheckConnection(System.Threading.CancellationToken cancel) => null;
        }

        /// <summary>
        /// The capability table of about_EndpointAdmin_Products is what the providers declare, row by
        /// row. Providers are found by reflection, so a new provider's column is checked as soon as it
        /// exists; a column whose product has no provider yet must say "pending".
        /// </summary>
        [Fact]
        public void TheDocumentedCapabilityMatrixMatchesWhatProvidersDeclare()
        {
            var root = AppContext.BaseDirectory;
            while (root != null && !File.Exists(Path.Combine(root, "EndpointAdmin.sln")))
            {
                root = Path.GetDirectoryName(root);
            }

            Assert.NotNull(root);
            var lines = File.ReadAllLines(Path.Combine(root, "docs", "en-US", "about_EndpointAdmin_Products.md"));
            var header = lines.Single(l => l.StartsWith("| Capability |", StringComparison.Ordinal)).Split('|').Select(c => c.Trim()).ToArray();
            var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && Enum.GetNames(typeof(ManagerCapability)).Any(n => l.StartsWith("| " + n + " ", StringComparison.Ordinal)))
                .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
                .ToDictionary(c => c[1], c => c);
            var providers = typeof(IAgentManagerProvider).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(IAgentManagerProvider).IsAssignableFrom(t))
                .Select(t => (IAgentManagerProvider)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t))
                .ToDictionary(p => p.Product.ToString(), p => p);
            Assert.Contains("DeepSecurity", providers.Keys);
            Assert.Contains("ApexCentral", providers.Keys);
            foreach (var product in Enum.GetNames(typeof(ManagerProduct)))
            {
                var column = Array.IndexOf(header, product);
                Assert.True(column > 0, product + " has no column in the capability table");
                foreach (ManagerCapability capability in Enum.GetValues(typeof(ManagerCapability)))
                {
                    Assert.True(rows.ContainsKey(capability.ToString()), capability + " is missing from the matrix");
                    var cell = rows[capability.ToString()][column];
                    if (!providers.TryGetValue(product, out var provider))
                    {
                        Assert.Equal("pending", cell);
                        continue;
                    }

                    Assert.True((provider.Capabilities.Contains(capability) ? "yes" : "no") == cell, product + " " + capability + ": the table says " + cell);
                }
            }
        }
    }
}
