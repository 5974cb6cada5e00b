using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// Forced synchronization in batches: one search and one AddHostsForSync per batch, then each
    /// action followed through AsyncActionStateChecker and each device until its last Network Agent
    /// connection moves past the one seen before the request.
    /// </summary>
    internal sealed class KscSync
    {
        private readonly KscSession _session;
        private readonly KscHostSearch _hosts;
        private readonly int _batchSize;

        public KscSync(KscSession session, KscHostSearch hosts, int batchSize)
        {
            _session = session;
            _hosts = hosts;
            _batchSize = batchSize;
        }

        /// <summary>Checks and looks up the batch (one search), then one AddHostsForSync for every device found.</summary>
        public IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel)
        {
            var ids = agentIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var valid = ids.Where(KscWire.IsHostId).ToList();
            var hosts = new Dictionary<string, JObject>(StringComparer.OrdinalIgnoreCase);
            foreach (var batch in KscHostSearch.Batches(valid, _batchSize))
            {
                foreach (var host in _hosts.Find(KscWire.IdFilter(batch), KscWire.SyncFields, null, cancel))
                {
                    hosts[KscWire.String(host[KscWire.HostId])] = host;
                }
            }

            var requestedAt = DateTime.UtcNow;
            var found = valid.Where(hosts.ContainsKey).ToList();
            var actions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var batch in KscHostSearch.Batches(found, _batchSize))
            {
                var guid = KscWire.ActionGuid(_session.Call(KscWire.AddHostsForSync, KscWire.AddHostsForSyncArgs(batch), false, cancel));
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
                        Product = ManagerProduct.KasperskySecurityCenter,
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
        public IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel)
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
                foreach (var batch in KscHostSearch.Batches(pending.Keys.ToList(), _batchSize))
                {
                    foreach (var host in _hosts.Find(KscWire.IdFilter(batch), KscWire.SyncFields, null, cancel).ToList())
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
                        state = _session.Call(KscWire.CheckActionState, KscWire.CheckActionStateArgs(action), true, cancel);
                    }
                    catch (EndpointAdminException ex) when (ex.Kind == ErrorKind.ObjectNotFound)
                    {
                        // A renewed session no longer knows the old session's actions; the devices still tell.
                        _session.Http.Log.Enqueue("action " + action + " is no longer known to this session (" + ex.ServerMessage + "); following its devices");
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
    }
}
