using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Deep Security in a baseline: what a file may declare (checked before any request against the
    /// manager's heartbeat limits), and how the provider reads declared targets in bulk (every
    /// policy once, computers a search page at a time with their own settings), checks, writes
    /// (through PolicySettings and HeartbeatRules, as the single cmdlets do) and exports them.
    /// </summary>
    internal sealed partial class DeepSecurityBaseline
    {
        public const string IntervalMinutes = "IntervalMinutes";
        public const string MissedHeartbeatsBeforeAlert = "MissedHeartbeatsBeforeAlert";
        public const string MaximumClockChange = "MaximumClockChange";
        public const string RaiseOfflineErrorsForInactiveVMs = "RaiseOfflineErrorsForInactiveVMs";
        public const string CommunicationDirection = "CommunicationDirection";
        public const string SmartProtectionProxyId = "SmartProtectionProxyId";
        public const string HeartbeatFirewallRule = "HeartbeatFirewallRule";
        public const string AgentUpdateProxyId = "AgentUpdateProxyId";
        public const string ManagerUpdateProxyId = "ManagerUpdateProxyId";

        private readonly HttpPipeline _http;
        private readonly ComputerSearch _computers;
        private readonly PolicySettings _policies;
        private readonly HeartbeatRules _rules;

        public DeepSecurityBaseline(HttpPipeline http, ComputerSearch computers, PolicySettings policies, HeartbeatRules rules)
        {
            _http = http;
            _computers = computers;
            _policies = policies;
            _rules = rules;
        }

        public static ManagerBaselineSchema Schema()
        {
            var limits = DeepSecurityWire.HeartbeatLimits;
            SettingDefinition[] Common() => new[]
            {
                new SettingDefinition(IntervalMinutes, SettingKind.Interval) { Allowed = limits.AllowedIntervals },
                new SettingDefinition(MissedHeartbeatsBeforeAlert, SettingKind.Limit) { Maximum = limits.MaximumMissedThreshold },
                new SettingDefinition(MaximumClockChange, SettingKind.Limit) { Maximum = limits.MaximumClockChangeMinutes },
                new SettingDefinition(RaiseOfflineErrorsForInactiveVMs, SettingKind.Boolean),
                new SettingDefinition(CommunicationDirection, SettingKind.Direction),
                new SettingDefinition(SmartProtectionProxyId, SettingKind.ProxyId),
            };

            var policy = new List<SettingDefinition>(Common())
            {
                new SettingDefinition(HeartbeatFirewallRule, SettingKind.HeartbeatRule) { DefaultPort = DefaultAgentListeningPort },
            };
            return new ManagerBaselineSchema
            {
                Manager = new[]
                {
                    new SettingDefinition(AgentUpdateProxyId, SettingKind.ProxyId),
                    new SettingDefinition(ManagerUpdateProxyId, SettingKind.ProxyId),
                },
                Policy = policy,
                PolicyOnly = new[] { SmartProtectionProxyId, HeartbeatFirewallRule },
                Agent = Common(),
            };
        }

        /// <summary>What a target state carries from the read to the check and the write.</summary>
        private sealed class Handle
        {
            public PolicyTarget Target;
            public Agent Agent;
            public FoundHeartbeatRule Rule;
            public bool RuleIsOwn;
        }

        /// <summary>
        /// Every declared target's actual settings: the manager-wide proxies (one request each), every
        /// policy (three requests), the heartbeat rules when a policy declares one (one search), and
        /// the computers a page at a time (two searches per page) — never a request per computer.
        /// </summary>
        public IEnumerable<BaselineTargetState> Read(ManagerBaseline baseline, CancellationToken cancel)
        {
            var order = baseline.Targets.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
            var states = new List<BaselineTargetState>();
            var manager = baseline.Targets.Where(t => t.Type == BaselineTargetType.Manager).ToList();
            if (manager.Count > 0)
            {
                var state = new BaselineTargetState { Type = BaselineTargetType.Manager, Id = baseline.Uri, Display = "manager", Handle = new Handle { Target = PolicyTarget.Base() } };
                state.Declarations.AddRange(manager);
                var wanted = new HashSet<string>(BaselineComparer.Expected(state).Select(e => e.Name));
                foreach (var (name, purpose) in new[] { (AgentUpdateProxyId, ProxyPurpose.AgentUpdate), (ManagerUpdateProxyId, ProxyPurpose.ManagerUpdate) })
                {
                    if (wanted.Contains(name))
                    {
                        state.Actual[name] = new ActualSetting(SystemProxy(purpose, cancel), "system setting");
                    }
                }

                states.Add(state);
            }

            var policies = baseline.Targets.Where(t => t.Type == BaselineTargetType.Policy).ToList();
            var computers = baseline.Targets.Where(t => t.Type == BaselineTargetType.Agent).ToList();
            if (policies.Count > 0 || computers.Count > 0)
            {
                var tree = PolicyTree.Read(_http, cancel);
                states.AddRange(ReadPolicies(policies, tree, cancel));
                states.AddRange(ReadComputers(computers, tree, cancel));
            }

            foreach (var state in states)
            {
                state.Declarations.Sort((a, b) => order[a].CompareTo(order[b]));
            }

            return states;
        }

        private string SystemProxy(ProxyPurpose purpose, CancellationToken cancel)
        {
            var value = _http.Json(HttpMethod.Get, Paths.SystemSetting(ProxySettings[purpose][0]), null, true, cancel)?["value"];
            return ProxyValue(value == null || value.Type == Newtonsoft.Json.Linq.JTokenType.Null ? null : (string)value);
        }

        private List<BaselineTargetState> ReadPolicies(List<TargetBaseline> declarations, PolicyTree tree, CancellationToken cancel)
        {
            var states = new List<BaselineTargetState>();
            var byId = new Dictionary<int, BaselineTargetState>();
            Dictionary<int, FoundHeartbeatRule> rules = null;
            if (declarations.Any(d => !d.IsBase && d.Settings.Any(s => s.Name == HeartbeatFirewallRule)))
            {
                rules = HeartbeatRuleSearch.Read(_http, cancel);
            }

            foreach (var declaration in declarations)
            {
                int id;
                if (declaration.IsBase)
                {
                    id = 0;
                }
                else if (declaration.Id != null)
                {
                    id = int.Parse(declaration.Id, CultureInfo.InvariantCulture);
                    if (!tree.ById.ContainsKey(id))
                    {
                        states.Add(Missing(BaselineTargetType.Policy, declaration, declaration.Id, declaration.Key + ": the manager has no policy with ID " + declaration.Id + "."));
                        continue;
                    }
                }
                else
                {
                    var name = declaration.Names[0].Text;
                    var named = tree.Named(name);
                    if (named.Count != 1)
                    {
                        states.Add(named.Count == 0
                            ? Missing(BaselineTargetType.Policy, declaration, name, declaration.Key + ": the manager has no policy named '" + name + "'.")
                            : new BaselineTargetState { Type = BaselineTargetType.Policy, Id = name, Display = "policy '" + name + "'", Error = new EndpointAdminException(ErrorIds.PolicyNameAmbiguous, ErrorKind.InvalidArgument, name, declaration.Key + ": more than one policy is named '" + name + "'; declare it by Id.") });
                        continue;
                    }

                    id = named[0].Id;
                }

                if (!byId.TryGetValue(id, out var state))
                {
                    state = PolicyState(id, tree);
                    byId[id] = state;
                    states.Add(state);
                }

                state.Declarations.Add(declaration);
            }

            foreach (var state in byId.Values.Where(s => s.Id != "0" && rules != null))
            {
                var expected = BaselineComparer.Expected(state).FirstOrDefault(e => e.Name == HeartbeatFirewallRule);
                if (expected != null)
                {
                    var node = tree.ById[int.Parse(state.Id, CultureInfo.InvariantCulture)];
                    var rule = HeartbeatRuleSearch.Pick(node, rules, HeartbeatRuleSearch.Parse(expected.Value).Port);
                    var handle = (Handle)state.Handle;
                    handle.Rule = rule;
                    handle.RuleIsOwn = rule != null && node.OwnRuleIds.Contains(rule.Id);
                    state.Actual[HeartbeatFirewallRule] = rule == null
                        ? new ActualSetting("none", "no priority-4 heartbeat rule assigned")
                        : new ActualSetting(rule.Text, tree.RuleSource(node, rule.Id) + ", rule " + rule.Id.ToString(CultureInfo.InvariantCulture));
                }
            }

            return states;
        }

        private static BaselineTargetState PolicyState(int id, PolicyTree tree)
        {
            var isBase = id == 0;
            var node = isBase ? null : tree.ById[id];
            var state = new BaselineTargetState
            {
                Type = BaselineTargetType.Policy,
                Id = id.ToString(CultureInfo.InvariantCulture),
                Display = isBase ? "base policy" : node.Describe(),
                Handle = new Handle { Target = isBase ? PolicyTarget.Base() : new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, Id = id, PolicyName = node.Name } },
            };
            Fill(state, name => tree.Resolve(id, name, forComputer: false));
            return state;
        }

        private static BaselineTargetState Missing(BaselineTargetType type, TargetBaseline declaration, string target, string message)
        {
            return new BaselineTargetState
            {
                Type = type,
                Id = target,
                Display = declaration.Describe(),
                Error = new EndpointAdminException(ErrorIds.BaselineTargetNotFound, ErrorKind.ObjectNotFound, target, message),
            };
        }

        /// <summary>
        /// The declared computers: all declared IDs in one query (a search per ID range), each name
        /// declaration in one more (a page at a time), each page's own settings in one search more.
        /// </summary>
        private List<BaselineTargetState> ReadComputers(List<TargetBaseline> declarations, PolicyTree tree, CancellationToken cancel)
        {
            var states = new List<BaselineTargetState>();
            var byId = new Dictionary<int, BaselineTargetState>();
            void Select(ComputerRecord record, Dictionary<string, string> own, TargetBaseline declaration)
            {
                if (!byId.TryGetValue(record.Id, out var state))
                {
                    var agent = record.Agent;
                    state = new BaselineTargetState
                    {
                        Type = BaselineTargetType.Agent,
                        Id = agent.Id,
                        Display = "computer '" + agent.Name + "' (" + agent.Id + ")",
                        Handle = new Handle { Target = new PolicyTarget { Scope = HeartbeatPolicyScope.Agent, Id = record.Id }, Agent = agent },
                    };
                    Fill(state, name => own != null && own.TryGetValue(name, out var value) ? (value, PolicyTree.SetHere) : tree.Resolve(agent.PolicyId, name, forComputer: true));
                    byId[record.Id] = state;
                    states.Add(state);
                }

                if (!state.Declarations.Contains(declaration))
                {
                    state.Declarations.Add(declaration);
                }
            }

            var byIdDeclared = declarations.Where(d => d.Id != null).ToList();
            var found = new HashSet<int>();
            if (byIdDeclared.Count > 0)
            {
                var query = new AgentQuery { Ids = byIdDeclared.Select(d => d.Id).Distinct().ToList() };
                foreach (var (record, own) in WithOwnSettings(query, cancel))
                {
                    found.Add(record.Id);
                    foreach (var declaration in byIdDeclared.Where(d => d.Id == record.Agent.Id))
                    {
                        Select(record, own, declaration);
                    }
                }

                foreach (var declaration in byIdDeclared.Where(d => !found.Contains(int.Parse(d.Id, CultureInfo.InvariantCulture))))
                {
                    states.Add(Missing(BaselineTargetType.Agent, declaration, declaration.Id, declaration.Key + ": the manager has no computer with ID " + declaration.Id + "."));
                }
            }

            foreach (var declaration in declarations.Where(d => d.Id == null && d.Names.Count > 0))
            {
                var matched = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
                foreach (var (record, own) in WithOwnSettings(new AgentQuery { Names = declaration.Names }, cancel))
                {
                    matched.Add(record.Agent.Name ?? string.Empty);
                    Select(record, own, declaration);
                }

                // A literal name that finds nobody is a target that does not exist; a wildcard that matches nothing selects nothing.
                foreach (var literal in declaration.Names.Where(n => !n.HasWildcards && !matched.Any(m => n.IsMatch(m))))
                {
                    states.Add(Missing(BaselineTargetType.Agent, declaration, literal.Text, declaration.Key + ": the manager has no computer named '" + literal.Text + "'."));
                }
            }

            return states;
        }

        private IEnumerable<(ComputerRecord Record, Dictionary<string, string> Own)> WithOwnSettings(AgentQuery query, CancellationToken cancel)
        {
            foreach (var (criteria, ranges, page) in _computers.Pages(query, null, cancel))
            {
                var own = _computers.OwnSettings(criteria, ranges, BaselineSettingNames, cancel);
                foreach (var record in page)
                {
                    own.TryGetValue(record.Id, out var settings);
                    yield return (record, settings);
                }
            }
        }
    }
}
