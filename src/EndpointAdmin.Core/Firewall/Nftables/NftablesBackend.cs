using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// EndpointAdmin's rules in nftables: one table of its own, "inet endpointadmin", with an input
    /// and an output base chain (filter hooks, priority 0, policy accept) and a "records" chain that
    /// is never hooked or jumped to, each created when a rule first needs it. It reads and writes only
    /// that table, always through nft's JSON interface, and applies each change set as one nft
    /// transaction.
    ///
    /// A rule is one nftables rule per address family it names, each commented "ea1 {json}" with the
    /// rule's metadata (name, display name, group, action, enabled, catalog origin). nftables allows
    /// 128 characters per comment, so metadata that does not fit moves to the records chain in
    /// numbered chunks and the rule's comment becomes "ea1 #id". Documents (the migration state) are
    /// kept the same way. Block rules are inserted at the top of a chain and Allow rules appended,
    /// so a Block wins over an Allow as it does in Windows Firewall.
    /// </summary>
    internal sealed class NftablesBackend : IFirewallBackend
    {
        public const string Family = "inet";
        public const string Table = "endpointadmin";
        public const string RecordsChain = "records";
        private const string Marker = "ea1 ";
        private const int CommentLimit = 128;
        private const int ChunkLength = 96;

        private static readonly JsonSerializerSettings AsciiJson = new JsonSerializerSettings
        {
            StringEscapeHandling = StringEscapeHandling.EscapeNonAscii,
            Formatting = Formatting.None,
        };

        private readonly INft _nft;

        public NftablesBackend(INft nft = null)
        {
            _nft = nft ?? (INft)LibNftables.TryLoad() ?? new NftRunner();
        }

        public FirewallBackendKind Kind => FirewallBackendKind.Nftables;

        public void Validate(NormalizedRule rule)
        {
            // At the output hook the Ethernet header of the packet is not built yet: a MAC match
            // there would be accepted by nft and never match anything.
            if (rule.Macs.Length > 0 && rule.Rule.Direction == Direction.Outbound)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMacAddressNotSupported,
                    ErrorKind.InvalidArgument,
                    rule.Name,
                    string.Format(CultureInfo.InvariantCulture, "The rule '{0}' is Outbound with a RemoteMacAddress: nftables sees the MAC address of incoming packets only.", rule.Name))
                {
                    RecommendedAction = "Use RemoteMacAddress on Inbound rules, or restrict Outbound rules by RemoteAddress.",
                };
            }
        }

        public FirewallSnapshot Read()
        {
            var result = _nft.ListTable(Family, Table);
            if (result.ExitCode != 0)
            {
                if (result.PermissionDenied)
                {
                    throw PermissionDenied(result);
                }

                if ((result.Error ?? string.Empty).IndexOf("No such file or directory", StringComparison.Ordinal) >= 0)
                {
                    return new FirewallSnapshot(Array.Empty<NormalizedRule>(), new Dictionary<string, string>(), new State(false));
                }

                throw Failed("reading table " + Table, result);
            }

            return Parse(result.Output);
        }

        public void Apply(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            if (changes.IsEmpty)
            {
                return;
            }

            ApplyBatch(BuildBatch(basis, changes));
        }

        /// <summary>The nft commands for a change set, each tagged with the rule or document it serves.</summary>
        internal List<Command> BuildBatch(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            var state = (State)basis.BackendState;
            var batch = new List<Command>();

            foreach (var name in changes.Remove)
            {
                foreach (var h in state.RuleHandles(RuleKey(name)))
                {
                    batch.Add(new Command(name, Verb("delete", "rule", new JObject { ["family"] = Family, ["table"] = Table, ["chain"] = h.Chain, ["handle"] = h.Handle })));
                }
            }

            foreach (var key in changes.DeleteDocuments.Concat(changes.PutDocuments.Keys))
            {
                foreach (var h in state.RuleHandles(DocumentKey(key)))
                {
                    batch.Add(new Command(key, Verb("delete", "rule", new JObject { ["family"] = Family, ["table"] = Table, ["chain"] = h.Chain, ["handle"] = h.Handle })));
                }
            }

            foreach (var rule in changes.Add)
            {
                batch.AddRange(EncodeRule(rule));
            }

            foreach (var doc in changes.PutDocuments)
            {
                var payload = JsonConvert.SerializeObject(new JObject { ["t"] = "doc", ["k"] = doc.Key, ["v"] = doc.Value }, AsciiJson);
                batch.AddRange(Records(doc.Key, Id(DocumentKey(doc.Key)), payload));
            }

            // The table and only the chains its rules need: every base chain is a netfilter hook
            // that each packet passes through and that takes time to register.
            var setup = new List<Command>();
            if (!state.TableExists)
            {
                setup.Add(new Command(null, Verb("add", "table", new JObject { ["family"] = Family, ["name"] = Table })));
            }

            var needed = new HashSet<string>(batch.Where(c => c.Json["add"]?["rule"] != null || c.Json["insert"]?["rule"] != null)
                .Select(c => (string)(c.Json["add"] ?? c.Json["insert"])["rule"]["chain"]), StringComparer.Ordinal);
            foreach (var chain in new[] { "input", "output", RecordsChain })
            {
                if (needed.Contains(chain) && !state.Chains.Contains(chain))
                {
                    setup.Add(new Command(null, Verb("add", "chain", chain == RecordsChain
                        ? new JObject { ["family"] = Family, ["table"] = Table, ["name"] = RecordsChain }
                        : BaseChain(chain))));
                }
            }

            batch.InsertRange(0, setup);

            return batch;
        }

        /// <summary>
        /// Sends the batch as one transaction. When nft refuses it, nothing has changed; the rule to
        /// blame is found by checking ever shorter prefixes of the batch in nft's check mode (which
        /// changes nothing either), so the error can name it.
        /// </summary>
        internal void ApplyBatch(List<Command> batch)
        {
            var result = _nft.RunJson(Document(batch, batch.Count), checkOnly: false);
            if (result.ExitCode == 0)
            {
                return;
            }

            if (result.PermissionDenied)
            {
                throw PermissionDenied(result);
            }

            var culprit = FindCulprit(batch);
            if (culprit == null)
            {
                throw Failed("applying the changes", result);
            }

            throw new EndpointAdminException(
                ErrorIds.FirewallRuleRejected,
                ErrorKind.InvalidOperation,
                culprit,
                string.Format(CultureInfo.InvariantCulture, "nftables rejected the rule '{0}', so no change of this command was applied: {1}", culprit, Clean(result.Error)))
            {
                RecommendedAction = "Correct or leave out that rule and run the command again; the ruleset is as it was before.",
            };
        }

        private string FindCulprit(List<Command> batch)
        {
            int good = 0, bad = batch.Count;
            // Invariant: the first `good` commands pass the check, the first `bad` do not.
            while (bad - good > 1)
            {
                var mid = (good + bad) / 2;
                if (_nft.RunJson(Document(batch, mid), checkOnly: true).ExitCode == 0)
                {
                    good = mid;
                }
                else
                {
                    bad = mid;
                }
            }

            if (bad == batch.Count && _nft.RunJson(Document(batch, bad), checkOnly: true).ExitCode == 0)
            {
                return null;
            }

            return batch[bad - 1].Owner;
        }

        private static string Document(List<Command> batch, int count)
        {
            var array = new JArray();
            for (int i = 0; i < count; i++)
            {
                array.Add(batch[i].Json);
            }

            return JsonConvert.SerializeObject(new JObject { ["nftables"] = array }, AsciiJson);
        }

        private IEnumerable<Command> EncodeRule(NormalizedRule rule)
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
            var commands = new List<Command>();
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
                commands.Add(new Command(r.Name, Verb(verb, "rule", new JObject
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

        private static IEnumerable<Command> Records(string owner, string id, string payload)
        {
            var count = (payload.Length + ChunkLength - 1) / ChunkLength;
            for (int i = 0; i < count; i++)
            {
                var chunk = payload.Substring(i * ChunkLength, Math.Min(ChunkLength, payload.Length - (i * ChunkLength)));
                var comment = string.Format(CultureInfo.InvariantCulture, "{0}#{1} {2}/{3} {4}", Marker, id, i + 1, count, chunk);
                yield return new Command(owner, Verb("add", "rule", new JObject
                {
                    ["family"] = Family,
                    ["table"] = Table,
                    ["chain"] = RecordsChain,
                    ["comment"] = comment,
                    ["expr"] = new JArray(new JObject { ["counter"] = null }),
                }));
            }
        }

        private FirewallSnapshot Parse(string json)
        {
            var state = new State(true);
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

                state.AddHandles(RuleKey(rule.Name), group.Select(p => new RuleHandle(p.Chain, p.Handle)));
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

        private static void ParseRecord(string comment, long handle, Dictionary<string, SortedDictionary<int, string>> chunks, Dictionary<string, int> counts, State state)
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
            state.AddRecordHandle(id, new RuleHandle(RecordsChain, handle));
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

        private static string RuleKey(string name)
        {
            return "rule:" + name;
        }

        private static string DocumentKey(string key)
        {
            return "doc:" + key;
        }

        private static string Id(string key)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
                return BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty).ToLowerInvariant();
            }
        }

        private static string Clean(string text)
        {
            return (text ?? string.Empty).Trim().Replace("\n", " ");
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

        private static EndpointAdminException PermissionDenied(NftResult result)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallPermissionDenied,
                ErrorKind.PermissionDenied,
                "nft",
                "nftables refused the request: changing or reading the firewall needs root (CAP_NET_ADMIN). " + Clean(result.Error))
            {
                RecommendedAction = "Run PowerShell as root (for example with sudo), or through a JEA endpoint that runs as root.",
            };
        }

        private static EndpointAdminException Failed(string what, NftResult result)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallBackendFailed,
                ErrorKind.InvalidOperation,
                "nft",
                "nft failed " + what + " (exit code " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + "): " + Clean(result.Error));
        }

        /// <summary>One nft command and the rule or document it belongs to (null for the table itself).</summary>
        internal sealed class Command
        {
            public Command(string owner, JObject json)
            {
                Owner = owner;
                Json = json;
            }

            public string Owner { get; }

            public JObject Json { get; set; }
        }

        internal readonly struct RuleHandle
        {
            public RuleHandle(string chain, long handle)
            {
                Chain = chain;
                Handle = handle;
            }

            public string Chain { get; }

            public long Handle { get; }
        }

        /// <summary>What the backend read besides the rules: whether the table exists and the handles to delete by.</summary>
        internal sealed class State
        {
            private readonly Dictionary<string, List<RuleHandle>> _handles = new Dictionary<string, List<RuleHandle>>(StringComparer.Ordinal);
            private readonly Dictionary<string, List<RuleHandle>> _records = new Dictionary<string, List<RuleHandle>>(StringComparer.Ordinal);
            private readonly Dictionary<string, string> _recordIds = new Dictionary<string, string>(StringComparer.Ordinal);

            public State(bool tableExists)
            {
                TableExists = tableExists;
            }

            public bool TableExists { get; }

            /// <summary>The chains the table has; one is created when a rule first needs it.</summary>
            public HashSet<string> Chains { get; } = new HashSet<string>(StringComparer.Ordinal);

            public void AddHandles(string key, IEnumerable<RuleHandle> handles)
            {
                if (!_handles.TryGetValue(key, out var list))
                {
                    _handles[key] = list = new List<RuleHandle>();
                }

                list.AddRange(handles);
            }

            public void AddRecordHandle(string id, RuleHandle handle)
            {
                if (!_records.TryGetValue(id, out var list))
                {
                    _records[id] = list = new List<RuleHandle>();
                }

                list.Add(handle);
            }

            public void Map(string key, string recordId)
            {
                _recordIds[key] = recordId;
            }

            /// <summary>Every nftables rule that makes up a rule or document: its packet rules and its records.</summary>
            public IEnumerable<RuleHandle> RuleHandles(string key)
            {
                if (_handles.TryGetValue(key, out var list))
                {
                    foreach (var h in list)
                    {
                        yield return h;
                    }
                }

                if (_recordIds.TryGetValue(key, out var id) && _records.TryGetValue(id, out var records))
                {
                    foreach (var h in records)
                    {
                        yield return h;
                    }
                }
            }
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
