using System.Linq;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Managers
{
    /// <summary>The one way to say "this product cannot do that here, do it there".</summary>
    internal static class ManagerCapabilities
    {
        public static void Require(IAgentManagerProvider provider, ManagerCapability capability, string detail = null)
        {
            if (!provider.Capabilities.Contains(capability))
            {
                throw NotSupported(provider, capability, detail);
            }
        }

        public static EndpointAdminException NotSupported(IAgentManagerProvider provider, ManagerCapability capability, string detail)
        {
            var path = provider.ConsolePath(capability);
            return new EndpointAdminException(
                ErrorIds.ManagerOperationNotSupported,
                ErrorKind.NotSupported,
                capability.ToString(),
                provider.Product + " offers no API for " + capability + (detail == null ? (path == null ? ", and its console has no equivalent setting." : ".") : ": " + detail))
            {
                RecommendedAction = path == null ? null : "Do it in the " + provider.Product + " console: " + path + ".",
            };
        }
    }
}
