using System.Linq;
using EndpointAdmin.Baseline;
using Xunit;
using static EndpointAdmin.Core.Tests.BaselineSamples;

namespace EndpointAdmin.Core.Tests
{
    public class BaselineComparerTests
    {
        private static (ManagerBaseline Manager, BaselineTargetState State) Laptops()
        {
            var (document, problems) = Read(Table("Managers", List(DeepSecurityManager("Computers", List(
                Table("Name", "lap-*", "IntervalMinutes", 10, "MissedHeartbeatsBeforeAlert", 3),
                Table("Name", "lap-ceo", "MissedHeartbeatsBeforeAlert", "Unlimited"))))));
            Assert.Empty(problems);
            var manager = document.Managers.Single();
            var state = new BaselineTargetState { Type = BaselineTargetType.Agent, Id = "7", Display = "lap-ceo (7)" };
            state.Declarations.AddRange(manager.Targets);
            return (manager, state);
        }

        [Fact]
        public void TheLaterDeclarationWinsPerSettingAndEqualValuesAreInDesiredState()
        {
            var (manager, state) = Laptops();
            state.Actual["IntervalMinutes"] = new ActualSetting("10", "inherited from policy 'Base' (1)");
            state.Actual["MissedHeartbeatsBeforeAlert"] = new ActualSetting("3", "set here");

            var rows = BaselineComparer.Compare(manager, state);

            var interval = rows.Single(r => r.Setting == "IntervalMinutes");
            Assert.True(interval.InDesiredState);
            Assert.Equal(BaselineState.InDesiredState, interval.State);
            Assert.Equal("inherited from policy 'Base' (1)", interval.Source);
            var missed = rows.Single(r => r.Setting == "MissedHeartbeatsBeforeAlert");
            Assert.Equal("Unlimited", missed.Expected);
            Assert.Equal("3", missed.Actual);
            Assert.False(missed.InDesiredState);
            Assert.Equal(BaselineState.Drifted, missed.State);
            Assert.Equal("Managers[0].Computers[1].MissedHeartbeatsBeforeAlert", missed.Key);

            var write = BaselineComparer.Plan(state, rows);
            Assert.Equal(new[] { "MissedHeartbeatsBeforeAlert" }, write.Changes.Select(c => c.Name));
        }

        [Fact]
        public void NothingDriftedPlansNoWrite()
        {
            var (manager, state) = Laptops();
            state.Actual["IntervalMinutes"] = new ActualSetting("10", "set here");
            state.Actual["MissedHeartbeatsBeforeAlert"] = new ActualSetting("Unlimited", "set here");

            Assert.Null(BaselineComparer.Plan(state, BaselineComparer.Compare(manager, state)));
        }

        [Fact]
        public void ASettingWithoutAnApiIsANotSupportedRowNamingTheConsolePage()
        {
            var (document, _) = Read(Table("Managers", List(Table("Product", "ApexCentral", "Uri", "https://apex.example.com", "ListeningPort", 4343))));
            var manager = document.Managers.Single();
            var state = new BaselineTargetState { Type = BaselineTargetType.Manager, Id = manager.Uri, Display = "manager" };
            state.Declarations.AddRange(manager.Targets);

            var row = BaselineComparer.Compare(manager, state).Single();

            Assert.Equal(BaselineState.NotSupported, row.State);
            Assert.False(row.InDesiredState);
            Assert.Null(row.Actual);
            Assert.Contains("Agent-Server Communication", row.Message);
            Assert.Contains("Listening port = 4343", row.Message);
            Assert.Null(BaselineComparer.Plan(state, new[] { row }));
        }
    }
}
