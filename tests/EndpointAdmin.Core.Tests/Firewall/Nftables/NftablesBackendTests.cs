using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Nftables;
using EndpointAdmin.TestSupport;
using Newtonsoft.Json.Linq;
using Xunit;
using static EndpointAdmin.Core.Tests.FirewallRuleShapes;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The nftables backend against real nft, inside a private network namespace per test: what it
    /// writes reads back the same, a refused batch changes nothing and names the rule, and it never
    /// touches a table that is not its own.
    /// </summary>
    public sealed class NftablesBackendTests : IDisposable
    {
        private readonly NetworkNamespace _ns;
        private readonly NftablesBackend _backend;

        public NftablesBackendTests()
        {
            if (NetworkNamespace.Unavailable == null)
            {
                _ns = NetworkNamespace.Create("core");
                _backend = new NftablesBackend(new NftRunner("ip", "netns exec " + _ns.Name + " nft"));
            }
        }

        public void Dispose()
        {
            _ns?.Dispose();
        }

        private void Add(params NormalizedRule[] rules)
        {
            var changes = new FirewallChangeSet();
            changes.Add.AddRange(rules);
            _backend.Apply(_backend.Read(), changes);
        }

        [NetnsFact]
        public void EveryRuleShapeAndADocumentReadBackExactlyAsWritten()
        {
            var wanted = new[]
            {
                Rule("plain", local: new[] { "443" }),
                Rule("both families", local: new[] { "13000-13010", "14000" }, addresses: new[] { "10.0.0.0/8", "192.168.1.1-192.168.1.20", "fe80::/10", "2001:db8::1" }, action: FirewallAction.Block),
                Rule("mac", local: new[] { "4118" }, macs: new[] { "aa:bb:cc:dd:ee:ff", "00:11:22:33:44:55" }),
                Rule("outbound", Direction.Outbound, remote: new[] { "514" }, local: new[] { "1024-65535" }, addresses: new[] { "10.9.9.9" }),
                Rule("disabled", local: new[] { "8443" }, enabled: false, action: FirewallAction.Block),
                Rule("long", local: new[] { "10443" }, display: "Public API of the back end: " + new string('d', 400) + " \"quoted\" é ü"),
            };
            var changes = new FirewallChangeSet();
            changes.Add.AddRange(wanted);
            changes.PutDocuments["migration:SesEvolution"] = "{\"FromVersion\":\"2.6\",\"Note\":\"" + new string('n', 300) + "\"}";
            _backend.Apply(_backend.Read(), changes);

            var read = _backend.Read();
            Assert.Equal(wanted.Length, read.Rules.Count);
            foreach (var w in wanted)
            {
                Assert.Empty(w.DifferencesFrom(read.ByName[w.Name]));
            }

            Assert.Equal(changes.PutDocuments["migration:SesEvolution"], read.Documents["migration:SesEvolution"]);

            var delete = new FirewallChangeSet();
            delete.Remove.Add("long");
            delete.Remove.Add("both families");
            delete.DeleteDocuments.Add("migration:SesEvolution");
            _backend.Apply(read, delete);
            var after = _backend.Read();
            Assert.Equal(new[] { "disabled", "mac", "outbound", "plain" }, after.Rules.Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Empty(after.Documents);
            // Nothing of the removed rules is left behind, records included.
            Assert.DoesNotContain("dddd", _ns.Ruleset());
        }

        [NetnsFact]
        public void BlockRulesComeBeforeAllowRulesSoABlockWins()
        {
            Add(Rule("allow", local: new[] { "80" }));
            Add(Rule("block", local: new[] { "80" }, action: FirewallAction.Block));
            var input = JObject.Parse(_ns.Exec("nft -j list chain inet endpointadmin input", check: true).Output)["nftables"]
                .Select(i => i["rule"]).Where(r => r != null).ToList();
            Assert.Equal(2, input.Count);
            Assert.NotNull(input[0]["expr"].FirstOrDefault(e => e["drop"] != null));
            Assert.NotNull(input[1]["expr"].FirstOrDefault(e => e["accept"] != null));
        }

        [NetnsFact]
        public void ABatchNftRefusesChangesNothingAndTheErrorNamesTheRule()
        {
            Add(Rule("existing", local: new[] { "22" }));
            var before = _ns.Ruleset();
            var changes = new FirewallChangeSet();
            changes.Add.Add(Rule("first", local: new[] { "1001" }));
            changes.Add.Add(Rule("refused", local: new[] { "1002" }));
            changes.Add.Add(Rule("third", local: new[] { "1003" }));
            var batch = _backend.BuildBatch(_backend.Read(), changes);
            // Make nft itself refuse the second rule: its chain does not exist.
            var refused = batch.Single(c => c.Owner == "refused");
            refused.Json["add"]["rule"]["chain"] = "no_such_chain";

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.ApplyBatch(batch));
            Assert.Equal(ErrorIds.FirewallRuleRejected, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidOperation, ex.Kind);
            Assert.Equal("refused", ex.Target);
            Assert.Equal(before, _ns.Ruleset());
        }

        [NetnsFact]
        public void OtherTablesAreNeverTouchedAndForeignRulesInOurTableAreReported()
        {
            _ns.Nft("add table inet other\nadd chain inet other c { type filter hook input priority 0; policy accept; }\nadd rule inet other c tcp dport 22 drop\n");
            var other = _ns.Exec("nft list table inet other", check: true).Output;
            Add(Rule("ours", local: new[] { "443" }));
            var remove = new FirewallChangeSet();
            remove.Remove.Add("ours");
            _backend.Apply(_backend.Read(), remove);
            Assert.Equal(other, _ns.Exec("nft list table inet other", check: true).Output);

            _ns.Nft("add rule inet endpointadmin input tcp dport 23 accept comment \"someone else\"\n");
            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Read());
            Assert.Equal(ErrorIds.FirewallTableModified, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);

            _ns.Exec("nft delete table inet endpointadmin", check: true);
            _ns.Nft("add table inet endpointadmin\nadd chain inet endpointadmin input { type filter hook input priority 0; policy drop; }\n");
            Assert.Equal(ErrorIds.FirewallTableModified, Assert.Throws<EndpointAdminException>(() => _backend.Read()).ErrorId);
        }

        [NetnsFact]
        public void AnEditedRuleNoLongerMatchingItsMetadataIsReported()
        {
            Add(Rule("web", local: new[] { "443" }));
            var handle = (long)JObject.Parse(_ns.Exec("nft -j list chain inet endpointadmin input", check: true).Output)["nftables"]
                .Select(i => i["rule"]).First(r => r != null)["handle"];
            // Someone turns the Allow into a drop and keeps the comment.
            var rule = new JObject
            {
                ["family"] = "inet",
                ["table"] = "endpointadmin",
                ["chain"] = "input",
                ["handle"] = handle,
                ["comment"] = "ea1 {\"t\":\"rule\",\"n\":\"web\"}",
                ["expr"] = JArray.Parse("[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"right\":443}},{\"drop\":null}]"),
            };
            _ns.Exec("nft -j -f -", check: true, input: new JObject { ["nftables"] = new JArray(new JObject { ["replace"] = new JObject { ["rule"] = rule } }) }.ToString());
            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Read());
            Assert.Equal(ErrorIds.FirewallTableModified, ex.ErrorId);
            Assert.Contains("web", ex.Message);
        }

        [NetnsFact]
        public void WithoutRootNftablesRefusesAndTheErrorSaysSo()
        {
            var unprivileged = new NftablesBackend(new NftRunner("ip", "netns exec " + _ns.Name + " setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all nft"));
            var ex = Assert.Throws<EndpointAdminException>(() => unprivileged.Read());
            Assert.Equal(ErrorIds.FirewallPermissionDenied, ex.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
        }

        [Fact]
        public void WithoutNftTheErrorSaysWhatToInstall()
        {
            var missing = new NftablesBackend(new NftRunner("/nonexistent/nft"));
            var ex = Assert.Throws<EndpointAdminException>(() => missing.Read());
            Assert.Equal(ErrorIds.FirewallBackendNotInstalled, ex.ErrorId);
            Assert.Equal(ErrorKind.NotInstalled, ex.Kind);
            Assert.Contains("nftables", ex.RecommendedAction);
        }

        [Fact]
        public void AnOutboundMacFilterIsRejectedBeforeAnythingRuns()
        {
            var backend = new NftablesBackend(new NftRunner("/nonexistent/nft"));
            var ex = Assert.Throws<EndpointAdminException>(() => backend.Validate(Rule("out mac", Direction.Outbound, remote: new[] { "443" }, macs: new[] { "aa:bb:cc:dd:ee:ff" })));
            Assert.Equal(ErrorIds.FirewallMacAddressNotSupported, ex.ErrorId);
            Assert.Equal("out mac", ex.Target);
        }
    }
}
