using System;
using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Completers;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-AgentPortRequirement: the ports each product component needs, from the catalog built
    /// from the product documents. Output feeds the firewall cmdlets.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentPortRequirement")]
    [OutputType(typeof(PortRequirement))]
    public sealed class GetAgentPortRequirementCommand : EndpointAdminCmdlet
    {
        // One parameter set on purpose: with pipeline input by property name, a separate
        // "-Version needs -Product" set let the binder pick the default set and silently drop the
        // piped Version. The rule is checked per record instead. Filters are nullable so that
        // "not given" is distinguishable from an enum's default value, also for values that the
        // engine resets between piped records.
        private PortCatalog _catalog;

        /// <summary>Products to list; all when omitted. Required with -Version, whose meaning depends on the product.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public Product[] Product { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogVersionCompleter))]
        public string Version { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PortCatalogComponentCompleter))]
        public string[] Component { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet(nameof(EndpointAdmin.Topology.SameMachine), nameof(EndpointAdmin.Topology.SeparateMachines))]
        public Topology? Topology { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Direction? Direction { get; set; }

        protected override void BeginProcessing()
        {
            _catalog = Must(() => PortCatalog.Default);
        }

        protected override void ProcessRecord()
        {
            if (Version != null && (Product == null || Product.Length == 0))
            {
                WriteError(new EndpointAdminException(
                    ErrorIds.PortCatalogVersionWithoutProduct,
                    ErrorKind.InvalidArgument,
                    Version,
                    "-Version " + Version + " needs -Product: each product numbers its versions differently. Known products: " + string.Join(", ", Enum.GetNames(typeof(Product))) + "."));
                return;
            }

            var result = _catalog.Find(new PortQuery
            {
                Products = Product,
                Version = Version,
                Components = Patterns.From(Component),
                Direction = Direction,
                Topology = Topology,
            });
            foreach (var error in result.Errors)
            {
                WriteError(error);
            }

            WriteVerbose("Port catalog: " + result.Requirements.Count + " row(s) for " + (Product == null ? "every product" : string.Join(", ", Product)) + (Version == null ? string.Empty : " version " + Version) + ".");
            foreach (var requirement in result.Requirements)
            {
                WriteObject(requirement);
            }
        }
    }
}
