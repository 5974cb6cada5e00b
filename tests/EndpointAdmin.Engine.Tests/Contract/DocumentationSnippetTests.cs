using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The README and the about topics cannot drift from the module: every PowerShell snippet in them
    /// is parsed and every EndpointAdmin command and parameter it names must exist; and every snippet
    /// that needs no real manager and no Windows is run. Snippets that talk to a manager run against
    /// the project's simulators (the documented example hosts dsm/ksc/apex.example.com are mapped to
    /// them and the simulator's certificate is pinned, since a real manager's would be trusted); the
    /// others run inside a network namespace of their own (firewall changes, DNS and TCP probes never
    /// reach the host). A snippet marked &lt;!-- windows-only --&gt; is only checked, not run.
    /// </summary>
    public sealed class DocumentationSnippetTests : IClassFixture<DocumentationSnippetTests.Managers>
    {
        private static readonly string[] Documents = { "README.md", "docs/en-US/about_EndpointAdmin.md", "docs/en-US/about_EndpointAdmin_Products.md", "docs/en-US/about_EndpointAdmin_Baseline.md" };
        private static readonly Lazy<Dictionary<string, Snippet>> All = new Lazy<Dictionary<string, Snippet>>(Load);
        private readonly Managers _managers;

        public DocumentationSnippetTests(Managers managers)
        {
            _managers = managers;
        }

        public sealed class Snippet
        {
            public string Id { get; set; }
            public string Text { get; set; }
            public bool WindowsOnly { get; set; }
            public bool UsesManager => Text.Contains("Connect-AgentManager", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The simulators the manager snippets run against, started once.</summary>
        public sealed class Managers : IDisposable
        {
            public DeepSecuritySimulator DeepSecurity { get; } = DeepSecuritySimulator.Start(computers: 60);
            public KscSimulator Ksc { get; } = KscSimulator.Start(devices: 60);
            public ApexCentralSimulator Apex { get; } = ApexCentralSimulator.Start(agents: 20);

            private NetworkNamespace _ns;
            private NamespacedShell _shell;

            /// <summary>One namespace for the local snippets, its ruleset emptied before each.</summary>
            public NamespacedShell Local()
            {
                if (_shell == null)
                {
                    _ns = NetworkNamespace.Create("doc");
                    _shell = new NamespacedShell(_ns);
                }

                _ns.Exec("nft flush ruleset", check: true);
                return _shell;
            }

            public void Dispose()
            {
                _shell?.Dispose();
                _ns?.Dispose();
                DeepSecurity.Dispose();
                Ksc.Dispose();
                Apex.Dispose();
            }
        }

        public static IEnumerable<object[]> Ids() => All.Value.Keys.Select(k => new object[] { k });

        public static IEnumerable<object[]> ManagerIds() => All.Value.Values.Where(s => !s.WindowsOnly && s.UsesManager).Select(s => new object[] { s.Id });

        public static IEnumerable<object[]> LocalIds() => All.Value.Values.Where(s => !s.WindowsOnly && !s.UsesManager).Select(s => new object[] { s.Id });

        [Fact]
        public void TheDocumentsHaveSnippetsOfEveryKind()
        {
            // Guards the reader itself: a change of fence style must not make every test vacuous.
            var all = All.Value.Values.ToList();
            Assert.Contains(all, s => s.Id.StartsWith("README.md", StringComparison.Ordinal) && s.UsesManager);
            Assert.Contains(all, s => s.Id.StartsWith("README.md", StringComparison.Ordinal) && !s.UsesManager && s.Text.Contains("New-FirewallPortRule", StringComparison.Ordinal));
            Assert.Contains(all, s => s.Id.StartsWith("docs/en-US/about_EndpointAdmin.md", StringComparison.Ordinal));
            Assert.Contains(all, s => s.WindowsOnly);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void EverySnippetNamesRealCommandsAndParameters(string id)
        {
            var snippet = All.Value[id];
            var ast = Parser.ParseInput(snippet.Text, out _, out var errors);
            Assert.True(errors.Length == 0, id + ": " + string.Join("; ", errors.Select(e => e.Message)));

            using (var shell = new InProcessPowerShell())
            {
                var exported = Assertions.Succeeded(shell.Invoke("(Get-Module EndpointAdmin).ExportedCmdlets.Values")).Select(o => (CmdletInfo)o.BaseObject)
                    .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
                var problems = new List<string>();
                foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
                {
                    var name = command.GetCommandName();
                    if (name == null || !exported.TryGetValue(name, out var cmdlet))
                    {
                        if (name != null && Regex.IsMatch(name, @"^[A-Z][a-z]+-(Agent|Firewall)", RegexOptions.CultureInvariant))
                        {
                            problems.Add("no such command: " + name);
                        }

                        continue;
                    }

                    foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                    {
                        if (!Resolves(cmdlet, parameter.ParameterName))
                        {
                            problems.Add(name + " has no parameter -" + parameter.ParameterName);
                        }
                    }
                }

                Assert.True(problems.Count == 0, id + ": " + string.Join("; ", problems));
            }
        }

        [Theory]
        [MemberData(nameof(ManagerIds))]
        public void EveryManagerSnippetRunsAgainstTheSimulators(string id)
        {
            var snippet = All.Value[id];
            using (var shell = new InProcessPowerShell())
            {
                // The variables the documents say the reader has: $apiKey (SecureString),
                // $applicationId (Apex Central) and $credential (PSCredential).
                var apex = snippet.Text.Contains("apex.example.com", StringComparison.Ordinal);
                var prepared = shell.Invoke(
                    // The simulated agents that are offline stay offline: a documented -Wait ends after
                    // a few seconds here instead of the default timeout.
                    "$global:apiKey = $args[0]; $global:applicationId = $args[1]; $global:credential = $args[2]; " +
                    // Their timeouts are then the expected outcome, not an error of the snippet.
                    "$global:PSDefaultParameterValues['Invoke-AgentSync:TimeoutSec'] = 3; $global:PSDefaultParameterValues['Invoke-AgentSync:ErrorAction'] = 'Ignore'",
                    DeepSecurityFixture.Key(apex ? _managers.Apex.ApiKey : _managers.DeepSecurity.ApiKey), _managers.Apex.ApplicationId,
                    new PSCredential(_managers.Ksc.UserName, DeepSecurityFixture.Key(_managers.Ksc.Password)));
                Assert.False(prepared.Failed, prepared.Describe());
                var result = shell.InvokeRendered(Checked(ToSimulators(snippet.Text)));
                Assert.True(!result.Failed, id + ":\n" + result.Describe());
            }
        }

        [NetnsTheory]
        [MemberData(nameof(LocalIds))]
        public void EveryOtherSnippetRunsInANetworkNamespace(string id)
        {
            var result = _managers.Local().InvokeRendered(Checked(All.Value[id].Text));
            Assert.True(!result.Failed, id + ":\n" + result.Describe());
        }

        /// <summary>
        /// Rendering merges the error stream into the output, so a snippet that writes a
        /// non-terminating error would still pass: $Error is cleared before and checked after.
        /// </summary>
        private static string Checked(string text)
        {
            return "$global:Error.Clear()\n" + text + "\nif ($global:Error.Count -gt 0) { throw ('The snippet wrote ' + $global:Error.Count + ' error(s), the first: ' + $global:Error[$global:Error.Count - 1]) }";
        }

        /// <summary>The documented example hosts become the simulators, each with its certificate pinned.</summary>
        private string ToSimulators(string text)
        {
            var ast = Parser.ParseInput(text, out _, out _);
            var builder = new StringBuilder(text);
            // Right to left, so earlier offsets stay valid.
            foreach (CommandAst connect in ast.FindAll(a => a is CommandAst c && string.Equals(c.GetCommandName(), "Connect-AgentManager", StringComparison.OrdinalIgnoreCase), true)
                .OrderByDescending(a => a.Extent.EndOffset))
            {
                var thumbprint = connect.Extent.Text.Contains("ksc.example.com", StringComparison.Ordinal) ? _managers.Ksc.Thumbprint
                    : connect.Extent.Text.Contains("apex.example.com", StringComparison.Ordinal) ? _managers.Apex.Thumbprint
                    : _managers.DeepSecurity.Thumbprint;
                builder.Insert(connect.Extent.EndOffset, " -CertificateThumbprint '" + thumbprint + "'");
            }

            return Regex.Replace(builder.ToString(), @"https://(dsm|ksc|apex)\.example\.com(:\d+)?/?", m =>
                (m.Groups[1].Value == "dsm" ? _managers.DeepSecurity.Uri : m.Groups[1].Value == "ksc" ? _managers.Ksc.Uri : _managers.Apex.Uri).TrimEnd('/'));
        }

        private static bool Resolves(CmdletInfo cmdlet, string name)
        {
            var names = cmdlet.Parameters.Values.SelectMany(p => new[] { p.Name }.Concat(p.Aliases)).ToList();
            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }

            // PowerShell accepts any unambiguous prefix.
            return cmdlet.Parameters.Values.Count(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)) == 1;
        }

        /// <summary>
        /// Every fenced powershell block of the documents. A block is split at blank lines into
        /// paragraphs that each parse on their own (so a tour runs step by step, each step in the
        /// place it needs); a paragraph that does not parse alone is joined to the next.
        /// </summary>
        private static Dictionary<string, Snippet> Load()
        {
            var snippets = new Dictionary<string, Snippet>(StringComparer.Ordinal);
            foreach (var document in Documents)
            {
                var lines = File.ReadAllLines(Path.Combine(InProcessPowerShell.RepositoryRoot, document));
                for (int i = 0; i < lines.Length; i++)
                {
                    var fence = lines[i].Trim();
                    if (!(fence == "```powershell" || fence == "```pwsh" || fence == "```ps1"))
                    {
                        continue;
                    }

                    var windowsOnly = i > 0 && lines[i - 1].Trim() == "<!-- windows-only -->";
                    var start = i + 1;
                    var end = start;
                    while (end < lines.Length && lines[end].Trim() != "```")
                    {
                        end++;
                    }

                    var paragraph = new List<string>();
                    int paragraphStart = start;
                    for (int j = start; j <= end; j++)
                    {
                        var boundary = j == end || lines[j].Trim().Length == 0;
                        if (!boundary)
                        {
                            if (paragraph.Count == 0)
                            {
                                paragraphStart = j;
                            }

                            paragraph.Add(lines[j]);
                            continue;
                        }

                        var text = string.Join("\n", paragraph);
                        if (paragraph.Count == 0 || (j < end && !ParsesAlone(text)))
                        {
                            continue;
                        }

                        var id = document + ":" + (paragraphStart + 1);
                        snippets[id] = new Snippet { Id = id, Text = text, WindowsOnly = windowsOnly };
                        paragraph.Clear();
                    }

                    i = end;
                }
            }

            return snippets;
        }

        private static bool ParsesAlone(string text)
        {
            Parser.ParseInput(text, out _, out var errors);
            return errors.Length == 0;
        }
    }
}
