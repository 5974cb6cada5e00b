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
    /// Computers through the documented ID-paging search: pages that each start after the last ID
    /// seen, one search per name pattern, the heartbeat settings set on the computers of a page, and
    /// single computers by ID.
    /// </summary>
    internal sealed class ComputerSearch
    {
        private readonly HttpPipeline _http;
        private readonly int _pageSize;

        public ComputerSearch(HttpPipeline http, int pageSize)
        {
            _http = http;
            _pageSize = pageSize;
        }

        /// <summary>Deep Security computer IDs are positive integers; anything else is refused before a request is sent.</summary>
        public static int ParseAgentId(string id)
        {
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new EndpointAdminException(ErrorIds.AgentIdInvalid, ErrorKind.InvalidArgument, id, "'" + id + "' is not a Deep Security computer ID (a positive integer).");
            }

            return value;
        }

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

        /// <summary>
        /// Pages of computers, each with the criteria and the ID ranges that found it. Each page is a
        /// separate search that starts after the last ID seen, so a retried page repeats nobody.
        /// </summary>
        public IEnumerable<(JArray Criteria, List<(long From, long To)> Ranges, List<ComputerRecord> Page)> Pages(AgentQuery query, Action<int> onPage, CancellationToken cancel)
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
                    yield return (Filter(query), ranges, page);
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
                    pageCriteria.Add(Criteria.Id(last, Criteria.GreaterThan));
                    var raw = Search(pageCriteria, cancel);
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
                        throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, Paths.ComputerSearch, "The manager returned a page that does not move past ID " + last + "; stopping instead of looping.");
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
                var criteria = Filter(query);
                criteria.Add(Criteria.Id(from, Criteria.AtLeast));
                criteria.Add(Criteria.Id(to, Criteria.AtMost));
                foreach (var r in Search(criteria, cancel))
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

        private static IEnumerable<JArray> NameCriteriaSets(AgentQuery query)
        {
            if (query.Names == null || query.Names.Count == 0)
            {
                yield return Filter(query);
                yield break;
            }

            foreach (var name in query.Names)
            {
                var criteria = Filter(query);
                criteria.Add(Criteria.HostName(name));
                yield return criteria;
            }
        }

        /// <summary>The criteria every search of the query carries (the policy, when one is given).</summary>
        private static JArray Filter(AgentQuery query)
        {
            var criteria = new JArray();
            if (query.PolicyId.HasValue)
            {
                criteria.Add(Criteria.PolicyId(query.PolicyId.Value));
            }

            return criteria;
        }

        /// <summary>A page of computers with their status.</summary>
        private List<ComputerRecord> Search(JArray criteria, CancellationToken cancel)
        {
            return _http.Send(HttpMethod.Post, Paths.StatusSearch, Criteria.ComputerSearch(_pageSize, criteria), true, s => ComputerPageReader.Read(s, null), cancel);
        }

        /// <summary>
        /// The heartbeat settings set on the computers of one page themselves, by computer ID. Once a
        /// run has a page's worth of computers to judge, every computer's own settings are listed in
        /// one request for the rest of the run; below that, one search per ID range of the page with
        /// the page's own criteria (one answer each, as it finds no more computers than the page has).
        /// </summary>
        public Dictionary<int, Dictionary<string, string>> OwnSettings(JArray criteria, List<(long From, long To)> ranges, List<ComputerRecord> page, HeartbeatRun run, CancellationToken cancel)
        {
            if (page.Count == 0)
            {
                return new Dictionary<int, Dictionary<string, string>>();
            }

            if (run.AgentSettings == null && run.Judged + page.Count >= _pageSize)
            {
                run.AgentSettings = _http.Send(HttpMethod.Get, Paths.OwnSettingsList, null, true, s => ComputerPageReader.ReadOwnSettings(s, HeartbeatSettingNames), cancel);
            }

            if (run.AgentSettings != null)
            {
                return run.AgentSettings;
            }

            return OwnSettings(criteria, ranges, HeartbeatSettingNames, cancel);
        }

        /// <summary>The wanted settings set on the computers of a page's ID ranges themselves: one search per range.</summary>
        public Dictionary<int, Dictionary<string, string>> OwnSettings(JArray criteria, List<(long From, long To)> ranges, ISet<string> wanted, CancellationToken cancel)
        {
            var result = new Dictionary<int, Dictionary<string, string>>();
            foreach (var (from, to) in ranges)
            {
                Overrides(criteria, from, to, wanted, result, cancel);
            }

            return result;
        }

        /// <summary>Every computer's own wanted settings in one listing (computers that set none are left out).</summary>
        public Dictionary<int, Dictionary<string, string>> AllOwnSettings(ISet<string> wanted, CancellationToken cancel)
        {
            return _http.Send(HttpMethod.Get, Paths.OwnSettingsList, null, true, s => ComputerPageReader.ReadOwnSettings(s, wanted), cancel);
        }

        /// <summary>The heartbeat settings set on the computers of one ID range themselves (overrides=true).</summary>
        private void Overrides(JArray pageCriteria, long first, long last, ISet<string> wanted, Dictionary<int, Dictionary<string, string>> result, CancellationToken cancel)
        {
            var criteria = new JArray(pageCriteria.Select(c => c.DeepClone())) { Criteria.Id(first, Criteria.AtLeast), Criteria.Id(last, Criteria.AtMost) };
            long after = first - 1;
            for (int guard = 0; guard < 1000; guard++)
            {
                var body = Criteria.ComputerSearch(_pageSize, new JArray(criteria.Select(c => c.DeepClone())) { Criteria.Id(after, Criteria.GreaterThan) });
                var raw = _http.Send(HttpMethod.Post, Paths.OwnSettingsSearch, body, true, s => ComputerPageReader.Read(s, wanted), cancel);
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

        /// <summary>One computer by ID (AgentNotFound when the manager has none), with its own heartbeat settings when asked.</summary>
        public ComputerRecord GetComputer(int id, CancellationToken cancel, bool settings = false, bool overrides = false)
        {
            try
            {
                return _http.Send(HttpMethod.Get, Paths.Computer(id, settings, overrides), null, true, s => ComputerPageReader.ReadOne(s, settings ? HeartbeatSettingNames : null), cancel);
            }
            catch (EndpointAdminException ex) when (ex.ErrorId == ErrorIds.ManagerObjectNotFound)
            {
                throw new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no computer with ID " + id + ".", ex);
            }
        }
    }
}
