using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Settings on the base policy, a policy or a computer: targets resolved by ID or name, the
    /// heartbeat settings read through the inheritance chain and written as {"value": ...} or reset
    /// with DELETE, the virtual-appliance check before a direction change, and the proxy settings.
    /// </summary>
    internal sealed class PolicySettings
    {
        private readonly HttpPipeline _http;
        private readonly ComputerSearch _computers;

        public PolicySettings(HttpPipeline http, ComputerSearch computers)
        {
            _http = http;
            _computers = computers;
        }

        public PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel)
        {
            switch (target.Scope)
            {
                case HeartbeatPolicyScope.BasePolicy:
                    return target;
                case HeartbeatPolicyScope.Agent:
                    _computers.GetComputer(target.Id.Value, cancel);
                    return target;
                default:
                    if (target.Id.HasValue)
                    {
                        GetPolicy(target.Id.Value, cancel);
                        return target;
                    }

                    return new PolicyTarget { Scope = HeartbeatPolicyScope.Policy, Id = FindPolicyId(target.PolicyName, cancel), PolicyName = target.PolicyName };
            }
        }

        private int FindPolicyId(string name, CancellationToken cancel)
        {
            var body = Criteria.PolicySearch(2, new JArray { Criteria.Name(name) });
            var found = (_http.Json(HttpMethod.Post, Paths.PolicySearch, body, true, cancel)?["policies"] as JArray) ?? new JArray();
            if (found.Count == 0)
            {
                throw new EndpointAdminException(ErrorIds.PolicyNotFound, ErrorKind.ObjectNotFound, name, "The manager has no policy named '" + name + "'.");
            }

            if (found.Count > 1)
            {
                throw new EndpointAdminException(ErrorIds.PolicyNameAmbiguous, ErrorKind.InvalidArgument, name, "More than one policy is named '" + name + "'; use -PolicyId.");
            }

            return (int)found[0]["ID"];
        }

        private JObject GetPolicy(int id, CancellationToken cancel, bool overrides = false)
        {
            try
            {
                return (JObject)_http.Json(HttpMethod.Get, Paths.Policy(id, overrides), null, true, cancel);
            }
            catch (EndpointAdminException ex) when (ex.ErrorId == ErrorIds.ManagerObjectNotFound)
            {
                throw new EndpointAdminException(ErrorIds.PolicyNotFound, ErrorKind.ObjectNotFound, id, "The manager has no policy with ID " + id + ".", ex);
            }
        }

        /// <summary>The heartbeat settings in effect for a policy's computers (0: the base policy).</summary>
        public Dictionary<string, string> EffectivePolicySettings(int policyId, CancellationToken cancel)
        {
            var json = policyId > 0 ? _http.Json(HttpMethod.Get, Paths.Policy(policyId), null, true, cancel)?["policySettings"] : _http.Json(HttpMethod.Get, Paths.BasePolicy, null, true, cancel);
            return Settings(json as JObject);
        }

        private static Dictionary<string, string> Settings(JObject settings)
        {
            var result = new Dictionary<string, string>();
            if (settings == null)
            {
                return result;
            }

            foreach (var name in HeartbeatSettingNames)
            {
                var value = settings[name]?["value"];
                if (value != null && value.Type != JTokenType.Null)
                {
                    result[name] = (string)value;
                }
            }

            return result;
        }

        public HeartbeatPolicy GetHeartbeatPolicy(PolicyTarget target, CancellationToken cancel)
        {
            target = ResolveTarget(target, cancel);

            // Levels from the target up to the base policy: each says which settings it sets itself.
            var levels = new List<(string Label, Dictionary<string, string> Own)>();
            var result = new HeartbeatPolicy { Scope = target.Scope, TargetId = target.Id ?? 0 };
            int? policyId = null;
            if (target.Scope == HeartbeatPolicyScope.Agent)
            {
                var computer = _computers.GetComputer(target.Id.Value, cancel);
                var own = _computers.GetComputer(target.Id.Value, cancel, settings: true, overrides: true);
                result.TargetName = computer.Agent.Name;
                levels.Add(("Agent " + computer.Agent.Id + " '" + computer.Agent.Name + "'", own.Settings ?? new Dictionary<string, string>()));
                policyId = computer.Agent.PolicyId > 0 ? computer.Agent.PolicyId : (int?)null;
            }
            else if (target.Scope == HeartbeatPolicyScope.Policy)
            {
                policyId = target.Id;
            }
            else
            {
                result.TargetName = "Base policy";
            }

            for (int depth = 0; policyId.HasValue && depth < 64; depth++)
            {
                var policy = GetPolicy(policyId.Value, cancel);
                var own = GetPolicy(policyId.Value, cancel, overrides: true);
                var name = (string)policy["name"];
                if (target.Scope == HeartbeatPolicyScope.Policy && depth == 0)
                {
                    result.TargetName = name;
                }

                levels.Add(("Policy " + policyId.Value + " '" + name + "'", Settings(own["policySettings"] as JObject)));
                var parent = policy["parentID"];
                policyId = parent == null || parent.Type == JTokenType.Null || (int)parent == 0 ? (int?)null : (int)parent;
            }

            levels.Add(("Base policy", Settings(_http.Json(HttpMethod.Get, Paths.BasePolicy, null, true, cancel) as JObject)));

            string Effective(string setting, out string source)
            {
                foreach (var level in levels)
                {
                    if (level.Own.TryGetValue(setting, out var value))
                    {
                        source = level.Label;
                        return value;
                    }
                }

                source = "Base policy";
                return null;
            }

            var interval = Effective(IntervalSetting, out var s1);
            result.IntervalMinutes = (int)Math.Round(ParseMinutes(interval) ?? 0);
            result.IntervalSource = s1;
            var missed = ParseThreshold(Effective(MissedThresholdSetting, out var s2));
            result.MissedHeartbeatsBeforeAlert = missed.HasValue ? missed.Value.ToString(CultureInfo.InvariantCulture) : HeartbeatSettings.Unlimited;
            result.MissedHeartbeatsBeforeAlertSource = s2;
            var clock = Effective(ClockChangeSetting, out var s3);
            var clockMinutes = ParseMinutes(clock);
            result.MaximumClockChange = clockMinutes.HasValue ? clockMinutes.Value.ToString("0.##", CultureInfo.InvariantCulture) : HeartbeatSettings.Unlimited;
            result.MaximumClockChangeSource = s3;
            result.RaiseOfflineErrorsForInactiveVMs = string.Equals(Effective(InactiveVmOfflineSetting, out var s4), "true", StringComparison.OrdinalIgnoreCase);
            result.RaiseOfflineErrorsForInactiveVMsSource = s4;
            result.CommunicationDirection = ParseDirection(Effective(DirectionSetting, out var s5));
            result.CommunicationDirectionSource = s5;
            return result;
        }

        /// <summary>Refuses what the target cannot take; known: the computer of an agent target when the caller has read it already (no request then).</summary>
        public void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel, Agent known = null)
        {
            if (resolved.Scope == HeartbeatPolicyScope.BasePolicy && (change.Inherit.Count > 0 || change.Direction == CommunicationDirection.Inherited))
            {
                var what = change.Inherit.Count > 0 ? string.Join(", ", change.Inherit) : "CommunicationDirection";
                throw new EndpointAdminException(ErrorIds.BasePolicyCannotInherit, ErrorKind.InvalidArgument, what, "The base policy has no parent to inherit " + what + " from.");
            }

            if (change.Direction != CommunicationDirection.ManagerInitiated && change.Direction != CommunicationDirection.AgentInitiated)
            {
                return;
            }

            // The document: a virtual appliance only works bidirectionally; other modes disrupt it.
            Agent appliance = null;
            if (resolved.Scope == HeartbeatPolicyScope.Agent)
            {
                var agent = known ?? _computers.GetComputer(resolved.Id.Value, cancel).Agent;
                appliance = agent.IsVirtualAppliance ? agent : null;
            }
            else if (resolved.Scope == HeartbeatPolicyScope.BasePolicy)
            {
                appliance = _computers.GetAgents(new AgentQuery(), null, cancel).FirstOrDefault(a => a.IsVirtualAppliance);
            }
            else
            {
                // Sub-policies inherit the setting, so their computers are affected too.
                foreach (var policyId in WithDescendants(resolved.Id.Value, cancel))
                {
                    appliance = _computers.GetAgents(new AgentQuery { PolicyId = policyId }, null, cancel).FirstOrDefault(a => a.IsVirtualAppliance);
                    if (appliance != null)
                    {
                        break;
                    }
                }
            }

            if (appliance != null)
            {
                throw new EndpointAdminException(
                    ErrorIds.DirectionBreaksVirtualAppliance,
                    ErrorKind.InvalidOperation,
                    change.Direction.ToString(),
                    "Refusing " + change.Direction + " for " + resolved + ": " + appliance.Name + " (" + appliance.Id + ") is protected by a Deep Security Virtual Appliance, which only works Bidirectional; any other mode disrupts it.")
                {
                    RecommendedAction = "Keep Bidirectional for computers behind a virtual appliance, or move them to a policy of their own first.",
                };
            }
        }

        private List<int> WithDescendants(int policyId, CancellationToken cancel)
        {
            var all = (_http.Json(HttpMethod.Get, Paths.Policies, null, true, cancel)?["policies"] as JArray) ?? new JArray();
            var parents = all.ToDictionary(p => (int)p["ID"], p => p["parentID"] == null || p["parentID"].Type == JTokenType.Null ? 0 : (int)p["parentID"]);
            var result = new List<int> { policyId };
            for (int i = 0; i < result.Count && i < 10000; i++)
            {
                result.AddRange(parents.Where(p => p.Value == result[i] && !result.Contains(p.Key)).Select(p => p.Key));
            }

            return result;
        }

        /// <summary>Writes the change; reread false: the caller needs no HeartbeatPolicy back (a baseline), so null is returned and nothing is read.</summary>
        public HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel, bool reread = true)
        {
            var root = Paths.SettingsRoot(resolved);
            void Write(string name, string value) => _http.Json(HttpMethod.Post, root + name, new JObject { ["value"] = value }, false, cancel);
            void Reset(string name) => _http.Json(HttpMethod.Delete, root + name, null, false, cancel);

            if (change.IntervalMinutes.HasValue)
            {
                Write(IntervalSetting, Minutes(change.IntervalMinutes.Value));
            }

            if (change.MissedHeartbeatsBeforeAlert.HasValue)
            {
                Write(MissedThresholdSetting, change.MissedHeartbeatsBeforeAlert.Value == 0 ? Unlimited : change.MissedHeartbeatsBeforeAlert.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (change.MaximumClockChangeMinutes.HasValue)
            {
                Write(ClockChangeSetting, change.MaximumClockChangeMinutes.Value == 0 ? Unlimited : Minutes(change.MaximumClockChangeMinutes.Value));
            }

            if (change.RaiseOfflineErrorsForInactiveVMs.HasValue)
            {
                Write(InactiveVmOfflineSetting, change.RaiseOfflineErrorsForInactiveVMs.Value ? "true" : "false");
            }

            if (change.Direction.HasValue)
            {
                if (change.Direction.Value == CommunicationDirection.Inherited)
                {
                    Reset(DirectionSetting);
                }
                else
                {
                    Write(DirectionSetting, DirectionValue(change.Direction.Value));
                }
            }

            foreach (var setting in change.Inherit)
            {
                Reset(SettingName(setting));
            }

            return reread ? GetHeartbeatPolicy(resolved, cancel) : null;
        }

        /// <summary>Points a proxy setting at proxy <paramref name="proxyId"/>: manager-wide, or on the target with the switch that turns it on.</summary>
        public void SetProxy(ProxyPurpose purpose, PolicyTarget target, int proxyId, CancellationToken cancel)
        {
            CheckProxyScope(purpose, target);
            var names = ProxySettings[purpose];
            var systemWide = IsSystemWide(purpose);
            var resolved = systemWide ? target : ResolveTarget(target, cancel);
            WriteProxy(purpose, resolved, proxyId, cancel);
        }

        /// <summary>
        /// Writes a proxy setting on a resolved target: proxy <paramref name="proxyId"/>, or none
        /// (null: the manager-wide ID emptied, or the target's switch turned off, its ID left as it is).
        /// </summary>
        public void WriteProxy(ProxyPurpose purpose, PolicyTarget resolved, int? proxyId, CancellationToken cancel)
        {
            var names = ProxySettings[purpose];
            var value = proxyId.HasValue ? proxyId.Value.ToString(CultureInfo.InvariantCulture) : NoProxyValue;
            if (IsSystemWide(purpose))
            {
                _http.Json(HttpMethod.Post, Paths.SystemSetting(names[0]), new JObject { ["value"] = value }, false, cancel);
                return;
            }

            var root = Paths.SettingsRoot(resolved);
            if (proxyId.HasValue)
            {
                _http.Json(HttpMethod.Post, root + names[0], new JObject { ["value"] = value }, false, cancel);
            }

            _http.Json(HttpMethod.Post, root + names[1], new JObject { ["value"] = proxyId.HasValue ? "true" : "false" }, false, cancel);
        }

        public void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target)
        {
            var systemWide = IsSystemWide(purpose);
            if (systemWide != (target.Scope == HeartbeatPolicyScope.BasePolicy))
            {
                throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, purpose.ToString(), systemWide
                    ? purpose + " is a manager-wide setting; give no -PolicyId, -PolicyName or -AgentId."
                    : purpose + " is set on a policy or an agent; give -PolicyId, -PolicyName or -AgentId.");
            }
        }
    }
}
