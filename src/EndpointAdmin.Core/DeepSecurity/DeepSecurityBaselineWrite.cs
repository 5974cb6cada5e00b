using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Threading;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>The check before a Set, the writes of one target, and the export of today's state.</summary>
    internal sealed partial class DeepSecurityBaseline
    {
        /// <summary>
        /// Refuses a direction other than Bidirectional where a virtual appliance would be cut off,
        /// with the same check (and error) as Set-AgentHeartbeatPolicy; the computer read with the
        /// baseline is used, so a computer target costs no request.
        /// </summary>
        public void Check(IReadOnlyList<BaselineWrite> plan, CancellationToken cancel)
        {
            foreach (var write in plan)
            {
                var direction = write.Changes.FirstOrDefault(c => c.Name == CommunicationDirection);
                if (direction == null || !(write.Target.Handle is Handle handle))
                {
                    continue;
                }

                var change = new HeartbeatChange { Direction = (EndpointAdmin.CommunicationDirection)System.Enum.Parse(typeof(EndpointAdmin.CommunicationDirection), direction.Value) };
                try
                {
                    _policies.CheckChange(handle.Target, change, cancel, handle.Agent);
                }
                catch (EndpointAdminException ex)
                {
                    write.Refused = ex;
                }
            }
        }

        /// <summary>Writes the drifted settings of one target: heartbeat and direction values, the proxy, the heartbeat rule.</summary>
        public void Write(BaselineWrite write, CancellationToken cancel)
        {
            var handle = (Handle)write.Target.Handle;
            if (write.Target.Type == BaselineTargetType.Manager)
            {
                foreach (var setting in write.Changes)
                {
                    var purpose = setting.Name == AgentUpdateProxyId ? ProxyPurpose.AgentUpdate : ProxyPurpose.ManagerUpdate;
                    _policies.WriteProxy(purpose, handle.Target, ProxyNumber(setting.Value), cancel);
                }

                return;
            }

            var change = new HeartbeatChange();
            foreach (var setting in write.Changes)
            {
                switch (setting.Name)
                {
                    case IntervalMinutes: change.IntervalMinutes = int.Parse(setting.Value, CultureInfo.InvariantCulture); break;
                    case MissedHeartbeatsBeforeAlert: change.MissedHeartbeatsBeforeAlert = LimitNumber(setting.Value); break;
                    case MaximumClockChange: change.MaximumClockChangeMinutes = LimitNumber(setting.Value); break;
                    case RaiseOfflineErrorsForInactiveVMs: change.RaiseOfflineErrorsForInactiveVMs = setting.Value == "True"; break;
                    case CommunicationDirection: change.Direction = (EndpointAdmin.CommunicationDirection)System.Enum.Parse(typeof(EndpointAdmin.CommunicationDirection), setting.Value); break;
                }
            }

            // No re-read: the engine reports the written values, and a later Test reads them back.
            if (!change.IsEmpty)
            {
                _policies.SetHeartbeatPolicy(handle.Target, change, cancel, reread: false);
            }

            var proxy = write.Changes.FirstOrDefault(c => c.Name == SmartProtectionProxyId);
            if (proxy != null)
            {
                _policies.WriteProxy(ProxyPurpose.SmartProtection, handle.Target, ProxyNumber(proxy.Value), cancel);
            }

            var rule = write.Changes.FirstOrDefault(c => c.Name == HeartbeatFirewallRule);
            if (rule != null)
            {
                ReplaceRule(handle, rule.Value, cancel);
            }
        }

        /// <summary>
        /// The new rule first (created and assigned as New-AgentHeartbeatFirewallRule does), then the
        /// old one unassigned from this policy, so the policy is never without its rule in between.
        /// An inherited old rule stays with its parent; the policy's own new rule is then the one in effect.
        /// </summary>
        private void ReplaceRule(Handle handle, string expected, CancellationToken cancel)
        {
            var (action, port, ips, macs) = HeartbeatRuleSearch.Parse(expected);
            var request = HeartbeatRuleValidator.Validate(handle.Target, null, action, port, ips, macs);
            _rules.Create(request, cancel, resolved: true);
            if (handle.Rule != null && handle.RuleIsOwn)
            {
                _rules.Unassign(handle.Target.Id.Value, handle.Rule.Id, cancel);
            }
        }

        /// <summary>
        /// Today's state as a baseline entry: the manager-wide proxies, the base policy's heartbeat
        /// settings, each policy's own settings and heartbeat rule, and each computer that sets
        /// something itself (by ID). Inherited values are left to the level that sets them, so a Test
        /// of the export reads every value from where it is declared.
        /// </summary>
        public OrderedDictionary Export(CancellationToken cancel)
        {
            var entry = new OrderedDictionary
            {
                [AgentUpdateProxyId] = Typed(SettingKind.ProxyId, SystemProxy(ProxyPurpose.AgentUpdate, cancel)),
                [ManagerUpdateProxyId] = Typed(SettingKind.ProxyId, SystemProxy(ProxyPurpose.ManagerUpdate, cancel)),
            };
            var tree = PolicyTree.Read(_http, cancel);
            var basePolicy = PolicyState(0, tree);
            var table = new OrderedDictionary();
            foreach (var (name, _, _, kind) in HeartbeatMap)
            {
                var value = basePolicy.Actual[name].Value;
                if (Exportable(kind, value))
                {
                    table[name] = Typed(kind, value);
                }
            }

            entry["BasePolicy"] = table;
            var rules = HeartbeatRuleSearch.Read(_http, cancel);
            var policies = new List<object>();
            foreach (var node in tree.ById.Values.OrderBy(p => p.Id))
            {
                var state = PolicyState(node.Id, tree);
                var own = OwnTable(node.Id, node.Own, state);
                var rule = HeartbeatRuleSearch.Pick(node, rules, DefaultAgentListeningPort);
                if (rule != null && node.OwnRuleIds.Contains(rule.Id))
                {
                    own[HeartbeatFirewallRule] = RuleTable(rule);
                }

                if (own.Count > 1)
                {
                    policies.Add(own);
                }
            }

            entry["Policies"] = policies.ToArray();
            var computers = new List<object>();
            foreach (var pair in _computers.AllOwnSettings(BaselineSettingNames, cancel).OrderBy(p => p.Key))
            {
                var state = new BaselineTargetState();
                Fill(state, wire => (pair.Value.TryGetValue(wire, out var value) ? value : null, PolicyTree.SetHere));
                var own = OwnTable(pair.Key, pair.Value, state);

                // The proxy of a computer is only known from its own settings when it turns it off, or sets both the switch and the ID.
                if (own.Contains(SmartProtectionProxyId) && !(pair.Value.ContainsKey(SmartProtectionUseProxySetting) && (state.Actual[SmartProtectionProxyId].Value == "None" || pair.Value.ContainsKey(SmartProtectionProxySetting))))
                {
                    own.Remove(SmartProtectionProxyId);
                }

                if (own.Count > 1)
                {
                    computers.Add(own);
                }
            }

            entry["Computers"] = computers.ToArray();
            return entry;
        }

        /// <summary>Id first, then each setting the policy or computer sets itself, in the value its state reads.</summary>
        private static OrderedDictionary OwnTable(int id, Dictionary<string, string> own, BaselineTargetState state)
        {
            var table = new OrderedDictionary { ["Id"] = id };
            foreach (var (name, wire, _, kind) in HeartbeatMap)
            {
                var value = state.Actual[name].Value;
                if (own.ContainsKey(wire) && Exportable(kind, value))
                {
                    table[name] = Typed(kind, value);
                }
            }

            if (own.ContainsKey(SmartProtectionProxySetting) || own.ContainsKey(SmartProtectionUseProxySetting))
            {
                table[SmartProtectionProxyId] = Typed(SettingKind.ProxyId, state.Actual[SmartProtectionProxyId].Value);
            }

            return table;
        }

        private static OrderedDictionary RuleTable(FoundHeartbeatRule rule)
        {
            var table = new OrderedDictionary { ["Action"] = rule.Action.ToString(), ["Port"] = rule.Port };
            if (rule.SourceIPAddress.Length > 0)
            {
                table["SourceIPAddress"] = rule.SourceIPAddress;
            }

            if (rule.SourceMacAddress.Length > 0)
            {
                table["SourceMacAddress"] = rule.SourceMacAddress;
            }

            return table;
        }
    }
}
