using System.Collections.Generic;
using System.Management.Automation;

namespace EndpointAdmin.Internal
{
    /// <summary>Turns PowerShell wildcard parameters into the core's NamePatterns (the core cannot see WildcardPattern).</summary>
    internal static class Patterns
    {
        public static List<NamePattern> From(string[] names)
        {
            if (names == null)
            {
                return null;
            }

            var patterns = new List<NamePattern>(names.Length);
            foreach (var name in names)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name) && TryGetWildcard(name, out var wildcard))
                {
                    patterns.Add(new NamePattern(name, true, wildcard.IsMatch));
                }
                else
                {
                    patterns.Add(NamePattern.Literal(WildcardPattern.Unescape(name)));
                }
            }

            return patterns;
        }

        // A malformed pattern such as "Agent[" is taken as a literal name, which then matches
        // nothing and is reported as not found, instead of failing the pipeline.
        private static bool TryGetWildcard(string text, out WildcardPattern pattern)
        {
            pattern = WildcardPattern.Get(text, WildcardOptions.IgnoreCase);
            try
            {
                pattern.IsMatch(string.Empty);
                return true;
            }
            catch (WildcardPatternException)
            {
                return false;
            }
        }
    }
}
