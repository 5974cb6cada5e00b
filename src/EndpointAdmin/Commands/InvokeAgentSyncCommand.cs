using System;
using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Invoke-AgentSync: asks the manager to send each agent its policy now; with -Wait, follows the
    /// manager's record of the last successful send until it moves or -TimeoutSec passes.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AgentSync", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(SyncResult))]
    public sealed class InvokeAgentSyncCommand : ManagerCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";
        private const string Activity = "Invoke-AgentSync";
        private readonly List<SyncResult> _pending = new List<SyncResult>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter]
        public SwitchParameter Wait { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.SyncAgent);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByName)
            {
                var query = new AgentQuery { Names = Patterns.From(Name) };
                Try(() =>
                {
                    foreach (var agent in Provider.GetAgents(query, null, Cancel))
                    {
                        Sync(agent.Id, agent.Name);
                    }
                });
                return;
            }

            foreach (var id in Id)
            {
                Sync(id, null);
            }
        }

        private void Sync(string id, string name)
        {
            if (!ShouldProcess((name ?? "agent") + " (" + id + ")", "Send policy now"))
            {
                return;
            }

            Try(() =>
            {
                var result = Provider.RequestSync(id, Cancel);
                if (Wait)
                {
                    _pending.Add(result);
                    Progress(1, Activity, _pending.Count + " sync request(s) sent");
                }
                else
                {
                    WriteObject(result);
                }
            });
        }

        protected override void EndProcessing()
        {
            // Waiting after all requests are out lets the manager work on every agent at once.
            var deadline = DateTime.UtcNow.AddSeconds(TimeoutSec);
            var done = 0;
            foreach (var pending in _pending)
            {
                Try(() =>
                {
                    var result = Provider.WaitForSync(pending, deadline, Cancel);
                    done++;
                    Progress(1, Activity, done + " of " + _pending.Count + " agent(s) confirmed or timed out", force: true);
                    if (result.Status == SyncStatus.TimedOut)
                    {
                        WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.ManagerTimeout, ErrorKind.OperationTimeout, result.AgentId, "The manager recorded no successful policy send to " + result.Name + " (" + result.AgentId + ") within " + TimeoutSec + " s.")
                        {
                            RecommendedAction = "Check the agent's status and communication direction; an agent-initiated agent receives its policy only at its next heartbeat.",
                        }));
                    }

                    WriteObject(result);
                });
            }

            if (_pending.Count > 0)
            {
                CompleteProgress(1, Activity);
            }

            base.EndProcessing();
        }
    }
}
