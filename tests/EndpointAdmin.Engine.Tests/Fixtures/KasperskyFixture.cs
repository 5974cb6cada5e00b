using System;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A Kaspersky Security Center simulator and one engine runspace connected to it, shared by a test class.</summary>
    public sealed class KasperskyFixture : IDisposable
    {
        public const int Devices = 620;

        public KasperskyFixture()
        {
            Simulator = KscSimulator.Start(devices: Devices);
            Shell = new InProcessPowerShell();
            Connect(Shell);
        }

        public KscSimulator Simulator { get; }

        public InProcessPowerShell Shell { get; }

        public const string ConnectScript = "Connect-AgentManager -Product KasperskySecurityCenter -Uri $args[0] -Credential $args[1] -CertificateThumbprint $args[2] -RetryIntervalSec 0 -MaximumRetryCount 3 ";

        public PSCredential Credential => new PSCredential(Simulator.UserName, DeepSecurityFixture.Key(Simulator.Password));

        /// <summary>Connects a runspace as the internal user (pinned certificate, fast retries) and makes it its default session.</summary>
        public void Connect(InProcessPowerShell shell, string extra = "")
        {
            var result = shell.Invoke(ConnectScript + extra, Simulator.Uri, Credential, Simulator.Thumbprint);
            Assert.False(result.Failed, result.Describe());
        }

        public PowerShellResult Run(string script, params object[] args) => Shell.Invoke(script, args);

        /// <summary>Resets what a test may have changed: faults, recorded requests, failing actions, flags.</summary>
        public void Reset()
        {
            Simulator.Faults.Clear();
            Simulator.FailSyncActions = false;
            Simulator.Fleet.SetKeepConnection(0);
            Simulator.ClearRequests();
        }

        public void Dispose()
        {
            Shell.Dispose();
            Simulator.Dispose();
        }
    }
}
