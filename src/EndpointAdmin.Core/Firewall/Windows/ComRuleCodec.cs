using System;
using System.Globalization;
using System.IO;
using System.Linq;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// How an EndpointAdmin rule is kept as a Windows Defender Firewall rule, both ways.
    ///
    /// Mapping: the COM Name is the rule's DisplayName (what admins see in wf.msc), Grouping its
    /// Group, and the Description carries the identity: "EndpointAdmin:{json}" with the EndpointAdmin
    /// Name and catalog origin (product, version, component). Every other setting is a COM property:
    /// Direction, Protocol (TCP 6 / UDP 17), LocalPorts and RemotePorts ("443,13000-13010"),
    /// RemoteAddresses (addresses, prefixes and ranges), Action, Enabled; Profiles is always all
    /// profiles and InterfaceTypes "All". Only rules whose Description starts with that marker are
    /// read; everyone else's rules are never looked at further, let alone changed.
    ///
    /// Documents (the migration state) are inert rules in the group "EndpointAdmin (state)": disabled,
    /// with the document in the Description, so they change in the same Apply as the rules.
    /// </summary>
    internal static class ComRuleCodec
    {
        /// <summary>Starts the Description of every rule and document EndpointAdmin writes; the JSON follows at once.</summary>
        public const string Marker = "EndpointAdmin:";

        public const string StateGroup = "EndpointAdmin (state)";

        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            Formatting = Formatting.None,
            DateParseHandling = DateParseHandling.None,
        };

        /// <summary>The COM property values of a rule, in the order they are assigned.</summary>
        internal static RuleSpec Encode(NormalizedRule rule)
        {
            var r = rule.Rule;
            var meta = new JObject { ["t"] = "rule", ["n"] = r.Name };
            if (r.Product.HasValue)
            {
                meta["p"] = r.Product.Value.ToString();
                meta["v"] = r.Version;
                meta["c"] = r.Component;
            }

            return new RuleSpec
            {
                Name = r.DisplayName,
                Description = Describe(meta),
                Grouping = r.Group,
                Direction = r.Direction == Direction.Inbound ? NetFw.DirectionIn : NetFw.DirectionOut,
                Protocol = r.Protocol == Protocol.TCP ? NetFw.ProtocolTcp : NetFw.ProtocolUdp,
                LocalPorts = FormatPorts(rule.LocalPorts),
                RemotePorts = FormatPorts(rule.RemotePorts),
                RemoteAddresses = FormatAddresses(rule.Addresses),
                Action = r.Action == FirewallAction.Block ? NetFw.ActionBlock : NetFw.ActionAllow,
                Profiles = NetFw.ProfilesAll,
                InterfaceTypes = NetFw.AllInterfaceTypes,
                Enabled = r.Enabled,
            };
        }

        /// <summary>
        /// A document as a rule that can do no harm: disabled, and even if someone enabled it in
        /// wf.msc it would only block TCP port 9 (discard) from the loopback address.
        /// </summary>
        internal static RuleSpec EncodeDocument(string key, string value)
        {
            return new RuleSpec
            {
                Name = "EndpointAdmin state: " + key.Replace('|', '/'),
                Description = Describe(new JObject { ["t"] = "doc", ["k"] = key, ["v"] = value }),
                Grouping = StateGroup,
                Direction = NetFw.DirectionIn,
                Protocol = NetFw.ProtocolTcp,
                LocalPorts = "9",
                RemotePorts = NetFw.Any,
                RemoteAddresses = "127.0.0.1",
                Action = NetFw.ActionBlock,
                Profiles = NetFw.ProfilesAll,
                InterfaceTypes = NetFw.AllInterfaceTypes,
                Enabled = false,
            };
        }

        /// <summary>Throws FirewallValueNotSupported for a rule whose text COM would refuse.</summary>
        internal static void CheckStorable(NormalizedRule rule)
        {
            // Windows keeps rules as '|'-separated text, so the API refuses '|' in names and
            // descriptions, and reserves the name "all".
            CheckText(rule, "DisplayName", rule.Rule.DisplayName);
            CheckText(rule, "Group", rule.Rule.Group);
            if (string.Equals(rule.Rule.DisplayName, "all", StringComparison.OrdinalIgnoreCase))
            {
                throw NotSupportedValue(rule, "DisplayName 'all' is reserved by Windows Defender Firewall");
            }
        }

        internal static string FormatPorts(PortSet ports)
        {
            return ports.IsAny ? NetFw.Any : string.Join(",", ports.ToStrings());
        }

        /// <summary>Addresses, prefixes ("10.0.0.0/8", "fe80::/10") and ranges ("a-b"): forms COM accepts as they are.</summary>
        internal static string FormatAddresses(AddressSet addresses)
        {
            return addresses.IsAny ? NetFw.Any : string.Join(",", addresses.ToStrings());
        }

        /// <summary>A COM port list: "*", or "443,13000-13010". Throws FirewallPortInvalid on anything else (e.g. "RPC").</summary>
        internal static PortSet ParsePorts(string text, string parameterName)
        {
            return IsAnyText(text) ? PortSet.Any : PortSet.Parse(text.Split(','), parameterName);
        }

        /// <summary>
        /// A COM address list as Windows reports it: "*", or addresses, ranges and subnets in either
        /// notation ("10.0.0.0/8" or "10.0.0.0/255.0.0.0"). Throws FirewallAddressInvalid on anything
        /// else (e.g. "LocalSubnet", a non-contiguous mask).
        /// </summary>
        internal static AddressSet ParseAddresses(string text)
        {
            if (IsAnyText(text))
            {
                return AddressSet.Any;
            }

            return AddressSet.FromIntervals(text.Split(',').Select(ParseAddressToken).ToList());
        }

        private static AddressSet.Interval ParseAddressToken(string token)
        {
            var text = token.Trim();
            var slash = text.IndexOf('/');
            if (slash >= 0 && text.IndexOf('.', slash) > slash)
            {
                var address = text.Substring(0, slash);
                var mask = AddressSet.ParseOne(text.Substring(slash + 1));
                if (mask.IsV6 || address.IndexOf(':') >= 0)
                {
                    throw InvalidAddress(token);
                }

                // A subnet mask is some ones followed by zeros: its inverse plus one is a power of two.
                var hostBits = ~(uint)mask.First;
                if ((hostBits & unchecked(hostBits + 1)) != 0)
                {
                    throw InvalidAddress(token);
                }

                var length = 32;
                for (var bits = hostBits; bits != 0; bits >>= 1)
                {
                    length--;
                }

                text = address + "/" + length.ToString(CultureInfo.InvariantCulture);
            }

            return AddressSet.ParseOne(text);
        }

        internal static NormalizedRule Decode(IFirewallRuleCom com, JObject meta)
        {
            var name = Text(meta, "n");
            var displayName = com.Name;
            if (string.IsNullOrEmpty(name))
            {
                throw Modified(displayName, "its Description names no EndpointAdmin rule");
            }

            Direction direction;
            switch (com.Direction)
            {
                case NetFw.DirectionIn:
                    direction = Direction.Inbound;
                    break;
                case NetFw.DirectionOut:
                    direction = Direction.Outbound;
                    break;
                default:
                    throw Modified(name, "its direction is neither inbound nor outbound");
            }

            Protocol protocol;
            switch (com.Protocol)
            {
                case NetFw.ProtocolTcp:
                    protocol = Protocol.TCP;
                    break;
                case NetFw.ProtocolUdp:
                    protocol = Protocol.UDP;
                    break;
                default:
                    throw Modified(name, "its protocol is no longer TCP or UDP");
            }

            FirewallAction action;
            switch (com.Action)
            {
                case NetFw.ActionAllow:
                    action = FirewallAction.Allow;
                    break;
                case NetFw.ActionBlock:
                    action = FirewallAction.Block;
                    break;
                default:
                    throw Modified(name, "its action is neither allow nor block");
            }

            // The model has no field for these: a rule narrowed by them would not do what Get and
            // Test would say it does, so it is reported rather than silently misread.
            if ((com.Profiles & NetFw.ProfilesEveryKnown) != NetFw.ProfilesEveryKnown)
            {
                throw Modified(name, "it no longer applies to every profile (domain, private, public)");
            }

            var interfaceTypes = com.InterfaceTypes;
            if (!string.IsNullOrEmpty(interfaceTypes) && !string.Equals(interfaceTypes, NetFw.AllInterfaceTypes, StringComparison.OrdinalIgnoreCase))
            {
                throw Modified(name, "it is limited to the interface types " + interfaceTypes);
            }

            if (!IsAnyText(com.LocalAddresses) || !string.IsNullOrEmpty(com.ApplicationName) || !string.IsNullOrEmpty(com.ServiceName))
            {
                throw Modified(name, "it is limited to some local addresses, a program or a service");
            }

            PortSet local, remote;
            AddressSet addresses;
            try
            {
                local = ParsePorts(com.LocalPorts, "LocalPort");
                remote = ParsePorts(com.RemotePorts, "RemotePort");
                addresses = ParseAddresses(com.RemoteAddresses);
            }
            catch (EndpointAdminException ex)
            {
                throw Modified(name, "its ports or remote addresses hold '" + ex.Target + "', which EndpointAdmin does not write");
            }

            var rule = new FirewallPortRule
            {
                Name = name,
                DisplayName = displayName,
                Group = com.Grouping ?? string.Empty,
                Direction = direction,
                Protocol = protocol,
                LocalPort = local.ToStrings(),
                RemotePort = remote.ToStrings(),
                RemoteAddress = addresses.ToStrings(),
                Action = action,
                Enabled = com.Enabled,
                Backend = FirewallBackendKind.WindowsFirewall,
            };
            if (Enum.TryParse<Product>(Text(meta, "p"), out var product))
            {
                rule.Product = product;
                rule.Version = Text(meta, "v");
                rule.Component = Text(meta, "c");
            }

            return new NormalizedRule(rule, local, remote, addresses, rule.RemoteMacAddress);
        }

        /// <summary>A rule a product made by itself, read loosely: it is reported and counted, never changed.</summary>
        internal static FirewallPortRule DecodeProductRule(IFirewallRuleCom com)
        {
            var recognized = ProductFirewallRules.Recognize(com.Name);
            if (recognized == null || (com.Protocol != NetFw.ProtocolTcp && com.Protocol != NetFw.ProtocolUdp))
            {
                return null;
            }

            string[] local;
            string[] remote;
            try
            {
                local = ParsePorts(com.LocalPorts, "LocalPort").ToStrings();
                remote = ParseAddresses(com.RemoteAddresses).ToStrings();
            }
            catch (EndpointAdminException)
            {
                return null;
            }

            return new FirewallPortRule
            {
                Name = com.Name,
                DisplayName = com.Name,
                Group = com.Grouping ?? string.Empty,
                Direction = com.Direction == NetFw.DirectionOut ? Direction.Outbound : Direction.Inbound,
                Protocol = com.Protocol == NetFw.ProtocolUdp ? Protocol.UDP : Protocol.TCP,
                LocalPort = local,
                RemoteAddress = remote,
                Action = com.Action == NetFw.ActionAllow ? FirewallAction.Allow : FirewallAction.Block,
                Enabled = com.Enabled,
                Backend = FirewallBackendKind.WindowsFirewall,
                Product = recognized.Value.Product,
                Component = recognized.Value.Component,
                Origin = FirewallRuleOrigin.Product,
            };
        }

        /// <summary>The marker, then JSON with every '|' escaped: COM refuses '|' in a Description.</summary>
        private static string Describe(JObject meta)
        {
            return Marker + JsonConvert.SerializeObject(meta, Json).Replace("|", "\\u007c");
        }

        internal static bool IsOurs(string description)
        {
            return description != null && description.StartsWith(Marker + "{", StringComparison.Ordinal);
        }

        internal static JObject ParseMeta(IFirewallRuleCom com)
        {
            try
            {
                using (var reader = new JsonTextReader(new StringReader(com.Description.Substring(Marker.Length))) { DateParseHandling = DateParseHandling.None })
                {
                    return JObject.Load(reader);
                }
            }
            catch (JsonException)
            {
                throw Modified(com.Name, "its Description was edited");
            }
        }

        /// <summary>A string member of the metadata, or null (never a cast error: the JSON may have been edited).</summary>
        internal static string Text(JObject meta, string key)
        {
            return (meta[key] as JValue)?.Value as string;
        }

        /// <summary>"*" is what COM reports; "Any" is how NetSecurity shows the same.</summary>
        private static bool IsAnyText(string text)
        {
            return string.IsNullOrWhiteSpace(text) || text.Trim() == NetFw.Any || string.Equals(text.Trim(), "Any", StringComparison.OrdinalIgnoreCase);
        }

        private static void CheckText(NormalizedRule rule, string property, string value)
        {
            if (value != null && value.IndexOf('|') >= 0)
            {
                throw NotSupportedValue(rule, property + " '" + value + "' contains '|', which Windows Defender Firewall does not allow");
            }
        }

        private static EndpointAdminException NotSupportedValue(NormalizedRule rule, string why)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallValueNotSupported,
                ErrorKind.NotSupported,
                rule.Name,
                string.Format(CultureInfo.InvariantCulture, "The rule '{0}' cannot be stored in Windows Defender Firewall: {1}.", rule.Name, why))
            {
                RecommendedAction = "Choose another DisplayName or Group.",
            };
        }

        private static EndpointAdminException InvalidAddress(string token)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallAddressInvalid,
                ErrorKind.InvalidArgument,
                token,
                "'" + token + "' is not an address, prefix or range EndpointAdmin writes.");
        }

        internal static EndpointAdminException Modified(string name, string what)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallTableModified,
                ErrorKind.InvalidData,
                name,
                string.Format(CultureInfo.InvariantCulture, "The Windows Defender Firewall rule of '{0}' was changed outside EndpointAdmin: {1}. Nothing was changed.", name, what))
            {
                RecommendedAction = "Look at the rule in wf.msc (its Description starts with 'EndpointAdmin:'): restore it, or delete it there and create it again with EndpointAdmin.",
            };
        }
    }
}
