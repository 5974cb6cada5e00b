using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The README is the front door: one line per exported cmdlet, links that resolve, and the
    /// cmdlet-by-product matrix only by reference (it lives in about_EndpointAdmin_Products alone,
    /// where ProductMatrixTests checks it).
    /// </summary>
    public class ReadmeTests
    {
        private static readonly string Root = InProcessPowerShell.RepositoryRoot;

        private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Root, "README.md"));

        /// <summary>The first cell of each row of the table whose header is <paramref name="header"/>.</summary>
        private static string[] FirstColumn(string header)
        {
            var start = Array.IndexOf(Lines, header);
            Assert.True(start >= 0, "README.md has no table headed '" + header + "'");
            return Lines.Skip(start + 2).TakeWhile(l => l.StartsWith("| ", StringComparison.Ordinal))
                .Select(l => l.Split('|')[1].Trim().Trim('`'))
                .ToArray();
        }

        [Fact]
        public void TheCmdletTableHasOneRowForEachExportedCmdlet()
        {
            var rows = FirstColumn("| Cmdlet | What it does |");
            var exported = EngineFixture.Strings(EngineFixture.ReadManifest(Path.Combine(Root, "EndpointAdmin.psd1"))["CmdletsToExport"]);
            Assert.Equal(rows.Distinct().Count(), rows.Length);
            Assert.Equal(exported.OrderBy(c => c, StringComparer.Ordinal), rows.OrderBy(c => c, StringComparer.Ordinal));
        }

        [Fact]
        public void TheProductMatrixIsLinkedNotCopied()
        {
            Assert.Contains(Lines, l => l.Contains("Get-Help about_EndpointAdmin_Products"));
            Assert.Contains(Lines, l => l.Contains("(docs/en-US/about_EndpointAdmin_Products.md)"));
            Assert.DoesNotContain(Lines, l => l.StartsWith("| Cmdlet | ApexCentral |", StringComparison.Ordinal));
        }

        [Fact]
        public void EveryRelativeLinkResolves()
        {
            var links = Lines.SelectMany(l => Regex.Matches(l, @"\]\(([^)#]+)(#[^)]*)?\)").Select(m => m.Groups[1].Value))
                .Where(target => !target.Contains("://"))
                .Distinct()
                .ToArray();
            Assert.Contains("CONTRIBUTING.md", links);
            Assert.Contains("docs/design", links);
            foreach (var target in links)
            {
                var path = Path.Combine(Root, target);
                Assert.True(File.Exists(path) || Directory.Exists(path), "README.md links to " + target + ", which does not exist");
            }
        }
    }
}
