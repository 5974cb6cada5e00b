using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Baseline
{
    /// <summary>How a baseline setting's value is read and written in its one normalized text form.</summary>
    internal enum SettingKind
    {
        /// <summary>Whole minutes from a fixed list ("10").</summary>
        Interval,
        /// <summary>"Unlimited" or a whole number within [Minimum, Maximum].</summary>
        Limit,
        /// <summary>"True" / "False".</summary>
        Boolean,
        /// <summary>Bidirectional, ManagerInitiated or AgentInitiated.</summary>
        Direction,
        /// <summary>A proxy's ID on the manager ("3"), or "None".</summary>
        ProxyId,
        /// <summary>A TCP port (1-65535).</summary>
        Port,
        /// <summary>Whole minutes, at least 1.</summary>
        Minutes,
        /// <summary>Server names and IP addresses, an unordered set ("a, b").</summary>
        HostList,
        /// <summary>"None", "System" or a proxy URI.</summary>
        ProxyMode,
        /// <summary>The priority-4 heartbeat firewall rule: a table of Action, Port, SourceIPAddress, SourceMacAddress.</summary>
        HeartbeatRule,
    }

    /// <summary>
    /// One setting a product accepts in a baseline, declared by the product's factory: its name (the
    /// same as the parameter of the cmdlet that sets it), what kind of value it takes, and, for a
    /// setting the product has no API for, the console page where it is made.
    /// </summary>
    internal sealed class SettingDefinition
    {
        public SettingDefinition(string name, SettingKind kind)
        {
            Name = name;
            Kind = kind;
        }

        public string Name { get; }

        public SettingKind Kind { get; }

        public IReadOnlyCollection<int> Allowed { get; set; }

        public int Minimum { get; set; } = 1;

        public int Maximum { get; set; } = int.MaxValue;

        /// <summary>The heartbeat rule's port when the baseline gives none.</summary>
        public int DefaultPort { get; set; }

        /// <summary>Set for a setting with no API: the console page and fields, reported as a NotSupported row.</summary>
        public string ConsolePath { get; set; }

        /// <summary>
        /// The value in its normalized text form, or a BaselineValueInvalid naming the key. Values
        /// come from a .psd1 or JSON, so numbers may be any integer type, text or a double.
        /// </summary>
        public string Normalize(object raw, string key)
        {
            switch (Kind)
            {
                case SettingKind.Interval:
                    var interval = Integer(raw, key);
                    if (Allowed != null && !Allowed.Contains(interval))
                    {
                        throw Invalid(key, raw, "must be one of " + string.Join(", ", Allowed) + " (minutes)");
                    }

                    return Text(interval);
                case SettingKind.Limit:
                    if (raw is string s && string.Equals(s.Trim(), Managers.HeartbeatSettings.Unlimited, StringComparison.OrdinalIgnoreCase))
                    {
                        return Managers.HeartbeatSettings.Unlimited;
                    }

                    return Text(Ranged(raw, key, Minimum, Maximum, "Unlimited or a whole number"));
                case SettingKind.Boolean:
                    if (raw is bool b)
                    {
                        return b ? "True" : "False";
                    }

                    if (raw is string t && bool.TryParse(t.Trim(), out var parsed))
                    {
                        return parsed ? "True" : "False";
                    }

                    throw Invalid(key, raw, "must be $true or $false");
                case SettingKind.Direction:
                    var direction = (Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty).Replace(" ", string.Empty).Replace("/Appliance", string.Empty);
                    foreach (var name in new[] { nameof(CommunicationDirection.Bidirectional), nameof(CommunicationDirection.ManagerInitiated), nameof(CommunicationDirection.AgentInitiated) })
                    {
                        if (string.Equals(direction, name, StringComparison.OrdinalIgnoreCase))
                        {
                            return name;
                        }
                    }

                    throw Invalid(key, raw, "must be Bidirectional, ManagerInitiated or AgentInitiated");
                case SettingKind.ProxyId:
                    if (raw == null || (raw is string none && string.Equals(none.Trim(), "None", StringComparison.OrdinalIgnoreCase)))
                    {
                        return "None";
                    }

                    return Text(Ranged(raw, key, 1, int.MaxValue, "a proxy ID (a positive whole number) or None"));
                case SettingKind.Port:
                    return Text(Ranged(raw, key, 1, 65535, "a TCP port (1-65535)"));
                case SettingKind.Minutes:
                    return Text(Ranged(raw, key, Minimum, Maximum, "a whole number of minutes"));
                case SettingKind.HostList:
                    var hosts = Strings(raw, key).Select(h => h.Trim()).ToList();
                    if (hosts.Count == 0 || hosts.Any(h => h.Length == 0 || Uri.CheckHostName(h.Trim('[', ']')) == UriHostNameType.Unknown))
                    {
                        throw Invalid(key, raw, "must list server names or IPv4/IPv6 addresses");
                    }

                    return string.Join(", ", hosts.Select(h => h.ToLowerInvariant()).Distinct().OrderBy(h => h, StringComparer.Ordinal));
                case SettingKind.ProxyMode:
                    var mode = (raw as string)?.Trim();
                    if (string.Equals(mode, "None", StringComparison.OrdinalIgnoreCase) || string.Equals(mode, "System", StringComparison.OrdinalIgnoreCase))
                    {
                        return char.ToUpperInvariant(mode[0]) + mode.Substring(1).ToLowerInvariant();
                    }

                    if (mode != null && Uri.TryCreate(mode, UriKind.Absolute, out var proxy) && proxy.Port > 0 && !string.IsNullOrEmpty(proxy.Host) && string.IsNullOrEmpty(proxy.UserInfo))
                    {
                        return proxy.Scheme + "://" + proxy.Host.ToLowerInvariant() + ":" + proxy.Port.ToString(CultureInfo.InvariantCulture);
                    }

                    throw Invalid(key, raw, "must be None, System or a proxy URI such as http://proxy:8080 (no user name or password: the console takes those)");
                case SettingKind.HeartbeatRule:
                    return HeartbeatRule(raw, key);
                default:
                    throw new InvalidOperationException(Kind.ToString());
            }
        }

        /// <summary>The canonical text of a heartbeat rule, built the same way from the baseline and from the manager.</summary>
        public static string DescribeHeartbeatRule(string action, int port, IEnumerable<string> ips, IEnumerable<string> macs)
        {
            var addresses = AddressSet.Parse(ips ?? new string[0]).ToStrings();
            var hardware = MacAddressSet.Parse(macs ?? new string[0]).OrderBy(m => m, StringComparer.Ordinal).ToArray();
            return action + " TCP " + port.ToString(CultureInfo.InvariantCulture)
                + " from " + (addresses.Length == 0 ? "any address" : string.Join(", ", addresses))
                + (hardware.Length == 0 ? string.Empty : "; MAC " + string.Join(", ", hardware));
        }

        private string HeartbeatRule(object raw, string key)
        {
            if (!(raw is IDictionary table))
            {
                throw Invalid(key, raw, "must be a table with SourceIPAddress and/or SourceMacAddress (and optionally Action and Port)");
            }

            var tree = BaselineTree.Table(table, key);
            tree.AllowOnly("SourceIPAddress", "SourceMacAddress", "Action", "Port");
            var action = tree.Text("Action") ?? nameof(HeartbeatRuleAction.Bypass);
            if (!Enum.TryParse<HeartbeatRuleAction>(action, true, out var parsedAction) || !Enum.IsDefined(typeof(HeartbeatRuleAction), parsedAction))
            {
                throw Invalid(key + ".Action", action, "must be ForceAllow or Bypass");
            }

            var port = tree.Has("Port") ? Ranged(tree.Value("Port"), key + ".Port", 1, 65535, "a TCP port (1-65535)") : DefaultPort;
            var ips = tree.Has("SourceIPAddress") ? Strings(tree.Value("SourceIPAddress"), key + ".SourceIPAddress") : new List<string>();
            var macs = tree.Has("SourceMacAddress") ? Strings(tree.Value("SourceMacAddress"), key + ".SourceMacAddress") : new List<string>();
            try
            {
                var request = Managers.HeartbeatRuleValidator.Validate(Managers.PolicyTarget.Base(), null, parsedAction, port, ips.ToArray(), macs.ToArray());
                return DescribeHeartbeatRule(parsedAction.ToString(), request.Port, request.SourceIPAddress, request.SourceMacAddress);
            }
            catch (EndpointAdminException ex)
            {
                throw Invalid(key, ex.Target, ex.Message.TrimEnd('.'));
            }
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        private int Ranged(object raw, string key, int min, int max, string what)
        {
            var value = Integer(raw, key, what);
            if (value < min || value > max)
            {
                throw Invalid(key, raw, "must be " + what + " from " + min + (max == int.MaxValue ? " up" : " to " + max));
            }

            return value;
        }

        private static int Integer(object raw, string key, string what = "a whole number")
        {
            switch (raw)
            {
                case int i: return i;
                case long l when l >= int.MinValue && l <= int.MaxValue: return (int)l;
                case byte b: return b;
                case short s: return s;
                case double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue: return (int)d;
                case decimal m when m == decimal.Floor(m) && m >= int.MinValue && m <= int.MaxValue: return (int)m;
                case string text when int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
                default: throw Invalid(key, raw, "must be " + what);
            }
        }

        internal static List<string> Strings(object raw, string key)
        {
            if (raw is string one)
            {
                return new List<string> { one };
            }

            if (raw is IEnumerable items && !(raw is IDictionary))
            {
                var list = new List<string>();
                foreach (var item in items)
                {
                    if (!(item is string text))
                    {
                        throw Invalid(key, raw, "must be text or a list of text");
                    }

                    list.Add(text);
                }

                return list;
            }

            throw Invalid(key, raw, "must be text or a list of text");
        }

        public static EndpointAdminException Invalid(string key, object value, string what)
        {
            return new EndpointAdminException(ErrorIds.BaselineValueInvalid, ErrorKind.InvalidData, key, "Baseline key " + key + " " + what + "; " + Show(value) + " is not.")
            {
                RecommendedAction = "Correct " + key + " in the baseline; nothing was read or changed.",
            };
        }

        internal static string Show(object value)
        {
            switch (value)
            {
                case null: return "$null";
                case string s: return "'" + s + "'";
                case bool b: return b ? "$true" : "$false";
                case IDictionary _: return "a table";
                case IEnumerable _: return "a list";
                default: return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }
    }
}
