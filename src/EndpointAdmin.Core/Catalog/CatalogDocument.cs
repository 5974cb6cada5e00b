using System.Collections.Generic;
using Newtonsoft.Json;

namespace EndpointAdmin.Catalog
{
    // The shape of port-catalog.json. Kept apart from the public models so the file format can
    // change without touching what users see; Newtonsoft types never leave the core.
    internal sealed class CatalogDocument
    {
        [JsonProperty("$comment")]
        public string Comment { get; set; }

        [JsonProperty("sources", Required = Required.Always)]
        public Dictionary<string, string> Sources { get; set; }

        [JsonProperty("products", Required = Required.Always)]
        public List<ProductDocument> Products { get; set; }

        [JsonProperty("requirements", Required = Required.Always)]
        public List<RequirementDocument> Requirements { get; set; }
    }

    internal sealed class ProductDocument
    {
        [JsonProperty("name", Required = Required.Always)]
        public Product Name { get; set; }

        [JsonProperty("displayName", Required = Required.Always)]
        public string DisplayName { get; set; }

        [JsonProperty("versionMeaning", Required = Required.Always)]
        public string VersionMeaning { get; set; }

        [JsonProperty("versions", Required = Required.Always)]
        public List<VersionDocument> Versions { get; set; }

        [JsonProperty("components", Required = Required.Always)]
        public List<string> Components { get; set; }
    }

    internal sealed class VersionDocument
    {
        [JsonProperty("label", Required = Required.Always)]
        public string Label { get; set; }

        [JsonProperty("minimum")]
        public string Minimum { get; set; }

        [JsonProperty("maximum")]
        public string Maximum { get; set; }
    }

    internal sealed class RequirementDocument
    {
        [JsonProperty("product", Required = Required.Always)]
        public Product Product { get; set; }

        [JsonProperty("version", Required = Required.Always)]
        public string Version { get; set; }

        [JsonProperty("component", Required = Required.Always)]
        public string Component { get; set; }

        [JsonProperty("direction", Required = Required.Always)]
        public Direction Direction { get; set; }

        [JsonProperty("protocol", Required = Required.Always)]
        public Protocol Protocol { get; set; }

        [JsonProperty("port", Required = Required.Always)]
        public int Port { get; set; }

        [JsonProperty("topology")]
        public Topology Topology { get; set; } = Topology.Any;

        [JsonProperty("necessity")]
        public PortNecessity Necessity { get; set; } = PortNecessity.Required;

        [JsonProperty("configurable")]
        public bool Configurable { get; set; }

        [JsonProperty("purpose", Required = Required.Always)]
        public string Purpose { get; set; }

        [JsonProperty("peer")]
        public string Peer { get; set; }

        [JsonProperty("condition")]
        public string Condition { get; set; }

        [JsonProperty("source", Required = Required.Always)]
        public string Source { get; set; }
    }
}
