using System;
using System.IO;
using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The host firewall part of Test-, Set- and Export-AgentBaseline on real nftables in a network
    /// namespace of its own: rows per rule, an honest -WhatIf, one transaction, a second Set that
    /// leaves the ruleset byte for byte as it was, Unmanaged = 'Remove' that touches only EndpointAdmin
    /// rules, and an export that tests as fully in desired state.
    /// </summary>
    public class HostFirewallBaselineTests : IClassFixture<FirewallNamespaceFixture>, IDisposable
    {
        private readonly FirewallNamespaceFixture _fx;
        private readonly string _dir = Directory.CreateTempSubdirectory("ea-baseline-").FullName;

        public HostFirewallBaselineTests(FirewallNamespaceFixture fixture)
        {
            _fx = fixture;
        }

        private NetworkNamespace Ns => _fx.Namespace;

        public void Dispose()
        {
            Directory.Delete(_dir, true);
        }

        private string File(string name, string text)
        {
            var path = Path.Combine(_dir, name);
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        private const string Baseline = @"@{
    HostFirewall = @{
        Rules = @(
            @{ Product = 'SesEvolution'; Version = '2.7.1'; Component = 'AgentHandler'; Direction = 'Inbound'; RemoteAddress = @('10.1.0.0/16', '10.0.0.0/16') }
        )
        ExtraRules = @(
            @{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22 }
        )
        Unmanaged = 'Remove'
    }
}";

        [NetnsFact]
        public void SetMakesTheFirewallMatchInOneStepAndASecondSetChangesNothing()
        {
            var shell = _fx.Fresh();
            Ns.Nft("add table inet other\nadd chain inet other c { type filter hook input priority 10; }\nadd rule inet other c tcp dport 8080 accept\n");
            var other = Ns.Exec("nft list table inet other", check: true).Output;
            Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName Stray -Direction Inbound -Protocol UDP -LocalPort 9999").Failed);
            var path = File("host.psd1", Baseline);

            var test = shell.Invoke("Test-AgentBaseline -Path '" + path + "' | ForEach-Object { $_.TargetId + '|' + $_.State + '|' + $_.Expected + '|' + $_.Actual }");
            Assert.False(test.Failed, test.Describe());
            var rows = test.Output.Select(o => o.ToString()).ToList();
            Assert.Equal(4, rows.Count);
            Assert.Contains("EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443|Drifted|Inbound TCP local port 443 from 10.0.0.0/15 Allow|absent", rows);
            Assert.Contains("Stray|Drifted|absent|Inbound UDP local port 9999 Allow", rows);

            var before = Ns.Ruleset();
            var whatIf = shell.InvokeRendered("Set-AgentBaseline -Path '" + path + "' -WhatIf");
            Assert.False(whatIf.Failed, whatIf.Describe());
            Assert.Equal(before, Ns.Ruleset());
            Assert.Contains("Create firewall rule (Inbound TCP local port 22 Allow)", whatIf.HostText);
            Assert.Contains("Remove firewall rule (Inbound UDP local port 9999 Allow)", whatIf.HostText);

            var set = shell.Invoke("Set-AgentBaseline -Path '" + path + "' -Confirm:$false -PassThru | ForEach-Object { $_.TargetId + '|' + $_.State }");
            Assert.False(set.Failed, set.Describe());
            Assert.Equal(4, set.Output.Count);
            Assert.All(set.Output, o => Assert.EndsWith("|Changed", o.ToString()));
            Assert.Equal(other, Ns.Exec("nft list table inet other", check: true).Output);
            var names = shell.Invoke("(Get-FirewallPortRule).Name -join ','").Output.Single().ToString();
            Assert.Equal("EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000,EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443,Mgmt SSH", names);

            Assert.Equal("True", shell.Invoke("Test-AgentBaseline -Path '" + path + "' -Quiet").Output.Single().ToString());
            var applied = Ns.Ruleset();
            var again = shell.Invoke("Set-AgentBaseline -Path '" + path + "' -Confirm:$false -PassThru");
            Assert.False(again.Failed, again.Describe());
            Assert.Empty(again.Output);
            Assert.Equal(applied, Ns.Ruleset());
        }

        [NetnsFact]
        public void ARuleWithOtherSettingsIsReplacedAndAddressSetsInAnyOrderAreNoDrift()
        {
            var shell = _fx.Fresh();
            var path = File("order.psd1", Baseline.Replace("Unmanaged = 'Remove'", "Unmanaged = 'Keep'"));
            Assert.False(shell.Invoke("Set-AgentBaseline -Path '" + path + "' -Confirm:$false").Failed);
            var reordered = File("reordered.psd1", Baseline.Replace("@('10.1.0.0/16', '10.0.0.0/16')", "@('10.0.0.0/16', '10.1.0.0/16')"));
            Assert.Equal("True", shell.Invoke("Test-AgentBaseline -Path '" + reordered + "' -Quiet").Output.Single().ToString());

            var narrowed = File("narrowed.psd1", Baseline.Replace("@('10.1.0.0/16', '10.0.0.0/16')", "@('10.1.0.0/16')"));
            var set = shell.Invoke("Set-AgentBaseline -Path '" + narrowed + "' -Confirm:$false -PassThru | ForEach-Object TargetId");
            Assert.False(set.Failed, set.Describe());
            Assert.Equal(new[] { "EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000", "EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443" }, set.Output.Select(o => o.ToString()).OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal("10.1.0.0/16", shell.Invoke("(Get-FirewallPortRule -Name EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443).RemoteAddress -join ','").Output.Single().ToString());
        }

        [NetnsFact]
        public void AnExportTestsAsFullyInDesiredStateFromPsd1AndJson()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer | New-FirewallPortRule -RemoteAddress 192.0.2.0/24").Failed);
            Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName 'O''Brien' -Direction Outbound -Protocol UDP -RemotePort 514 -Enabled $false").Failed);
            foreach (var name in new[] { "export.psd1", "export.json" })
            {
                var path = Path.Combine(_dir, name);
                var export = shell.Invoke("Export-AgentBaseline -HostFirewall -Path '" + path + "' | ForEach-Object Name");
                Assert.False(export.Failed, export.Describe());
                Assert.Equal(name, export.Output.Single().ToString());
                var test = shell.Invoke("Test-AgentBaseline -Path '" + path + "' | Where-Object { -not $_.InDesiredState } | ForEach-Object { $_.TargetId + ': ' + $_.Message }");
                Assert.False(test.Failed, test.Describe());
                Assert.Empty(test.Output);
                Assert.Equal("4", shell.Invoke("@(Test-AgentBaseline -Path '" + path + "').Count").Output.Single().ToString());
            }

            var refused = shell.Invoke("Export-AgentBaseline -HostFirewall -Path '" + Path.Combine(_dir, "export.json") + "'");
            Assert.Equal("BaselineFileUnreadable,EndpointAdmin.Commands.ExportAgentBaselineCommand", refused.Errors.Last().Id);
        }

        [NetnsFact]
        public void ABadFileIsRefusedBeforeTheFirewallIsReadOrChanged()
        {
            var shell = _fx.Fresh();
            var before = Ns.Ruleset();
            var typo = File("typo.psd1", "@{ HostFirewall = @{ Rules = @(@{ Product = 'SesEvolution'; Versoin = '2.7.1' }); Unmanaged = 'Purge' } }");
            var r = shell.Invoke("Set-AgentBaseline -Path '" + typo + "' -Confirm:$false");
            // Every problem of the file at once, each with its key; the command then stops.
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e => Assert.Equal("InvalidData", e.Category));
            Assert.Contains(r.Errors, e => e.Id == "BaselineKeyUnknown,EndpointAdmin.Commands.SetAgentBaselineCommand" && e.Message.Contains("HostFirewall.Rules[0].Versoin"));
            Assert.Contains(r.Errors, e => e.Id == "BaselineValueInvalid,EndpointAdmin.Commands.SetAgentBaselineCommand" && e.Message.Contains("HostFirewall.Unmanaged"));
            Assert.Equal(before, Ns.Ruleset());

            var script = File("script.psd1", "@{ HostFirewall = @{ Unmanaged = (Get-Date).ToString() } }");
            var unsafeFile = shell.Invoke("Test-AgentBaseline -Path '" + script + "'");
            Assert.Equal("BaselineFileUnreadable,EndpointAdmin.Commands.TestAgentBaselineCommand", unsafeFile.Errors.Single().Id);
            Assert.Contains("data only", unsafeFile.Errors.Single().Message);

            var missing = shell.Invoke("Test-AgentBaseline -Path '" + Path.Combine(_dir, "none.psd1") + "'");
            Assert.Equal("BaselineFileUnreadable,EndpointAdmin.Commands.TestAgentBaselineCommand", missing.Errors.Single().Id);
            Assert.Equal("ObjectNotFound", missing.Errors.Single().Category);
        }

        [NetnsFact]
        public void ABaselineObjectOrJsonTextWorksLikeAFileAndRowsSurviveRemotingSerialization()
        {
            var shell = _fx.Fresh();
            var json = "{ \"hostFirewall\": { \"extraRules\": [ { \"displayName\": \"Mgmt SSH\", \"direction\": \"Inbound\", \"protocol\": \"TCP\", \"localPort\": 22 } ] } }";
            var fromText = shell.Invoke("Test-AgentBaseline -Baseline '" + json + "' | ForEach-Object State");
            var fromObject = shell.Invoke("Test-AgentBaseline -Baseline ('" + json + "' | ConvertFrom-Json) | ForEach-Object State");
            var fromTable = shell.Invoke("Test-AgentBaseline -Baseline @{ HostFirewall = @{ ExtraRules = @{ DisplayName = 'Mgmt SSH'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = 22 } } } | ForEach-Object State");
            Assert.Equal("Drifted", fromText.Output.Single().ToString());
            Assert.Equal("Drifted", fromObject.Output.Single().ToString());
            Assert.Equal("Drifted", fromTable.Output.Single().ToString());

            var remote = shell.Invoke("Test-AgentBaseline -Baseline '" + json + "' | ForEach-Object { $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml } | Format-Table | Out-String -Width 200");
            Assert.False(remote.Failed, remote.Describe());
            var text = string.Join("\n", remote.Output.Select(o => o.ToString()));
            Assert.Contains("Expected", text);
            Assert.Contains("Mgmt SSH", text);
            Assert.Contains("Drifted", text);
        }
    }
}
