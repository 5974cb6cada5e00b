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
    /// EndpointAdmin's rules in nftables: one table of its own, "inet endpointadmin", with an input
    /// and an output base chain (filter hooks, priority 0, policy accept) and a "records" chain that
    /// is never hooked or jumped to, each created when a rule first needs it. It reads and writes only
    /// that table, always through nft's JSON interface, and applies each change set as one nft
    /// transaction. How rules are kept there is <see cref="NftLayout"/>; <see cref="NftRuleEncoder"/>
    /// writes them and <see cref="NftRulesetParser"/> reads them back.
    /// </summary>
    internal sealed class NftablesBackend : IFirewallBackend
    {
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
                    return new FirewallSnapshot(Array.Empty<NormalizedRule>(), new Dictionary<string, string>(), new NftHandles(false));
                }

                throw Failed("reading table " + Table, result);
            }

            return NftRulesetParser.Parse(result.Output);
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
        internal List<NftCommand> BuildBatch(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            var state = basis.StateOf<NftHandles>();
            var batch = new List<NftCommand>();

            foreach (var name in changes.Remove)
            {
                foreach (var h in state.RuleHandles(RuleKey(name)))
                {
                    batch.Add(NftRuleEncoder.DeleteRule(name, h));
                }
            }

            foreach (var key in changes.DeleteDocuments.Concat(changes.PutDocuments.Keys))
            {
                foreach (var h in state.RuleHandles(DocumentKey(key)))
                {
                    batch.Add(NftRuleEncoder.DeleteRule(key, h));
                }
            }

            foreach (var rule in changes.Add)
            {
                batch.AddRange(NftRuleEncoder.EncodeRule(rule));
            }

            foreach (var doc in changes.PutDocuments)
            {
                batch.AddRange(NftRuleEncoder.EncodeDocument(doc.Key, doc.Value));
            }

            // The table and only the chains its rules need: every base chain is a netfilter hook
            // that each packet passes through and that takes time to register.
            var setup = new List<NftCommand>();
            if (!state.TableExists)
            {
                setup.Add(NftRuleEncoder.AddTable());
            }

            var needed = new HashSet<string>(batch.Where(c => c.Json["add"]?["rule"] != null || c.Json["insert"]?["rule"] != null)
                .Select(c => (string)(c.Json["add"] ?? c.Json["insert"])["rule"]["chain"]), StringComparer.Ordinal);
            foreach (var chain in new[] { "input", "output", RecordsChain })
            {
                if (needed.Contains(chain) && !state.Chains.Contains(chain))
                {
                    setup.Add(NftRuleEncoder.AddChain(chain));
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
        internal void ApplyBatch(List<NftCommand> batch)
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

        private string FindCulprit(List<NftCommand> batch)
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

        private static string Document(List<NftCommand> batch, int count)
        {
            var array = new JArray();
            for (int i = 0; i < count; i++)
            {
                array.Add(batch[i].Json);
            }

            return JsonConvert.SerializeObject(new JObject { ["nftables"] = array }, AsciiJson);
        }

        private static string Clean(string text)
        {
            return (text ?? string.Empty).Trim().Replace("\n", " ");
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
    }
}
