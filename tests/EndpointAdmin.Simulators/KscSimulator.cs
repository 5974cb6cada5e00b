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
    /// A Kaspersky Security Center Open API on https://127.0.0.1:&lt;random port&gt;/api/v1.0, after
    /// docs/design/vendor-apis.md §2: Session.StartSession with the KSCBasic header (and X-KSC-VServer), then
    /// X-KSC-Session with an inactivity expiry (403 once expired or ended); every call a POST of
    /// Class.Method; answers {"PxgRetVal": ...} or a PxgError with HTTP 200; typed values
    /// ({"type":"datetime"|"long"|"params",...}); FindHosts with the LDAP-like filter and chunk
    /// accessors with lifetimes and Release; AddHostsForSync with an asynchronous action followed by
    /// AsyncActionStateChecker (on the session that added it); UpdateHost of the keep-connection
    /// flag, which the server itself caps at 300. Requests are answered one at a time per
    /// connection (HTTP/1.1, no pipelining). Every request is recorded (no header values); faults are
    /// injected per test, and a fixed latency per request can be set for benchmarks.
    /// </summary>
    public sealed class KscSimulator : IDisposable
    {
        public static readonly string[] WriteMethods = { "HostGroup.AddHostsForSync", "HostGroup.AddGroupHostsForSync", "HostGroup.UpdateHost", "HostGroup.UpdateHostsMultiple" };

        private readonly LoopbackHttpsServer _server;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();
        private readonly ConcurrentDictionary<string, Session> _sessions = new ConcurrentDictionary<string, Session>();
        private readonly ConcurrentDictionary<string, Accessor> _accessors = new ConcurrentDictionary<string, Accessor>();
        private readonly ConcurrentDictionary<string, SyncAction> _actions = new ConcurrentDictionary<string, SyncAction>();
        private long _requestCount;
        private int _released;

        private sealed class Session
        {
            public string User;
            public DateTime LastUsed;
        }

        private sealed class Accessor
        {
            public List<KscHost> Rows;
            public string[] Fields;
            public DateTime ExpiresAt;
        }

        private sealed class SyncAction
        {
            public string SessionId;
            public DateTime FinalizeAt;
            public bool Fail;
        }

        private KscSimulator(KscFleet fleet)
        {
            Fleet = fleet;
            _server = new LoopbackHttpsServer(Handle, "CN=EndpointAdmin KSC simulator");
        }

        /// <summary>Starts a simulator over a seeded fleet; <paramref name="offlineEvery"/>: every n-th device's Network Agent is not alive (0: all alive).</summary>
        public static KscSimulator Start(int devices = 200, int seed = 42, int keepConnection = 0, int offlineEvery = 10)
        {
            var simulator = new KscSimulator(new KscFleet(devices, seed, keepConnection, offlineEvery));
            simulator._server.Start();
            return simulator;
        }

        public string Uri => _server.Uri;

        public X509Certificate2 Certificate => _server.Certificate;

        public string Thumbprint => Certificate.Thumbprint;

        public KscFleet Fleet { get; }

        public FaultPlan Faults { get; } = new FaultPlan();

        /// <summary>The internal user (KSCBasic internal="1").</summary>
        public string UserName { get; } = "ksc-admin";

        /// <summary>Random per simulator, so a leak test can look for it anywhere; settable to simulate a password change.</summary>
        public string Password { get; set; } = "Pw-" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

        /// <summary>A Windows account: DomainName\DomainUser with DomainPassword.</summary>
        public string DomainName { get; } = "CORP";

        public string DomainUser { get; } = "ops";

        public string DomainPassword { get; } = "Dp-" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

        /// <summary>Virtual Administration Servers besides the main one ("").</summary>
        public HashSet<string> VirtualServers { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "branch-vs" };

        /// <summary>Administration groups by ID (the fleet's devices are in 1 to 4).</summary>
        public Dictionary<int, string> Groups { get; } = new Dictionary<int, string> { [0] = "Managed devices", [1] = "Servers", [2] = "Workstations", [3] = "Branch offices", [4] = "Laptops" };

        /// <summary>Inactivity after which a session is gone (go-ksc: about 3 minutes).</summary>
        public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(3);

        /// <summary>How long AddHostsForSync's action runs before it is finalized.</summary>
        public TimeSpan ActionDelay { get; set; } = TimeSpan.FromMilliseconds(150);

        /// <summary>How long a live Network Agent takes to synchronize after AddHostsForSync.</summary>
        public TimeSpan SyncDelay { get; set; } = TimeSpan.FromMilliseconds(300);

        /// <summary>lNextCheckDelay CheckActionState asks for while an action runs.</summary>
        public int NextCheckDelayMs { get; set; } = 100;

        /// <summary>Fixed delay before every answer (benchmarks: the network and server time of a real request).</summary>
        public TimeSpan Latency { get; set; } = TimeSpan.Zero;

        /// <summary>Finalize every new synchronization action as failed.</summary>
        public bool FailSyncActions { get; set; }

        public bool RecordRequests { get; set; } = true;

        public long RequestCount => Interlocked.Read(ref _requestCount);

        public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

        /// <summary>Requests that change the server (AddHostsForSync, UpdateHost, ...), accepted or not.</summary>
        public IReadOnlyList<RecordedRequest> Writes => _requests.Where(r => WriteMethods.Any(m => r.Path.EndsWith("/" + m, StringComparison.Ordinal))).ToArray();

        public IReadOnlyList<RecordedRequest> Calls(string method) => _requests.Where(r => r.Path.EndsWith("/" + method, StringComparison.Ordinal)).ToArray();

        /// <summary>Chunk accessors not released (and not yet past their lifetime).</summary>
        public int OpenAccessors => _accessors.Values.Count(a => a.ExpiresAt > DateTime.UtcNow);

        public int ReleasedAccessors => Volatile.Read(ref _released);

        public int SessionCount => _sessions.Count;

        /// <summary>Every session ID handed out, so a leak test can look for them anywhere.</summary>
        public IReadOnlyList<string> IssuedSessions => _issued.ToArray();

        private readonly ConcurrentQueue<string> _issued = new ConcurrentQueue<string>();

        public void ClearRequests() => _requests.Clear();

        /// <summary>Drops every session, as a server restart or the inactivity timeout does.</summary>
        public void ExpireAllSessions() => _sessions.Clear();

        public void Dispose()
        {
            _server.Dispose();
        }

        private async Task Handle(HttpContext context)
        {
            Interlocked.Increment(ref _requestCount);
            var request = context.Request;
            var path = request.Path.Value ?? string.Empty;
            string body;
            using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(context.RequestAborted);
            }

            var record = new RecordedRequest { Method = request.Method, Path = path, Body = body, Connection = context.Connection.Id, HasSession = request.Headers.ContainsKey("X-KSC-Session") };
            if (RecordRequests)
            {
                _requests.Enqueue(record);
            }

            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            var (answered, _) = await Faults.TryAnswerAsync(context, record, status => Text(context, record, status, "Service Unavailable"), async fault =>
            {
                switch (fault.Kind)
                {
                    case FaultKind.PxgError:
                        await PxgError(context, record, fault.PxgCode, fault.PxgModule, fault.PxgMessage);
                        return true;
                    case FaultKind.SessionExpired:
                        _sessions.Clear();
                        return false;
                    default:
                        return false;
                }
            });
            if (answered)
            {
                return;
            }

            const string prefix = "/api/v1.0/";
            if (request.Method != "POST" || !path.StartsWith(prefix, StringComparison.Ordinal))
            {
                await Text(context, record, 404, "Not found");
                return;
            }

            var method = path.Substring(prefix.Length);
            if (method == "Session.StartSession")
            {
                await StartSession(context, record);
                return;
            }

            var sessionId = request.Headers["X-KSC-Session"].ToString();
            if (string.IsNullOrEmpty(sessionId) || !_sessions.TryGetValue(sessionId, out var session) || DateTime.UtcNow - session.LastUsed > SessionLifetime)
            {
                _sessions.TryRemove(sessionId ?? string.Empty, out _);
                await Text(context, record, 403, "Forbidden");
                return;
            }

            session.LastUsed = DateTime.UtcNow;
            JsonObject args;
            try
            {
                args = JsonNode.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                await PxgError(context, record, 1192, "KLSTD", "Data is corrupted or has an unknown format");
                return;
            }

            try
            {
                await Route(context, record, method, args, sessionId);
            }
            catch (FormatException ex)
            {
                await PxgError(context, record, 1192, "KLSTD", "Filter error: " + ex.Message);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is NullReferenceException || ex is KeyNotFoundException)
            {
                await PxgError(context, record, 1192, "KLSTD", "Bad parameters for " + method + ": " + ex.Message);
            }
        }

        private async Task StartSession(HttpContext context, RecordedRequest record)
        {
            var header = context.Request.Headers["Authorization"].ToString();
            if (!header.StartsWith("KSCBasic ", StringComparison.Ordinal))
            {
                await Text(context, record, 401, "Unauthorized");
                return;
            }

            var fields = Regex.Matches(header, "(\\w+)=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            string Decode(string key) => fields.TryGetValue(key, out var v) ? Encoding.UTF8.GetString(Convert.FromBase64String(v)) : null;
            var user = Decode("user");
            var pass = Decode("pass");
            fields.TryGetValue("domain", out var domain);
            fields.TryGetValue("internal", out var isInternal);
            var vserver = Encoding.UTF8.GetString(Convert.FromBase64String(context.Request.Headers["X-KSC-VServer"].ToString()));
            var ok = string.IsNullOrEmpty(domain)
                ? isInternal == "1" && user == UserName && pass == Password
                : isInternal == "0" && string.Equals(domain, DomainName, StringComparison.OrdinalIgnoreCase) && user == DomainUser && pass == DomainPassword;
            if (!ok || (vserver.Length > 0 && !VirtualServers.Contains(vserver)))
            {
                await Text(context, record, 401, "Authentication failed");
                return;
            }

            var id = "nsid-" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
            _sessions[id] = new Session { User = user, LastUsed = DateTime.UtcNow };
            _issued.Enqueue(id);
            await Json(context, record, new JsonObject { ["PxgRetVal"] = id });
        }

        private async Task Route(HttpContext context, RecordedRequest record, string method, JsonObject args, string sessionId)
        {
            switch (method)
            {
                case "Session.Ping":
                    await Json(context, record, new JsonObject());
                    return;
                case "Session.EndSession":
                    _sessions.TryRemove(sessionId, out _);
                    await Json(context, record, new JsonObject());
                    return;
                case "HostGroup.FindHosts":
                    await FindHosts(context, record, args);
                    return;
                case "ChunkAccessor.GetItemsCount":
                    if (!TryAccessor(args, out var counted))
                    {
                        await NotFound(context, record, "accessor");
                        return;
                    }

                    await Json(context, record, new JsonObject { ["PxgRetVal"] = counted.Rows.Count });
                    return;
                case "ChunkAccessor.GetItemsChunk":
                    await GetItemsChunk(context, record, args);
                    return;
                case "ChunkAccessor.Release":
                    if (!_accessors.TryRemove(args["strAccessor"]?.GetValue<string>() ?? string.Empty, out _))
                    {
                        await NotFound(context, record, "accessor");
                        return;
                    }

                    Interlocked.Increment(ref _released);
                    await Json(context, record, new JsonObject());
                    return;
                case "HostGroup.AddHostsForSync":
                    await AddHostsForSync(context, record, args, sessionId);
                    return;
                case "AsyncActionStateChecker.CheckActionState":
                    await CheckActionState(context, record, args, sessionId);
                    return;
                case "HostGroup.UpdateHost":
                    await UpdateHost(context, record, args);
                    return;
                case "HostGroup.GetGroupInfo":
                    var groupId = args["nGroupId"]?.GetValue<int>() ?? -1;
                    if (!Groups.TryGetValue(groupId, out var groupName))
                    {
                        await NotFound(context, record, "group");
                        return;
                    }

                    await Json(context, record, new JsonObject { ["PxgRetVal"] = new JsonObject { ["type"] = "params", ["value"] = new JsonObject { ["id"] = groupId, ["name"] = groupName, ["parentId"] = 0 } } });
                    return;
                default:
                    await PxgError(context, record, 1194, "KLCONN", "No such GUI call: " + method);
                    return;
            }
        }

        private bool TryAccessor(JsonObject args, out Accessor accessor)
        {
            return _accessors.TryGetValue(args["strAccessor"]?.GetValue<string>() ?? string.Empty, out accessor) && accessor.ExpiresAt > DateTime.UtcNow;
        }

        private async Task FindHosts(HttpContext context, RecordedRequest record, JsonObject args)
        {
            var filter = args["wstrFilter"]?.GetValue<string>() ?? string.Empty;
            var fields = (args["vecFieldsToReturn"] as JsonArray ?? new JsonArray()).Select(f => f.GetValue<string>()).ToArray();
            var lifetime = args["lMaxLifeTime"]?.GetValue<int>() ?? 100;
            var now = DateTime.UtcNow;
            var match = KscFilter.Parse(filter, now);
            List<KscHost> rows;
            lock (Fleet.Gate)
            {
                foreach (var h in Fleet.Hosts)
                {
                    KscFleet.Settle(h, now);
                }

                // The fleet's membership never changes, so a search that matches every device (the
                // module's whole-fleet read) keeps the fleet's own list instead of a copy sized by it:
                // the simulator runs in the benchmark's process, and a copy would count as the client's.
                rows = Fleet.Hosts.TrueForAll(h => match(h)) ? Fleet.Hosts : Fleet.Hosts.FindAll(h => match(h));
            }

            var id = "acc-" + Guid.NewGuid().ToString("N");
            _accessors[id] = new Accessor { Rows = rows, Fields = fields, ExpiresAt = now.AddSeconds(lifetime) };
            await Json(context, record, new JsonObject { ["strAccessor"] = id, ["PxgRetVal"] = rows.Count });
        }

        private async Task GetItemsChunk(HttpContext context, RecordedRequest record, JsonObject args)
        {
            if (!TryAccessor(args, out var accessor))
            {
                await NotFound(context, record, "accessor");
                return;
            }

            var unknown = accessor.Fields.FirstOrDefault(f => !KnownAttributes.Contains(f));
            if (unknown != null)
            {
                throw new InvalidOperationException("unknown attribute " + unknown);
            }

            var start = args["nStart"]?.GetValue<long>() ?? 0;
            var count = args["nCount"]?.GetValue<long>() ?? 0;
            var end = Math.Min(accessor.Rows.Count, start + count);
            var items = Math.Max(0, end - start);
            var now = DateTime.UtcNow;

            // Streamed: each device written straight into the response pipe, a few dozen at a time,
            // instead of a tree of the whole chunk and its text (the same bytes either way).
            record.Status = 200;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            var pipe = context.Response.BodyWriter;
            using (var writer = new Utf8JsonWriter(pipe))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("pChunk");
                writer.WriteStartArray("KLCSP_ITERATOR_ARRAY");
                for (var i = start; i < end; i += 50)
                {
                    lock (Fleet.Gate)
                    {
                        for (var j = i; j < Math.Min(end, i + 50); j++)
                        {
                            var host = accessor.Rows[(int)j];
                            KscFleet.Settle(host, now);
                            writer.WriteStartObject();
                            writer.WriteString("type", "params");
                            writer.WritePropertyName("value");
                            WriteAttributes(writer, host, accessor.Fields);
                            writer.WriteEndObject();
                        }
                    }

                    writer.Flush();
                    await pipe.FlushAsync(context.RequestAborted);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteNumber("PxgRetVal", items);
                writer.WriteEndObject();
                writer.Flush();
            }

            await pipe.FlushAsync(context.RequestAborted);
        }

        private static readonly HashSet<string> KnownAttributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "KLHST_WKS_HOSTNAME", "KLHST_WKS_DN", "KLHST_WKS_DNSNAME", "KLHST_WKS_DNSDOMAIN", "KLHST_WKS_IP_LONG", "KLHST_WKS_GROUPID",
            "KLHST_WKS_LAST_VISIBLE", "KLHST_WKS_LAST_INFOUDATE", "KLHST_WKS_LAST_NAGENT_CONNECTED", "KLHST_WKS_KEEP_CONNECTION", "KLHST_WKS_STATUS", "KLHST_WKS_NAG_VERSION",
        };

        private static void WriteAttributes(Utf8JsonWriter w, KscHost h, string[] fields)
        {
            w.WriteStartObject();
            foreach (var f in fields)
            {
                switch (f)
                {
                    case "KLHST_WKS_HOSTNAME": w.WriteString(f, h.HostName); break;
                    case "KLHST_WKS_DN": w.WriteString(f, h.DisplayName); break;
                    case "KLHST_WKS_DNSNAME": w.WriteString(f, h.DnsName); break;
                    case "KLHST_WKS_DNSDOMAIN": w.WriteString(f, h.DnsDomain); break;
                    case "KLHST_WKS_IP_LONG":
                        w.WriteStartObject(f);
                        w.WriteString("type", "long");
                        w.WriteNumber("value", h.IpLong);
                        w.WriteEndObject();
                        break;
                    case "KLHST_WKS_GROUPID": w.WriteNumber(f, h.GroupId); break;
                    case "KLHST_WKS_LAST_VISIBLE": WriteTime(w, f, h.LastVisible); break;
                    case "KLHST_WKS_LAST_INFOUDATE": WriteTime(w, f, h.LastInfoUpdate); break;
                    case "KLHST_WKS_LAST_NAGENT_CONNECTED": WriteTime(w, f, h.LastNagentConnected); break;
                    case "KLHST_WKS_KEEP_CONNECTION": w.WriteBoolean(f, h.KeepConnection); break;
                    case "KLHST_WKS_STATUS": w.WriteNumber(f, h.Status); break;
                    case "KLHST_WKS_NAG_VERSION": w.WriteString(f, h.NagentVersion); break;
                    default: throw new InvalidOperationException("unknown attribute " + f);
                }
            }

            w.WriteEndObject();
        }

        /// <summary>A datetime value; a device that never connected has none (the attribute is null).</summary>
        private static void WriteTime(Utf8JsonWriter w, string name, DateTime? value)
        {
            if (!value.HasValue)
            {
                w.WriteNull(name);
                return;
            }

            w.WriteStartObject(name);
            w.WriteString("type", "datetime");
            w.WriteString("value", value.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        private async Task AddHostsForSync(HttpContext context, RecordedRequest record, JsonObject args, string sessionId)
        {
            var names = (args["pHostNames"] as JsonArray ?? new JsonArray()).Select(n => n.GetValue<string>()).ToList();
            var now = DateTime.UtcNow;
            bool known;
            lock (Fleet.Gate)
            {
                known = names.Count > 0 && names.All(Fleet.ByName.ContainsKey);
                foreach (var host in known ? names.Select(n => Fleet.ByName[n]) : Enumerable.Empty<KscHost>())
                {
                    KscFleet.Settle(host, now);
                    if (host.Alive && host.SyncDue == null)
                    {
                        // Whole seconds, as the server's datetime values carry them: the new value is always later.
                        var due = now + SyncDelay;
                        host.SyncDue = new DateTime(due.Ticks - (due.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
                    }
                }
            }

            if (!known)
            {
                await NotFound(context, record, "host");
                return;
            }

            var guid = Guid.NewGuid().ToString();
            _actions[guid] = new SyncAction { SessionId = sessionId, FinalizeAt = now + ActionDelay, Fail = FailSyncActions };
            // The KSC Open API reference: AddHostsForSync returns the GUID in its out parameter strActionGuid; CheckActionState takes it in as wstrActionGuid.
            await Json(context, record, new JsonObject { ["strActionGuid"] = guid });
        }

        private async Task CheckActionState(HttpContext context, RecordedRequest record, JsonObject args, string sessionId)
        {
            var guid = args["wstrActionGuid"]?.GetValue<string>() ?? string.Empty;
            // The reference: the action must have been added on the same connection (session here).
            if (!_actions.TryGetValue(guid, out var action) || action.SessionId != sessionId)
            {
                await NotFound(context, record, "action");
                return;
            }

            if (DateTime.UtcNow < action.FinalizeAt)
            {
                await Json(context, record, new JsonObject { ["bFinalized"] = false, ["bSuccededFinalized"] = false, ["lStateCode"] = 0, ["pStateData"] = new JsonObject { ["type"] = "params", ["value"] = new JsonObject() }, ["lNextCheckDelay"] = NextCheckDelayMs });
                return;
            }

            _actions.TryRemove(guid, out _); // finalized: the GUID is no longer valid
            var data = action.Fail
                ? new JsonObject { ["KLBLAG_ERROR_INFO"] = new JsonObject { ["type"] = "params", ["value"] = new JsonObject { ["GNRL_EA_DESCRIPTION"] = "Synchronization could not be started: the Network Agent is not responding" } } }
                : new JsonObject();
            await Json(context, record, new JsonObject { ["bFinalized"] = true, ["bSuccededFinalized"] = !action.Fail, ["lStateCode"] = action.Fail ? 0 : 1, ["pStateData"] = new JsonObject { ["type"] = "params", ["value"] = data }, ["lNextCheckDelay"] = 0 });
        }

        private async Task UpdateHost(HttpContext context, RecordedRequest record, JsonObject args)
        {
            var name = args["strHostName"]?.GetValue<string>() ?? string.Empty;
            var info = args["pInfo"] as JsonObject ?? new JsonObject();
            int code = 0;
            string message = null;
            lock (Fleet.Gate)
            {
                if (!Fleet.ByName.TryGetValue(name, out var host))
                {
                    code = 1186;
                    message = "Object not found: host '" + name + "'";
                }
                else if (info.Any(p => p.Key != "KLHST_WKS_KEEP_CONNECTION"))
                {
                    code = 1193;
                    message = "Operation is not permitted: attribute " + info.First(p => p.Key != "KLHST_WKS_KEEP_CONNECTION").Key + " is read-only";
                }
                else if (info["KLHST_WKS_KEEP_CONNECTION"] is JsonNode flag)
                {
                    var on = flag.GetValue<bool>();
                    if (on && !host.KeepConnection && Fleet.Hosts.Count(h => h.KeepConnection) >= 300)
                    {
                        code = 1229;
                        message = "Functionality is limited: the number of devices with a continuous connection cannot exceed 300";
                    }
                    else
                    {
                        host.KeepConnection = on;
                    }
                }
            }

            if (code != 0)
            {
                await PxgError(context, record, code, "KLSTD", message);
                return;
            }

            await Json(context, record, new JsonObject());
        }

        // ---- answers ----

        private static Task NotFound(HttpContext context, RecordedRequest record, string what) => PxgError(context, record, 1186, "KLSTD", "Object not found (" + what + ")");

        private static Task PxgError(HttpContext context, RecordedRequest record, int code, string module, string message)
        {
            return Json(context, record, new JsonObject { ["PxgError"] = new JsonObject { ["code"] = code, ["subcode"] = 0, ["module"] = module ?? "KLSTD", ["file"] = "sim", ["line"] = 0, ["message"] = message ?? "Error" } });
        }

        private static async Task Json(HttpContext context, RecordedRequest record, JsonObject body)
        {
            record.Status = 200;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        }

        private static async Task Text(HttpContext context, RecordedRequest record, int status, string text)
        {
            record.Status = status;
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }
}
