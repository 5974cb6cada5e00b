using System.Collections.Generic;

namespace EndpointAdmin.Catalog
{
    /// <summary>What the catalog knows about one product: its version ranges and components.</summary>
    internal sealed class CatalogProduct
    {
        public CatalogProduct(Product product, string displayName, string versionMeaning, IReadOnlyList<VersionRange> versions, IReadOnlyList<string> components)
        {
            Product = product;
            DisplayName = displayName;
            VersionMeaning = versionMeaning;
            Versions = versions;
            Components = components;
        }

        public Product Product { get; }

        public string DisplayName { get; }

        /// <summary>Whose version -Version means for this product (agent build, back-office release, ...).</summary>
        public string VersionMeaning { get; }

        public IReadOnlyList<VersionRange> Versions { get; }

        public IReadOnlyList<string> Components { get; }

        public string DescribeVersions()
        {
            var labels = new List<string>();
            foreach (var v in Versions)
            {
                labels.Add(v.Label);
            }

            return string.Join(", ", labels);
        }
    }
}
