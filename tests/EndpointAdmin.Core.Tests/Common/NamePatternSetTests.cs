using System;
using System.Linq;
using EndpointAdmin.Catalog;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>A set of name filters answers exactly as the filters one by one would.</summary>
    public class NamePatternSetTests
    {
        private static readonly NamePattern[] Patterns =
        {
            NamePattern.Literal("Agent Handler"),
            new NamePattern("Back*", true, s => s != null && s.StartsWith("Back", StringComparison.OrdinalIgnoreCase)),
            NamePattern.Literal("Missing"),
            new NamePattern("Console", false, s => s == "Console"),
            NamePattern.Literal("agent handler"),
            NamePattern.Literal("Missing"),
        };

        [Theory]
        [InlineData("Agent Handler", true)]
        [InlineData("AGENT HANDLER", true)]
        [InlineData("Backend", true)]
        [InlineData("backend", true)]
        [InlineData("Console", true)]
        [InlineData("console", false)]
        [InlineData("Agent", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void MatchesAsAnyOfItsPatterns(string value, bool expected)
        {
            Assert.Equal(expected, Patterns.Any(p => p.IsMatch(value)));
            Assert.Equal(expected, new NamePatternSet(Patterns).IsMatch(value));
        }

        [Fact]
        public void ReportsTheLiteralsThatMatchNothingInTheOrderGiven()
        {
            var missing = new NamePatternSet(Patterns).LiteralsMatchingNone(new[] { "agent HANDLER", "Backend", null }).Select(p => p.Text).ToArray();
            Assert.Equal(new[] { "Missing", "Console", "Missing" }, missing);
        }
    }
}
