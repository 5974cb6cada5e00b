using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// EndpointAdmin's rules in Windows Defender Firewall, through its COM interface
    /// (<see cref="IFirewallPolicyCom"/>), never one New-NetFirewallRule per rule. How a rule or a
    /// document is kept as a COM rule is <see cref="ComRuleCodec"/>.
    ///
    /// COM has no transaction. Apply comes as close as it can: everything that can be checked is
    /// checked before the first change, and when a change fails, what this Apply already did is
    /// undone (removed rules re-added with the settings read before removal, added rules removed)
    /// before the error, which names the rule, is thrown.
    ///
    /// Not run on Windows: this backend was built and unit-tested on Linux against a fake of the COM
    /// surface; the real surface is <see cref="ComFirewallPolicy"/>.
    /// </summary>
    internal sealed class WindowsFirewallBackend : IFirewallBackend
    {
        private const string RemovingPrefix = "EndpointAdmin removing ";

        private readonly IFirewallPolicyCom _policy;

        public WindowsFirewallBackend(IFirewallPolicyCom policy)
        {
            _policy = policy;
        }

        public FirewallBackendKind Kind => FirewallBackendKind.WindowsFirewall;

        public void Validate(NormalizedRule rule)
        {
            if (rule.Macs.Length > 0)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMacAddressNotSupported,
                    ErrorKind.NotSupported,
                    rule.Name,
                    string.Format(CultureInfo.InvariantCulture, "The rule '{0}' has a RemoteMacAddress: Windows Defender Firewall cannot match MAC addresses.", rule.Name))
                {
                    RecommendedAction = "Restrict the rule by RemoteAddress instead, or leave out RemoteMacAddress on Windows.",
                };
            }

            ComRuleCodec.CheckStorable(rule);
        }

        public FirewallSnapshot Read()
        {
            var state = new LiveComRules();
            var rules = new List<NormalizedRule>();
            var documents = new Dictionary<string, string>(StringComparer.Ordinal);
            var productRules = new List<FirewallPortRule>();
            try
            {
                foreach (var com in _policy.GetRules())
                {
                    if (!ComRuleCodec.IsOurs(com.Description))
                    {
                        var product = ComRuleCodec.DecodeProductRule(com);
                        if (product != null)
                        {
                            productRules.Add(product);
                        }

                        continue;
                    }

                    var meta = ComRuleCodec.ParseMeta(com);
                    var type = ComRuleCodec.Text(meta, "t");
                    if (type == "doc")
                    {
                        var key = ComRuleCodec.Text(meta, "k");
                        if (key == null || state.Documents.ContainsKey(key))
                        {
                            throw ComRuleCodec.Modified(com.Name, "it is a copy of an EndpointAdmin state rule, or its Description was edited");
                        }

                        documents[key] = ComRuleCodec.Text(meta, "v");
                        state.Documents[key] = com;
                    }
                    else if (type == "rule")
                    {
                        var rule = ComRuleCodec.Decode(com, meta);
                        if (state.Rules.ContainsKey(rule.Name))
                        {
                            throw ComRuleCodec.Modified(rule.Name, "two Windows Firewall rules carry this EndpointAdmin name (was one copied in wf.msc?)");
                        }

                        state.Rules[rule.Name] = com;
                        rules.Add(rule);
                    }
                    else
                    {
                        throw ComRuleCodec.Modified(com.Name, "its Description was edited");
                    }
                }
            }
            catch (Exception ex) when (IsComFailure(ex))
            {
                throw ReadFailed(ex);
            }

            return new FirewallSnapshot(rules, documents, state, productRules);
        }

        public void Apply(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            if (changes.IsEmpty)
            {
                return;
            }

            // Everything that can be checked without the firewall is, before the first change.
            var state = basis.StateOf<LiveComRules>();
            var removals = new List<KeyValuePair<string, IFirewallRuleCom>>();
            foreach (var name in changes.Remove)
            {
                if (state.Rules.TryGetValue(name, out var live))
                {
                    removals.Add(new KeyValuePair<string, IFirewallRuleCom>(name, live));
                }
            }

            foreach (var key in changes.DeleteDocuments.Concat(changes.PutDocuments.Keys).Distinct(StringComparer.Ordinal))
            {
                if (state.Documents.TryGetValue(key, out var live))
                {
                    removals.Add(new KeyValuePair<string, IFirewallRuleCom>(key, live));
                }
            }

            // A rollback finds the rules it added by Description, which holds the name: each name
            // added must therefore be new (or be removed first in this same Apply), and added once.
            var present = new HashSet<string>(state.Rules.Keys.Except(changes.Remove, StringComparer.Ordinal), StringComparer.Ordinal);
            var additions = new List<Step>();
            foreach (var rule in changes.Add)
            {
                Validate(rule);
                if (!present.Add(rule.Name))
                {
                    throw new EndpointAdminException(
                        ErrorIds.FirewallRuleConflict,
                        ErrorKind.ResourceExists,
                        rule.Name,
                        string.Format(CultureInfo.InvariantCulture, "A Windows Defender Firewall rule named '{0}' already exists, or is asked for twice. Nothing was changed.", rule.Name));
                }

                additions.Add(new Step(rule.Name, ComRuleCodec.Encode(rule)));
            }

            foreach (var doc in changes.PutDocuments)
            {
                additions.Add(new Step(doc.Key, ComRuleCodec.EncodeDocument(doc.Key, doc.Value)));
            }

            var removed = new List<Step>();
            var added = new List<Step>();
            string owner = null;
            try
            {
                foreach (var r in removals)
                {
                    owner = r.Key;
                    var copy = RuleSpec.Capture(r.Value);
                    RemoveLive(r.Value);
                    removed.Add(new Step(r.Key, copy));
                }

                foreach (var a in additions)
                {
                    owner = a.Owner;
                    AddNew(a.Spec);
                    added.Add(a);
                }
            }
            catch (Exception ex)
            {
                // Whatever failed (a COM error, or anything else), the changes already made are
                // undone: all or nothing is the contract of Apply.
                var notRestored = RollBack(removed, added);
                throw ApplyFailed(owner, ex, notRestored);
            }
        }

        private void AddNew(RuleSpec spec)
        {
            var rule = _policy.CreateRule();
            spec.WriteTo(rule);
            _policy.Add(rule);
        }

        /// <summary>
        /// Removes exactly this rule. INetFwRules.Remove selects by display name, which other rules
        /// may share, so the rule first gets a name no other rule has.
        /// </summary>
        private void RemoveLive(IFirewallRuleCom rule)
        {
            var name = rule.Name;
            var unique = RemovingPrefix + Guid.NewGuid().ToString("N");
            rule.Name = unique;
            try
            {
                _policy.Remove(unique);
            }
            catch
            {
                TryRename(rule, name);
                throw;
            }
        }

        private static void TryRename(IFirewallRuleCom rule, string name)
        {
            try
            {
                rule.Name = name;
            }
            catch (Exception ex) when (IsComFailure(ex))
            {
                // The rename only restores the display name; the Apply error says what happened.
            }
        }

        /// <summary>Undoes what an Apply did, newest first; returns the rules and documents it could not restore.</summary>
        private List<string> RollBack(List<Step> removed, List<Step> added)
        {
            var failures = new List<string>();
            if (added.Count > 0)
            {
                // An added rule object is not live, so the rules are found again by Description,
                // which holds the EndpointAdmin name or document key and so is unique to each.
                Dictionary<string, IFirewallRuleCom> live;
                try
                {
                    live = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);
                    foreach (var r in _policy.GetRules())
                    {
                        var description = r.Description;
                        if (ComRuleCodec.IsOurs(description))
                        {
                            live[description] = r;
                        }
                    }
                }
                catch (Exception ex) when (IsComFailure(ex))
                {
                    live = new Dictionary<string, IFirewallRuleCom>();
                }

                for (int i = added.Count - 1; i >= 0; i--)
                {
                    try
                    {
                        if (!live.TryGetValue(added[i].Spec.Description, out var rule))
                        {
                            failures.Add(added[i].Owner);
                            continue;
                        }

                        RemoveLive(rule);
                    }
                    catch (Exception ex) when (IsComFailure(ex))
                    {
                        failures.Add(added[i].Owner);
                    }
                }
            }

            for (int i = removed.Count - 1; i >= 0; i--)
            {
                try
                {
                    AddNew(removed[i].Spec);
                }
                catch (Exception ex) when (IsComFailure(ex))
                {
                    failures.Add(removed[i].Owner);
                }
            }

            return failures;
        }

        private static bool IsComFailure(Exception ex)
        {
            // COM errors reach .NET as COMException, or mapped: E_ACCESSDENIED as
            // UnauthorizedAccessException, E_INVALIDARG as ArgumentException; a VARIANT of an
            // unexpected type fails as InvalidCastException.
            return ex is COMException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidCastException;
        }

        private static bool IsAccessDenied(Exception ex)
        {
            const int EAccessDenied = unchecked((int)0x80070005);
            return ex is UnauthorizedAccessException || (ex is COMException com && com.HResult == EAccessDenied);
        }

        private static EndpointAdminException ReadFailed(Exception ex)
        {
            if (IsAccessDenied(ex))
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallPermissionDenied,
                    ErrorKind.PermissionDenied,
                    "HNetCfg.FwPolicy2",
                    "Windows Defender Firewall refused to list its rules: " + ex.Message,
                    ex)
                {
                    RecommendedAction = "Run PowerShell as Administrator.",
                };
            }

            return new EndpointAdminException(
                ErrorIds.FirewallBackendFailed,
                ErrorKind.InvalidOperation,
                "HNetCfg.FwPolicy2",
                "Reading the Windows Defender Firewall rules failed: " + ex.Message,
                ex);
        }

        private static EndpointAdminException ApplyFailed(string owner, Exception ex, List<string> notRestored)
        {
            if (notRestored.Count > 0)
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallRollbackIncomplete,
                    ErrorKind.InvalidOperation,
                    owner,
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "Windows Defender Firewall refused the change to '{0}' ({1}), and undoing this command's earlier changes failed for: {2}. The firewall is partly changed.",
                        owner,
                        ex.Message,
                        string.Join(", ", notRestored)),
                    ex)
                {
                    RecommendedAction = "Compare the rules with Get-FirewallPortRule or Test-FirewallPortRule and run the command again, or remove the rules named.",
                };
            }

            if (IsAccessDenied(ex))
            {
                return new EndpointAdminException(
                    ErrorIds.FirewallPermissionDenied,
                    ErrorKind.PermissionDenied,
                    owner,
                    "Windows Defender Firewall refused the change to '" + owner + "': changing firewall rules needs Administrator rights. Nothing was changed.",
                    ex)
                {
                    RecommendedAction = "Run PowerShell as Administrator, or through a JEA endpoint that runs as one.",
                };
            }

            return new EndpointAdminException(
                ErrorIds.FirewallRuleRejected,
                ErrorKind.InvalidOperation,
                owner,
                string.Format(CultureInfo.InvariantCulture, "Windows Defender Firewall rejected the rule '{0}', so no change of this command was kept: {1}", owner, ex.Message),
                ex)
            {
                RecommendedAction = "Correct or leave out that rule and run the command again; the changes made before it were undone.",
            };
        }

        /// <summary>One change of an Apply: the rule or document it serves, and its COM values.</summary>
        private sealed class Step
        {
            public Step(string owner, RuleSpec spec)
            {
                Owner = owner;
                Spec = spec;
            }

            public string Owner { get; }

            public RuleSpec Spec { get; }
        }
    }
}
