using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// One vendor's manager. Every method that a provider does not declare in Capabilities throws
    /// ManagerCapabilities.NotSupported with the console path from the product document. Methods
    /// are synchronous over the provider's own pipeline and honour the token at once; sequences stream.
    /// </summary>
    internal interface IAgentManagerProvider : IDisposable
    {
        ManagerProduct Product { get; }

        IReadOnlyCollection<ManagerCapability> Capabilities { get; }

        /// <summary>Where the product's console does what <paramref name="capability"/> stands for.</summary>
        string ConsolePath(ManagerCapability capability);

        /// <summary>The debug lines of the provider's own pipeline (already redacted), for the cmdlet to drain on its thread.</summary>
        ConcurrentQueue<string> Log { get; }

        /// <summary>A cheap authenticated call; returns the manager's version when it tells.</summary>
        string CheckConnection(CancellationToken cancel);

        /// <summary>Agents page by page; onPage reports progress after each page.</summary>
        IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel);

        /// <summary>
        /// Throws AgentIdInvalid when <paramref name="id"/> cannot be one of this manager's agent IDs,
        /// so cmdlets refuse a malformed piped ID on its own record instead of failing its whole batch.
        /// </summary>
        void CheckAgentId(string id);

        /// <summary>Heartbeat verdicts as pages arrive, each policy read once per call.</summary>
        IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel);

        HeartbeatPolicy GetHeartbeatPolicy(PolicyTarget target, CancellationToken cancel);

        /// <summary>The heartbeat values this manager accepts, checked before any request.</summary>
        HeartbeatLimits HeartbeatLimits { get; }

        /// <summary>Resolves the target (ObjectNotFound when it does not exist) without changing anything.</summary>
        PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel);

        /// <summary>Checks a change against the target's state (e.g. virtual appliances) before anything is written.</summary>
        void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel);

        HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel);

        /// <summary>The agent's heartbeat listening port: New-AgentHeartbeatFirewallRule's port when -Port is not given.</summary>
        int DefaultHeartbeatRulePort { get; }

        HeartbeatFirewallRule NewHeartbeatFirewallRule(HeartbeatRuleRequest request, CancellationToken cancel);

        /// <summary>How many agents one sync request carries (1 where the manager takes one agent per request).</summary>
        int SyncBatchSize { get; }

        /// <summary>
        /// Asks the manager to sync these agents (at most SyncBatchSize) with as few requests as it
        /// allows. One outcome per distinct agent, in order; an agent that cannot be synced (unknown,
        /// malformed ID) is an outcome with an error and is not sent.
        /// </summary>
        IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel);

        /// <summary>
        /// Follows requested agents until the manager records each one's sync, reports it failed, or
        /// the deadline passes (Status TimedOut); yields each outcome as it settles.
        /// </summary>
        IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel);

        /// <summary>How many agents hold a continuous connection now, and the manager's limit (null: no limit).</summary>
        ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel);

        /// <summary>Sets or clears the agent's continuous connection; returns the agent as the manager now reports it.</summary>
        Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel);

        /// <summary>Checks that the purpose fits the target (manager-wide or per policy/agent) without a request.</summary>
        void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target);

        void SetProxy(ProxyPurpose purpose, PolicyTarget target, int? proxyId, CancellationToken cancel);

        // The Apex One agent settings: the provider checks the request by its product's rules, says
        // what the user should know, and applies it, or refuses it with the console fields to fill in
        // where its product has the setting but no API for it.

        /// <summary>Apex One: the server names/addresses and listening port agents use (Agent-Server Communication).</summary>
        void SetServerCommunication(ServerCommunicationRequest request, CommandFeedback feedback, CancellationToken cancel);

        /// <summary>Apex One: the proxy agents use to reach the server (no proxy, system proxy, or a manual one).</summary>
        void SetAgentServerProxy(AgentServerProxyRequest request, CommandFeedback feedback, CancellationToken cancel);

        /// <summary>Apex One: the global agent firewall settings and the Certified Safe Software Service.</summary>
        void SetFirewallSettings(FirewallSettingsRequest request, CommandFeedback feedback, CancellationToken cancel);

        // Baselines: the actual state of every declared target in as few requests as the API allows
        // (requests grow with policies and pages, never with agents), the checks of a whole plan
        // before anything is written, the writes of one target, and today's state as a baseline entry.

        /// <summary>Every target the baseline declares, found and read; a target that cannot be found is a state with an Error.</summary>
        IEnumerable<Baseline.BaselineTargetState> ReadBaseline(Baseline.ManagerBaseline baseline, CancellationToken cancel);

        /// <summary>Checks a plan before any write: throws when the whole plan is refused (a limit), or sets Refused on the writes it refuses.</summary>
        void CheckBaseline(IReadOnlyList<Baseline.BaselineWrite> plan, CancellationToken cancel);

        /// <summary>Writes the drifted settings of one target.</summary>
        void WriteBaseline(Baseline.BaselineWrite write, CancellationToken cancel);

        /// <summary>Today's state as the tables of one Managers entry (Product and Uri are the caller's).</summary>
        System.Collections.Specialized.OrderedDictionary ExportBaseline(CancellationToken cancel);
    }
}
