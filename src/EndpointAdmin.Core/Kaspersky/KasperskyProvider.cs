using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// Kaspersky Security Center through the Open API (vendor-apis §2): a Session.StartSession
    /// session renewed when the server drops it, devices through FindHosts and chunk accessors that
    /// are always released, batched forced synchronization followed through
    /// AsyncActionStateChecker, and the keep-connection flag under the server's limit of 300.
    /// </summary>
    internal sealed class KasperskyProvider : ManagerProviderBase
    {
        private static readonly ManagerCapability[] Declared =
        {
            ManagerCapability.ListAgents,
            ManagerCapability.EvaluateHeartbeat,
            ManagerCapability.SyncAgent,
            ManagerCapability.SetContinuousConnection,
        };

        private readonly ConnectionOptions _options;
        private readonly HttpPipeline _http;
        private readonly int _chunkSize;
        private readonly int _batchSize;
        private SecureString _session;

        public KasperskyProvider(ConnectionOptions options, HttpMessageHandler handler = null, int chunkSize = KscWire.ChunkSize, int batchSize = KscWire.SyncBatchSize)
        {
            _options = options;
            _chunkSize = chunkSize;
            _batchSize = batchSize;
            _http = new HttpPipeline(options, Authenticate, handler, oneRequestAtATime: true)
            {
                Renew = RenewSession,
                IsSignIn = KscWire.IsSignIn,
                Secrets = () => new[] { _options.Password, Volatile.Read(ref _session) },
            };
        }

        public HttpPipeline Pipeline => _http;

        public override ManagerProduct Product => ManagerProduct.KasperskySecurityCenter;

        public override IReadOnlyCollection<ManagerCapability> Capabilities => Declared;

        public override string ConsolePath(ManagerCapability capability) => KscWire.ConsolePath(capability);

        public override int SyncBatchSize => _batchSize;

        public override void CheckAgentId(string id)
        {
            if (!KscWire.IsHostId(id))
            {
                throw KscWire.BadHostId(id);
            }
        }

        // ---- session ----

        private void Authenticate(HttpRequestMessage request)
        {
            if (KscWire.IsSignIn(request.RequestUri.OriginalString))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "KSCBasic " + KscWire.BasicAuthorization(_options.UserName, _options.Password, _options.Domain));
                request.Headers.TryAddWithoutValidation(KscWire.VirtualServerHeader, KscWire.Base64(_options.VirtualServer ?? string.Empty));
                return;
            }

            var session = Volatile.Read(ref _session);
            if (session != null)
            {
                Redactor.WithPlainText(session, plain => request.Headers.TryAddWithoutValidation(KscWire.SessionHeader, plain));
            }
        }

        public override string CheckConnection(CancellationToken cancel)
        {
            SignIn(cancel, renewal: false);
            Call(KscWire.Ping, new JObject(), true, cancel);
            return null;
        }

        private void RenewSession(CancellationToken cancel) => SignIn(cancel, renewal: true);

        private void SignIn(CancellationToken cancel, bool renewal)
        {
            string id;
            try
            {
                id = KscWire.String(Call(KscWire.StartSession, new JObject(), true, cancel)?["PxgRetVal"]);
            }
            catch (EndpointAdminException ex) when (ex.Kind == ErrorKind.AuthenticationError || ex.Kind == ErrorKind.PermissionDenied)
            {
                var who = (string.IsNullOrEmpty(_options.Domain) ? string.Empty : _options.Domain + "\\") + _options.UserName + (_options.VirtualServer == null ? string.Empty : " on virtual server '" + _options.VirtualServer + "'");
                throw new EndpointAdminException(
                    ErrorIds.ManagerAuthenticationFailed,
                    ErrorKind.AuthenticationError,
                    _options.UserName,
                    (renewal ? "The Administration Server ended the session and signing in again as " : "The Administration Server refused the sign-in of ") + who + (renewal ? " failed: " : ": ") + ex.Message,
                    ex)
                {
                    ServerMessage = ex.ServerMessage,
                    StatusCode = ex.StatusCode,
                    RecommendedAction = "Check the user name, password, -Domain (for a Windows account) and -VirtualServer, that the account is not blocked, then run Connect-AgentManager again.",
                };
            }

            if (string.IsNullOrEmpty(id))
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, KscWire.StartSession, "Session.StartSession answered without a session ID.");
            }

            var secure = new SecureString();
            foreach (var c in id)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            Interlocked.Exchange(ref _session, secure)?.Dispose();
        }

        /// <summary>One Open API call; a PxgError (which arrives with HTTP 200) becomes the mapped exception.</summary>
        private JToken Call(string method, JObject body, bool safe, CancellationToken cancel)
        {
            var answer = _http.SendJson(HttpMethod.Post, method, body.ToString(Newtonsoft.Json.Formatting.None), safe, cancel);
            var error = KscWire.Error(answer, method, text => Redactor.Redact(text, _options.Password, Volatile.Read(ref _session)));
            if (error != null)
            {
                throw error;
            }

            return answer;
        }

        // ---- devices ----

        /// <summary>
        /// Hosts matching a filter, chunk by chunk. The accessor is released in every case: the end,
        /// an error, or a consumer that stops early (Ctrl+C disposes the enumerator).
        /// </summary>
        private IEnumerable<JObject> Find(string filter, string[] fields, Action<int> onChunk, CancellationToken cancel)
        {
            var found = Call(KscWire.FindHosts, new JObject
            {
                ["wstrFilter"] = filter,
                ["vecFieldsToReturn"] = new JArray(fields.Cast<object>().ToArray()),
                ["vecFieldsToOrder"] = new JArray(),
                ["pParams"] = new JObject { ["KLSRVH_SLAVE_REC_DEPTH"] = 0, ["KLGRP_FIND_FROM_CUR_VS_ONLY"] = true },
                ["lMaxLifeTime"] = KscWire.AccessorLifetimeSeconds,
            }, true, cancel);
            var accessor = KscWire.String(found?["strAccessor"]);
            if (string.IsNullOrEmpty(accessor))
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, KscWire.FindHosts, "HostGroup.FindHosts answered without an accessor.");
            }

            try
            {
                var count = KscWire.Long(found["PxgRetVal"]) ?? 0;
                var seen = 0;
                for (long start = 0; start < count; start += _chunkSize)
                {
                    var chunk = Call(KscWire.GetItemsChunk, new JObject { ["strAccessor"] = accessor, ["nStart"] = start, ["nCount"] = _chunkSize }, true, cancel);
                    var items = KscWire.Params(chunk?["pChunk"])?["KLCSP_ITERATOR_ARRAY"] as JArray;
                    if (items == null || items.Count == 0)
                    {
                        break;
                    }

                    seen += items.Count;
                    onChunk?.Invoke(seen);
                    foreach (var item in items)
                    {
                        var host = KscWire.Params(item);
                        if (host != null)
                        {
                            yield return host;
                        }
                    }
                }
            }
            finally
            {
                ReleaseAccessor(accessor);
            }
        }

        /// <summary>Release even after Ctrl+C: a fresh, short deadline instead of the stopped token.</summary>
        private void ReleaseAccessor(string accessor)
        {
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try
                {
                    Call(KscWire.Release, new JObject { ["strAccessor"] = accessor }, true, deadline.Token);
                }
                catch (Exception ex) when (ex is EndpointAdminException || ex is OperationCanceledException)
                {
                    _http.Log.Enqueue("the accessor could not be released (" + ex.Message + "); the server frees it after " + KscWire.AccessorLifetimeSeconds + " s");
                }
            }
        }

        private static Agent ToAgent(JObject h)
        {
            var status = KscWire.Long(h[KscWire.Status]);
            bool? Bit(int mask) => status.HasValue ? (status.Value & mask) != 0 : (bool?)null;
            var dns = KscWire.String(h[KscWire.DnsName]);
            var domain = KscWire.String(h[KscWire.DnsDomain]);
            var alive = Bit(KscWire.StatusAgentAlive);
            var installed = Bit(KscWire.StatusAgentInstalled);
            var name = KscWire.String(h[KscWire.DisplayName]);
            return new Agent
            {
                Id = KscWire.String(h[KscWire.HostId]),
                Name = name,
                DisplayName = name,
                Product = ManagerProduct.KasperskySecurityCenter,
                IPAddress = KscWire.IPv4(KscWire.Long(h[KscWire.IpLong])),
                AgentVersion = KscWire.String(h[KscWire.NagentVersion]),
                Status = alive == true ? AgentStatus.Active : installed == true ? AgentStatus.Inactive : AgentStatus.Unknown,
                LastContact = KscWire.DateTime(h[KscWire.LastNagentConnected]),
                StatusMessages = new string[0],
                DnsName = string.IsNullOrEmpty(dns) ? null : (string.IsNullOrEmpty(domain) ? dns : dns + "." + domain),
                GroupId = (int?)KscWire.Long(h[KscWire.GroupId]),
                LastInfoUpdate = KscWire.DateTime(h[KscWire.LastInfoUpdate]),
                LastVisible = KscWire.DateTime(h[KscWire.LastVisible]),
                ContinuousConnection = KscWire.Bool(h[KscWire.KeepConnection]),
                Visible = Bit(KscWire.StatusVisible),
                AgentInstalled = installed,
                AgentAlive = alive,
                RealTimeProtectionInstalled = Bit(KscWire.StatusRtpInstalled),
            };
        }

        private IEnumerable<string> Filters(AgentQuery query)
        {
            if (query.PolicyId.HasValue)
            {
                throw ManagerCapabilities.NotSupported(this, ManagerCapability.ListAgents, "Kaspersky Security Center devices have no policy ID; select them with -Name or -Id");
            }

            if (query.Ids != null && query.Ids.Count > 0)
            {
                var bad = query.Ids.FirstOrDefault(i => !KscWire.IsHostId(i));
                if (bad != null || query.Ids.Contains(null))
                {
                    throw KscWire.BadHostId(bad);
                }

                foreach (var batch in Batches(query.Ids.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), _batchSize))
                {
                    yield return KscWire.IdFilter(batch);
                }

                yield break;
            }

            if (query.Names != null && query.Names.Count > 0)
            {
                yield return KscWire.AnyOf(query.Names.Select(KscWire.NameFilter));
                yield break;
            }

            yield return KscWire.AllHostsFilter;
        }

        public override IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            var groups = new Dictionary<int, string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var total = 0;
            var filters = Filters(query).ToList();
            // Only several searches can find a device twice: one search's IDs are not kept.
            var dedupe = filters.Count > 1;
            foreach (var filter in filters)
            {
                var before = total;
                foreach (var host in Find(filter, KscWire.AgentFields, n => onPage?.Invoke(before + n), cancel))
                {
                    var agent = ToAgent(host);
                    // The server's wildcards may be looser than PowerShell's: the pattern decides here.
                    if (agent.Id == null || (dedupe && !seen.Add(agent.Id)) || (query.Names != null && query.Names.Count > 0 && !query.Names.Any(n => n.IsMatch(agent.Name ?? string.Empty))))
                    {
                        continue;
                    }

                    total++;
                    agent.GroupName = GroupName(agent.GroupId, groups, cancel);
                    yield return agent;
                }

                total = Math.Max(total, before);
            }
        }

        /// <summary>Each group's name read once per command; a group the account may not read keeps no name.</summary>
        private string GroupName(int? groupId, Dictionary<int, string> names, CancellationToken cancel)
        {
            if (groupId == null)
            {
                return null;
            }

            if (!names.TryGetValue(groupId.Value, out var name))
            {
                try
                {
                    name = KscWire.String(KscWire.Params(Call(KscWire.GetGroupInfo, new JObject { ["nGroupId"] = groupId.Value }, true, cancel)?["PxgRetVal"])?["name"]);
                }
                catch (EndpointAdminException ex) when (ex.StatusCode == 200)
                {
                    _http.Log.Enqueue("group " + groupId + " has no readable name: " + ex.Message);
                }

                names[groupId.Value] = name;
            }

            return name;
        }

        public override IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel)
        {
            var minutes = run.IntervalOverrideMinutes ?? KscWire.DefaultSyncIntervalMinutes;
            run.Policies[0] = new Dictionary<string, string> { ["SyncIntervalMinutes"] = minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            foreach (var agent in GetAgents(query, onPage, cancel))
            {
                var verdict = HeartbeatEvaluator.Evaluate(agent.LastContact, run.Now, TimeSpan.FromMinutes(minutes), KscWire.MissedSyncsBeforeAlert);
                yield return new HeartbeatResult
                {
                    AgentId = agent.Id,
                    Name = agent.Name,
                    Product = Product,
                    LastContact = agent.LastContact,
                    IntervalMinutes = minutes,
                    MissedHeartbeatsBeforeAlert = KscWire.MissedSyncsBeforeAlert,
                    MissedHeartbeats = verdict.Missed,
                    Status = verdict.Status,
                    CheckedAt = run.Now,
                };
            }
        }

        // ---- forced synchronization ----

        /// <summary>Checks and looks up the batch (one search), then one AddHostsForSync for every device found.</summary>
        public override IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel)
        {
            var ids = agentIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var valid = ids.Where(KscWire.IsHostId).ToList();
            var hosts = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            foreach (var batch in Batches(valid, _batchSize))
            {
                foreach (var host in Find(KscWire.IdFilter(batch), KscWire.SyncFields, null, cancel))
                {
                    hosts[KscWire.String(host[KscWire.HostId])] = host;
                }
            }

            var requestedAt = DateTime.UtcNow;
            var found = valid.Where(hosts.ContainsKey).ToList();
            var actions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var batch in Batches(found, _batchSize))
            {
                var answer = Call(KscWire.AddHostsForSync, new JObject { ["pHostNames"] = new JArray(batch.Cast<object>().ToArray()), ["strSSType"] = string.Empty }, false, cancel);
                var guid = KscWire.String(answer?["wstrActionGuid"] ?? answer?["strActionGuid"] ?? answer?["PxgRetVal"]);
                foreach (var id in batch)
                {
                    actions[id] = guid;
                }
            }

            var outcomes = new List<SyncOutcome>(ids.Count);
            foreach (var id in ids)
            {
                if (!KscWire.IsHostId(id))
                {
                    outcomes.Add(new SyncOutcome(id, null, KscWire.BadHostId(id)));
                }
                else if (!hosts.TryGetValue(id, out var host))
                {
                    outcomes.Add(new SyncOutcome(id, null, new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The Administration Server has no device with host ID " + id + ".")));
                }
                else
                {
                    outcomes.Add(new SyncOutcome(id, new SyncResult
                    {
                        AgentId = KscWire.String(host[KscWire.HostId]),
                        Name = KscWire.String(host[KscWire.DisplayName]),
                        Product = Product,
                        Status = SyncStatus.Requested,
                        RequestedAt = requestedAt,
                        LastPolicySent = KscWire.DateTime(host[KscWire.LastNagentConnected]),
                        ActionId = actions[id],
                    }));
                }
            }

            return outcomes;
        }

        /// <summary>
        /// First each action to its end (CheckActionState, at the pace the server asks for), then each
        /// device until its last Network Agent connection moves past the one seen before the request.
        /// UNCONFIRMED: what a finalized AddHostsForSync action guarantees per device, hence the second step.
        /// </summary>
        public override IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel)
        {
            var failedActions = FollowActions(requested.Select(r => r.ActionId).Where(a => a != null).Distinct().ToList(), deadlineUtc, cancel);
            var pending = new Dictionary<string, SyncResult>(StringComparer.OrdinalIgnoreCase);
            foreach (var r in requested)
            {
                if (r.ActionId != null && failedActions.TryGetValue(r.ActionId, out var why))
                {
                    r.Status = SyncStatus.Failed;
                    r.Message = why;
                    yield return new SyncOutcome(r.AgentId, r);
                }
                else
                {
                    pending[r.AgentId] = r;
                }
            }

            var delay = TimeSpan.FromMilliseconds(200);
            while (pending.Count > 0)
            {
                foreach (var batch in Batches(pending.Keys.ToList(), _batchSize))
                {
                    foreach (var host in Find(KscWire.IdFilter(batch), KscWire.SyncFields, null, cancel).ToList())
                    {
                        var id = KscWire.String(host[KscWire.HostId]);
                        var last = KscWire.DateTime(host[KscWire.LastNagentConnected]);
                        if (id != null && pending.TryGetValue(id, out var r) && last.HasValue && (!r.LastPolicySent.HasValue || last.Value > r.LastPolicySent.Value))
                        {
                            r.LastPolicySent = last;
                            r.Status = SyncStatus.Succeeded;
                            pending.Remove(id);
                            yield return new SyncOutcome(id, r);
                        }
                    }
                }

                if (pending.Count == 0)
                {
                    break;
                }

                var left = deadlineUtc - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    foreach (var r in pending.Values)
                    {
                        r.Status = SyncStatus.TimedOut;
                        yield return new SyncOutcome(r.AgentId, r);
                    }

                    yield break;
                }

                Sleep(left < delay ? left : delay, cancel);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }

        /// <summary>Follows actions to bFinalized; returns the failed ones with the server's reason.</summary>
        private Dictionary<string, string> FollowActions(List<string> actions, DateTime deadlineUtc, CancellationToken cancel)
        {
            var failed = new Dictionary<string, string>();
            var next = actions.ToDictionary(a => a, _ => DateTime.UtcNow);
            while (next.Count > 0 && DateTime.UtcNow < deadlineUtc)
            {
                foreach (var action in next.Keys.ToList())
                {
                    if (next[action] > DateTime.UtcNow)
                    {
                        continue;
                    }

                    JToken state;
                    try
                    {
                        state = Call(KscWire.CheckActionState, new JObject { ["wstrActionGuid"] = action }, true, cancel);
                    }
                    catch (EndpointAdminException ex) when (ex.Kind == ErrorKind.ObjectNotFound)
                    {
                        // A renewed session no longer knows the old session's actions; the devices still tell.
                        _http.Log.Enqueue("action " + action + " is no longer known to this session (" + ex.ServerMessage + "); following its devices");
                        next.Remove(action);
                        continue;
                    }

                    if (KscWire.Bool(state?["bFinalized"]) == true)
                    {
                        next.Remove(action);
                        if (KscWire.Bool(state["bSuccededFinalized"]) != true)
                        {
                            failed[action] = ActionError(state) ?? "the Administration Server reported the synchronization action failed (state code " + KscWire.Long(state["lStateCode"]) + ")";
                        }

                        continue;
                    }

                    var wait = KscWire.Long(state?["lNextCheckDelay"]) ?? 500;
                    next[action] = DateTime.UtcNow.AddMilliseconds(Math.Max(50, Math.Min(wait, 5000)));
                }

                if (next.Count > 0)
                {
                    var soonest = next.Values.Min() - DateTime.UtcNow;
                    var left = deadlineUtc - DateTime.UtcNow;
                    var pause = soonest < left ? soonest : left;
                    if (pause > TimeSpan.Zero)
                    {
                        Sleep(pause, cancel);
                    }
                }
            }

            return failed;
        }

        /// <summary>UNCONFIRMED layout: pStateData carries KLBLAG_ERROR_INFO with a message on failure; any text found is the reason.</summary>
        private static string ActionError(JToken state)
        {
            var data = KscWire.Params(state?["pStateData"]);
            var info = KscWire.Params(data?["KLBLAG_ERROR_INFO"]) ?? data;
            return info?.Properties().Select(p => KscWire.String(p.Value as JValue)).FirstOrDefault(t => !string.IsNullOrEmpty(t));
        }

        private static void Sleep(TimeSpan wait, CancellationToken cancel)
        {
            cancel.WaitHandle.WaitOne(wait);
            cancel.ThrowIfCancellationRequested();
        }

        private static IEnumerable<List<string>> Batches(IList<string> items, int size)
        {
            for (int i = 0; i < items.Count; i += size)
            {
                yield return items.Skip(i).Take(size).ToList();
            }
        }

        // ---- continuous connection ----

        public override ContinuousConnectionCount CountContinuousConnections(CancellationToken cancel)
        {
            var found = Call(KscWire.FindHosts, new JObject
            {
                ["wstrFilter"] = KscWire.KeepConnectionFilter,
                ["vecFieldsToReturn"] = new JArray(KscWire.HostId),
                ["vecFieldsToOrder"] = new JArray(),
                ["pParams"] = new JObject { ["KLSRVH_SLAVE_REC_DEPTH"] = 0, ["KLGRP_FIND_FROM_CUR_VS_ONLY"] = true },
                ["lMaxLifeTime"] = KscWire.AccessorLifetimeSeconds,
            }, true, cancel);
            var accessor = KscWire.String(found?["strAccessor"]);
            if (!string.IsNullOrEmpty(accessor))
            {
                ReleaseAccessor(accessor);
            }

            return new ContinuousConnectionCount { InUse = (int)(KscWire.Long(found?["PxgRetVal"]) ?? 0), Limit = KscWire.ContinuousConnectionLimit };
        }

        public override Agent SetContinuousConnection(Agent agent, bool enabled, CancellationToken cancel)
        {
            Call(KscWire.UpdateHost, new JObject { ["strHostName"] = agent.Id, ["pInfo"] = new JObject { [KscWire.KeepConnection] = enabled } }, true, cancel);
            agent.ContinuousConnection = enabled;
            return agent;
        }

        public override void Dispose()
        {
            if (Volatile.Read(ref _session) != null)
            {
                using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                {
                    try
                    {
                        _http.Renew = null;
                        Call(KscWire.EndSession, new JObject(), false, deadline.Token);
                    }
                    catch (Exception ex) when (ex is EndpointAdminException || ex is OperationCanceledException)
                    {
                        // The server ends an idle session by itself; a failed sign-out changes nothing here.
                    }
                }
            }

            _http.Dispose();
            Interlocked.Exchange(ref _session, null)?.Dispose();
        }
    }
}
