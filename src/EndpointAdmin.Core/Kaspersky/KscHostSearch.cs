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
    /// Devices through HostGroup.FindHosts and chunk accessors that are always released: the search
    /// filters for IDs and names, each device as an Agent with its group's name, and counts.
    /// </summary>
    internal sealed class KscHostSearch
    {
        private readonly KscSession _session;
        private readonly int _chunkSize;
        private readonly int _batchSize;

        public KscHostSearch(KscSession session, int chunkSize, int batchSize)
        {
            _session = session;
            _chunkSize = chunkSize;
            _batchSize = batchSize;
        }

        /// <summary>
        /// Hosts matching a filter, chunk by chunk. The accessor is released in every case: the end,
        /// an error, or a consumer that stops early (Ctrl+C disposes the enumerator).
        /// </summary>
        public IEnumerable<JObject> Find(string filter, string[] fields, Action<int> onChunk, CancellationToken cancel)
        {
            var found = _session.Call(KscWire.FindHosts, KscWire.FindHostsArgs(filter, fields), true, cancel);
            var accessor = KscWire.String(found?["strAccessor"]);
            if (string.IsNullOrEmpty(accessor))
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, KscWire.FindHosts, "HostGroup.FindHosts answered without an accessor.");
            }

            try
            {
                var count = KscWire.Long(found["PxgRetVal"]) ?? 0;
                var seen = 0;
                // Declared outside the loop and let go after each chunk: an iterator keeps its locals
                // (and the last device it yielded, whose parents reach the whole answer) as fields, so
                // the previous chunk's tree would otherwise stay alive while the next one is read.
                JToken chunk = null;
                JArray items = null;
                for (long start = 0; start < count; start += _chunkSize)
                {
                    chunk = _session.Call(KscWire.GetItemsChunk, new JObject { ["strAccessor"] = accessor, ["nStart"] = start, ["nCount"] = _chunkSize }, true, cancel);
                    items = KscWire.Params(chunk?["pChunk"])?["KLCSP_ITERATOR_ARRAY"] as JArray;
                    chunk = null;
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

                    // Each device yielded stays whole (its own attributes); only the array lets go of them.
                    items.Clear();
                    items = null;
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
                    _session.Call(KscWire.Release, new JObject { ["strAccessor"] = accessor }, true, deadline.Token);
                }
                catch (Exception ex) when (ex is EndpointAdminException || ex is OperationCanceledException)
                {
                    _session.Http.Log.Enqueue("the accessor could not be released (" + ex.Message + "); the server frees it after " + KscWire.AccessorLifetimeSeconds + " s");
                }
            }
        }

        /// <summary>How many devices match a filter: the search's own count, without reading a chunk.</summary>
        public int Count(string filter, CancellationToken cancel)
        {
            var found = _session.Call(KscWire.FindHosts, KscWire.FindHostsArgs(filter, new[] { KscWire.HostId }), true, cancel);
            var accessor = KscWire.String(found?["strAccessor"]);
            if (!string.IsNullOrEmpty(accessor))
            {
                ReleaseAccessor(accessor);
            }

            return (int)(KscWire.Long(found?["PxgRetVal"]) ?? 0);
        }

        public IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel)
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
                    name = KscWire.String(KscWire.Params(_session.Call(KscWire.GetGroupInfo, new JObject { ["nGroupId"] = groupId.Value }, true, cancel)?["PxgRetVal"])?["name"]);
                }
                catch (EndpointAdminException ex) when (ex.StatusCode == 200)
                {
                    _session.Http.Log.Enqueue("group " + groupId + " has no readable name: " + ex.Message);
                }

                names[groupId.Value] = name;
            }

            return name;
        }

        private IEnumerable<string> Filters(AgentQuery query)
        {
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

        public static IEnumerable<List<string>> Batches(IList<string> items, int size)
        {
            for (int i = 0; i < items.Count; i += size)
            {
                yield return items.Skip(i).Take(size).ToList();
            }
        }
    }
}
