using System.Collections.Generic;
using System.Linq;
using System.Threading;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using EndpointAdmin.Kaspersky;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The Kaspersky part of a baseline without a server: the limit check of a plan, the writes, the manager row and the exported names.</summary>
    public class KscBaselineTests
    {
        private static readonly SettingDefinition Continuous = new KasperskyFactory().BaselineSchema.ContinuousConnection;

        private static BaselineWrite Write(string name, bool holds, string expected)
        {
            var agent = new Agent { Id = "id-" + name, Name = name, ContinuousConnection = holds };
            var state = new BaselineTargetState { Type = BaselineTargetType.Agent, Id = agent.Id, Display = name, Handle = agent };
            return new BaselineWrite(state, new List<ExpectedSetting> { new ExpectedSetting(Continuous, expected, "Managers[0].ContinuousConnection") });
        }

        private static List<BaselineWrite> Plan(int enable, int disable)
        {
            return Enumerable.Range(0, disable).Select(i => Write("off" + i, true, "False"))
                .Concat(Enumerable.Range(0, enable).Select(i => Write("on" + i, false, "True"))).ToList();
        }

        [Theory]
        [InlineData(298, 2, 0)]
        [InlineData(300, 3, 3)]
        [InlineData(0, 300, 0)]
        public void APlanThatEndsAtTheLimitPasses(int inUse, int enable, int disable)
        {
            var provider = new CountingProvider(inUse);
            new KscBaseline(provider, null).Check(Plan(enable, disable), CancellationToken.None);
            Assert.Equal(1, provider.Counts);
            Assert.Empty(provider.Written);
        }

        [Theory]
        [InlineData(299, 2, 0, "299 device(s) already hold a continuous connection; enabling it on 2 more would make 301, over the Administration Server's limit of 300. Nothing was changed.")]
        [InlineData(300, 5, 4, "300 device(s) already hold a continuous connection; enabling it on 5 more and disabling it on 4 would make 301, over the Administration Server's limit of 300. Nothing was changed.")]
        public void APlanOverTheLimitIsRefusedWholeWithTheCount(int inUse, int enable, int disable, string message)
        {
            var provider = new CountingProvider(inUse);
            var ex = Assert.Throws<EndpointAdminException>(() => new KscBaseline(provider, null).Check(Plan(enable, disable), CancellationToken.None));
            Assert.Equal(ErrorIds.ContinuousConnectionLimitExceeded, ex.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, ex.Kind);
            Assert.Equal(inUse, ex.Target);
            Assert.Equal(message, ex.Message);
            Assert.Contains("at most " + (300 - inUse + disable) + " device(s)", ex.RecommendedAction);
            Assert.Empty(provider.Written);
        }

        [Fact]
        public void APlanThatOnlyDisablesNeedsNoCount()
        {
            var provider = new CountingProvider(400);
            new KscBaseline(provider, null).Check(Plan(0, 3), CancellationToken.None);
            Assert.Equal(0, provider.Counts);
        }

        [Fact]
        public void AWriteSetsTheFlagOnTheDeviceItRead()
        {
            var provider = new CountingProvider(0);
            var baseline = new KscBaseline(provider, null);
            var on = Write("web1", false, "True");
            var off = Write("web2", true, "False");
            baseline.Write(on, CancellationToken.None);
            baseline.Write(off, CancellationToken.None);
            Assert.Equal(new[] { ("id-web1", true), ("id-web2", false) }, provider.Written);
            Assert.Same(on.Target.Handle, provider.Agents[0]);
        }

        [Fact]
        public void AManagerWriteIsRefusedAsNotSupported()
        {
            var provider = new CountingProvider(0);
            var sync = new KasperskyFactory().BaselineSchema.Manager.Single();
            var state = new BaselineTargetState { Type = BaselineTargetType.Manager, Id = "https://ksc:13299", Display = "manager" };
            var ex = Assert.Throws<EndpointAdminException>(() => new KscBaseline(provider, null).Write(new BaselineWrite(state, new List<ExpectedSetting> { new ExpectedSetting(sync, "15", "Managers[0].SyncIntervalMinutes") }), CancellationToken.None));
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Empty(provider.Written);
        }

        [Fact]
        public void TheSyncIntervalIsOneManagerStateReadWithoutARequest()
        {
            var (document, problems) = BaselineSamples.Read(BaselineSamples.Table("Managers", BaselineSamples.List(BaselineSamples.Table("Product", "KasperskySecurityCenter", "Uri", "https://ksc:13299", "SyncIntervalMinutes", 15))));
            Assert.Empty(problems);
            var manager = document.Managers.Single();

            // No host search exists: any request would fail this test.
            var state = Assert.Single(new KscBaseline(new CountingProvider(0), null).Read(manager, CancellationToken.None));
            Assert.Equal(BaselineTargetType.Manager, state.Type);
            Assert.Equal("https://ksc:13299", state.Id);
            var row = Assert.Single(BaselineComparer.Compare(manager, state));
            Assert.Equal(BaselineState.NotSupported, row.State);
            Assert.Equal("SyncIntervalMinutes", row.Setting);
            Assert.Contains("Network Agent policy", row.Message);
            Assert.Null(BaselineComparer.Plan(state, new[] { row }));
        }

        [Theory]
        [InlineData("web00001", "web00001")]
        [InlineData("lab[1]*?", "lab`[1`]`*`?")]
        [InlineData("a`b", "a``b")]
        public void ExportedNamesMatchExactlyTheirDevice(string name, string escaped)
        {
            Assert.Equal(escaped, KscBaseline.Escape(name));
        }

        private sealed class CountingProvider : ManagerProviderBase
        {
            private readonly int _inUse;

            public CountingProvider(int inUse)
            {
                _inUse = inUse;
            }

            public int Counts { get; private set; }

            public List<(string, bool)> Written { get; } = new List<(string, bool)>();

            public List<Agent> Agents { get; } = new List<Agent>();

            public override ManagerProduct Product => ManagerProduct.KasperskySecurityCenter;

            public override IReadOnlyCollection<ManagerCapability> Capabilities => new[] { ManagerCapability.Baseline };

            public override string ConsolePath(ManagerCapability capability) => KscWire.ConsolePath(capability);

            public override string CheckConnection(CancellationToken cancel) => null;

            public override ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel)
            {
                Counts++;
                return new ContinuousConnectionCount { InUse = _inUse, Limit = KscWire.ContinuousConnectionLimit };
            }

            public override Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel)
            {
                Written.Add((agent.Id, enabled));
                Agents.Add(agent);
                return agent;
            }
        }
    }
}
