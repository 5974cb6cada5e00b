using System;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Apex One settings in a baseline against the Apex Central simulator: NotSupported rows and warnings, never a request or a write.</summary>
    public class ApexBaselineTests : IClassFixture<ApexCentralFixture>
    {
        private const string Every = "ServerAddress = @('apex1.corp', '10.0.0.5'); ListeningPort = 4343; AgentServerProxy = 'None'; EnableFirewall = $true; SendLogToServer = $true; LogSendingIntervalMinutes = 60; UpdateDriverOnlyAfterRestart = $false; SendHourlyLogCount = $true; CertifiedSafeSoftwareService = $true";

        /// <summary>Each setting with the console page and field its row must name.</summary>
        private static readonly (string Setting, string Page)[] Pages =
        {
            ("ServerAddress", "Server names and IPv4/IPv6 addresses"),
            ("ListeningPort", "Listening port"),
            ("AgentServerProxy", "Agent-Server Communication"),
            ("EnableFirewall", "Agents > Global Agent Settings > Security Settings > Firewall Settings: Enable the Apex One Firewall"),
            ("SendLogToServer", "Firewall Settings: Send firewall logs to the server"),
            ("LogSendingIntervalMinutes", "the log sending schedule of Send firewall logs to the server"),
            ("UpdateDriverOnlyAfterRestart", "Firewall Settings: Update the Apex One firewall driver only after a system restart"),
            ("SendHourlyLogCount", "Firewall Settings: Send firewall log information to the Apex One server hourly"),
            ("CertifiedSafeSoftwareService", "Agents > Global Agent Settings > System tab > Certified Safe Software Settings"),
        };

        private readonly ApexCentralFixture _apex;
        private readonly ApexCentralSimulator _sim;

        public ApexBaselineTests(ApexCentralFixture fixture)
        {
            _apex = fixture;
            _sim = fixture.Simulator;
            _apex.Reset();
        }

        private static string Baseline(string body) => "@{ Managers = @( @{ Product = 'ApexCentral'; Uri = $args[0]; " + body + " } ) }";

        private PowerShellResult Run(string command, string body = Every) => _apex.Run(command + " -Baseline " + Baseline(body), _sim.Uri);

        [Fact]
        public void EveryApexOneSettingIsANotSupportedRowNamingItsConsolePageWithoutARequest()
        {
            var rows = Succeeded(Run("Test-AgentBaseline"));
            Assert.Equal(Pages.Select(p => p.Setting).OrderBy(s => s), rows.Select(r => Text(r, "Setting")).OrderBy(s => s));
            foreach (var (setting, page) in Pages)
            {
                var row = rows.Single(r => Text(r, "Setting") == setting);
                Assert.Equal("NotSupported", Text(row, "State"));
                Assert.Equal("Manager", Text(row, "TargetType"));
                Assert.Equal("ApexCentral", Text(row, "Product"));
                Assert.False((bool)Prop(row, "InDesiredState"));
                Assert.Null(Prop(row, "Actual"));
                Assert.StartsWith("ApexCentral offers no API for " + setting + ". Set it in the console: ", Text(row, "Message"));
                Assert.Contains(page, Text(row, "Message"));
            }

            Assert.EndsWith(" = 10.0.0.5, apex1.corp.", Text(rows.Single(r => Text(r, "Setting") == "ServerAddress"), "Message"));
            Assert.False((bool)Assert.Single(Succeeded(Run("Test-AgentBaseline -Quiet"))).BaseObject);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void SetWarnsOncePerSettingAndChangesNothing()
        {
            var result = Run("Set-AgentBaseline -PassThru -Confirm:$false");
            Assert.Empty(Succeeded(result));
            Assert.Equal(Pages.Length, result.Warnings.Count);
            foreach (var (setting, page) in Pages)
            {
                var warning = Assert.Single(result.Warnings, w => w.StartsWith("manager: ApexCentral offers no API for " + setting + ".", StringComparison.Ordinal));
                Assert.Contains(page, warning);
            }

            Assert.Contains("0 setting(s) and rule(s) changed.", result.Information.Select(i => i.ToString()));
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void AnExportHoldsOnlyTheManagerAndTestsInDesiredState()
        {
            var text = Assert.Single(Succeeded(_apex.Run("Export-AgentBaseline"))).ToString();
            Assert.Contains("'ApexCentral'", text);
            Assert.Contains(_sim.Uri, text);
            Assert.DoesNotContain(Pages, p => text.Contains(p.Setting, StringComparison.Ordinal));
            Assert.Empty(_sim.Requests);

            var json = Assert.Single(Succeeded(_apex.Run("Export-AgentBaseline -Format Json"))).ToString();
            Assert.Empty(Succeeded(_apex.Run("Test-AgentBaseline -Baseline $args[0]", json)));
            Assert.True((bool)Assert.Single(Succeeded(_apex.Run("Test-AgentBaseline -Quiet -Baseline $args[0]", json))).BaseObject);
        }
    }
}
