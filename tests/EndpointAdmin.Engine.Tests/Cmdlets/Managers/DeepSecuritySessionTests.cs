using System;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Connect-AgentManager, TLS policy, the default session per runspace, and secrets that never show.</summary>
    public class DeepSecuritySessionTests : IClassFixture<DeepSecurityFixture>
    {
        private const string Connect = "Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -RetryIntervalSec 0 ";
        private readonly DeepSecurityFixture _ds;
        private readonly DeepSecuritySimulator _sim;

        public DeepSecuritySessionTests(DeepSecurityFixture fixture)
        {
            _ds = fixture;
            _sim = fixture.Simulator;
            _ds.Reset();
        }

        /// <summary>The one failure of a command: a statement-terminating error shows in the error stream of a script.</summary>
        private static ErrorRecord Failure(PowerShellResult result)
        {
            return result.TerminatingError ?? Assert.Single(result.Errors);
        }

        private PowerShellResult Fresh(InProcessPowerShell shell, string extra, string key = null)
        {
            return shell.Invoke(Connect + extra, _sim.Uri, DeepSecurityFixture.Key(key ?? _sim.ApiKey), _sim.Thumbprint);
        }

        [Fact]
        public void AnUntrustedCertificateIsRejectedByDefaultAndNoSessionIsLeft()
        {
            using var shell = new InProcessPowerShell();
            var result = Fresh(shell, string.Empty);
            Assert.Equal("ManagerCertificateRejected,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, Failure(result).CategoryInfo.Category);
            Assert.Contains(_sim.Thumbprint, Failure(result).Exception.Message); // so the user can check and pin it
            Assert.Contains("-CertificateThumbprint", Failure(result).ErrorDetails.RecommendedAction);
            Assert.Empty(_sim.Requests); // rejected during the handshake: not even the key went out

            var after = shell.Invoke("Get-Agent");
            Assert.Equal("ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand", Failure(after).FullyQualifiedErrorId);
            Assert.Contains("Connect-AgentManager", Failure(after).Exception.Message);
        }

        [Fact]
        public void AWrongPinIsRejectedEvenForAValidHandshake()
        {
            using var shell = new InProcessPowerShell();
            var result = Fresh(shell, "-CertificateThumbprint " + new string('A', 40));
            Assert.Equal("ManagerCertificateRejected,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
        }

        [Fact]
        public void APinnedOrExplicitlySkippedCertificateIsAccepted()
        {
            using var shell = new InProcessPowerShell();
            var pinned = Fresh(shell, "-CertificateThumbprint $args[2] -PassThru");
            var session = Assert.Single(Succeeded(pinned));
            Assert.Equal(_sim.Thumbprint, Text(session, "CertificateThumbprint"));
            Assert.True((bool)Prop(session, "IsOpen"));
            Assert.Equal(_sim.Fleet.Count, Succeeded(shell.Invoke("Get-Agent")).Count);

            var colons = string.Join(":", Enumerable.Range(0, 20).Select(i => _sim.Thumbprint.Substring(i * 2, 2))).ToLowerInvariant();
            Assert.False(shell.Invoke(Connect + "-CertificateThumbprint $args[2]", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), colons).Failed);

            var skipped = Fresh(shell, "-SkipCertificateCheck");
            Assert.False(skipped.Failed, skipped.Describe());
            Assert.Contains(skipped.Warnings, w => w.Contains("SkipCertificateCheck", StringComparison.Ordinal));
        }

        [Fact]
        public void AWrongKeyFailsWithTheManagersMessage()
        {
            using var shell = new InProcessPowerShell();
            var result = Fresh(shell, "-CertificateThumbprint $args[2]", key: "2:not-the-key");
            Assert.Equal("ManagerAuthenticationFailed,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, Failure(result).CategoryInfo.Category);
            Assert.Contains("Invalid API Key", Failure(result).ErrorDetails.Message);
            Assert.Single(_sim.Requests); // a 401 is not retried
        }

        [Fact]
        public void AReadOnlyKeyReadsButWritesFailAsPermissionDenied()
        {
            using var shell = new InProcessPowerShell();
            Assert.False(Fresh(shell, "-CertificateThumbprint $args[2]", key: _sim.ReadOnlyApiKey).Failed);
            var result = shell.Invoke("Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5");
            var error = SingleError(result, "ManagerPermissionDenied", "SetAgentHeartbeatPolicyCommand", ErrorCategory.PermissionDenied);
            Assert.Contains("Not authorized to modify policies", error.ErrorDetails.Message);
        }

        [Theory]
        [InlineData("not a uri")]
        [InlineData("dsm.example.com:4119")]
        [InlineData("http://127.0.0.1:4119")]
        [InlineData("ftp://127.0.0.1")]
        public void AMalformedOrCleartextUriIsRejectedBeforeAnyRequest(string uri)
        {
            using var shell = new InProcessPowerShell();
            var result = shell.Invoke(Connect, uri, DeepSecurityFixture.Key(_sim.ApiKey));
            Assert.Equal("ManagerUriInvalid,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, Failure(result).CategoryInfo.Category);
            Assert.Equal(uri, Failure(result).TargetObject);
            Assert.Empty(_sim.Requests);
        }

        [Theory]
        [InlineData("-CertificateThumbprint xyz", "xyz")]
        [InlineData("-CertificateThumbprint $args[2] -SkipCertificateCheck", "SkipCertificateCheck")]
        [InlineData("-Proxy http://127.0.0.1:3128 -NoProxy", "NoProxy")]
        public void ContradictoryOrMalformedOptionsAreRejectedBeforeAnyRequest(string extra, string target)
        {
            using var shell = new InProcessPowerShell();
            var result = Fresh(shell, extra);
            Assert.Equal("ManagerParameterInvalid,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Equal(target, Failure(result).TargetObject);
            Assert.Empty(_sim.Requests);
        }

        [Theory]
        [InlineData("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -Credential ([pscredential]::new('admin', $args[1])) -SkipCertificateCheck", "DeepSecurity")]
        [InlineData("Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -ApplicationId app -SkipCertificateCheck", "ApplicationId")]
        [InlineData("Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -ApiKey $args[1] -SkipCertificateCheck", "KasperskySecurityCenter")]
        [InlineData("Connect-AgentManager -Product ApexCentral -Uri $args[0] -ApiKey $args[1] -SkipCertificateCheck", "ApplicationId")]
        public void ASecretOfTheWrongKindForTheProductIsRejectedBeforeAnyRequest(string script, string target)
        {
            using var shell = new InProcessPowerShell();
            var result = shell.Invoke(script, _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey));
            Assert.Equal("ManagerParameterInvalid,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, Failure(result).CategoryInfo.Category);
            Assert.Equal(target, Failure(result).TargetObject);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void TheConnectionGoesThroughTheGivenProxyWithItsCredential()
        {
            using var proxy = new ConnectProxy("ops:proxy-pass");
            using var shell = new InProcessPowerShell();
            var credential = new PSCredential("ops", DeepSecurityFixture.Key("proxy-pass"));
            var connected = shell.Invoke(Connect + "-CertificateThumbprint $args[2] -Proxy $args[3] -ProxyCredential $args[4] -PassThru", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint, proxy.Uri, credential);
            var session = Assert.Single(Succeeded(connected));
            Assert.Equal(proxy.Uri, Text(session, "Proxy"));
            Assert.Single(Succeeded(shell.Invoke("Get-Agent -Id 1")));
            Assert.Contains(new Uri(_sim.Uri).Authority + " (authenticated)", proxy.Connects);
            Assert.DoesNotContain(Succeeded(shell.Invoke("[System.Management.Automation.PSSerializer]::Serialize($args[0])", session)), o => o.ToString().Contains("proxy-pass", StringComparison.Ordinal));

            using var direct = new InProcessPowerShell();
            Assert.False(direct.Invoke(Connect + "-CertificateThumbprint $args[2] -NoProxy", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint).Failed);
            Assert.Single(proxy.Connects);
        }

        [Fact]
        public void AProxyThatRefusesTheCredentialIsAClearError()
        {
            using var proxy = new ConnectProxy("ops:proxy-pass");
            using var shell = new InProcessPowerShell();
            var result = shell.Invoke(Connect + "-CertificateThumbprint $args[2] -Proxy $args[3] -MaximumRetryCount 0", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint, proxy.Uri);
            Assert.Equal("ManagerConnectionFailed,EndpointAdmin.Commands.ConnectAgentManagerCommand", Failure(result).FullyQualifiedErrorId);
            Assert.Contains("407", Failure(result).Exception.Message);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void TheDefaultSessionBelongsToItsRunspaceAndDisconnectClosesIt()
        {
            using var first = new InProcessPowerShell();
            using var second = new InProcessPowerShell();
            Assert.False(Fresh(first, "-CertificateThumbprint $args[2]").Failed);
            Assert.Equal("ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand", Failure(second.Invoke("Get-Agent -Id 1")).FullyQualifiedErrorId);

            var session = Assert.Single(Succeeded(first.Invoke("$s = " + Connect + "-CertificateThumbprint $args[2] -PassThru; $s", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint)));
            Assert.Single(Succeeded(second.Invoke("Get-Agent -Id 1 -Session $args[0]", session)));

            Assert.False(first.Invoke("Disconnect-AgentManager").Failed);
            Assert.Equal("ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand", Failure(first.Invoke("Get-Agent -Id 1")).FullyQualifiedErrorId);
            var closed = second.Invoke("Get-Agent -Id 1 -Session $args[0]", session);
            Assert.Equal("ManagerSessionClosed,EndpointAdmin.Commands.GetAgentCommand", Failure(closed).FullyQualifiedErrorId);
            Assert.False((bool)Prop(session, "IsOpen"));
        }

        [Fact]
        public void TheApiKeyNeverShowsInAnyStreamErrorOrSerializedObject()
        {
            using var shell = new InProcessPowerShell();
            var key = _sim.ApiKey;
            var seen = new SeenText();
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, PathContains = "computers/search", Times = 1, RetryAfterSeconds = 0 });
            var prefs = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";
            seen.Add(shell.Invoke(prefs + "$global:session = " + Connect + "-CertificateThumbprint $args[2] -PassThru -Verbose -Debug; $global:session", _sim.Uri, DeepSecurityFixture.Key(key), _sim.Thumbprint));
            var scripts = new[]
            {
                "Get-Agent -Id 1, 2, 424242",
                "Test-AgentHeartbeat -Id 3",
                "Get-AgentHeartbeatPolicy -AgentId 97",
                "Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5 -PassThru",
                "Set-AgentHeartbeatPolicy -PolicyId 2 -Inherit Interval",
                "Set-AgentHeartbeatPolicy -PolicyId 404 -IntervalMinutes 5",
                "Invoke-AgentSync -Id 1",
                "New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.9.9.9",
                "Set-AgentProxy -Purpose AgentUpdate -ProxyUri http://p:1",
                "$global:session; $global:session.ToString(); $global:session | Format-List * | Out-Default",
            };
            foreach (var script in scripts)
            {
                seen.Add(shell.Invoke(prefs + script));
                seen.Add(shell.InvokeRendered(prefs + script));
            }

            // The CliXml of every kind of output, the session included, and of every error record.
            var errors = seen.AddCliXml(shell, "@($global:session) + @(Get-Agent -Id 1) + @(Test-AgentHeartbeat -Id 1) + @(Get-AgentHeartbeatPolicy -PolicyId 2) + @(Invoke-AgentSync -Id 2) + @(New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.9.9.8)");
            Assert.True(errors >= 3, "the scripts above were meant to leave errors in $Error");

            seen.AssertContains("computers/search", "-Debug did log requests");
            seen.AssertNoneContains(new[] { key, key.Substring(2, 12) });

            var members = Succeeded(shell.Invoke("$global:session.PSObject.Properties.Name"));
            Assert.DoesNotContain(members, m => m.ToString().Contains("Key", StringComparison.OrdinalIgnoreCase) || m.ToString().Contains("Connection", StringComparison.OrdinalIgnoreCase));
        }
    }
}
