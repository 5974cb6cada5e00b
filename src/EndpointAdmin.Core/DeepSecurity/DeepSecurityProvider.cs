using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Deep Security Manager through REST v1 (docs/design/vendor-apis.md §1): computers by the documented ID-paging
    /// search (ComputerSearch), settings as {"value": ...} with overrides and DELETE resets
    /// (PolicySettings), firewall rules with assignments (HeartbeatRules), and send-policy scheduled
    /// tasks (SyncTasks). This class says what the product offers and hands each call to them.
    /// </summary>
    internal sealed class DeepSecurityProvider : ManagerProviderBase
    {
        private static readonly ManagerCapability[] Declared =
        {
            ManagerCapability.ListAgents,
            ManagerCapability.EvaluateHeartbeat,
            ManagerCapability.ReadHeartbeatPolicy,
            ManagerCapability.WriteHeartbeatPolicy,
            ManagerCapability.SetCommunicationDirection,
            ManagerCapability.CreateHeartbeatFirewallRule,
            ManagerCapability.SyncAgent,
            ManagerCapability.SetProxyById,
            ManagerCapability.Baseline,
        };

        private readonly ComputerSearch _computers;
        private readonly PolicySettings _policies;
        private readonly HeartbeatRules _rules;
        private readonly SyncTasks _sync;
        private readonly DeepSecurityBaseline _baseline;

        public DeepSecurityProvider(HttpPipeline http, int pageSize = PageSize)
            : base(http)
        {
            _computers = new ComputerSearch(http, pageSize);
            _policies = new PolicySettings(http, _computers);
            _rules = new HeartbeatRules(http, _policies);
            _sync = new SyncTasks(http, _computers);
            _baseline = new DeepSecurityBaseline(http, _computers, _policies, _rules);
        }

        public override ManagerProduct Product => ManagerProduct.DeepSecurity;

        public override IReadOnlyCollection<ManagerCapability> Capabilities => Declared;

        public override string ConsolePath(ManagerCapability capability) => DeepSecurityWire.ConsolePath(capability);

        public override string CheckConnection(CancellationToken cancel)
        {
            // The smallest authenticated read: one policy at most.
            Http.Json(HttpMethod.Post, Paths.PolicySearch, Criteria.PolicySearch(1), true, cancel);
            return null;
        }

        /// <summary>Deep Security computer IDs are positive integers; anything else is refused before a request is sent.</summary>
        public override void CheckAgentId(string id) => ComputerSearch.ParseAgentId(id);

        public override IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel) => _computers.GetAgents(query, onPage, cancel);

        public override IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel)
        {
            var policies = run.Policies;
            var now = run.Now;
            foreach (var (criteria, ranges, page) in _computers.Pages(query, onPage, cancel))
            {
                var overrides = _computers.OwnSettings(criteria, ranges, page, run, cancel);
                run.Judged += page.Count;
                foreach (var record in page)
                {
                    var agent = record.Agent;
                    if (!policies.TryGetValue(agent.PolicyId, out var effective))
                    {
                        effective = _policies.EffectivePolicySettings(agent.PolicyId, cancel);
                        policies[agent.PolicyId] = effective;
                    }

                    overrides.TryGetValue(record.Id, out var own);
                    var interval = Setting(own, effective, IntervalSetting);
                    var threshold = Setting(own, effective, MissedThresholdSetting);
                    var minutes = run.IntervalOverrideMinutes ?? ParseMinutes(interval) ?? 10;
                    var limit = ParseThreshold(threshold);
                    var verdict = HeartbeatEvaluator.Evaluate(agent.LastContact, now, TimeSpan.FromMinutes(minutes), limit);
                    yield return new HeartbeatResult
                    {
                        AgentId = agent.Id,
                        Name = agent.Name,
                        Product = ManagerProduct.DeepSecurity,
                        PolicyId = agent.PolicyId,
                        LastContact = agent.LastContact,
                        IntervalMinutes = (int)Math.Max(1, Math.Round(minutes)),
                        MissedHeartbeatsBeforeAlert = limit,
                        MissedHeartbeats = verdict.Missed,
                        Status = verdict.Status,
                        ClockChangeAlert = agent.StatusMessages.Any(m => m.IndexOf(ClockChangeMarker, StringComparison.OrdinalIgnoreCase) >= 0),
                        CheckedAt = now,
                    };
                }
            }
        }

        private static string Setting(Dictionary<string, string> own, Dictionary<string, string> effective, string name)
        {
            if (own != null && own.TryGetValue(name, out var value))
            {
                return value;
            }

            effective.TryGetValue(name, out value);
            return value;
        }

        public override HeartbeatPolicy GetHeartbeatPolicy(PolicyTarget target, CancellationToken cancel) => _policies.GetHeartbeatPolicy(target, cancel);

        public override HeartbeatLimits HeartbeatLimits => DeepSecurityWire.HeartbeatLimits;

        public override PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel) => _policies.ResolveTarget(target, cancel);

        public override void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => _policies.CheckChange(resolved, change, cancel);

        public override HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => _policies.SetHeartbeatPolicy(resolved, change, cancel);

        public override int DefaultHeartbeatRulePort => DefaultAgentListeningPort;

        public override HeartbeatFirewallRule NewHeartbeatFirewallRule(HeartbeatRuleRequest request, CancellationToken cancel) => _rules.Create(request, cancel);

        public override IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel) => _sync.RequestSync(agentIds, cancel);

        public override IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel) => _sync.WaitForSync(requested, deadlineUtc, cancel);

        public override void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target) => _policies.CheckProxyScope(purpose, target);

        public override void SetProxy(ProxyPurpose purpose, PolicyTarget target, int? proxyId, CancellationToken cancel)
        {
            if (proxyId == null)
            {
                throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetProxyByAddress, "Deep Security REST v1 refers to proxies only by ID and cannot create or describe one");
            }

            _policies.SetProxy(purpose, target, proxyId.Value, cancel);
        }

        public override IEnumerable<Baseline.BaselineTargetState> ReadBaseline(Baseline.ManagerBaseline baseline, CancellationToken cancel) => _baseline.Read(baseline, cancel);

        public override void CheckBaseline(IReadOnlyList<Baseline.BaselineWrite> plan, CancellationToken cancel) => _baseline.Check(plan, cancel);

        public override void WriteBaseline(Baseline.BaselineWrite write, CancellationToken cancel) => _baseline.Write(write, cancel);

        public override System.Collections.Specialized.OrderedDictionary ExportBaseline(CancellationToken cancel) => _baseline.Export(cancel);
    }
}
