using System.Runtime.InteropServices;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall.Nftables;
using EndpointAdmin.Firewall.Windows;

namespace EndpointAdmin.Firewall
{
    /// <summary>Picks the host firewall: nftables on Linux, Windows Defender Firewall on Windows, unless one is named.</summary>
    internal static class FirewallBackendFactory
    {
        public static FirewallBackendKind? Detect()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return FirewallBackendKind.Nftables;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return FirewallBackendKind.WindowsFirewall;
            }

            return null;
        }

        public static IFirewallBackend Create(FirewallBackendKind? requested)
        {
            var kind = requested ?? Detect();
            if (kind == FirewallBackendKind.Nftables && RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return new NftablesBackend();
            }

            if (kind == FirewallBackendKind.WindowsFirewall && RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return CreateWindows();
            }

            throw new EndpointAdminException(
                ErrorIds.FirewallBackendNotSupported,
                ErrorKind.NotSupported,
                kind?.ToString() ?? RuntimeInformation.OSDescription,
                kind == null
                    ? "EndpointAdmin manages the firewall on Linux (nftables) and Windows (Windows Defender Firewall); this system is neither."
                    : "The " + kind + " backend does not run on " + RuntimeInformation.OSDescription + ".")
            {
                RecommendedAction = "Leave out -Backend to use this system's firewall, or run the command on a machine with that firewall (for example through Invoke-Command).",
            };
        }

        private static IFirewallBackend CreateWindows()
        {
            return new WindowsFirewallBackend(new ComFirewallPolicy());
        }
    }
}
