using System.Management.Automation;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// New-AgentHeartbeatFirewallRule: the priority-4 Force Allow / Bypass rule the product document
    /// describes, which replaces the manager's hidden heartbeat rule and admits only the given
    /// sources to the agent's listening port; created on the manager and assigned to a policy.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentHeartbeatFirewallRule", DefaultParameterSetName = PolicyIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(HeartbeatFirewallRule))]
    public sealed class NewAgentHeartbeatFirewallRuleCommand : PolicyTargetCmdlet
    {
        /// <summary>Also piped by property name: an agent's PolicyId names the policy that gets the rule.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PolicyIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public override int PolicyId { get; set; }

        /// <summary>Not a parameter here: the rule is assigned to a policy, never to one agent.</summary>
        public override int AgentId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] SourceIPAddress { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] SourceMacAddress { get; set; }

        /// <summary>The agent's heartbeat listening port; the manager's default when omitted.</summary>
        [Parameter]
        public int Port { get; set; }

        [Parameter]
        public HeartbeatRuleAction Action { get; set; } = HeartbeatRuleAction.ForceAllow;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.CreateHeartbeatFirewallRule);
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Port)))
            {
                Port = Provider.DefaultHeartbeatRulePort;
            }
        }

        protected override void ProcessRecord()
        {
            var target = Target;
            Try(() =>
            {
                var request = HeartbeatRuleValidator.Validate(target, Name, Action, Port, SourceIPAddress, SourceMacAddress);
                request.Policy = Provider.ResolveTarget(target, Cancel);
                var sources = string.Join(", ", request.SourceIPAddress) + (request.SourceMacAddress.Length > 0 ? " " + string.Join(", ", request.SourceMacAddress) : string.Empty);
                if (ShouldProcess(request.Policy.ToString(), "Create and assign a priority-4 " + Action + " rule for incoming TCP " + Port + " from " + sources.Trim()))
                {
                    WriteObject(Provider.NewHeartbeatFirewallRule(request, Cancel));
                }
            });
        }
    }
}
