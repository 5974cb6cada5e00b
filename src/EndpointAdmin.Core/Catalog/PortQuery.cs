using System;
using System.Collections.Generic;

namespace EndpointAdmin.Catalog
{
    /// <summary>A filter over the catalog. Null members do not filter.</summary>
    internal sealed class PortQuery
    {
        public IReadOnlyCollection<Product> Products { get; set; }

        /// <summary>A version as the user typed it: a catalog label, "2.7", "2.7.1" or "3.5.3xxx".</summary>
        public string Version { get; set; }

        public IReadOnlyList<NamePattern> Components { get; set; }

        public Direction? Direction { get; set; }

        /// <summary>Rows that do not depend on topology (Topology.Any) always match.</summary>
        public Topology? Topology { get; set; }
    }

    /// <summary>
    /// A name filter. The matcher comes from the caller so the core does not re-implement
    /// PowerShell's wildcard rules; HasWildcards says whether "no match" is an error (a literal
    /// name that matches nothing is one, a pattern that matches nothing is not).
    /// </summary>
    internal sealed class NamePattern
    {
        public NamePattern(string text, bool hasWildcards, Func<string, bool> isMatch)
        {
            Text = text;
            HasWildcards = hasWildcards;
            IsMatch = isMatch;
        }

        public string Text { get; }

        public bool HasWildcards { get; }

        public Func<string, bool> IsMatch { get; }

        /// <summary>True for a pattern made by <see cref="Literal"/>: it matches exactly its Text, ignoring case.</summary>
        public bool IsLiteral { get; private set; }

        /// <summary>A literal, case-insensitive name.</summary>
        public static NamePattern Literal(string text)
        {
            return new NamePattern(text, false, s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase)) { IsLiteral = true };
        }
    }

    /// <summary>
    /// Many name filters matched against many names in time linear in both: literal names are
    /// looked up in a set, only patterns with wildcards are tried one by one. A list of five
    /// thousand names (piped in from a CSV, say) over five thousand rules would otherwise be
    /// twenty-five million comparisons.
    /// </summary>
    internal sealed class NamePatternSet
    {
        private readonly IReadOnlyList<NamePattern> _patterns;
        private readonly HashSet<string> _literals = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<NamePattern> _others = new List<NamePattern>();

        public NamePatternSet(IReadOnlyList<NamePattern> patterns)
        {
            _patterns = patterns;
            foreach (var pattern in patterns)
            {
                if (pattern.IsLiteral)
                {
                    _literals.Add(pattern.Text);
                }
                else
                {
                    _others.Add(pattern);
                }
            }
        }

        /// <summary>Whether any of the patterns matches <paramref name="value"/>.</summary>
        public bool IsMatch(string value)
        {
            if (value != null && _literals.Contains(value))
            {
                return true;
            }

            foreach (var pattern in _others)
            {
                if (pattern.IsMatch(value))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The patterns without wildcards that match none of <paramref name="values"/>, in the order given: the names to report as not found.</summary>
        public IEnumerable<NamePattern> LiteralsMatchingNone(IEnumerable<string> values)
        {
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var all = new List<string>();
            foreach (var value in values)
            {
                if (value != null)
                {
                    present.Add(value);
                }

                all.Add(value);
            }

            foreach (var pattern in _patterns)
            {
                if (!pattern.HasWildcards && !(pattern.IsLiteral ? present.Contains(pattern.Text) : all.Exists(v => pattern.IsMatch(v))))
                {
                    yield return pattern;
                }
            }
        }
    }

    /// <summary>What a query found, and the problems to report for the parts it could not answer.</summary>
    internal sealed class PortQueryResult
    {
        public List<PortRequirement> Requirements { get; } = new List<PortRequirement>();

        public List<Errors.EndpointAdminException> Errors { get; } = new List<Errors.EndpointAdminException>();
    }
}
