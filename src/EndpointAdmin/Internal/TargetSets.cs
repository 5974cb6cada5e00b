using EndpointAdmin.Managers;

namespace EndpointAdmin.Internal
{
    /// <summary>The parameter set names shared by the cmdlets that target the base policy, a policy or an agent.</summary>
    internal static class TargetSets
    {
        public const string BasePolicy = "BasePolicy";
        public const string PolicyId = "PolicyId";
        public const string PolicyName = "PolicyName";
        public const string AgentId = "AgentId";

        public static PolicyTarget From(string parameterSet, int policyId, string policyName, int agentId)
        {
            switch (parameterSet)
            {
                case PolicyId: return new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, Id = policyId };
                case PolicyName: return new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, PolicyName = policyName };
                case AgentId: return new PolicyTarget { Scope = HeartbeatPolicyScope.Agent, Id = agentId };
                default: return PolicyTarget.Base();
            }
        }
    }
}
