using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using EndpointAdmin.ApexCentral;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>Apex One settings in a baseline: each is a NotSupported row naming its console field, found without a request.</summary>
    public class ApexCentralBaselineTests
    {
        private static readonly ManagerBaselineSchema Schema = new ApexCentralFactory().BaselineSchema;

        private static ManagerBaseline Read(Hashtable entry)
        {
            entry["Product"] = "ApexCentral";
            entry["Uri"] = "https://apex.example.com";
            var (document, problems) = BaselineSamples.Read(BaselineSamples.Table("Managers", BaselineSamples.List(entry)));
            Assert.Empty(problems);
            return document.Managers.Single();
        }

        private static Hashtable EverySetting() => new Hashtable
        {
            ["ServerAddress"] = new object[] { "apex1.corp", "10.0.0.5" },
            ["ListeningPort"] = 4343,
            ["AgentServerProxy"] = "None",
            ["EnableFirewall"] = true,
            ["SendLogToServer"] = false,
            ["LogSendingIntervalMinutes"] = 60,
            ["UpdateDriverOnlyAfterRestart"] = true,
            ["SendHourlyLogCount"] = false,
            ["CertifiedSafeSoftwareService"] = true,
        };

        [Fact]
        public void EveryApexOneSettingIsANotSupportedRowNamingItsConsoleField()
        {
            var manager = Read(EverySetting());

            // A provider without a pipeline: any request would throw.
            using var provider = new ApexCentralProvider(null);
            Assert.Contains(Managers.ManagerCapability.Baseline, provider.Capabilities);
            var state = Assert.Single(provider.ReadBaseline(manager, CancellationToken.None));
            Assert.Equal(BaselineTargetType.Manager, state.Type);
            Assert.Equal("https://apex.example.com", state.Id);
            Assert.Null(state.Error);

            var rows = BaselineComparer.Compare(manager, state);
            Assert.Equal(Schema.Manager.Select(s => s.Name).OrderBy(n => n), rows.Select(r => r.Setting).OrderBy(n => n));
            foreach (var row in rows)
            {
                var definition = Schema.Manager.Single(s => s.Name == row.Setting);
                Assert.Equal(BaselineState.NotSupported, row.State);
                Assert.False(row.InDesiredState);
                Assert.Contains(definition.ConsolePath, row.Message);
            }

            Assert.Equal("10.0.0.5, apex1.corp", rows.Single(r => r.Setting == "ServerAddress").Expected);
            Assert.Contains("Set it in the console: " + Schema.Manager.Single(s => s.Name == "ListeningPort").ConsolePath + " = 4343.", rows.Single(r => r.Setting == "ListeningPort").Message);
            Assert.Null(BaselineComparer.Plan(state, rows));
        }

        [Fact]
        public void AWriteIsRefusedAndTheExportHoldsNothing()
        {
            var manager = Read(new Hashtable { ["EnableFirewall"] = true });
            using var provider = new ApexCentralProvider(null);
            var state = provider.ReadBaseline(manager, CancellationToken.None).Single();
            var write = new BaselineWrite(state, BaselineComparer.Expected(state));
            var ex = Assert.Throws<EndpointAdminException>(() => provider.WriteBaseline(write, CancellationToken.None));
            Assert.Equal(ErrorIds.ManagerOperationNotSupported, ex.ErrorId);
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Contains("EnableFirewall", ex.Message);
            Assert.Empty(provider.ExportBaseline(CancellationToken.None));
        }
    }
}
