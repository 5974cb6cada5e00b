using System;
using EndpointAdmin.Simulators;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// One Deep Security simulator for tests that only need real output objects (samples for the
    /// serialization and format tests), started on first use and stopped with the process.
    /// </summary>
    internal static class SharedDeepSecurity
    {
        private static readonly Lazy<DeepSecuritySimulator> Instance = new Lazy<DeepSecuritySimulator>(() =>
        {
            var simulator = DeepSecuritySimulator.Start(computers: 100, seed: 7);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => simulator.Dispose();
            return simulator;
        });

        public static DeepSecuritySimulator Simulator => Instance.Value;

        /// <summary>Script text that connects the runspace to the shared simulator (its test key is no secret).</summary>
        public static string Connect(bool passThru = false)
        {
            var s = Simulator;
            return "$k = [System.Security.SecureString]::new(); foreach ($c in '" + s.ApiKey + "'.ToCharArray()) { $k.AppendChar($c) }; "
                + "Connect-AgentManager -Product DeepSecurity -Uri '" + s.Uri + "' -ApiKey $k -CertificateThumbprint '" + s.Thumbprint + "'" + (passThru ? " -PassThru" : string.Empty) + "; ";
        }
    }
}
