using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Every Deep Security cmdlet end to end against the simulator, through the real engine.</summary>
    public class DeepSecurityCmdletTests : IClassFixture<DeepSecurityFixture>
    {
        private readonly DeepSecurityFixture _ds;
        private readonly DeepSecuritySimulator _sim;

        public DeepSecurityCmdletTests(DeepSecurityFixture fixture)
        {
            _ds = fixture;
            _sim = fixture.Simulator;
            _ds.Reset();
        }

        private void AssertNothingWritten() => Assert.Empty(_sim.Writes);

        // ---- Get-Agent ----

        [Fact]
        public void GetAgentStreamsTheWholeFleetOnceWithItsFields()
        {
            var agents = Succeeded(_ds.Run("Get-Agent"));
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            Assert.Equal(Enumerable.Range(1, _sim.Fleet.Count), agents.Select(a => int.Parse((string)Prop(a, "Id"))).OrderBy(i => i));
            var seven = agents.Single(a => int.Parse((string)Prop(a, "Id")) == 7);
            Assert.Equal(_sim.Fleet.HostName(7), Text(seven, "Name"));
            Assert.Equal(_sim.Fleet.PolicyId(7), (int)Prop(seven, "PolicyId"));
            Assert.Equal("DeepSecurity", Text(seven, "Product"));
            Assert.Equal(_sim.Fleet.IPAddress(7), Text(seven, "IPAddress"));
            var contact = (DateTime)Prop(seven, "LastContact");
            Assert.Equal(DateTimeKind.Utc, contact.Kind);
            Assert.Equal(_sim.Fleet.LastContactMs(7), (long)(contact - DateTime.UnixEpoch).TotalMilliseconds);
            Assert.True((bool)Prop(agents.Single(a => int.Parse((string)Prop(a, "Id")) == 50), "IsVirtualAppliance"));
            Assert.False((bool)Prop(seven, "IsVirtualAppliance"));
        }

        [Fact]
        public void GetAgentFiltersByWildcardNameAndPolicyOnTheServer()
        {
            var expected = Enumerable.Range(1, _sim.Fleet.Count).Where(i => _sim.Fleet.HostName(i).StartsWith("web", StringComparison.Ordinal) && _sim.Fleet.PolicyId(i) == 1).ToArray();
            var agents = Succeeded(_ds.Run("Get-Agent -Name web* -PolicyId 1"));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, agents.Select(a => int.Parse((string)Prop(a, "Id"))));
            var search = Assert.Single(_sim.Requests, r => r.Path == "/api/computers/search");
            Assert.Contains("\"stringValue\":\"web%\"", search.Body);
            Assert.Contains("\"policyID\"", search.Body);
        }

        [Fact]
        public void GetAgentReportsMissingLiteralNamesAndIdsAndKeepsTheRest()
        {
            var result = _ds.Run("Get-Agent -Id 5, 999999");
            Assert.Equal(new[] { 5 }, result.Output.Select(a => int.Parse((string)Prop(a, "Id"))));
            SingleError(result, "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "999999");
            var byName = _ds.Run("Get-Agent -Name nosuchhost");
            SingleError(byName, "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "nosuchhost");
            Assert.Empty(_ds.Run("Get-Agent -Name nosuch*").Errors);
        }

        // ---- Test-AgentHeartbeat ----

        [Fact]
        public void TestAgentHeartbeatEvaluatesEveryAgentAgainstItsEffectivePolicyReadingEachPolicyOnce()
        {
            var results = Succeeded(_ds.Run("Test-AgentHeartbeat"));
            Assert.Equal(_sim.Fleet.Count, results.Count);
            var statuses = new HashSet<string>();
            foreach (var r in results)
            {
                var id = int.Parse((string)Prop(r, "AgentId"));
                var now = (DateTime)Prop(r, "CheckedAt");
                var interval = double.Parse(_sim.Fleet.EffectiveComputerSetting(id, "platformSettingHeartbeatInterval").Split(' ')[0]);
                var threshold = _sim.Fleet.EffectiveComputerSetting(id, "platformSettingHeartbeatMissedAlertThreshold");
                var contact = _sim.Fleet.LastContactMs(id);
                string expected;
                if (contact == 0)
                {
                    expected = "NeverContacted";
                }
                else
                {
                    var missed = (int)Math.Floor((now - DateTime.UnixEpoch.AddMilliseconds(contact)).TotalMinutes / interval);
                    expected = missed <= 0 ? "Healthy" : threshold == "Unlimited" ? "Unlimited" : missed > int.Parse(threshold) ? "Alert" : "Late";
                    Assert.Equal(Math.Max(0, missed), (int)Prop(r, "MissedHeartbeats"));
                }

                Assert.Equal(expected, Text(r, "Status"));
                Assert.Equal((int)interval, (int)Prop(r, "IntervalMinutes"));
                Assert.Equal(_sim.Fleet.ClockChanged(id), (bool)Prop(r, "ClockChangeAlert"));
                statuses.Add(expected);
            }

            Assert.Equal(new[] { "Alert", "Healthy", "Late", "NeverContacted", "Unlimited" }, statuses.OrderBy(s => s));
            var policyReads = _sim.Requests.Where(q => q.Method == "GET" && q.Path.StartsWith("/api/policies/", StringComparison.Ordinal)).Select(q => q.Path).ToList();
            Assert.Equal(policyReads.Distinct().Count(), policyReads.Count);
            Assert.Equal(5, policyReads.Count);
        }

        [Fact]
        public void StatusWritesOnlyTheVerdictsAskedForAndQuietStillJudgesEveryAgent()
        {
            var all = Succeeded(_ds.Run("Test-AgentHeartbeat"));
            var wanted = all.Where(r => Text(r, "Status") == "Alert" || Text(r, "Status") == "NeverContacted").Select(r => Text(r, "AgentId")).ToList();
            Assert.NotEmpty(wanted);
            Assert.True(wanted.Count < all.Count);

            var filtered = Succeeded(_ds.Run("Test-AgentHeartbeat -Status Alert, NeverContacted"));
            Assert.Equal(wanted, filtered.Select(r => Text(r, "AgentId")));

            var quiet = Succeeded(_ds.Run("Test-AgentHeartbeat -Status Healthy -Quiet"));
            Assert.False((bool)Assert.Single(quiet).BaseObject);

            var bad = _ds.Run("Test-AgentHeartbeat -Status Sleeping");
            Assert.StartsWith("CannotConvertArgumentNoMessage,", (bad.TerminatingError ?? Assert.Single(bad.Errors)).FullyQualifiedErrorId, StringComparison.Ordinal);
        }

        [Fact]
        public void PipedAgentsAreTestedOnceEachAndPoliciesAreStillReadOnce()
        {
            var expected = Enumerable.Range(1, _sim.Fleet.Count).Where(i => _sim.Fleet.HostName(i).StartsWith("db", StringComparison.Ordinal)).ToArray();
            var results = Succeeded(_ds.Run("Get-Agent -Name db* | Test-AgentHeartbeat"));
            Assert.Equal(expected, results.Select(r => int.Parse((string)Prop(r, "AgentId"))));
            Assert.Equal(expected.Select(i => _sim.Fleet.PolicyId(i)).Distinct().Count(), _sim.Requests.Count(q => q.Method == "GET" && q.Path.StartsWith("/api/policies/", StringComparison.Ordinal)));
        }

        [Fact]
        public void TestAgentHeartbeatReportsUnknownAgentsAndTestsTheRest()
        {
            var result = _ds.Run("Test-AgentHeartbeat -Name web000001, nosuchhost");
            Assert.Equal(new[] { 1 }, result.Output.Select(r => int.Parse((string)Prop(r, "AgentId"))));
            SingleError(result, "AgentNotFound", "TestAgentHeartbeatCommand", ErrorCategory.ObjectNotFound, "nosuchhost");
            var byId = _ds.Run("Test-AgentHeartbeat -Id 2, 777777");
            Assert.Single(byId.Output);
            SingleError(byId, "AgentNotFound", "TestAgentHeartbeatCommand", ErrorCategory.ObjectNotFound, "777777");
        }

        [Fact]
        public void AMalformedIdIsItsOwnErrorAndTheOtherIdsAreStillTested()
        {
            // Piped IDs are tested in batches: one bad record must not take its batch down with it.
            var piped = _ds.Run("'1', 'web-7', '2' | ForEach-Object { [pscustomobject]@{ AgentId = $_ } } | Test-AgentHeartbeat");
            Assert.Equal(new[] { 1, 2 }, piped.Output.Select(r => int.Parse((string)Prop(r, "AgentId"))).OrderBy(i => i));
            SingleError(piped, "AgentIdInvalid", "TestAgentHeartbeatCommand", ErrorCategory.InvalidArgument, "web-7");
            var listed = _ds.Run("Get-Agent -Id 3, 0, 4");
            Assert.Equal(new[] { 3, 4 }, listed.Output.Select(a => int.Parse((string)Prop(a, "Id"))).OrderBy(i => i));
            SingleError(listed, "AgentIdInvalid", "GetAgentCommand", ErrorCategory.InvalidArgument, "0");
            _sim.ClearRequests();
            SingleError(_ds.Run("Get-Agent -Id abc"), "AgentIdInvalid", "GetAgentCommand", ErrorCategory.InvalidArgument, "abc");
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void QuietAnswersWithOneBoolean()
        {
            // Fresh contact for one agent, so the check does not depend on how long ago the fleet was seeded.
            var healthy = 3;
            _sim.Fleet.SetLastContact(healthy, DateTime.UtcNow);
            var yes = Succeeded(_ds.Run("Test-AgentHeartbeat -Id $args[0] -Quiet", healthy));
            Assert.True((bool)Assert.Single(yes).BaseObject);
            var never = Enumerable.Range(1, _sim.Fleet.Count).First(i => _sim.Fleet.LastContactMs(i) == 0);
            var no = Succeeded(_ds.Run("Test-AgentHeartbeat -Id $args[0], $args[1] -Quiet", healthy, never));
            Assert.False((bool)Assert.Single(no).BaseObject);
        }

        // ---- heartbeat policy ----

        [Fact]
        public void GetAgentHeartbeatPolicyShowsEffectiveValuesAndWhereEachComesFrom()
        {
            var web = Assert.Single(Succeeded(_ds.Run("Get-AgentHeartbeatPolicy -PolicyName 'Web Tier'")));
            Assert.Equal(5, (int)Prop(web, "TargetId"));
            Assert.Equal(1, (int)Prop(web, "IntervalMinutes"));
            Assert.Equal("Policy 5 'Web Tier'", Text(web, "IntervalSource"));
            Assert.Equal("2", Text(web, "MissedHeartbeatsBeforeAlert"));
            Assert.Equal("Base policy", Text(web, "MissedHeartbeatsBeforeAlertSource"));
            Assert.Equal("Unlimited", Text(web, "MaximumClockChange"));

            var agent = Assert.Single(Succeeded(_ds.Run("Get-Agent -Id 97 | Get-AgentHeartbeatPolicy")));
            Assert.Equal("Agent", Text(agent, "Scope"));
            Assert.Equal(2, (int)Prop(agent, "IntervalMinutes"));
            Assert.StartsWith("Agent 97", Text(agent, "IntervalSource"));

            var laptops = Assert.Single(Succeeded(_ds.Run("Get-AgentHeartbeatPolicy -PolicyId 4")));
            Assert.Equal("Unlimited", Text(laptops, "MissedHeartbeatsBeforeAlert"));
            Assert.Equal("AgentInitiated", Text(laptops, "CommunicationDirection"));
            Assert.Equal("Policy 4 'Laptops'", Text(laptops, "CommunicationDirectionSource"));

            var basePolicy = Assert.Single(Succeeded(_ds.Run("Get-AgentHeartbeatPolicy")));
            Assert.Equal("BasePolicy", Text(basePolicy, "Scope"));
            Assert.Equal(10, (int)Prop(basePolicy, "IntervalMinutes"));
            AssertNothingWritten();
        }

        [Fact]
        public void SetAgentHeartbeatPolicyWritesSettingsAndInheritResetsThem()
        {
            var result = Assert.Single(Succeeded(_ds.Run("Set-AgentHeartbeatPolicy -PolicyId 3 -IntervalMinutes 5 -MissedHeartbeatsBeforeAlert Unlimited -MaximumClockChange 30 -RaiseOfflineErrorsForInactiveVMs $true -PassThru")));
            Assert.Equal("5 Minutes", _sim.Fleet.Policies[3].Settings["platformSettingHeartbeatInterval"]);
            Assert.Equal("Unlimited", _sim.Fleet.Policies[3].Settings["platformSettingHeartbeatMissedAlertThreshold"]);
            Assert.Equal("30 Minutes", _sim.Fleet.Policies[3].Settings["platformSettingHeartbeatLocalTimeShiftAlertThreshold"]);
            Assert.Equal("true", _sim.Fleet.Policies[3].Settings["platformSettingHeartbeatInactiveVmOfflineAlertEnabled"]);
            Assert.Equal(5, (int)Prop(result, "IntervalMinutes"));
            Assert.Equal("Policy 3 'Windows Server'", Text(result, "IntervalSource"));

            _sim.ClearRequests();
            Succeeded(_ds.Run("Set-AgentHeartbeatPolicy -PolicyId 3 -Inherit Interval, MaximumClockChange, RaiseOfflineErrorsForInactiveVMs -Confirm:$false"));
            Assert.Equal(3, _sim.Writes.Count(w => w.Method == "DELETE" && w.Path.StartsWith("/api/policies/3/settings/", StringComparison.Ordinal)));
            Assert.False(_sim.Fleet.Policies[3].Settings.ContainsKey("platformSettingHeartbeatInterval"));

            Succeeded(_ds.Run("Set-AgentHeartbeatPolicy -PolicyId 3 -MissedHeartbeatsBeforeAlert 3"));
            Assert.Equal("3", _sim.Fleet.Policies[3].Settings["platformSettingHeartbeatMissedAlertThreshold"]);
        }

        [Fact]
        public void SetAgentHeartbeatPolicyWhatIfSendsNoWrite()
        {
            var result = _ds.Run("Set-AgentHeartbeatPolicy -AgentId 12 -IntervalMinutes 1 -WhatIf");
            Assert.False(result.Failed, result.Describe());
            AssertNothingWritten();
            Assert.False(_sim.Fleet.ComputerSettings.TryGetValue(12, out var own) && own.ContainsKey("platformSettingHeartbeatInterval"));
        }

        [Theory]
        [InlineData("-PolicyId 2 -IntervalMinutes -5", "HeartbeatIntervalInvalid", ErrorCategory.InvalidArgument, -5)]
        [InlineData("-PolicyId 2 -IntervalMinutes 7", "HeartbeatIntervalInvalid", ErrorCategory.InvalidArgument, 7)]
        [InlineData("-PolicyId 2 -MissedHeartbeatsBeforeAlert abc", "HeartbeatThresholdInvalid", ErrorCategory.InvalidArgument, "abc")]
        [InlineData("-PolicyId 2 -MissedHeartbeatsBeforeAlert 0", "HeartbeatThresholdInvalid", ErrorCategory.InvalidArgument, "0")]
        [InlineData("-PolicyId 2 -MaximumClockChange -1", "HeartbeatClockChangeInvalid", ErrorCategory.InvalidArgument, "-1")]
        [InlineData("-PolicyId 999 -IntervalMinutes 5", "PolicyNotFound", ErrorCategory.ObjectNotFound, 999)]
        [InlineData("-PolicyName 'No such policy' -IntervalMinutes 5", "PolicyNotFound", ErrorCategory.ObjectNotFound, "No such policy")]
        [InlineData("-AgentId 999999 -IntervalMinutes 5", "AgentNotFound", ErrorCategory.ObjectNotFound, 999999)]
        [InlineData("-BasePolicy -Inherit Interval", "BasePolicyCannotInherit", ErrorCategory.InvalidArgument, "Interval")]
        [InlineData("-PolicyId 2 -IntervalMinutes 5 -Inherit Interval", "HeartbeatSettingConflict", ErrorCategory.InvalidArgument, "Interval")]
        [InlineData("-PolicyId 2", "HeartbeatNothingToChange", ErrorCategory.InvalidArgument, "policy 2")]
        public void BadHeartbeatInputIsRejectedBeforeAnyWrite(string arguments, string errorId, ErrorCategory category, object target)
        {
            var result = _ds.Run("Set-AgentHeartbeatPolicy " + arguments + " -Confirm:$false");
            SingleError(result, errorId, "SetAgentHeartbeatPolicyCommand", category, target);
            AssertNothingWritten();
        }

        // ---- communication direction ----

        [Fact]
        public void SetAgentCommunicationDirectionWritesTheDocumentedValueAndInheritedResets()
        {
            var result = Assert.Single(Succeeded(_ds.Run("Get-Agent -Id 7 | Set-AgentCommunicationDirection -Direction ManagerInitiated -Confirm:$false -PassThru")));
            Assert.Equal("Manager Initiated", _sim.Fleet.ComputerSettings[7]["platformSettingAgentCommunicationsDirection"]);
            Assert.Equal("ManagerInitiated", Text(result, "CommunicationDirection"));
            Assert.StartsWith("Agent 7", Text(result, "CommunicationDirectionSource"));

            Succeeded(_ds.Run("Set-AgentCommunicationDirection -Direction Inherited -AgentId 7 -Confirm:$false"));
            Assert.False(_sim.Fleet.ComputerSettings[7].ContainsKey("platformSettingAgentCommunicationsDirection"));
            Assert.Contains(_sim.Writes, w => w.Method == "DELETE" && w.Path == "/api/computers/7/settings/platformSettingAgentCommunicationsDirection");

            Succeeded(_ds.Run("Set-AgentCommunicationDirection AgentInitiated -PolicyName 'Windows Server' -Confirm:$false"));
            Assert.Equal("Agent/Appliance Initiated", _sim.Fleet.Policies[3].Settings["platformSettingAgentCommunicationsDirection"]);
            Succeeded(_ds.Run("Set-AgentCommunicationDirection Inherited -PolicyId 3 -Confirm:$false"));
        }

        [Fact]
        public void NonBidirectionalIsRefusedWhereAVirtualApplianceWouldBreak()
        {
            var agent = _ds.Run("Set-AgentCommunicationDirection -Direction AgentInitiated -AgentId 50 -Confirm:$false");
            SingleError(agent, "DirectionBreaksVirtualAppliance", "SetAgentCommunicationDirectionCommand", ErrorCategory.InvalidOperation, "AgentInitiated");
            var policy = _ds.Run("Set-AgentCommunicationDirection -Direction ManagerInitiated -PolicyId 2 -Confirm:$false");
            SingleError(policy, "DirectionBreaksVirtualAppliance", "SetAgentCommunicationDirectionCommand", ErrorCategory.InvalidOperation, "ManagerInitiated");
            AssertNothingWritten();
            Succeeded(_ds.Run("Set-AgentCommunicationDirection -Direction Bidirectional -AgentId 50 -Confirm:$false"));
        }

        [Fact]
        public void AnUnknownDirectionIsABindingErrorAndSendsNothing()
        {
            var result = _ds.Run("Set-AgentCommunicationDirection -Direction Sideways -PolicyId 2 -Confirm:$false");
            var error = Assert.Single(result.Errors);
            Assert.Equal("CannotConvertArgumentNoMessage,EndpointAdmin.Commands.SetAgentCommunicationDirectionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Empty(_sim.Requests);
        }

        // ---- heartbeat firewall rule ----

        [Fact]
        public void NewAgentHeartbeatFirewallRuleCreatesTheDocumentedPriorityFourRuleAndAssignsIt()
        {
            var rule = Assert.Single(Succeeded(_ds.Run("New-AgentHeartbeatFirewallRule -PolicyName 'Linux Server' -SourceIPAddress 10.0.0.10, 10.0.0.11 -SourceMacAddress 00-11-22-33-44-5a")));
            var id = (int)Prop(rule, "RuleId");
            var stored = _sim.FirewallRule(id);
            Assert.Equal("force-allow", (string)stored["action"]);
            Assert.Equal("4", (string)stored["priority"]);
            Assert.Equal("incoming", (string)stored["direction"]);
            Assert.Equal("ip", (string)stored["frameType"]);
            Assert.Equal("tcp", (string)stored["protocol"]);
            Assert.Equal("multiple", (string)stored["destinationPortType"]);
            Assert.Equal("4118", (string)stored["destinationPortMultiple"][0]);
            Assert.Equal("multiple", (string)stored["sourceIPType"]);
            Assert.Equal(new[] { "10.0.0.10", "10.0.0.11" }, stored["sourceIPMultiple"].AsArray().Select(n => (string)n));
            Assert.Equal("single", (string)stored["sourceMACType"]);
            Assert.Equal("00:11:22:33:44:5A", (string)stored["sourceMACValue"]);
            Assert.Contains(id, _sim.Fleet.Policies[2].FirewallRuleIds);
            Assert.Equal(new[] { "10.0.0.10", "10.0.0.11" }, (string[])Prop(rule, "SourceIPAddress"));

            var bypass = Assert.Single(Succeeded(_ds.Run("New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.1.0.0/16 -Action Bypass -Port 4119")));
            Assert.Equal("bypass", (string)_sim.FirewallRule((int)Prop(bypass, "RuleId"))["action"]);
        }

        [Theory]
        [InlineData("-PolicyId 2", "FirewallRuleSourceRequired", "policy 2")]
        [InlineData("-PolicyId 2 -SourceIPAddress 10.0.0.300", "FirewallRuleIPAddressInvalid", "10.0.0.300")]
        [InlineData("-PolicyId 2 -SourceMacAddress 00:11:22:33:44", "FirewallRuleMacAddressInvalid", "00:11:22:33:44")]
        [InlineData("-PolicyId 2 -SourceIPAddress 10.0.0.1 -Port 70000", "FirewallRulePortInvalid", 70000)]
        public void BadFirewallRuleInputIsRejectedBeforeAnyRequest(string arguments, string errorId, object target)
        {
            var result = _ds.Run("New-AgentHeartbeatFirewallRule " + arguments);
            SingleError(result, errorId, "NewAgentHeartbeatFirewallRuleCommand", ErrorCategory.InvalidArgument, target);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void NewAgentHeartbeatFirewallRuleWhatIfAndMissingPolicySendNoWrite()
        {
            Assert.False(_ds.Run("New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.0.0.1 -WhatIf").Failed);
            SingleError(_ds.Run("New-AgentHeartbeatFirewallRule -PolicyId 77 -SourceIPAddress 10.0.0.1"), "PolicyNotFound", "NewAgentHeartbeatFirewallRuleCommand", ErrorCategory.ObjectNotFound, 77);
            AssertNothingWritten();
        }

        // ---- sync ----

        [Fact]
        public void InvokeAgentSyncFromAPipelineWaitsForTheManagersRecordOfSuccess()
        {
            var tasksBefore = _sim.TaskCount;
            var results = Succeeded(_ds.Run("Test-AgentHeartbeat -Id 1, 2 | Invoke-AgentSync -Wait -TimeoutSec 20"));
            Assert.Equal(new[] { 1, 2 }, results.Select(r => int.Parse((string)Prop(r, "AgentId"))));
            Assert.All(results, r => Assert.Equal("Succeeded", Text(r, "Status")));
            Assert.All(results, r => Assert.NotNull(Prop(r, "LastPolicySent")));
            var tasks = _sim.Writes.Where(w => w.Path == "/api/scheduledtasks").ToList();
            Assert.Equal(2, tasks.Count);
            Assert.All(tasks, t => Assert.Contains("\"type\":\"send-policy\"", t.Body));
            Assert.All(tasks, t => Assert.Contains("\"runNow\":true", t.Body));
            Assert.Equal(tasksBefore, _sim.TaskCount); // each one-off task is removed after it ran
        }

        [Fact]
        public void InvokeAgentSyncTimesOutClearlyForAnAgentThatNeverAnswers()
        {
            var never = Enumerable.Range(1, _sim.Fleet.Count).First(i => _sim.Fleet.LastContactMs(i) == 0);
            var result = _ds.Run("Invoke-AgentSync -Id $args[0] -Wait -TimeoutSec 1", never);
            var output = Assert.Single(result.Output);
            Assert.Equal("TimedOut", Text(output, "Status"));
            SingleError(result, "ManagerTimeout", "InvokeAgentSyncCommand", ErrorCategory.OperationTimeout, never.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public void InvokeAgentSyncWhatIfAndUnknownAgentSendNoWrite()
        {
            Assert.False(_ds.Run("Get-Agent -Name web00000* | Invoke-AgentSync -WhatIf").Failed);
            SingleError(_ds.Run("Invoke-AgentSync -Id 888888"), "AgentNotFound", "InvokeAgentSyncCommand", ErrorCategory.ObjectNotFound, 888888);
            AssertNothingWritten();
        }

        [Fact]
        public void AlertingAgentsCanBeSyncedStraightFromTheHeartbeatTest()
        {
            // One script, so an agent that turns from Late to Alert in between cannot change the count.
            var output = Succeeded(_ds.Run("$alerts = @(Test-AgentHeartbeat -PolicyId 5 | Where-Object Status -eq Alert); $alerts.Count; $alerts | Invoke-AgentSync"));
            var count = (int)output[0].BaseObject;
            var synced = output.Skip(1).ToList();
            Assert.True(count > 0);
            Assert.Equal(count, synced.Count);
            Assert.All(synced, s => Assert.Equal("Requested", Text(s, "Status")));
        }

        // ---- proxy ----

        [Fact]
        public void SetAgentProxyWritesTheProxyIdSettings()
        {
            Succeeded(_ds.Run("Set-AgentProxy -Purpose SmartProtection -ProxyId 3 -PolicyId 2"));
            Assert.Equal("3", _sim.Fleet.Policies[2].Settings["platformSettingSmartProtectionGlobalServerProxyId"]);
            Assert.Equal("true", _sim.Fleet.Policies[2].Settings["platformSettingSmartProtectionGlobalServerUseProxyEnabled"]);
            Succeeded(_ds.Run("Set-AgentProxy AgentUpdate 4"));
            Assert.Equal("4", _sim.Fleet.SystemSettings["platformSettingProxyAgentUpdateProxyId"]);
        }

        [Fact]
        public void SetAgentProxyByAddressIsNotSupportedAndNamesTheConsolePage()
        {
            var result = _ds.Run("Set-AgentProxy -Purpose AgentUpdate -ProxyUri http://proxy.example.com:8080");
            var error = SingleError(result, "ManagerOperationNotSupported", "SetAgentProxyCommand", ErrorCategory.NotImplemented, "SetProxyByAddress");
            Assert.Contains("Administration > System Settings > Proxies", error.ErrorDetails.RecommendedAction);
            var scope = _ds.Run("Set-AgentProxy -Purpose ManagerUpdate -ProxyId 2 -PolicyId 2");
            SingleError(scope, "ProxyPurposeScopeInvalid", "SetAgentProxyCommand", ErrorCategory.InvalidArgument, "ManagerUpdate");
            AssertNothingWritten();
        }
    }
}
