using System.Collections.Generic;
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
    [Cmdlet(VerbsCommon.Get, "AgentPortRequirement", DefaultParameterSetName = AllVersionsSet)]
    [OutputType(typeof(PortRequirement))]
    public sealed class GetAgentPortRequirementCommand : PSCmdlet
    {
        private const string AllVersionsSet = "AllVersions";
        private const string VersionSet = "Version";

        private PortCatalog _catalog;

        /// <summary>Products to list; all when omitted. Required with -Version, whose meaning depends on the product.</summary>
        [Parameter(ParameterSetName = AllVersionsSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = VersionSet, Position = 0, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public Product[] Product { get; set; }

        [Parameter(ParameterSetName = VersionSet, Position = 1, Mandatory = true, ValueFromPipelineByPropertyName = true)]
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
        public Topology Topology { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Direction Direction { get; set; }

        protected override void BeginProcessing()
        {
            try
            {
                _catalog = PortCatalog.Default;
            }
            catch (EndpointAdminException ex)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(ex));
            }
        }

        protected override void ProcessRecord()
        {
            // BoundParameters (not the property values) tells whether a filter was given: the
            // enums' defaults are real values, and pipeline-bound values are reset per record.
            var bound = MyInvocation.BoundParameters;
            var query = new PortQuery
            {
                Products = Product,
                Version = bound.ContainsKey(nameof(Version)) ? Version : null,
                Components = bound.ContainsKey(nameof(Component)) ? ToPatterns(Component) : null,
                Direction = bound.ContainsKey(nameof(Direction)) ? Direction : (Direction?)null,
                Topology = bound.ContainsKey(nameof(Topology)) ? Topology : (Topology?)null,
            };
            if (!bound.ContainsKey(nameof(Product)))
            {
                query.Products = null;
            }

            var result = _catalog.Find(query);
            foreach (var error in result.Errors)
            {
                WriteError(ErrorRecordFactory.Create(error));
            }

            foreach (var requirement in result.Requirements)
            {
                WriteObject(requirement);
            }
        }

        private static List<NamePattern> ToPatterns(string[] names)
        {
            var patterns = new List<NamePattern>(names.Length);
            foreach (var name in names)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var wildcard = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    patterns.Add(new NamePattern(name, true, wildcard.IsMatch));
                }
                else
                {
                    patterns.Add(NamePattern.Literal(WildcardPattern.Unescape(name)));
                }
            }

            return patterns;
        }
    }
}
