using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// Test-, Set- and Export-AgentBaseline against the Deep Security simulator through the real
    /// engine. Each test has a fleet of its own, as Set changes it. The fleet: defaults 10 minutes
    /// and 2 missed heartbeats; policy 2 'Linux Server' sets 5 minutes, 3 'Windows Server' 3 missed,
    /// 4 'Laptops' (child of 3) Unlimited and agent-initiated, 5 'Web Tier' (child of 2) 1 minute;
    /// computer N is in policy (N-1)%5+1, every 97th sets 2 minutes itself, every 50th is behind a
    /// virtual appliance.
    /// </summary>
    public class DeepSecurityBaselineTests
    {
        /// <summary>A baseline of the simulator's manager with the given entry keys (script text).</summary>
        private const string Declare = "$b = @{ Managers = @( @{ Product = 'DeepSecurity'; Uri = $args[0]; ";

        private const string Drifting = Declare
            + "BasePolicy = @{ IntervalMinutes = 10; MissedHeartbeatsBeforeAlert = 2 }; "
            + "Policies = @( @{ Name = 'Laptops'; MissedHeartbeatsBeforeAlert = 'Unlimited'; IntervalMinutes = 5 } ); "
            + "Computers = @( @{ Id = 97; IntervalMinutes = 2 }, @{ Id = 2; IntervalMinutes = 5 } ) } ) }; ";

        private static PSObject Row(System.Collections.Generic.IEnumerable<PSObject> rows, string targetId, string setting)
        {
            return Assert.Single(rows, r => Text(r, "TargetId") == targetId && Text(r, "Setting") == setting);
        }

        private static void AssertRow(PSObject row, string expected, string actual, string source, bool inDesiredState)
        {
            Assert.Equal(expected, Text(row, "Expected"));
            Assert.Equal(actual, Text(row, "Actual"));
            Assert.Equal(source, Text(row, "Source"));
            Assert.Equal(inDesiredState, (bool)Prop(row, "InDesiredState"));
            Assert.Equal(inDesiredState ? "InDesiredState" : "Drifted", Text(row, "State"));
        }

        [Fact]
        public void TestReportsEachDeclaredSettingWithItsActualValueAndSourceInNormalizedForm()
        {
            using var ds = new DeepSecurityFixtureWith(300);
            var rows = Succeeded(ds.Shell.Invoke(Drifting + "Test-AgentBaseline -Baseline $b", ds.Simulator.Uri));
            Assert.Equal(6, rows.Count);

            // The manager holds "10 Minutes"; the baseline says 10: no drift from the unit.
            AssertRow(Row(rows, "0", "IntervalMinutes"), "10", "10", "set here", true);
            AssertRow(Row(rows, "0", "MissedHeartbeatsBeforeAlert"), "2", "2", "set here", true);
            AssertRow(Row(rows, "4", "MissedHeartbeatsBeforeAlert"), "Unlimited", "Unlimited", "set here", true);
            AssertRow(Row(rows, "4", "IntervalMinutes"), "5", "10", "default (base policy)", false);
            AssertRow(Row(rows, "97", "IntervalMinutes"), "2", "2", "set here", true);
            AssertRow(Row(rows, "2", "IntervalMinutes"), "5", "5", "inherited from policy 'Linux Server' (2)", true);
            Assert.Equal("policy 'Laptops' (4)", Text(Row(rows, "4", "IntervalMinutes"), "Target"));
            Assert.Equal("Agent", Text(Row(rows, "2", "IntervalMinutes"), "TargetType"));
            Assert.Empty(ds.Simulator.Writes);
        }

        [Fact]
        public void QuietGivesOneBooleanForDriftAndForAFullMatch()
        {
            using var ds = new DeepSecurityFixtureWith(100);
            var drifted = Succeeded(ds.Shell.Invoke(Drifting + "Test-AgentBaseline -Baseline $b -Quiet", ds.Simulator.Uri));
            Assert.False((bool)Assert.Single(drifted).BaseObject);
            var matching = Succeeded(ds.Shell.Invoke(Declare + "Policies = @( @{ Id = 2; IntervalMinutes = 5; CommunicationDirection = 'Bidirectional' } ) } ) }; Test-AgentBaseline -Baseline $b -Quiet", ds.Simulator.Uri));
            Assert.True((bool)Assert.Single(matching).BaseObject);
        }

        [Fact]
        public void SetWhatIfSendsNoWrite()
        {
            using var ds = new DeepSecurityFixtureWith(100);
            var result = ds.Shell.Invoke(Drifting + "Set-AgentBaseline -Baseline $b -WhatIf", ds.Simulator.Uri);
            Assert.False(result.Failed, result.Describe());
            Assert.Empty(ds.Simulator.Writes);
            Assert.NotEmpty(ds.Simulator.Requests);
        }

        [Fact]
        public void SetWritesOnlyTheDriftedSettingsAndASecondSetWritesNothing()
        {
            using var ds = new DeepSecurityFixtureWith(300);
            var changed = Succeeded(ds.Shell.Invoke(Drifting + "Set-AgentBaseline -Baseline $b -PassThru", ds.Simulator.Uri));
            var row = Assert.Single(changed);
            Assert.Equal("Changed", Text(row, "State"));
            var write = Assert.Single(ds.Simulator.Writes);
            Assert.Equal("POST", write.Method);
            Assert.Equal("/api/policies/4/settings/platformSettingHeartbeatInterval", write.Path);
            Assert.Contains("\"5 Minutes\"", write.Body);
            Assert.Equal("5 Minutes", ds.Simulator.Fleet.Policies[4].Settings["platformSettingHeartbeatInterval"]);

            ds.Simulator.ClearRequests();
            Assert.Empty(Succeeded(ds.Shell.Invoke(Drifting + "Set-AgentBaseline -Baseline $b -PassThru", ds.Simulator.Uri)));
            Assert.Empty(ds.Simulator.Writes);
            Assert.True((bool)Assert.Single(Succeeded(ds.Shell.Invoke(Drifting + "Test-AgentBaseline -Baseline $b -Quiet", ds.Simulator.Uri))).BaseObject);
        }

        [Fact]
        public void AnUnknownPolicyIsOneErrorAndTheOtherTargetsAreStillWritten()
        {
            using var ds = new DeepSecurityFixtureWith(60);
            var script = Declare + "Policies = @( @{ Name = 'No Such Policy'; IntervalMinutes = 5 }, @{ Name = 'Linux Server'; IntervalMinutes = 15 } ) } ) }; Set-AgentBaseline -Baseline $b";
            var result = ds.Shell.Invoke(script, ds.Simulator.Uri);
            var error = SingleError(result, "BaselineTargetNotFound", "SetAgentBaselineCommand", ErrorCategory.ObjectNotFound, "No Such Policy");
            Assert.Contains("Policies[0]", error.Exception.Message);
            var write = Assert.Single(ds.Simulator.Writes);
            Assert.Equal("/api/policies/2/settings/platformSettingHeartbeatInterval", write.Path);
        }

        [Fact]
        public void ADirectionChangeBehindAVirtualApplianceIsRefusedAndTheOtherComputerIsWritten()
        {
            using var ds = new DeepSecurityFixtureWith(60);
            var script = Declare + "Computers = @( @{ Id = 50; CommunicationDirection = 'ManagerInitiated' }, @{ Id = 51; CommunicationDirection = 'ManagerInitiated' } ) } ) }; Set-AgentBaseline -Baseline $b";
            var result = ds.Shell.Invoke(script, ds.Simulator.Uri);
            SingleError(result, "DirectionBreaksVirtualAppliance", "SetAgentBaselineCommand", ErrorCategory.InvalidOperation);
            var write = Assert.Single(ds.Simulator.Writes);
            Assert.Equal("/api/computers/51/settings/platformSettingAgentCommunicationsDirection", write.Path);
            Assert.Contains("Manager Initiated", write.Body);
            Assert.False(ds.Simulator.Fleet.ComputerSettings.TryGetValue(50, out var own) && own.ContainsKey("platformSettingAgentCommunicationsDirection"));
        }

        [Fact]
        public void AHeartbeatRuleIsCreatedInheritedByChildPoliciesAndReplacedByUnassigningTheOldOne()
        {
            using var ds = new DeepSecurityFixtureWith(60);
            string Rule(string ip, bool child = true) => Declare + "Policies = @( @{ Name = 'Linux Server'; HeartbeatFirewallRule = @{ SourceIPAddress = '" + ip + "'; Action = 'Bypass' } }"
                + (child ? ", @{ Id = 5; HeartbeatFirewallRule = @{ SourceIPAddress = '" + ip + "'; Action = 'Bypass' } }" : string.Empty) + " ) } ) }; ";
            var before = Succeeded(ds.Shell.Invoke(Rule("10.0.0.0/24") + "Test-AgentBaseline -Baseline $b", ds.Simulator.Uri));
            AssertRow(Row(before, "2", "HeartbeatFirewallRule"), "Bypass TCP 4118 from 10.0.0.0/24", "none", "no priority-4 heartbeat rule assigned", false);

            Succeeded(ds.Shell.Invoke(Rule("10.0.0.0/24", child: false) + "Set-AgentBaseline -Baseline $b", ds.Simulator.Uri));

            // Policy 2's new rule is in effect on its child 5 too, so 5 needs no rule of its own.
            Assert.Equal(new[] { "/api/firewallrules", "/api/policies/2/firewall/assignments" }, ds.Simulator.Writes.Select(w => w.Path));
            var first = ds.Simulator.Fleet.Policies[2].FirewallRuleIds.Single();
            Assert.Equal("4", ds.Simulator.FirewallRule(first)["priority"].GetValue<string>());
            var after = Succeeded(ds.Shell.Invoke(Rule("10.0.0.0/24") + "Test-AgentBaseline -Baseline $b", ds.Simulator.Uri));
            AssertRow(Row(after, "2", "HeartbeatFirewallRule"), "Bypass TCP 4118 from 10.0.0.0/24", "Bypass TCP 4118 from 10.0.0.0/24", "set here, rule " + first, true);
            AssertRow(Row(after, "5", "HeartbeatFirewallRule"), "Bypass TCP 4118 from 10.0.0.0/24", "Bypass TCP 4118 from 10.0.0.0/24", "inherited from policy 'Linux Server' (2), rule " + first, true);

            ds.Simulator.ClearRequests();
            Succeeded(ds.Shell.Invoke(Rule("10.1.0.0/16", child: false) + "Set-AgentBaseline -Baseline $b", ds.Simulator.Uri));
            var second = ds.Simulator.Fleet.Policies[2].FirewallRuleIds.Single();
            Assert.NotEqual(first, second);
            Assert.Contains(ds.Simulator.Writes, w => w.Method == "DELETE" && w.Path == "/api/policies/2/firewall/assignments/" + first);
            Assert.True((bool)Assert.Single(Succeeded(ds.Shell.Invoke(Rule("10.1.0.0/16") + "Test-AgentBaseline -Baseline $b -Quiet", ds.Simulator.Uri))).BaseObject);
        }

        [Fact]
        public void ExportThenTestIsEntirelyInDesiredState()
        {
            using var ds = new DeepSecurityFixtureWith(300);
            var setup = Declare + "AgentUpdateProxyId = 2; "
                + "Policies = @( @{ Name = 'Linux Server'; HeartbeatFirewallRule = @{ SourceIPAddress = @('10.0.0.0/24', '10.9.0.1'); Action = 'ForceAllow' } }, @{ Id = 3; SmartProtectionProxyId = 3; MaximumClockChange = 30 } ); "
                + "Computers = @( @{ Id = 7; MissedHeartbeatsBeforeAlert = 'Unlimited'; RaiseOfflineErrorsForInactiveVMs = $true } ) } ) }; Set-AgentBaseline -Baseline $b";
            Succeeded(ds.Shell.Invoke(setup, ds.Simulator.Uri));

            var text = (string)Assert.Single(Succeeded(ds.Shell.Invoke("Export-AgentBaseline -Format Json"))).BaseObject;
            Assert.Contains("\"HeartbeatFirewallRule\"", text);
            Assert.Contains("\"AgentUpdateProxyId\": 2", text);
            ds.Simulator.ClearRequests();
            var rows = Succeeded(ds.Shell.Invoke("Test-AgentBaseline -Baseline $args[0]", text));
            Assert.All(rows, r => Assert.True((bool)Prop(r, "InDesiredState"), Text(r, "Target") + " " + Text(r, "Setting") + ": " + Text(r, "Expected") + " vs " + Text(r, "Actual")));

            // The base policy's five settings, policy 3's proxy, the computers that set something themselves (7 and every 97th).
            Assert.Equal(5, rows.Count(r => Text(r, "TargetId") == "0"));
            Assert.Equal("3", Text(Row(rows, "3", "SmartProtectionProxyId"), "Actual"));
            Assert.Equal("Unlimited", Text(Row(rows, "7", "MissedHeartbeatsBeforeAlert"), "Actual"));
            Assert.Single(rows, r => Text(r, "Setting") == "HeartbeatFirewallRule");
            Assert.Equal(new[] { "7", "97", "194", "291" }, rows.Where(r => Text(r, "TargetType") == "Agent").Select(r => Text(r, "TargetId")).Distinct());
            Assert.Empty(ds.Simulator.Writes);
        }

        [Fact]
        public void ABadValueIsRefusedBeforeAnyRequestNamingItsKey()
        {
            using var ds = new DeepSecurityFixtureWith(20);
            ds.Simulator.ClearRequests();
            var result = ds.Shell.Invoke(Declare + "BasePolicy = @{ IntervalMinutes = 7 } } ) }; Set-AgentBaseline -Baseline $b", ds.Simulator.Uri);
            // The command stops (a statement-terminating error, so the script sees one error record).
            var error = result.TerminatingError ?? Assert.Single(result.Errors);
            Assert.Equal("BaselineValueInvalid,EndpointAdmin.Commands.SetAgentBaselineCommand", error.FullyQualifiedErrorId);
            Assert.Contains("BasePolicy.IntervalMinutes", error.Exception.Message);
            Assert.Empty(ds.Simulator.Requests);
        }

        [Fact]
        public void AComputerPatternReadsPagesNeverSingleComputers()
        {
            using var ds = new DeepSecurityFixtureWith(300);
            ds.Simulator.ClearRequests();
            var rows = Succeeded(ds.Shell.Invoke(Declare + "Computers = @( @{ Name = '*'; IntervalMinutes = 10 } ) } ) }; Test-AgentBaseline -Baseline $b", ds.Simulator.Uri));
            Assert.Equal(300, rows.Count);
            Assert.DoesNotContain(ds.Simulator.Requests, r => Regex.IsMatch(r.Path, "^/api/(computers|policies)/\\d+$"));

            // Three policy reads, one page of computers and one search for their own settings.
            Assert.Equal(5, ds.Simulator.Requests.Count);
        }
    }
}
