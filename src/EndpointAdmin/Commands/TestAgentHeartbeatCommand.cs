using System;
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

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>The interval to judge against instead of the manager's: Kaspersky's Network Agent synchronization interval (15 when omitted), or Deep Security's heartbeat interval.</summary>
        [Parameter]
        [ValidateRange(1, 1440)]
        public int? SyncIntervalMinutes { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.EvaluateHeartbeat);
            _run = new HeartbeatRun(DateTime.UtcNow) { IntervalOverrideMinutes = SyncIntervalMinutes };
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

                    if (!Quiet)
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
