using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace EndpointAdmin.Simulators
{
    /// <summary>
    /// A Deep Security Manager REST v1 on https://127.0.0.1:&lt;random port&gt;/api, after
    /// docs/design/vendor-apis.md §1: api-secret-key and api-version headers (401/403 bodies), ID-paged searches,
    /// settings as {"value": ...} with overrides and DELETE resets, effective values computer ->
    /// policy -> parent -> defaults, firewall rules and assignments, send-policy scheduled tasks,
    /// a per-key rate limit (429). Every request is recorded; faults are injected per test.
    /// </summary>
    public sealed class DeepSecuritySimulator : IDisposable
    {
        private static readonly string[] KnownSettings =
        {
            "platformSettingHeartbeatInterval",
            "platformSettingHeartbeatMissedAlertThreshold",
            "platformSettingHeartbeatLocalTimeShiftAlertThreshold",
            "platformSettingHeartbeatInactiveVmOfflineAlertEnabled",
            "platformSettingAgentCommunicationsDirection",
            "platformSettingSmartProtectionGlobalServerProxyId",
            "platformSettingSmartProtectionGlobalServerUseProxyEnabled",
        };

        private static readonly string[] KnownSystemSettings = { "platformSettingProxyAgentUpdateProxyId", "platformSettingProxyManagerUpdateProxyId" };
        private static readonly int[] Intervals = { 1, 2, 3, 4, 5, 10, 15, 20, 30, 60 };

        private readonly LoopbackHttpsServer _server;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();
        private readonly Dictionary<int, JsonObject> _rules = new Dictionary<int, JsonObject>();
        private readonly Dictionary<int, JsonObject> _tasks = new Dictionary<int, JsonObject>();
        private readonly ConcurrentDictionary<string, Queue<long>> _usage = new ConcurrentDictionary<string, Queue<long>>();
        private int _nextRuleId = 100;
        private int _nextTaskId = 1;
        private long _requestCount;

        private DeepSecuritySimulator(int computers, int seed, int policies)
        {
            Fleet = new DeepSecurityFleet(computers, seed, policies: policies);
            _server = new LoopbackHttpsServer(Handle);
        }

        /// <summary>Starts a simulator with a seeded fleet of <paramref name="computers"/> computers.</summary>
        public static DeepSecuritySimulator Start(int computers = 200, int seed = 42, int policies = 5)
        {
            var simulator = new DeepSecuritySimulator(computers, seed, policies);
            simulator._server.Start();
            return simulator;
        }

        /// <summary>The manager address as a user types it (no /api).</summary>
        public string Uri => _server.Uri;

        public X509Certificate2 Certificate => _server.Certificate;

        public string Thumbprint => Certificate.Thumbprint;

        /// <summary>The full-access key. Random per simulator, so a leak test can look for it anywhere.</summary>
        public string ApiKey { get; } = "2:" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "Zq";

        /// <summary>A key whose role may read but not change anything (403 on writes).</summary>
        public string ReadOnlyApiKey { get; } = "3:" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "Rq";

        public DeepSecurityFleet Fleet { get; }

        public FaultPlan Faults { get; } = new FaultPlan();

        /// <summary>Requests per key per 60 s before 429 (the manager's default is 500); 0 turns the limiter off.</summary>
        public int RateLimitPerMinute { get; set; }

        /// <summary>Retry-After sent with a rate-limit 429; null sends none.</summary>
        public int? RateLimitRetryAfterSeconds { get; set; } = 1;

        /// <summary>How long a contacted agent takes to report a successful policy send.</summary>
        public TimeSpan SyncDelay { get; set; } = TimeSpan.FromMilliseconds(300);

        /// <summary>Record requests (off for benchmarks, which send hundreds of thousands).</summary>
        public bool RecordRequests { get; set; } = true;

        public long RequestCount => Interlocked.Read(ref _requestCount);

        public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

        public IReadOnlyList<RecordedRequest> Writes => _requests.Where(r => r.IsWrite).ToArray();

        public void ClearRequests() => _requests.Clear();

        public JsonObject FirewallRule(int id)
        {
            lock (Fleet.Gate)
            {
                return _rules.TryGetValue(id, out var rule) ? (JsonObject)rule.DeepClone() : null;
            }
        }

        public int TaskCount
        {
            get
            {
                lock (Fleet.Gate)
                {
                    return _tasks.Count;
                }
            }
        }

        public void Dispose()
        {
            _server.Dispose();
        }

        private async Task Handle(HttpContext context)
        {
            Interlocked.Increment(ref _requestCount);
            var request = context.Request;
            var path = request.Path.Value ?? string.Empty;
            string body = null;
            if (request.ContentLength > 0 || request.Method == "POST" || request.Method == "PUT")
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(context.RequestAborted);
            }

            var record = new RecordedRequest { Method = request.Method, Path = path, Query = request.QueryString.Value, Body = body };
            if (RecordRequests)
            {
                _requests.Enqueue(record);
            }

            // A TruncatedJson fault is faked by Route, which cuts the body it writes.
            var (answered, fault) = await Faults.TryAnswerAsync(context, record, status => Message(context, record, status, status == 429 ? "Too many API requests" : "Service Unavailable"));
            if (answered)
            {
                return;
            }

            var key = request.Headers["api-secret-key"].ToString();
            if (key != ApiKey && key != ReadOnlyApiKey)
            {
                await Message(context, record, 401, "Invalid API Key");
                return;
            }

            // UNCONFIRMED how a manager answers a missing api-version; a 400 with a message is the likely shape.
            if (request.Headers["api-version"].ToString() != "v1")
            {
                await Message(context, record, 400, "Missing or unsupported api-version header (use v1)");
                return;
            }

            if (RateLimitPerMinute > 0 && !Admit(key))
            {
                if (RateLimitRetryAfterSeconds.HasValue)
                {
                    context.Response.Headers["Retry-After"] = RateLimitRetryAfterSeconds.Value.ToString(CultureInfo.InvariantCulture);
                }

                await Message(context, record, 429, "Too many API requests");
                return;
            }

            if (!path.StartsWith("/api/", StringComparison.Ordinal))
            {
                await Message(context, record, 404, "Not found");
                return;
            }

            var segments = path.Substring(5).Split('/', StringSplitOptions.RemoveEmptyEntries);
            var isWrite = request.Method != "GET" && !(segments.Length > 0 && segments[^1] == "search");
            if (isWrite && key == ReadOnlyApiKey)
            {
                await Message(context, record, 403, "Not authorized to " + (request.Method == "DELETE" ? "delete " : "modify ") + (segments.Length > 0 ? segments[0] : "resources"));
                return;
            }

            try
            {
                await Route(context, record, segments, body, fault);
            }
            catch (JsonException)
            {
                await Message(context, record, 400, "Malformed JSON body");
            }
        }

        private bool Admit(string key)
        {
            var window = _usage.GetOrAdd(key, _ => new Queue<long>());
            var now = Environment.TickCount64;
            lock (window)
            {
                while (window.Count > 0 && now - window.Peek() > 60_000)
                {
                    window.Dequeue();
                }

                if (window.Count >= RateLimitPerMinute)
                {
                    return false;
                }

                window.Enqueue(now);
                return true;
            }
        }

        private async Task Route(HttpContext context, RecordedRequest record, string[] s, string body, Fault fault)
        {
            var method = context.Request.Method;
            var overrides = string.Equals(context.Request.Query["overrides"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
            var expand = context.Request.Query["expand"].ToArray();
            var truncate = fault?.Kind == FaultKind.TruncatedJson;

            if (s.Length == 2 && s[0] == "computers" && s[1] == "search" && method == "POST")
            {
                await SearchComputers(context, record, body, expand, overrides, truncate);
                return;
            }

            if (s.Length == 1 && s[0] == "computers" && method == "GET")
            {
                // List Computers: every computer in one answer (the API pages searches only), with the same expand and overrides.
                await Write(context, record, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray("computers");
                    for (int id = 1; id <= Fleet.Count; id++)
                    {
                        WriteComputer(w, id, expand, overrides);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }, truncate);
                return;
            }

            if (s.Length == 2 && s[0] == "computers" && int.TryParse(s[1], out var cid) && method == "GET")
            {
                if (!Fleet.Exists(cid))
                {
                    await Message(context, record, 404, "The computer does not exist.");
                    return;
                }

                await Write(context, record, 200, w => WriteComputer(w, cid, expand, overrides), truncate);
                return;
            }

            if (s.Length == 4 && s[0] == "computers" && s[2] == "settings" && int.TryParse(s[1], out cid))
            {
                if (!Fleet.Exists(cid))
                {
                    await Message(context, record, 404, "The computer does not exist.");
                    return;
                }

                Dictionary<string, string> own;
                lock (Fleet.Gate)
                {
                    if (!Fleet.ComputerSettings.TryGetValue(cid, out own))
                    {
                        own = new Dictionary<string, string>();
                        Fleet.ComputerSettings[cid] = own;
                    }
                }

                await Setting(context, record, method, s[3], body, own, overrides, () => Fleet.EffectiveComputerSetting(cid, s[3]), canReset: true);
                return;
            }

            if (s.Length >= 1 && s[0] == "policies")
            {
                await Policies(context, record, s, method, body, overrides, truncate);
                return;
            }

            if (s.Length == 2 && s[0] == "firewallrules" && s[1] == "search" && method == "POST")
            {
                await SearchRules(context, record, body);
                return;
            }

            if (s.Length == 1 && s[0] == "firewallrules" && method == "POST")
            {
                await CreateRule(context, record, body);
                return;
            }

            if (s.Length == 2 && s[0] == "firewallrules" && int.TryParse(s[1], out var rid))
            {
                await GetOrDelete(context, record, method, _rules, rid, "The firewall rule does not exist.");
                return;
            }

            if (s.Length == 1 && s[0] == "scheduledtasks" && method == "POST")
            {
                await CreateTask(context, record, body);
                return;
            }

            if (s.Length == 2 && s[0] == "scheduledtasks" && int.TryParse(s[1], out var tid))
            {
                await GetOrDelete(context, record, method, _tasks, tid, "The scheduled task does not exist.");
                return;
            }

            if (s.Length == 2 && s[0] == "systemsettings")
            {
                if (!KnownSystemSettings.Contains(s[1]))
                {
                    await Message(context, record, 400, "Invalid setting name: " + s[1]);
                    return;
                }

                await Setting(context, record, method, s[1], body, Fleet.SystemSettings, false, () => Fleet.SystemSettings.GetValueOrDefault(s[1]), canReset: true);
                return;
            }

            await Message(context, record, 404, "Not found");
        }

        // ---- computers ----

        private sealed class Criterion
        {
            public string Field;
            public string Test;
            public long Number;
            public Regex Pattern;
            public bool Not;
            public long? First;
            public long? Last;
        }

        private async Task SearchComputers(HttpContext context, RecordedRequest record, string body, string[] expand, bool overrides, bool truncate)
        {
            using var doc = JsonDocument.Parse(string.IsNullOrEmpty(body) ? "{}" : body);
            var root = doc.RootElement;
            var maxItems = root.TryGetProperty("maxItems", out var m) ? m.GetInt32() : 5000;
            if (maxItems < 1 || maxItems > 5000)
            {
                await Message(context, record, 400, "maxItems must be between 1 and 5000");
                return;
            }

            long low = 1, high = Fleet.Count;
            var criteria = new List<Criterion>();
            if (root.TryGetProperty("searchCriteria", out var list))
            {
                foreach (var c in list.EnumerateArray())
                {
                    if (c.TryGetProperty("idTest", out var idTest))
                    {
                        var v = c.GetProperty("idValue").GetInt64();
                        switch (idTest.GetString())
                        {
                            case "greater-than": low = Math.Max(low, v + 1); break;
                            case "greater-than-or-equal": low = Math.Max(low, v); break;
                            case "less-than": high = Math.Min(high, v - 1); break;
                            case "less-than-or-equal": high = Math.Min(high, v); break;
                            case "equal": low = Math.Max(low, v); high = Math.Min(high, v); break;
                            default:
                                await Message(context, record, 400, "Invalid idTest: " + idTest.GetString());
                                return;
                        }

                        continue;
                    }

                    var field = c.TryGetProperty("fieldName", out var f) ? f.GetString() : null;
                    var criterion = new Criterion { Field = field };
                    if (field == "hostName" && c.TryGetProperty("stringValue", out var sv))
                    {
                        var wildcards = !c.TryGetProperty("stringWildcards", out var sw) || sw.GetBoolean();
                        var text = sv.GetString() ?? string.Empty;
                        var pattern = wildcards ? "^" + Regex.Escape(text).Replace("%", ".*").Replace("_", ".") + "$" : "^" + Regex.Escape(text) + "$";
                        criterion.Pattern = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                        criterion.Not = c.TryGetProperty("stringTest", out var st) && st.GetString() == "not-equal";
                    }
                    else if (field == "policyID" && c.TryGetProperty("numericValue", out var nv))
                    {
                        criterion.Number = nv.GetInt64();
                        criterion.Test = c.TryGetProperty("numericTest", out var nt) ? nt.GetString() : "equal";
                    }
                    else if (field == "lastAgentCommunication")
                    {
                        criterion.First = c.TryGetProperty("firstDateValue", out var fd) ? fd.GetInt64() : null;
                        criterion.Last = c.TryGetProperty("lastDateValue", out var ld) ? ld.GetInt64() : null;
                    }
                    else
                    {
                        await Message(context, record, 400, "Invalid search criteria: field " + (field ?? "(none)") + " is not searchable this way.");
                        return;
                    }

                    criteria.Add(criterion);
                }
            }

            await Write(context, record, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("computers");
                var n = 0;
                for (long id = low; id <= high && n < maxItems; id++)
                {
                    if (Matches((int)id, criteria))
                    {
                        WriteComputer(w, (int)id, expand, overrides);
                        n++;
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }, truncate);
        }

        private bool Matches(int id, List<Criterion> criteria)
        {
            foreach (var c in criteria)
            {
                switch (c.Field)
                {
                    case "hostName":
                        if (c.Pattern.IsMatch(Fleet.HostName(id)) == c.Not)
                        {
                            return false;
                        }

                        break;
                    case "policyID":
                        var p = Fleet.PolicyId(id);
                        if (!Compare(p, c.Test, c.Number))
                        {
                            return false;
                        }

                        break;
                    case "lastAgentCommunication":
                        var t = Fleet.LastContactMs(id);
                        if ((c.First.HasValue && t < c.First) || (c.Last.HasValue && t > c.Last))
                        {
                            return false;
                        }

                        break;
                }
            }

            return true;
        }

        private static bool Compare(long value, string test, long to) => test switch
        {
            "less-than" => value < to,
            "less-than-or-equal" => value <= to,
            "greater-than" => value > to,
            "greater-than-or-equal" => value >= to,
            "not-equal" => value != to,
            _ => value == to,
        };

        /// <summary>
        /// One computer. expand (repeatable) picks the complex properties: none given means all,
        /// "none" alone none. overrides=true (docs/design/vendor-apis.md §1.4) keeps only what is set on the computer
        /// itself: the ID, always, and its own settings when computerSettings is expanded; the simple
        /// properties and computerStatus are no overrides, so they are null and left out.
        /// </summary>
        private void WriteComputer(Utf8JsonWriter w, int id, string[] expand, bool overrides)
        {
            var all = expand.Length == 0 || expand.Contains("all");
            w.WriteStartObject();
            if (!overrides)
            {
                var contact = Fleet.LastContactMs(id);
                w.WriteString("hostName", Fleet.HostName(id));
                w.WriteString("displayName", string.Empty);
                w.WriteString("description", string.Empty);
                if (contact != 0)
                {
                    w.WriteString("lastIPUsed", Fleet.IPAddress(id));
                }

                w.WriteString("platform", Fleet.Platform(id));
                w.WriteNumber("groupID", 0);
                w.WriteNumber("policyID", Fleet.PolicyId(id));
                w.WriteNumber("assetImportanceID", 0);
                w.WriteNumber("relayListID", 0);
                w.WriteString("agentFingerPrint", "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:" + (id % 100).ToString("D2", CultureInfo.InvariantCulture));
                if (Fleet.BehindVirtualAppliance(id))
                {
                    w.WriteString("applianceFingerPrint", "DA:DA:DA:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00");
                }

                w.WriteString("agentVersion", "20.0.0." + (8000 + id % 500).ToString(CultureInfo.InvariantCulture));
                if (contact != 0)
                {
                    w.WriteNumber("lastAgentCommunication", contact);
                }

                lock (Fleet.Gate)
                {
                    if (Fleet.LastSendPolicyRequest.TryGetValue(id, out var req))
                    {
                        w.WriteNumber("lastSendPolicyRequest", req);
                    }

                    if (Fleet.LastSendPolicySuccess.TryGetValue(id, out var ok))
                    {
                        w.WriteNumber("lastSendPolicySuccess", ok);
                    }
                }

                w.WriteString("hostGUID", "4A5B" + id.ToString("X8", CultureInfo.InvariantCulture) + "-0000-0000-0000-000000000000");
            }

            w.WriteNumber("ID", id);
            if (!overrides && (all || expand.Contains("computerStatus")))
            {
                var status = Fleet.AgentStatus(id);
                w.WriteStartObject("computerStatus");
                w.WriteString("agentStatus", status);
                w.WriteStartArray("agentStatusMessages");
                w.WriteStringValue(status == "inactive" ? "Offline" : "Managed (Online)");
                if (Fleet.ClockChanged(id))
                {
                    w.WriteStringValue("Computer Clock Change");
                }

                w.WriteEndArray();
                w.WriteString("applianceStatus", Fleet.BehindVirtualAppliance(id) ? "active" : "not-supported");
                w.WriteStartArray("applianceStatusMessages");
                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (all || expand.Contains("computerSettings"))
            {
                w.WriteStartObject("computerSettings");
                lock (Fleet.Gate)
                {
                    Fleet.ComputerSettings.TryGetValue(id, out var own);
                    foreach (var name in KnownSettings)
                    {
                        string value = null;
                        if (overrides)
                        {
                            own?.TryGetValue(name, out value);
                        }
                        else
                        {
                            value = Fleet.EffectiveComputerSetting(id, name);
                        }

                        if (value != null)
                        {
                            w.WriteStartObject(name);
                            w.WriteString("value", value);
                            w.WriteEndObject();
                        }
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        // ---- policies ----

        private async Task Policies(HttpContext context, RecordedRequest record, string[] s, string method, string body, bool overrides, bool truncate)
        {
            if (s.Length == 1 && method == "GET")
            {
                await Write(context, record, 200, w => WritePolicies(w, Fleet.Policies.Values.ToList(), overrides), truncate);
                return;
            }

            if (s.Length == 2 && s[1] == "search" && method == "POST")
            {
                using var doc = JsonDocument.Parse(string.IsNullOrEmpty(body) ? "{}" : body);
                var max = doc.RootElement.TryGetProperty("maxItems", out var m) ? m.GetInt32() : 5000;
                IEnumerable<SimPolicy> found = Fleet.Policies.Values;
                if (doc.RootElement.TryGetProperty("searchCriteria", out var list))
                {
                    foreach (var c in list.EnumerateArray())
                    {
                        if (c.TryGetProperty("fieldName", out var f) && f.GetString() == "name" && c.TryGetProperty("stringValue", out var sv))
                        {
                            var text = sv.GetString();
                            found = found.Where(p => string.Equals(p.Name, text, StringComparison.OrdinalIgnoreCase));
                        }
                        else if (c.TryGetProperty("idTest", out _))
                        {
                            var v = c.GetProperty("idValue").GetInt32();
                            found = found.Where(p => p.Id > v);
                        }
                    }
                }

                var page = found.Take(max).ToList();
                await Write(context, record, 200, w => WritePolicies(w, page, overrides), truncate);
                return;
            }

            if (s.Length >= 2 && s[1] == "default")
            {
                if (s.Length == 2 && method == "GET")
                {
                    await Write(context, record, 200, w =>
                    {
                        w.WriteStartObject();
                        lock (Fleet.Gate)
                        {
                            foreach (var pair in Fleet.DefaultSettings)
                            {
                                w.WriteStartObject(pair.Key);
                                w.WriteString("value", pair.Value);
                                w.WriteEndObject();
                            }
                        }

                        w.WriteEndObject();
                    }, truncate);
                    return;
                }

                if (s.Length == 4 && s[2] == "settings")
                {
                    await Setting(context, record, method, s[3], body, Fleet.DefaultSettings, false, () => Fleet.DefaultSettings.GetValueOrDefault(s[3]), canReset: false);
                    return;
                }
            }

            if (!int.TryParse(s[1], out var pid) || !Fleet.Policies.TryGetValue(pid, out var policy))
            {
                await Message(context, record, 404, "The policy does not exist.");
                return;
            }

            if (s.Length == 2 && method == "GET")
            {
                await Write(context, record, 200, w => WritePolicy(w, policy, overrides), truncate);
                return;
            }

            if (s.Length == 4 && s[2] == "settings")
            {
                await Setting(context, record, method, s[3], body, policy.Settings, overrides, () => Fleet.EffectivePolicySetting(pid, s[3]), canReset: true);
                return;
            }

            if (s.Length == 5 && s[2] == "firewall" && s[3] == "assignments" && method == "DELETE" && int.TryParse(s[4], out var unassign))
            {
                // Only a rule assigned on this policy itself can be unassigned here; an inherited one belongs to the parent.
                bool removed;
                lock (Fleet.Gate)
                {
                    removed = policy.FirewallRuleIds.Remove(unassign);
                }

                if (!removed)
                {
                    await Message(context, record, 400, "The firewall rule is not assigned to this policy.");
                    return;
                }

                List<int> left;
                lock (Fleet.Gate)
                {
                    left = policy.FirewallRuleIds.ToList();
                }

                await Json(context, record, 200, new JsonObject { ["assignedRuleIDs"] = new JsonArray(left.Select(i => (JsonNode)i).ToArray()) });
                return;
            }

            if (s.Length == 4 && s[2] == "firewall" && s[3] == "assignments")
            {
                if (method == "POST" || method == "PUT")
                {
                    var ids = JsonNode.Parse(body)?["ruleIDs"]?.AsArray().Select(n => n.GetValue<int>()).ToList() ?? new List<int>();
                    lock (Fleet.Gate)
                    {
                        var missing = ids.FirstOrDefault(i => !_rules.ContainsKey(i));
                        if (missing != 0)
                        {
                            record.Status = 400;
                        }
                        else
                        {
                            if (method == "PUT")
                            {
                                policy.FirewallRuleIds.Clear();
                            }

                            policy.FirewallRuleIds.AddRange(ids.Where(i => !policy.FirewallRuleIds.Contains(i)));
                        }
                    }

                    if (record.Status == 400)
                    {
                        await Message(context, record, 400, "Invalid firewall rule ID.");
                        return;
                    }
                }

                List<int> assigned;
                lock (Fleet.Gate)
                {
                    assigned = policy.FirewallRuleIds.ToList();
                }

                await Json(context, record, 200, new JsonObject { ["assignedRuleIDs"] = new JsonArray(assigned.Select(i => (JsonNode)i).ToArray()) });
                return;
            }

            await Message(context, record, 404, "Not found");
        }

        private void WritePolicies(Utf8JsonWriter w, List<SimPolicy> policies, bool overrides)
        {
            w.WriteStartObject();
            w.WriteStartArray("policies");
            foreach (var p in policies)
            {
                WritePolicy(w, p, overrides);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        private void WritePolicy(Utf8JsonWriter w, SimPolicy policy, bool overrides)
        {
            w.WriteStartObject();
            if (!overrides)
            {
                if (policy.ParentId.HasValue)
                {
                    w.WriteNumber("parentID", policy.ParentId.Value);
                }

                w.WriteString("name", policy.Name);
                w.WriteString("description", string.Empty);
                w.WriteString("recommendationScanMode", "off");
                w.WriteString("autoRequiresUpdate", "on");
            }

            w.WriteNumber("ID", policy.Id);
            w.WriteStartObject("policySettings");
            lock (Fleet.Gate)
            {
                foreach (var name in KnownSettings)
                {
                    var value = overrides ? policy.Settings.GetValueOrDefault(name) : Fleet.EffectivePolicySetting(policy.Id, name);
                    if (value != null)
                    {
                        w.WriteStartObject(name);
                        w.WriteString("value", value);
                        w.WriteEndObject();
                    }
                }
            }

            w.WriteEndObject();

            // The Firewall module: the assigned rule IDs, inherited ones too; with overrides only those assigned on the policy itself.
            w.WriteStartObject("firewall");
            w.WriteStartArray("ruleIDs");
            lock (Fleet.Gate)
            {
                foreach (var rule in overrides ? policy.FirewallRuleIds.OrderBy(i => i).ToList() : Fleet.EffectiveFirewallRuleIds(policy.Id))
                {
                    w.WriteNumberValue(rule);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        // ---- settings ----

        private async Task Setting(HttpContext context, RecordedRequest record, string method, string name, string body, Dictionary<string, string> own, bool overrides, Func<string> effective, bool canReset)
        {
            if (!KnownSettings.Contains(name) && !KnownSystemSettings.Contains(name))
            {
                await Message(context, record, 400, "Invalid setting name: " + name);
                return;
            }

            string value;
            switch (method)
            {
                case "GET":
                    lock (Fleet.Gate)
                    {
                        value = overrides ? own.GetValueOrDefault(name) : effective();
                    }

                    break;
                case "POST":
                    value = JsonNode.Parse(body ?? "{}")?["value"]?.GetValue<string>();
                    var problem = Validate(name, value);
                    if (problem != null)
                    {
                        await Message(context, record, 400, problem);
                        return;
                    }

                    lock (Fleet.Gate)
                    {
                        own[name] = value;
                    }

                    break;
                case "DELETE":
                    if (!canReset)
                    {
                        await Message(context, record, 400, "The default policy settings cannot be reset to inherited.");
                        return;
                    }

                    lock (Fleet.Gate)
                    {
                        own.Remove(name);
                        value = effective();
                    }

                    break;
                default:
                    await Message(context, record, 405, "Method not allowed");
                    return;
            }

            await Json(context, record, 200, new JsonObject { ["value"] = value });
        }

        /// <summary>What the simulated manager accepts (UNCONFIRMED lists, the same choices the module documents).</summary>
        private static string Validate(string name, string value)
        {
            if (value == null)
            {
                return "A setting value is required.";
            }

            switch (name)
            {
                case "platformSettingHeartbeatInterval":
                    var interval = Regex.Match(value, "^(\\d+) Minutes?$");
                    return interval.Success && Intervals.Contains(int.Parse(interval.Groups[1].Value, CultureInfo.InvariantCulture)) ? null : "Invalid value for platformSettingHeartbeatInterval: " + value;
                case "platformSettingHeartbeatMissedAlertThreshold":
                    return value == "Unlimited" || (int.TryParse(value, out var n) && n >= 1 && n <= 100) ? null : "Invalid value for platformSettingHeartbeatMissedAlertThreshold: " + value;
                case "platformSettingHeartbeatLocalTimeShiftAlertThreshold":
                    return value == "Unlimited" || Regex.IsMatch(value, "^\\d+ (Seconds?|Minutes?|Hours?)$") ? null : "Invalid value for platformSettingHeartbeatLocalTimeShiftAlertThreshold: " + value;
                case "platformSettingHeartbeatInactiveVmOfflineAlertEnabled":
                case "platformSettingSmartProtectionGlobalServerUseProxyEnabled":
                    return value == "true" || value == "false" ? null : "Invalid boolean value: " + value;
                case "platformSettingAgentCommunicationsDirection":
                    return value == "Bidirectional" || value == "Manager Initiated" || value == "Agent/Appliance Initiated" ? null : "Invalid value for platformSettingAgentCommunicationsDirection: " + value;
                default:
                    return value.Length == 0 || int.TryParse(value, out _) ? null : "Invalid proxy ID: " + value;
            }
        }

        // ---- firewall rules and tasks ----

        private async Task CreateRule(HttpContext context, RecordedRequest record, string body)
        {
            var rule = JsonNode.Parse(body) as JsonObject;
            string Text(string key) => rule?[key]?.GetValue<string>();
            var problem =
                string.IsNullOrEmpty(Text("name")) ? "name is required" :
                !new[] { "log-only", "allow", "deny", "force-allow", "bypass" }.Contains(Text("action")) ? "Invalid action" :
                !new[] { "0", "1", "2", "3", "4" }.Contains(Text("priority")) ? "Invalid priority" :
                !new[] { "incoming", "outgoing" }.Contains(Text("direction")) ? "Invalid direction" :
                !new[] { "any", "ip", "arp", "revarp", "ipv4", "ipv6", "other" }.Contains(Text("frameType")) ? "Invalid frameType" :
                !new[] { "any", "icmp", "igmp", "ggp", "tcp", "pup", "udp", "idp", "nd", "raw", "tcp-udp", "icmpv6", "other" }.Contains(Text("protocol")) ? "Invalid protocol" :
                (Text("sourceIPType") == "single" && !IPAddress.TryParse((Text("sourceIPValue") ?? string.Empty).Split('/')[0], out _)) ? "Invalid sourceIPValue" :
                null;
            if (problem != null)
            {
                await Message(context, record, 400, problem);
                return;
            }

            lock (Fleet.Gate)
            {
                rule["ID"] = ++_nextRuleId;
                _rules[_nextRuleId] = rule;
            }

            await Json(context, record, 200, rule);
        }

        /// <summary>
        /// POST /firewallrules/search: choice tests (action, priority, direction, protocol, ...) and the
        /// ID test, sorted by ID, at most maxItems, answered as {"firewallRules":[...]}.
        /// </summary>
        private async Task SearchRules(HttpContext context, RecordedRequest record, string body)
        {
            using var doc = JsonDocument.Parse(string.IsNullOrEmpty(body) ? "{}" : body);
            var max = doc.RootElement.TryGetProperty("maxItems", out var m) ? m.GetInt32() : 5000;
            var tests = new List<Func<JsonObject, bool>>();
            if (doc.RootElement.TryGetProperty("searchCriteria", out var list))
            {
                foreach (var c in list.EnumerateArray())
                {
                    if (c.TryGetProperty("idTest", out var idTest))
                    {
                        var v = c.GetProperty("idValue").GetInt64();
                        var test = idTest.GetString();
                        tests.Add(r => Compare(r["ID"].GetValue<int>(), test, v));
                    }
                    else if (c.TryGetProperty("choiceValue", out var choice))
                    {
                        var field = c.GetProperty("fieldName").GetString();
                        var value = choice.GetString();
                        var equal = !c.TryGetProperty("choiceTest", out var ct) || ct.GetString() != "not-equal";
                        tests.Add(r => string.Equals(r[field]?.GetValue<string>(), value, StringComparison.Ordinal) == equal);
                    }
                    else
                    {
                        await Message(context, record, 400, "Unsupported search criteria for firewall rules.");
                        return;
                    }
                }
            }

            List<JsonObject> found;
            lock (Fleet.Gate)
            {
                found = _rules.OrderBy(p => p.Key).Select(p => p.Value).Where(r => tests.All(t => t(r))).Take(max).Select(r => (JsonObject)r.DeepClone()).ToList();
            }

            await Json(context, record, 200, new JsonObject { ["firewallRules"] = new JsonArray(found.Cast<JsonNode>().ToArray()) });
        }

        private async Task CreateTask(HttpContext context, RecordedRequest record, string body)
        {
            var task = JsonNode.Parse(body) as JsonObject;
            var type = task?["type"]?.GetValue<string>();
            if (type == null || task["name"] == null || task["scheduleDetails"] == null)
            {
                await Message(context, record, 400, "name, type and scheduleDetails are required");
                return;
            }

            var filter = task["sendPolicyTaskParameters"]?["computerFilter"];
            if (type == "send-policy" && filter == null)
            {
                await Message(context, record, 400, "sendPolicyTaskParameters.computerFilter is required for send-policy");
                return;
            }

            int id;
            lock (Fleet.Gate)
            {
                id = ++_nextTaskId;
                task["ID"] = id;
                _tasks[id] = task;
            }

            var runNow = task["runNow"]?.GetValue<bool>() == true;
            if (runNow && type == "send-policy" && filter?["type"]?.GetValue<string>() == "computer")
            {
                var computer = filter["computerID"]?.GetValue<int>() ?? 0;
                if (!Fleet.Exists(computer))
                {
                    lock (Fleet.Gate)
                    {
                        _tasks.Remove(id);
                    }

                    await Message(context, record, 400, "Invalid computerID: " + computer);
                    return;
                }

                var now = DeepSecurityFleet.ToMs(DateTime.UtcNow);
                lock (Fleet.Gate)
                {
                    Fleet.LastSendPolicyRequest[computer] = now;
                    task["lastRunTime"] = now;
                }

                if (Fleet.LastContactMs(computer) != 0)
                {
                    _ = Task.Delay(SyncDelay).ContinueWith(_ =>
                    {
                        lock (Fleet.Gate)
                        {
                            Fleet.LastSendPolicySuccess[computer] = DeepSecurityFleet.ToMs(DateTime.UtcNow);
                        }
                    }, TaskScheduler.Default);
                }
            }

            await Json(context, record, 200, task);
        }

        // ---- responses ----

        private static Task Message(HttpContext context, RecordedRequest record, int status, string message)
        {
            return Json(context, record, status, new JsonObject { ["message"] = message });
        }

        /// <summary>GET or DELETE of one stored resource by ID (firewall rules, scheduled tasks): 404 with the manager's message when absent.</summary>
        private async Task GetOrDelete(HttpContext context, RecordedRequest record, string method, Dictionary<int, JsonObject> store, int id, string missing)
        {
            JsonObject item;
            lock (Fleet.Gate)
            {
                store.TryGetValue(id, out item);
                if (item != null && method == "DELETE")
                {
                    store.Remove(id);
                }
            }

            if (item == null)
            {
                await Message(context, record, 404, missing);
            }
            else
            {
                await Json(context, record, 200, method == "DELETE" ? null : item);
            }
        }

        private static async Task Json(HttpContext context, RecordedRequest record, int status, JsonObject body)
        {
            record.Status = status;
            context.Response.StatusCode = status;
            if (body == null)
            {
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        }

        /// <summary>
        /// Writes JSON straight into the response's pooled buffers (no page-sized array, so a
        /// 100,000-computer walk leaves no large garbage behind); with <paramref name="truncate"/>,
        /// only the first half of it, as a page that broke off.
        /// </summary>
        private static async Task Write(HttpContext context, RecordedRequest record, int status, Action<Utf8JsonWriter> write, bool truncate)
        {
            record.Status = status;
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (!truncate)
            {
                using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
                {
                    write(writer);
                }

                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                return;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer);
            }

            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2)), context.RequestAborted);
        }
    }
}
