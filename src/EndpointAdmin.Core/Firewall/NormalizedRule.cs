using System.Collections.Generic;
using System.Linq;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// A validated rule: the public model with canonical strings, plus the parsed sets the backends
    /// encode and the comparisons use.
    /// </summary>
    internal sealed class NormalizedRule
    {
        public NormalizedRule(FirewallPortRule rule, PortSet localPorts, PortSet remotePorts, AddressSet addresses, string[] macs)
        {
            Rule = rule;
            LocalPorts = localPorts;
            RemotePorts = remotePorts;
            Addresses = addresses;
            Macs = macs;
        }

        public FirewallPortRule Rule { get; }

        public string Name => Rule.Name;

        public PortSet LocalPorts { get; }

        public PortSet RemotePorts { get; }

        public AddressSet Addresses { get; }

        public string[] Macs { get; }

        /// <summary>One line per setting that differs from <paramref name="actual"/>; empty when the rules are the same.</summary>
        public List<string> DifferencesFrom(NormalizedRule actual)
        {
            var d = new List<string>();
            Compare(d, "DisplayName", Rule.DisplayName, actual.Rule.DisplayName);
            Compare(d, "Group", Rule.Group, actual.Rule.Group);
            Compare(d, "Direction", Rule.Direction.ToString(), actual.Rule.Direction.ToString());
            Compare(d, "Protocol", Rule.Protocol.ToString(), actual.Rule.Protocol.ToString());
            Compare(d, "LocalPort", LocalPorts.ToString(), actual.LocalPorts.ToString());
            Compare(d, "RemotePort", RemotePorts.ToString(), actual.RemotePorts.ToString());
            Compare(d, "RemoteAddress", Addresses.ToString(), actual.Addresses.ToString());
            Compare(d, "RemoteMacAddress", Macs.Length == 0 ? "Any" : string.Join(",", Macs), actual.Macs.Length == 0 ? "Any" : string.Join(",", actual.Macs));
            Compare(d, "Action", Rule.Action.ToString(), actual.Rule.Action.ToString());
            Compare(d, "Enabled", Rule.Enabled ? "True" : "False", actual.Rule.Enabled ? "True" : "False");
            return d;
        }

        public bool SameSettingsAs(NormalizedRule actual)
        {
            return DifferencesFrom(actual).Count == 0;
        }

        /// <summary>A short description for -WhatIf and -Verbose: "Inbound TCP 443 Allow from 10.0.0.0/8".</summary>
        public string Describe()
        {
            var parts = new List<string> { Rule.Direction.ToString(), Rule.Protocol.ToString() };
            if (!LocalPorts.IsAny)
            {
                parts.Add("local port " + LocalPorts);
            }

            if (!RemotePorts.IsAny)
            {
                parts.Add("remote port " + RemotePorts);
            }

            if (!Addresses.IsAny)
            {
                parts.Add((Rule.Direction == Direction.Inbound ? "from " : "to ") + Addresses);
            }

            if (Macs.Length > 0)
            {
                parts.Add("MAC " + string.Join(",", Macs));
            }

            parts.Add(Rule.Action + (Rule.Enabled ? string.Empty : " (disabled)"));
            return string.Join(" ", parts.Where(p => p.Length > 0));
        }

        private static void Compare(List<string> d, string name, string wanted, string found)
        {
            if (!string.Equals(wanted ?? string.Empty, found ?? string.Empty, System.StringComparison.Ordinal))
            {
                d.Add(name + ": wanted " + (wanted ?? string.Empty) + ", found " + (found ?? string.Empty));
            }
        }
    }
}
