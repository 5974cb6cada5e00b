using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Firewall.Nftables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// nftables in memory, for the encoder and parser tests that run without nft: one table, its
    /// chains and rules, listed the way nft 1.0 lists them (handles added, a counter with its
    /// numbers, inserted rules first). A batch is one transaction: a command that fails leaves the
    /// table as it was. The real nft is what NftablesBackendTests runs against.
    /// </summary>
    internal sealed class FakeNft : INft
    {
        private Table _table;

        /// <summary>Every batch run, in order, with whether it was only checked.</summary>
        public List<KeyValuePair<string, bool>> Runs { get; } = new List<KeyValuePair<string, bool>>();

        public NftResult ListTable(string family, string table)
        {
            if (_table == null || family != _table.Family || table != _table.Name)
            {
                return new NftResult { ExitCode = 1, Output = string.Empty, Error = "Error: No such file or directory\nlist table " + family + " " + table + "\n" };
            }

            var items = new JArray(
                new JObject { ["metainfo"] = new JObject { ["version"] = "1.0.6", ["release_name"] = "Lester Gooch #5", ["json_schema_version"] = 1 } },
                new JObject { ["table"] = new JObject { ["family"] = _table.Family, ["name"] = _table.Name, ["handle"] = 1 } });
            foreach (var chain in _table.Chains)
            {
                items.Add(new JObject { ["chain"] = chain.Definition });
            }

            foreach (var chain in _table.Chains)
            {
                foreach (var rule in chain.Rules)
                {
                    items.Add(new JObject { ["rule"] = rule });
                }
            }

            return new NftResult { ExitCode = 0, Output = new JObject { ["nftables"] = items }.ToString(Formatting.None), Error = string.Empty };
        }

        public NftResult RunJson(string json, bool checkOnly)
        {
            Runs.Add(new KeyValuePair<string, bool>(json, checkOnly));
            var work = _table?.Copy();
            foreach (var command in (JArray)JObject.Parse(json)["nftables"])
            {
                var verb = ((JObject)command).Properties().Single().Name;
                var kind = ((JObject)command[verb]).Properties().Single().Name;
                var body = (JObject)command[verb][kind];
                var error = Run(ref work, verb, kind, body);
                if (error != null)
                {
                    return new NftResult { ExitCode = 1, Output = string.Empty, Error = "Error: " + error + "\n" };
                }
            }

            if (!checkOnly)
            {
                _table = work;
            }

            return new NftResult { ExitCode = 0, Output = string.Empty, Error = string.Empty };
        }

        private static string Run(ref Table table, string verb, string kind, JObject body)
        {
            if (kind == "table" && verb == "add")
            {
                table = table ?? new Table((string)body["family"], (string)body["name"]);
                return null;
            }

            if (table == null || (string)body["family"] != table.Family || (string)body["table"] != table.Name)
            {
                return "Could not process rule: No such file or directory";
            }

            if (kind == "chain" && verb == "add")
            {
                if (table.Chains.All(c => c.Name != (string)body["name"]))
                {
                    var definition = (JObject)body.DeepClone();
                    definition.Remove("family");
                    definition.Remove("table");
                    definition.Remove("name");
                    var listed = new JObject { ["family"] = table.Family, ["table"] = table.Name, ["name"] = body["name"], ["handle"] = table.NextHandle++ };
                    listed.Merge(definition);
                    table.Chains.Add(new Chain((string)body["name"], listed));
                }

                return null;
            }

            var chain = table.Chains.FirstOrDefault(c => c.Name == (string)body["chain"]);
            if (kind != "rule" || chain == null)
            {
                return "Could not process rule: No such file or directory";
            }

            switch (verb)
            {
                case "add":
                case "insert":
                    var rule = new JObject
                    {
                        ["family"] = table.Family,
                        ["table"] = table.Name,
                        ["chain"] = chain.Name,
                        ["handle"] = table.NextHandle++,
                        ["comment"] = body["comment"],
                        ["expr"] = new JArray(((JArray)body["expr"]).Select(e => e["counter"] != null ? new JObject { ["counter"] = new JObject { ["packets"] = 0, ["bytes"] = 0 } } : e.DeepClone())),
                    };
                    chain.Rules.Insert(verb == "insert" ? 0 : chain.Rules.Count, rule);
                    return null;
                case "delete":
                    var index = chain.Rules.FindIndex(r => (long)r["handle"] == (long)body["handle"]);
                    if (index < 0)
                    {
                        return "Could not process rule: No such file or directory";
                    }

                    chain.Rules.RemoveAt(index);
                    return null;
                default:
                    return "syntax error, unexpected " + verb;
            }
        }

        private sealed class Table
        {
            public Table(string family, string name)
            {
                Family = family;
                Name = name;
            }

            public string Family { get; }

            public string Name { get; }

            public long NextHandle { get; set; } = 1;

            public List<Chain> Chains { get; } = new List<Chain>();

            public Table Copy()
            {
                var copy = new Table(Family, Name) { NextHandle = NextHandle };
                foreach (var c in Chains)
                {
                    var chain = new Chain(c.Name, (JObject)c.Definition.DeepClone());
                    chain.Rules.AddRange(c.Rules.Select(r => (JObject)r.DeepClone()));
                    copy.Chains.Add(chain);
                }

                return copy;
            }
        }

        private sealed class Chain
        {
            public Chain(string name, JObject definition)
            {
                Name = name;
                Definition = definition;
            }

            public string Name { get; }

            public JObject Definition { get; }

            public List<JObject> Rules { get; } = new List<JObject>();
        }
    }
}
