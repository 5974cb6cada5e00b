using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.Firewall.Nftables.NftLayout;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// Every nft JSON command the backend sends: rules and documents as <see cref="NftLayout"/> keeps
    /// them, deletions by handle, the table and its chains. Block rules are inserted at the top of a
    /// chain and Allow rules appended, so a Block wins over an Allow as it does in Windows Firewall.
    /// </summary>
    internal static class NftRuleEncoder
    {
        private const int CommentLimit = 128;
        private const int ChunkLength = 96;

        public static IEnumerable<NftCommand> EncodeRule(NormalizedRule rule)
        {
            var r = rule.Rule;
            var meta = new JObject { ["t"] = "rule", ["n"] = r.Name };
            if (r.DisplayName != r.Name)
            {
                meta["d"] = r.DisplayName;
            }

            if (r.Group != FirewallRuleNormalizer.DefaultGroup)
            {
                meta["g"] = r.Group;
            }

            if (r.Action != FirewallAction.Allow)
            {
                meta["a"] = r.Action.ToString();
            }

            if (!r.Enabled)
            {
                meta["e"] = false;
            }

            if (r.Product.HasValue)
            {
                meta["p"] = r.Product.Value.ToString();
                meta["v"] = r.Version;
                meta["c"] = r.Component;
            }

            var metaText = JsonConvert.SerializeObject(meta, AsciiJson);
            string comment;
            var commands = new List<NftCommand>();
            if (Marker.Length + metaText.Length <= CommentLimit)
            {
                comment = Marker + metaText;
            }
            else
            {
                var id = Id(RuleKey(r.Name));
                comment = Marker + "#" + id;
                commands.AddRange(Records(r.Name, id, metaText));
            }

            var chain = r.Direction == Direction.Inbound ? "input" : "output";
            var inbound = r.Direction == Direction.Inbound;
            var proto = r.Protocol == Protocol.TCP ? "tcp" : "udp";
            var families = new List<KeyValuePair<string, IReadOnlyList<AddressSet.Interval>>>();
            if (rule.Addresses.IsAny)
            {
                families.Add(new KeyValuePair<string, IReadOnlyList<AddressSet.Interval>>(null, null));
            }
            else
            {
                if (rule.Addresses.V4.Count > 0)
                {
                    families.Add(new KeyValuePair<string, IReadOnlyList<AddressSet.Interval>>("ip", rule.Addresses.V4));
                }

                if (rule.Addresses.V6.Count > 0)
                {
                    families.Add(new KeyValuePair<string, IReadOnlyList<AddressSet.Interval>>("ip6", rule.Addresses.V6));
                }
            }

            foreach (var family in families)
            {
                var expr = new JArray();
                if (rule.Macs.Length > 0)
                {
                    expr.Add(Match("ether", "saddr", rule.Macs.Length == 1 ? (JToken)rule.Macs[0] : new JObject { ["set"] = new JArray(rule.Macs) }));
                }

                if (family.Key != null)
                {
                    expr.Add(Match(family.Key, inbound ? "saddr" : "daddr", Addresses(family.Value)));
                }

                if (!rule.LocalPorts.IsAny)
                {
                    expr.Add(Match(proto, inbound ? "dport" : "sport", Ports(rule.LocalPorts)));
                }

                if (!rule.RemotePorts.IsAny)
                {
                    expr.Add(Match(proto, inbound ? "sport" : "dport", Ports(rule.RemotePorts)));
                }

                if (r.Enabled)
                {
                    expr.Add(new JObject { [r.Action == FirewallAction.Block ? "drop" : "accept"] = null });
                }

                var verb = r.Enabled && r.Action == FirewallAction.Block ? "insert" : "add";
                commands.Add(new NftCommand(r.Name, Verb(verb, "rule", new JObject
                {
                    ["family"] = Family,
                    ["table"] = Table,
                    ["chain"] = chain,
                    ["comment"] = comment,
                    ["expr"] = expr,
                })));
            }

            return commands;
        }

        /// <summary>A document (the migration state) as records: inert rules of the records chain.</summary>
        public static IEnumerable<NftCommand> EncodeDocument(string key, string value)
        {
            var payload = JsonConvert.SerializeObject(new JObject { ["t"] = "doc", ["k"] = key, ["v"] = value }, AsciiJson);
            return Records(key, Id(DocumentKey(key)), payload);
        }

        /// <summary>Deletes one nftables rule of the table, for the rule or document it belongs to.</summary>
        public static NftCommand DeleteRule(string owner, NftRuleHandle handle)
        {
            return new NftCommand(owner, Verb("delete", "rule", new JObject { ["family"] = Family, ["table"] = Table, ["chain"] = handle.Chain, ["handle"] = handle.Handle }));
        }

        public static NftCommand AddTable()
        {
            return new NftCommand(null, Verb("add", "table", new JObject { ["family"] = Family, ["name"] = Table }));
        }

        /// <summary>One of the table's chains: the records chain (never hooked), or the input or output base chain.</summary>
        public static NftCommand AddChain(string chain)
        {
            return new NftCommand(null, Verb("add", "chain", chain == RecordsChain
                ? new JObject { ["family"] = Family, ["table"] = Table, ["name"] = RecordsChain }
                : BaseChain(chain)));
        }

        private static IEnumerable<NftCommand> Records(string owner, string id, string payload)
        {
            var count = (payload.Length + ChunkLength - 1) / ChunkLength;
            for (int i = 0; i < count; i++)
            {
                var chunk = payload.Substring(i * ChunkLength, Math.Min(ChunkLength, payload.Length - (i * ChunkLength)));
                var comment = string.Format(CultureInfo.InvariantCulture, "{0}#{1} {2}/{3} {4}", Marker, id, i + 1, count, chunk);
                yield return new NftCommand(owner, Verb("add", "rule", new JObject
                {
                    ["family"] = Family,
                    ["table"] = Table,
                    ["chain"] = RecordsChain,
                    ["comment"] = comment,
                    ["expr"] = new JArray(new JObject { ["counter"] = null }),
                }));
            }
        }

        private static JObject BaseChain(string hook)
        {
            return new JObject
            {
                ["family"] = Family,
                ["table"] = Table,
                ["name"] = hook,
                ["type"] = "filter",
                ["hook"] = hook,
                ["prio"] = 0,
                ["policy"] = "accept",
            };
        }

        private static JObject Verb(string verb, string kind, JObject body)
        {
            return new JObject { [verb] = new JObject { [kind] = body } };
        }

        private static JObject Match(string protocol, string field, JToken right)
        {
            return new JObject
            {
                ["match"] = new JObject
                {
                    ["op"] = "==",
                    ["left"] = new JObject { ["payload"] = new JObject { ["protocol"] = protocol, ["field"] = field } },
                    ["right"] = right,
                },
            };
        }

        private static JToken Ports(PortSet ports)
        {
            var items = ports.Ranges.Select(r => r.Key == r.Value ? (JToken)r.Key : new JObject { ["range"] = new JArray(r.Key, r.Value) }).ToList();
            return items.Count == 1 ? items[0] : new JObject { ["set"] = new JArray(items) };
        }

        private static JToken Addresses(IReadOnlyList<AddressSet.Interval> intervals)
        {
            var items = intervals.Select(i =>
            {
                if (i.First == i.Last)
                {
                    return (JToken)i.FirstText;
                }

                var len = i.PrefixLength;
                return len >= 0
                    ? new JObject { ["prefix"] = new JObject { ["addr"] = i.FirstText, ["len"] = len } }
                    : new JObject { ["range"] = new JArray(i.FirstText, i.LastText) };
            }).ToList();
            return items.Count == 1 ? items[0] : new JObject { ["set"] = new JArray(items) };
        }
    }
}
