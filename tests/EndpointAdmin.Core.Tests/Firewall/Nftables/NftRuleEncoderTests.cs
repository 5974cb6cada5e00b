using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Nftables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using static EndpointAdmin.Core.Tests.FirewallRuleShapes;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The nft JSON the encoder writes, without nft: every rule shape reads back through the parser
    /// as it was written, and the wire format itself stays what tables on machines already hold.
    /// </summary>
    public sealed class NftRuleEncoderTests
    {
        public static IEnumerable<object[]> ShapeNames => FirewallRuleShapes.Names(FirewallBackendKind.Nftables);

        /// <summary>The table with all its chains, then <paramref name="commands"/>, run on nft in memory; then read back.</summary>
        internal static FirewallSnapshot WriteAndRead(IEnumerable<NftCommand> commands, FakeNft nft = null)
        {
            nft = nft ?? new FakeNft();
            var batch = new[] { NftRuleEncoder.AddTable(), NftRuleEncoder.AddChain("input"), NftRuleEncoder.AddChain("output"), NftRuleEncoder.AddChain(NftLayout.RecordsChain) }
                .Concat(commands);
            var result = nft.RunJson(Batch(batch), checkOnly: false);
            Assert.True(result.ExitCode == 0, result.Error);
            return NftRulesetParser.Parse(nft.ListTable(NftLayout.Family, NftLayout.Table).Output);
        }

        internal static string Batch(IEnumerable<NftCommand> commands)
        {
            return new JObject { ["nftables"] = new JArray(commands.Select(c => c.Json)) }.ToString(Formatting.None);
        }

        [Theory]
        [MemberData(nameof(ShapeNames))]
        public void EveryRuleShapeReadsBackAsWritten(string shape)
        {
            var wanted = All[shape]();
            var read = WriteAndRead(NftRuleEncoder.EncodeRule(wanted));
            Assert.Single(read.Rules);
            AssertReadBackAsWritten(wanted, read, FirewallBackendKind.Nftables);
        }

        [Fact]
        public void AllShapesAndDocumentsInOneTableReadBackAsWritten()
        {
            var wanted = All.Values.Select(s => s()).ToList();
            var documents = new Dictionary<string, string>
            {
                ["migration:SesEvolution"] = "{\"FromVersion\":\"2.6\",\"Note\":\"" + new string('n', 300) + "\"}",
                ["short"] = "v",
                ["non-ASCII"] = "é ü ß \"quoted\"",
            };
            var commands = wanted.SelectMany(NftRuleEncoder.EncodeRule).Concat(documents.SelectMany(d => NftRuleEncoder.EncodeDocument(d.Key, d.Value)));

            var read = WriteAndRead(commands);
            Assert.Equal(wanted.Count, read.Rules.Count);
            foreach (var w in wanted)
            {
                AssertReadBackAsWritten(w, read, FirewallBackendKind.Nftables);
            }

            Assert.Equal(documents.OrderBy(d => d.Key, StringComparer.Ordinal), read.Documents.OrderBy(d => d.Key, StringComparer.Ordinal));
        }

        [Fact]
        public void TheWireFormatIsTheOneTablesOnMachinesAlreadyHold()
        {
            // Tables written by earlier versions must stay readable and removable: these are the
            // exact commands of this format ("ea1").
            Assert.Equal(
                "[{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"input\",\"comment\":\"ea1 {\\\"t\\\":\\\"rule\\\",\\\"n\\\":\\\"plain\\\"}\","
                + "\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"right\":443}},{\"accept\":null}]}}}]",
                Json(NftRuleEncoder.EncodeRule(Rule("plain", local: new[] { "443" }))));
            Assert.Equal(
                "[{\"insert\":{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"output\",\"comment\":\"ea1 {\\\"t\\\":\\\"rule\\\",\\\"n\\\":\\\"both\\\",\\\"a\\\":\\\"Block\\\"}\","
                + "\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},\"right\":{\"set\":[{\"prefix\":{\"addr\":\"10.0.0.0\",\"len\":8}},{\"range\":[\"192.168.1.1\",\"192.168.1.20\"]}]}}},"
                + "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"sport\"}},\"right\":{\"set\":[{\"range\":[13000,13010]},14000]}}},"
                + "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"dport\"}},\"right\":514}},{\"drop\":null}]}}},"
                + "{\"insert\":{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"output\",\"comment\":\"ea1 {\\\"t\\\":\\\"rule\\\",\\\"n\\\":\\\"both\\\",\\\"a\\\":\\\"Block\\\"}\","
                + "\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"ip6\",\"field\":\"daddr\"}},\"right\":\"2001:db8::1\"}},"
                + "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"sport\"}},\"right\":{\"set\":[{\"range\":[13000,13010]},14000]}}},"
                + "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"dport\"}},\"right\":514}},{\"drop\":null}]}}}]",
                Json(NftRuleEncoder.EncodeRule(Rule("both", Direction.Outbound, Protocol.UDP, local: new[] { "13000-13010", "14000" }, remote: new[] { "514" }, addresses: new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.20", "2001:db8::1" }, action: FirewallAction.Block))));
            Assert.Equal(
                "[{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"records\",\"comment\":\"ea1 #300a6d4a1e8ac096 1/1 {\\\"t\\\":\\\"doc\\\",\\\"k\\\":\\\"k\\\",\\\"v\\\":\\\"v\\\"}\",\"expr\":[{\"counter\":null}]}}}]",
                Json(NftRuleEncoder.EncodeDocument("k", "v")));
            Assert.Equal(
                "{\"delete\":{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"input\",\"handle\":42}}}",
                NftRuleEncoder.DeleteRule("owner", new NftRuleHandle("input", 42)).Json.ToString(Formatting.None));
            Assert.Equal("{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"endpointadmin\"}}}", NftRuleEncoder.AddTable().Json.ToString(Formatting.None));
            Assert.Equal(
                "{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"name\":\"input\",\"type\":\"filter\",\"hook\":\"input\",\"prio\":0,\"policy\":\"accept\"}}}",
                NftRuleEncoder.AddChain("input").Json.ToString(Formatting.None));
            Assert.Equal("{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"name\":\"records\"}}}", NftRuleEncoder.AddChain(NftLayout.RecordsChain).Json.ToString(Formatting.None));
        }

        [Fact]
        public void ABlockIsInsertedWithDropAnAllowAppendedWithAcceptAndADisabledRuleHasNoVerdict()
        {
            var block = NftRuleEncoder.EncodeRule(Rule("b", local: new[] { "1" }, action: FirewallAction.Block)).Single().Json;
            var allow = NftRuleEncoder.EncodeRule(Rule("a", local: new[] { "1" })).Single().Json;
            var disabled = NftRuleEncoder.EncodeRule(Rule("d", local: new[] { "1" }, action: FirewallAction.Block, enabled: false)).Single().Json;

            Assert.Equal("drop", Verdict(block["insert"]));
            Assert.Equal("accept", Verdict(allow["add"]));
            // A disabled rule only marks its place: appended, matching, deciding nothing.
            Assert.Null(Verdict(disabled["add"]));
            Assert.Null(disabled["insert"]);
        }

        [Fact]
        public void InboundRulesMatchTheSenderAndOutboundRulesTheReceiver()
        {
            var inbound = NftRuleEncoder.EncodeRule(Rule("in", local: new[] { "443" }, remote: new[] { "1024" }, addresses: new[] { "10.0.0.1" })).Single().Json["add"]["rule"];
            var outbound = NftRuleEncoder.EncodeRule(Rule("out", Direction.Outbound, local: new[] { "443" }, remote: new[] { "1024" }, addresses: new[] { "10.0.0.1" })).Single().Json["add"]["rule"];

            Assert.Equal("input", (string)inbound["chain"]);
            Assert.Equal(new[] { "ip saddr 10.0.0.1", "tcp dport 443", "tcp sport 1024" }, Matches(inbound));
            Assert.Equal("output", (string)outbound["chain"]);
            Assert.Equal(new[] { "ip daddr 10.0.0.1", "tcp sport 443", "tcp dport 1024" }, Matches(outbound));
        }

        [Fact]
        public void ARuleOfBothAddressFamiliesIsOneNftRulePerFamilyUnderOneComment()
        {
            var commands = NftRuleEncoder.EncodeRule(Rule("both", local: new[] { "22" }, addresses: new[] { "10.0.0.0/8", "fe80::/10" })).ToList();

            Assert.Equal(2, commands.Count);
            Assert.All(commands, c => Assert.Equal("both", c.Owner));
            Assert.Single(commands.Select(c => (string)c.Json["add"]["rule"]["comment"]).Distinct());
            Assert.Equal(new[] { "ip saddr 10.0.0.0/8", "ip6 saddr fe80::/10" }, commands.Select(c => Matches(c.Json["add"]["rule"])[0]));
        }

        [Fact]
        public void MetadataTooLongForOneCommentIsKeptInNumberedRecordsOfItsOwn()
        {
            var rule = Rule("long", local: new[] { "10443" }, display: new string('d', 400));
            var commands = NftRuleEncoder.EncodeRule(rule).ToList();
            var records = commands.Where(c => (string)c.Json["add"]["rule"]["chain"] == NftLayout.RecordsChain).ToList();
            var packet = commands.Except(records).Single().Json["add"]["rule"];

            var id = ((string)packet["comment"]).Substring("ea1 #".Length);
            Assert.Equal("ea1 #" + id, (string)packet["comment"]);
            Assert.True(records.Count > 1);
            for (int i = 0; i < records.Count; i++)
            {
                var comment = (string)records[i].Json["add"]["rule"]["comment"];
                Assert.StartsWith("ea1 #" + id + " " + (i + 1) + "/" + records.Count + " ", comment);
                Assert.Equal("long", records[i].Owner);
            }

            // nftables allows 128 characters per comment.
            Assert.All(commands, c => Assert.True(((string)(c.Json["add"] ?? c.Json["insert"])["rule"]["comment"]).Length <= 128));
            Assert.All(NftRuleEncoder.EncodeDocument("migration:SesEvolution", new string('n', 1000)), c => Assert.True(((string)c.Json["add"]["rule"]["comment"]).Length <= 128));
        }

        private static string Json(IEnumerable<NftCommand> commands)
        {
            return new JArray(commands.Select(c => c.Json)).ToString(Formatting.None);
        }

        private static string Verdict(JToken command)
        {
            return ((JArray)command["rule"]["expr"]).Select(e => ((JObject)e).Properties().Single().Name).FirstOrDefault(n => n == "accept" || n == "drop");
        }

        private static string[] Matches(JToken rule)
        {
            return ((JArray)rule["expr"]).Where(e => e["match"] != null)
                .Select(e => (string)e["match"]["left"]["payload"]["protocol"] + " " + (string)e["match"]["left"]["payload"]["field"] + " " + RightText(e["match"]["right"]))
                .ToArray();
        }

        private static string RightText(JToken right)
        {
            return right is JObject o && o["prefix"] != null ? (string)o["prefix"]["addr"] + "/" + (int)o["prefix"]["len"] : right.ToString(Formatting.None).Trim('"');
        }
    }
}
