using System;
using System.Collections.Generic;
using System.Threading;
using EndpointAdmin.Catalog;

namespace EndpointAdmin.Managers
{
    /// <summary>Which agents a command is about. Empty means every agent.</summary>
    internal sealed class AgentQuery
    {
        /// <summary>Name patterns; a pattern holds '*' or '?' wildcards when IsMatch is not exact.</summary>
        public IList<NamePattern> Names { get; set; }

        /// <summary>The manager's own agent IDs (Deep Security: the computer ID; Kaspersky: the host name; Apex Central: the entity ID).</summary>
        public IList<string> Ids { get; set; }

        public int? PolicyId { get; set; }
    }

    /// <summary>One Test-AgentHeartbeat invocation: one clock reading and each policy read once, across piped records.</summary>
    internal sealed class HeartbeatRun
    {
        public HeartbeatRun(DateTime nowUtc)
        {
            Now = nowUtc;
        }

        public DateTime Now { get; }

        /// <summary>-SyncIntervalMinutes: the interval to judge against instead of the one the manager's policy gives.</summary>
        public int? IntervalOverrideMinutes { get; set; }

        /// <summary>Effective heartbeat settings by policy ID (0: the base policy), filled by the provider.</summary>
        public Dictionary<int, Dictionary<string, string>> Policies { get; } = new Dictionary<int, Dictionary<string, string>>();

        /// <summary>
        /// Settings made on agents themselves, by agent ID, once a provider has read them for the whole
        /// fleet in one go (null until then): like the policies, read at most once per run.
        /// </summary>
        public Dictionary<int, Dictionary<string, string>> AgentSettings { get; set; }

        /// <summary>Agents judged so far in this run, piped batches included.</summary>
        public int Judged { get; set; }
    }

    /// <summary>What a heartbeat policy command targets.</summary>
    internal sealed class PolicyTarget
    {
        public HeartbeatPolicyScope Scope { get; set; }

        public int? Id { get; set; }

        public string PolicyName { get; set; }

        public static PolicyTarget Base() => new PolicyTarget { Scope = HeartbeatPolicyScope.BasePolicy };

        public override string ToString()
        {
            switch (Scope)
            {
                case HeartbeatPolicyScope.BasePolicy: return "the base policy";
                case HeartbeatPolicyScope.Agent: return "agent " + Id;
                default: return PolicyName != null ? "policy '" + PolicyName + "'" : "policy " + Id;
            }
        }
    }

    /// <summary>A heartbeat policy change, already validated (see HeartbeatSettings.Validate).</summary>
    internal sealed class HeartbeatChange
    {
        public int? IntervalMinutes { get; set; }

        /// <summary>Null: unchanged; 0: Unlimited.</summary>
        public int? MissedHeartbeatsBeforeAlert { get; set; }

        /// <summary>Null: unchanged; 0: Unlimited.</summary>
        public int? MaximumClockChangeMinutes { get; set; }

        public bool? RaiseOfflineErrorsForInactiveVMs { get; set; }

        public CommunicationDirection? Direction { get; set; }

        public IList<HeartbeatSetting> Inherit { get; set; } = new List<HeartbeatSetting>();

        public bool IsEmpty => IntervalMinutes == null && MissedHeartbeatsBeforeAlert == null && MaximumClockChangeMinutes == null && RaiseOfflineErrorsForInactiveVMs == null && Direction == null && Inherit.Count == 0;
    }

    /// <summary>The request for a heartbeat firewall rule, validated.</summary>
    internal sealed class HeartbeatRuleRequest
    {
        public PolicyTarget Policy { get; set; }

        public string Name { get; set; }

        public HeartbeatRuleAction Action { get; set; }

        public int Port { get; set; }

        public string[] SourceIPAddress { get; set; }

        public string[] SourceMacAddress { get; set; }
    }

    /// <summary>A validated agent settings change: the console fields and the values to give them, in the product document's words.</summary>
    internal sealed class SettingsChange
    {
        public List<string> Fields { get; } = new List<string>();

        /// <summary>A password that goes with the change (the manual proxy's), never part of Fields.</summary>
        public System.Security.SecureString Secret { get; set; }

        public string Describe() => string.Join("; ", Fields);
    }

    /// <summary>One agent's sync: the result, or the failure that concerns this agent only.</summary>
    internal sealed class SyncOutcome
    {
        public SyncOutcome(string agentId, SyncResult result, Errors.EndpointAdminException error = null)
        {
            AgentId = agentId;
            Result = result;
            Error = error;
        }

        public string AgentId { get; }

        public SyncResult Result { get; }

        public Errors.EndpointAdminException Error { get; }
    }

    /// <summary>Continuous connections in use and the manager's limit.</summary>
    internal sealed class ContinuousConnectionCount
    {
        public int InUse { get; set; }

        public int? Limit { get; set; }
    }

    /// <summary>
    /// One vendor's manager. Every method that a provider does not declare in Capabilities throws
    /// ManagerCapabilities.NotSupported with the console path from the product document. Methods
    /// are synchronous over the shared pipeline and honour the token at once; sequences stream.
    /// </summary>
    internal interface IAgentManagerProvider : IDisposable
    {
        ManagerProduct Product { get; }

        IReadOnlyCollection<ManagerCapability> Capabilities { get; }

        /// <summary>Where the product's console does what <paramref name="capability"/> stands for.</summary>
        string ConsolePath(ManagerCapability capability);

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

        /// <summary>Resolves the target (ObjectNotFound when it does not exist) without changing anything.</summary>
        PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel);

        /// <summary>Checks a change against the target's state (e.g. virtual appliances) before anything is written.</summary>
        void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel);

        HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel);

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

        /// <summary>Apex One: the server names/addresses and listening port agents use (Agent-Server Communication).</summary>
        void SetServerCommunication(SettingsChange change, CancellationToken cancel);

        /// <summary>Apex One: the proxy agents use to reach the server (no proxy, system proxy, or a manual one).</summary>
        void SetAgentServerProxy(SettingsChange change, CancellationToken cancel);

        /// <summary>Apex One: the global agent firewall settings and the Certified Safe Software Service.</summary>
        void SetFirewallSettings(SettingsChange change, CancellationToken cancel);
    }
}
