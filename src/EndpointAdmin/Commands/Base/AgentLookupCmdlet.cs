using System.Management.Automation;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// The agent selector of the cmdlets that read agents (Get-Agent, Test-AgentHeartbeat): every
    /// agent when nothing is given, -Name (positional, wildcards) or -Id (piped by property name,
    /// also as AgentId), each within -PolicyId when given.
    /// </summary>
    public abstract class AgentLookupCmdlet : AgentSelectionCmdlet
    {
        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public override string[] Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public override string[] Id { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? PolicyId { get; set; }

        protected override int? InPolicy => PolicyId;
    }
}
