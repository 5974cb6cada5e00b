using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using EndpointAdmin.Baseline;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>Baseline trees as a .psd1 gives them (Hashtables, object[]) and the reader over the registered products' schemas.</summary>
    internal static class BaselineSamples
    {
        public static Hashtable Table(params object[] pairs)
        {
            var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < pairs.Length; i += 2)
            {
                table[pairs[i]] = pairs[i + 1];
            }

            return table;
        }

        public static object[] List(params object[] items) => items;

        public static BaselineReader Reader() => new BaselineReader(
            ManagerProviders.Factories.ToDictionary(f => f.Product, f => f.BaselineSchema),
            text => new NamePattern(text, text.Contains("*"), s => Regex.IsMatch(s ?? string.Empty, "^" + Regex.Escape(text).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase)),
            PortCatalog.Default);

        public static (BaselineDocument Document, List<EndpointAdminException> Problems) Read(object tree)
        {
            var problems = new List<EndpointAdminException>();
            var document = Reader().Read(tree, problems);
            return (document, problems);
        }

        public static Hashtable DeepSecurityManager(params object[] pairs)
        {
            var table = Table("Product", "DeepSecurity", "Uri", "https://dsm.example.com:4119");
            for (int i = 0; i < pairs.Length; i += 2)
            {
                table[pairs[i]] = pairs[i + 1];
            }

            return table;
        }
    }
}
