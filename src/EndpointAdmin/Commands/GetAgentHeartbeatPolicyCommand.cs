using System.Management.Automation;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-AgentHeartbeatPolicy: the effective heartbeat and communication settings of the base
    /// policy, a policy or an agent, each with the level it comes from.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentHeartbeatPolicy", DefaultParameterSetName = TargetSets.BasePolicy)]
    [OutputType(typeof(HeartbeatPolicy))]
    public sealed class GetAgentHeartbeatPolicyCommand : ManagerCmdlet
    {
        [Parameter(ParameterSetName = TargetSets.BasePolicy)]
        public SwitchParameter BasePolicy { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = TargetSets.PolicyId)]
        [ValidateRange(1, int.MaxValue)]
        public int PolicyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = TargetSets.PolicyName)]
        [ValidateNotNullOrEmpty]
        public string PolicyName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = TargetSets.AgentId, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, int.MaxValue)]
        public int AgentId { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.ReadHeartbeatPolicy);
        }

        protected override void ProcessRecord()
        {
            var target = TargetSets.From(ParameterSetName, PolicyId, PolicyName, AgentId);
            Try(() => WriteObject(Provider.GetHeartbeatPolicy(target, Cancel)));
        }
    }
}
