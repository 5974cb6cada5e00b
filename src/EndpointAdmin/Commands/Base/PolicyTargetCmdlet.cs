using System.Management.Automation;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What the cmdlets that change or read a policy's settings share: the target, one of
    /// -PolicyId, -PolicyName and -AgentId (each its own parameter set; -AgentId also piped by
    /// property name, as Id), or the base policy when none is given. Each cmdlet adds its own sets,
    /// such as -BasePolicy. PowerShell reads a parameter's attributes from the property that
    /// declares it, so a cmdlet whose target takes another shape overrides the property with its
    /// own attributes (Set-AgentProxy: optional in every set), or without [Parameter] to leave the
    /// parameter out (New-AgentHeartbeatFirewallRule: a rule belongs to a policy, not to an agent).
    /// </summary>
    public abstract class PolicyTargetCmdlet : ManagerCmdlet
    {
        internal const string BasePolicySet = "BasePolicy";
        internal const string PolicyIdSet = "PolicyId";
        internal const string PolicyNameSet = "PolicyName";
        internal const string AgentIdSet = "AgentId";

        [Parameter(Mandatory = true, ParameterSetName = PolicyIdSet)]
        [ValidateRange(1, int.MaxValue)]
        public virtual int PolicyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PolicyNameSet)]
        [ValidateNotNullOrEmpty]
        public virtual string PolicyName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AgentIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, int.MaxValue)]
        public virtual int AgentId { get; set; }

        /// <summary>How many of -PolicyId, -PolicyName and -AgentId this record gives.</summary>
        protected int TargetsGiven => (Given(nameof(PolicyId)) ? 1 : 0) + (Given(nameof(PolicyName)) ? 1 : 0) + (Given(nameof(AgentId)) ? 1 : 0);

        /// <summary>The agent, the policy or, when none is given, the base policy.</summary>
        internal PolicyTarget Target
        {
            get
            {
                if (Given(nameof(AgentId)))
                {
                    return new PolicyTarget { Scope = HeartbeatPolicyScope.Agent, Id = AgentId };
                }

                if (Given(nameof(PolicyName)))
                {
                    return new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, PolicyName = PolicyName };
                }

                return Given(nameof(PolicyId)) ? new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, Id = PolicyId } : PolicyTarget.Base();
            }
        }

        private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
    }
}
