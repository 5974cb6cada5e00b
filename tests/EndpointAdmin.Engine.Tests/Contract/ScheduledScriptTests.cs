using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The shipped scheduled-task example (docs/examples/Invoke-AgentHeartbeatCheck.ps1) run as a
    /// task runs it: pwsh -NonInteractive -File, the key from a Get-Secret (a stand-in
    /// SecretManagement module the test writes: EndpointAdmin itself needs none), a log, exit codes.
    /// </summary>
    public sealed class ScheduledScriptTests : IDisposable
    {
        private readonly string _work = Path.Combine(Path.GetTempPath(), "ea-task-" + Guid.NewGuid().ToString("N"));

        public ScheduledScriptTests()
        {
            // Get-Secret as SecretManagement offers it: -Name, -Vault, a SecureString back, an error for an unknown name.
            var module = Path.Combine(_work, "modules", "Microsoft.PowerShell.SecretManagement");
            Directory.CreateDirectory(module);
            File.WriteAllText(Path.Combine(module, "Microsoft.PowerShell.SecretManagement.psm1"),
                "function Get-Secret { [CmdletBinding()] param([Parameter(Mandatory)][string] $Name, [string] $Vault)\n"
                + "  if ($Name -ne $env:EA_TEST_SECRET_NAME) { throw \"Get-Secret: a secret named '$Name' was not found\" }\n"
                + "  $s = [System.Security.SecureString]::new(); foreach ($c in $env:EA_TEST_SECRET_VALUE.ToCharArray()) { $s.AppendChar($c) }; $s }\n"
                + "Export-ModuleMember -Function Get-Secret\n");
        }

        private static string Script => Path.Combine(InProcessPowerShell.RepositoryRoot, "docs", "examples", "Invoke-AgentHeartbeatCheck.ps1");

        private string Log => Path.Combine(_work, "heartbeat.log");

        private ProcessResult RunTask(string secretValue, params string[] arguments)
        {
            var args = new List<string> { "-NoProfile", "-NonInteractive", "-File", Script };
            args.AddRange(arguments);
            args.AddRange(new[] { "-LogPath", Log });
            var environment = new Dictionary<string, string>
            {
                ["PSModulePath"] = Path.Combine(_work, "modules") + Path.PathSeparator + Path.GetDirectoryName(InProcessPowerShell.ModulePath),
                ["EA_TEST_SECRET_NAME"] = "DeepSecurityApiKey",
                ["EA_TEST_SECRET_VALUE"] = secretValue,
            };
            return NetworkNamespace.Run(Pwsh.Path, args, environment, timeoutMs: 120000);
        }

        [PwshFact]
        public void ItLogsASummaryAndExitsByTheFleetsHealth()
        {
            using var simulator = DeepSecuritySimulator.Start(computers: 12, seed: 21);
            var r = RunTask(simulator.ApiKey, "-ManagerUri", simulator.Uri, "-CertificateThumbprint", simulator.Thumbprint);

            var log = File.ReadAllLines(Log);
            var summary = Assert.Single(log, l => l.Contains("heartbeat check of " + simulator.Uri + ": "));
            Assert.Contains(": 12 agent(s), ", summary);
            var notHealthy = int.Parse(summary.Split(", ")[2].Split(' ')[0]);
            Assert.Equal(notHealthy > 0 ? 2 : 0, r.ExitCode);
            Assert.DoesNotContain(simulator.ApiKey, File.ReadAllText(Log) + r.Output + r.Error);
        }

        [PwshFact]
        public void AWrongKeyIsAClearFailureAndExitCodeOne()
        {
            using var simulator = DeepSecuritySimulator.Start(computers: 3, seed: 22);
            var r = RunTask("2:not-the-key", "-ManagerUri", simulator.Uri, "-CertificateThumbprint", simulator.Thumbprint);
            Assert.Equal(1, r.ExitCode);
            var failure = Assert.Single(File.ReadAllLines(Log));
            Assert.Contains("FAILED", failure);
            Assert.Contains("EndpointAdmin.Commands.ConnectAgentManagerCommand", failure);
        }

        [PwshFact]
        public void AMissingSecretIsAClearFailureAndExitCodeOne()
        {
            var r = RunTask("whatever", "-ManagerUri", "https://127.0.0.1:9", "-SecretName", "NoSuchSecret");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("'NoSuchSecret' was not found", File.ReadAllText(Log));
        }

        [PwshFact]
        public void AMissingMandatoryParameterFailsInsteadOfPrompting()
        {
            var r = NetworkNamespace.Run(Pwsh.Path, new[] { "-NoProfile", "-NonInteractive", "-File", Script }, timeoutMs: 120000);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("ManagerUri", r.Error + r.Output);
        }

        [PwshFact]
        public void ATerminatingCmdletErrorMakesPwshFileExitNonZero()
        {
            var script = Path.Combine(_work, "fails.ps1");
            File.WriteAllText(script, "Import-Module EndpointAdmin\nGet-AgentPortRequirement -Product SesEvolution -Version 9.9.9 -ErrorAction Stop\n'not reached'\n");
            var r = NetworkNamespace.Run(Pwsh.Path, new[] { "-NoProfile", "-NonInteractive", "-File", script }, new Dictionary<string, string> { ["PSModulePath"] = Path.GetDirectoryName(InProcessPowerShell.ModulePath) }, timeoutMs: 120000);
            Assert.NotEqual(0, r.ExitCode);
            Assert.DoesNotContain("not reached", r.Output);
        }

        [PwshFact]
        public void AHighImpactCmdletWithoutConfirmFailsFastInANonInteractiveHostAndChangesNothing()
        {
            // Without -Confirm:$false a High-impact cmdlet asks; -NonInteractive turns that into an error, never a
            // wait. That error ends the statement only; $ErrorActionPreference = 'Stop' (as the docs advise) ends the script.
            using var simulator = DeepSecuritySimulator.Start(computers: 3, seed: 23);
            var script = Path.Combine(_work, "asks.ps1");
            File.WriteAllText(script,
                "$ErrorActionPreference = 'Stop'\nImport-Module EndpointAdmin\n"
                + "$k = [System.Security.SecureString]::new(); foreach ($c in $env:EA_TEST_SECRET_VALUE.ToCharArray()) { $k.AppendChar($c) }\n"
                + "Connect-AgentManager -Product DeepSecurity -Uri $env:EA_TEST_URI -ApiKey $k -CertificateThumbprint $env:EA_TEST_THUMBPRINT\n"
                + "Set-AgentCommunicationDirection -Direction ManagerInitiated -PolicyId 2\n"
                + "'not reached'\n");
            simulator.ClearRequests();
            var r = NetworkNamespace.Run(Pwsh.Path, new[] { "-NoProfile", "-NonInteractive", "-File", script }, new Dictionary<string, string>
            {
                ["PSModulePath"] = Path.GetDirectoryName(InProcessPowerShell.ModulePath),
                ["EA_TEST_SECRET_VALUE"] = simulator.ApiKey,
                ["EA_TEST_URI"] = simulator.Uri,
                ["EA_TEST_THUMBPRINT"] = simulator.Thumbprint,
            }, timeoutMs: 120000);
            Assert.NotEqual(0, r.ExitCode);
            Assert.DoesNotContain("not reached", r.Output);
            Assert.Contains("NonInteractive", r.Error + r.Output);
            Assert.Empty(simulator.Writes);
        }

        public void Dispose()
        {
            try { Directory.Delete(_work, true); } catch (IOException) { }
        }
    }
}
