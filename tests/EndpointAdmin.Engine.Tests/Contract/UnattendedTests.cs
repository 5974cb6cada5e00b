using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// Unattended use and JEA's NoLanguage: every exported cmdlet runs from a plain command line
    /// (constant arguments, no script), and no ShouldProcess cmdlet prompts when -Confirm:$false is
    /// given, even with $ConfirmPreference at Low. The host is non-interactive: a prompt fails the run.
    /// </summary>
    public class UnattendedTests : IClassFixture<EngineFixture>
    {
        // Refused: settings no API exposes; the line must end in that one clear error, never a prompt.
        private enum Needs { Nothing, Manager, Firewall, Refused }

        // One plain command line per exported cmdlet, in an order that works (each group runs top to bottom).
        // A new cmdlet without a line fails EveryCmdletHasAnUnattendedCommandLine.
        private static readonly (string Cmdlet, Needs Needs, string Line)[] Lines =
        {
            ("Get-AgentPortRequirement", Needs.Nothing, "Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler"),
            ("Test-AgentConnection", Needs.Nothing, "Test-AgentConnection localhost -Port 1 -TimeoutSec 2"),
            ("Test-AgentPortAvailability", Needs.Nothing, "Test-AgentPortAvailability -Port 1, 2 -Protocol UDP"),
            ("Connect-AgentManager", Needs.Manager, null), // the key is a SecureString: sent as a parameter value (see Connect)
            ("Get-Agent", Needs.Manager, "Get-Agent -Id 1, 2"),
            ("Test-AgentHeartbeat", Needs.Manager, "Get-Agent -Id 1, 2 | Test-AgentHeartbeat"),
            ("Get-AgentHeartbeatPolicy", Needs.Manager, "Get-AgentHeartbeatPolicy -PolicyId 2"),
            ("Set-AgentHeartbeatPolicy", Needs.Manager, "Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5 -Confirm:$false"),
            ("Set-AgentCommunicationDirection", Needs.Manager, "Set-AgentCommunicationDirection -Direction ManagerInitiated -PolicyId 2 -Confirm:$false"),
            ("New-AgentHeartbeatFirewallRule", Needs.Manager, "New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.0.0.10 -Confirm:$false"),
            ("Invoke-AgentSync", Needs.Manager, "Invoke-AgentSync -Id 1 -Confirm:$false"),
            ("Set-AgentProxy", Needs.Manager, "Set-AgentProxy -Purpose ManagerUpdate -ProxyId 2 -Confirm:$false"),
            ("Set-AgentServerCommunication", Needs.Refused, "Set-AgentServerCommunication -ServerAddress apex1.example.com -ListeningPort 4343 -Confirm:$false"),
            ("Set-AgentFirewallSetting", Needs.Refused, "Set-AgentFirewallSetting -EnableFirewall $true -Confirm:$false"),
            ("Set-AgentContinuousConnection", Needs.Refused, "Set-AgentContinuousConnection -Id 1 -Enabled $true -Confirm:$false"),
            ("Disconnect-AgentManager", Needs.Manager, "Disconnect-AgentManager"),
            ("New-FirewallPortRule", Needs.Firewall, "New-FirewallPortRule -DisplayName Unattended -Direction Inbound -Protocol TCP -LocalPort 8443 -Confirm:$false"),
            ("Get-FirewallPortRule", Needs.Firewall, "Get-FirewallPortRule -Name Unattended"),
            ("Test-FirewallPortRule", Needs.Firewall, "Test-FirewallPortRule -DisplayName Unattended -Direction Inbound -Protocol TCP -LocalPort 8443"),
            ("Set-AgentBaseline", Needs.Firewall, "Set-AgentBaseline -Baseline '{\"hostFirewall\":{\"extraRules\":[{\"displayName\":\"Unattended\",\"direction\":\"Inbound\",\"protocol\":\"TCP\",\"localPort\":8443}]}}' -Confirm:$false"),
            ("Test-AgentBaseline", Needs.Firewall, "Test-AgentBaseline -Baseline '{\"hostFirewall\":{\"extraRules\":[{\"displayName\":\"Unattended\",\"direction\":\"Inbound\",\"protocol\":\"TCP\",\"localPort\":8443}]}}' -Quiet"),
            ("Export-AgentBaseline", Needs.Firewall, "Export-AgentBaseline -HostFirewall -Format Json -Confirm:$false"),
            ("Remove-FirewallPortRule", Needs.Firewall, "Remove-FirewallPortRule -Name Unattended -Confirm:$false"),
            ("New-FirewallPortRule", Needs.Firewall, "Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler | New-FirewallPortRule -Confirm:$false"),
            ("Start-FirewallPortMigration", Needs.Firewall, "Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SameMachine -Confirm:$false"),
            ("Get-FirewallPortMigration", Needs.Firewall, "Get-FirewallPortMigration -Product SesEvolution"),
            ("Set-FirewallPortMigration", Needs.Firewall, "Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -Confirm:$false"),
            ("Complete-FirewallPortMigration", Needs.Firewall, "Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false"),
        };

        private readonly EngineFixture _ps;

        public UnattendedTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        private IEnumerable<CmdletAttribute> Cmdlets => _ps.ModuleAssembly.GetTypes().Select(t => t.GetCustomAttribute<CmdletAttribute>()).Where(a => a != null);

        [Fact]
        public void EveryCmdletHasAnUnattendedCommandLine()
        {
            var covered = Lines.Select(l => l.Cmdlet).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = _ps.Module.ExportedCmdlets.Keys.Where(n => !covered.Contains(n)).OrderBy(n => n).ToArray();
            Assert.True(missing.Length == 0, "no unattended command line for: " + string.Join(", ", missing));
        }

        [Fact]
        public void EveryShouldProcessCmdletsLineSaysConfirmFalse()
        {
            var shouldProcess = Cmdlets.Where(a => a.SupportsShouldProcess).Select(a => a.VerbName + "-" + a.NounName).ToList();
            Assert.NotEmpty(shouldProcess);
            foreach (var name in shouldProcess)
            {
                var lines = Lines.Where(l => l.Cmdlet == name && l.Line != null).ToList();
                Assert.NotEmpty(lines);
                Assert.All(lines, l => Assert.Contains("-Confirm:$false", l.Line));
            }
        }

        [Fact]
        public void NoCmdletRunsScriptTextOrAsksTheHost()
        {
            // NoLanguage (JEA) cannot run script text, and an unattended host cannot answer a prompt.
            var forbidden = new Regex(@"ScriptBlock\.Create|InvokeScript|NewScriptBlock|AddScript|ShouldContinue|PromptForChoice|PromptForCredential|\.ReadLine\(|Host\.UI|ReadKey");
            var sources = Directory.GetFiles(Path.Combine(InProcessPowerShell.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories);
            Assert.NotEmpty(sources);
            var offenders = sources.Where(f => forbidden.IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToArray();
            Assert.True(offenders.Length == 0, "script text or host prompts in: " + string.Join(", ", offenders));
        }

        public static IEnumerable<object[]> Modes() => new[] { new object[] { "NoLanguage" }, new object[] { "ConfirmPreferenceLow" } };

        [Theory]
        [MemberData(nameof(Modes))]
        public void CatalogAndDiagnosticCmdletsRunUnattended(string mode)
        {
            using var shell = new InProcessPowerShell();
            Prepare(s => shell.Invoke(s), mode);
            RunAll(s => shell.Invoke(s), Needs.Nothing);
        }

        [Theory]
        [MemberData(nameof(Modes))]
        public void ManagerCmdletsRunUnattended(string mode)
        {
            using var simulator = DeepSecuritySimulator.Start(computers: 10, seed: 5);
            using var shell = new InProcessPowerShell();
            Prepare(s => shell.Invoke(s), mode);
            var key = new System.Net.NetworkCredential(string.Empty, simulator.ApiKey).SecurePassword;
            using (var connect = PowerShell.Create())
            {
                connect.Runspace = shell.Runspace;
                connect.AddCommand("Connect-AgentManager").AddParameters(new Hashtable { ["Product"] = "DeepSecurity", ["Uri"] = simulator.Uri, ["ApiKey"] = key, ["CertificateThumbprint"] = simulator.Thumbprint });
                connect.Invoke();
                Assert.False(connect.HadErrors, string.Join("; ", connect.Streams.Error.Select(e => e.FullyQualifiedErrorId)));
            }

            foreach (var line in Lines.Where(l => l.Needs == Needs.Refused))
            {
                var refused = shell.Invoke(line.Line);
                var errors = refused.Errors.Concat(refused.TerminatingError == null ? Enumerable.Empty<ErrorRecord>() : new[] { refused.TerminatingError }).ToList();
                Assert.True(errors.Count == 1 && errors[0].FullyQualifiedErrorId.StartsWith("ManagerOperationNotSupported,", StringComparison.Ordinal), line.Line + ": " + refused.Describe());
            }

            RunAll(s => shell.Invoke(s), Needs.Manager);
            Assert.NotEmpty(simulator.Writes);
            if (mode == "ConfirmPreferenceLow")
            {
                // Without -Confirm:$false the engine would ask: this host refuses, so the checks above can fail.
                Assert.True(shell.Invoke("Invoke-AgentSync -Id 1").Failed);
            }
        }

        [NetnsTheory]
        [MemberData(nameof(Modes))]
        public void FirewallCmdletsRunUnattended(string mode)
        {
            using var ns = NetworkNamespace.Create("unatt");
            using var shell = new NamespacedShell(ns);
            Prepare(s => Wrap(shell.Invoke(s)), mode);
            RunAll(s => Wrap(shell.Invoke(s)), Needs.Firewall);
            // The migration ran to its end: only the new version's rules are left.
            var left = ns.Ruleset();
            Assert.Contains("EA-SesEvolution-2.7.1-", left);
            Assert.DoesNotContain("EA-SesEvolution-2.6-", left);
            Assert.DoesNotContain("Unattended", left);
        }

        private static void Prepare(Func<string, PowerShellResult> run, string mode)
        {
            var script = mode == "NoLanguage"
                ? "$ExecutionContext.SessionState.LanguageMode = 'NoLanguage'"
                : "$ConfirmPreference = 'Low'";
            var r = run(script);
            Assert.False(r.Failed, r.Describe());
        }

        private static void RunAll(Func<string, PowerShellResult> run, Needs needs)
        {
            foreach (var line in Lines.Where(l => l.Needs == needs && l.Line != null))
            {
                var r = run(line.Line);
                Assert.True(!r.Failed, line.Line + ": " + r.Describe());
            }
        }

        // The namespaced engine's results, in the shape the checks above read.
        private static PowerShellResult Wrap(RemoteResult r)
        {
            Exception terminating = r.Terminating == null ? null : new RuntimeException(r.Terminating.ToString());
            return new PowerShellResult(new System.Collections.ObjectModel.Collection<PSObject>(r.Output), new List<ErrorRecord>(r.Errors.Select(e => new ErrorRecord(new RuntimeException(e.ToString()), e.Id, ErrorCategory.NotSpecified, e.Target))), r.Warnings, r.Verbose, new List<string>(), new List<InformationRecord>(), terminating, r.HostText, r.Failed);
        }
    }
}
