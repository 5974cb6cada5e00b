using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Internal
{
    /// <summary>
    /// What every manager cmdlet shares: -Session with the runspace's default, a cancellation token
    /// that StopProcessing (Ctrl+C) trips at once, the pipeline's debug lines written on the
    /// cmdlet's own thread, progress, and one way to turn core failures into ErrorRecords.
    /// </summary>
    public abstract class ManagerCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Stopwatch _progressClock = Stopwatch.StartNew();

        /// <summary>The session to use; the one Connect-AgentManager made last in this runspace when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public AgentManagerSession Session { get; set; }

        internal IAgentManagerProvider Provider { get; private set; }

        /// <summary>Where a provider's warnings and verbose lines go: this cmdlet's streams.</summary>
        internal CommandFeedback Feedback => new CommandFeedback(WriteWarning, WriteVerbose);

        protected CancellationToken Cancel => _stop.Token;

        protected override void BeginProcessing()
        {
            var session = Session ?? SessionStore.Default;
            if (session == null)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.ManagerNotConnected, ErrorKind.InvalidOperation, null, "No manager session: run Connect-AgentManager first, or pass -Session.")
                {
                    RecommendedAction = "Connect-AgentManager -Product DeepSecurity -Uri https://<manager>:4119 -ApiKey (Read-Host -AsSecureString)",
                }));
            }

            var provider = ManagerConnector.Provider(session);
            if (provider == null)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.ManagerSessionClosed, ErrorKind.InvalidOperation, session.ToString(), "Session " + session.Id + " to " + session.Uri + " is closed (disconnected, or it came from another process).")
                {
                    RecommendedAction = "Run Connect-AgentManager again.",
                }));
            }

            Provider = provider;
        }

        protected override void StopProcessing()
        {
            _stop.Cancel();
        }

        protected override void EndProcessing()
        {
            Flush();
        }

        /// <summary>Capability check, terminating: nothing in this command can proceed without it.</summary>
        internal void Require(ManagerCapability capability)
        {
            try
            {
                ManagerCapabilities.Require(Provider, capability);
            }
            catch (EndpointAdminException ex)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(ex));
            }
        }

        /// <summary>Runs core work for one item: a core failure becomes one non-terminating error, Ctrl+C stops the pipeline.</summary>
        protected bool Try(Action action)
        {
            try
            {
                action();
                return true;
            }
            catch (EndpointAdminException ex)
            {
                Flush();
                WriteError(ErrorRecordFactory.Create(ex));
                return false;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                Flush();
            }
        }

        /// <summary>The IDs the manager could know; each malformed one is its own non-terminating error (AgentIdInvalid).</summary>
        protected string[] WellFormedIds(string[] ids)
        {
            if (ids == null)
            {
                return null;
            }

            var good = new System.Collections.Generic.List<string>(ids.Length);
            foreach (var id in ids)
            {
                if (Try(() => Provider.CheckAgentId(id)))
                {
                    good.Add(id);
                }
            }

            return good.ToArray();
        }

        /// <summary>Writes the pipeline's debug lines (already redacted) from this thread.</summary>
        protected void Flush()
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

        /// <summary>Progress at most a few times a second, so a fast fleet walk is not slowed by the host.</summary>
        protected void Progress(int activityId, string activity, string status, bool force = false)
        {
            if (!force && _progressClock.ElapsedMilliseconds < 250)
            {
                return;
            }

            _progressClock.Restart();
            Flush();
            WriteProgress(new ProgressRecord(activityId, activity, status));
        }

        protected void CompleteProgress(int activityId, string activity)
        {
            WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
