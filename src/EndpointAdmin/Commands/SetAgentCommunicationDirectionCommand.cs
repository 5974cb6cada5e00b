using System.Management.Automation;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentCommunicationDirection: who opens the agent-manager conversation, on a policy or an
    /// agent. Refuses anything but Bidirectional where a virtual appliance would break.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentCommunicationDirection", DefaultParameterSetName = PolicyIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(HeartbeatPolicy))]
    public sealed class SetAgentCommunicationDirectionCommand : PolicyTargetCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public CommunicationDirection Direction { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.SetCommunicationDirection);
        }

        protected override void ProcessRecord()
        {
            var target = Target;
            Try(() =>
            {
                var change = new HeartbeatChange { Direction = Direction };
                var resolved = Provider.ResolveTarget(target, Cancel);
                Provider.CheckChange(resolved, change, Cancel);
                if (ShouldProcess(resolved.ToString(), "Set communication direction to " + Direction))
                {
                    var result = Provider.SetHeartbeatPolicy(resolved, change, Cancel);
                    if (PassThru)
                    {
                        WriteObject(result);
                    }
                }
            });
        }
    }
}
