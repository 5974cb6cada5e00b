using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A Deep Security simulator of the class's own: these tests change policies and sync agents.</summary>
    public sealed class RemotingManagerFixture : System.IDisposable
    {
        public RemotingManagerFixture()
        {
            Simulator = DeepSecuritySimulator.Start(computers: 20, seed: 13);
            Shell = new InProcessPowerShell();
            var s = Simulator;
            var connect = Shell.Invoke("$k = [System.Security.SecureString]::new(); foreach ($c in $args[0].ToCharArray()) { $k.AppendChar($c) }; Connect-AgentManager -Product DeepSecurity -Uri $args[1] -ApiKey $k -CertificateThumbprint $args[2]", s.ApiKey, s.Uri, s.Thumbprint);
            Assert.False(connect.Failed, connect.Describe());
        }

        public DeepSecuritySimulator Simulator { get; }

        public InProcessPowerShell Shell { get; }

        public void Dispose()
        {
            Shell.Dispose();
            Simulator.Dispose();
        }
    }
}
