using System;
using System.Collections.Generic;
using System.Threading;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// A provider that supports only part of the cmdlet family overrides what it declares; every
    /// other operation is the one NotSupported error that names the product's console page, so a
    /// missing API can never turn into a silent no-op.
    /// </summary>
    internal abstract class ManagerProviderBase : IAgentManagerProvider
    {
        public abstract ManagerProduct Product { get; }

        public abstract IReadOnlyCollection<ManagerCapability> Capabilities { get; }

        public abstract string ConsolePath(ManagerCapability capability);

        public abstract string CheckConnection(CancellationToken cancel);

        public virtual IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel) => throw Missing(ManagerCapability.ListAgents);

        /// <summary>Any text may be an ID unless the provider knows the shape of its IDs.</summary>
        public virtual void CheckAgentId(string id)
        {
        }

        public virtual IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel) => throw Missing(ManagerCapability.EvaluateHeartbeat);

        public virtual HeartbeatPolicy GetHeartbeatPolicy(PolicyTarget target, CancellationToken cancel) => throw Missing(ManagerCapability.ReadHeartbeatPolicy);

        public virtual PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel) => throw Missing(ManagerCapability.ReadHeartbeatPolicy);

        public virtual void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => throw Missing(ManagerCapability.WriteHeartbeatPolicy);

        public virtual HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel) => throw Missing(ManagerCapability.WriteHeartbeatPolicy);

        public virtual HeartbeatFirewallRule NewHeartbeatFirewallRule(HeartbeatRuleRequest request, CancellationToken cancel) => throw Missing(ManagerCapability.CreateHeartbeatFirewallRule);

        public virtual int SyncBatchSize => 1;

        public virtual IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel) => throw Missing(ManagerCapability.SyncAgent);

        public virtual IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel) => throw Missing(ManagerCapability.SyncAgent);

        public virtual ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel) => throw Missing(ManagerCapability.SetContinuousConnection);

        public virtual Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel) => throw Missing(ManagerCapability.SetContinuousConnection);

        public virtual void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target) => throw Missing(ManagerCapability.SetProxyById);

        public virtual void SetProxy(ProxyPurpose purpose, PolicyTarget target, int? proxyId, CancellationToken cancel) => throw Missing(proxyId == null ? ManagerCapability.SetProxyByAddress : ManagerCapability.SetProxyById);

        public virtual void SetServerCommunication(SettingsChange change, CancellationToken cancel) => throw Missing(ManagerCapability.SetServerCommunication);

        public virtual void SetAgentServerProxy(SettingsChange change, CancellationToken cancel) => throw Missing(ManagerCapability.SetAgentServerProxy);

        public virtual void SetFirewallSettings(SettingsChange change, CancellationToken cancel) => throw Missing(ManagerCapability.SetFirewallSettings);

        public virtual void Dispose()
        {
        }

        protected Errors.EndpointAdminException Missing(ManagerCapability capability) => ManagerCapabilities.NotSupported(this, capability, null);
    }
}
