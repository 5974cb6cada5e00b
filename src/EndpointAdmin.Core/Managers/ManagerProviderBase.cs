using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using EndpointAdmin.Http;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// A provider that supports only part of the cmdlet family overrides what it declares; every
    /// other operation is the one NotSupported error that names the product's console page, so a
    /// missing API can never turn into a silent no-op. It owns the pipeline its factory built and
    /// disposes it with the session.
    /// </summary>
    internal abstract class ManagerProviderBase : IAgentManagerProvider
    {
        protected ManagerProviderBase(HttpPipeline http = null)
        {
            Http = http;
        }

        public abstract ManagerProduct Product { get; }

        public abstract IReadOnlyCollection<ManagerCapability> Capabilities { get; }

        public ConcurrentQueue<string> Log => Http?.Log;

        /// <summary>The session's one pipeline: the provider's requests and nothing else go through it.</summary>
        protected HttpPipeline Http { get; }

        public abstract string ConsolePath(ManagerCapability capability);

        public abstract string CheckConnection(CancellationToken cancel);

        public virtual IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel) => throw Missing(ManagerCapability.ListAgents);

        /// <summary>Any text may be an ID unless the provider knows the shape of its IDs.</summary>
        public virtual void CheckAgentId(string id)
        {
        }

        public virtual IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel) => throw Missing(ManagerCapability.EvaluateHeartbeat);

        public virtual HeartbeatPolicy GetHeartbeatPolicy(PolicyTarget target, CancellationToken cancel) => throw Missing(ManagerCapability.ReadHeartbeatPolicy);

        public virtual HeartbeatLimits HeartbeatLimits => throw Missing(ManagerCapability.WriteHeartbeatPolicy);

        public virtual PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel) => throw Missing(ManagerCapability.ReadHeartbeatPolicy);

        public virtual void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => throw Missing(ManagerCapability.WriteHeartbeatPolicy);

        public virtual HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => throw Missing(ManagerCapability.WriteHeartbeatPolicy);

        public virtual int DefaultHeartbeatRulePort => throw Missing(ManagerCapability.CreateHeartbeatFirewallRule);

        public virtual HeartbeatFirewallRule NewHeartbeatFirewallRule(HeartbeatRuleRequest request, CancellationToken cancel) => throw Missing(ManagerCapability.CreateHeartbeatFirewallRule);

        public virtual int SyncBatchSize => 1;

        public virtual IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel) => throw Missing(ManagerCapability.SyncAgent);

        public virtual IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel) => throw Missing(ManagerCapability.SyncAgent);

        public virtual ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel) => throw Missing(ManagerCapability.SetContinuousConnection);

        public virtual Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel) => throw Missing(ManagerCapability.SetContinuousConnection);

        public virtual void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target) => throw Missing(ManagerCapability.SetProxyById);

        public virtual void SetProxy(ProxyPurpose purpose, PolicyTarget target, int? proxyId, CancellationToken cancel) => throw Missing(proxyId == null ? ManagerCapability.SetProxyByAddress : ManagerCapability.SetProxyById);

        public virtual void SetServerCommunication(ServerCommunicationRequest request, CommandFeedback feedback, CancellationToken cancel) => throw MissingAgentSetting(ManagerCapability.SetServerCommunication);

        public virtual void SetAgentServerProxy(AgentServerProxyRequest request, CommandFeedback feedback, CancellationToken cancel) => throw MissingAgentSetting(ManagerCapability.SetAgentServerProxy);

        public virtual void SetFirewallSettings(FirewallSettingsRequest request, CommandFeedback feedback, CancellationToken cancel) => throw MissingAgentSetting(ManagerCapability.SetFirewallSettings);

        public virtual IEnumerable<Baseline.BaselineTargetState> ReadBaseline(Baseline.ManagerBaseline baseline, CancellationToken cancel) => throw Missing(ManagerCapability.Baseline);

        public virtual void CheckBaseline(IReadOnlyList<Baseline.BaselineWrite> plan, CancellationToken cancel)
        {
        }

        public virtual void WriteBaseline(Baseline.BaselineWrite write, CancellationToken cancel) => throw Missing(ManagerCapability.Baseline);

        public virtual System.Collections.Specialized.OrderedDictionary ExportBaseline(CancellationToken cancel) => throw Missing(ManagerCapability.Baseline);

        public virtual void Dispose()
        {
            Http?.Dispose();
        }

        protected Errors.EndpointAdminException Missing(ManagerCapability capability) => ManagerCapabilities.NotSupported(this, capability, null);

        /// <summary>The agent settings of the Apex One documents, refused by a product whose console has no such page.</summary>
        private Errors.EndpointAdminException MissingAgentSetting(ManagerCapability capability)
        {
            return ManagerCapabilities.NotSupported(this, capability, ConsolePath(capability) == null ? "this is an Apex One setting, which " + Product + " does not have" : null);
        }
    }
}
