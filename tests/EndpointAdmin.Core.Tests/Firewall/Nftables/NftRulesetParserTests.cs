using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Nftables;
using Newtonsoft.Json.Linq;
using Xunit;
using static EndpointAdmin.Core.Tests.FirewallRuleShapes;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// Reading the table back, without nft: a listing as nft prints it, the handles a change deletes
    /// by, and every kind of edit made outside EndpointAdmin reported instead of misread.
    /// </summary>
    public sealed class NftRulesetParserTests
    {
        /// <summary>What nft 1.0.6 printed for the rules of <see cref="ListingAsNftPrintedIt"/> (ip6 first, handles out of order).</summary>
        private const string NftListing = @"{""nftables"":[
{""metainfo"": {""version"": ""1.0.6"", ""release_name"": ""Lester Gooch #5"", ""json_schema_version"": 1}},
{""table"": {""family"": ""inet"", ""name"": ""endpointadmin"", ""handle"": 1}},
{""chain"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""name"": ""input"", ""handle"": 1, ""type"": ""filter"", ""hook"": ""input"", ""prio"": 0, ""policy"": ""accept""}},
{""chain"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""name"": ""output"", ""handle"": 2, ""type"": ""filter"", ""hook"": ""output"", ""prio"": 0, ""policy"": ""accept""}},
{""chain"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""name"": ""records"", ""handle"": 3}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 10, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""both families\"",\""a\"":\""Block\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip6"", ""field"": ""saddr""}}, ""right"": {""set"": [""2001:db8::1"", {""prefix"": {""addr"": ""fe80::"", ""len"": 10}}]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": {""set"": [{""range"": [13000, 13010]}, 14000]}}}, {""drop"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 7, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""both families\"",\""a\"":\""Block\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""saddr""}}, ""right"": {""set"": [{""prefix"": {""addr"": ""10.0.0.0"", ""len"": 8}}, {""range"": [""192.168.1.1"", ""192.168.1.20""]}]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": {""set"": [{""range"": [13000, 13010]}, 14000]}}}, {""drop"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 4, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""plain\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": 443}}, {""accept"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 12, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""mac\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ether"", ""field"": ""saddr""}}, ""right"": {""set"": [""00:11:22:33:44:55"", ""aa:bb:cc:dd:ee:ff""]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": 4118}}, {""accept"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 15, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""adjacent\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""saddr""}}, ""right"": {""range"": [""10.0.0.1"", ""10.0.0.2""]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": {""range"": [80, 82]}}}, {""accept"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""input"", ""handle"": 16, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""disabled\"",\""a\"":\""Block\"",\""e\"":false}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""dport""}}, ""right"": 8443}}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""output"", ""handle"": 14, ""comment"": ""ea1 {\""t\"":\""rule\"",\""n\"":\""outbound\""}"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""daddr""}}, ""right"": ""10.9.9.9""}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""udp"", ""field"": ""sport""}}, ""right"": {""range"": [1024, 65535]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""udp"", ""field"": ""dport""}}, ""right"": 514}}, {""accept"": null}]}},
{""rule"": {""family"": ""inet"", ""table"": ""endpointadmin"", ""chain"": ""records"", ""handle"": 18, ""comment"": ""ea1 #300a6d4a1e8ac096 1/1 {\""t\"":\""doc\"",\""k\"":\""k\"",\""v\"":\""v\""}"", ""expr"": [{""counter"": {""packets"": 0, ""bytes"": 0}}]}}
]}";

        /// <summary>Each edit someone could make to the table, as a change to a listing of <see cref="EditableTable"/>.</summary>
        private static readonly Dictionary<string, Action<JArray>> Edits = new Dictionary<string, Action<JArray>>(StringComparer.Ordinal)
        {
            ["a rule with another comment"] = items => items.Add(JObject.Parse("{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"input\",\"handle\":900,\"comment\":\"someone else\",\"expr\":[{\"accept\":null}]}}")),
            ["a rule without a comment"] = items => items.Add(JObject.Parse("{\"rule\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"chain\":\"output\",\"handle\":900,\"expr\":[{\"accept\":null}]}}")),
            ["a statement EndpointAdmin never writes"] = items => Expr(items, "plain").Add(JObject.Parse("{\"jump\":{\"target\":\"elsewhere\"}}")),
            ["a match on something other than a packet field"] = items => Expr(items, "plain").Insert(0, JObject.Parse("{\"match\":{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"eth0\"}}")),
            ["a negated match"] = items => Expr(items, "plain")[0]["match"]["op"] = "!=",
            ["a match on a protocol EndpointAdmin never writes"] = items => Expr(items, "plain")[0]["match"]["left"]["payload"]["protocol"] = "sctp",
            ["the verdict turned around"] = items => Expr(items, "plain")[1] = JObject.Parse("{\"drop\":null}"),
            ["the protocol of one family changed"] = items => Expr(items, "both")[1]["match"]["left"]["payload"]["protocol"] = "udp",
            ["a base chain that drops by default"] = items => Chain(items, "input")["policy"] = "drop",
            ["a base chain at another priority"] = items => Chain(items, "output")["prio"] = 10,
            ["the records chain hooked"] = items => Chain(items, NftLayout.RecordsChain)["hook"] = "input",
            ["a chain of someone else"] = items => items.Add(JObject.Parse("{\"chain\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"name\":\"forward\",\"handle\":900,\"type\":\"filter\",\"hook\":\"forward\",\"prio\":0,\"policy\":\"accept\"}}")),
            ["a named set"] = items => items.Add(JObject.Parse("{\"set\":{\"family\":\"inet\",\"table\":\"endpointadmin\",\"name\":\"s\",\"handle\":900,\"type\":\"ipv4_addr\"}}")),
            ["a record of a rule deleted"] = items => Delete(Rules(items).First(r => (string)r["chain"] == NftLayout.RecordsChain)),
            ["every record of a rule deleted"] = items =>
            {
                var id = ((string)Rules(items).First(r => ((string)r["comment"]).StartsWith("ea1 #", StringComparison.Ordinal) && (string)r["chain"] != NftLayout.RecordsChain)["comment"]).Substring(5);
                foreach (var record in Rules(items).Where(r => ((string)r["comment"]).StartsWith("ea1 #" + id + " ", StringComparison.Ordinal)).ToList())
                {
                    Delete(record);
                }
            },
            ["a record that is not numbered"] = items => Rules(items).First(r => (string)r["chain"] == NftLayout.RecordsChain)["comment"] = "ea1 #abc chunk",
            ["metadata that is not JSON"] = items => Rules(items).First(r => (string)r["chain"] == "input")["comment"] = "ea1 {\"t\":\"rule\",",
        };

        public static IEnumerable<object[]> EditNames => Edits.Keys.Select(k => new object[] { k });

        [Fact]
        public void AListingAsNftPrintsItReadsAsTheRulesThatWroteIt()
        {
            var read = NftRulesetParser.Parse(NftListing);

            var wanted = ListingAsNftPrintedIt();
            Assert.Equal(wanted.Length, read.Rules.Count);
            foreach (var w in wanted)
            {
                AssertReadBackAsWritten(w, read, FirewallBackendKind.Nftables);
            }

            Assert.Equal("v", Assert.Single(read.Documents, d => d.Key == "k").Value);
            var handles = read.StateOf<NftHandles>();
            Assert.True(handles.TableExists);
            Assert.Equal(new[] { "input", "output", NftLayout.RecordsChain }, handles.Chains.OrderBy(c => c, StringComparer.Ordinal));
            Assert.Equal(new[] { 7L, 10L }, handles.RuleHandles(NftLayout.RuleKey("both families")).Select(h => h.Handle).OrderBy(h => h));
            Assert.Equal(new[] { 18L }, handles.RuleHandles(NftLayout.DocumentKey("k")).Select(h => h.Handle));
        }

        [Fact]
        public void ATableWithoutChainsHoldsNothingAndSaysSo()
        {
            var read = NftRulesetParser.Parse("{\"nftables\":[{\"metainfo\":{\"json_schema_version\":1}},{\"table\":{\"family\":\"inet\",\"name\":\"endpointadmin\",\"handle\":1}}]}");

            Assert.Empty(read.Rules);
            Assert.Empty(read.Documents);
            var handles = read.StateOf<NftHandles>();
            Assert.True(handles.TableExists);
            Assert.Empty(handles.Chains);
        }

        [Fact]
        public void RemovingARuleOrDocumentDeletesEveryNftRuleItIsMadeOfRecordsIncluded()
        {
            var nft = new FakeNft();
            var backend = new NftablesBackend(nft);
            var add = new FirewallChangeSet();
            add.Add.Add(Rule("long-both", local: new[] { "10444" }, addresses: new[] { "10.0.0.1", "::1" }, display: new string('x', 300)));
            add.Add.Add(Rule("kept", local: new[] { "22" }));
            add.PutDocuments["migration:SesEvolution"] = new string('n', 500);
            backend.Apply(backend.Read(), add);
            var read = backend.Read();
            var handles = read.StateOf<NftHandles>();
            var ruleHandles = handles.RuleHandles(NftLayout.RuleKey("long-both")).ToList();
            Assert.Equal(2, ruleHandles.Count(h => h.Chain == "input"));
            Assert.True(ruleHandles.Count(h => h.Chain == NftLayout.RecordsChain) > 1);
            Assert.True(handles.RuleHandles(NftLayout.DocumentKey("migration:SesEvolution")).Count() > 1);

            var remove = new FirewallChangeSet();
            remove.Remove.Add("long-both");
            remove.DeleteDocuments.Add("migration:SesEvolution");
            backend.Apply(read, remove);

            var listing = JObject.Parse(nft.ListTable(NftLayout.Family, NftLayout.Table).Output);
            var left = Rules((JArray)listing["nftables"]).ToList();
            Assert.Equal(new[] { "ea1 {\"t\":\"rule\",\"n\":\"kept\"}" }, left.Select(r => (string)r["comment"]));
            Assert.Equal(new[] { "kept" }, backend.Read().Rules.Select(r => r.Name));
        }

        [Fact]
        public void ABatchNftRefusesIsBlamedOnItsRuleByCheckingShorterBatchesOnly()
        {
            var nft = new FakeNft();
            var backend = new NftablesBackend(nft);
            var changes = new FirewallChangeSet();
            changes.Add.Add(Rule("first", local: new[] { "1001" }));
            changes.Add.Add(Rule("refused", local: new[] { "1002" }));
            changes.Add.Add(Rule("third", local: new[] { "1003" }));
            var batch = backend.BuildBatch(backend.Read(), changes);
            batch.Single(c => c.Owner == "refused").Json["add"]["rule"]["chain"] = "no_such_chain";

            var ex = Assert.Throws<EndpointAdminException>(() => backend.ApplyBatch(batch));
            Assert.Equal(ErrorIds.FirewallRuleRejected, ex.ErrorId);
            Assert.Equal("refused", ex.Target);
            Assert.Empty(backend.Read().Rules);
            // One real attempt; everything after it only checks.
            Assert.False(nft.Runs[0].Value);
            Assert.All(nft.Runs.Skip(1), r => Assert.True(r.Value));
        }

        [Theory]
        [MemberData(nameof(EditNames))]
        public void ATableChangedOutsideEndpointAdminIsReportedNotGuessed(string edit)
        {
            var items = EditableTable();
            Assert.NotEmpty(NftRulesetParser.Parse(Listing(items)).Rules);
            Edits[edit](items);

            var ex = Assert.Throws<EndpointAdminException>(() => NftRulesetParser.Parse(Listing(items)));
            Assert.Equal(ErrorIds.FirewallTableModified, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Equal("inet endpointadmin", ex.Target);
        }

        /// <summary>The rules nft listed as <see cref="NftListing"/>.</summary>
        private static NormalizedRule[] ListingAsNftPrintedIt()
        {
            return new[]
            {
                Rule("plain", local: new[] { "443" }),
                Rule("both families", local: new[] { "13000-13010", "14000" }, addresses: new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.20", "fe80::/10", "2001:db8::1" }, action: FirewallAction.Block),
                Rule("mac", local: new[] { "4118" }, macs: new[] { "aa:bb:cc:dd:ee:ff", "00:11:22:33:44:55" }),
                Rule("adjacent", local: new[] { "80", "81", "82" }, addresses: new[] { "10.0.0.1", "10.0.0.2" }),
                Rule("disabled", local: new[] { "8443" }, enabled: false, action: FirewallAction.Block),
                Rule("outbound", Direction.Outbound, Protocol.UDP, remote: new[] { "514" }, local: new[] { "1024-65535" }, addresses: new[] { "10.9.9.9" }),
            };
        }

        /// <summary>The listing items of a table with a plain rule, a two-family rule and a rule kept in records.</summary>
        private static JArray EditableTable()
        {
            var nft = new FakeNft();
            NftRuleEncoderTests.WriteAndRead(new[]
            {
                Rule("plain", local: new[] { "443" }),
                Rule("both", local: new[] { "22" }, addresses: new[] { "10.0.0.0/8", "fe80::/10" }),
                Rule("long", Direction.Outbound, remote: new[] { "8443" }, display: new string('l', 300)),
            }.SelectMany(NftRuleEncoder.EncodeRule), nft);
            return (JArray)JObject.Parse(nft.ListTable(NftLayout.Family, NftLayout.Table).Output)["nftables"];
        }

        private static string Listing(JArray items)
        {
            return new JObject { ["nftables"] = items }.ToString();
        }

        private static IEnumerable<JObject> Rules(JArray items)
        {
            return items.Select(i => i["rule"]).OfType<JObject>();
        }

        /// <summary>Takes a listed rule out of the listing, as "nft delete rule" would.</summary>
        private static void Delete(JObject rule)
        {
            rule.Parent.Parent.Remove();
        }

        private static JArray Expr(JArray items, string name)
        {
            return (JArray)Rules(items).First(r => (string)r["comment"] == "ea1 {\"t\":\"rule\",\"n\":\"" + name + "\"}")["expr"];
        }

        private static JObject Chain(JArray items, string name)
        {
            return items.Select(i => i["chain"]).OfType<JObject>().Single(c => (string)c["name"] == name);
        }
    }
}
