using System.Management.Automation;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// The agent selector of the cmdlets that act on agents (Invoke-AgentSync,
    /// Set-AgentContinuousConnection): -Id (positional, piped by property name, also as AgentId) or
    /// -Name (wildcards); one of them is required, so no command acts on the whole fleet unasked.
    /// </summary>
    public abstract class AgentActionCmdlet : AgentSelectionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public override string[] Id { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public override string[] Name { get; set; }
    }
}
