using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Help comes from the shipped MAML (generated from docs/en-US by platyPS) and covers the code.</summary>
    public class HelpTests : IClassFixture<EngineFixture>
    {
        private readonly EngineFixture _ps;

        public HelpTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        public static IEnumerable<object[]> ExportedCmdlets()
        {
            var manifest = EngineFixture.ReadManifest(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1"));
            return EngineFixture.Strings(manifest["CmdletsToExport"]).Select(c => new object[] { c });
        }

        // Flattens Get-Help's nested objects with core-only language features.
        private const string HelpReport = @"
            $h = Get-Help -Name $args[0] -Full
            [pscustomobject]@{
                Synopsis    = [string]$h.Synopsis
                Description = (@($h.description) | ForEach-Object { $_.Text }) -join ' '
                Examples    = @($h.examples.example | ForEach-Object { ((@($_.introduction) | ForEach-Object { $_.Text }) + [string]$_.code + (@($_.remarks) | ForEach-Object { $_.Text })) -join ""`n"" })
                Parameters  = @($h.parameters.parameter | ForEach-Object { $_.name })
                ParameterText = @($h.parameters.parameter | ForEach-Object { (@($_.description) | ForEach-Object { $_.Text }) -join ' ' })
                Outputs     = @($h.returnValues.returnValue | ForEach-Object { [string]$_.type.name })
            }";

        private static string[] Strings(PSObject o, string name) => ((object[])Prop(o, name)).Select(x => x?.ToString() ?? string.Empty).ToArray();

        private string[] CodeParameters(string cmdlet)
        {
            // -WhatIf and -Confirm are documented on every cmdlet that has them (as PlatyPS does); UseTransaction is obsolete.
            var result = _ps.Run("(Get-Command -Name $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters -and $_ -ne 'UseTransaction' }", cmdlet);
            return Succeeded(result).Select(o => o.ToString()).OrderBy(s => s).ToArray();
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletHasRealHelpFromTheShippedMaml(string cmdlet)
        {
            var help = Assert.Single(Succeeded(_ps.Run(HelpReport, cmdlet)));
            var synopsis = Text(help, "Synopsis").Trim();
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.DoesNotMatch("^" + Regex.Escape(cmdlet) + @"\s", synopsis); // auto-generated help repeats the syntax
            Assert.True(Text(help, "Description").Length > 40, "description too short");
            // PlatyPS 1.x writes an example's code and its explanation together into the introduction.
            var examples = Strings(help, "Examples");
            Assert.True(examples.Length >= 3, "fewer than three examples");
            Assert.All(examples, text => Assert.Contains(cmdlet, text));
            Assert.All(examples, text => Assert.True(Regex.Replace(text, "```.*?```", string.Empty, RegexOptions.Singleline).Trim().Length > 40, "an example has no explanation"));
            Assert.NotEmpty(Strings(help, "Outputs"));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void HelpDescribesExactlyTheParametersInCode(string cmdlet)
        {
            var help = Assert.Single(Succeeded(_ps.Run(HelpReport, cmdlet)));
            var names = Strings(help, "Parameters");
            var texts = Strings(help, "ParameterText");
            Assert.Equal(CodeParameters(cmdlet), names.OrderBy(s => s).ToArray());
            for (int i = 0; i < names.Length; i++)
            {
                Assert.True(texts[i].Trim().Length > 10, "-" + names[i] + " of " + cmdlet + " is not described");
            }
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void TheMarkdownSourceMatchesTheCode(string cmdlet)
        {
            var page = Path.Combine(InProcessPowerShell.RepositoryRoot, "docs", "en-US", cmdlet + ".md");
            Assert.True(File.Exists(page), page + " is missing");
            var markdown = File.ReadAllText(page);
            var documented = Regex.Matches(markdown, @"^### -(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value)
                .Where(p => p != "CommonParameters").OrderBy(s => s).ToArray();
            Assert.Equal(CodeParameters(cmdlet), documented);
            var examples = Regex.Matches(markdown, @"^### Example \d", RegexOptions.Multiline).Count;
            Assert.True(examples >= 3, "fewer than three examples");

            // The shipped MAML is generated from this page: a page edited without ./build.ps1 -Task Docs shows here.
            var help = Assert.Single(Succeeded(_ps.Run(HelpReport, cmdlet)));
            var synopsis = Regex.Match(markdown, @"## SYNOPSIS\s+(.+?)\s+## SYNTAX", RegexOptions.Singleline).Groups[1].Value;
            Assert.Equal(Regex.Replace(synopsis, @"\s+", " "), Regex.Replace(Text(help, "Synopsis"), @"\s+", " ").Trim());
            Assert.Equal(examples, Strings(help, "Examples").Length);
        }

        [Fact]
        public void TheAboutTopicIsShipped()
        {
            var result = _ps.Run("[string](Get-Help -Name about_EndpointAdmin)");
            var text = Assert.Single(Succeeded(result)).ToString();
            Assert.Contains("about_endpointadmin", text, System.StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Get-AgentPortRequirement", text);
            Assert.True(File.Exists(Path.Combine(InProcessPowerShell.RepositoryRoot, "docs", "en-US", "about_EndpointAdmin.md")));
        }

        [Fact]
        public void TheBaselineAboutTopicIsShipped()
        {
            var result = _ps.Run("[string](Get-Help -Name about_EndpointAdmin_Baseline)");
            var text = Assert.Single(Succeeded(result)).ToString();
            Assert.Contains("about_endpointadmin_baseline", text, System.StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Set-AgentBaseline", text);
            Assert.Contains("EndpointAdmin/AgentBaseline", text);
        }

        /// <summary>The about topics are rendered from docs/en-US by ./build.ps1 -Task Docs: a section added to the markdown without it shows here.</summary>
        [Theory]
        [InlineData("about_EndpointAdmin")]
        [InlineData("about_EndpointAdmin_Products")]
        [InlineData("about_EndpointAdmin_Baseline")]
        public void TheShippedAboutTopicHasEverySectionOfItsMarkdown(string topic)
        {
            var markdown = File.ReadAllLines(Path.Combine(InProcessPowerShell.RepositoryRoot, "docs", "en-US", topic + ".md"));
            var shipped = File.ReadAllLines(Path.Combine(InProcessPowerShell.RepositoryRoot, "src", "EndpointAdmin", "en-US", topic + ".help.txt")).Select(l => l.Trim()).ToList();
            var sections = markdown.Where(l => l.StartsWith("## ", System.StringComparison.Ordinal)).Select(l => l.Substring(3).Trim())
                .Where(h => !string.Equals(h, topic, System.StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.NotEmpty(sections);
            Assert.All(sections, h => Assert.Contains(h, shipped));
        }
    }
}
