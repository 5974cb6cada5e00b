namespace EndpointAdmin.Errors
{
    /// <summary>
    /// Every ErrorId the module raises, in one place. They are part of the public contract: scripts
    /// match on "ErrorId,EndpointAdmin.Commands.&lt;Class&gt;", so an id never changes once shipped.
    /// </summary>
    internal static class ErrorIds
    {
        // Port catalog
        public const string PortCatalogVersionInvalid = "PortCatalogVersionInvalid";
        public const string PortCatalogVersionWithoutProduct = "PortCatalogVersionWithoutProduct";
        public const string PortCatalogVersionNotFound = "PortCatalogVersionNotFound";
        public const string PortCatalogComponentNotFound = "PortCatalogComponentNotFound";
        public const string PortCatalogInvalid = "PortCatalogInvalid";
    }
}
