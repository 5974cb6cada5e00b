using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The firewall cmdlets on real nftables, inside a private network namespace: what they do is
    /// checked independently by reading the namespace's ruleset with nft.
    /// </summary>
    public class FirewallTests : IClassFixture<FirewallNamespaceFixture>
    {
        private const string SesHandlerInbound = "Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler -Direction Inbound";
        private readonly FirewallNamespaceFixture _fx;

        public FirewallTests(FirewallNamespaceFixture fixture)
        {
            _fx = fixture;
        }

        private NetworkNamespace Ns => _fx.Namespace;

        [NetnsFact]
        public void TheCatalogPipelineOpensExactlyTheDocumentedPortsInOneTableOfItsOwn()
        {
            var shell = _fx.Fresh();
            Ns.Nft("add table inet other\nadd chain inet other c { type filter hook input priority 10; }\nadd rule inet other c tcp dport 22 accept\n");
            var other = Ns.Exec("nft list table inet other", check: true).Output;

            var r = shell.Invoke(SesHandlerInbound + " | New-FirewallPortRule -PassThru");
            Assert.False(r.Failed, r.Describe());
            Assert.Equal(2, r.Output.Count);

            var rules = NftRules();
            Assert.Equal(2, rules.Count);
            Assert.All(rules, x => Assert.Equal("input", (string)x["chain"]));
            Assert.Equal(new[] { 443, 17000 }, rules.Select(x => DestinationPort(x)).OrderBy(p => p));
            Assert.All(rules, x => Assert.NotNull(x["expr"].FirstOrDefault(e => e["accept"] != null)));
            Assert.Equal(other, Ns.Exec("nft list table inet other", check: true).Output);

            var got = shell.Invoke("Get-FirewallPortRule | ForEach-Object { $_.Name + '|' + $_.Direction + '|' + $_.Protocol + '|' + ($_.LocalPort -join ',') + '|' + $_.Version + '|' + $_.Backend }");
            Assert.Equal(
                new[] { "EA-SesEvolution-2.7.1-AgentHandler-In-TCP-17000|Inbound|TCP|17000|2.7.1|Nftables", "EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443|Inbound|TCP|443|2.7.1|Nftables" },
                got.Output.Select(o => o.ToString()));
        }

        [NetnsFact]
        public void ReRunningTheSameCommandChangesNothingAndSaysSo()
        {
            var shell = _fx.Fresh();
            var command = SesHandlerInbound + " | New-FirewallPortRule -Verbose";
            Assert.False(shell.Invoke(command).Failed);
            var before = Ns.Ruleset();
            var again = shell.Invoke(command);
            Assert.False(again.Failed, again.Describe());
            Assert.Equal(before, Ns.Ruleset());
            Assert.Contains(again.Information, i => i.Contains("0 rule(s) created, 2 already present"));
            Assert.Equal(2, again.Verbose.Count(v => v.StartsWith("Unchanged", StringComparison.Ordinal)));
        }

        [NetnsFact]
        public void WhatIfChangesNothingAndSaysWhatItWouldDo()
        {
            var shell = _fx.Fresh();
            var before = Ns.Ruleset();
            var r = shell.InvokeRendered(SesHandlerInbound + " | New-FirewallPortRule -WhatIf");
            Assert.False(r.Failed, r.Describe());
            Assert.Equal(before, Ns.Ruleset());
            Assert.Contains("What if: Performing the operation \"Create firewall rule\" on target \"EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443 (Inbound TCP local port 443 Allow)\"", r.HostText);

            Assert.False(shell.Invoke(SesHandlerInbound + " | New-FirewallPortRule").Failed);
            var populated = Ns.Ruleset();
            var remove = shell.InvokeRendered("Get-FirewallPortRule | Remove-FirewallPortRule -WhatIf");
            Assert.False(remove.Failed, remove.Describe());
            Assert.Equal(populated, Ns.Ruleset());
            Assert.Contains("Remove firewall rule", remove.HostText);
        }

        public static IEnumerable<object[]> BadInputs() => new[]
        {
            new object[] { "-LocalPort 0", "FirewallPortInvalid", "0" },
            new object[] { "-LocalPort 65536", "FirewallPortInvalid", "65536" },
            new object[] { "-LocalPort 70-60", "FirewallPortInvalid", "70-60" },
            new object[] { "-LocalPort abc", "FirewallPortInvalid", "abc" },
            new object[] { "-LocalPort ''", "FirewallPortInvalid", "" },
            new object[] { "-LocalPort 443 -RemoteAddress 300.1.1.1", "FirewallAddressInvalid", "300.1.1.1" },
            new object[] { "-LocalPort 443 -RemoteAddress ::g", "FirewallAddressInvalid", "::g" },
            new object[] { "-LocalPort 443 -RemoteAddress 10.0.0.0/33", "FirewallAddressInvalid", "10.0.0.0/33" },
            new object[] { "-LocalPort 443 -RemoteAddress fe80::/129", "FirewallAddressInvalid", "fe80::/129" },
            new object[] { "-LocalPort 443 -RemoteMacAddress zz:11:22:33:44:55", "FirewallMacAddressInvalid", "zz:11:22:33:44:55" },
        };

        [NetnsTheory]
        [MemberData(nameof(BadInputs))]
        public void BadInputIsAClearErrorAndChangesNothing(string arguments, string errorId, string target)
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName 'keep me' -Direction Inbound -Protocol TCP -LocalPort 8080").Failed);
            var before = Ns.Ruleset();
            var r = shell.Invoke("New-FirewallPortRule -DisplayName 'bad' -Direction Inbound -Protocol TCP " + arguments);
            AssertSingleError(r, errorId, "NewFirewallPortRuleCommand", "InvalidArgument", target);
            Assert.Equal(before, Ns.Ruleset());
        }

        [NetnsFact]
        public void AnEmptyDisplayNameAnOutboundMacFilterAndAMissingDirectionAreRejected()
        {
            var shell = _fx.Fresh();
            var before = Ns.Ruleset();
            AssertSingleError(shell.Invoke("New-FirewallPortRule -DisplayName '' -Direction Inbound -Protocol TCP -LocalPort 443"), "FirewallDisplayNameEmpty", "NewFirewallPortRuleCommand", "InvalidArgument", string.Empty);
            AssertSingleError(shell.Invoke("New-FirewallPortRule -DisplayName 'mac out' -Direction Outbound -Protocol TCP -RemotePort 443 -RemoteMacAddress aa:bb:cc:dd:ee:ff"), "FirewallMacAddressNotSupported", "NewFirewallPortRuleCommand", "InvalidArgument", "mac out");
            AssertSingleError(shell.Invoke("New-FirewallPortRule -DisplayName 'no direction' -Protocol TCP -LocalPort 443"), "FirewallRuleIncomplete", "NewFirewallPortRuleCommand", "InvalidArgument", "no direction");
            Assert.Equal(before, Ns.Ruleset());
        }

        [NetnsFact]
        public void ANameThatExistsWithOtherSettingsIsAConflictAndNothingOfTheBatchIsApplied()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("New-FirewallPortRule -Name web -DisplayName 'Web' -Direction Inbound -Protocol TCP -LocalPort 443").Failed);
            var before = Ns.Ruleset();
            var r = shell.Invoke(
                "@([pscustomobject]@{ DisplayName = 'fresh'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '9000' }," +
                " [pscustomobject]@{ Name = 'web'; DisplayName = 'Web'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '8443' }) | New-FirewallPortRule");
            var error = AssertSingleError(r, "FirewallRuleConflict", "NewFirewallPortRuleCommand", "ResourceExists", "web");
            Assert.Contains("LocalPort: wanted 8443, found 443", error.Message);
            Assert.Contains(r.Warnings, w => w.Contains("No rule was created"));
            Assert.Equal(before, Ns.Ruleset());
        }

        [NetnsFact]
        public void OneInvalidRuleInAPipelineMeansNoneOfItsRulesIsCreated()
        {
            var shell = _fx.Fresh();
            var before = Ns.Ruleset();
            var r = shell.Invoke(
                "@([pscustomobject]@{ DisplayName = 'a'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '9001' }," +
                " [pscustomobject]@{ DisplayName = 'b'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '99999' }," +
                " [pscustomobject]@{ DisplayName = 'c'; Direction = 'Inbound'; Protocol = 'UDP'; LocalPort = '9003' }) | New-FirewallPortRule");
            AssertSingleError(r, "FirewallPortInvalid", "NewFirewallPortRuleCommand", "InvalidArgument", "99999");
            Assert.Equal(before, Ns.Ruleset());
        }

        [NetnsFact]
        public void EveryShapeOfRuleReadsBackAsWritten()
        {
            var shell = _fx.Fresh();
            var longName = "SES Evolution back end: " + new string('x', 200) + " [public API] * ? 'quoted' \"double\" é";
            var r = shell.Invoke(
                "New-FirewallPortRule -Name 'web[1]*' -DisplayName $('" + longName.Replace("'", "''") + "') -Direction Inbound -Protocol TCP -LocalPort 443,13000-13010,13005 -RemotePort 1024-65535 " +
                "-RemoteAddress 10.0.0.0/8,10.1.0.0/16,192.168.1.1-192.168.1.20,fe80::/10,2001:db8::1 -RemoteMacAddress AA-BB-CC-DD-EE-FF,00:11:22:33:44:55 -Action Block -Group 'Ops' -PassThru;" +
                "New-FirewallPortRule -DisplayName 'off' -Direction Outbound -Protocol UDP -RemotePort 514 -Enabled $false -PassThru");
            Assert.False(r.Failed, r.Describe());
            var got = shell.Invoke("Get-FirewallPortRule -Name 'web[1]*'");
            Assert.False(got.Failed, got.Describe());
            var rule = Assert.Single(got.Output);
            Assert.Equal(longName, Text(rule, "DisplayName"));
            Assert.Equal("Ops", Text(rule, "Group"));
            Assert.Equal(new[] { "443", "13000-13010" }, Strings(rule, "LocalPort"));
            Assert.Equal(new[] { "1024-65535" }, Strings(rule, "RemotePort"));
            Assert.Equal(new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.20", "2001:db8::1", "fe80::/10" }, Strings(rule, "RemoteAddress"));
            Assert.Equal(new[] { "00:11:22:33:44:55", "aa:bb:cc:dd:ee:ff" }, Strings(rule, "RemoteMacAddress"));
            Assert.Equal("Block", Text(rule, "Action"));

            // Two nftables rules (IPv4 and IPv6), both dropping; the disabled rule has no verdict at all.
            var input = NftRules().Where(x => (string)x["chain"] == "input").ToList();
            Assert.Equal(2, input.Count);
            Assert.All(input, x => Assert.NotNull(x["expr"].FirstOrDefault(e => e["drop"] != null)));
            var output = Assert.Single(NftRules(), x => (string)x["chain"] == "output");
            Assert.DoesNotContain(output["expr"], e => e["accept"] != null || e["drop"] != null);
            var off = Assert.Single(shell.Invoke("Get-FirewallPortRule -DisplayName 'of?'").Output);
            Assert.Equal("False", Text(off, "Enabled"));

            // Literal names: the brackets and star of 'web[1]*' are not wildcards.
            AssertSingleError(shell.Invoke("Get-FirewallPortRule -Name 'web1x'"), "FirewallRuleNotFound", "GetFirewallPortRuleCommand", "ObjectNotFound", "web1x");
            Assert.Single(shell.Invoke("Get-FirewallPortRule -Group 'O*'").Output);
            Assert.Empty(shell.Invoke("Get-FirewallPortRule -DisplayName 'nothing*'").Output);
        }

        [NetnsFact]
        public void TestFirewallPortRuleReportsWhatDiffersAndQuietGivesOneBoolean()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("New-FirewallPortRule -Name ksc -DisplayName 'KSC' -Direction Inbound -Protocol TCP -LocalPort 13000 -RemoteAddress 10.0.0.0/8").Failed);
            var same = shell.Invoke("Test-FirewallPortRule -Name ksc -DisplayName 'KSC' -Direction Inbound -Protocol TCP -LocalPort 13000 -RemoteAddress 10.0.0.0/8");
            var result = Assert.Single(same.Output);
            Assert.Equal("True", Text(result, "InDesiredState"));
            Assert.Equal("Present", Text(result, "State"));

            var other = Assert.Single(shell.Invoke("Test-FirewallPortRule -Name ksc -DisplayName 'KSC' -Direction Inbound -Protocol TCP -LocalPort 13001 -RemoteAddress 10.0.0.0/8").Output);
            Assert.Equal("Different", Text(other, "State"));
            Assert.Equal(new[] { "LocalPort: wanted 13001, found 13000" }, Strings(other, "Differences"));

            var quiet = shell.Invoke(SesHandlerInbound + " | Test-FirewallPortRule -Quiet");
            Assert.Equal(new object[] { false }, quiet.Output.Select(o => o.BaseObject));
            Assert.False(shell.Invoke(SesHandlerInbound + " | New-FirewallPortRule").Failed);
            Assert.Equal(new object[] { true }, shell.Invoke(SesHandlerInbound + " | Test-FirewallPortRule -Quiet").Output.Select(o => o.BaseObject));

            // A rule read back from the firewall, through a CliXml round trip (remoting), tests as present.
            var roundTrip = shell.Invoke("Get-FirewallPortRule -Name ksc | ForEach-Object { $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml } | Test-FirewallPortRule -Quiet");
            Assert.Equal(new object[] { true }, roundTrip.Output.Select(o => o.BaseObject));
        }

        [NetnsFact]
        public void RemoveTakesNamesAndPipedRulesAndReportsUnknownNames()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke(SesHandlerInbound + " | New-FirewallPortRule; New-FirewallPortRule -DisplayName keep -Direction Inbound -Protocol TCP -LocalPort 22").Failed);
            var r = shell.Invoke("Get-FirewallPortRule -DisplayName 'SesEvolution*' | Remove-FirewallPortRule -Confirm:$false -PassThru; Remove-FirewallPortRule -Name nope -Confirm:$false");
            Assert.Equal(2, r.Output.Count);
            var error = Assert.Single(r.Errors);
            Assert.Equal("FirewallRuleNotFound,EndpointAdmin.Commands.RemoveFirewallPortRuleCommand", error.Id);
            Assert.Equal(new[] { "keep" }, shell.Invoke("Get-FirewallPortRule").Output.Select(o => Text(o, "Name")));
            Assert.Single(NftRules());
        }

        [NetnsFact]
        public void ATableChangedBySomeoneElseIsReportedAndLeftAlone()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName web -Direction Inbound -Protocol TCP -LocalPort 443").Failed);
            Ns.Exec("nft add rule inet endpointadmin input tcp dport 23 accept", check: true);
            var before = Ns.Ruleset();
            // A statement-terminating error: in a script it lands in the error stream and stops that command.
            var r = shell.Invoke("New-FirewallPortRule -DisplayName ssh -Direction Inbound -Protocol TCP -LocalPort 22");
            var error = Assert.Single(r.Errors);
            Assert.Equal("FirewallTableModified,EndpointAdmin.Commands.NewFirewallPortRuleCommand", error.Id);
            Assert.Equal("InvalidData", error.Category);
            Assert.Contains("handle", error.Message);
            var stopped = shell.Invoke("try { New-FirewallPortRule -DisplayName ssh -Direction Inbound -Protocol TCP -LocalPort 22 -ErrorAction Stop; 'went on' } catch { 'stopped' }");
            Assert.Equal(new[] { "stopped" }, stopped.Output.Select(o => o.ToString()));
            Assert.Equal(before, Ns.Ruleset());
        }

        [NetnsFact]
        public void TheSesMigrationKeepsBothVersionsUntilCompletedThenOnlyTheNewOne()
        {
            var shell = _fx.Fresh();
            var early = shell.Invoke("Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false");
            var notStarted = Assert.Single(early.Errors);
            Assert.Equal("FirewallMigrationNotStarted,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand", notStarted.Id);
            Assert.Equal("InvalidOperation", notStarted.Category);

            Assert.False(shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler | New-FirewallPortRule").Failed);
            var oldNames = Names(shell);
            Assert.Equal(5, oldNames.Length);
            Assert.All(oldNames, n => Assert.StartsWith("EA-SesEvolution-2.6-", n));

            var start = shell.Invoke("Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SeparateMachines");
            Assert.False(start.Failed, start.Describe());
            var status = Assert.Single(start.Output);
            Assert.Equal("InProgress", Text(status, "State"));
            Assert.Equal(new[] { "2.6", "2.7.1" }, Strings(status, "VersionsPresent"));
            var both = Names(shell);
            Assert.Equal(11, both.Length);
            Assert.Equal(5, both.Count(n => n.StartsWith("EA-SesEvolution-2.6-", StringComparison.Ordinal)));
            Assert.Equal(6, both.Count(n => n.StartsWith("EA-SesEvolution-2.7.1-", StringComparison.Ordinal)));
            Assert.Contains("EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443", both);

            var before = Ns.Ruleset();
            var refused = shell.Invoke("Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false");
            var pending = Assert.Single(refused.Errors);
            Assert.Equal("FirewallMigrationComponentNotMigrated,EndpointAdmin.Commands.CompleteFirewallPortMigrationCommand", pending.Id);
            Assert.Equal("AgentHandler", pending.Target?.ToString());
            Assert.Equal(before, Ns.Ruleset());

            Assert.False(shell.Invoke("Set-FirewallPortMigration -Product SesEvolution -Component AgentHandler -Migrated $true -Confirm:$false").Failed);
            Assert.Equal("ReadyToComplete", Text(Assert.Single(shell.Invoke("Get-FirewallPortMigration").Output), "State"));
            var done = shell.Invoke("Complete-FirewallPortMigration -Product SesEvolution -Confirm:$false -PassThru");
            Assert.False(done.Failed, done.Describe());
            Assert.Equal(5, done.Output.Count);
            var after = Names(shell);
            Assert.Equal(6, after.Length);
            Assert.All(after, n => Assert.StartsWith("EA-SesEvolution-2.7.1-", n));
            var final = Assert.Single(shell.Invoke("Get-FirewallPortMigration").Output);
            Assert.Equal("None", Text(final, "State"));
            Assert.Equal(new[] { "2.7.1" }, Strings(final, "VersionsPresent"));
        }

        [NetnsFact]
        public void StartRefusesAnAmbiguousTopologyAndForceCompletesAnUnmarkedMigration()
        {
            var shell = _fx.Fresh();
            Assert.False(shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component AgentHandler | New-FirewallPortRule").Failed);
            var before = Ns.Ruleset();
            var ambiguous = shell.Invoke("Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1");
            Assert.Equal("FirewallMigrationTopologyRequired,EndpointAdmin.Commands.StartFirewallPortMigrationCommand", Assert.Single(ambiguous.Errors).Id);
            Assert.Equal(before, Ns.Ruleset());

            Assert.False(shell.Invoke("Start-FirewallPortMigration -Product SesEvolution -FromVersion 2.6 -ToVersion 2.7.1 -Topology SameMachine").Failed);
            Assert.Contains("EA-SesEvolution-2.7.1-AgentHandler-Out-TCP-8443", Names(shell));
            var forced = shell.Invoke("Complete-FirewallPortMigration -Product SesEvolution -Force -Confirm:$false");
            Assert.False(forced.Failed, forced.Describe());
            Assert.All(Names(shell), n => Assert.StartsWith("EA-SesEvolution-2.7.1-", n));
        }

        [NetnsFact]
        public void CsvRowsArraysAndDeserializedCatalogRowsAllMakeRulesAndCommandLineValuesWin()
        {
            var shell = _fx.Fresh();
            var csv = shell.Invoke(
                // What Import-Csv gives: every value a string, several ports in one cell.
                "$rows = [pscustomobject]@{ DisplayName = 'csv web'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '80,8080'; Action = 'Block' }; " +
                "$rows | New-FirewallPortRule -Group Imported -PassThru");
            Assert.False(csv.Failed, csv.Describe());
            var rule = Assert.Single(csv.Output);
            Assert.Equal(new[] { "80", "8080" }, Strings(rule, "LocalPort"));
            Assert.Equal("Block", Text(rule, "Action"));
            Assert.Equal("Imported", Text(rule, "Group"));

            var remote = shell.Invoke(
                "$x = " + SesHandlerInbound + " | ForEach-Object { $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml }; " +
                "New-FirewallPortRule -InputObject $x -RemoteAddress 10.8.0.0/16 -PassThru");
            Assert.False(remote.Failed, remote.Describe());
            Assert.Equal(2, remote.Output.Count);
            Assert.All(remote.Output, o => Assert.Equal(new[] { "10.8.0.0/16" }, Strings(o, "RemoteAddress")));
            Assert.All(remote.Output, o => Assert.Equal("2.7.1", Text(o, "Version")));

            var bad = shell.Invoke("[pscustomobject]@{ DisplayName = 'sideways'; Direction = 'Sideways'; Protocol = 'TCP'; LocalPort = '1' } | New-FirewallPortRule");
            AssertSingleError(bad, "FirewallRuleIncomplete", "NewFirewallPortRuleCommand", "InvalidArgument", "Sideways");
        }

        [NetnsFact]
        public void QuietIsFalseWhenNothingWasTestedAndCommandLineDirectionFillsPipedObjects()
        {
            var shell = _fx.Fresh();
            var nothing = shell.Invoke("Get-AgentPortRequirement -Product SesEvolution -Version 9.9 -ErrorAction SilentlyContinue | Test-FirewallPortRule -Quiet");
            Assert.Equal(new object[] { false }, nothing.Output.Select(o => o.BaseObject));
            var rejected = shell.Invoke("[pscustomobject]@{ DisplayName = 'x'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '0' } | Test-FirewallPortRule -Quiet");
            Assert.Equal(new object[] { false }, rejected.Output.Select(o => o.BaseObject));
            Assert.Equal("FirewallPortInvalid,EndpointAdmin.Commands.TestFirewallPortRuleCommand", Assert.Single(rejected.Errors).Id);

            var filled = shell.Invoke("[pscustomobject]@{ DisplayName = 'no direction'; LocalPort = '7000' } | New-FirewallPortRule -Direction Inbound -Protocol UDP -PassThru");
            Assert.False(filled.Failed, filled.Describe());
            Assert.Equal("UDP", Text(Assert.Single(filled.Output), "Protocol"));

            var group = shell.Invoke("Get-FirewallPortRule -Group 'No such group'");
            var error = Assert.Single(group.Errors);
            Assert.Equal("FirewallRuleNotFound,EndpointAdmin.Commands.GetFirewallPortRuleCommand", error.Id);
            Assert.Contains("is in the group", error.Message);
        }

        [NetnsFact]
        public void ABlockRuleStopsRealTrafficAndRemovingItLetsItThrough()
        {
            using (var client = NetworkNamespace.Create("cl"))
            {
                var shell = _fx.Fresh();
                var tag = (Environment.ProcessId % 1000).ToString();
                NetworkNamespace.Link(Ns, client, "10.231." + (Environment.ProcessId % 200), tag);
                var server = "10.231." + (Environment.ProcessId % 200) + ".1";
                try
                {
                    var listen = shell.Invoke("$global:listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Any, 18443); $global:listener.Start(64)");
                    Assert.False(listen.Failed, listen.Describe());
                    Assert.True(Connects(client, server, 18443), "the listener is reachable before any rule");

                    Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName 'block test' -Direction Inbound -Protocol TCP -LocalPort 18443 -RemoteAddress 10.231.0.0/16 -Action Block").Failed);
                    Assert.False(Connects(client, server, 18443), "the Block rule drops the connection");

                    Assert.False(shell.Invoke("New-FirewallPortRule -DisplayName 'allow test' -Direction Inbound -Protocol TCP -LocalPort 18443 -Action Allow").Failed);
                    Assert.False(Connects(client, server, 18443), "a Block rule wins over an Allow rule");

                    Assert.False(shell.Invoke("Remove-FirewallPortRule -Name 'block test' -Confirm:$false").Failed);
                    Assert.True(Connects(client, server, 18443), "removing the Block rule lets the connection through");
                }
                finally
                {
                    shell.Invoke("$global:listener.Stop()");
                }
            }
        }

        private static bool Connects(NetworkNamespace from, string address, int port)
        {
            var r = from.Exec("timeout 2 bash -c \"exec 3<>/dev/tcp/" + address + "/" + port + "\"");
            return r.ExitCode == 0;
        }

        private static string[] Names(NamespacedShell shell)
        {
            var r = shell.Invoke("Get-FirewallPortRule");
            Assert.False(r.Failed, r.Describe());
            return r.Output.Select(o => Text(o, "Name")).ToArray();
        }

        private List<JObject> NftRules()
        {
            var json = JObject.Parse(Ns.Exec("nft -j list table inet endpointadmin", check: true).Output);
            return json["nftables"].Select(i => i["rule"] as JObject).Where(r => r != null && (string)r["chain"] != "records").ToList();
        }

        private static int DestinationPort(JObject rule)
        {
            var match = rule["expr"].First(e => (string)e["match"]?["left"]?["payload"]?["field"] == "dport");
            return (int)match["match"]["right"];
        }

        private static string[] Strings(PSObject o, string name)
        {
            var value = Prop(o, name);
            var inner = (value as PSObject)?.BaseObject ?? value;
            return inner is System.Collections.IEnumerable e && !(inner is string) ? e.Cast<object>().Select(x => x.ToString()).ToArray() : new[] { inner?.ToString() };
        }

        private static RemoteError AssertSingleError(RemoteResult r, string errorId, string commandClass, string category, string target)
        {
            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.Equal(errorId + "," + CommandNamespace + commandClass, error.Id);
            Assert.Equal(category, error.Category);
            Assert.Equal(target, error.Target?.ToString());
            return error;
        }
    }
}
