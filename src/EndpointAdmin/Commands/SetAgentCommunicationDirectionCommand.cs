using System.Management.Automation;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentCommunicationDirection: who opens the agent-manager conversation, on a policy or an
    /// agent. Refuses anything but Bidirectional where a virtual appliance would break.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentCommunicationDirection", DefaultParameterSetName = TargetSets.PolicyId, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(HeartbeatPolicy))]
    public sealed class SetAgentCommunicationDirectionCommand : ManagerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public CommunicationDirection Direction { get; set; }

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

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.SetCommunicationDirection);
        }

        protected override void ProcessRecord()
        {
            var target = TargetSets.From(ParameterSetName, PolicyId, PolicyName, AgentId);
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
