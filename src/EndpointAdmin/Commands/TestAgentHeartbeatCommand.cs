using System;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentHeartbeat: each agent's last contact against its effective heartbeat policy, as
    /// pages arrive. Each policy is read once per invocation, also across piped agents.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentHeartbeat", DefaultParameterSetName = ByName)]
    [OutputType(typeof(HeartbeatResult), typeof(bool))]
    public sealed class TestAgentHeartbeatCommand : ManagerCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";
        private const string Activity = "Test-AgentHeartbeat";

        private HeartbeatRun _run;
        private bool _allGood = true;
        private int _count;

        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? PolicyId { get; set; }

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

        /// <summary>Piped agents are tested in groups this large: a manager that finds many IDs per request answers in one.</summary>
        private const int IdBatch = 500;

        private readonly System.Collections.Generic.List<string> _pendingIds = new System.Collections.Generic.List<string>();

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ById)
            {
                _pendingIds.AddRange(WellFormedIds(Id));
                if (_pendingIds.Count >= IdBatch)
                {
                    TestPendingIds();
                }

                return;
            }

            Evaluate(new AgentQuery { Names = Patterns.From(Name), PolicyId = PolicyId });
        }

        private void TestPendingIds()
        {
            if (_pendingIds.Count == 0)
            {
                return;
            }

            var ids = _pendingIds.ToArray();
            _pendingIds.Clear();
            Evaluate(new AgentQuery { Ids = ids, PolicyId = PolicyId });
        }

        private void Evaluate(AgentQuery query)
        {
            var seen = new System.Collections.Generic.HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var judged = 0;
            var names = new System.Collections.Generic.List<string>();
            var literals = query.Names?.Where(n => !n.HasWildcards).ToList();
            // After a failure the rest is unknown, not missing: report only what a complete answer lacks.
            var complete = Try(() =>
            {
                foreach (var result in Provider.TestHeartbeat(query, _run, n => Progress(1, Activity, (_count + n) + " agent(s) evaluated"), Cancel))
                {
                    // Only asked-for IDs are checked afterwards: a whole fleet's IDs are not kept.
                    judged++;
                    if (query.Ids != null)
                    {
                        seen.Add(result.AgentId);
                    }

                    if (literals != null && literals.Count > 0)
                    {
                        names.Add(result.Name);
                    }

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
            _count += judged;
            if (!complete)
            {
                _allGood = false;
                return;
            }

            foreach (var name in literals ?? new System.Collections.Generic.List<Catalog.NamePattern>())
            {
                if (!names.Any(name.IsMatch))
                {
                    _allGood = false;
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, name.Text, "The manager has no computer named '" + name.Text + "'.")));
                }
            }

            foreach (var id in query.Ids ?? new string[0])
            {
                if (!seen.Contains(id))
                {
                    _allGood = false;
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no computer with ID " + id + ".")));
                }
            }
        }

        protected override void EndProcessing()
        {
            TestPendingIds();
            CompleteProgress(1, Activity);
            WriteVerbose(_count + " agent(s) evaluated against " + _run.Policies.Count + " policy(ies), each read once.");
            if (Quiet)
            {
                WriteObject(_allGood);
            }

            base.EndProcessing();
        }
    }
}
