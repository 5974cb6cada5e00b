using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Managers
{
    /// <summary>Checks a heartbeat firewall rule request before anything is sent.</summary>
    internal static class HeartbeatRuleValidator
    {
        private static readonly Regex Mac = new Regex("^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}$", RegexOptions.CultureInvariant);

        public static HeartbeatRuleRequest Validate(PolicyTarget policy, string name, HeartbeatRuleAction action, int port, string[] ips, string[] macs)
        {
            ips = ips ?? new string[0];
            macs = macs ?? new string[0];
            if (ips.Length == 0 && macs.Length == 0)
            {
                throw new EndpointAdminException(ErrorIds.FirewallRuleSourceRequired, ErrorKind.InvalidArgument, policy.ToString(), "Give -SourceIPAddress, -SourceMacAddress or both: a rule that accepts every source is what the manager's hidden rule already does.");
            }

            if (port < 1 || port > 65535)
            {
                throw new EndpointAdminException(ErrorIds.FirewallRulePortInvalid, ErrorKind.InvalidArgument, port, "-Port " + port + " is not a TCP port (1-65535).");
            }

            foreach (var ip in ips)
            {
                if (!IsAddressOrNetwork(ip))
                {
                    throw new EndpointAdminException(ErrorIds.FirewallRuleIPAddressInvalid, ErrorKind.InvalidArgument, ip, "'" + ip + "' is not an IP address or network (10.0.0.5, 10.0.0.0/24).");
                }
            }

            foreach (var mac in macs)
            {
                if (mac == null || !Mac.IsMatch(mac))
                {
                    throw new EndpointAdminException(ErrorIds.FirewallRuleMacAddressInvalid, ErrorKind.InvalidArgument, mac, "'" + mac + "' is not a MAC address (00:11:22:33:44:55).");
                }
            }

            return new HeartbeatRuleRequest
            {
                Policy = policy,
                Name = string.IsNullOrWhiteSpace(name) ? "Agent heartbeat port " + port.ToString(CultureInfo.InvariantCulture) + " (restricted)" : name,
                Action = action,
                Port = port,
                SourceIPAddress = ips.Select(i => i.Trim()).ToArray(),
                SourceMacAddress = macs.Select(m => m.Replace('-', ':').ToUpperInvariant()).ToArray(),
            };
        }

        private static bool IsAddressOrNetwork(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            var parts = text.Trim().Split('/');
            if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out var address) || parts[0].Count(c => c == '.') is int dots && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && dots != 3)
            {
                return false;
            }

            if (parts.Length == 1)
            {
                return true;
            }

            var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix >= 0 && prefix <= max;
        }
    }
}
