using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// EndpointAdmin's rules in Windows Defender Firewall, through its COM interface
    /// (<see cref="IFirewallPolicyCom"/>), never one New-NetFirewallRule per rule.
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
    ///
    /// COM has no transaction. Apply comes as close as it can: everything that can be checked is
    /// checked before the first change, and when a change fails, what this Apply already did is
    /// undone (removed rules re-added with the settings read before removal, added rules removed)
    /// before the error, which names the rule, is thrown.
    ///
    /// Not run on Windows: this backend was built and unit-tested on Linux against a fake of the COM
    /// surface; the real surface is <see cref="ComFirewallPolicy"/>.
    /// </summary>
    internal sealed class WindowsFirewallBackend : IFirewallBackend
    {
        /// <summary>Starts the Description of every rule and document EndpointAdmin writes; the JSON follows at once.</summary>
        public const string Marker = "EndpointAdmin:";

        public const string StateGroup = "EndpointAdmin (state)";

        private const string RemovingPrefix = "EndpointAdmin removing ";

        private static readonly JsonSerializerSettings Json = new JsonSerializerSettings
        {
            Formatting = Formatting.None,
            DateParseHandling = DateParseHandling.None,
        };

        private readonly IFirewallPolicyCom _policy;

        public WindowsFirewallBackend(IFirewallPolicyCom policy)
        {
            _policy = policy;
        }

        public FirewallBackendKind Kind => FirewallBackendKind.WindowsFirewall;

        public void Validate(NormalizedRule rule)
        {
            if (rule.Macs.Length > 0)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMacAddressNotSupported,
                    ErrorKind.NotSupported,
                    rule.Name,
                    string.Format(CultureInfo.InvariantCulture, "The rule '{0}' has a RemoteMacAddress: Windows Defender Firewall cannot match MAC addresses.", rule.Name))
                {
                    RecommendedAction = "Restrict the rule by RemoteAddress instead, or leave out RemoteMacAddress on Windows.",
                };
            }

            // Windows keeps rules as '|'-separated text, so the API refuses '|' in names and
            // descriptions, and reserves the name "all".
            CheckText(rule, "DisplayName", rule.Rule.DisplayName);
            CheckText(rule, "Group", rule.Rule.Group);
            if (string.Equals(rule.Rule.DisplayName, "all", StringComparison.OrdinalIgnoreCase))
            {
                throw NotSupportedValue(rule, "DisplayName 'all' is reserved by Windows Defender Firewall");
            }
        }

        public FirewallSnapshot Read()
        {
            var state = new State();
            var rules = new List<NormalizedRule>();
            var documents = new Dictionary<string, string>(StringComparer.Ordinal);
            var productRules = new List<FirewallPortRule>();
            try
            {
                foreach (var com in _policy.GetRules())
                {
                    if (!IsOurs(com.Description))
                    {
                        var product = ReadProductRule(com);
                        if (product != null)
                        {
                            productRules.Add(product);
                        }

                        continue;
                    }

                    var meta = ParseMeta(com);
                    var type = Text(meta, "t");
                    if (type == "doc")
                    {
                        var key = Text(meta, "k");
                        if (key == null || state.Documents.ContainsKey(key))
                        {
                            throw Modified(com.Name, "it is a copy of an EndpointAdmin state rule, or its Description was edited");
                        }

                        documents[key] = Text(meta, "v");
                        state.Documents[key] = com;
                    }
                    else if (type == "rule")
                    {
                        var rule = Decode(com, meta);
                        if (state.Rules.ContainsKey(rule.Name))
                        {
                            throw Modified(rule.Name, "two Windows Firewall rules carry this EndpointAdmin name (was one copied in wf.msc?)");
                        }

                        state.Rules[rule.Name] = com;
                        rules.Add(rule);
                    }
                    else
                    {
                        throw Modified(com.Name, "its Description was edited");
                    }
                }
            }
            catch (Exception ex) when (IsComFailure(ex))
            {
                throw ReadFailed(ex);
            }

            return new FirewallSnapshot(rules, documents, state, productRules);
        }

        /// <summary>A rule a product made by itself, read loosely: it is reported and counted, never changed.</summary>
        private static FirewallPortRule ReadProductRule(IFirewallRuleCom com)
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

        public void Apply(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            if (changes.IsEmpty)
            {
                return;
            }

            // Everything that can be checked without the firewall is, before the first change.
            var state = (State)basis.BackendState;
            var removals = new List<KeyValuePair<string, IFirewallRuleCom>>();
            foreach (var name in changes.Remove)
            {
                if (state.Rules.TryGetValue(name, out var live))
                {
                    removals.Add(new KeyValuePair<string, IFirewallRuleCom>(name, live));
                }
            }

            foreach (var key in changes.DeleteDocuments.Concat(changes.PutDocuments.Keys).Distinct(StringComparer.Ordinal))
            {
                if (state.Documents.TryGetValue(key, out var live))
                {
                    removals.Add(new KeyValuePair<string, IFirewallRuleCom>(key, live));
                }
            }

            // A rollback finds the rules it added by Description, which holds the name: each name
            // added must therefore be new (or be removed first in this same Apply), and added once.
            var present = new HashSet<string>(state.Rules.Keys.Except(changes.Remove, StringComparer.Ordinal), StringComparer.Ordinal);
            var additions = new List<Step>();
            foreach (var rule in changes.Add)
            {
                Validate(rule);
                if (!present.Add(rule.Name))
                {
                    throw new EndpointAdminException(
                        ErrorIds.FirewallRuleConflict,
                        ErrorKind.ResourceExists,
                        rule.Name,
                        string.Format(CultureInfo.InvariantCulture, "A Windows Defender Firewall rule named '{0}' already exists, or is asked for twice. Nothing was changed.", rule.Name));
                }

                additions.Add(new Step(rule.Name, Encode(rule)));
            }

            foreach (var doc in changes.PutDocuments)
            {
                additions.Add(new Step(doc.Key, EncodeDocument(doc.Key, doc.Value)));
            }

            var removed = new List<Step>();
            var added = new List<Step>();
            string owner = null;
            try
            {
                foreach (var r in removals)
                {
                    owner = r.Key;
                    var copy = RuleSpec.Capture(r.Value);
                    RemoveLive(r.Value);
                    removed.Add(new Step(r.Key, copy));
                }

                foreach (var a in additions)
                {
                    owner = a.Owner;
                    AddNew(a.Spec);
                    added.Add(a);
                }
            }
            catch (Exception ex)
            {
                // Whatever failed (a COM error, or anything else), the changes already made are
                // undone: all or nothing is the contract of Apply.
                var notRestored = RollBack(removed, added);
                throw ApplyFailed(owner, ex, notRestored);
            }
        }

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

        private static NormalizedRule Decode(IFirewallRuleCom com, JObject meta)
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

        /// <summary>The marker, then JSON with every '|' escaped: COM refuses '|' in a Description.</summary>
        private static string Describe(JObject meta)
        {
            return Marker + JsonConvert.SerializeObject(meta, Json).Replace("|", "\\u007c");
        }

        private static bool IsOurs(string description)
        {
            return description != null && description.StartsWith(Marker + "{", StringComparison.Ordinal);
        }

        private static JObject ParseMeta(IFirewallRuleCom com)
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
        private static string Text(JObject meta, string key)
        {
            return (meta[key] as JValue)?.Value as string;
        }

        /// <summary>"*" is what COM reports; "Any" is how NetSecurity shows the same.</summary>
        private static bool IsAnyText(string text)
        {
            return string.IsNullOrWhiteSpace(text) || text.Trim() == NetFw.Any || string.Equals(text.Trim(), "Any", StringComparison.OrdinalIgnoreCase);
        }

        private void AddNew(RuleSpec spec)
        {
            var rule = _policy.CreateRule();
            spec.WriteTo(rule);
            _policy.Add(rule);
        }

        /// <summary>
        /// Removes exactly this rule. INetFwRules.Remove selects by display name, which other rules
        /// may share, so the rule first gets a name no other rule has.
        /// </summary>
        private void RemoveLive(IFirewallRuleCom rule)
        {
            var name = rule.Name;
            var unique = RemovingPrefix + Guid.NewGuid().ToString("N");
            rule.Name = unique;
            try
            {
                _policy.Remove(unique);
            }
            catch
            {
                TryRename(rule, name);
                throw;
            }
        }

        private static void TryRename(IFirewallRuleCom rule, string name)
        {
            try
            {
                rule.Name = name;
            }
            catch (Exception ex) when (IsComFailure(ex))
            {
                // The rename only restores the display name; the Apply error says what happened.
            }
        }

        /// <summary>Undoes what an Apply did, newest first; returns the rules and documents it could not restore.</summary>
        private List<string> RollBack(List<Step> removed, List<Step> added)
        {
            var failures = new List<string>();
            if (added.Count > 0)
            {
                // An added rule object is not live, so the rules are found again by Description,
                // which holds the EndpointAdmin name or document key and so is unique to each.
                Dictionary<string, IFirewallRuleCom> live;
                try
                {
                    live = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);
                    foreach (var r in _policy.GetRules())
                    {
                        var description = r.Description;
                        if (IsOurs(description))
                        {
                            live[description] = r;
                        }
                    }
                }
                catch (Exception ex) when (IsComFailure(ex))
                {
                    live = new Dictionary<string, IFirewallRuleCom>();
                }

                for (int i = added.Count - 1; i >= 0; i--)
                {
                    try
                    {
                        if (!live.TryGetValue(added[i].Spec.Description, out var rule))
                        {
                            failures.Add(added[i].Owner);
                            continue;
                        }

                        RemoveLive(rule);
                    }
                    catch (Exception ex) when (IsComFailure(ex))
                    {
                        failures.Add(added[i].Owner);
                    }
                }
            }

            for (int i = removed.Count - 1; i >= 0; i--)
            {
                try
                {
                    AddNew(removed[i].Spec);
                }
                catch (Exception ex) when (IsComFailure(ex))
                {
                    failures.Add(removed[i].Owner);
                }
            }

            return failures;
        }

        private static void CheckText(NormalizedRule rule, string property, string value)
        {
            if (value != null && value.IndexOf('|') >= 0)
            {
                throw NotSupportedValue(rule, property + " '" + value + "' contains '|', which Windows Defender Firewall does not allow");
            }
        }

        private static bool IsComFailure(Exception ex)
        {
            // COM errors reach .NET as COMException, or mapped: E_ACCESSDENIED as
            // UnauthorizedAccessException, E_INVALIDARG as ArgumentException; a VARIANT of an
            // unexpected type fails as InvalidCastException.
            return ex is COMException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidCastException;
        }

        private static bool IsAccessDenied(Exception ex)
        {
            const int EAccessDenied = unchecked((int)0x80070005);
            return ex is UnauthorizedAccessException || (ex is COMException com && com.HResult == EAccessDenied);
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

        private static EndpointAdminException Modified(string name, string what)
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

        private static EndpointAdminException ReadFailed(Exception ex)
        {
            if (IsAccessDenied(ex))
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallPermissionDenied,
                    ErrorKind.PermissionDenied,
                    "HNetCfg.FwPolicy2",
                    "Windows Defender Firewall refused to list its rules: " + ex.Message,
                    ex)
                {
                    RecommendedAction = "Run PowerShell as Administrator.",
                };
            }

            return new EndpointAdminException(
                ErrorIds.FirewallBackendFailed,
                ErrorKind.InvalidOperation,
                "HNetCfg.FwPolicy2",
                "Reading the Windows Defender Firewall rules failed: " + ex.Message,
                ex);
        }

        private static EndpointAdminException ApplyFailed(string owner, Exception ex, List<string> notRestored)
        {
            if (notRestored.Count > 0)
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallRollbackIncomplete,
                    ErrorKind.InvalidOperation,
                    owner,
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Windows Defender Firewall refused the change to '{0}' ({1}), and undoing this command's earlier changes failed for: {2}. The firewall is partly changed.",
                        owner,
                        ex.Message,
                        string.Join(", ", notRestored)),
                    ex)
                {
                    RecommendedAction = "Compare the rules with Get-FirewallPortRule or Test-FirewallPortRule and run the command again, or remove the rules named.",
                };
            }

            if (IsAccessDenied(ex))
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallPermissionDenied,
                    ErrorKind.PermissionDenied,
                    owner,
                    "Windows Defender Firewall refused the change to '" + owner + "': changing firewall rules needs Administrator rights. Nothing was changed.",
                    ex)
                {
                    RecommendedAction = "Run PowerShell as Administrator, or through a JEA endpoint that runs as one.",
                };
            }

            return new EndpointAdminException(
                ErrorIds.FirewallRuleRejected,
                ErrorKind.InvalidOperation,
                owner,
                string.Format(CultureInfo.InvariantCulture, "Windows Defender Firewall rejected the rule '{0}', so no change of this command was kept: {1}", owner, ex.Message),
                ex)
            {
                RecommendedAction = "Correct or leave out that rule and run the command again; the changes made before it were undone.",
            };
        }

        /// <summary>One change of an Apply: the rule or document it serves, and its COM values.</summary>
        private sealed class Step
        {
            public Step(string owner, RuleSpec spec)
            {
                Owner = owner;
                Spec = spec;
            }

            public string Owner { get; }

            public RuleSpec Spec { get; }
        }

        /// <summary>What the backend read besides the rules: the live COM rule behind each rule and document.</summary>
        internal sealed class State
        {
            public Dictionary<string, IFirewallRuleCom> Rules { get; } = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);

            public Dictionary<string, IFirewallRuleCom> Documents { get; } = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);
        }
    }
}
