using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What every EndpointAdmin cmdlet shares: a cancellation token that StopProcessing (Ctrl+C)
    /// trips at once; the one path by which the core's failures become ErrorRecords (Try for one
    /// item, Must for what the command cannot go on without); and progress at most a few times a
    /// second. Cmdlets pick the base below this one that fits: ManagerCmdlet, FirewallCmdlet,
    /// DiagnosticsCmdlet, or this one for the few that need neither a session nor a firewall.
    /// </summary>
    public abstract class EndpointAdminCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Stopwatch _progressClock = Stopwatch.StartNew();

        /// <summary>Passed to every core call that can wait, so Ctrl+C ends it instead of waiting for it.</summary>
        protected CancellationToken Cancel => _stop.Token;

        protected sealed override void StopProcessing()
        {
            _stop.Cancel();
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stop.Dispose();
            }
        }

        /// <summary>How many non-terminating errors this command has written for core failures.</summary>
        internal int ErrorCount { get; private set; }

        /// <summary>Stops the command with the core's failure as its terminating error.</summary>
        internal void Terminate(EndpointAdminException failure)
        {
            Flush();
            ThrowTerminatingError(ErrorRecordFactory.Create(failure));
        }

        /// <summary>One non-terminating error for a core failure; the command goes on with the next item.</summary>
        internal void WriteError(EndpointAdminException failure)
        {
            ErrorCount++;
            Flush();
            WriteError(ErrorRecordFactory.Create(failure));
        }

        /// <summary>Runs core work for one item: a core failure becomes one non-terminating error and false, Ctrl+C stops the pipeline.</summary>
        protected bool Try(Action work) => Run(work, false);

        /// <summary>Runs core work the command cannot go on without: a core failure stops the command, Ctrl+C stops the pipeline.</summary>
        protected void Must(Action work) => Run(work, true);

        /// <summary>As Must(Action), for work that returns what the command goes on with.</summary>
        protected T Must<T>(Func<T> work)
        {
            var result = default(T);
            Run(() => result = work(), true);
            return result;
        }

        private bool Run(Action work, bool terminating)
        {
            try
            {
                work();
                return true;
            }
            catch (EndpointAdminException ex)
            {
                if (terminating)
                {
                    Terminate(ex);
                }

                WriteError(ex);
                return false;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C: the engine ends the pipeline; the canceled core call is no error of its own.
                throw new PipelineStoppedException();
            }
            finally
            {
                Flush();
            }
        }

        /// <summary>Writes what the core queued for this cmdlet's streams; called on the pipeline thread before errors, progress and after each piece of work.</summary>
        protected virtual void Flush()
        {
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
