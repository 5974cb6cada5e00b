using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Firewall;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>One rule of every shape a backend has to keep, for the round-trip tests of the nftables and Windows codecs.</summary>
    internal static class FirewallRuleShapes
    {
        public static readonly Dictionary<string, Func<NormalizedRule>> All = new Dictionary<string, Func<NormalizedRule>>(StringComparer.Ordinal)
        {
            ["inbound TCP local port"] = () => Rule("in-tcp", local: new[] { "443" }),
            ["inbound UDP remote port only"] = () => Rule("in-udp-remote", protocol: Protocol.UDP, remote: new[] { "53" }),
            ["local and remote port sets with ranges"] = () => Rule("port-sets", local: new[] { "13000-13010", "14000" }, remote: new[] { "1024-2048", "3000" }),
            ["adjacent ports and addresses"] = () => Rule("adjacent", local: new[] { "80", "81", "82" }, addresses: new[] { "10.0.0.1", "10.0.0.2" }),
            ["outbound UDP to one address"] = () => Rule("out-udp", Direction.Outbound, Protocol.UDP, local: new[] { "1024-65535" }, remote: new[] { "514" }, addresses: new[] { "10.9.9.9" }),
            ["outbound TCP remote port only"] = () => Rule("out-tcp", Direction.Outbound, remote: new[] { "8443" }),
            ["IPv4 prefix and range"] = () => Rule("v4", local: new[] { "22" }, addresses: new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.20" }),
            ["IPv6 only"] = () => Rule("v6", local: new[] { "22" }, addresses: new[] { "fe80::/10", "2001:db8::1" }),
            ["both address families, Block"] = () => Rule("both", local: new[] { "4118" }, addresses: new[] { "10.0.0.0/8", "2001:db8::/32" }, action: FirewallAction.Block),
            ["one MAC address"] = () => Rule("one-mac", local: new[] { "4119" }, macs: new[] { "AA:bb:cc:dd:ee:01" }),
            ["MAC set and both families"] = () => Rule("macs", local: new[] { "4120" }, macs: new[] { "aa:bb:cc:dd:ee:ff", "00:11:22:33:44:55" }, addresses: new[] { "10.1.1.1", "fe80::1" }),
            ["Block"] = () => Rule("block", local: new[] { "23" }, action: FirewallAction.Block),
            ["disabled Allow"] = () => Rule("off-allow", local: new[] { "8080" }, enabled: false),
            ["disabled Block, outbound"] = () => Rule("off-block", Direction.Outbound, remote: new[] { "25" }, action: FirewallAction.Block, enabled: false),
            ["display name and group"] = () => Rule("named", local: new[] { "9000" }, display: "Web console", group: "Operations"),
            ["non-ASCII text"] = () => Rule("umlaut", local: new[] { "9001" }, display: "Zugriff für Prüfer é", group: "Gruppe ß"),
            ["catalog row"] = () => FirewallRuleNormalizer.Normalize(FirewallRuleNormalizer.FromRequirement(new PortRequirement
            {
                Product = Product.SesEvolution,
                Version = "2.7.1",
                Component = "AgentHandler",
                Direction = Direction.Inbound,
                Protocol = Protocol.TCP,
                Port = 443,
                Purpose = "Agent connections",
            })),
            ["metadata longer than a comment"] = () => Rule("long", local: new[] { "10443" }, display: "Public API of the back end: " + new string('d', 400) + " \"quoted\"", group: "Group " + new string('g', 100)),
            ["long metadata, both families, disabled Block"] = () => Rule("long-both", local: new[] { "10444" }, addresses: new[] { "10.0.0.1", "::1" }, display: new string('x', 200), action: FirewallAction.Block, enabled: false),
        };

        public static NormalizedRule Rule(
            string name,
            Direction direction = Direction.Inbound,
            Protocol protocol = Protocol.TCP,
            string[] local = null,
            string[] remote = null,
            string[] addresses = null,
            string[] macs = null,
            FirewallAction action = FirewallAction.Allow,
            bool enabled = true,
            string display = null,
            string group = null)
        {
            return FirewallRuleNormalizer.Normalize(new FirewallPortRule
            {
                Name = name,
                DisplayName = display ?? name,
                Group = group,
                Direction = direction,
                Protocol = protocol,
                LocalPort = local ?? new string[0],
                RemotePort = remote ?? new string[0],
                RemoteAddress = addresses ?? new string[0],
                RemoteMacAddress = macs ?? new string[0],
                Action = action,
                Enabled = enabled,
            });
        }

        /// <summary>The shapes <paramref name="backend"/> can keep (Windows Defender Firewall matches no MAC address), as theory data.</summary>
        public static IEnumerable<object[]> Names(FirewallBackendKind backend)
        {
            return All.Where(s => backend != FirewallBackendKind.WindowsFirewall || s.Value().Macs.Length == 0).Select(s => new object[] { s.Key });
        }

        public static void AssertReadBackAsWritten(NormalizedRule wanted, FirewallSnapshot read, FirewallBackendKind backend)
        {
            Assert.True(read.ByName.TryGetValue(wanted.Name, out var found), "no rule '" + wanted.Name + "' was read back");
            Assert.Empty(wanted.DifferencesFrom(found));
            Assert.Equal(wanted.Rule.Product, found.Rule.Product);
            Assert.Equal(wanted.Rule.Version, found.Rule.Version);
            Assert.Equal(wanted.Rule.Component, found.Rule.Component);
            Assert.Equal(backend, found.Rule.Backend);
        }
    }
}
