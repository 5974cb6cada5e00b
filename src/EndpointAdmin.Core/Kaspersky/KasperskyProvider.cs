using System;
using System.Collections.Generic;
using System.Threading;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// Kaspersky Security Center through the Open API (docs/design/vendor-apis.md §2): a Session.StartSession
    /// session renewed when the server drops it (KscSession), devices through FindHosts and chunk
    /// accessors that are always released (KscHostSearch), batched forced synchronization followed
    /// through AsyncActionStateChecker (KscSync), and the keep-connection flag under the server's
    /// limit of 300.
    /// </summary>
    internal sealed class KasperskyProvider : ManagerProviderBase
    {
        private static readonly ManagerCapability[] Declared =
        {
            ManagerCapability.ListAgents,
            ManagerCapability.EvaluateHeartbeat,
            ManagerCapability.SyncAgent,
            ManagerCapability.SetContinuousConnection,
            ManagerCapability.Baseline,
        };

        private readonly KscSession _session;
        private readonly KscHostSearch _hosts;
        private readonly KscSync _sync;
        private readonly KscBaseline _baseline;
        private readonly int _batchSize;

        public KasperskyProvider(KscSession session, int chunkSize = KscWire.ChunkSize, int batchSize = KscWire.SyncBatchSize)
            : base(session.Http)
        {
            _session = session;
            _batchSize = batchSize;
            _hosts = new KscHostSearch(session, chunkSize, batchSize);
            _sync = new KscSync(session, _hosts, batchSize);
            _baseline = new KscBaseline(this, _hosts);
        }

        public override ManagerProduct Product => ManagerProduct.KasperskySecurityCenter;

        public override IReadOnlyCollection<ManagerCapability> Capabilities => Declared;

        public override string ConsolePath(ManagerCapability capability) => KscWire.ConsolePath(capability);

        public override int SyncBatchSize => _batchSize;

        public override void CheckAgentId(string id)
        {
            if (!KscWire.IsHostId(id))
            {
                throw KscWire.BadHostId(id);
            }
        }

        public override string CheckConnection(CancellationToken cancel)
        {
            _session.SignIn(cancel);
            _session.Call(KscWire.Ping, new JObject(), true, cancel);
            return null;
        }

        public override IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            if (query.PolicyId.HasValue)
            {
                throw ManagerCapabilities.NotSupported(this, ManagerCapability.ListAgents, "Kaspersky Security Center devices have no policy ID; select them with -Name or -Id");
            }

            foreach (var agent in _hosts.GetAgents(query, onPage, cancel))
            {
                yield return agent;
            }
        }

        public override IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel)
        {
            var minutes = run.IntervalOverrideMinutes ?? KscWire.DefaultSyncIntervalMinutes;
            run.Policies[0] = new Dictionary<string, string> { ["SyncIntervalMinutes"] = minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var agent in GetAgents(query, onPage, cancel))
            {
                var verdict = HeartbeatEvaluator.Evaluate(agent.LastContact, run.Now, TimeSpan.FromMinutes(minutes), KscWire.MissedSyncsBeforeAlert);
                yield return new HeartbeatResult
                {
                    AgentId = agent.Id,
                    Name = agent.Name,
                    Product = Product,
                    LastContact = agent.LastContact,
                    IntervalMinutes = minutes,
                    MissedHeartbeatsBeforeAlert = KscWire.MissedSyncsBeforeAlert,
                    MissedHeartbeats = verdict.Missed,
                    Status = verdict.Status,
                    CheckedAt = run.Now,
                };
            }
        }

        public override IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel) => _sync.RequestSync(agentIds, cancel);

        public override IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel) => _sync.WaitForSync(requested, deadlineUtc, cancel);

        public override ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel)
        {
            return new ContinuousConnectionCount { InUse = _hosts.Count(KscWire.KeepConnectionFilter, cancel), Limit = KscWire.ContinuousConnectionLimit };
        }

        public override Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel)
        {
            _session.Call(KscWire.UpdateHost, new JObject { ["strHostName"] = agent.Id, ["pInfo"] = new JObject { [KscWire.KeepConnection] = enabled } }, true, cancel);
            agent.ContinuousConnection = enabled;
            return agent;
        }

        public override IEnumerable<Baseline.BaselineTargetState> ReadBaseline(Baseline.ManagerBaseline baseline, CancellationToken cancel) => _baseline.Read(baseline, cancel);

        public override void CheckBaseline(IReadOnlyList<Baseline.BaselineWrite> plan, CancellationToken cancel) => _baseline.Check(plan, cancel);

        public override void WriteBaseline(Baseline.BaselineWrite write, CancellationToken cancel) => _baseline.Write(write, cancel);

        public override System.Collections.Specialized.OrderedDictionary ExportBaseline(CancellationToken cancel) => _baseline.Export(cancel);

        /// <summary>Signs out (EndSession), then the pipeline goes.</summary>
        public override void Dispose()
        {
            _session.Close();
            base.Dispose();
        }
    }
}
