using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>The Apex Central provider through the engine: per-request JWTs, agents, result codes, secrets.</summary>
    public class ApexCentralTests : IClassFixture<ApexCentralFixture>
    {
        private readonly ApexCentralFixture _apex;
        private readonly ApexCentralSimulator _sim;

        public ApexCentralTests(ApexCentralFixture fixture)
        {
            _apex = fixture;
            _sim = fixture.Simulator;
            _apex.Reset();
        }

        private static ErrorRecord Failure(PowerShellResult result) => result.TerminatingError ?? Assert.Single(result.Errors);

        [Fact]
        public void ConnectSignsEveryRequestAndGetAgentListsTheFleetWithApexFields()
        {
            var agents = Succeeded(_apex.Run("Get-Agent"));
            Assert.Equal(_sim.Agents.Count, agents.Count);
            var expected = _sim.Agents[4];
            var agent = agents.Single(a => Text(a, "Id") == expected.EntityId);
            Assert.Equal(expected.HostName, Text(agent, "Name"));
            Assert.Equal("ApexCentral", Text(agent, "Product"));
            Assert.Equal(expected.IPs, (string[])Prop(agent, "IPAddressList"));
            Assert.Equal(expected.IPs[0], Text(agent, "IPAddress"));
            Assert.Equal(expected.Macs, (string[])Prop(agent, "MacAddressList"));
            Assert.Equal(expected.ManagingServerId, Text(agent, "ManagingServerId"));
            Assert.Equal(expected.Product, Text(agent, "ManagedProduct"));
            Assert.Null(Prop(agent, "LastContact")); // the listing has no last-contact time: none is invented

            // Each request had its own token (the simulator verified signature, iat and checksum).
            Assert.All(_sim.Requests, r => Assert.Equal(200, r.Status));
        }

        [Fact]
        public void ALiteralNameIsOneFilteredRequestAndAWildcardFiltersTheListing()
        {
            var one = Succeeded(_apex.Run("Get-Agent -Name APX-0003"));
            Assert.Equal("APX-0003", Text(Assert.Single(one), "Name"));
            Assert.Contains(_sim.Requests, r => r.Query == "?host_name=APX-0003");

            var wild = Succeeded(_apex.Run("Get-Agent -Name 'apx-000*'"));
            Assert.Equal(9, wild.Count);

            var missing = _apex.Run("Get-Agent -Name NOPE-1");
            SingleError(missing, "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "NOPE-1");
        }

        [Fact]
        public void AnAgentFoundByTwoRequestsGoesOutOnce()
        {
            // The literal name is its own request, the wildcard the whole listing, filtered: APX-0003 is in both.
            var both = Succeeded(_apex.Run("Get-Agent -Name APX-0003, 'apx-000*'"));
            Assert.Equal(9, both.Count);
            Assert.Single(both, a => Text(a, "Name") == "APX-0003");
            Assert.Equal(2, _sim.Requests.Count);
        }

        [Fact]
        public void IdsComeFromThePipelineAndUnknownIdsAreReported()
        {
            var id = _sim.Agents[7].EntityId;
            var result = _apex.Run("[pscustomobject]@{ AgentId = $args[0] }, [pscustomobject]@{ AgentId = 'no-such-entity' } | Get-Agent", id);
            Assert.Equal(id, Text(Assert.Single(result.Output), "Id"));
            SingleError(result, "AgentNotFound", "GetAgentCommand", ErrorCategory.ObjectNotFound, "no-such-entity");
            Assert.Contains(_sim.Requests, r => r.Query == "?entity_id=" + id);
        }

        [Fact]
        public void PolicyIdAndHeartbeatVerdictsAreClearlyNotSupported()
        {
            var policy = _apex.Run("Get-Agent -PolicyId 1");
            var error = SingleError(policy, "ManagerOperationNotSupported", "GetAgentCommand", ErrorCategory.NotImplemented);
            Assert.Contains("policy ID", error.Exception.Message);

            var heartbeat = _apex.Run("Test-AgentHeartbeat");
            var verdict = Failure(heartbeat);
            Assert.Equal("ManagerOperationNotSupported,EndpointAdmin.Commands.TestAgentHeartbeatCommand", verdict.FullyQualifiedErrorId);
            Assert.Contains("no last-contact time", verdict.Exception.Message + verdict.ErrorDetails?.RecommendedAction);
            Assert.Contains("Agent Management", verdict.ErrorDetails.RecommendedAction);
            Assert.Empty(heartbeat.Output);
        }

        [Fact]
        public void AWrongKeyIsTheSignatureResultCode()
        {
            using var shell = new InProcessPowerShell();
            var result = _apex.Connect(shell, string.Empty, key: Guid.NewGuid().ToString());
            var error = Failure(result);
            Assert.Equal("ManagerAuthenticationFailed,EndpointAdmin.Commands.ConnectAgentManagerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Contains("result_code " + ApexCentralSimulator.BadSignature, error.Exception.Message);
            Assert.Contains("Automation API Access Settings", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void AChecksumThatDoesNotMatchTheRequestIsItsDocumentedCodeAndNotRetried()
        {
            _sim.TamperChecksum = true;
            var result = _apex.Run("Get-Agent -Name APX-0001");
            var error = SingleError(result, "ManagerAuthenticationFailed", "GetAgentCommand", ErrorCategory.AuthenticationError);
            Assert.Contains("result_code " + ApexCentralSimulator.BadChecksum, error.Exception.Message);
            Assert.Contains("checksum", error.Exception.Message);
            Assert.Single(_sim.Requests);
        }

        [Fact]
        public void AnIatOutsideTheCommunicationTimeOutIsTheExpiredCode()
        {
            _sim.ClockOffset = TimeSpan.FromMinutes(10);
            var result = _apex.Run("Get-Agent -Name APX-0001");
            var error = SingleError(result, "ManagerAuthenticationFailed", "GetAgentCommand", ErrorCategory.AuthenticationError);
            Assert.Contains("result_code " + ApexCentralSimulator.Expired, error.Exception.Message);
            Assert.Contains("clock", error.ErrorDetails.RecommendedAction);
        }

        [Fact]
        public void ARetriedRequestGetsAFreshTokenAndSucceeds()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, PathContains = "ProductAgents", Times = 1, RetryAfterSeconds = 0 });
            _sim.Faults.Add(new Fault { Kind = FaultKind.TruncatedJson, PathContains = "ProductAgents", SkipMatches = 0, Times = 1 });
            var before = _sim.Tokens.Count;
            var result = Succeeded(_apex.Run("Get-Agent -Name APX-0002"));
            Assert.Single(result);
            Assert.True(3 == _sim.Requests.Count, string.Join("\n", _sim.Requests) + " fired " + _sim.Faults.FiredCount);
            var tokens = _sim.Tokens.Skip(before).ToList();
            Assert.Equal(3, tokens.Count);
            Assert.All(tokens, t => Assert.Equal(3, t.Split('.').Length));
        }

        [Fact]
        public void ALostConnectionOnAReadIsRetriedAndASlowAnswerTimesOut()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.ConnectionReset, PathContains = "ProductAgents", Times = 1 });
            Assert.Single(Succeeded(_apex.Run("Get-Agent -Name APX-0004")));
            Assert.Equal(2, _sim.Requests.Count);

            using var shell = new InProcessPowerShell();
            Assert.False(_apex.Connect(shell, "-TimeoutSec 1").Failed);
            _sim.ClearRequests();
            _sim.Faults.Add(new Fault { Kind = FaultKind.Slow, PathContains = "ProductAgents", Times = 3, Delay = TimeSpan.FromSeconds(5) });
            var slow = shell.Invoke("Get-Agent -Name APX-0004");
            SingleError(slow, "ManagerTimeout", "GetAgentCommand", ErrorCategory.OperationTimeout);
            Assert.Equal(3, _sim.Requests.Count); // the read was tried 1 + MaximumRetryCount (2) times
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void AnErrorResultCodeInA200AnswerIsTheSameErrorWhereverItStandsAndNoAgentGoesOut(bool resultCodeLast)
        {
            _sim.AnswerResultCode = -99;
            _sim.ResultCodeLast = resultCodeLast;
            var result = _apex.Run("Get-Agent");
            var error = SingleError(result, "ManagerUnavailable", "GetAgentCommand", ErrorCategory.ResourceUnavailable);
            Assert.Contains("result_code -99", error.Exception.Message);
            Assert.Empty(result.Output);

            _sim.AnswerResultCode = 1;
            Assert.Equal(_sim.Agents.Count, Succeeded(_apex.Run("Get-Agent")).Count); // and the other order of a good answer reads the same
        }

        [Fact]
        public void StoppingAfterTheFirstAgentReleasesTheAnswerAndTheNextCommandWorks()
        {
            // An answer of megabytes: far more than the client drains on its own, so stopping early must close it.
            using var sim = ApexCentralSimulator.Start(agents: 30_000);
            using var shell = new InProcessPowerShell();
            var connect = shell.Invoke(ApexCentralFixture.ConnectScript, sim.Uri, sim.ApplicationId, DeepSecurityFixture.Key(sim.ApiKey), sim.Thumbprint);
            Assert.False(connect.Failed, connect.Describe());
            sim.ClearRequests();

            var first = shell.Invoke("Get-Agent | Select-Object -First 1");
            Assert.Equal(sim.Agents[0].HostName, Text(Assert.Single(Succeeded(first)), "Name"));
            for (var i = 0; i < 200 && sim.AbandonedAnswers == 0; i++)
            {
                System.Threading.Thread.Sleep(50);
            }

            Assert.Equal(1, sim.AbandonedAnswers); // the simulator saw the client go away mid-answer

            var second = Succeeded(shell.Invoke("Get-Agent -Name APX-0002"));
            Assert.Equal("APX-0002", Text(Assert.Single(second), "Name"));
            var requests = sim.Requests;
            Assert.Equal(2, requests.Count);
            Assert.NotEqual(requests[0].Connection, requests[1].Connection); // the abandoned answer's connection was closed, not left half-read
        }

        [Fact]
        public void TheApiKeyAndTheTokensNeverShowInAnyStreamOrSerializedObject()
        {
            using var shell = new InProcessPowerShell();
            var seen = new SeenText();
            var prefs = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; ";
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, PathContains = "ProductAgents", Times = 1, RetryAfterSeconds = 0 });
            seen.Add(shell.Invoke(prefs + "$global:session = " + ApexCentralFixture.ConnectScript + "-PassThru -Debug -Verbose; $global:session", _sim.Uri, _sim.ApplicationId, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint));
            foreach (var script in new[]
            {
                "Get-Agent -Debug",
                "Get-Agent -Name APX-0001, NOPE -Debug",
                "Test-AgentHeartbeat -Debug",
                "$p = [System.Security.SecureString]::new(); foreach ($c in [char[]]@(80, 114, 48, 120, 121, 80, 97, 115, 115, 33)) { $p.AppendChar($c) }; Set-AgentProxy -Purpose AgentServer -ProxyUri http://proxy.example.com:8080 -ProxyCredential ([pscredential]::new('u', $p))",
                "$global:session | Format-List * | Out-Default",
            })
            {
                seen.Add(shell.Invoke(prefs + script));
                seen.Add(shell.InvokeRendered(prefs + script));
            }

            _sim.TamperChecksum = true;
            seen.Add(shell.Invoke(prefs + "Get-Agent -Debug"));
            _sim.TamperChecksum = false;
            seen.AddCliXml(shell, "@($global:session) + @(Get-Agent -Name APX-0001)");

            seen.AssertContains("ProductAgents", "-Debug did log requests");
            var secrets = new List<string> { _sim.ApiKey, "Pr0xyPass!" };
            secrets.AddRange(_sim.Tokens.Select(t => t.Split('.')[2]));
            Assert.True(_sim.Tokens.Count > 3);
            seen.AssertNoneContains(secrets);
        }
    }
}
