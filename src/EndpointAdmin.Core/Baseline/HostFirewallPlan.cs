using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// The host firewall part of a baseline: the wanted rules (catalog rows plus extra rules), one
    /// row per rule compared with what the firewall holds, and the one change set that makes the
    /// firewall match — added, replaced and, with Unmanaged = 'Remove', EndpointAdmin rules the file
    /// does not declare removed. Only EndpointAdmin's own rules are ever read or changed.
    /// </summary>
    internal sealed class HostFirewallPlan
    {
        private readonly FirewallService _service;
        private readonly string _host;

        // The baseline entry each wanted rule comes from (HostFirewall.Rules[0], HostFirewall.ExtraRules[1]), for its row's Key.
        private readonly Dictionary<string, string> _keys = new Dictionary<string, string>(StringComparer.Ordinal);

        public HostFirewallPlan(FirewallService service, string host)
        {
            _service = service;
            _host = host;
        }

        /// <summary>The wanted rules, validated for this firewall; a rule the firewall cannot express is a problem of the file.</summary>
        public List<NormalizedRule> Wanted(HostFirewallBaseline baseline, PortCatalog catalog, List<EndpointAdminException> problems)
        {
            var wanted = new List<NormalizedRule>();
            var byName = new Dictionary<string, (NormalizedRule Rule, string Key)>(StringComparer.Ordinal);
            void Add(FirewallPortRule rule, string key)
            {
                try
                {
                    var prepared = _service.Prepare(rule);
                    if (byName.TryGetValue(prepared.Name, out var earlier))
                    {
                        if (earlier.Rule.DifferencesFrom(prepared).Count > 0)
                        {
                            problems.Add(SettingDefinition.Invalid(key, prepared.Name, "declares the rule '" + prepared.Name + "' that " + earlier.Key + " declares with other settings"));
                        }

                        return;
                    }

                    byName[prepared.Name] = (prepared, key);
                    _keys[prepared.Name] = key;
                    wanted.Add(prepared);
                }
                catch (EndpointAdminException ex)
                {
                    problems.Add(SettingDefinition.Invalid(key, ex.Target, "cannot be a rule on " + _service.Kind + ": " + ex.Message.TrimEnd('.')));
                }
            }

            foreach (var selection in baseline.Catalog)
            {
                foreach (var requirement in catalog.Find(selection.Query).Requirements)
                {
                    var rule = FirewallRuleNormalizer.FromRequirement(requirement);
                    if (selection.RemoteAddress != null)
                    {
                        rule.RemoteAddress = selection.RemoteAddress;
                    }

                    if (selection.Group != null)
                    {
                        rule.Group = selection.Group;
                    }

                    rule.Enabled = selection.Enabled;
                    Add(rule, selection.Key);
                }
            }

            foreach (var (rule, key) in baseline.Extra)
            {
                Add(rule.Copy(), key);
            }

            return wanted;
        }

        public List<BaselineResult> Compare(HostFirewallBaseline baseline, IReadOnlyList<NormalizedRule> wanted, FirewallSnapshot snapshot)
        {
            var rows = new List<BaselineResult>();
            var names = new HashSet<string>(wanted.Select(w => w.Name), StringComparer.Ordinal);
            foreach (var rule in wanted)
            {
                var test = _service.Test(snapshot, rule);
                snapshot.ByName.TryGetValue(rule.Name, out var actual);
                var row = Row(rule.Name, rule.Rule.DisplayName, rule.Describe(), actual?.Describe() ?? "absent", test.InDesiredState, _keys.TryGetValue(rule.Name, out var key) ? key : baseline.Key);
                row.Source = test.State == FirewallRuleState.CoveredByProductRule ? "a rule the product created itself" : actual != null ? "EndpointAdmin rules (" + _service.Kind + ")" : null;
                row.Message = string.Join("; ", test.Differences);
                rows.Add(row);
            }

            if (baseline.RemoveUnmanaged)
            {
                foreach (var extra in snapshot.Rules.Where(r => !names.Contains(r.Name)))
                {
                    var row = Row(extra.Name, extra.Rule.DisplayName, "absent", extra.Describe(), false, baseline.Key + ".Unmanaged");
                    row.Source = "EndpointAdmin rules (" + _service.Kind + ")";
                    row.Message = "Not declared, and Unmanaged = 'Remove'";
                    rows.Add(row);
                }
            }

            return rows;
        }

        /// <summary>The one change set for the drifted rows: a missing rule added, a different one replaced, an undeclared one removed.</summary>
        public static FirewallChangeSet Changes(IEnumerable<BaselineResult> drifted, IReadOnlyList<NormalizedRule> wanted, FirewallSnapshot snapshot)
        {
            var byName = wanted.ToDictionary(w => w.Name, StringComparer.Ordinal);
            var changes = new FirewallChangeSet();
            foreach (var row in drifted)
            {
                if (snapshot.ByName.ContainsKey(row.TargetId))
                {
                    changes.Remove.Add(row.TargetId);
                }

                if (byName.TryGetValue(row.TargetId, out var rule))
                {
                    changes.Add.Add(rule);
                }
            }

            return changes;
        }

        private BaselineResult Row(string name, string display, string expected, string actual, bool inDesiredState, string key)
        {
            return new BaselineResult
            {
                Manager = _host,
                TargetType = BaselineTargetType.Host,
                TargetId = name,
                Target = display ?? name,
                Setting = "FirewallRule",
                Expected = expected,
                Actual = actual,
                InDesiredState = inDesiredState,
                State = inDesiredState ? BaselineState.InDesiredState : BaselineState.Drifted,
                Key = key,
            };
        }
    }
}
