using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Invoke-AgentSync: asks the manager to sync each agent now, as many agents per request as the
    /// manager takes (Kaspersky: a batch per AddHostsForSync; Deep Security: one task per computer).
    /// With -Wait, follows every agent until the manager records its sync, reports a failure, or
    /// -TimeoutSec passes; -ThrottleLimit bounds the sync operations awaited at once.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AgentSync", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SyncResult))]
    public sealed class InvokeAgentSyncCommand : AgentActionCmdlet
    {
        private const string Activity = "Invoke-AgentSync";
        private readonly List<string> _queue = new List<string>();
        private readonly List<SyncResult> _inFlight = new List<SyncResult>();
        private int _operations;
        private int _requested;
        private int _settled;

        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>With -Wait: sync operations (a Kaspersky batch, a Deep Security computer) awaited at once before more are requested.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 32;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.SyncAgent);
        }

        private protected override void ProcessQuery(AgentQuery query)
        {
            if (query.Ids != null)
            {
                // The manager looks the IDs up as it takes the request, and reports the unknown ones.
                foreach (var id in query.Ids)
                {
                    Enqueue(id, null);
                }

                return;
            }

            var agents = new List<Agent>();
            Try(() => agents.AddRange(Provider.GetAgents(query, null, Cancel)));
            foreach (var agent in agents)
            {
                Enqueue(agent.Id, agent.Name);
            }
        }

        private void Enqueue(string id, string name)
        {
            if (!ShouldProcess((name ?? "agent") + " (" + id + ")", "Sync now"))
            {
                return;
            }

            _queue.Add(id);
            if (_queue.Count >= Provider.SyncBatchSize)
            {
                SendQueued();
            }
        }

        private void SendQueued()
        {
            if (_queue.Count == 0)
            {
                return;
            }

            var batch = _queue.ToList();
            _queue.Clear();
            Try(() =>
            {
                foreach (var outcome in Provider.RequestSync(batch, Cancel))
                {
                    if (outcome.Error != null)
                    {
                        WriteError(outcome.Error);
                    }
                    else if (Wait)
                    {
                        _inFlight.Add(outcome.Result);
                    }
                    else
                    {
                        WriteObject(outcome.Result);
                    }
                }
            });
            _requested += batch.Count;
            Progress(1, Activity, _requested + " agent(s) requested" + (Wait ? ", " + _settled + " settled" : string.Empty));
            if (Wait && ++_operations >= ThrottleLimit)
            {
                Drain();
            }
        }

        /// <summary>Waits for every agent in flight: the manager works on all of them at once meanwhile.</summary>
        private void Drain()
        {
            _operations = 0;
            if (_inFlight.Count == 0)
            {
                return;
            }

            var awaited = _inFlight.ToList();
            _inFlight.Clear();
            var deadline = DateTime.UtcNow.AddSeconds(TimeoutSec);
            Try(() =>
            {
                foreach (var outcome in Provider.WaitForSync(awaited, deadline, Cancel))
                {
                    _settled++;
                    Progress(1, Activity, _requested + " agent(s) requested, " + _settled + " settled");
                    Report(outcome);
                }
            });
        }

        private void Report(SyncOutcome outcome)
        {
            if (outcome.Error != null)
            {
                WriteError(outcome.Error);
                return;
            }

            var result = outcome.Result;
            if (result.Status == SyncStatus.TimedOut)
            {
                WriteError(new EndpointAdminException(ErrorIds.ManagerTimeout, ErrorKind.OperationTimeout, result.AgentId, "The manager recorded no sync of " + result.Name + " (" + result.AgentId + ") within " + TimeoutSec + " s.")
                {
                    RecommendedAction = "Check that the agent is running and can reach the manager (Test-AgentHeartbeat, Test-AgentConnection); an agent that only connects on its own schedule syncs at its next connection.",
                });
            }
            else if (result.Status == SyncStatus.Failed)
            {
                WriteError(new EndpointAdminException(ErrorIds.KscSyncFailed, ErrorKind.InvalidOperation, result.AgentId, "The manager reported that the sync of " + result.Name + " (" + result.AgentId + ") failed: " + result.Message)
                {
                    ServerMessage = result.Message,
                });
            }

            WriteObject(result);
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            SendQueued();
            if (Wait)
            {
                Drain();
            }

            if (_requested > 0)
            {
                CompleteProgress(1, Activity);
            }
        }
    }
}
