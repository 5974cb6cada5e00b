using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>Disconnect-AgentManager: closes a session (its HTTP client and key) and forgets it as the default.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "AgentManager")]
    public sealed class DisconnectAgentManagerCommand : EndpointAdminCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AgentManagerSession Session { get; set; }

        protected override void ProcessRecord()
        {
            var session = Session ?? SessionStore.Default;
            if (session == null)
            {
                WriteError(new EndpointAdminException(ErrorIds.ManagerNotConnected, ErrorKind.InvalidOperation, null, "No manager session to disconnect."));
                return;
            }

            ManagerConnector.Close(session);
            if (ReferenceEquals(SessionStore.Default, session))
            {
                SessionStore.Default = null;
            }

            WriteVerbose("Disconnected " + session + ".");
        }
    }
}
