using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.Firewall.Nftables.NftLayout;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// Reads EndpointAdmin's table back from nft's JSON listing (see <see cref="NftLayout"/>): the
    /// rules, the documents and the handles to change them by. Anything in the table that
    /// EndpointAdmin did not write stops the read, so nothing is changed on a guess.
    /// </summary>
    internal static class NftRulesetParser
    {
        public static FirewallSnapshot Parse(string json)
        {
            var state = new NftHandles(true);
            var packets = new List<PacketRule>();
            var chunks = new Dictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
            var chunkCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            var chainsSeen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in (JArray)JObject.Parse(json)["nftables"])
            {
                var obj = (JObject)item;
                var kind = obj.Properties().First().Name;
                var body = (JObject)obj[kind];
                switch (kind)
                {
                    case "metainfo":
                    case "table":
                        break;
                    case "chain":
                        CheckChain(body);
                        chainsSeen.Add((string)body["name"]);
                        break;
                    case "rule":
                        var chain = (string)body["chain"];
                        var handle = (long)body["handle"];
                        var comment = (string)body["comment"] ?? string.Empty;
                        if (!comment.StartsWith(Marker, StringComparison.Ordinal))
                        {
                            throw Modified(string.Format(CultureInfo.InvariantCulture, "chain {0} holds a rule (handle {1}) that EndpointAdmin did not write", chain, handle));
                        }

                        if (chain == RecordsChain)
                        {
                            ParseRecord(comment, handle, chunks, chunkCounts, state);
                        }
                        else
                        {
                            packets.Add(ParsePacketRule(chain, handle, comment, (JArray)body["expr"]));
                        }

                        break;
                    default:
                        throw Modified("the table holds a " + kind + " that EndpointAdmin did not create");
                }
            }

            state.Chains.UnionWith(chainsSeen);

            var payloads = new Dictionary<string, JObject>(StringComparer.Ordinal);
            foreach (var c in chunks)
            {
                if (c.Value.Count != chunkCounts[c.Key] || c.Value.Keys.Last() != chunkCounts[c.Key])
                {
                    throw Modified("the records of #" + c.Key + " are incomplete");
                }

                payloads[c.Key] = ParseJson(string.Concat(c.Value.Values), c.Key);
            }

            var documents = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in payloads)
            {
                if ((string)p.Value["t"] == "doc")
                {
                    var key = (string)p.Value["k"];
                    documents[key] = (string)p.Value["v"];
                    state.Map(DocumentKey(key), p.Key);
                }
            }

            var rules = new List<NormalizedRule>();
            foreach (var group in packets.GroupBy(p => p.Comment, StringComparer.Ordinal))
            {
                JObject meta;
                var text = group.Key.Substring(Marker.Length);
                if (text.StartsWith("#", StringComparison.Ordinal))
                {
                    if (!payloads.TryGetValue(text.Substring(1), out meta))
                    {
                        throw Modified("the records of rule " + text + " are missing");
                    }
                }
                else
                {
                    meta = ParseJson(text, "rule comment");
                }

                var rule = Assemble(meta, group.ToList());
                if (text.StartsWith("#", StringComparison.Ordinal))
                {
                    state.Map(RuleKey(rule.Name), text.Substring(1));
                }

                state.AddHandles(RuleKey(rule.Name), group.Select(p => new NftRuleHandle(p.Chain, p.Handle)));
                rules.Add(rule);
            }

            return new FirewallSnapshot(rules, documents, state);
        }

        private static NormalizedRule Assemble(JObject meta, List<PacketRule> packets)
        {
            var name = (string)meta["n"];
            var first = packets[0];
            var inbound = first.Chain == "input";
            var action = (string)meta["a"] == "Block" ? FirewallAction.Block : FirewallAction.Allow;
            var enabled = meta["e"] == null || (bool)meta["e"];
            string expectedVerdict = enabled ? (action == FirewallAction.Block ? "drop" : "accept") : null;
            var intervals = new List<AddressSet.Interval>();
            foreach (var p in packets)
            {
                if (p.Chain != first.Chain || p.Protocol != first.Protocol || p.Verdict != expectedVerdict
                    || !p.Ports("dport").Equals(first.Ports("dport")) || !p.Ports("sport").Equals(first.Ports("sport"))
                    || !p.Macs.SequenceEqual(first.Macs) || (packets.Count > 1 && p.Addresses.Count == 0))
                {
                    throw Modified("the nftables rules of '" + name + "' no longer agree with what EndpointAdmin wrote");
                }

                intervals.AddRange(p.Addresses);
            }

            var addresses = AddressSet.FromIntervals(intervals);
            var familyCount = (addresses.V4.Count > 0 ? 1 : 0) + (addresses.V6.Count > 0 ? 1 : 0);
            if (packets.Count != Math.Max(1, familyCount) || first.Protocol == null)
            {
                throw Modified("the nftables rules of '" + name + "' no longer agree with what EndpointAdmin wrote");
            }

            var local = first.Ports(inbound ? "dport" : "sport");
            var remote = first.Ports(inbound ? "sport" : "dport");
            var rule = new FirewallPortRule
            {
                Name = name,
                DisplayName = (string)meta["d"] ?? name,
                Group = (string)meta["g"] ?? FirewallRuleNormalizer.DefaultGroup,
                Direction = inbound ? Direction.Inbound : Direction.Outbound,
                Protocol = first.Protocol == "tcp" ? Protocol.TCP : Protocol.UDP,
                LocalPort = local.ToStrings(),
                RemotePort = remote.ToStrings(),
                RemoteAddress = addresses.ToStrings(),
                RemoteMacAddress = first.Macs.ToArray(),
                Action = action,
                Enabled = enabled,
                Backend = FirewallBackendKind.Nftables,
            };
            if (meta["p"] != null && Enum.TryParse<Product>((string)meta["p"], out var product))
            {
                rule.Product = product;
                rule.Version = (string)meta["v"];
                rule.Component = (string)meta["c"];
            }

            return new NormalizedRule(rule, local, remote, addresses, rule.RemoteMacAddress);
        }

        private static PacketRule ParsePacketRule(string chain, long handle, string comment, JArray expr)
        {
            var rule = new PacketRule { Chain = chain, Handle = handle, Comment = comment };
            foreach (var e in expr ?? new JArray())
            {
                var o = (JObject)e;
                var kind = o.Properties().First().Name;
                switch (kind)
                {
                    case "accept":
                    case "drop":
                        rule.Verdict = kind;
                        break;
                    case "counter":
                        break;
                    case "match":
                        ParseMatch(rule, (JObject)o["match"]);
                        break;
                    default:
                        throw Modified(string.Format(CultureInfo.InvariantCulture, "rule handle {0} in chain {1} has a '{2}' statement EndpointAdmin did not write", handle, chain, kind));
                }
            }

            return rule;
        }

        private static void ParseMatch(PacketRule rule, JObject match)
        {
            var payload = match["left"]?["payload"] as JObject;
            if ((string)match["op"] != "==" || payload == null)
            {
                throw Modified(string.Format(CultureInfo.InvariantCulture, "rule handle {0} has a match EndpointAdmin did not write", rule.Handle));
            }

            var protocol = (string)payload["protocol"];
            var field = (string)payload["field"];
            var values = Elements(match["right"]).ToList();
            switch (protocol)
            {
                case "tcp":
                case "udp":
                    rule.Protocol = protocol;
                    rule.PortRanges[field] = values.Select(v => v.Type == JTokenType.Integer
                        ? new KeyValuePair<int, int>((int)v, (int)v)
                        : new KeyValuePair<int, int>((int)v["range"][0], (int)v["range"][1])).ToList();
                    break;
                case "ip":
                case "ip6":
                    foreach (var v in values)
                    {
                        rule.Addresses.Add(AddressSet.ParseOne(AddressText(v)));
                    }

                    break;
                case "ether":
                    rule.Macs.AddRange(values.Select(v => ((string)v).ToLowerInvariant()));
                    rule.Macs.Sort(StringComparer.Ordinal);
                    break;
                default:
                    throw Modified(string.Format(CultureInfo.InvariantCulture, "rule handle {0} matches {1} {2}, which EndpointAdmin does not write", rule.Handle, protocol, field));
            }
        }

        private static IEnumerable<JToken> Elements(JToken right)
        {
            if (right is JObject o && o["set"] is JArray set)
            {
                return set;
            }

            return new[] { right };
        }

        private static string AddressText(JToken v)
        {
            if (v.Type == JTokenType.String)
            {
                return (string)v;
            }

            if (v["prefix"] != null)
            {
                return (string)v["prefix"]["addr"] + "/" + (int)v["prefix"]["len"];
            }

            return (string)v["range"][0] + "-" + (string)v["range"][1];
        }

        private static void ParseRecord(string comment, long handle, Dictionary<string, SortedDictionary<int, string>> chunks, Dictionary<string, int> counts, NftHandles state)
        {
            // "ea1 #<id> <n>/<count> <chunk>"
            var rest = comment.Substring(Marker.Length);
            var parts = rest.Split(new[] { ' ' }, 3);
            var slash = parts.Length == 3 ? parts[1].IndexOf('/') : -1;
            if (!rest.StartsWith("#", StringComparison.Ordinal) || slash < 0
                || !int.TryParse(parts[1].Substring(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                || !int.TryParse(parts[1].Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw Modified(string.Format(CultureInfo.InvariantCulture, "record handle {0} is not one EndpointAdmin wrote", handle));
            }

            var id = parts[0].Substring(1);
            if (!chunks.TryGetValue(id, out var list))
            {
                chunks[id] = list = new SortedDictionary<int, string>();
            }

            list[n] = parts[2];
            counts[id] = count;
            state.AddRecordHandle(id, new NftRuleHandle(RecordsChain, handle));
        }

        private static void CheckChain(JObject chain)
        {
            var name = (string)chain["name"];
            if (name == RecordsChain && chain["hook"] == null)
            {
                return;
            }

            if ((name == "input" || name == "output")
                && (string)chain["type"] == "filter" && (string)chain["hook"] == name
                && (int?)chain["prio"] == 0 && (string)chain["policy"] == "accept")
            {
                return;
            }

            throw Modified("chain " + name + " is not the one EndpointAdmin created");
        }

        private static JObject ParseJson(string text, string what)
        {
            try
            {
                return JObject.Parse(text);
            }
            catch (JsonException)
            {
                throw Modified("the metadata of " + what + " is not what EndpointAdmin wrote");
            }
        }

        private static EndpointAdminException Modified(string what)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallTableModified,
                ErrorKind.InvalidData,
                Family + " " + Table,
                "The nftables table " + Family + " " + Table + " was changed outside EndpointAdmin: " + what + ". Nothing was changed.")
            {
                RecommendedAction = "Inspect it with 'nft list table inet endpointadmin'. EndpointAdmin only edits a table it can read back; delete the table ('nft delete table inet endpointadmin') to start again.",
            };
        }

        private sealed class PacketRule
        {
            public string Chain;
            public long Handle;
            public string Comment;
            public string Protocol;
            public string Verdict;
            public readonly Dictionary<string, List<KeyValuePair<int, int>>> PortRanges = new Dictionary<string, List<KeyValuePair<int, int>>>(StringComparer.Ordinal);
            public readonly List<AddressSet.Interval> Addresses = new List<AddressSet.Interval>();
            public readonly List<string> Macs = new List<string>();

            public PortSet Ports(string field)
            {
                return PortRanges.TryGetValue(field, out var list) ? PortSet.FromRanges(list) : PortSet.Any;
            }
        }
    }
}
