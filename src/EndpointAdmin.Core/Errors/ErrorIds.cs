namespace EndpointAdmin.Errors
{
    /// <summary>
    /// Every ErrorId the module raises, in one place. They are part of the public contract: scripts
    /// match on "ErrorId,EndpointAdmin.Commands.&lt;Class&gt;", so an id never changes once shipped.
    /// Each feature keeps its ids in its own section below.
    /// </summary>
    internal static class ErrorIds
    {
        // Port catalog
        public const string PortCatalogVersionInvalid = "PortCatalogVersionInvalid";
        public const string PortCatalogVersionWithoutProduct = "PortCatalogVersionWithoutProduct";
        public const string PortCatalogVersionNotFound = "PortCatalogVersionNotFound";
        public const string PortCatalogComponentNotFound = "PortCatalogComponentNotFound";
        public const string PortCatalogInvalid = "PortCatalogInvalid";

        // ---- Local firewall (FirewallPortRule cmdlets, nftables and Windows Firewall backends) ----
        public const string FirewallPortInvalid = "FirewallPortInvalid";
        public const string FirewallPortMissing = "FirewallPortMissing";
        public const string FirewallAddressInvalid = "FirewallAddressInvalid";
        public const string FirewallMacAddressInvalid = "FirewallMacAddressInvalid";
        public const string FirewallMacAddressNotSupported = "FirewallMacAddressNotSupported";
        public const string FirewallDisplayNameEmpty = "FirewallDisplayNameEmpty";
        public const string FirewallNameInvalid = "FirewallNameInvalid";
        public const string FirewallRuleIncomplete = "FirewallRuleIncomplete";
        public const string FirewallRuleConflict = "FirewallRuleConflict";
        public const string FirewallRuleNotFound = "FirewallRuleNotFound";
        public const string FirewallRuleRejected = "FirewallRuleRejected";
        public const string FirewallTableModified = "FirewallTableModified";
        public const string FirewallBackendNotInstalled = "FirewallBackendNotInstalled";
        public const string FirewallBackendNotSupported = "FirewallBackendNotSupported";
        public const string FirewallBackendFailed = "FirewallBackendFailed";
        public const string FirewallPermissionDenied = "FirewallPermissionDenied";
        public const string FirewallMigrationNotStarted = "FirewallMigrationNotStarted";
        public const string FirewallMigrationAlreadyStarted = "FirewallMigrationAlreadyStarted";
        public const string FirewallMigrationComponentNotMigrated = "FirewallMigrationComponentNotMigrated";
        public const string FirewallMigrationComponentNotFound = "FirewallMigrationComponentNotFound";
        public const string FirewallMigrationTopologyRequired = "FirewallMigrationTopologyRequired";
        public const string FirewallMigrationSameVersion = "FirewallMigrationSameVersion";
        public const string FirewallValueNotSupported = "FirewallValueNotSupported";
        public const string FirewallRollbackIncomplete = "FirewallRollbackIncomplete";

        // ---- Manager sessions and the HTTP pipeline (all vendors) ----
        public const string ManagerUriInvalid = "ManagerUriInvalid";
        public const string ManagerParameterInvalid = "ManagerParameterInvalid";
        public const string ManagerNotConnected = "ManagerNotConnected";
        public const string ManagerSessionClosed = "ManagerSessionClosed";
        public const string ManagerCertificateRejected = "ManagerCertificateRejected";
        public const string ManagerConnectionFailed = "ManagerConnectionFailed";
        public const string ManagerTimeout = "ManagerTimeout";
        public const string ManagerBadRequest = "ManagerBadRequest";
        public const string ManagerAuthenticationFailed = "ManagerAuthenticationFailed";
        public const string ManagerPermissionDenied = "ManagerPermissionDenied";
        public const string ManagerObjectNotFound = "ManagerObjectNotFound";
        public const string ManagerConflict = "ManagerConflict";
        public const string ManagerRateLimited = "ManagerRateLimited";
        public const string ManagerUnavailable = "ManagerUnavailable";
        public const string ManagerProtocolError = "ManagerProtocolError";
        public const string ManagerOperationNotSupported = "ManagerOperationNotSupported";

        // ---- Deep Security provider ----
        public const string AgentNotFound = "AgentNotFound";
        public const string AgentIdInvalid = "AgentIdInvalid";
        public const string PolicyNotFound = "PolicyNotFound";
        public const string PolicyNameAmbiguous = "PolicyNameAmbiguous";
        public const string HeartbeatIntervalInvalid = "HeartbeatIntervalInvalid";
        public const string HeartbeatThresholdInvalid = "HeartbeatThresholdInvalid";
        public const string HeartbeatClockChangeInvalid = "HeartbeatClockChangeInvalid";
        public const string HeartbeatSettingConflict = "HeartbeatSettingConflict";
        public const string HeartbeatNothingToChange = "HeartbeatNothingToChange";
        public const string BasePolicyCannotInherit = "BasePolicyCannotInherit";
        public const string DirectionBreaksVirtualAppliance = "DirectionBreaksVirtualAppliance";
        public const string FirewallRuleSourceRequired = "FirewallRuleSourceRequired";
        public const string FirewallRuleIPAddressInvalid = "FirewallRuleIPAddressInvalid";
        public const string FirewallRuleMacAddressInvalid = "FirewallRuleMacAddressInvalid";
        public const string FirewallRulePortInvalid = "FirewallRulePortInvalid";
        public const string ProxyPurposeScopeInvalid = "ProxyPurposeScopeInvalid";
        public const string ProxyIdInvalid = "ProxyIdInvalid";

        // ---- Kaspersky Security Center provider ----
        public const string KscOperationFailed = "KscOperationFailed";
        public const string KscSyncFailed = "KscSyncFailed";
        public const string ContinuousConnectionLimitExceeded = "ContinuousConnectionLimitExceeded";

        // ---- Connectivity diagnostics (Test-AgentConnection, Test-AgentPortAvailability) ----
        public const string ConnectionTestPortInvalid = "ConnectionTestPortInvalid";
        public const string ConnectionTestComputerNameInvalid = "ConnectionTestComputerNameInvalid";
        public const string ConnectionTestTimeoutInvalid = "ConnectionTestTimeoutInvalid";
        public const string ConnectionTestThrottleLimitInvalid = "ConnectionTestThrottleLimitInvalid";
        public const string ConnectionTestProxyInvalid = "ConnectionTestProxyInvalid";
        public const string ConnectionTestOptionNotForUdp = "ConnectionTestOptionNotForUdp";
        public const string ConnectionTestNoCatalogPorts = "ConnectionTestNoCatalogPorts";
        public const string ConnectionTestFailed = "ConnectionTestFailed";
        public const string DeepSecurityAgentVersionUnknown = "DeepSecurityAgentVersionUnknown";
        public const string PortAvailabilityPortInvalid = "PortAvailabilityPortInvalid";
        public const string PortAvailabilityUnsupportedPlatform = "PortAvailabilityUnsupportedPlatform";
        public const string PortAvailabilityTableUnreadable = "PortAvailabilityTableUnreadable";

        // ---- Apex Central provider and the Apex One agent-server / firewall settings ----
        public const string ApexCentralResultError = "ApexCentralResultError";
        public const string ApexCentralAgentOperationFailed = "ApexCentralAgentOperationFailed";
        public const string ServerAddressInvalid = "ServerAddressInvalid";
        public const string ServerListeningPortInvalid = "ServerListeningPortInvalid";
        public const string ServerSettingsFixedForAgentVersion = "ServerSettingsFixedForAgentVersion";
        public const string AgentVersionInvalid = "AgentVersionInvalid";
        public const string AgentServerProxyInvalid = "AgentServerProxyInvalid";
        public const string AgentFirewallSettingConflict = "AgentFirewallSettingConflict";
        public const string AgentFirewallLogScheduleInvalid = "AgentFirewallLogScheduleInvalid";
        public const string AgentSettingNothingToChange = "AgentSettingNothingToChange";

        // ---- Baselines (Test-, Set-, Export-AgentBaseline) ----
        public const string BaselineFileUnreadable = "BaselineFileUnreadable";
        public const string BaselineKeyUnknown = "BaselineKeyUnknown";
        public const string BaselineKeyMissing = "BaselineKeyMissing";
        public const string BaselineValueInvalid = "BaselineValueInvalid";
        public const string BaselineTargetNotFound = "BaselineTargetNotFound";
        public const string BaselineSessionMissing = "BaselineSessionMissing";
        public const string BaselineTargetFailed = "BaselineTargetFailed";
    }
}
