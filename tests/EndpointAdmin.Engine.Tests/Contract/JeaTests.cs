using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// JEA: the shipped roles, made into restricted runspaces by the engine from the sample session
    /// configuration. Allowed cmdlets work in NoLanguage, nothing else is visible, and constrained
    /// parameters refuse values outside their set.
    /// </summary>
    public class JeaTests : IClassFixture<EngineFixture>
    {
        private static readonly string[] RoleFiles = { "EndpointAdminOperator.psrc", "EndpointAdminFirewallAdmin.psrc" };
        private readonly EngineFixture _ps;

        public JeaTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        /// <summary>Runs one command with parameters (no script text), as a remoting client sends it.</summary>
        private static PowerShellResult Command(InProcessPowerShell shell, string command, IDictionary parameters)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = shell.Runspace;
            ps.AddCommand(command).AddParameters(parameters);
            Exception terminating = null;
            var output = new System.Collections.ObjectModel.Collection<PSObject>();
            try
            {
                output = ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
            }

            return new PowerShellResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), new List<string>(), new List<string>(), ps.Streams.Information.ToList(), terminating, string.Empty, ps.HadErrors);
        }

        private static Hashtable Role(string file) => EngineFixture.ReadManifest(Path.Combine(Jea.SourceRoleFolder, file));

        /// <summary>VisibleCmdlets entries: a name, or a table with Name and Parameters.</summary>
        private static IEnumerable<(string Name, Hashtable[] Parameters)> VisibleCmdlets(Hashtable role)
        {
            var entries = role["VisibleCmdlets"] as object[] ?? new[] { role["VisibleCmdlets"] };
            foreach (var entry in entries)
            {
                if (entry is Hashtable table)
                {
                    var parameters = table["Parameters"] as object[] ?? (table["Parameters"] == null ? new object[0] : new[] { table["Parameters"] });
                    yield return ((string)table["Name"], parameters.Cast<Hashtable>().ToArray());
                }
                else
                {
                    yield return ((string)entry, null);
                }
            }
        }

        private static HashSet<string> ModuleCommandsIn(InProcessPowerShell shell)
        {
            var r = shell.Invoke("Get-Command");
            Assert.False(r.Failed, r.Describe());
            return r.Output.Where(c => Text(c, "Source") == "EndpointAdmin" || Text(c, "ModuleName") == "EndpointAdmin" || Text(c, "Name").Contains("-Agent") || Text(c, "Name").Contains("-Firewall"))
                .Select(c => Text(c, "Name")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("EndpointAdminOperator.psrc")]
        [InlineData("EndpointAdminFirewallAdmin.psrc")]
        public void TheRoleNamesOnlyExportedCmdletsAndTheirRealParameters(string file)
        {
            var role = Role(file);
            Assert.Equal("EndpointAdmin", role["ModulesToImport"]);
            foreach (var (name, parameters) in VisibleCmdlets(role))
            {
                Assert.True(_ps.Module.ExportedCmdlets.ContainsKey(name), file + " names " + name + ", which EndpointAdmin does not export");
                var cmdlet = _ps.Module.ExportedCmdlets[name];
                foreach (var p in parameters ?? new Hashtable[0])
                {
                    Assert.True(cmdlet.Parameters.ContainsKey((string)p["Name"]), file + ": " + name + " has no parameter -" + p["Name"]);
                }
            }
        }

        [Fact]
        public void EveryGetAndTestCmdletIsInTheOperatorRole()
        {
            var listed = VisibleCmdlets(Role("EndpointAdminOperator.psrc")).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var missing = _ps.Module.ExportedCmdlets.Keys.Where(n => n.StartsWith("Get-", StringComparison.Ordinal) || n.StartsWith("Test-", StringComparison.Ordinal)).Where(n => !listed.Contains(n)).OrderBy(n => n).ToArray();
            Assert.True(missing.Length == 0, "read-only cmdlets missing from RoleCapabilities/EndpointAdminOperator.psrc: " + string.Join(", ", missing));
        }

        [Fact]
        public void TheOperatorRoleChangesNothing()
        {
            // No cmdlet that changes an endpoint, a manager or a firewall: only Get/Test and a session of one's own.
            var names = VisibleCmdlets(Role("EndpointAdminOperator.psrc")).Select(c => c.Name.Split('-')[0]).Distinct().OrderBy(v => v);
            Assert.Equal(new[] { "Connect", "Disconnect", "Get", "Test" }, names);
        }

        [Fact]
        public void TheBuiltModuleShipsTheRoleFilesAndTheSampleConfigurationUnchanged()
        {
            foreach (var file in RoleFiles)
            {
                Assert.Equal(File.ReadAllText(Path.Combine(Jea.SourceRoleFolder, file)), File.ReadAllText(Path.Combine(Jea.BuiltModuleFolder, "RoleCapabilities", file)));
            }

            Assert.Equal(File.ReadAllText(Jea.SamplePath), File.ReadAllText(Path.Combine(Jea.BuiltModuleFolder, "Examples", Path.GetFileName(Jea.SamplePath))));
        }

        [Fact]
        public void TheOperatorRunspaceIsNoLanguageAndShowsOnlyTheOperatorsCmdlets()
        {
            using var shell = Jea.Open(Jea.Operators);
            Assert.Equal(PSLanguageMode.NoLanguage, shell.Runspace.SessionStateProxy.LanguageMode);
            var expected = VisibleCmdlets(Role("EndpointAdminOperator.psrc")).Select(c => c.Name).OrderBy(n => n);
            Assert.Equal(expected, ModuleCommandsIn(shell).OrderBy(n => n));

            var hidden = shell.Invoke("New-FirewallPortRule -DisplayName 'JEA' -Direction Inbound -Protocol TCP -LocalPort 1 -WhatIf");
            Assert.Equal("CommandNotFoundException", hidden.TerminatingError?.FullyQualifiedErrorId);
            var script = shell.Invoke("[System.IO.File]::ReadAllText('/etc/hostname')");
            Assert.NotNull(script.Terminating);
            Assert.Empty(script.Output);
        }

        [Fact]
        public void TheOperatorRoleReadsTheCatalogTheNetworkAndTheManager()
        {
            using var simulator = DeepSecuritySimulator.Start(computers: 10, seed: 11);
            using var shell = Jea.Open(Jea.Operators);
            var rows = Succeeded(shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler"));
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal("EndpointAdmin.PortRequirement", r.TypeNames[0]));
            Assert.NotEmpty(Succeeded(shell.Invoke("Test-AgentPortAvailability -Port 1 -Protocol UDP")));

            // The key travels as a parameter value, as a remoting client sends it: NoLanguage has no way to build one.
            var key = new System.Net.NetworkCredential(string.Empty, simulator.ApiKey).SecurePassword;
            var connect = Command(shell, "Connect-AgentManager", new Hashtable { ["Product"] = "DeepSecurity", ["Uri"] = simulator.Uri, ["ApiKey"] = key, ["CertificateThumbprint"] = simulator.Thumbprint });
            Assert.False(connect.Failed, connect.Describe());
            // The table views (some columns are script blocks of the format file) render in NoLanguage too.
            var table = shell.InvokeRendered("Get-Agent -Id 1, 2");
            Assert.False(table.Failed, table.Describe());
            Assert.StartsWith("Id", table.HostText.TrimStart());
            var heartbeats = Succeeded(shell.Invoke("Get-Agent -Id 1, 2 | Test-AgentHeartbeat"));
            Assert.Equal(2, heartbeats.Count);
            Assert.All(heartbeats, h => Assert.Equal("EndpointAdmin.HeartbeatResult", h.TypeNames[0]));

            // Certificate checks cannot be switched off in this role.
            var unchecked_ = Command(shell, "Connect-AgentManager", new Hashtable { ["Product"] = "DeepSecurity", ["Uri"] = simulator.Uri, ["ApiKey"] = key, ["SkipCertificateCheck"] = true });
            Assert.Equal("NamedParameterNotFound,Connect-AgentManager", unchecked_.TerminatingError?.FullyQualifiedErrorId);
            Assert.Equal("CommandNotFoundException", shell.Invoke("Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5 -WhatIf").TerminatingError?.FullyQualifiedErrorId);
        }

        [Fact]
        public void TheFirewallAdminRunspaceAddsOnlyTheFirewallCmdlets()
        {
            using var shell = Jea.Open(Jea.FirewallAdmins);
            Assert.Equal(PSLanguageMode.NoLanguage, shell.Runspace.SessionStateProxy.LanguageMode);
            var expected = RoleFiles.SelectMany(f => VisibleCmdlets(Role(f))).Select(c => c.Name).Distinct().OrderBy(n => n);
            Assert.Equal(expected, ModuleCommandsIn(shell).OrderBy(n => n));
            Assert.DoesNotContain("Set-AgentHeartbeatPolicy", ModuleCommandsIn(shell));
        }

        [Theory]
        [InlineData("New-FirewallPortRule -DisplayName 'JEA' -Direction Inbound -Protocol TCP -LocalPort 8443 -Group Other -WhatIf", "ParameterArgumentValidationError,New-FirewallPortRule")]
        [InlineData("New-FirewallPortRule -DisplayName 'JEA' -Direction Inbound -Protocol TCP -LocalPort 8443 -Backend Nftables -WhatIf", "NamedParameterNotFound,New-FirewallPortRule")]
        [InlineData("New-FirewallPortRule -DisplayName 'JEA' -Direction Inbound -Protocol TCP -LocalPort 8443 -Action Block -WhatIf", "NamedParameterNotFound,New-FirewallPortRule")]
        [InlineData("Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Group Other -WhatIf", "ParameterArgumentValidationError,Start-FirewallPortMigration")]
        [InlineData("Complete-FirewallPortMigration -Product SesEvolution -Force -WhatIf", "NamedParameterNotFound,Complete-FirewallPortMigration")]
        [InlineData("Remove-FirewallPortRule -Name 'x' -Backend WindowsFirewall -WhatIf", "NamedParameterNotFound,Remove-FirewallPortRule")]
        public void TheFirewallAdminRoleRefusesParametersOutsideItsConstraints(string command, string errorId)
        {
            using var shell = Jea.Open(Jea.FirewallAdmins);
            var r = shell.Invoke(command);
            Assert.Equal(errorId, (r.TerminatingError ?? r.Errors.FirstOrDefault())?.FullyQualifiedErrorId);
            Assert.Empty(r.Output);
        }

        [NetnsFact]
        public void TheFirewallAdminRoleOpensAgentPortsInEndpointAdminsGroupAndNothingElse()
        {
            using var ns = NetworkNamespace.Create("jea");
            using var shell = new NamespacedShell(ns, Jea.HostArguments(Jea.FirewallAdmins));

            var refused = shell.Invoke("New-FirewallPortRule -DisplayName 'JEA other group' -Direction Inbound -Protocol TCP -LocalPort 8443 -Group Other");
            Assert.Equal("ParameterArgumentValidationError,New-FirewallPortRule", (refused.Terminating ?? refused.Errors.FirstOrDefault())?.Id);
            Assert.Equal(string.Empty, ns.Ruleset().Trim());

            var created = shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound | New-FirewallPortRule -PassThru");
            Assert.False(created.Failed, created.Describe());
            Assert.Equal(2, created.Output.Count);
            Assert.All(created.Output, o => Assert.Equal("EndpointAdmin", Text(o, "Group")));
            var ruleset = ns.Ruleset();
            Assert.Contains("dport 443", ruleset);
            Assert.Contains("dport 17000", ruleset);

            var byHand = shell.Invoke("New-FirewallPortRule -DisplayName 'JEA by hand' -Direction Inbound -Protocol TCP -LocalPort 8443 -Group EndpointAdmin");
            Assert.False(byHand.Failed, byHand.Describe());
            Assert.Contains("dport 8443", ns.Ruleset());

            var removed = shell.Invoke("Remove-FirewallPortRule -Name 'JEA by hand' -Confirm:$false");
            Assert.False(removed.Failed, removed.Describe());
            Assert.DoesNotContain("dport 8443", ns.Ruleset());
            var left = shell.Invoke("Get-FirewallPortRule");
            Assert.False(left.Failed, left.Describe());
            Assert.Equal(2, left.Output.Count);
            var table = shell.InvokeRendered("Get-FirewallPortRule");
            Assert.False(table.Failed, table.Describe());
            Assert.Contains("EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000", table.HostText);
            Assert.Matches(@"^\s*Name\s+Direction\s+Protocol\s+LocalPort", table.HostText);
            Assert.Matches(@"Inbound\s+TCP\s+17000\s", table.HostText); // LocalPort is a script-block column
        }
    }
}
