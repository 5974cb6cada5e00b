using System;
using System.Collections.Generic;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Managers
{
    // What cmdlets hand to an IAgentManagerProvider and what comes back besides the output models:
    // small, vendor-neutral shapes, each already checked where it was built.
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

    /// <summary>One agent's sync: the result, or the failure that concerns this agent only.</summary>
    internal sealed class SyncOutcome
    {
        public SyncOutcome(string agentId, SyncResult result, EndpointAdminException error = null)
        {
            AgentId = agentId;
            Result = result;
            Error = error;
        }

        public string AgentId { get; }

        public SyncResult Result { get; }

        public EndpointAdminException Error { get; }
    }

    /// <summary>Continuous connections in use and the manager's limit.</summary>
    internal sealed class ContinuousConnectionCount
    {
        public int InUse { get; set; }

        public int? Limit { get; set; }
    }
}
