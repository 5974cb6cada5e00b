using System;

// The root namespace, like the output models: a neutral primitive that the catalog, the firewall
// service, every manager provider and the cmdlets use, owned by none of them.
namespace EndpointAdmin
{
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
}
