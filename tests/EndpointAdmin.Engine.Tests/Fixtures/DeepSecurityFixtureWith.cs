using System;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A simulator of a given size with a connected runspace.</summary>
    public sealed class DeepSecurityFixtureWith : IDisposable
    {
        public DeepSecurityFixtureWith(int computers)
        {
            Simulator = DeepSecuritySimulator.Start(computers);
            Shell = new Host.InProcessPowerShell();
            var result = Shell.Invoke(DeepSecurityFixture.ConnectScript, Simulator.Uri, DeepSecurityFixture.Key(Simulator.ApiKey), Simulator.Thumbprint);
            Assert.False(result.Failed, result.Describe());
        }

        public DeepSecuritySimulator Simulator { get; }

        public Host.InProcessPowerShell Shell { get; }

        public void Dispose()
        {
            Shell.Dispose();
            Simulator.Dispose();
        }
    }
}
