using System;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>An Apex Central simulator and one engine runspace connected to it, shared by a test class.</summary>
    public sealed class ApexCentralFixture : IDisposable
    {
        public const string ConnectScript = "Connect-AgentManager -Product ApexCentral -Uri $args[0] -ApplicationId $args[1] -ApiKey $args[2] -CertificateThumbprint $args[3] -RetryIntervalSec 0 -MaximumRetryCount 2 ";

        public ApexCentralFixture()
        {
            Simulator = ApexCentralSimulator.Start(agents: 40);
            Shell = new InProcessPowerShell();
            var result = Connect(Shell);
            Assert.False(result.Failed, result.Describe());
        }

        public ApexCentralSimulator Simulator { get; }

        public InProcessPowerShell Shell { get; }

        public PowerShellResult Connect(InProcessPowerShell shell, string extra = "", string key = null)
        {
            return shell.Invoke(ConnectScript + extra, Simulator.Uri, Simulator.ApplicationId, DeepSecurityFixture.Key(key ?? Simulator.ApiKey), Simulator.Thumbprint);
        }

        public PowerShellResult Run(string script, params object[] args) => Shell.Invoke(script, args);

        public void Reset()
        {
            Simulator.Faults.Clear();
            Simulator.ClearRequests();
            Simulator.ClockOffset = TimeSpan.Zero;
            Simulator.TamperChecksum = false;
            Simulator.AnswerResultCode = 1;
            Simulator.ResultCodeLast = false;
        }

        public void Dispose()
        {
            Shell.Dispose();
            Simulator.Dispose();
        }
    }
}
