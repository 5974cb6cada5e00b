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

        // ---- Deep Security provider ----

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
    }
}
