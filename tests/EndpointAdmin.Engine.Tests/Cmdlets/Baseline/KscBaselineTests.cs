using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Test-, Set- and Export-AgentBaseline against the Kaspersky Security Center simulator, through the real engine.</summary>
    public class KscBaselineTests : IClassFixture<KasperskyFixture>
    {
        private readonly KasperskyFixture _ksc;
        private readonly KscSimulator _sim;

        public KscBaselineTests(KasperskyFixture fixture)
        {
            _ksc = fixture;
            _sim = fixture.Simulator;
            _ksc.Reset();
        }

        /// <summary>A baseline with one KSC entry for the simulator ($args[0]); <paramref name="body"/> is the rest of the entry.</summary>
        private static string Baseline(string body) => "@{ Managers = @( @{ Product = 'KasperskySecurityCenter'; Uri = $args[0]; " + body + " } ) }";

        private PowerShellResult Run(string command, string body, params object[] more) => _ksc.Run(command + " -Baseline " + Baseline(body), new object[] { _sim.Uri }.Concat(more).ToArray());

        private string[] Names(int skip, int take) => _sim.Fleet.Hosts.Skip(skip).Take(take).Select(h => h.DisplayName).ToArray();

        [Fact]
        public void RowsForNamesGroupsAndEveryOtherHolderComeFromOneWalkOfTheHosts()
        {
            _sim.Fleet.SetKeepConnection(5);
            var rows = Succeeded(Run("Test-AgentBaseline", "SyncIntervalMinutes = 15; ContinuousConnection = @{ Name = @('db0000*'); Group = @('Laptops'); Unmanaged = 'Disable' }"));

            var manager = Assert.Single(rows, r => Text(r, "TargetType") == "Manager");
            Assert.Equal("NotSupported", Text(manager, "State"));
            Assert.Equal("SyncIntervalMinutes", Text(manager, "Setting"));
            Assert.Equal("15", Text(manager, "Expected"));
            Assert.Contains("Network Agent policy", Text(manager, "Message"));

            bool Selected(KscHost h) => h.DisplayName.StartsWith("db0000", StringComparison.Ordinal) || _sim.Groups[h.GroupId] == "Laptops";
            var expected = _sim.Fleet.Hosts.Where(h => Selected(h) || h.KeepConnection).ToList();
            var devices = rows.Where(r => Text(r, "TargetType") == "Agent").ToList();
            Assert.Equal(expected.Select(h => h.HostName).OrderBy(n => n), devices.Select(r => Text(r, "TargetId")).OrderBy(n => n));
            Assert.True(devices.Count > 150, "the group selects a quarter of the fleet");
            foreach (var host in expected)
            {
                var row = devices.Single(r => Text(r, "TargetId") == host.HostName);
                Assert.Equal("ContinuousConnection", Text(row, "Setting"));
                Assert.Equal(Selected(host) ? "True" : "False", Text(row, "Expected"));
                Assert.Equal(host.KeepConnection ? "True" : "False", Text(row, "Actual"));
                Assert.Equal("device properties", Text(row, "Source"));
                Assert.Equal(Selected(host) == host.KeepConnection ? "InDesiredState" : "Drifted", Text(row, "State"));
                Assert.Contains(host.DisplayName, Text(row, "Target"));
            }

            // The three holders that nothing selects are the "every other device" rows.
            Assert.Equal(3, devices.Count(r => Text(r, "Expected") == "False"));
            Assert.Contains(devices, r => Text(r, "State") == "InDesiredState" && Text(r, "Expected") == "True");

            Assert.Single(_sim.Calls("HostGroup.FindHosts"));
            Assert.Equal((_sim.Fleet.Count + 499) / 500, _sim.Calls("ChunkAccessor.GetItemsChunk").Count);
            Assert.True(_sim.Calls("HostGroup.GetGroupInfo").Count <= _sim.Groups.Count);
            Assert.Equal(0, _sim.OpenAccessors);
            Assert.Empty(_sim.Writes);
            Assert.False((bool)Assert.Single(Succeeded(Run("Test-AgentBaseline -Quiet", "SyncIntervalMinutes = 15; ContinuousConnection = @{ Name = @('db0000*'); Group = @('Laptops'); Unmanaged = 'Disable' }"))).BaseObject);
        }

        [Fact]
        public void WhatIfWritesNothingSetWritesTheDriftAndASecondSetWritesNothing()
        {
            _sim.Fleet.SetKeepConnection(5);
            const string body = "ContinuousConnection = @{ Name = 'db0000*'; Unmanaged = 'Disable' }";
            var whatIf = _ksc.Shell.InvokeRendered("Set-AgentBaseline -WhatIf -Baseline " + Baseline(body), _sim.Uri);
            Assert.False(whatIf.Failed, whatIf.Describe());
            Assert.Contains("Set ContinuousConnection False -> True", whatIf.HostText);
            Assert.Contains("Set ContinuousConnection True -> False", whatIf.HostText);
            Assert.Empty(_sim.Writes);
            Assert.Equal(5, _sim.Fleet.KeepConnectionCount);

            var changed = Succeeded(Run("Set-AgentBaseline -PassThru -Confirm:$false", body));
            var wanted = _sim.Fleet.Hosts.Where(h => h.DisplayName.StartsWith("db0000", StringComparison.Ordinal)).Select(h => h.HostName).OrderBy(n => n).ToArray();
            Assert.Equal(2, wanted.Length);
            // Holders 1-5 and db00006: db00001 already holds it, four are disabled, one enabled.
            Assert.Equal(5, changed.Count);
            Assert.All(changed, r => Assert.Equal("Changed", Text(r, "State")));
            Assert.Equal(5, _sim.Writes.Count);
            Assert.Equal(wanted, _sim.Fleet.Hosts.Where(h => h.KeepConnection).Select(h => h.HostName).OrderBy(n => n).ToArray());

            _sim.ClearRequests();
            var again = Run("Set-AgentBaseline -PassThru -Confirm:$false", body);
            Assert.Empty(Succeeded(again));
            Assert.Empty(again.Warnings);
            Assert.Empty(_sim.Writes);
            Assert.True((bool)Assert.Single(Succeeded(Run("Test-AgentBaseline -Quiet", body))).BaseObject);
        }

        [Fact]
        public void APlanOverTheLimitIsRefusedWithTheCountBeforeAnyWrite()
        {
            _sim.Fleet.SetKeepConnection(299);
            var result = Run("Set-AgentBaseline -Confirm:$false", "ContinuousConnection = @{ Name = $args[1] }", (object)Names(400, 2));
            var error = SingleError(result, "ContinuousConnectionLimitExceeded", "SetAgentBaselineCommand", ErrorCategory.LimitsExceeded, 299);
            Assert.Contains("299 device(s) already hold a continuous connection; enabling it on 2 more would make 301, over the Administration Server's limit of 300. Nothing was changed.", error.Exception.Message);
            Assert.Empty(_sim.Writes);
            Assert.Equal(299, _sim.Fleet.KeepConnectionCount);
            Assert.Single(_sim.Calls("HostGroup.FindHosts"), r => r.Body.Contains("KLHST_WKS_KEEP_CONNECTION<>0", StringComparison.Ordinal));
        }

        [Fact]
        public void DisablingTheUnmanagedMakesRoomAndIsWrittenFirst()
        {
            // 300 in use: two enabled and two disabled stays at the limit, which the server only
            // accepts when the two are disabled before the two are enabled.
            _sim.Fleet.SetKeepConnection(300);
            var keep = Names(0, 298).Concat(Names(400, 2)).ToArray();
            var changed = Succeeded(Run("Set-AgentBaseline -PassThru -Confirm:$false", "ContinuousConnection = @{ Name = $args[1]; Unmanaged = 'Disable' }", (object)keep));
            Assert.Equal(4, changed.Count);
            Assert.Equal(4, _sim.Writes.Count);
            Assert.Equal(300, _sim.Fleet.KeepConnectionCount);
            Assert.False(_sim.Fleet[298].KeepConnection);
            Assert.False(_sim.Fleet[299].KeepConnection);
            Assert.True(_sim.Fleet[400].KeepConnection && _sim.Fleet[401].KeepConnection);
        }

        [Fact]
        public void UnmanagedDisableAloneTurnsItOffEverywhere()
        {
            _sim.Fleet.SetKeepConnection(12);
            var rows = Succeeded(Run("Test-AgentBaseline", "ContinuousConnection = @{ Unmanaged = 'Disable' }"));
            Assert.Equal(_sim.Fleet.Hosts.Take(12).Select(h => h.HostName).OrderBy(n => n), rows.Select(r => Text(r, "TargetId")).OrderBy(n => n));
            Assert.All(rows, r => Assert.Equal("Drifted", Text(r, "State")));
            Succeeded(Run("Set-AgentBaseline -Confirm:$false", "ContinuousConnection = @{ Unmanaged = 'Disable' }"));
            Assert.Equal(0, _sim.Fleet.KeepConnectionCount);
            Assert.Equal(12, _sim.Writes.Count);
            Assert.Empty(Succeeded(Run("Test-AgentBaseline", "ContinuousConnection = @{ Unmanaged = 'Disable' }")));
        }

        [Fact]
        public void ALiteralNameOrGroupThatSelectsNoDeviceIsOneErrorAndTheRestIsTested()
        {
            var one = Names(10, 1)[0];
            var result = Run("Test-AgentBaseline", "ContinuousConnection = @{ Name = @($args[1], 'nosuchdevice', 'zz*') }", one);
            var error = SingleError(result, "BaselineTargetNotFound", "TestAgentBaselineCommand", ErrorCategory.ObjectNotFound, "nosuchdevice");
            Assert.Contains("Managers[0].ContinuousConnection", error.Exception.Message);
            var row = Assert.Single(result.Output);
            Assert.Equal(_sim.Fleet[10].HostName, Text(row, "TargetId"));
            Assert.Equal("Drifted", Text(row, "State"));
            // Names only: the server filters by name.
            Assert.Contains("KLHST_WKS_DN", Assert.Single(_sim.Calls("HostGroup.FindHosts")).Body);

            var group = Run("Test-AgentBaseline -Quiet", "ContinuousConnection = @{ Group = 'No such group' }");
            SingleError(group, "BaselineTargetNotFound", "TestAgentBaselineCommand", ErrorCategory.ObjectNotFound, "No such group");
            Assert.False((bool)Assert.Single(group.Output).BaseObject);
        }

        [Fact]
        public void TheSyncIntervalIsAWarningOnSetAndNothingIsSent()
        {
            var result = Run("Set-AgentBaseline -PassThru -Confirm:$false", "SyncIntervalMinutes = 30");
            Assert.Empty(Succeeded(result));
            var warning = Assert.Single(result.Warnings);
            Assert.StartsWith("manager: KasperskySecurityCenter offers no API for SyncIntervalMinutes. Set it in the console: Network Agent policy", warning);
            Assert.EndsWith(" = 30.", warning);
            Assert.Empty(_sim.Calls("HostGroup.FindHosts"));
            Assert.Empty(_sim.Writes);
        }

        [Theory]
        [InlineData("psd1")]
        [InlineData("json")]
        public void AnExportIsInDesiredStateAndShowsTheNextChange(string format)
        {
            _sim.Fleet.SetKeepConnection(7);
            var odd = _sim.Fleet[3];
            var name = odd.DisplayName;
            odd.DisplayName = "lab[3]*?";
            var file = Path.Combine(Path.GetTempPath(), "ksc-export-" + Guid.NewGuid().ToString("N") + "." + format);
            try
            {
                var written = Succeeded(_ksc.Run("Export-AgentBaseline -Path $args[0]", file));
                Assert.Single(written);
                var text = File.ReadAllText(file);
                Assert.Contains("Disable", text);
                Assert.Contains("lab`[3`]`*`?", text);
                Assert.DoesNotContain("SyncIntervalMinutes", text);

                var rows = Succeeded(_ksc.Run("Test-AgentBaseline -Path $args[0]", file));
                Assert.Equal(_sim.Fleet.Hosts.Take(7).Select(h => h.HostName).OrderBy(n => n), rows.Select(r => Text(r, "TargetId")).OrderBy(n => n));
                Assert.All(rows, r => Assert.Equal("InDesiredState", Text(r, "State")));
                Assert.True((bool)Assert.Single(Succeeded(_ksc.Run("Test-AgentBaseline -Quiet -Path $args[0]", file))).BaseObject);

                _sim.Fleet[100].KeepConnection = true;
                var drift = Succeeded(_ksc.Run("Test-AgentBaseline -Path $args[0]", file)).Where(r => Text(r, "State") != "InDesiredState").ToList();
                var row = Assert.Single(drift);
                Assert.Equal(_sim.Fleet[100].HostName, Text(row, "TargetId"));
                Assert.Equal("False", Text(row, "Expected"));
                Assert.Equal("True", Text(row, "Actual"));
            }
            finally
            {
                odd.DisplayName = name;
                File.Delete(file);
            }
        }
    }
}
