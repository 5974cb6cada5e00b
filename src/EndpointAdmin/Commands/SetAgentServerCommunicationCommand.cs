using System.Management.Automation;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentServerCommunication: the server names, IPv4/IPv6 addresses and listening port that
    /// Apex One Security Agents use to reach their server. Agents already deployed lose the server
    /// when these change, so the impact is High and a warning says so. No Automation API exposes the
    /// settings: after validation the command names the console page and the values to enter.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentServerCommunication", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class SetAgentServerCommunicationCommand : ManagerCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] ServerAddress { get; set; }

        [Parameter]
        public int ListeningPort { get; set; }

        /// <summary>The Security Agent version the change is for; 3.5.2xxx or earlier cannot be changed.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AgentVersion { get; set; }

        protected override void ProcessRecord()
        {
            Try(() =>
            {
                var request = new ServerCommunicationRequest
                {
                    ServerAddresses = ServerAddress,
                    ListeningPort = MyInvocation.BoundParameters.ContainsKey(nameof(ListeningPort)) ? ListeningPort : (int?)null,
                    AgentVersion = AgentVersion,
                };
                Provider.SetServerCommunication(request, Feedback, Cancel);
            });
        }
    }
}
