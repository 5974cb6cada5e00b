using System;
using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentHeartbeat: each agent's last contact against its effective heartbeat policy, as
    /// pages arrive. Each policy is read once per invocation, also across piped agents.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentHeartbeat", DefaultParameterSetName = ByName)]
    [OutputType(typeof(HeartbeatResult), typeof(bool))]
    public sealed class TestAgentHeartbeatCommand : AgentLookupCmdlet
    {
        private const string Activity = "Test-AgentHeartbeat";

        private HeartbeatRun _run;
        private bool _allGood = true;
        private int _count;
        private HashSet<HeartbeatStatus> _wanted;

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>
        /// Writes only the verdicts with one of these statuses (e.g. Alert, NeverContacted): the filter
        /// a fleet check needs, applied as results are made instead of through Where-Object per agent.
        /// -Quiet still judges every agent.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public HeartbeatStatus[] Status { get; set; }

        /// <summary>The interval to judge against instead of the manager's: Kaspersky's Network Agent synchronization interval (15 when omitted), or Deep Security's heartbeat interval.</summary>
        [Parameter]
        [ValidateRange(1, 1440)]
        public int? SyncIntervalMinutes { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.EvaluateHeartbeat);
            _run = new HeartbeatRun(DateTime.UtcNow) { IntervalOverrideMinutes = SyncIntervalMinutes };
            _wanted = Status == null ? null : new HashSet<HeartbeatStatus>(Status);
        }

        private protected override void ProcessQuery(AgentQuery query)
        {
            var found = new FoundAgents(query);
            // After a failure the rest is unknown, not missing: report only what a complete answer lacks.
            var complete = Try(() =>
            {
                foreach (var result in Provider.TestHeartbeat(query, _run, n => Progress(1, Activity, (_count + n) + " agent(s) evaluated"), Cancel))
                {
                    found.Add(result.AgentId, result.Name);
                    if (result.Status == HeartbeatStatus.Alert || result.Status == HeartbeatStatus.NeverContacted)
                    {
                        _allGood = false;
                    }

                    if (!Quiet && (_wanted == null || _wanted.Contains(result.Status)))
                    {
                        WriteObject(result);
                    }
                }
            });
            _count += found.Count;
            if (!complete || ReportMissing(found) > 0)
            {
                _allGood = false;
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            CompleteProgress(1, Activity);
            WriteVerbose(_count + " agent(s) evaluated against " + _run.Policies.Count + " policy(ies), each read once.");
            if (Quiet)
            {
                WriteObject(_allGood);
            }
        }
    }
}
