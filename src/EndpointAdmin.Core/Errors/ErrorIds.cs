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

        // ---- Connectivity diagnostics (Test-AgentConnection, Test-AgentPortAvailability) ----
    }
}
