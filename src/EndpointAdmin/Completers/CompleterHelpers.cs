using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Catalog;

namespace EndpointAdmin.Completers
{
    internal static class CompleterHelpers
    {
        /// <summary>The products already typed on the command line, or every product.</summary>
        public static IEnumerable<CatalogProduct> SelectedProducts(IDictionary fakeBoundParameters)
        {
            var catalog = PortCatalog.Default;
            object bound = fakeBoundParameters != null && fakeBoundParameters.Contains("Product") ? fakeBoundParameters["Product"] : null;
            if (bound != null)
            {
                Product[] products = null;
                try
                {
                    products = LanguagePrimitives.ConvertTo<Product[]>(bound);
                }
                catch (PSInvalidCastException)
                {
                    // A half-typed product name: offer everything rather than nothing.
                }

                if (products != null && products.Length > 0)
                {
                    foreach (var p in products)
                    {
                        yield return catalog.GetProduct(p);
                    }

                    yield break;
                }
            }

            foreach (var p in catalog.Products)
            {
                yield return p;
            }
        }

        public static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string wordToComplete)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var candidate in candidates)
            {
                if (!seen.Add(candidate) || !pattern.IsMatch(candidate))
                {
                    continue;
                }

                var text = candidate.IndexOf(' ') >= 0 ? "'" + candidate + "'" : candidate;
                yield return new CompletionResult(text, candidate, CompletionResultType.ParameterValue, candidate);
            }
        }
    }
}
