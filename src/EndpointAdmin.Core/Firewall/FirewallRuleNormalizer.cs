using System;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// Validates a wanted rule and brings it to canonical form before any backend sees it, so bad
    /// input is rejected with nothing changed, and "443" and "443-443" are the same rule.
    /// </summary>
    internal static class FirewallRuleNormalizer
    {
        public const string DefaultGroup = "EndpointAdmin";

        public static NormalizedRule Normalize(FirewallPortRule input)
        {
            if (string.IsNullOrWhiteSpace(input.DisplayName))
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallDisplayNameEmpty,
                    ErrorKind.InvalidArgument,
                    input.DisplayName,
                    "A firewall rule needs a DisplayName that is not empty.");
            }

            var rule = input.Copy();
            rule.DisplayName = rule.DisplayName.Trim();
            rule.Name = string.IsNullOrEmpty(rule.Name) ? rule.DisplayName : rule.Name;
            if (rule.Name.Trim().Length == 0 || rule.Name.Any(char.IsControl))
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallNameInvalid,
                    ErrorKind.InvalidArgument,
                    rule.Name,
                    "A firewall rule Name must contain visible characters and no control characters.");
            }

            rule.Group = string.IsNullOrWhiteSpace(rule.Group) ? DefaultGroup : rule.Group.Trim();
            var local = PortSet.Parse(rule.LocalPort, "LocalPort");
            var remote = PortSet.Parse(rule.RemotePort, "RemotePort");
            if (local.IsAny && remote.IsAny)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallPortMissing,
                    ErrorKind.InvalidArgument,
                    rule.Name,
                    string.Format(CultureInfo.InvariantCulture, "The rule '{0}' names no port: give LocalPort or RemotePort.", rule.Name));
            }

            var addresses = AddressSet.Parse(rule.RemoteAddress);
            var macs = MacAddressSet.Parse(rule.RemoteMacAddress);
            rule.LocalPort = local.ToStrings();
            rule.RemotePort = remote.ToStrings();
            rule.RemoteAddress = addresses.ToStrings();
            rule.RemoteMacAddress = macs;
            return new NormalizedRule(rule, local, remote, addresses, macs);
        }

        /// <summary>
        /// A catalog row as a rule: inbound rows open the local port, outbound rows the remote one.
        /// The name carries product, version, component, direction, protocol and port, so the same
        /// row always makes the same rule and re-running changes nothing.
        /// </summary>
        public static FirewallPortRule FromRequirement(PortRequirement requirement)
        {
            var port = requirement.Port.ToString(CultureInfo.InvariantCulture);
            var inbound = requirement.Direction == Direction.Inbound;
            var name = string.Join(
                "-",
                "EA",
                requirement.Product.ToString(),
                requirement.Version,
                requirement.Component,
                inbound ? "In" : "Out",
                requirement.Protocol.ToString(),
                port);
            var display = string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} {2} ({3}-{4} {5}): {6}",
                requirement.Product,
                requirement.Version,
                requirement.Component,
                requirement.Protocol,
                inbound ? "In" : "Out",
                port,
                requirement.Purpose);
            return new FirewallPortRule
            {
                Name = name,
                DisplayName = display,
                Direction = requirement.Direction,
                Protocol = requirement.Protocol,
                LocalPort = inbound ? new[] { port } : Array.Empty<string>(),
                RemotePort = inbound ? Array.Empty<string>() : new[] { port },
                Product = requirement.Product,
                Version = requirement.Version,
                Component = requirement.Component,
            };
        }
    }
}
