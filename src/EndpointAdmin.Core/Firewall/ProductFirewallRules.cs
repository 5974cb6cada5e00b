using System;
using System.Collections.Generic;
using System.Linq;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// The Windows Defender Firewall rules a product creates by itself, recognised by name so that
    /// EndpointAdmin counts them instead of adding duplicates. SES Evolution (the 2.7.1 firewall
    /// document, "Case of Windows Defender Firewall"): its backoffice installation creates these
    /// inbound rules whether the firewall is enabled or not, and never any outbound rule.
    /// </summary>
    internal static class ProductFirewallRules
    {
        /// <summary>The rule names as the document prints them; it sometimes drops the space after "Evolution", so names are compared without spaces.</summary>
        public static readonly IReadOnlyList<(string Name, string Component, string Purpose)> SesEvolution = new[]
        {
            ("Stormshield Endpoint Security Evolution Agent Handler (TCP-In)", "AgentHandler", "port 17000 for agents lower than 2.7.1 (MSRPC) and port 443 for agents 2.7.1 or higher (HTTPS)"),
            ("Stormshield Endpoint Security Evolution Backend (TCP-In)", "Backend", "port 443 (separate machines) or 8443 (same machine) for consoles and agent handlers"),
            ("Stormshield Endpoint Security Evolution Public API (TCP-In)", "Backend", "port 10443 for SIEM/SOAR"),
        };

        private static readonly Dictionary<string, string> ComponentByKey = SesEvolution.ToDictionary(r => Key(r.Name), r => r.Component, StringComparer.Ordinal);

        /// <summary>The product and component of a rule the product made itself, by its display name; null for any other rule.</summary>
        public static (Product Product, string Component)? Recognize(string displayName)
        {
            if (string.IsNullOrWhiteSpace(displayName))
            {
                return null;
            }

            return ComponentByKey.TryGetValue(Key(displayName), out var component) ? (Product.SesEvolution, component) : ((Product, string)?)null;
        }

        /// <summary>True when the product never creates rules of this direction, so any such rule is the admin's to make.</summary>
        public static bool NeverCreates(Product product, Direction direction) => product == Product.SesEvolution && direction == Direction.Outbound;

        /// <summary>The product rule that opens what <paramref name="wanted"/> asks for: same direction and protocol, allowing, enabled, from anywhere, covering every wanted local port.</summary>
        public static FirewallPortRule Covering(IEnumerable<FirewallPortRule> productRules, NormalizedRule wanted)
        {
            if (productRules == null || !wanted.Addresses.IsAny || !wanted.RemotePorts.IsAny || wanted.Rule.Action != FirewallAction.Allow)
            {
                return null;
            }

            foreach (var rule in productRules)
            {
                if (rule.Direction != wanted.Rule.Direction || rule.Protocol != wanted.Rule.Protocol || !rule.Enabled || rule.Action != FirewallAction.Allow || rule.RemoteAddress.Length > 0)
                {
                    continue;
                }

                if (wanted.Rule.Product.HasValue && rule.Product.HasValue && rule.Product != wanted.Rule.Product)
                {
                    continue;
                }

                PortSet ports;
                try
                {
                    ports = PortSet.Parse(rule.LocalPort, "LocalPort");
                }
                catch (Errors.EndpointAdminException)
                {
                    continue;
                }

                if (ports.IsAny || wanted.LocalPorts.IsAny || !Within(wanted.LocalPorts, ports))
                {
                    continue;
                }

                return rule;
            }

            return null;
        }

        private static bool Within(PortSet inner, PortSet outer)
        {
            return inner.Ranges.All(r => outer.Ranges.Any(o => o.Key <= r.Key && r.Value <= o.Value));
        }

        private static string Key(string name) => new string(name.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
    }
}
