using System;

namespace EndpointAdmin
{
    /// <summary>A product whose manager EndpointAdmin can talk to.</summary>
    public enum ManagerProduct
    {
        /// <summary>Trend Micro Deep Security Manager (REST API v1, port 4119).</summary>
        DeepSecurity,
        /// <summary>Kaspersky Security Center Administration Server (Open API, port 13299).</summary>
        KasperskySecurityCenter,
        /// <summary>Trend Micro Apex Central, which manages Apex One (Automation API).</summary>
        ApexCentral,
    }

    /// <summary>The agent's state as the manager reports it (Deep Security computerStatus.agentStatus).</summary>
    public enum AgentStatus
    {
        Unknown,
        Active,
        Inactive,
        Warning,
        Error,
        NotSupported,
    }

    /// <summary>Where heartbeats stand for one agent.</summary>
    public enum HeartbeatStatus
    {
        /// <summary>The last contact is within one interval.</summary>
        Healthy,
        /// <summary>Heartbeats were missed, but not more than the threshold.</summary>
        Late,
        /// <summary>More heartbeats were missed than the threshold: the manager raises an alert (on threshold + 1).</summary>
        Alert,
        /// <summary>Heartbeats were missed, but the threshold is Unlimited: the manager never alerts.</summary>
        Unlimited,
        /// <summary>The manager has no record of any contact.</summary>
        NeverContacted,
    }

    /// <summary>Who opens the agent-manager conversation.</summary>
    public enum CommunicationDirection
    {
        Bidirectional,
        ManagerInitiated,
        AgentInitiated,
        /// <summary>Take the parent policy's setting (written as a reset; never read back).</summary>
        Inherited,
    }

    /// <summary>What a heartbeat setting is read from or written to.</summary>
    public enum HeartbeatPolicyScope
    {
        BasePolicy,
        Policy,
        Agent,
    }

    /// <summary>What became of a sync request.</summary>
    public enum SyncStatus
    {
        /// <summary>The manager accepted the request (no -Wait).</summary>
        Requested,
        /// <summary>The manager recorded a successful policy send after the request.</summary>
        Succeeded,
        /// <summary>-Wait gave up before the manager recorded a successful send.</summary>
        TimedOut,
        /// <summary>The manager reported that the sync failed (see SyncResult.Message).</summary>
        Failed,
    }

    /// <summary>The firewall action of a heartbeat rule: the two the product document allows for the priority-4 rule.</summary>
    public enum HeartbeatRuleAction
    {
        ForceAllow,
        Bypass,
    }

    /// <summary>The manager-side proxy settings a product may expose.</summary>
    public enum ProxyPurpose
    {
        /// <summary>Agents download updates through this proxy (manager-wide setting).</summary>
        AgentUpdate,
        /// <summary>The manager downloads updates through this proxy (manager-wide setting).</summary>
        ManagerUpdate,
        /// <summary>Agents reach the Smart Protection Network through this proxy (policy or agent setting).</summary>
        SmartProtection,
        /// <summary>Apex One: Security Agents reach their server through this proxy (Administration > Agent-Server Communication; server-wide).</summary>
        AgentServer,
    }

    /// <summary>
    /// A connection to an agent manager. It holds no readable secret: the key lives, encrypted in
    /// memory, inside the provider the session refers to, which never serializes.
    /// </summary>
    public sealed class AgentManagerSession
    {
        public int Id { get; set; }

        public ManagerProduct Product { get; set; }

        public string Uri { get; set; }

        public DateTime ConnectedAt { get; set; }

        public string ManagerVersion { get; set; }

        public bool SkipCertificateCheck { get; set; }

        public string CertificateThumbprint { get; set; }

        public string Proxy { get; set; }

        public int TimeoutSec { get; set; }

        public int MaximumRetryCount { get; set; }

        public int RetryIntervalSec { get; set; }

        public bool IsOpen { get; set; }

        /// <summary>The live provider, opaque here and resolved by ManagerConnector; internal, so neither scripts nor the serializer see it.</summary>
        internal object Handle { get; set; }

        public override string ToString()
        {
            return Product + " " + Uri + " (session " + Id + ")";
        }
    }

    /// <summary>One managed computer and its agent.</summary>
    public sealed class Agent
    {
        /// <summary>
        /// The manager's own ID for the agent, as text so one pipeline works across vendors: the
        /// Deep Security computer ID ("42"), the Kaspersky host name (a GUID-like string), the Apex
        /// Central entity ID.
        /// </summary>
        public string Id { get; set; }

        public string Name { get; set; }

        public string DisplayName { get; set; }

        public ManagerProduct Product { get; set; }

        public string IPAddress { get; set; }

        public string Platform { get; set; }

        public string AgentVersion { get; set; }

        public int PolicyId { get; set; }

        public AgentStatus Status { get; set; }

        /// <summary>UTC; null when the manager has no record of contact.</summary>
        public DateTime? LastContact { get; set; }

        public DateTime? LastPolicySent { get; set; }

        public bool IsVirtualAppliance { get; set; }

        public string[] StatusMessages { get; set; }

        // ---- Apex Central (ProductAgents); empty or null for other products ----

        /// <summary>Every IP address the manager lists for the agent (IPAddress is the first).</summary>
        public string[] IPAddressList { get; set; } = new string[0];

        public string[] MacAddressList { get; set; } = new string[0];

        /// <summary>The entity ID of the product server (the Apex One server) that manages the agent.</summary>
        public string ManagingServerId { get; set; }

        /// <summary>The manager's own name for the agent's product (Apex Central's product field).</summary>
        public string ManagedProduct { get; set; }

        public string AdDomain { get; set; }

        /// <summary>The agent's folder in the manager's directory tree.</summary>
        public string FolderPath { get; set; }

        public string IsolationStatus { get; set; }
        // ---- Filled where the manager reports them (Kaspersky Security Center); null for the others. ----

        /// <summary>The computer's DNS name (with its DNS domain when the manager knows it).</summary>
        public string DnsName { get; set; }

        /// <summary>The manager's administration group of the computer.</summary>
        public int? GroupId { get; set; }

        /// <summary>The name of that group.</summary>
        public string GroupName { get; set; }

        /// <summary>UTC; the last time the manager updated the computer's information.</summary>
        public DateTime? LastInfoUpdate { get; set; }

        /// <summary>UTC; the last time the computer was seen on the network.</summary>
        public DateTime? LastVisible { get; set; }

        /// <summary>The agent keeps its connection to the manager open ("Do not disconnect from the Administration Server").</summary>
        public bool? ContinuousConnection { get; set; }

        /// <summary>The computer is visible on the network (Kaspersky status bit 0x01).</summary>
        public bool? Visible { get; set; }

        /// <summary>The manager's agent (Kaspersky Network Agent) is installed (status bit 0x04).</summary>
        public bool? AgentInstalled { get; set; }

        /// <summary>The manager's agent is alive (status bit 0x08).</summary>
        public bool? AgentAlive { get; set; }

        /// <summary>Real-time protection is installed (status bit 0x10).</summary>
        public bool? RealTimeProtectionInstalled { get; set; }

        public override string ToString()
        {
            return Name + " (" + Id + ")";
        }
    }

    /// <summary>Heartbeat and communication settings of the base policy, a policy or an agent: effective values and where each comes from.</summary>
    public sealed class HeartbeatPolicy
    {
        public HeartbeatPolicyScope Scope { get; set; }

        /// <summary>Policy or agent ID; 0 for the base policy.</summary>
        public int TargetId { get; set; }

        public string TargetName { get; set; }

        public int IntervalMinutes { get; set; }

        public string IntervalSource { get; set; }

        /// <summary>A number, or "Unlimited".</summary>
        public string MissedHeartbeatsBeforeAlert { get; set; }

        public string MissedHeartbeatsBeforeAlertSource { get; set; }

        /// <summary>Minutes, or "Unlimited".</summary>
        public string MaximumClockChange { get; set; }

        public string MaximumClockChangeSource { get; set; }

        public bool RaiseOfflineErrorsForInactiveVMs { get; set; }

        public string RaiseOfflineErrorsForInactiveVMsSource { get; set; }

        public CommunicationDirection CommunicationDirection { get; set; }

        public string CommunicationDirectionSource { get; set; }

        public override string ToString()
        {
            return Scope + " " + TargetId + ": every " + IntervalMinutes + " min, alert after " + MissedHeartbeatsBeforeAlert;
        }
    }

    /// <summary>The heartbeat verdict for one agent.</summary>
    public sealed class HeartbeatResult
    {
        /// <summary>The manager's own ID for the agent (see Agent.Id).</summary>
        public string AgentId { get; set; }

        public string Name { get; set; }

        public ManagerProduct Product { get; set; }

        public int PolicyId { get; set; }

        public DateTime? LastContact { get; set; }

        public int IntervalMinutes { get; set; }

        /// <summary>Missed heartbeats before an alert; null when Unlimited.</summary>
        public int? MissedHeartbeatsBeforeAlert { get; set; }

        public int MissedHeartbeats { get; set; }

        public HeartbeatStatus Status { get; set; }

        public bool ClockChangeAlert { get; set; }

        /// <summary>UTC instant the verdict was computed for.</summary>
        public DateTime CheckedAt { get; set; }

        public override string ToString()
        {
            return Name + " " + Status;
        }
    }

    /// <summary>A request that the manager send the current policy to an agent now.</summary>
    public sealed class SyncResult
    {
        /// <summary>The manager's own ID for the agent (see Agent.Id).</summary>
        public string AgentId { get; set; }

        public string Name { get; set; }

        public ManagerProduct Product { get; set; }

        public SyncStatus Status { get; set; }

        public DateTime RequestedAt { get; set; }

        public DateTime? LastPolicySent { get; set; }

        /// <summary>The manager's record of the request (Deep Security: the scheduled task ID).</summary>
        public int TaskId { get; set; }

        /// <summary>Kaspersky Security Center: the asynchronous action that carries the request (one per batch of devices).</summary>
        public string ActionId { get; set; }

        /// <summary>Why the sync failed, in the manager's words; null otherwise.</summary>
        public string Message { get; set; }

        public override string ToString()
        {
            return Name + " " + Status;
        }
    }

    /// <summary>A firewall rule created on the manager that restricts the agents' heartbeat port.</summary>
    public sealed class HeartbeatFirewallRule
    {
        public int RuleId { get; set; }

        public string Name { get; set; }

        public int PolicyId { get; set; }

        public HeartbeatRuleAction Action { get; set; }

        public int Priority { get; set; }

        public int Port { get; set; }

        public string[] SourceIPAddress { get; set; }

        public string[] SourceMacAddress { get; set; }

        public override string ToString()
        {
            return Name + " (" + RuleId + ")";
        }
    }
}
