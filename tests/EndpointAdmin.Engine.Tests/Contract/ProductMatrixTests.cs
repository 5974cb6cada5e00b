using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using EndpointAdmin.Host;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The cmdlet-by-product table of about_EndpointAdmin_Products, cell by cell. Manager columns are
    /// compared with what each registered provider declares and every cell is run against that
    /// product's simulator: a Yes cell must not be refused, a No cell must be the one clear
    /// NotSupported error. A product whose provider is not registered yet must be Pending throughout;
    /// once it is registered, its column is checked like the others (and needs a simulator here).
    /// </summary>
    public class ProductMatrixTests : IClassFixture<DeepSecurityFixture>, IClassFixture<ApexCentralFixture>, IClassFixture<KasperskyFixture>, IClassFixture<EngineFixture>
    {
        /// <summary>Manager rows: the capability each asks for (null: the session itself) and a harmless invocation.</summary>
        private static readonly Dictionary<string, (string Capability, string Script)> ManagerRows = new Dictionary<string, (string, string)>
        {
            ["Connect-AgentManager"] = (null, null),
            ["Disconnect-AgentManager"] = (null, null),
            ["Get-Agent"] = ("ListAgents", "Get-Agent -Name 'zz-no-such*'"),
            ["Test-AgentHeartbeat"] = ("EvaluateHeartbeat", "Test-AgentHeartbeat -Name 'zz-no-such*'"),
            ["Get-AgentHeartbeatPolicy"] = ("ReadHeartbeatPolicy", "Get-AgentHeartbeatPolicy -BasePolicy"),
            ["Set-AgentHeartbeatPolicy"] = ("WriteHeartbeatPolicy", "Set-AgentHeartbeatPolicy -BasePolicy -IntervalMinutes 10 -WhatIf"),
            ["Set-AgentCommunicationDirection"] = ("SetCommunicationDirection", "Set-AgentCommunicationDirection -Direction Bidirectional -PolicyId 1 -WhatIf"),
            ["New-AgentHeartbeatFirewallRule"] = ("CreateHeartbeatFirewallRule", "New-AgentHeartbeatFirewallRule -PolicyId 1 -SourceIPAddress 10.0.0.1 -WhatIf"),
            ["Invoke-AgentSync"] = ("SyncAgent", "Invoke-AgentSync -Id 1 -WhatIf"),
            ["Set-AgentProxy -ProxyId"] = ("SetProxyById", "Set-AgentProxy -Purpose AgentUpdate -ProxyId 1 -WhatIf"),
            ["Set-AgentProxy -ProxyUri"] = ("SetProxyByAddress", "Set-AgentProxy -Purpose AgentUpdate -ProxyUri http://proxy.example.com:8080 -WhatIf"),
            ["Set-AgentProxy -Purpose AgentServer"] = ("SetAgentServerProxy", "Set-AgentProxy -Purpose AgentServer -NoProxy -WhatIf"),
            ["Set-AgentServerCommunication"] = ("SetServerCommunication", "Set-AgentServerCommunication -ListeningPort 4343 -WhatIf"),
            ["Set-AgentFirewallSetting"] = ("SetFirewallSettings", "Set-AgentFirewallSetting -EnableFirewall $true -WhatIf"),
            ["Set-AgentContinuousConnection"] = ("SetContinuousConnection", "Set-AgentContinuousConnection -Name 'zz-no-such*' -Enabled $true -WhatIf"),
        };

        /// <summary>
        /// Baseline rows: manager columns follow the Baseline capability and are run with a read-only
        /// export; product and firewall columns are the host firewall part, backed like the firewall rows.
        /// </summary>
        private static readonly string[] BaselineRows = { "Test-AgentBaseline", "Set-AgentBaseline", "Export-AgentBaseline" };

        /// <summary>Catalog products behind the product columns (the catalog knows Apex One; the manager is Apex Central).</summary>
        private static readonly Dictionary<string, string> CatalogProduct = new Dictionary<string, string>
        {
            ["ApexCentral"] = "ApexOne",
            ["DeepSecurity"] = "DeepSecurity",
            ["KasperskySecurityCenter"] = "KasperskySecurityCenter",
            ["SesEvolution"] = "SesEvolution",
        };

        private static readonly string[] FirewallColumns = { "Nftables", "WindowsFirewall" };

        private readonly Dictionary<string, Func<string, PowerShellResult>> _sessions;
        private readonly Dictionary<string, Func<InProcessPowerShell, PowerShellResult>> _connect;
        private readonly EngineFixture _engine;

        public ProductMatrixTests(DeepSecurityFixture ds, ApexCentralFixture apex, KasperskyFixture ksc, EngineFixture engine)
        {
            ds.Reset();
            apex.Reset();
            ksc.Reset();
            _engine = engine;
            _sessions = new Dictionary<string, Func<string, PowerShellResult>>
            {
                ["DeepSecurity"] = script => ds.Run(script),
                ["ApexCentral"] = script => apex.Run(script),
                ["KasperskySecurityCenter"] = script => ksc.Run(script),
            };
            _connect = new Dictionary<string, Func<InProcessPowerShell, PowerShellResult>>
            {
                ["DeepSecurity"] = shell => shell.Invoke(DeepSecurityFixture.ConnectScript + "-PassThru", ds.Simulator.Uri, DeepSecurityFixture.Key(ds.Simulator.ApiKey), ds.Simulator.Thumbprint),
                ["ApexCentral"] = shell => apex.Connect(shell, "-PassThru"),
                ["KasperskySecurityCenter"] = shell => shell.Invoke(KasperskyFixture.ConnectScript + "-PassThru", ksc.Simulator.Uri, ksc.Credential, ksc.Simulator.Thumbprint),
            };
        }

        private static string RepositoryFile(params string[] parts) => Path.Combine(new[] { InProcessPowerShell.RepositoryRoot }.Concat(parts).ToArray());

        /// <summary>The table: row key → column → cell.</summary>
        private static (string[] Columns, Dictionary<string, Dictionary<string, string>> Rows) Table(string path)
        {
            var lines = File.ReadAllLines(path);
            var header = lines.First(l => l.StartsWith("| Cmdlet | ApexCentral |", StringComparison.Ordinal));
            var columns = header.Split('|').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
            var rows = new Dictionary<string, Dictionary<string, string>>();
            var start = Array.IndexOf(lines, header) + 2;
            for (var i = start; i < lines.Length && lines[i].StartsWith("| ", StringComparison.Ordinal); i++)
            {
                var cells = lines[i].Split('|').Select(c => c.Trim()).ToArray();
                cells = cells.Skip(1).Take(cells.Length - 2).ToArray();
                Assert.Equal(columns.Length, cells.Length);
                rows.Add(cells[0], columns.Skip(1).Select((c, k) => (c, cells[k + 1])).ToDictionary(p => p.c, p => p.Item2));
            }

            return (columns, rows);
        }

        private static string Verdict(string cell)
        {
            var verdict = cell.Split(new[] { " — " }, 2, StringSplitOptions.None)[0];
            Assert.True(new[] { "Yes", "No", "Pending", "n/a" }.Contains(verdict), "cell '" + cell + "' starts with neither Yes, No, Pending nor n/a");
            Assert.True(verdict == "n/a" || cell.Length > verdict.Length + 5, "cell '" + cell + "' says how or why");
            return verdict;
        }

        /// <summary>The core assembly the engine loaded with the module (the tests do not reference the module's assemblies).</summary>
        private Assembly Core => _engine.ModuleAssembly.GetType("EndpointAdmin.Commands.ManagerCmdlet", true).GetProperty("Session").PropertyType.Assembly;

        private string[] CoreEnum(string name) => Enum.GetNames(Core.GetType(name, true));

        /// <summary>Registered providers by product, with what each declares, read from the loaded core assembly.</summary>
        private Dictionary<string, string[]> Providers()
        {
            var core = Core;
            var contract = core.GetType("EndpointAdmin.Managers.IAgentManagerProvider", true);
            var result = new Dictionary<string, string[]>();
            foreach (var type in core.GetTypes().Where(t => !t.IsAbstract && contract.IsAssignableFrom(t)))
            {
                var provider = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
                var product = contract.GetProperty("Product").GetValue(provider).ToString();
                var capabilities = ((IEnumerable)contract.GetProperty("Capabilities").GetValue(provider)).Cast<object>().Select(c => c.ToString()).ToArray();
                result[product] = capabilities;
            }

            return result;
        }

        [Fact]
        public void EveryExportedCmdletAndEveryProductHasItsRowAndColumn()
        {
            var (columns, rows) = Table(RepositoryFile("docs", "en-US", "about_EndpointAdmin_Products.md"));
            var cmdlets = rows.Keys.Select(k => k.Split(' ')[0]).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
            var exported = EngineFixture.Strings(EngineFixture.ReadManifest(RepositoryFile("EndpointAdmin.psd1"))["CmdletsToExport"]).OrderBy(k => k, StringComparer.Ordinal).ToArray();
            Assert.Equal(exported, cmdlets);
            foreach (var product in CoreEnum("EndpointAdmin.ManagerProduct").Concat(new[] { "SesEvolution" }).Concat(FirewallColumns))
            {
                Assert.Contains(product, columns);
            }

            Assert.Equal(ManagerRows.Keys.OrderBy(k => k), rows.Keys.Where(k => ManagerRows.ContainsKey(k)).OrderBy(k => k));
        }

        [Fact]
        public void ManagerCellsAreWhatTheProvidersDeclareAndRunThatWay()
        {
            var (_, rows) = Table(RepositoryFile("docs", "en-US", "about_EndpointAdmin_Products.md"));
            var providers = Providers();
            Assert.Contains("DeepSecurity", providers.Keys);
            Assert.Contains("ApexCentral", providers.Keys);
            Assert.Contains("KasperskySecurityCenter", providers.Keys);
            var checkedCells = 0;
            foreach (var product in CoreEnum("EndpointAdmin.ManagerProduct"))
            {
                foreach (var (key, (capability, script)) in ManagerRows)
                {
                    var verdict = Verdict(rows[key][product]);
                    if (!providers.TryGetValue(product, out var declared))
                    {
                        Assert.True(verdict == "Pending", product + " has no provider yet, so '" + key + "' must be Pending, not " + verdict);
                        continue;
                    }

                    Assert.True(_sessions.ContainsKey(product), product + " has a provider: connect its simulator in ProductMatrixTests to check its column");
                    var expected = capability == null || declared.Contains(capability) ? "Yes" : "No";
                    Assert.True(expected == verdict, product + " / " + key + ": the table says " + verdict + ", the provider declares " + expected);
                    if (script == null)
                    {
                        continue;
                    }

                    var result = _sessions[product](script);
                    var refusals = result.Errors.Concat(result.TerminatingError == null ? Enumerable.Empty<ErrorRecord>() : new[] { result.TerminatingError })
                        .Where(e => e.FullyQualifiedErrorId.StartsWith("ManagerOperationNotSupported,", StringComparison.Ordinal)).ToList();
                    if (verdict == "Yes")
                    {
                        Assert.True(refusals.Count == 0, product + " / " + key + " is documented as supported but was refused: " + result.Describe());
                    }
                    else
                    {
                        var refusal = Assert.Single(refusals);
                        Assert.Equal(ErrorCategory.NotImplemented, refusal.CategoryInfo.Category);
                        Assert.Equal(capability, refusal.TargetObject);
                        Assert.Contains(product, refusal.Exception.Message);
                        Assert.Empty(result.Output);
                    }

                    checkedCells++;
                }
            }

            foreach (var product in providers.Keys)
            {
                var verdicts = BaselineRows.Select(key => Verdict(rows[key][product])).Distinct().ToList();
                var expected = providers[product].Contains("Baseline") ? "Yes" : "No";
                Assert.True(verdicts.Count == 1 && verdicts[0] == expected, product + ": the baseline rows say " + string.Join("/", verdicts) + ", the provider declares " + expected);
                var export = _sessions[product]("Export-AgentBaseline");
                var refused = export.Errors.Any(e => e.FullyQualifiedErrorId.StartsWith("ManagerOperationNotSupported,", StringComparison.Ordinal));
                Assert.True(refused == (expected == "No"), product + " / Export-AgentBaseline: " + export.Describe());
                checkedCells++;
            }

            Assert.True(checkedCells >= 42, checkedCells + " cells run");
        }

        [Fact]
        public void SessionsOpenAndCloseForEveryRegisteredProvider()
        {
            foreach (var product in Providers().Keys)
            {
                Assert.True(_connect.ContainsKey(product), product + " has a provider: connect its simulator in ProductMatrixTests");
                using var shell = new InProcessPowerShell();
                var session = Assert.Single(Succeeded(_connect[product](shell)));
                Assert.Equal(product, Text(session, "Product"));
                Succeeded(shell.Invoke("Disconnect-AgentManager"));
                Assert.False((bool)Prop(session, "IsOpen"));
                var after = shell.Invoke("Get-Agent");
                Assert.Equal("ManagerNotConnected,EndpointAdmin.Commands.GetAgentCommand", (after.TerminatingError ?? Assert.Single(after.Errors)).FullyQualifiedErrorId);
            }
        }

        [Fact]
        public void SesEvolutionHasNoManagerProductSoEveryManagerCellIsNoAndConnectSaysSo()
        {
            var (_, rows) = Table(RepositoryFile("docs", "en-US", "about_EndpointAdmin_Products.md"));
            Assert.DoesNotContain("SesEvolution", CoreEnum("EndpointAdmin.ManagerProduct"));
            foreach (var key in ManagerRows.Keys)
            {
                Assert.Equal("No", Verdict(rows[key]["SesEvolution"]));
            }

            using var shell = new InProcessPowerShell();
            var result = shell.Invoke("Connect-AgentManager -Product SesEvolution -Uri https://ses.example.com:10443 -ApiKey $args[0]", DeepSecurityFixture.Key("k"));
            var error = result.TerminatingError ?? Assert.Single(result.Errors);
            Assert.StartsWith("CannotConvertArgumentNoMessage,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("ApexCentral", error.Exception.Message); // the valid products are listed
        }

        [Fact]
        public void ProductCellsOfCatalogAndFirewallCmdletsAreBackedByTheCatalogAndTheBackends()
        {
            var (_, rows) = Table(RepositoryFile("docs", "en-US", "about_EndpointAdmin_Products.md"));
            var catalogRows = Succeeded(_engine.Run("Get-AgentPortRequirement")).GroupBy(r => Text(r, "Product")).ToDictionary(g => g.Key, g => g.Count());
            var firewallCommands = Succeeded(_engine.Run("Get-Command -Module EndpointAdmin | Where-Object { [EndpointAdmin.Commands.FirewallCmdlet].IsAssignableFrom($_.ImplementingType) } | ForEach-Object Name")).Select(o => o.ToString()).ToList();
            Assert.Equal(11, firewallCommands.Count);
            var backends = CoreEnum("EndpointAdmin.FirewallBackendKind");
            foreach (var (key, cells) in rows.Where(r => !ManagerRows.ContainsKey(r.Key)))
            {
                foreach (var (column, product) in CatalogProduct)
                {
                    Assert.Equal("Yes", Verdict(cells[column]));
                    Assert.True(catalogRows.GetValueOrDefault(product) > 0, key + " / " + column + ": the catalog has no " + product + " rows");
                }

                foreach (var column in FirewallColumns)
                {
                    var expected = firewallCommands.Contains(key) ? "Yes" : "n/a";
                    Assert.True(expected == Verdict(cells[column]), key + " / " + column);
                    Assert.Contains(column, backends);
                }
            }

            foreach (var key in ManagerRows.Keys)
            {
                foreach (var column in FirewallColumns)
                {
                    Assert.Equal("n/a", Verdict(rows[key][column]));
                }
            }
        }
    }
}
