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
            foreach (var page in Pages(query, onPage, cancel))
            {
                foreach (var record in page)
                {
                    yield return record.Agent;
                }
            }
        }

        /// <summary>Pages of computers. Each page is a separate search that starts after the last ID seen, so a retried page repeats nobody.</summary>
        public IEnumerable<List<ComputerRecord>> Pages(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            var total = 0;
            if (query.Ids != null && query.Ids.Count > 0)
            {
                foreach (var id in query.Ids.Select(ParseAgentId).ToList().Distinct())
                {
                    var criteria = Filter(query);
                    criteria.Add(Criteria.Id(id, Criteria.Equal));
                    var page = Search(criteria, 1, "computerStatus", false, cancel);
                    total += page.Count;
                    onPage?.Invoke(total);
                    yield return page;
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
                    var raw = Search(pageCriteria, _pageSize, "computerStatus", false, cancel);
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
                        yield return page;
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

        private List<ComputerRecord> Search(JArray criteria, int maxItems, string expand, bool overrides, CancellationToken cancel, ISet<string> settings = null)
        {
            var body = Criteria.ComputerSearch(maxItems, criteria);
            return _http.Send(HttpMethod.Post, Paths.Search(expand, settings != null, overrides), body, true, s => ComputerPageReader.Read(s, settings), cancel);
        }

        /// <summary>The heartbeat settings set on the computers of one page themselves (overrides=true), by computer ID.</summary>
        public Dictionary<int, Dictionary<string, string>> Overrides(List<ComputerRecord> page, AgentQuery query, CancellationToken cancel)
        {
            var result = new Dictionary<int, Dictionary<string, string>>();
            if (page.Count == 0)
            {
                return result;
            }

            var first = page[0].Id;
            var last = page[page.Count - 1].Id;
            var criteria = Filter(query);
            criteria.Add(Criteria.Id(first, Criteria.AtLeast));
            criteria.Add(Criteria.Id(last, Criteria.AtMost));
            long after = first - 1;
            for (int guard = 0; guard < 1000; guard++)
            {
                var pageCriteria = new JArray(criteria.Select(c => c.DeepClone())) { Criteria.Id(after, Criteria.GreaterThan) };
                var raw = Search(pageCriteria, _pageSize, "none", true, cancel, HeartbeatSettingNames);
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

            return result;
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
