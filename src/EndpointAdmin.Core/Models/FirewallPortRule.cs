using System;

namespace EndpointAdmin
{
    /// <summary>
    /// One EndpointAdmin firewall rule, as wanted or as found on the machine. Flat and remoting-safe.
    /// Property names follow NetSecurity's (Name, DisplayName, Group, Direction, Protocol, LocalPort,
    /// RemotePort, RemoteAddress, Action, Enabled) so rules bind by property name to the
    /// FirewallPortRule cmdlets and read like Get-NetFirewallRule output.
    /// </summary>
    public sealed class FirewallPortRule
    {
        /// <summary>The rule's identity: unique, matched literally.</summary>
        public string Name { get; set; }

        public string DisplayName { get; set; }

        public string Group { get; set; }

        public Direction Direction { get; set; }

        public Protocol Protocol { get; set; }

        /// <summary>Ports on this machine: single ports and ranges ("443", "13000-13010"); empty means any.</summary>
        public string[] LocalPort { get; set; } = Array.Empty<string>();

        /// <summary>Ports on the other end; empty means any.</summary>
        public string[] RemotePort { get; set; } = Array.Empty<string>();

        /// <summary>IPv4/IPv6 addresses, prefixes and ranges of the other end; empty means any.</summary>
        public string[] RemoteAddress { get; set; } = Array.Empty<string>();

        /// <summary>MAC addresses of the other end (inbound, nftables only); empty means any.</summary>
        public string[] RemoteMacAddress { get; set; } = Array.Empty<string>();

        public FirewallAction Action { get; set; } = FirewallAction.Allow;

        public bool Enabled { get; set; } = true;

        public FirewallBackendKind Backend { get; set; }

        /// <summary>For rules made from the port catalog: the product, version and component they serve.</summary>
        public Product? Product { get; set; }

        public string Version { get; set; }

        public string Component { get; set; }

        /// <summary>Who made the rule: EndpointAdmin, or the product itself (read only, e.g. SES Evolution's own Windows rules).</summary>
        public FirewallRuleOrigin Origin { get; set; }

        internal FirewallPortRule Copy()
        {
            var copy = (FirewallPortRule)MemberwiseClone();
            copy.LocalPort = (string[])LocalPort.Clone();
            copy.RemotePort = (string[])RemotePort.Clone();
            copy.RemoteAddress = (string[])RemoteAddress.Clone();
            copy.RemoteMacAddress = (string[])RemoteMacAddress.Clone();
            return copy;
        }

        public override string ToString()
        {
            return Name;
        }
    }
}
