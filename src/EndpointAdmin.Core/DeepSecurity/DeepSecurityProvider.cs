using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Deep Security Manager through REST v1 (vendor-apis §1): computers by the documented ID-paging
    /// search, settings as {"value": ...} with overrides and DELETE resets, firewall rules with
    /// assignments, and send-policy scheduled tasks.
    /// </summary>
    internal sealed class DeepSecurityProvider : IAgentManagerProvider
    {
        private static readonly HashSet<string> HeartbeatSettingNames = new HashSet<string>
        {
            DeepSecurityWire.IntervalSetting,
            DeepSecurityWire.MissedThresholdSetting,
            DeepSecurityWire.ClockChangeSetting,
            DeepSecurityWire.InactiveVmOfflineSetting,
            DeepSecurityWire.DirectionSetting,
        };

        private static readonly ManagerCapability[] Declared =
        {
            ManagerCapability.ListAgents,
            ManagerCapability.EvaluateHeartbeat,
            ManagerCapability.ReadHeartbeatPolicy,
            ManagerCapability.WriteHeartbeatPolicy,
            ManagerCapability.SetCommunicationDirection,
            ManagerCapability.CreateHeartbeatFirewallRule,
            ManagerCapability.SyncAgent,
            ManagerCapability.SetProxyById,
        };

        private readonly HttpPipeline _http;
        private readonly int _pageSize;

        public DeepSecurityProvider(HttpPipeline http, int pageSize = DeepSecurityWire.PageSize)
        {
            _http = http;
            _pageSize = pageSize;
        }

        /// <summary>The pipeline for a Deep Security manager: the key and version headers go on at send time.</summary>
        public static HttpPipeline CreatePipeline(ConnectionOptions options)
        {
            var key = options.ApiKey;
            return new HttpPipeline(options, request =>
            {
                request.Headers.TryAddWithoutValidation(DeepSecurityWire.VersionHeader, DeepSecurityWire.ApiVersion);
                Redactor.WithPlainText(key, plain => request.Headers.TryAddWithoutValidation(DeepSecurityWire.SecretHeader, plain));
            });
        }

        /// <summary>The API root below the URI the user gave (https://dsm:4119 -> https://dsm:4119/api/).</summary>
        public static Uri ApiBase(Uri managerUri)
        {
            var text = managerUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            if (!text.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
            {
                text += "/api";
            }

            return new Uri(text + "/");
        }

        public ManagerProduct Product => ManagerProduct.DeepSecurity;

        public IReadOnlyCollection<ManagerCapability> Capabilities => Declared;

        public string ConsolePath(ManagerCapability capability) => DeepSecurityWire.ConsolePath(capability);

        public string CheckConnection(CancellationToken cancel)
        {
            // The smallest authenticated read: one policy at most.
            Json(HttpMethod.Post, "policies/search", new JObject { ["maxItems"] = 1 }, true, cancel);
            return null;
        }

        // ---- agents ----

        public IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            foreach (var (_, _, page) in Pages(query, onPage, cancel))
            {
                foreach (var record in page)
                {
                    yield return record.Agent;
                }
            }
        }

        public IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel)
        {
            var policies = run.Policies;
            var now = run.Now;
            foreach (var (criteria, ranges, page) in Pages(query, onPage, cancel))
            {
                var overrides = OwnSettings(criteria, ranges, page, run, cancel);
                run.Judged += page.Count;
                foreach (var record in page)
                {
                    var agent = record.Agent;
                    if (!policies.TryGetValue(agent.PolicyId, out var effective))
                    {
                        effective = EffectivePolicySettings(agent.PolicyId, cancel);
                        policies[agent.PolicyId] = effective;
                    }

                    overrides.TryGetValue(record.Id, out var own);
                    var interval = Setting(own, effective, DeepSecurityWire.IntervalSetting);
                    var threshold = Setting(own, effective, DeepSecurityWire.MissedThresholdSetting);
                    var minutes = run.IntervalOverrideMinutes ?? DeepSecurityWire.ParseMinutes(interval) ?? 10;
                    var limit = DeepSecurityWire.ParseThreshold(threshold);
                    var verdict = HeartbeatEvaluator.Evaluate(agent.LastContact, now, TimeSpan.FromMinutes(minutes), limit);
                    yield return new HeartbeatResult
                    {
                        AgentId = agent.Id,
                        Name = agent.Name,
                        Product = ManagerProduct.DeepSecurity,
                        PolicyId = agent.PolicyId,
                        LastContact = agent.LastContact,
                        IntervalMinutes = (int)Math.Max(1, Math.Round(minutes)),
                        MissedHeartbeatsBeforeAlert = limit,
                        MissedHeartbeats = verdict.Missed,
                        Status = verdict.Status,
                        ClockChangeAlert = agent.StatusMessages.Any(m => m.IndexOf(DeepSecurityWire.ClockChangeMarker, StringComparison.OrdinalIgnoreCase) >= 0),
                        CheckedAt = now,
                    };
                }
            }
        }

        private static string Setting(Dictionary<string, string> own, Dictionary<string, string> effective, string name)
        {
            if (own != null && own.TryGetValue(name, out var value))
            {
                return value;
            }

            effective.TryGetValue(name, out value);
            return value;
        }

        /// <summary>
        /// Pages of computers, each with the criteria and the ID ranges that found it. Each page is a
        /// separate search that starts after the last ID seen, so a retried page repeats nobody.
        /// </summary>
        private IEnumerable<(JArray Criteria, List<(long From, long To)> Ranges, List<ComputerRecord> Page)> Pages(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            var total = 0;
            if (query.Ids != null && query.Ids.Count > 0)
            {
                foreach (var chunk in IdChunks(query.Ids.Select(ParseAgentId).Distinct().ToList()))
                {
                    var ranges = IdRanges(chunk);
                    var page = FindIds(query, chunk, ranges, cancel);
                    total += page.Count;
                    onPage?.Invoke(total);
                    yield return (Criteria(query), ranges, page);
                }

                yield break;
            }

            var seen = new HashSet<int>();
            foreach (var criteria in NameCriteriaSets(query))
            {
                long last = 0;
                for (int guard = 0; guard < int.MaxValue; guard++)
                {
                    var pageCriteria = new JArray(criteria.Select(c => c.DeepClone()));
                    pageCriteria.Add(new JObject { ["idValue"] = last, ["idTest"] = "greater-than" });
                    var raw = Search(pageCriteria, _pageSize, DeepSecurityWire.StatusExpand, false, cancel);
                    var page = new List<ComputerRecord>(raw.Count);
                    foreach (var r in raw)
                    {
                        // Server wildcards are looser than PowerShell's; several -Name patterns may find one computer twice.
                        if (query.Names != null && (!query.Names.Any(n => n.IsMatch(r.Agent.Name ?? string.Empty)) || !seen.Add(r.Id)))
                        {
                            continue;
                        }

                        page.Add(r);
                    }

                    total += page.Count;
                    onPage?.Invoke(total);
                    if (page.Count > 0)
                    {
                        yield return (criteria, new List<(long, long)> { (raw[0].Id, raw[raw.Count - 1].Id) }, page);
                    }

                    if (raw.Count < _pageSize)
                    {
                        break;
                    }

                    var next = raw[raw.Count - 1].Id;
                    if (next <= last)
                    {
                        throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, "computers/search", "The manager returned a page that does not move past ID " + last + "; stopping instead of looping.");
                    }

                    last = next;
                }
            }
        }

        /// <summary>Given IDs a page's worth at a time, in the order given.</summary>
        private IEnumerable<List<int>> IdChunks(List<int> ids)
        {
            for (int i = 0; i < ids.Count; i += _pageSize)
            {
                yield return ids.GetRange(i, Math.Min(_pageSize, ids.Count - i));
            }
        }

        /// <summary>
        /// A search has no "one of these IDs" test, so IDs that lie within a page's span of each other
        /// share one ID range: a range that narrow holds at most a page of computers, so one answer is
        /// all of it. Piped agents come in ID order, so a batch of them is one range.
        /// </summary>
        private List<(long From, long To)> IdRanges(List<int> ids)
        {
            var sorted = ids.OrderBy(i => i).ToList();
            var ranges = new List<(long, long)>();
            for (int i = 0; i < sorted.Count;)
            {
                var j = i;
                while (j + 1 < sorted.Count && sorted[j + 1] - sorted[i] < _pageSize)
                {
                    j++;
                }

                ranges.Add((sorted[i], sorted[j]));
                i = j + 1;
            }

            return ranges;
        }

        /// <summary>The computers of some IDs, in the order given: one search per range, the rest of each range dropped here.</summary>
        private List<ComputerRecord> FindIds(AgentQuery query, List<int> ids, List<(long From, long To)> ranges, CancellationToken cancel)
        {
            var wanted = new HashSet<int>(ids);
            var found = new Dictionary<int, ComputerRecord>();
            foreach (var (from, to) in ranges)
            {
                var criteria = Criteria(query);
                criteria.Add(IdBound(from, "greater-than-or-equal"));
                criteria.Add(IdBound(to, "less-than-or-equal"));
                foreach (var r in Search(criteria, _pageSize, DeepSecurityWire.StatusExpand, false, cancel))
                {
                    if (wanted.Contains(r.Id))
                    {
                        found[r.Id] = r;
                    }
                }
            }

            var page = new List<ComputerRecord>(found.Count);
            foreach (var id in ids)
            {
                if (found.TryGetValue(id, out var r))
                {
                    page.Add(r);
                }
            }

            return page;
        }

        private static JObject IdBound(long id, string test) => new JObject { ["idValue"] = id, ["idTest"] = test };

        private static IEnumerable<JArray> NameCriteriaSets(AgentQuery query)
        {
            if (query.Names == null || query.Names.Count == 0)
            {
                yield return Criteria(query);
                yield break;
            }

            foreach (var name in query.Names)
            {
                var criteria = Criteria(query);
                criteria.Add(new JObject
                {
                    ["fieldName"] = "hostName",
                    ["stringTest"] = "equal",
                    ["stringValue"] = ToServerWildcard(name),
                    ["stringWildcards"] = name.HasWildcards,
                });
                yield return criteria;
            }
        }

        /// <summary>PowerShell wildcards to the manager's: * is %, ? is _; a character class matches one character there and is checked here.</summary>
        public static string ToServerWildcard(NamePattern name)
        {
            if (!name.HasWildcards)
            {
                return name.Text;
            }

            var sb = new StringBuilder();
            var text = name.Text;
            for (int i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '*')
                {
                    sb.Append('%');
                }
                else if (c == '?')
                {
                    sb.Append('_');
                }
                else if (c == '[')
                {
                    var close = text.IndexOf(']', i + 1);
                    sb.Append('_');
                    i = close < 0 ? text.Length : close;
                }
                else if (c == '`' && i + 1 < text.Length)
                {
                    sb.Append(text[++i]);
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        private static JArray Criteria(AgentQuery query)
        {
            var criteria = new JArray();
            if (query.PolicyId.HasValue)
            {
                criteria.Add(new JObject { ["fieldName"] = "policyID", ["numericTest"] = "equal", ["numericValue"] = query.PolicyId.Value });
            }

            return criteria;
        }

        private List<ComputerRecord> Search(JArray criteria, int maxItems, string expand, bool overrides, CancellationToken cancel, ISet<string> settings = null)
        {
            var body = new JObject { ["maxItems"] = maxItems, ["sortByObjectID"] = true, ["searchCriteria"] = criteria }.ToString(Newtonsoft.Json.Formatting.None);
            var path = DeepSecurityWire.ComputerSearchPath + (overrides ? DeepSecurityWire.OwnSettingsSearchQuery : "?expand=" + expand);
            return _http.Send(HttpMethod.Post, path, body, true, s => ComputerPageReader.Read(s, settings), cancel);
        }

        /// <summary>
        /// The heartbeat settings set on the computers of one page themselves, by computer ID. Once a
        /// run has a page's worth of computers to judge, every computer's own settings are listed in
        /// one request for the rest of the run; below that, one search per ID range of the page with
        /// the page's own criteria (one answer each, as it finds no more computers than the page has).
        /// </summary>
        private Dictionary<int, Dictionary<string, string>> OwnSettings(JArray criteria, List<(long From, long To)> ranges, List<ComputerRecord> page, HeartbeatRun run, CancellationToken cancel)
        {
            if (page.Count == 0)
            {
                return new Dictionary<int, Dictionary<string, string>>();
            }

            if (run.AgentSettings == null && run.Judged + page.Count >= _pageSize)
            {
                run.AgentSettings = _http.Send(HttpMethod.Get, DeepSecurityWire.OwnSettingsListPath, null, true, s => ComputerPageReader.ReadOwnSettings(s, HeartbeatSettingNames), cancel);
            }

            if (run.AgentSettings != null)
            {
                return run.AgentSettings;
            }

            var result = new Dictionary<int, Dictionary<string, string>>();
            foreach (var (from, to) in ranges)
            {
                Overrides(criteria, from, to, result, cancel);
            }

            return result;
        }

        private void Overrides(JArray pageCriteria, long first, long last, Dictionary<int, Dictionary<string, string>> result, CancellationToken cancel)
        {
            var criteria = new JArray(pageCriteria.Select(c => c.DeepClone())) { IdBound(first, "greater-than-or-equal"), IdBound(last, "less-than-or-equal") };
            long after = first - 1;
            for (int guard = 0; guard < 1000; guard++)
            {
                var raw = Search(new JArray(criteria.Select(c => c.DeepClone())) { IdBound(after, "greater-than") }, _pageSize, null, true, cancel, HeartbeatSettingNames);
                foreach (var r in raw)
                {
                    if (r.Settings != null && r.Settings.Count > 0)
                    {
                        result[r.Id] = r.Settings;
                    }
                }

                if (raw.Count < _pageSize || raw[raw.Count - 1].Id >= last)
                {
                    break;
                }

                after = raw[raw.Count - 1].Id;
            }
        }

        private Dictionary<string, string> EffectivePolicySettings(int policyId, CancellationToken cancel)
        {
            var json = policyId > 0 ? Json(HttpMethod.Get, "policies/" + policyId, null, true, cancel)?["policySettings"] : Json(HttpMethod.Get, "policies/default", null, true, cancel);
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

        // ---- heartbeat policy ----

        public PolicyTarget ResolveTarget(PolicyTarget target, CancellationToken cancel)
        {
            switch (target.Scope)
            {
                case HeartbeatPolicyScope.BasePolicy:
                    return target;
                case HeartbeatPolicyScope.Agent:
                    GetComputer(target.Id.Value, cancel);
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
            var body = new JObject
            {
                ["maxItems"] = 2,
                ["searchCriteria"] = new JArray { new JObject { ["fieldName"] = "name", ["stringTest"] = "equal", ["stringValue"] = name, ["stringWildcards"] = false } },
            };
            var found = (Json(HttpMethod.Post, "policies/search", body, true, cancel)?["policies"] as JArray) ?? new JArray();
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
                return (JObject)Json(HttpMethod.Get, "policies/" + id + (overrides ? "?overrides=true" : string.Empty), null, true, cancel);
            }
            catch (EndpointAdminException ex) when (ex.ErrorId == ErrorIds.ManagerObjectNotFound)
            {
                throw new EndpointAdminException(ErrorIds.PolicyNotFound, ErrorKind.ObjectNotFound, id, "The manager has no policy with ID " + id + ".", ex);
            }
        }

        private ComputerRecord GetComputer(int id, CancellationToken cancel, bool settings = false, bool overrides = false)
        {
            try
            {
                var path = "computers/" + id + "?expand=computerStatus" + (settings ? "&expand=computerSettings" : string.Empty) + (overrides ? "&overrides=true" : string.Empty);
                return _http.Send(HttpMethod.Get, path, null, true, s => ComputerPageReader.ReadOne(s, settings ? HeartbeatSettingNames : null), cancel);
            }
            catch (EndpointAdminException ex) when (ex.ErrorId == ErrorIds.ManagerObjectNotFound)
            {
                throw new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no computer with ID " + id + ".", ex);
            }
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
                var computer = GetComputer(target.Id.Value, cancel);
                var own = GetComputer(target.Id.Value, cancel, settings: true, overrides: true);
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

            levels.Add(("Base policy", Settings(Json(HttpMethod.Get, "policies/default", null, true, cancel) as JObject)));

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

            var interval = Effective(DeepSecurityWire.IntervalSetting, out var s1);
            result.IntervalMinutes = (int)Math.Round(DeepSecurityWire.ParseMinutes(interval) ?? 0);
            result.IntervalSource = s1;
            var missed = DeepSecurityWire.ParseThreshold(Effective(DeepSecurityWire.MissedThresholdSetting, out var s2));
            result.MissedHeartbeatsBeforeAlert = missed.HasValue ? missed.Value.ToString(CultureInfo.InvariantCulture) : HeartbeatSettings.Unlimited;
            result.MissedHeartbeatsBeforeAlertSource = s2;
            var clock = Effective(DeepSecurityWire.ClockChangeSetting, out var s3);
            var clockMinutes = DeepSecurityWire.ParseMinutes(clock);
            result.MaximumClockChange = clockMinutes.HasValue ? clockMinutes.Value.ToString("0.##", CultureInfo.InvariantCulture) : HeartbeatSettings.Unlimited;
            result.MaximumClockChangeSource = s3;
            result.RaiseOfflineErrorsForInactiveVMs = string.Equals(Effective(DeepSecurityWire.InactiveVmOfflineSetting, out var s4), "true", StringComparison.OrdinalIgnoreCase);
            result.RaiseOfflineErrorsForInactiveVMsSource = s4;
            result.CommunicationDirection = DeepSecurityWire.ParseDirection(Effective(DeepSecurityWire.DirectionSetting, out var s5));
            result.CommunicationDirectionSource = s5;
            return result;
        }

        public void CheckChange(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel)
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
                var agent = GetComputer(resolved.Id.Value, cancel).Agent;
                appliance = agent.IsVirtualAppliance ? agent : null;
            }
            else if (resolved.Scope == HeartbeatPolicyScope.BasePolicy)
            {
                appliance = GetAgents(new AgentQuery(), null, cancel).FirstOrDefault(a => a.IsVirtualAppliance);
            }
            else
            {
                // Sub-policies inherit the setting, so their computers are affected too.
                foreach (var policyId in WithDescendants(resolved.Id.Value, cancel))
                {
                    appliance = GetAgents(new AgentQuery { PolicyId = policyId }, null, cancel).FirstOrDefault(a => a.IsVirtualAppliance);
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
            var all = (Json(HttpMethod.Get, "policies", null, true, cancel)?["policies"] as JArray) ?? new JArray();
            var parents = all.ToDictionary(p => (int)p["ID"], p => p["parentID"] == null || p["parentID"].Type == JTokenType.Null ? 0 : (int)p["parentID"]);
            var result = new List<int> { policyId };
            for (int i = 0; i < result.Count && i < 10000; i++)
            {
                result.AddRange(parents.Where(p => p.Value == result[i] && !result.Contains(p.Key)).Select(p => p.Key));
            }

            return result;
        }

        public HeartbeatPolicy SetHeartbeatPolicy(PolicyTarget resolved, HeartbeatChange change, CancellationToken cancel)
        {
            var root = SettingsRoot(resolved);
            void Write(string name, string value) => Json(HttpMethod.Post, root + name, new JObject { ["value"] = value }, false, cancel);
            void Reset(string name) => Json(HttpMethod.Delete, root + name, null, false, cancel);

            if (change.IntervalMinutes.HasValue)
            {
                Write(DeepSecurityWire.IntervalSetting, DeepSecurityWire.Minutes(change.IntervalMinutes.Value));
            }

            if (change.MissedHeartbeatsBeforeAlert.HasValue)
            {
                Write(DeepSecurityWire.MissedThresholdSetting, change.MissedHeartbeatsBeforeAlert.Value == 0 ? DeepSecurityWire.Unlimited : change.MissedHeartbeatsBeforeAlert.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (change.MaximumClockChangeMinutes.HasValue)
            {
                Write(DeepSecurityWire.ClockChangeSetting, change.MaximumClockChangeMinutes.Value == 0 ? DeepSecurityWire.Unlimited : DeepSecurityWire.Minutes(change.MaximumClockChangeMinutes.Value));
            }

            if (change.RaiseOfflineErrorsForInactiveVMs.HasValue)
            {
                Write(DeepSecurityWire.InactiveVmOfflineSetting, change.RaiseOfflineErrorsForInactiveVMs.Value ? "true" : "false");
            }

            if (change.Direction.HasValue)
            {
                if (change.Direction.Value == CommunicationDirection.Inherited)
                {
                    Reset(DeepSecurityWire.DirectionSetting);
                }
                else
                {
                    Write(DeepSecurityWire.DirectionSetting, DeepSecurityWire.DirectionValue(change.Direction.Value));
                }
            }

            foreach (var setting in change.Inherit)
            {
                Reset(DeepSecurityWire.SettingName(setting));
            }

            return GetHeartbeatPolicy(resolved, cancel);
        }

        private static string SettingsRoot(PolicyTarget resolved)
        {
            switch (resolved.Scope)
            {
                case HeartbeatPolicyScope.BasePolicy: return "policies/default/settings/";
                case HeartbeatPolicyScope.Agent: return "computers/" + resolved.Id + "/settings/";
                default: return "policies/" + resolved.Id + "/settings/";
            }
        }

        // ---- firewall rule ----

        public HeartbeatFirewallRule NewHeartbeatFirewallRule(HeartbeatRuleRequest request, CancellationToken cancel)
        {
            var policy = ResolveTarget(request.Policy, cancel);
            var ips = request.SourceIPAddress ?? new string[0];
            var macs = request.SourceMacAddress ?? new string[0];
            var rule = new JObject
            {
                ["name"] = request.Name,
                ["description"] = "Restricts the agent heartbeat port " + request.Port + " (priority 4 rule that replaces the manager's hidden rule). Created by EndpointAdmin.",
                ["action"] = DeepSecurityWire.RuleAction(request.Action),
                ["priority"] = "4",
                ["direction"] = "incoming",
                ["frameType"] = "ip",
                ["protocol"] = "tcp",
                ["sourcePortType"] = "any",
                ["destinationIPType"] = "any",
                ["destinationMACType"] = "any",
                ["destinationPortType"] = "multiple",
                ["destinationPortMultiple"] = new JArray(request.Port.ToString(CultureInfo.InvariantCulture)),
            };
            AddSource(rule, "IP", ips);
            AddSource(rule, "MAC", macs);
            var created = Json(HttpMethod.Post, "firewallrules", rule, false, cancel);
            var id = (int)created["ID"];
            try
            {
                Json(HttpMethod.Post, "policies/" + policy.Id + "/firewall/assignments", new JObject { ["ruleIDs"] = new JArray(id) }, false, cancel);
            }
            catch (EndpointAdminException ex)
            {
                throw new EndpointAdminException(ex.ErrorId, ex.Kind, id, "Firewall rule " + id + " was created but not assigned to policy " + policy.Id + ": " + ex.Message, ex)
                {
                    RecommendedAction = "Assign rule " + id + " in the Policy editor > Firewall, or delete it and try again.",
                    ServerMessage = ex.ServerMessage,
                    StatusCode = ex.StatusCode,
                };
            }

            return new HeartbeatFirewallRule
            {
                RuleId = id,
                Name = request.Name,
                PolicyId = policy.Id.Value,
                Action = request.Action,
                Priority = 4,
                Port = request.Port,
                SourceIPAddress = ips,
                SourceMacAddress = macs,
            };
        }

        private static void AddSource(JObject rule, string kind, string[] values)
        {
            if (values.Length == 0)
            {
                rule["source" + kind + "Type"] = "any";
            }
            else if (values.Length == 1)
            {
                rule["source" + kind + "Type"] = "single";
                rule["source" + kind + "Value"] = values[0];
            }
            else
            {
                rule["source" + kind + "Type"] = "multiple";
                rule["source" + kind + "Multiple"] = new JArray(values);
            }
        }

        // ---- sync ----

        /// <summary>Deep Security computer IDs are positive integers; anything else is refused before a request is sent.</summary>
        public void CheckAgentId(string id) => ParseAgentId(id);

        internal static int ParseAgentId(string id)
        {
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new EndpointAdminException(ErrorIds.AgentIdInvalid, ErrorKind.InvalidArgument, id, "'" + id + "' is not a Deep Security computer ID (a positive integer).");
            }

            return value;
        }

        public int SyncBatchSize => 1;

        /// <summary>One send-policy task per computer: REST v1 takes one computer per task.</summary>
        public IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel)
        {
            var outcomes = new List<SyncOutcome>();
            foreach (var id in agentIds.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                try
                {
                    outcomes.Add(new SyncOutcome(id, RequestSync(id, cancel)));
                }
                catch (EndpointAdminException ex)
                {
                    outcomes.Add(new SyncOutcome(id, null, ex));
                }
            }

            return outcomes;
        }

        public IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel)
        {
            foreach (var one in requested)
            {
                SyncOutcome outcome;
                try
                {
                    outcome = new SyncOutcome(one.AgentId, WaitForSync(one, deadlineUtc, cancel));
                }
                catch (EndpointAdminException ex)
                {
                    outcome = new SyncOutcome(one.AgentId, null, ex);
                }

                yield return outcome;
            }
        }

        public ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel) => throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetContinuousConnection, null);

        public Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel) => throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetContinuousConnection, null);

        private SyncResult RequestSync(string agent, CancellationToken cancel)
        {
            var agentId = ParseAgentId(agent);
            var computer = GetComputer(agentId, cancel).Agent;
            var requestedAt = DateTime.UtcNow;
            var task = new JObject
            {
                ["name"] = "EndpointAdmin send policy " + agentId,
                ["type"] = "send-policy",
                ["runNow"] = true,
                ["enabled"] = true,
                ["scheduleDetails"] = new JObject { ["recurrenceType"] = "none", ["onceOnlyScheduleParameters"] = new JObject { ["startTime"] = 0 } },
                ["sendPolicyTaskParameters"] = new JObject { ["computerFilter"] = new JObject { ["type"] = "computer", ["computerID"] = agentId } },
            };
            var created = Json(HttpMethod.Post, "scheduledtasks", task, false, cancel);
            var taskId = (int)created["ID"];
            if (DeepSecurityWire.DeleteSyncTaskAfterRun)
            {
                try
                {
                    Json(HttpMethod.Delete, "scheduledtasks/" + taskId, null, false, cancel);
                }
                catch (EndpointAdminException)
                {
                    // The send was requested; a leftover one-off task is harmless and visible in the console.
                }
            }

            return new SyncResult
            {
                AgentId = computer.Id,
                Name = computer.Name,
                Product = ManagerProduct.DeepSecurity,
                Status = SyncStatus.Requested,
                RequestedAt = requestedAt,
                LastPolicySent = computer.LastPolicySent,
                TaskId = taskId,
            };
        }

        private SyncResult WaitForSync(SyncResult requested, DateTime deadlineUtc, CancellationToken cancel)
        {
            var before = requested.LastPolicySent;
            var delay = TimeSpan.FromMilliseconds(250);
            while (true)
            {
                var agent = GetComputer(ParseAgentId(requested.AgentId), cancel).Agent;
                if (agent.LastPolicySent.HasValue && (!before.HasValue || agent.LastPolicySent.Value > before.Value))
                {
                    requested.LastPolicySent = agent.LastPolicySent;
                    requested.Status = SyncStatus.Succeeded;
                    return requested;
                }

                var left = deadlineUtc - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    requested.Status = SyncStatus.TimedOut;
                    return requested;
                }

                cancel.WaitHandle.WaitOne(left < delay ? left : delay);
                cancel.ThrowIfCancellationRequested();
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }

        // ---- proxy ----

        public void SetProxy(ProxyPurpose purpose, PolicyTarget target, int? proxyId, CancellationToken cancel)
        {
            if (proxyId == null)
            {
                throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetProxyByAddress, "Deep Security REST v1 refers to proxies only by ID and cannot create or describe one");
            }

            CheckProxyScope(purpose, target);
            var names = DeepSecurityWire.ProxySettings[purpose];
            var systemWide = DeepSecurityWire.IsSystemWide(purpose);
            var resolved = ResolveTarget(target, cancel);
            var value = proxyId.Value.ToString(CultureInfo.InvariantCulture);
            if (systemWide)
            {
                Json(HttpMethod.Post, "systemsettings/" + names[0], new JObject { ["value"] = value }, false, cancel);
                return;
            }

            var root = SettingsRoot(resolved);
            Json(HttpMethod.Post, root + names[0], new JObject { ["value"] = value }, false, cancel);
            Json(HttpMethod.Post, root + names[1], new JObject { ["value"] = "true" }, false, cancel);
        }

        public void CheckProxyScope(ProxyPurpose purpose, PolicyTarget target)
        {
            var systemWide = DeepSecurityWire.IsSystemWide(purpose);
            if (systemWide != (target.Scope == HeartbeatPolicyScope.BasePolicy))
            {
                throw new EndpointAdminException(ErrorIds.ProxyPurposeScopeInvalid, ErrorKind.InvalidArgument, purpose.ToString(), systemWide
                    ? purpose + " is a manager-wide setting; give no -PolicyId, -PolicyName or -AgentId."
                    : purpose + " is set on a policy or an agent; give -PolicyId, -PolicyName or -AgentId.");
            }
        }

        private JToken Json(HttpMethod method, string path, JObject body, bool safe, CancellationToken cancel)
        {
            return _http.SendJson(method, path, body?.ToString(Newtonsoft.Json.Formatting.None), safe, cancel);
        }

        // The Apex One agent settings have no Deep Security counterpart: the capability check refuses them first.
        public void SetServerCommunication(SettingsChange change, CancellationToken cancel) => throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetServerCommunication, null);

        public void SetAgentServerProxy(SettingsChange change, CancellationToken cancel) => throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetAgentServerProxy, null);

        public void SetFirewallSettings(SettingsChange change, CancellationToken cancel) => throw ManagerCapabilities.NotSupported(this, ManagerCapability.SetFirewallSettings, null);

        public void Dispose()
        {
            _http?.Dispose();
        }
    }
}
