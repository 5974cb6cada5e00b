using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentProxy: points a manager's proxy setting at a proxy. Deep Security REST v1 knows
    /// proxies only by ID; a proxy given by address is refused with the console page to use instead.
    /// -Purpose AgentServer is Apex One's agent-server proxy (no proxy, the agents' system proxy, or
    /// a manual one with protocol, host, port and credential), validated before it is refused for
    /// want of an API with the console fields to fill in.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentProxy", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class SetAgentProxyCommand : PolicyTargetCmdlet
    {
        private const string ById = "ProxyId";
        private const string ByAddress = "ProxyUri";
        private const string Direct = "NoProxy";
        private const string SystemSettings = "UseSystemProxy";

        [Parameter(Mandatory = true, Position = 0)]
        public ProxyPurpose Purpose { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ById)]
        [ValidateRange(1, int.MaxValue)]
        public int ProxyId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByAddress)]
        [ValidateNotNullOrEmpty]
        public string ProxyUri { get; set; }

        /// <summary>Apex One agent-server proxy: agents connect to the server directly.</summary>
        [Parameter(Mandatory = true, ParameterSetName = Direct)]
        public SwitchParameter NoProxy { get; set; }

        /// <summary>Apex One agent-server proxy: agents use the system proxy settings of their computer.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SystemSettings)]
        public SwitchParameter UseSystemProxy { get; set; }

        [Parameter(ParameterSetName = ByAddress)]
        [Credential]
        [ValidateNotNull]
        public PSCredential ProxyCredential { get; set; }

        // The target is optional in every set here: the proxy sets above say what to use, the target where.
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public override int PolicyId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public override string PolicyName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateRange(1, int.MaxValue)]
        public override int AgentId { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var given = TargetsGiven;
                if (given > 1)
                {
                    throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, Purpose.ToString(), "Give at most one of -PolicyId, -PolicyName and -AgentId.");
                }

                var target = Target;
                if (Purpose == ProxyPurpose.AgentServer || ParameterSetName == Direct || ParameterSetName == SystemSettings)
                {
                    SetAgentServerProxy(given);
                    return;
                }

                if (ParameterSetName == ByAddress)
                {
                    // Checked first so the user learns what the product offers before anything else.
                    UriRules.Parse(ProxyUri, "-ProxyUri");
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

        private void SetAgentServerProxy(int targetsGiven)
        {
            if (Purpose != ProxyPurpose.AgentServer)
            {
                throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, Purpose.ToString(), "-NoProxy and -UseSystemProxy choose how Apex One agents reach their server: use them with -Purpose AgentServer.");
            }

            if (targetsGiven > 0)
            {
                throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, Purpose.ToString(), "The agent-server proxy is a server-wide setting (Agent-Server Communication): leave out -PolicyId, -PolicyName and -AgentId.");
            }

            if (ParameterSetName == ById)
            {
                throw new EndpointAdminException(ErrorIds.AgentServerProxyInvalid, ErrorKind.InvalidArgument, ProxyId, "The agent-server proxy is given by address, not by ID: use -ProxyUri (with -ProxyCredential), -NoProxy or -UseSystemProxy.");
            }

            var mode = ParameterSetName == Direct ? AgentServerProxyMode.None : ParameterSetName == SystemSettings ? AgentServerProxyMode.System : AgentServerProxyMode.Manual;
            Provider.SetAgentServerProxy(new AgentServerProxyRequest { Mode = mode, ProxyUri = ProxyUri, UserName = ProxyCredential?.UserName, Password = ProxyCredential?.Password }, Feedback, Cancel);
        }
    }
}
