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

    /// <summary>What a query found, and the problems to report for the parts it could not answer.</summary>
    internal sealed class PortQueryResult
    {
        public List<PortRequirement> Requirements { get; } = new List<PortRequirement>();

        public List<Errors.EndpointAdminException> Errors { get; } = new List<Errors.EndpointAdminException>();
    }
}
