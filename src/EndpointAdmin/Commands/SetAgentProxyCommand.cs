using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentProxy: points a manager's proxy setting at a proxy. Deep Security REST v1 knows
    /// proxies only by ID; a proxy given by address is refused with the console page to use instead.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentProxy", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class SetAgentProxyCommand : ManagerCmdlet
    {
        private const string ById = "ProxyId";
        private const string ByAddress = "ProxyUri";

        [Parameter(Mandatory = true, Position = 0)]
        public ProxyPurpose Purpose { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ById)]
        [ValidateRange(1, int.MaxValue)]
        public int ProxyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByAddress)]
        [ValidateNotNullOrEmpty]
        public string ProxyUri { get; set; }

        [Parameter(ParameterSetName = ByAddress)]
        [Credential]
        [ValidateNotNull]
        public PSCredential ProxyCredential { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int PolicyId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PolicyName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, int.MaxValue)]
        public int AgentId { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var given = (MyInvocation.BoundParameters.ContainsKey(nameof(PolicyId)) ? 1 : 0) + (PolicyName != null ? 1 : 0) + (MyInvocation.BoundParameters.ContainsKey(nameof(AgentId)) ? 1 : 0);
                if (given > 1)
                {
                    throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, Purpose.ToString(), "Give at most one of -PolicyId, -PolicyName and -AgentId.");
                }

                var set = MyInvocation.BoundParameters.ContainsKey(nameof(AgentId)) ? TargetSets.AgentId
                    : PolicyName != null ? TargetSets.PolicyName
                    : MyInvocation.BoundParameters.ContainsKey(nameof(PolicyId)) ? TargetSets.PolicyId
                    : TargetSets.BasePolicy;
                var target = TargetSets.From(set, PolicyId, PolicyName, AgentId);
                if (ParameterSetName == ByAddress)
                {
                    // Checked first so the user learns what the product offers before anything else.
                    ManagerConnector.ParseUri(ProxyUri, "-ProxyUri");
                    Provider.SetProxy(Purpose, target, null, Cancel);
                    return;
                }

                Provider.CheckProxyScope(Purpose, target);
                var scope = target.Scope == HeartbeatPolicyScope.BasePolicy ? "the manager" : target.ToString();
                if (ShouldProcess(scope, "Use proxy " + ProxyId + " for " + Purpose))
                {
                    Provider.SetProxy(Purpose, target, ProxyId, Cancel);
                }
            });
        }
    }
}
