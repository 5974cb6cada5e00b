using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Http;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>One policy as a baseline reads it: where it sits, what it sets itself, and the firewall rules assigned to it.</summary>
    internal sealed class PolicyNode
    {
        public int Id;
        public string Name;
        public int? ParentId;

        /// <summary>The settings set on the policy itself (overrides=true).</summary>
        public Dictionary<string, string> Own = new Dictionary<string, string>();

        /// <summary>The settings in effect (the plain listing), for a value no level of the chain shows.</summary>
        public Dictionary<string, string> Effective = new Dictionary<string, string>();

        /// <summary>Rules in effect on the policy, inherited ones too.</summary>
        public HashSet<int> RuleIds = new HashSet<int>();

        /// <summary>Rules assigned on the policy itself.</summary>
        public HashSet<int> OwnRuleIds = new HashSet<int>();

        public string Describe() => "policy '" + Name + "' (" + Id.ToString(CultureInfo.InvariantCulture) + ")";
    }

    /// <summary>
    /// Every policy, read once for a whole baseline: the plain listing (names, parents, effective
    /// values, assigned rules), the listing with overrides=true (what each policy sets itself) and
    /// the base policy's settings. A value and where it comes from are then looked up in memory, so
    /// the requests do not grow with the computers the baseline selects.
    /// </summary>
    internal sealed class PolicyTree
    {
        public const string SetHere = "set here";
        public const string FromBase = "default (base policy)";

        private PolicyTree()
        {
        }

        public Dictionary<int, PolicyNode> ById { get; } = new Dictionary<int, PolicyNode>();

        /// <summary>The base policy's settings (policies/default): what every chain ends with.</summary>
        public Dictionary<string, string> Defaults { get; } = new Dictionary<string, string>();

        /// <summary>Three requests, however many policies and computers there are.</summary>
        public static PolicyTree Read(HttpPipeline http, CancellationToken cancel)
        {
            var tree = new PolicyTree();
            foreach (var p in Policies(http.Json(HttpMethod.Get, Paths.Policies, null, true, cancel)))
            {
                var node = new PolicyNode { Id = (int)p["ID"], Name = (string)p["name"] };
                var parent = p["parentID"];
                node.ParentId = parent == null || parent.Type == JTokenType.Null || (int)parent == 0 ? (int?)null : (int)parent;
                node.Effective = Settings(p["policySettings"] as JObject);
                node.RuleIds = RuleIds(p);
                tree.ById[node.Id] = node;
            }

            foreach (var p in Policies(http.Json(HttpMethod.Get, Paths.Policies + "?overrides=true", null, true, cancel)))
            {
                if (tree.ById.TryGetValue((int)p["ID"], out var node))
                {
                    node.Own = Settings(p["policySettings"] as JObject);
                    node.OwnRuleIds = RuleIds(p);
                }
            }

            foreach (var pair in Settings(http.Json(HttpMethod.Get, Paths.BasePolicy, null, true, cancel) as JObject))
            {
                tree.Defaults[pair.Key] = pair.Value;
            }

            return tree;
        }

        private static IEnumerable<JObject> Policies(JToken listing) => ((listing?["policies"] as JArray) ?? new JArray()).OfType<JObject>();

        private static HashSet<int> RuleIds(JObject policy)
        {
            var ids = policy["firewall"]?["ruleIDs"] as JArray;
            return new HashSet<int>(ids == null ? Enumerable.Empty<int>() : ids.Select(i => (int)i));
        }

        private static Dictionary<string, string> Settings(JObject settings)
        {
            var result = new Dictionary<string, string>();
            foreach (var name in BaselineSettingNames)
            {
                var value = settings?[name]?["value"];
                if (value != null && value.Type != JTokenType.Null)
                {
                    result[name] = (string)value;
                }
            }

            return result;
        }

        /// <summary>Exact name first; a case-insensitive match only when it is the only one.</summary>
        public List<PolicyNode> Named(string name)
        {
            var exact = ById.Values.Where(p => string.Equals(p.Name, name, StringComparison.Ordinal)).ToList();
            return exact.Count > 0 ? exact : ById.Values.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>
        /// A setting's value on policy <paramref name="policyId"/> (null or 0: the base policy) and where it
        /// comes from; <paramref name="forComputer"/>: asked for a computer of that policy, so the policy's
        /// own value is inherited, not set here.
        /// </summary>
        public (string Value, string Source) Resolve(int? policyId, string setting, bool forComputer)
        {
            var current = policyId > 0 ? policyId : null;
            for (int depth = 0; current.HasValue && depth < 64 && ById.TryGetValue(current.Value, out var node); depth++)
            {
                if (node.Own.TryGetValue(setting, out var value))
                {
                    return (value, depth == 0 && !forComputer ? SetHere : "inherited from " + node.Describe());
                }

                current = node.ParentId;
            }

            if (Defaults.TryGetValue(setting, out var fallback))
            {
                return (fallback, policyId > 0 || forComputer ? FromBase : SetHere);
            }

            if (policyId > 0 && ById.TryGetValue(policyId.Value, out var start) && start.Effective.TryGetValue(setting, out var effective))
            {
                return (effective, FromBase);
            }

            return (null, FromBase);
        }

        /// <summary>Where a rule in effect on a policy was assigned: the policy itself or the nearest parent that assigns it.</summary>
        public string RuleSource(PolicyNode policy, int ruleId)
        {
            var current = (int?)policy.Id;
            for (int depth = 0; current.HasValue && depth < 64 && ById.TryGetValue(current.Value, out var node); depth++)
            {
                if (node.OwnRuleIds.Contains(ruleId))
                {
                    return depth == 0 ? SetHere : "inherited from " + node.Describe();
                }

                current = node.ParentId;
            }

            return "inherited";
        }
    }
}
