using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The engine tests host the whole PowerShell 7.6 SDK, so a module that quietly came to need a
    /// PowerShell 7-only cmdlet or syntax would still pass them. These tests hold the line the module
    /// promises (PowerShellVersion 5.1, Desktop and Core): it imports and works where only the core
    /// engine's commands exist, and every piece of script text it ships parses with nothing that
    /// Windows PowerShell 5.1 lacks.
    /// </summary>
    public sealed class WindowsPowerShellSurfaceTests
    {
        [Fact]
        public void TheModuleImportsAndRendersWithOnlyTheCoreEngineCommands()
        {
            // No module autoloading: Microsoft.PowerShell.Utility, .Management and .Security stay out.
            var iss = InitialSessionState.CreateDefault2();
            iss.Variables.Add(new SessionStateVariableEntry("PSModuleAutoLoadingPreference", PSModuleAutoLoadingPreference.None, string.Empty));
            using (var shell = new InProcessPowerShell(importModule: true, sessionState: iss))
            {
                var modules = Assertions.Succeeded(shell.Invoke("Get-Module | ForEach-Object { $_.Name }")).Select(o => o.ToString()).ToList();
                Assert.Equal(new[] { "EndpointAdmin" }, modules);
                Assert.Empty(Assertions.Succeeded(shell.Invoke("Get-Command -Name Select-Object, ConvertTo-Json -ErrorAction SilentlyContinue")));

                var rendered = shell.InvokeRendered("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler");
                Assert.False(rendered.Failed, rendered.Describe());
                Assert.Contains("AgentHandler", rendered.HostText, StringComparison.Ordinal);
                Assert.Contains("443", rendered.HostText, StringComparison.Ordinal);

                var help = shell.Invoke("Get-Help Get-AgentPortRequirement -Examples");
                Assert.False(help.Failed, help.Describe());
            }
        }

        public static IEnumerable<object[]> ShippedScriptText()
        {
            var root = InProcessPowerShell.RepositoryRoot;
            var src = Path.Combine(root, "src", "EndpointAdmin");
            foreach (var file in new[] { "EndpointAdmin.format.ps1xml", "EndpointAdmin.types.ps1xml" })
            {
                var doc = XDocument.Load(Path.Combine(src, file));
                int i = 0;
                foreach (var e in doc.Descendants().Where(e => e.Name.LocalName == "ScriptBlock" || e.Name.LocalName == "GetScriptBlock" || e.Name.LocalName == "SetScriptBlock" || e.Name.LocalName == "Script"))
                {
                    yield return new object[] { file + "#" + (++i), e.Value };
                }
            }

            foreach (var file in Directory.GetFiles(Path.Combine(src, "RoleCapabilities"), "*.psrc")
                .Concat(Directory.GetFiles(src, "*.ps1"))
                .Concat(Directory.GetFiles(Path.Combine(root, "docs", "examples"))).OrderBy(f => f, StringComparer.Ordinal))
            {
                yield return new object[] { Path.GetRelativePath(root, file), File.ReadAllText(file) };
            }
        }

        /// <summary>Commands that PowerShell 7 added and Windows PowerShell 5.1 does not have.</summary>
        private static readonly string[] PowerShell7Only =
        {
            "Get-Error", "Join-String", "Test-Json", "ConvertFrom-Markdown", "Show-Markdown", "Get-MarkdownOption",
            "Set-MarkdownOption", "Get-Uptime", "Remove-Alias", "Remove-Service", "Get-PSSubsystem",
            "Enable-ExperimentalFeature", "Disable-ExperimentalFeature", "Get-ExperimentalFeature",
            "Update-List", "ConvertTo-CliXml", "ConvertFrom-CliXml",
        };

        [Theory]
        [MemberData(nameof(ShippedScriptText))]
        public void ShippedScriptTextUsesNothingWindowsPowerShell51Lacks(string source, string text)
        {
            var ast = Parser.ParseInput(text, out var tokens, out var errors);
            Assert.True(errors.Length == 0, source + ": " + string.Join("; ", errors.Select(e => e.Message)));

            var found = new List<string>();
            found.AddRange(ast.FindAll(a => a is TernaryExpressionAst, true).Select(a => "ternary operator: " + a.Extent.Text));
            found.AddRange(ast.FindAll(a => a is PipelineChainAst, true).Select(a => "&& or ||: " + a.Extent.Text));
            found.AddRange(tokens.Where(t => t.Kind == TokenKind.QuestionQuestion || t.Kind == TokenKind.QuestionQuestionEquals || t.Kind == TokenKind.QuestionDot || t.Kind == TokenKind.QuestionLBracket)
                .Select(t => "null-conditional operator: " + t.Text));
            foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true))
            {
                var name = command.GetCommandName();
                if (name != null && PowerShell7Only.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    found.Add("PowerShell 7-only command: " + name);
                }

                if (name != null && (name.Equals("ForEach-Object", StringComparison.OrdinalIgnoreCase) || name == "%")
                    && command.CommandElements.OfType<CommandParameterAst>().Any(p => "Parallel".StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase) && p.ParameterName.Length >= 2))
                {
                    found.Add("ForEach-Object -Parallel");
                }
            }

            Assert.True(found.Count == 0, source + ": " + string.Join("; ", found));
        }
    }
}
