using System;
using System.Collections.Generic;

namespace EndpointAdmin
{
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
}
