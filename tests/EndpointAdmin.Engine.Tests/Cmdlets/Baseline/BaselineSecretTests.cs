using System;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// Unattended baselines connect with the secret the file names: Get-Secret (SecretManagement's
    /// command; here a function of the same name, as a vault would answer) gives the credential, the
    /// connection pins the certificate the file names, and the secret shows up in no stream.
    /// </summary>
    public class BaselineSecretTests : IDisposable
    {
        private readonly KscSimulator _sim = KscSimulator.Start();
        private readonly InProcessPowerShell _shell = new InProcessPowerShell();

        public void Dispose()
        {
            _shell.Dispose();
            _sim.Dispose();
        }

        private string Baseline(string secret, string thumbprint) => "@{ Managers = @( @{ Product = 'KasperskySecurityCenter'; Uri = '" + _sim.Uri + "'; Secret = '" + secret + "'; CertificateThumbprint = '" + thumbprint + "'; SyncIntervalMinutes = 15; ContinuousConnection = @{ Name = 'zz-none*' } } ) }";

        [Fact]
        public void TheBaselinesSecretConnectsWithoutASessionAndNeverShows()
        {
            var credential = new System.Management.Automation.PSCredential(_sim.UserName, DeepSecurityFixture.Key(_sim.Password));
            _shell.Invoke("function global:Get-Secret { param([string] $Name) if ($Name -eq 'KscAdmin') { $global:vaultCredential } }");
            _shell.Invoke("$global:vaultCredential = $args[0]", credential);

            var r = _shell.Invoke("Test-AgentBaseline -Verbose -Debug -Baseline " + Baseline("KscAdmin", _sim.Thumbprint));
            Assert.False(r.Failed, r.Describe());
            Assert.Contains(r.Output, o => Text(o, "Setting") == "SyncIntervalMinutes");
            Assert.NotEmpty(r.Debug);
            Assert.DoesNotContain(AllText(r), t => t.Contains(_sim.Password));
            Assert.Null(_shell.Invoke("Get-Variable -Scope Global | Where-Object Value -is [EndpointAdmin.AgentManagerSession]").Output.FirstOrDefault());

            var missing = _shell.Invoke("Test-AgentBaseline -Baseline " + Baseline("NoSuchSecret", _sim.Thumbprint));
            var error = Assert.Single(missing.Errors);
            Assert.Equal("BaselineSessionMissing,EndpointAdmin.Commands.TestAgentBaselineCommand", error.FullyQualifiedErrorId);
            Assert.Contains("NoSuchSecret", error.Exception.Message);

            var wrongPin = _shell.Invoke("Test-AgentBaseline -Baseline " + Baseline("KscAdmin", new string('A', 40)));
            Assert.Single(wrongPin.Errors);
            Assert.Empty(wrongPin.Output);
        }

        [Fact]
        public void WithoutSessionOrSecretEachManagerIsOneErrorNamingItsEntry()
        {
            var r = _shell.Invoke("Test-AgentBaseline -Baseline @{ Managers = @( @{ Product = 'KasperskySecurityCenter'; Uri = '" + _sim.Uri + "'; SyncIntervalMinutes = 15 }, @{ Product = 'ApexCentral'; Uri = 'https://apex.example.com'; ListeningPort = 4343 } ) }");
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e => Assert.Equal("BaselineSessionMissing,EndpointAdmin.Commands.TestAgentBaselineCommand", e.FullyQualifiedErrorId));
            Assert.Contains("Managers[0]", r.Errors[0].Exception.Message);
            Assert.Contains("Managers[1]", r.Errors[1].Exception.Message);
            Assert.Contains("Connect-AgentManager", r.Errors[0].ErrorDetails.RecommendedAction);
            Assert.Empty(_sim.Requests);
            var quiet = _shell.Invoke("Test-AgentBaseline -Quiet -ErrorAction SilentlyContinue -Baseline @{ Managers = @( @{ Product = 'KasperskySecurityCenter'; Uri = '" + _sim.Uri + "'; SyncIntervalMinutes = 15 } ) }");
            Assert.False((bool)Assert.Single(quiet.Output).BaseObject);
        }
    }
}
