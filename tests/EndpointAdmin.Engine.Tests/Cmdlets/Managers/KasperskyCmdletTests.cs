using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Every cmdlet against the Kaspersky Security Center simulator, through the real engine.</summary>
    public class KasperskyCmdletTests : IClassFixture<KasperskyFixture>
    {
        private readonly KasperskyFixture _ksc;
        private readonly KscSimulator _sim;

        public KasperskyCmdletTests(KasperskyFixture fixture)
        {
            _ksc = fixture;
            _sim = fixture.Simulator;
            _ksc.Reset();
        }

        /// <summary>Pipes $args[0], one object with an AgentId property per ID, into what follows.</summary>
        private const string Piped = "$args[0] | ForEach-Object { [pscustomobject]@{ AgentId = $_ } } | ";

        private void AssertNothingWritten() => Assert.Empty(_sim.Writes);

        private static ErrorRecord Failure(PowerShellResult result) => result.TerminatingError ?? Assert.Single(result.Errors);

        // ---- Connect-AgentManager ----

        [Fact]
        public void ConnectSignsInWithKscBasicAndThenSendsOnlyTheSessionHeader()
        {
            using var shell = new InProcessPowerShell();
            var session = Assert.Single(Succeeded(shell.Invoke(KasperskyFixture.ConnectScript + "-PassThru", _sim.Uri, _ksc.Credential, _sim.Thumbprint)));
            Assert.Equal("KasperskySecurityCenter", Text(session, "Product"));
            Assert.Equal(_sim.Uri, Text(session, "Uri"));
            var start = Assert.Single(_sim.Calls("Session.StartSession"));
            Assert.False(start.HasSession);
            Assert.All(_sim.Requests.Where(r => r != start), r => Assert.True(r.HasSession, r.ToString()));
            Assert.Single(_sim.Calls("Session.Ping"));
        }

        [Fact]
        public void AWindowsAccountSignsInWithItsDomainAndAVirtualServerIsChosen()
        {
            using var shell = new InProcessPowerShell();
            var credential = new PSCredential(_sim.DomainUser, DeepSecurityFixture.Key(_sim.DomainPassword));
            Assert.False(shell.Invoke("Connect-AgentManager KasperskySecurityCenter $args[0] -Credential $args[1] -Domain CORP -VirtualServer branch-vs -CertificateThumbprint $args[2]", _sim.Uri, credential, _sim.Thumbprint).Failed);
            Assert.Single(Succeeded(shell.Invoke("Get-Agent -Id $args[0]", _sim.Fleet[0].HostName)));

            var noDomain = shell.Invoke("Connect-AgentManager KasperskySecurityCenter $args[0] -Credential $args[1] -CertificateThumbprint $args[2]", _sim.Uri, credential, _sim.Thumbprint);
            Assert.Equal("ManagerAuthenticationFailed,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(noDomain).FullyQualifiedErrorId);
            var unknownServer = shell.Invoke("Connect-AgentManager KasperskySecurityCenter $args[0] -Credential $args[1] -Domain CORP -VirtualServer nowhere -CertificateThumbprint $args[2]", _sim.Uri, credential, _sim.Thumbprint);
            var error = Failure(unknownServer);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("virtual server 'nowhere'", error.Exception.Message);
        }

        [Fact]
        public void AWrongPasswordIsAnAuthenticationErrorAndNoSessionIsLeft()
        {
            using var shell = new InProcessPowerShell();
            var result = shell.Invoke(KasperskyFixture.ConnectScript, _sim.Uri, new PSCredential(_sim.UserName, DeepSecurityFixture.Key("not-the-password")), _sim.Thumbprint);
            var error = Failure(result);
            Assert.Equal("ManagerAuthenticationFailed,EndpointAdmin.Commands.ConnectAgentManagerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("Authentication failed", error.Exception.Message);
            Assert.Equal("ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand", Failure(shell.Invoke("Get-Agent")).FullyQualifiedErrorId);
        }

        // ---- Get-Agent ----

        [Fact]
        public void GetAgentStreamsEveryDeviceWithItsKasperskyAttributesAndReleasesTheAccessor()
        {
            var agents = Succeeded(_ksc.Run("Get-Agent"));
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            Assert.Equal(_sim.Fleet.Hosts.Select(h => h.HostName).OrderBy(n => n), agents.Select(a => Text(a, "Id")).OrderBy(n => n));
            var host = _sim.Fleet[6];
            var agent = agents.Single(a => Text(a, "Id") == host.HostName);
            Assert.Equal(host.DisplayName, Text(agent, "Name"));
            Assert.Equal(host.DnsName + ".corp.example", Text(agent, "DnsName"));
            Assert.Equal("10.0.0.7", Text(agent, "IPAddress"));
            Assert.Equal(host.GroupId, (int)Prop(agent, "GroupId"));
            Assert.Equal(_sim.Groups[host.GroupId], Text(agent, "GroupName"));
            Assert.Equal(host.NagentVersion, Text(agent, "AgentVersion"));
            Assert.Equal("KasperskySecurityCenter", Text(agent, "Product"));
            var contact = (DateTime?)Prop(agent, "LastContact");
            Assert.Equal(host.LastNagentConnected?.ToString("s"), contact?.ToString("s"));
            Assert.True(contact == null || contact.Value.Kind == DateTimeKind.Utc);
            Assert.Equal(host.LastInfoUpdate?.ToString("s"), ((DateTime?)Prop(agent, "LastInfoUpdate"))?.ToString("s"));
            Assert.Equal(host.KeepConnection, (bool)Prop(agent, "ContinuousConnection"));
            Assert.Equal(host.Alive, (bool)Prop(agent, "AgentAlive"));
            Assert.Equal(host.Alive ? "Active" : "Inactive", Text(agent, "Status"));
            Assert.True((bool)Prop(agent, "AgentInstalled"));
            Assert.Equal((host.Status & 0x10) != 0, (bool)Prop(agent, "RealTimeProtectionInstalled"));

            // Streamed chunk by chunk, one accessor, released; each group's name read once.
            Assert.Equal(4, _sim.Calls("HostGroup.GetGroupInfo").Count);
            Assert.Single(_sim.Calls("HostGroup.FindHosts"));
            Assert.Equal((_sim.Fleet.Count + 499) / 500, _sim.Calls("ChunkAccessor.GetItemsChunk").Count);
            Assert.Single(_sim.Calls("ChunkAccessor.Release"));
            Assert.Equal(0, _sim.OpenAccessors);
            Assert.Single(_sim.Requests.Select(r => r.Connection).Distinct()); // one pinned connection

            _sim.Groups.Remove(3);
            _sim.ClearRequests();
            var unnamed = Succeeded(_ksc.Run("Get-Agent -Name app*"));
            Assert.Contains(unnamed, a => (int)Prop(a, "GroupId") == 3 && Prop(a, "GroupName") == null);
            _sim.Groups[3] = "Branch offices";
        }

        [Fact]
        public void GetAgentFiltersByWildcardNameAndIdOnTheServer()
        {
            var expected = _sim.Fleet.Hosts.Where(h => h.DisplayName.StartsWith("web", StringComparison.Ordinal)).Select(h => h.HostName).ToList();
            var agents = Succeeded(_ksc.Run("Get-Agent -Name web*"));
            Assert.Equal(expected.OrderBy(n => n), agents.Select(a => Text(a, "Id")).OrderBy(n => n));
            Assert.Contains("KLHST_WKS_DN=\\\"web*\\\"", Assert.Single(_sim.Calls("HostGroup.FindHosts")).Body);

            _sim.ClearRequests();
            var ids = new[] { _sim.Fleet[1].HostName, _sim.Fleet[2].HostName };
            Assert.Equal(ids, Succeeded(_ksc.Run("Get-Agent -Id $args[0], $args[1]", ids[0], ids[1])).Select(a => Text(a, "Id")));
            Assert.Contains("(|(KLHST_WKS_HOSTNAME=", Assert.Single(_sim.Calls("HostGroup.FindHosts")).Body);
        }

        [Fact]
        public void GetAgentReportsMissingDevicesAndRejectsMalformedIdsBeforeAnyRequest()
        {
            var result = _ksc.Run("Get-Agent -Id $args[0], 'feedface-0000-0000-0000-000000000000'", _sim.Fleet[3].HostName);
            Assert.Single(result.Output);
            SingleError(result, "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "feedface-0000-0000-0000-000000000000");
            SingleError(_ksc.Run("Get-Agent -Name nosuchdevice"), "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "nosuchdevice");

            _sim.ClearRequests();
            SingleError(_ksc.Run("Get-Agent -Id 'x\")(KLHST_WKS_DN=\"*'"), "AgentIdInvalid", "GetAgentCommand", ErrorCategory.InvalidArgument, "x\")(KLHST_WKS_DN=\"*");
            var policy = SingleError(_ksc.Run("Get-Agent -PolicyId 2"), "ManagerOperationNotSupported", "GetAgentCommand", ErrorCategory.NotImplemented);
            Assert.Contains("no policy ID", policy.Exception.Message);
            Assert.Empty(_sim.Requests);
        }

        [Theory]
        [InlineData(FaultKind.Slow)]
        [InlineData(FaultKind.Unavailable)]
        public void CtrlCInTheMiddleOfAWalkStopsAtOnceAndReleasesTheAccessor(FaultKind kind)
        {
            var hang = new Fault { Kind = kind, PathContains = "ChunkAccessor.GetItemsChunk", SkipMatches = 1, Times = 100, Delay = TimeSpan.FromSeconds(30), RetryAfterSeconds = 30 };
            _sim.Faults.Add(hang);
            using var ps = PowerShell.Create();
            ps.Runspace = _ksc.Shell.Runspace;
            ps.AddScript("Get-Agent");
            var output = new PSDataCollection<PSObject>();
            var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
            // A generous wait: it only ends a test whose second chunk is never asked for.
            Assert.True(hang.WaitFired(TimeSpan.FromSeconds(60)), "the second chunk was never requested");
            Assert.Equal(1, _sim.OpenAccessors);
            var stop = Stopwatch.StartNew();
            ps.Stop();
            stop.Stop();
            Assert.True(async.IsCompleted);
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            // Half the 30 s the hang lasts: only a Stop that waits out the answer or the Retry-After fails this.
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(15), "Stop took " + stop.Elapsed);
            Assert.Equal(500, output.Count);
            Assert.Equal(0, _sim.OpenAccessors);
            Assert.Single(_sim.Calls("ChunkAccessor.Release"));
        }

        [Fact]
        public void AnErrorInTheMiddleOfAWalkIsOneErrorAndTheAccessorIsReleased()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.PxgError, PathContains = "ChunkAccessor.GetItemsChunk", SkipMatches = 1, PxgCode = 1184, PxgMessage = "Access denied to group 'Servers'" });
            var result = _ksc.Run("Get-Agent");
            Assert.Equal(500, result.Output.Count);
            var error = SingleError(result, "ManagerPermissionDenied", "GetAgentCommand", ErrorCategory.PermissionDenied);
            Assert.Contains("Access denied to group 'Servers'", error.ErrorDetails.Message);
            Assert.Contains("KLSTD 1184", error.Exception.Message);
            Assert.Equal(0, _sim.OpenAccessors);
        }

        [Theory]
        [InlineData(1184, "ManagerPermissionDenied", ErrorCategory.PermissionDenied)]
        [InlineData(1186, "ManagerObjectNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData(1195, "ManagerUnavailable", ErrorCategory.ResourceUnavailable)]
        [InlineData(1229, "ManagerRateLimited", ErrorCategory.LimitsExceeded)]
        [InlineData(1194, "ManagerOperationNotSupported", ErrorCategory.NotImplemented)]
        [InlineData(4242, "KscOperationFailed", ErrorCategory.InvalidOperation)]
        public void KscErrorCodesMapToCategoriesWithTheServersTextInErrorDetails(int code, string errorId, ErrorCategory category)
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.PxgError, PathContains = "HostGroup.FindHosts", PxgCode = code, PxgMessage = "server says " + code });
            var error = SingleError(_ksc.Run("Get-Agent"), errorId, "GetAgentCommand", category);
            Assert.Equal("Kaspersky Security Center refused HostGroup.FindHosts (KLSTD " + code + "): server says " + code, error.ErrorDetails.Message);
        }

        [Fact]
        public void PipedIdsAreLookedUpInBatchesNotOneSearchEach()
        {
            var agents = Succeeded(_ksc.Run("Get-Agent | Get-Agent"));
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            // One search for the first Get-Agent, then one per 500 piped IDs.
            Assert.Equal(1 + (_sim.Fleet.Count + 499) / 500, _sim.Calls("HostGroup.FindHosts").Count);
            Assert.Equal(0, _sim.OpenAccessors);
        }

        [Fact]
        public void AMalformedPipedIdIsItsOwnErrorAndTheOtherIdsAreStillListedInOneSearch()
        {
            var ids = new[] { _sim.Fleet[0].HostName, "bad id", _sim.Fleet[1].HostName };
            var result = _ksc.Run(Piped + "Get-Agent", (object)ids);
            Assert.Equal(new[] { ids[0], ids[2] }, result.Output.Select(a => Text(a, "Id")).OrderBy(id => Array.IndexOf(ids, id)));
            SingleError(result, "AgentIdInvalid", "GetAgentCommand", ErrorCategory.InvalidArgument, "bad id");
            Assert.Single(_sim.Calls("HostGroup.FindHosts"));
        }

        // ---- sessions ----

        [Fact]
        public void AnExpiredSessionIsRenewedWithoutTheUserNoticingEvenInTheMiddleOfAWalk()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.SessionExpired, PathContains = "ChunkAccessor.GetItemsChunk", SkipMatches = 1 });
            var agents = Succeeded(_ksc.Run("Get-Agent"));
            Assert.Equal(_sim.Fleet.Count, agents.Select(a => Text(a, "Id")).Distinct().Count());
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            Assert.Single(_sim.Calls("Session.StartSession"));
            Assert.Contains(_sim.Requests, r => r.Status == 403);

            _sim.ClearRequests();
            _sim.ExpireAllSessions();
            Assert.Single(Succeeded(_ksc.Run("Get-Agent -Id $args[0]", _sim.Fleet[0].HostName)));
            Assert.Single(_sim.Calls("Session.StartSession"));
        }

        [Fact]
        public void ASessionLeftIdleBeyondItsLifetimeIsRenewedOnTheNextCommand()
        {
            var lifetime = _sim.SessionLifetime;
            try
            {
                _sim.SessionLifetime = TimeSpan.FromMilliseconds(300);
                Thread.Sleep(500);
                Assert.Single(Succeeded(_ksc.Run("Get-Agent -Id $args[0]", _sim.Fleet[5].HostName)));
                Assert.Equal(new[] { 403, 200 }, _sim.Requests.Take(2).Select(r => r.Status));
                Assert.Single(_sim.Calls("Session.StartSession"));
            }
            finally
            {
                _sim.SessionLifetime = lifetime;
            }
        }

        [Fact]
        public void AFailedRenewalIsAClearAuthenticationError()
        {
            using var shell = new InProcessPowerShell();
            _ksc.Connect(shell);
            var password = _sim.Password;
            try
            {
                _sim.ExpireAllSessions();
                _sim.Password = "changed-" + Guid.NewGuid();
                var error = SingleError(shell.Invoke("Get-Agent"), "ManagerAuthenticationFailed", "GetAgentCommand", ErrorCategory.AuthenticationError, _sim.UserName);
                Assert.Contains("ended the session and signing in again as ksc-admin failed", error.Exception.Message);
                Assert.Contains("Connect-AgentManager", error.ErrorDetails.RecommendedAction);
            }
            finally
            {
                _sim.Password = password;
            }
        }

        // ---- Test-AgentHeartbeat ----

        [Fact]
        public void TestAgentHeartbeatJudgesTheLastNetworkAgentConnectionAgainstTheSyncInterval()
        {
            foreach (var minutes in new int?[] { null, 60 })
            {
                var results = Succeeded(_ksc.Run("Test-AgentHeartbeat" + (minutes.HasValue ? " -SyncIntervalMinutes " + minutes : string.Empty)));
                Assert.Equal(_sim.Fleet.Count, results.Count);
                var interval = minutes ?? 15;
                var statuses = new HashSet<string>();
                foreach (var r in results)
                {
                    var host = _sim.Fleet.ByName[Text(r, "AgentId")];
                    var now = (DateTime)Prop(r, "CheckedAt");
                    string expected;
                    if (host.LastNagentConnected == null)
                    {
                        expected = "NeverContacted";
                    }
                    else
                    {
                        var missed = (int)Math.Floor((now - host.LastNagentConnected.Value).TotalMinutes / interval);
                        expected = missed <= 0 ? "Healthy" : missed > 3 ? "Alert" : "Late";
                        Assert.Equal(Math.Max(0, missed), (int)Prop(r, "MissedHeartbeats"));
                    }

                    Assert.Equal(expected, Text(r, "Status"));
                    Assert.Equal(interval, (int)Prop(r, "IntervalMinutes"));
                    Assert.Equal(3, (int)Prop(r, "MissedHeartbeatsBeforeAlert"));
                    statuses.Add(expected);
                }

                Assert.Contains("Alert", statuses);
                Assert.Contains("Healthy", statuses);
                Assert.Contains("NeverContacted", statuses);
            }
        }

        [Fact]
        public void PipedAgentsAreTestedInBatchesNotOneSearchEach()
        {
            var results = Succeeded(_ksc.Run("Get-Agent | Test-AgentHeartbeat"));
            Assert.Equal(_sim.Fleet.Count, results.Count);
            // One search for Get-Agent, then one per 500 piped agents.
            Assert.Equal(1 + (_sim.Fleet.Count + 499) / 500, _sim.Calls("HostGroup.FindHosts").Count);
            Assert.Equal(0, _sim.OpenAccessors);
        }

        [Fact]
        public void DisconnectEndsTheSessionOnTheServer()
        {
            using var shell = new InProcessPowerShell();
            _ksc.Connect(shell);
            var sessions = _sim.SessionCount;
            Assert.False(shell.Invoke("Disconnect-AgentManager").Failed);
            Assert.Single(_sim.Calls("Session.EndSession"));
            Assert.Equal(sessions - 1, _sim.SessionCount);
        }

        [Fact]
        public void TheVendorNeutralPipelineWorksUnchanged()
        {
            // One script, so the counts cannot move in between.
            var output = Succeeded(_ksc.Run("$late = @(Get-Agent -Name db* | Test-AgentHeartbeat | Where-Object Status -ne Healthy | Where-Object Status -ne NeverContacted); $late.Count; $late | Invoke-AgentSync -WhatIf; @($late | Invoke-AgentSync).Count"));
            var late = (int)output[0].BaseObject;
            Assert.True(late > 0);
            Assert.Equal(late, (int)output[^1].BaseObject);
            Assert.Single(_sim.Calls("HostGroup.AddHostsForSync"));
        }

        // ---- Invoke-AgentSync ----

        [Fact]
        public void InvokeAgentSyncBatchesManyDevicesPerRequestAndFollowsEachToItsOutcome()
        {
            var before = _sim.Fleet.Hosts.ToDictionary(h => h.HostName, h => h.LastNagentConnected);
            var results = _ksc.Run("Get-Agent | Invoke-AgentSync -Wait -TimeoutSec 3");
            Assert.Null(results.Terminating);
            Assert.Equal(_sim.Fleet.Count, results.Output.Count);
            var adds = _sim.Calls("HostGroup.AddHostsForSync");
            Assert.Equal((_sim.Fleet.Count + 499) / 500, adds.Count);
            Assert.Contains(adds, a => a.Body.Split("\",\"").Length == 500);
            Assert.NotEmpty(_sim.Calls("AsyncActionStateChecker.CheckActionState"));
            foreach (var r in results.Output)
            {
                var host = _sim.Fleet.ByName[Text(r, "AgentId")];
                Assert.NotNull(Text(r, "ActionId"));
                if (host.Alive)
                {
                    Assert.Equal("Succeeded", Text(r, "Status"));
                    Assert.True(before[host.HostName] == null || (DateTime)Prop(r, "LastPolicySent") > before[host.HostName]);
                }
                else
                {
                    Assert.Equal("TimedOut", Text(r, "Status"));
                }
            }

            var offline = _sim.Fleet.Hosts.Count(h => !h.Alive);
            Assert.True(offline > 0);
            Assert.Equal(offline, results.Errors.Count);
            Assert.All(results.Errors, e => Assert.Equal("ManagerTimeout,EndpointAdmin.Commands.InvokeAgentSyncCommand", e.FullyQualifiedErrorId));
            Assert.True(_sim.RequestCount > 0 && _sim.Requests.Count < 60, _sim.Requests.Count + " requests for " + _sim.Fleet.Count + " devices");
            Assert.Equal(0, _sim.OpenAccessors);
        }

        /// <summary>
        /// The KSC Open API reference: AddHostsForSync returns the action GUID in its out parameter
        /// strActionGuid, and CheckActionState takes it in as wstrActionGuid. The result carries the
        /// GUID the server gave, and the follow-up asks about exactly that action.
        /// </summary>
        [Fact]
        public void TheSyncActionGuidComesBackAsStrActionGuidAndIsFollowedAsWstrActionGuid()
        {
            var alive = _sim.Fleet.Hosts.First(h => h.Alive).HostName;
            var result = Assert.Single(Succeeded(_ksc.Run("Invoke-AgentSync -Id $args[0] -Wait -TimeoutSec 10", alive)));
            var guid = Text(result, "ActionId");
            Assert.False(string.IsNullOrEmpty(guid));
            var checks = _sim.Calls("AsyncActionStateChecker.CheckActionState");
            Assert.NotEmpty(checks);
            Assert.All(checks, c => Assert.Contains("\"wstrActionGuid\":\"" + guid + "\"", c.Body));
        }

        [Fact]
        public void ASessionThatExpiresDuringALongSyncIsRenewedAndEveryDeviceStillGetsItsOutcome()
        {
            var alive = _sim.Fleet.Hosts.Where(h => h.Alive).Take(300).Select(h => h.HostName).ToArray();
            _sim.ActionDelay = TimeSpan.FromMilliseconds(400);
            try
            {
                _sim.Faults.Add(new Fault { Kind = FaultKind.SessionExpired, PathContains = "AsyncActionStateChecker.CheckActionState", SkipMatches = 1 });
                var results = Succeeded(_ksc.Run("Invoke-AgentSync -Id $args[0] -Wait -TimeoutSec 20", (object)alive));
                Assert.Equal(alive, results.Select(r => Text(r, "AgentId")).OrderBy(i => Array.IndexOf(alive, i)));
                Assert.All(results, r => Assert.Equal("Succeeded", Text(r, "Status")));
                Assert.Single(_sim.Calls("Session.StartSession"));
                Assert.Single(_sim.Calls("HostGroup.AddHostsForSync"));
            }
            finally
            {
                _sim.ActionDelay = TimeSpan.FromMilliseconds(150);
            }
        }

        [Fact]
        public void ThrottleLimitWaitsForTheBatchesInFlightBeforeRequestingMore()
        {
            var alive = _sim.Fleet.Hosts.Where(h => h.Alive).Take(520).Select(h => h.HostName).ToArray();
            var results = Succeeded(_ksc.Run("Invoke-AgentSync -Id $args[0] -Wait -ThrottleLimit 1 -TimeoutSec 20", (object)alive));
            Assert.Equal(520, results.Count(r => Text(r, "Status") == "Succeeded"));
            var order = _sim.Requests.Select(r => r.Path.Substring(r.Path.LastIndexOf('/') + 1)).ToList();
            var adds = order.Select((m, i) => (m, i)).Where(x => x.m == "HostGroup.AddHostsForSync").Select(x => x.i).ToList();
            Assert.Equal(2, adds.Count);
            Assert.Contains("AsyncActionStateChecker.CheckActionState", order.Skip(adds[0]).Take(adds[1] - adds[0]));

            _sim.ClearRequests();
            Succeeded(_ksc.Run("Invoke-AgentSync -Id $args[0] -Wait -TimeoutSec 20", (object)alive));
            order = _sim.Requests.Select(r => r.Path.Substring(r.Path.LastIndexOf('/') + 1)).ToList();
            adds = order.Select((m, i) => (m, i)).Where(x => x.m == "HostGroup.AddHostsForSync").Select(x => x.i).ToList();
            Assert.DoesNotContain("AsyncActionStateChecker.CheckActionState", order.Skip(adds[0]).Take(adds[1] - adds[0]));
        }

        [Fact]
        public void AConnectionResetInTheMiddleOfAWalkIsRetriedAndEveryDeviceComesOnce()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.ConnectionReset, PathContains = "ChunkAccessor.GetItemsChunk", SkipMatches = 1 });
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, PathContains = "HostGroup.FindHosts", RetryAfterSeconds = 0 });
            var agents = Succeeded(_ksc.Run("Get-Agent"));
            Assert.Equal(_sim.Fleet.Count, agents.Select(a => Text(a, "Id")).Distinct().Count());
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            Assert.Equal(2, _sim.Faults.FiredCount);
            Assert.Equal(0, _sim.OpenAccessors);
        }

        [Fact]
        public void ASyncRequestIsNotResentAfterAConnectionResetAndTheFailureIsClear()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.ConnectionReset, PathContains = "HostGroup.AddHostsForSync" });
            var result = _ksc.Run("Invoke-AgentSync -Id $args[0]", _sim.Fleet[0].HostName);
            var error = SingleError(result, "ManagerConnectionFailed", "InvokeAgentSyncCommand", ErrorCategory.ConnectionError);
            Assert.Single(_sim.Writes);
            Assert.Contains("HostGroup.AddHostsForSync", error.Exception.Message);
        }

        [Fact]
        public void AFailedSyncActionIsReportedPerDeviceWithTheServersReason()
        {
            _sim.FailSyncActions = true;
            var ids = _sim.Fleet.Hosts.Take(3).Select(h => h.HostName).ToArray();
            var result = _ksc.Run("Invoke-AgentSync -Id $args[0] -Wait -TimeoutSec 10", (object)ids);
            Assert.Equal(3, result.Output.Count);
            Assert.All(result.Output, r => Assert.Equal("Failed", Text(r, "Status")));
            Assert.All(result.Output, r => Assert.Contains("Network Agent is not responding", Text(r, "Message")));
            Assert.Equal(3, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Equal("KscSyncFailed,EndpointAdmin.Commands.InvokeAgentSyncCommand", e.FullyQualifiedErrorId));
        }

        [Fact]
        public void BadOrUnknownDevicesAreReportedAndNothingIsSentForThem()
        {
            SingleError(_ksc.Run("Invoke-AgentSync -Id 'bad id'"), "AgentIdInvalid", "InvokeAgentSyncCommand", ErrorCategory.InvalidArgument, "bad id");
            SingleError(_ksc.Run("Invoke-AgentSync -Id 'feedface-0000-0000-0000-000000000001'"), "AgentNotFound", "InvokeAgentSyncCommand", ErrorCategory.ObjectNotFound, "feedface-0000-0000-0000-000000000001");
            Assert.False(_ksc.Run("Get-Agent -Name web* | Invoke-AgentSync -WhatIf").Failed);
            AssertNothingWritten();

            var mixed = _ksc.Run("Invoke-AgentSync -Id $args[0], 'bad id'", _sim.Fleet[0].HostName);
            Assert.Equal(_sim.Fleet[0].HostName, Text(Assert.Single(mixed.Output), "AgentId"));
            SingleError(mixed, "AgentIdInvalid", "InvokeAgentSyncCommand", ErrorCategory.InvalidArgument, "bad id");
            Assert.DoesNotContain("bad id", Assert.Single(_sim.Writes).Body);
        }

        [Fact]
        public void AMalformedPipedIdIsItsOwnErrorAndTheOtherDevicesAreStillSynced()
        {
            var ids = new[] { _sim.Fleet[0].HostName, "bad id", _sim.Fleet[1].HostName };
            var whatIf = _ksc.Run(Piped + "Invoke-AgentSync -WhatIf", (object)ids);
            // The ID is refused before anything is asked, so not even -WhatIf offers to sync it.
            SingleError(whatIf, "AgentIdInvalid", "InvokeAgentSyncCommand", ErrorCategory.InvalidArgument, "bad id");
            Assert.DoesNotContain("(bad id)", whatIf.HostText);
            Assert.Contains("(" + ids[2] + ")", whatIf.HostText);

            var result = _ksc.Run(Piped + "Invoke-AgentSync", (object)ids);
            Assert.Equal(new[] { ids[0], ids[2] }, result.Output.Select(r => Text(r, "AgentId")));
            SingleError(result, "AgentIdInvalid", "InvokeAgentSyncCommand", ErrorCategory.InvalidArgument, "bad id");
            Assert.Single(_sim.Calls("HostGroup.FindHosts"));
            Assert.DoesNotContain("bad id", Assert.Single(_sim.Writes).Body);
        }

        [Fact]
        public void ManyPipedDevicesAreSyncedWithOneLookupAndOneRequestPerBatch()
        {
            var results = Succeeded(_ksc.Run("Get-Agent | Invoke-AgentSync"));
            Assert.Equal(_sim.Fleet.Count, results.Count);
            var batches = (_sim.Fleet.Count + 499) / 500;
            Assert.Equal(1 + batches, _sim.Calls("HostGroup.FindHosts").Count);
            Assert.Equal(batches, _sim.Calls("HostGroup.AddHostsForSync").Count);
        }

        // ---- Set-AgentContinuousConnection ----

        private string[] Devices(int skip, int take) => _sim.Fleet.Hosts.Skip(skip).Take(take).Select(h => h.HostName).ToArray();

        [Fact]
        public void TheThreeHundredthContinuousConnectionIsAllowed()
        {
            _sim.Fleet.SetKeepConnection(299);
            var one = Devices(400, 1);
            var result = Succeeded(_ksc.Run("Set-AgentContinuousConnection -Id $args[0] -Enabled $true -PassThru -Confirm:$false", (object)one));
            Assert.True((bool)Prop(Assert.Single(result), "ContinuousConnection"));
            Assert.Equal(300, _sim.Fleet.KeepConnectionCount);
            Assert.True(_sim.Fleet.ByName[one[0]].KeepConnection);
            Assert.Single(_sim.Writes);
        }

        [Fact]
        public void TheThreeHundredAndFirstIsRefusedWithTheCountAndNothingChanges()
        {
            _sim.Fleet.SetKeepConnection(300);
            var result = _ksc.Run("Set-AgentContinuousConnection -Id $args[0] -Enabled $true -Confirm:$false", (object)Devices(400, 1));
            var error = SingleError(result, "ContinuousConnectionLimitExceeded", "SetAgentContinuousConnectionCommand", ErrorCategory.LimitsExceeded, 300);
            Assert.Contains("300 device(s) already hold a continuous connection; enabling it on 1 more would make 301", error.Exception.Message);
            Assert.Contains("Nothing was changed", error.Exception.Message);

            _sim.Fleet.SetKeepConnection(298);
            var three = _ksc.Run("Set-AgentContinuousConnection -Id $args[0] -Enabled $true -Confirm:$false", (object)Devices(400, 3));
            Assert.Contains("298 device(s)", SingleError(three, "ContinuousConnectionLimitExceeded", "SetAgentContinuousConnectionCommand", ErrorCategory.LimitsExceeded, 298).Exception.Message);
            AssertNothingWritten();
            Assert.Equal(298, _sim.Fleet.KeepConnectionCount);
        }

        [Fact]
        public void DevicesThatAlreadyHoldAConnectionDoNotCountTwice()
        {
            _sim.Fleet.SetKeepConnection(300);
            var held = Devices(0, 2);
            var result = Succeeded(_ksc.Run("Set-AgentContinuousConnection -Id $args[0] -Enabled $true -PassThru -Confirm:$false", (object)held));
            Assert.Equal(2, result.Count);
            AssertNothingWritten();
        }

        [Fact]
        public void WhatIfShowsTheCountAndChangesNothing()
        {
            _sim.Fleet.SetKeepConnection(120);
            var result = _ksc.Shell.InvokeRendered("Set-AgentContinuousConnection -Id $args[0] -Enabled $true -WhatIf", (object)Devices(400, 2));
            Assert.False(result.Failed, result.Describe());
            Assert.Contains("Enable continuous connection (120 of 300 in use; 2 to enable)", result.HostText);
            AssertNothingWritten();
            Assert.Equal(120, _sim.Fleet.KeepConnectionCount);
        }

        [Fact]
        public void DisablingNeedsNoCountAndPipedAgentsBindById()
        {
            _sim.Fleet.SetKeepConnection(300);
            Succeeded(_ksc.Run("Get-Agent -Name web* | Where-Object ContinuousConnection | Set-AgentContinuousConnection -Enabled $false -Confirm:$false"));
            var web = _sim.Fleet.Hosts.Take(300).Count(h => h.DisplayName.StartsWith("web", StringComparison.Ordinal));
            Assert.Equal(300 - web, _sim.Fleet.KeepConnectionCount);
            Assert.DoesNotContain(_sim.Calls("HostGroup.FindHosts"), r => r.Body.Contains("KLHST_WKS_KEEP_CONNECTION<>0", StringComparison.Ordinal));
            Assert.Equal(web, _sim.Writes.Count);
        }

        [Fact]
        public void BadAndUnknownDevicesAreReportedAndNothingIsWrittenForThem()
        {
            SingleError(_ksc.Run("Set-AgentContinuousConnection -Id 'no good' -Enabled $true -Confirm:$false"), "AgentIdInvalid", "SetAgentContinuousConnectionCommand", ErrorCategory.InvalidArgument, "no good");
            var unknown = _ksc.Run("Set-AgentContinuousConnection -Id 'feedface-0000-0000-0000-000000000002' -Enabled $true -Confirm:$false");
            SingleError(unknown, "AgentNotFound", "SetAgentContinuousConnectionCommand", ErrorCategory.ObjectNotFound, "feedface-0000-0000-0000-000000000002");
            var binding = _ksc.Run("Set-AgentContinuousConnection -Id $args[0] -Enabled maybe", _sim.Fleet[0].HostName);
            Assert.True(binding.Failed);
            AssertNothingWritten();
        }

        [Fact]
        public void AMalformedPipedIdIsItsOwnErrorAndTheOtherDevicesAreStillChanged()
        {
            var ids = new[] { Devices(0, 1)[0], "no good", Devices(1, 1)[0] };
            var result = _ksc.Run(Piped + "Set-AgentContinuousConnection -Enabled $true -PassThru -Confirm:$false", (object)ids);
            Assert.Equal(new[] { ids[0], ids[2] }, result.Output.Select(a => Text(a, "Id")).OrderBy(id => Array.IndexOf(ids, id)));
            SingleError(result, "AgentIdInvalid", "SetAgentContinuousConnectionCommand", ErrorCategory.InvalidArgument, "no good");
            Assert.Equal(2, _sim.Fleet.KeepConnectionCount);
            Assert.Equal(2, _sim.Writes.Count);
        }

        [Fact]
        public void ManyPipedDevicesAreLookedUpInBatchesAndEachComesOnce()
        {
            // Every device is already off: nothing to change, each written once by -PassThru.
            var agents = Succeeded(_ksc.Run("Get-Agent | Set-AgentContinuousConnection -Enabled $false -PassThru -Confirm:$false"));
            Assert.Equal(_sim.Fleet.Count, agents.Select(a => Text(a, "Id")).Distinct().Count());
            Assert.Equal(_sim.Fleet.Count, agents.Count);
            Assert.Equal(1 + (_sim.Fleet.Count + 499) / 500, _sim.Calls("HostGroup.FindHosts").Count);
            AssertNothingWritten();
        }

        [Fact]
        public void DeepSecurityHasNoContinuousConnectionAndSaysSo()
        {
            using var shell = new InProcessPowerShell();
            var result = shell.Invoke(SharedDeepSecurity.Connect() + "Set-AgentContinuousConnection -Id 1 -Enabled $true -Confirm:$false");
            var error = Failure(result);
            Assert.Equal("ManagerOperationNotSupported,EndpointAdmin.Commands.SetAgentContinuousConnectionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("DeepSecurity offers no API for SetContinuousConnection, and its console has no equivalent setting.", error.Exception.Message);
        }
    
        // ---- secrets ----

        [Fact]
        public void ThePasswordAndSessionIdsNeverShowInAnyStreamErrorOrSerializedObject()
        {
            using var shell = new InProcessPowerShell();
            var seen = new SeenText();
            var prefs = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";
            seen.Add(shell.Invoke(prefs + "$global:session = " + KasperskyFixture.ConnectScript + "-PassThru -Verbose -Debug; $global:session", _sim.Uri, _ksc.Credential, _sim.Thumbprint));
            _sim.Faults.Add(new Fault { Kind = FaultKind.SessionExpired, PathContains = "HostGroup.FindHosts", SkipMatches = 1 });
            _sim.Faults.Add(new Fault { Kind = FaultKind.PxgError, PathContains = "ChunkAccessor.GetItemsChunk", SkipMatches = 3, PxgCode = 1184 });
            var id = _sim.Fleet[0].HostName;
            var scripts = new[]
            {
                "Get-Agent -Id " + id + ", feedface-0000-0000-0000-000000000003",
                "Get-Agent -Name web00*",
                "Test-AgentHeartbeat -Id " + id,
                "Invoke-AgentSync -Id " + id + " -Wait -TimeoutSec 5",
                "Set-AgentContinuousConnection -Id " + id + " -Enabled $true -WhatIf",
                "Get-Agent",
                "$global:session; $global:session.ToString(); $global:session | Format-List * | Out-Default",
            };
            foreach (var script in scripts)
            {
                seen.Add(shell.Invoke(prefs + script));
                seen.Add(shell.InvokeRendered(prefs + script));
            }

            var errors = seen.AddCliXml(shell, "@($global:session) + @(Get-Agent -Id $args[0]) + @(Test-AgentHeartbeat -Id $args[0]) + @(Invoke-AgentSync -Id $args[0])", id);
            Assert.True(errors >= 2, "the scripts above were meant to leave errors in $Error");

            seen.AssertContains("HostGroup.FindHosts", "-Debug did log requests");
            seen.AssertContains("signing in again", "-Debug did log the renewal");
            Assert.True(_sim.IssuedSessions.Count >= 2);
            seen.AssertNoneContains(_sim.IssuedSessions.Append(_sim.Password).Append(KscBase64(_sim.Password)));

            var members = Succeeded(shell.Invoke("$global:session.PSObject.Properties.Name"));
            Assert.DoesNotContain(members, m => m.ToString().Contains("Password", StringComparison.OrdinalIgnoreCase) || m.ToString().Contains("Connection", StringComparison.OrdinalIgnoreCase));
        }

        private static string KscBase64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
