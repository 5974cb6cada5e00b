using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What every manager cmdlet shares: -Session with the runspace's default, the provider of that
    /// session's manager, capability checks, and the pipeline's debug lines written on the cmdlet's
    /// own thread.
    /// </summary>
    public abstract class ManagerCmdlet : EndpointAdminCmdlet
    {
        /// <summary>The session to use; the one Connect-AgentManager made last in this runspace when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public AgentManagerSession Session { get; set; }

        internal IAgentManagerProvider Provider { get; private set; }

        /// <summary>Where a provider's warnings and verbose lines go: this cmdlet's streams.</summary>
        internal CommandFeedback Feedback => new CommandFeedback(WriteWarning, WriteVerbose);

        protected override void BeginProcessing()
        {
            var session = Session ?? SessionStore.Default;
            if (session == null)
            {
                Terminate(new EndpointAdminException(ErrorIds.ManagerNotConnected, ErrorKind.InvalidOperation, null, "No manager session: run Connect-AgentManager first, or pass -Session.")
                {
                    RecommendedAction = "Connect-AgentManager -Product DeepSecurity -Uri https://<manager>:4119 -ApiKey (Read-Host -AsSecureString)",
                });
            }

            var provider = ManagerConnector.Provider(session);
            if (provider == null)
            {
                Terminate(new EndpointAdminException(ErrorIds.ManagerSessionClosed, ErrorKind.InvalidOperation, session.ToString(), "Session " + session.Id + " to " + session.Uri + " is closed (disconnected, or it came from another process).")
                {
                    RecommendedAction = "Run Connect-AgentManager again.",
                });
            }

            Provider = provider;
        }

        protected override void EndProcessing()
        {
            Flush();
        }

        /// <summary>Capability check, terminating: nothing in this command can proceed without it.</summary>
        internal void Require(ManagerCapability capability)
        {
            Must(() => ManagerCapabilities.Require(Provider, capability));
        }

        /// <summary>Writes the pipeline's debug lines (already redacted) from this thread.</summary>
        protected override void Flush()
        {
            var log = Provider?.Log;
            if (log == null)
            {
                return;
            }

            while (log.TryDequeue(out var line))
            {
                WriteDebug(line);
            }
        }
    }
}
