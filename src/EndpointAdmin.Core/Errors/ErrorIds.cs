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
    }
}
