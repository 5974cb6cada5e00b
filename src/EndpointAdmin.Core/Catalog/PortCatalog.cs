using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EndpointAdmin.Errors;
using Newtonsoft.Json;

namespace EndpointAdmin.Catalog
{
    /// <summary>
    /// The ports each product needs, loaded once from the embedded port-catalog.json. Immutable
    /// after load, so one instance serves every runspace and thread.
    /// </summary>
    internal sealed class PortCatalog
    {
        private const string ResourceName = "EndpointAdmin.Catalog.port-catalog.json";

        private static readonly Lazy<PortCatalog> s_default = new Lazy<PortCatalog>(LoadEmbedded);

        private readonly List<Entry> _entries;

        private PortCatalog(IReadOnlyList<CatalogProduct> products, List<Entry> entries)
        {
            Products = products;
            _entries = entries;
        }

        public static PortCatalog Default => s_default.Value;

        public IReadOnlyList<CatalogProduct> Products { get; }

        public int Count => _entries.Count;

        public CatalogProduct GetProduct(Product product)
        {
            return Products.First(p => p.Product == product);
        }

        public static PortCatalog LoadEmbedded()
        {
            using (var stream = typeof(PortCatalog).Assembly.GetManifestResourceStream(ResourceName))
            {
                if (stream == null)
                {
                    throw new EndpointAdminException(ErrorIds.PortCatalogInvalid, ErrorKind.InvalidData, ResourceName, "The port catalog resource is missing from the EndpointAdmin.Core assembly.");
                }

                using (var reader = new StreamReader(stream))
                {
                    return Parse(reader.ReadToEnd());
                }
            }
        }

        /// <summary>Parses and checks a catalog document; any inconsistency is an error, never a silent gap.</summary>
        public static PortCatalog Parse(string json)
        {
            CatalogDocument doc;
            try
            {
                doc = CatalogDocument.Read(json);
            }
            catch (JsonException ex)
            {
                throw Invalid("The port catalog is not valid: " + ex.Message, ex);
            }

            if (doc == null)
            {
                throw Invalid("The port catalog is empty.");
            }

            var products = new List<CatalogProduct>();
            var ranges = new Dictionary<Product, Dictionary<string, VersionRange>>();
            foreach (var p in doc.Products)
            {
                if (ranges.ContainsKey(p.Name))
                {
                    throw Invalid("Product " + p.Name + " is listed twice.");
                }

                var byLabel = new Dictionary<string, VersionRange>(StringComparer.OrdinalIgnoreCase);
                var list = new List<VersionRange>();
                foreach (var v in p.Versions)
                {
                    var range = new VersionRange(v.Label, ParseBound(p.Name, v.Minimum), ParseBound(p.Name, v.Maximum));
                    if (range.Minimum != null && range.Maximum != null && range.Minimum.CompareTo(range.Maximum) >= 0)
                    {
                        throw Invalid("Version range '" + v.Label + "' of " + p.Name + " is empty.");
                    }

                    byLabel.Add(v.Label, range);
                    list.Add(range);
                }

                ranges.Add(p.Name, byLabel);
                products.Add(new CatalogProduct(p.Name, p.DisplayName, p.VersionMeaning, list, p.Components.ToList()));
            }

            foreach (Product product in Enum.GetValues(typeof(Product)))
            {
                if (!ranges.ContainsKey(product))
                {
                    throw Invalid("Product " + product + " has no entry in the port catalog.");
                }
            }

            var entries = new List<Entry>();
            foreach (var r in doc.Requirements)
            {
                var product = products.First(p => p.Product == r.Product);
                if (!ranges[r.Product].TryGetValue(r.Version, out var range))
                {
                    throw Invalid("A " + r.Product + " row names version '" + r.Version + "', which the product does not list.");
                }

                if (!product.Components.Contains(r.Component, StringComparer.Ordinal))
                {
                    throw Invalid("A " + r.Product + " row names component '" + r.Component + "', which the product does not list.");
                }

                if (r.Port < 1 || r.Port > 65535)
                {
                    throw Invalid("A " + r.Product + " " + r.Component + " row has port " + r.Port + ", outside 1-65535.");
                }

                if (!doc.Sources.TryGetValue(r.Source, out var source))
                {
                    throw Invalid("A " + r.Product + " row cites source '" + r.Source + "', which the catalog does not list.");
                }

                if (string.IsNullOrWhiteSpace(r.Purpose))
                {
                    throw Invalid("A " + r.Product + " " + r.Component + " row on port " + r.Port + " has no purpose.");
                }

                entries.Add(new Entry(range, new PortRequirement
                {
                    Product = r.Product,
                    Version = range.Label,
                    Component = r.Component,
                    Direction = r.Direction,
                    Protocol = r.Protocol,
                    Port = r.Port,
                    Topology = r.Topology,
                    Necessity = r.Necessity,
                    Configurable = r.Configurable,
                    Purpose = r.Purpose,
                    Peer = r.Peer,
                    Condition = r.Condition,
                    Source = source,
                }));
            }

            return new PortCatalog(products, entries);
        }

        /// <summary>
        /// Answers a query. Rows come back in catalog (document) order, as fresh copies so callers
        /// may change them. Parts of the query that name something the catalog lacks are reported
        /// in Errors while the rest is still answered.
        /// </summary>
        public PortQueryResult Find(PortQuery query)
        {
            var result = new PortQueryResult();
            var selected = query.Products != null && query.Products.Count > 0
                ? Products.Where(p => query.Products.Contains(p.Product)).ToList()
                : Products.ToList();

            ProductVersion low = null, high = null;
            bool numeric = query.Version != null && ProductVersion.TryParseRange(query.Version, out low, out high);
            if (query.Version != null && !numeric && !selected.Any(p => FindLabel(p, query.Version) != null))
            {
                result.Errors.Add(new EndpointAdminException(
                    ErrorIds.PortCatalogVersionInvalid,
                    ErrorKind.InvalidArgument,
                    query.Version,
                    "'" + query.Version + "' is not a version. Use numbers separated by dots, such as 2.7.1 (or 3.5.3xxx for an Apex One agent build)."));
                return result;
            }

            var rangesByProduct = new Dictionary<Product, HashSet<VersionRange>>();
            foreach (var product in selected)
            {
                var matched = MatchVersions(product, query.Version, low, high);
                if (matched.Count == 0)
                {
                    result.Errors.Add(new EndpointAdminException(
                        ErrorIds.PortCatalogVersionNotFound,
                        ErrorKind.ObjectNotFound,
                        query.Version,
                        "The port catalog has no " + product.Product + " rows for version " + query.Version + " (" + product.VersionMeaning + "). Known versions: " + product.DescribeVersions() + ".")
                    {
                        RecommendedAction = "Run Get-AgentPortRequirement -Product " + product.Product + " without -Version to see every version, or give one of: " + product.DescribeVersions() + ".",
                    });
                    continue;
                }

                rangesByProduct.Add(product.Product, matched);
            }

            if (query.Components != null)
            {
                foreach (var pattern in query.Components.Where(c => !c.HasWildcards))
                {
                    if (!selected.Any(p => p.Components.Any(pattern.IsMatch)))
                    {
                        var known = string.Join(", ", selected.SelectMany(p => p.Components).Distinct());
                        result.Errors.Add(new EndpointAdminException(
                            ErrorIds.PortCatalogComponentNotFound,
                            ErrorKind.ObjectNotFound,
                            pattern.Text,
                            "No component named '" + pattern.Text + "' in the port catalog of " + string.Join(", ", selected.Select(p => p.Product)) + ". Known components: " + known + ".")
                        {
                            RecommendedAction = "Use one of: " + known + ", or a wildcard pattern.",
                        });
                    }
                }
            }

            foreach (var entry in _entries)
            {
                var row = entry.Requirement;
                if (!rangesByProduct.TryGetValue(row.Product, out var versions) || !versions.Contains(entry.Range))
                {
                    continue;
                }

                if (query.Components != null && !query.Components.Any(c => c.IsMatch(row.Component)))
                {
                    continue;
                }

                if (query.Direction.HasValue && row.Direction != query.Direction.Value)
                {
                    continue;
                }

                if (query.Topology.HasValue && query.Topology.Value != Topology.Any && row.Topology != Topology.Any && row.Topology != query.Topology.Value)
                {
                    continue;
                }

                result.Requirements.Add(row.Copy());
            }

            return result;
        }

        private static HashSet<VersionRange> MatchVersions(CatalogProduct product, string version, ProductVersion low, ProductVersion high)
        {
            if (version == null)
            {
                return new HashSet<VersionRange>(product.Versions);
            }

            var byLabel = FindLabel(product, version);
            if (byLabel != null)
            {
                return new HashSet<VersionRange> { byLabel };
            }

            // A label of another product that is no number here: nothing of this product matches it.
            if (low == null)
            {
                return new HashSet<VersionRange>();
            }

            return new HashSet<VersionRange>(product.Versions.Where(v => v.Overlaps(low, high)));
        }

        private static VersionRange FindLabel(CatalogProduct product, string version)
        {
            return product.Versions.FirstOrDefault(v => string.Equals(v.Label, version.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        private static ProductVersion ParseBound(Product product, string text)
        {
            if (text == null)
            {
                return null;
            }

            try
            {
                return ProductVersion.Parse(text);
            }
            catch (FormatException ex)
            {
                throw Invalid("Version bound '" + text + "' of " + product + " is not a version.", ex);
            }
        }

        private static EndpointAdminException Invalid(string message, Exception inner = null)
        {
            return new EndpointAdminException(ErrorIds.PortCatalogInvalid, ErrorKind.InvalidData, ResourceName, message, inner);
        }

        private sealed class Entry
        {
            public Entry(VersionRange range, PortRequirement requirement)
            {
                Range = range;
                Requirement = requirement;
            }

            public VersionRange Range { get; }

            public PortRequirement Requirement { get; }
        }
    }
}
