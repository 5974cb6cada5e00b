using EndpointAdmin.Baseline;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Deep Security in a baseline: what a file may declare (checked before any request against the
    /// manager's heartbeat limits), and, in the provider, how declared targets are read in bulk and
    /// written back.
    /// </summary>
    internal static partial class DeepSecurityBaseline
    {
        public const string IntervalMinutes = "IntervalMinutes";
        public const string MissedHeartbeatsBeforeAlert = "MissedHeartbeatsBeforeAlert";
        public const string MaximumClockChange = "MaximumClockChange";
        public const string RaiseOfflineErrorsForInactiveVMs = "RaiseOfflineErrorsForInactiveVMs";
        public const string CommunicationDirection = "CommunicationDirection";
        public const string SmartProtectionProxyId = "SmartProtectionProxyId";
        public const string HeartbeatFirewallRule = "HeartbeatFirewallRule";
        public const string AgentUpdateProxyId = "AgentUpdateProxyId";
        public const string ManagerUpdateProxyId = "ManagerUpdateProxyId";

        public static ManagerBaselineSchema Schema()
        {
            var limits = HeartbeatLimits;
            SettingDefinition[] Common() => new[]
            {
                new SettingDefinition(IntervalMinutes, SettingKind.Interval) { Allowed = limits.AllowedIntervals },
                new SettingDefinition(MissedHeartbeatsBeforeAlert, SettingKind.Limit) { Maximum = limits.MaximumMissedThreshold },
                new SettingDefinition(MaximumClockChange, SettingKind.Limit) { Maximum = limits.MaximumClockChangeMinutes },
                new SettingDefinition(RaiseOfflineErrorsForInactiveVMs, SettingKind.Boolean),
                new SettingDefinition(CommunicationDirection, SettingKind.Direction),
                new SettingDefinition(SmartProtectionProxyId, SettingKind.ProxyId),
            };

            var policy = new System.Collections.Generic.List<SettingDefinition>(Common())
            {
                new SettingDefinition(HeartbeatFirewallRule, SettingKind.HeartbeatRule) { DefaultPort = DefaultAgentListeningPort },
            };
            return new ManagerBaselineSchema
            {
                Manager = new[]
                {
                    new SettingDefinition(AgentUpdateProxyId, SettingKind.ProxyId),
                    new SettingDefinition(ManagerUpdateProxyId, SettingKind.ProxyId),
                },
                Policy = policy,
                PolicyOnly = new[] { SmartProtectionProxyId, HeartbeatFirewallRule },
                Agent = Common(),
            };
        }
    }
}
