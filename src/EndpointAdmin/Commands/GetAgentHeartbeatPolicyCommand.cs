using System.Management.Automation;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-AgentHeartbeatPolicy: the effective heartbeat and communication settings of the base
    /// policy, a policy or an agent, each with the level it comes from.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentHeartbeatPolicy", DefaultParameterSetName = BasePolicySet)]
    [OutputType(typeof(HeartbeatPolicy))]
    public sealed class GetAgentHeartbeatPolicyCommand : PolicyTargetCmdlet
    {
        [Parameter(ParameterSetName = BasePolicySet)]
        public SwitchParameter BasePolicy { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.ReadHeartbeatPolicy);
        }

        protected override void ProcessRecord()
        {
            var target = Target;
            Try(() => WriteObject(Provider.GetHeartbeatPolicy(target, Cancel)));
        }
    }
}
