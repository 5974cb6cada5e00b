using System;
using System.Security;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A Deep Security simulator and one engine runspace connected to it, shared by a test class.</summary>
    public sealed class DeepSecurityFixture : IDisposable
    {
        public DeepSecurityFixture()
        {
            Simulator = DeepSecuritySimulator.Start(computers: 300);
            Shell = new InProcessPowerShell();
            Connect();
        }

        public DeepSecuritySimulator Simulator { get; }

        public InProcessPowerShell Shell { get; }

        /// <summary>Connects this runspace (pinned certificate, fast retries) and makes it the default session.</summary>
        public void Connect(string extra = "")
        {
            var result = Shell.Invoke(ConnectScript + extra, Simulator.Uri, Key(Simulator.ApiKey), Simulator.Thumbprint);
            Assert.False(result.Failed, result.Describe());
        }

        public const string ConnectScript = "Connect-AgentManager -Product DeepSecurity -Uri $args[0] -ApiKey $args[1] -CertificateThumbprint $args[2] -RetryIntervalSec 0 -MaximumRetryCount 3 ";

        public PowerShellResult Run(string script, params object[] args) => Shell.Invoke(script, args);

        /// <summary>Resets what a test may have changed: faults, recorded requests, rate limit.</summary>
        public void Reset()
        {
            Simulator.Faults.Clear();
            Simulator.ClearRequests();
            Simulator.RateLimitPerMinute = 0;
        }

        public static SecureString Key(string text)
        {
            var key = new SecureString();
            foreach (var c in text)
            {
                key.AppendChar(c);
            }

            key.MakeReadOnly();
            return key;
        }

        public void Dispose()
        {
            Shell.Dispose();
            Simulator.Dispose();
        }
    }
}
