using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// Apex Central (managing Apex One) through the Automation API (docs/design/vendor-apis.md §3): agents from the
    /// ProductAgents listing, every request signed with its own JWT (ApexJwtSigner). The Apex One
    /// agent-server and firewall settings of the product documents have no API: each is checked by
    /// the documents' rules, then refused with the console page and the values to enter there.
    /// </summary>
    internal sealed class ApexCentralProvider : ManagerProviderBase
    {
        private static readonly ManagerCapability[] Declared = { ManagerCapability.ListAgents, ManagerCapability.Baseline };

        public ApexCentralProvider(HttpPipeline http)
            : base(http)
        {
        }

        public override ManagerProduct Product => ManagerProduct.ApexCentral;

        public override IReadOnlyCollection<ManagerCapability> Capabilities => Declared;

        public override string ConsolePath(ManagerCapability capability) => ApexCentralWire.ConsolePath(capability);

        public override string CheckConnection(CancellationToken cancel)
        {
            foreach (var unused in List(ApexCentralWire.HostNameFilter, ApexCentralWire.ProbeHostName, cancel))
            {
            }

            return null;
        }

        public override IEnumerable<Agent> GetAgents(AgentQuery query, Action<int> onPage, CancellationToken cancel)
        {
            if (query.PolicyId.HasValue)
            {
                throw ManagerCapabilities.NotSupported(this, ManagerCapability.ListAgents, "Apex Central agents have no policy ID; leave out -PolicyId");
            }

            // An agent that several requests find (an ID and a name, two names) goes out once. Only the
            // IDs of the requests before the last are kept: the last may be the whole fleet (a plain
            // Get-Agent, a wildcard), whose IDs would make memory grow with the fleet again.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var requests = Requests(query).ToList();
            var total = 0;
            for (var r = 0; r < requests.Count; r++)
            {
                var (filter, value, pattern) = requests[r];
                var last = r == requests.Count - 1;
                foreach (var agent in List(filter, value, cancel))
                {
                    var id = agent.Id ?? string.Empty;
                    if ((pattern == null || pattern(agent.Name ?? string.Empty)) && (last ? !seen.Contains(id) : seen.Add(id)))
                    {
                        total++;
                        yield return agent;
                    }
                }

                onPage?.Invoke(total);
            }
        }

        public override IEnumerable<HeartbeatResult> TestHeartbeat(AgentQuery query, HeartbeatRun run, Action<int> onPage, CancellationToken cancel)
        {
            throw ManagerCapabilities.NotSupported(this, ManagerCapability.EvaluateHeartbeat, "its ProductAgents listing carries no last-contact time and no heartbeat interval, so no verdict can be judged. Get-Agent lists the agents Apex Central knows");
        }

        /// <summary>
        /// Every Apex One setting of a baseline is a console setting (a NotSupported row), so the
        /// manager's one state needs no request: nothing is read that nothing could compare with.
        /// </summary>
        public override IEnumerable<Baseline.BaselineTargetState> ReadBaseline(Baseline.ManagerBaseline baseline, CancellationToken cancel)
        {
            var own = baseline.Targets.Where(t => t.Type == BaselineTargetType.Manager).ToList();
            if (own.Count == 0)
            {
                yield break;
            }

            var state = new Baseline.BaselineTargetState { Type = BaselineTargetType.Manager, Id = baseline.Uri, Display = "manager" };
            state.Declarations.AddRange(own);
            yield return state;
        }

        /// <summary>Never reached from a plan (NotSupported rows are not written); refused rather than ignored if it is.</summary>
        public override void WriteBaseline(Baseline.BaselineWrite write, CancellationToken cancel)
        {
            throw ManagerCapabilities.NotSupported(this, ManagerCapability.Baseline, "the Apex One settings " + string.Join(", ", write.Changes.Select(c => c.Name)) + " have no Automation API; set them in the Apex One web console");
        }

        /// <summary>Nothing of a baseline is readable through the Automation API: an entry with only Product and Uri.</summary>
        public override System.Collections.Specialized.OrderedDictionary ExportBaseline(CancellationToken cancel) => new System.Collections.Specialized.OrderedDictionary();

        /// <summary>One request per literal name or ID; any wildcard needs the whole listing, filtered here.</summary>
        private static IEnumerable<(string Filter, string Value, Func<string, bool> Pattern)> Requests(AgentQuery query)
        {
            var ids = query.Ids ?? new string[0];
            var names = query.Names ?? new List<NamePattern>();
            if (ids.Count == 0 && names.Count == 0)
            {
                yield return (null, null, null);
                yield break;
            }

            foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                yield return (ApexCentralWire.EntityIdFilter, id, null);
            }

            foreach (var name in names.Where(n => !n.HasWildcards))
            {
                yield return (ApexCentralWire.HostNameFilter, name.Text, name.IsMatch);
            }

            var wild = names.Where(n => n.HasWildcards).ToList();
            if (wild.Count > 0)
            {
                yield return (null, null, n => wild.Any(p => p.IsMatch(n)));
            }
        }

        /// <summary>
        /// One ProductAgents request, its agents streamed as the answer is read (the whole fleet is
        /// one unpaged answer). Abandoning the enumeration releases the response.
        /// </summary>
        private IEnumerable<Agent> List(string filter, string value, CancellationToken cancel)
        {
            var path = ApexCentralWire.AgentsPath + (filter == null ? string.Empty : "?" + filter + "=" + Uri.EscapeDataString(value));
            var method = HttpMethod.Get;
            var agents = Http.SendStream(method, path, null, true, stream => ProductAgentsReader.Read(stream, code => Judge(method, path, code)), cancel);
            using (var e = agents.GetEnumerator())
            {
                while (true)
                {
                    try
                    {
                        if (!e.MoveNext())
                        {
                            yield break;
                        }
                    }
                    catch (EndpointAdminException ex) when (ResultCodeOf(ex.ServerMessage) is int code)
                    {
                        // A non-2xx answer whose body carries a result_code: that code says more than the status.
                        throw Failure(method, path, code, ex.StatusCode, ex);
                    }

                    yield return e.Current;
                }
            }
        }

        /// <summary>The result code of a 200 answer: called by the reader before it lets the first agent out.</summary>
        private static void Judge(HttpMethod method, string path, int? code)
        {
            if (code == null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, method.Method + " " + path, "Apex Central's answer to " + method.Method + " " + path + " has no result_code.");
            }

            if (code.Value != ApexCentralWire.Success)
            {
                throw Failure(method, path, code.Value, 200, null);
            }
        }

        private static int? ResultCodeOf(string body)
        {
            if (string.IsNullOrEmpty(body) || !body.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                return null;
            }

            try
            {
                var token = JObject.Parse(body)[ApexCentralWire.ResultCode];
                return token != null && token.Type == JTokenType.Integer ? (int?)(int)token : null;
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return null;
            }
        }

        private static EndpointAdminException Failure(HttpMethod method, string path, int code, int status, Exception inner)
        {
            var (id, kind) = ApexCentralWire.Map(code);
            return new EndpointAdminException(id, kind, method.Method + " " + path, "Apex Central answered result_code " + code + " to " + method.Method + " " + path + ": " + ApexCentralWire.Describe(code) + ".", inner)
            {
                RecommendedAction = ApexCentralWire.RecommendedAction(code),
                StatusCode = status,
                ServerMessage = "result_code " + code,
            };
        }

        // ---- the Apex One agent settings: checked by the product documents' rules, then refused for want of an API ----

        public override void SetServerCommunication(ServerCommunicationRequest request, CommandFeedback feedback, CancellationToken cancel)
        {
            var change = ApexOneSettings.ValidateServerCommunication(request.ServerAddresses, request.ListeningPort, request.AgentVersion);
            feedback.Warning(ApexOneSettings.RedeployWarning);
            throw EnterInConsole(ManagerCapability.SetServerCommunication, change);
        }

        public override void SetAgentServerProxy(AgentServerProxyRequest request, CommandFeedback feedback, CancellationToken cancel)
        {
            var change = ApexOneSettings.ValidateAgentServerProxy(request.Mode, request.ProxyUri, request.UserName, request.Password != null && request.Password.Length > 0);
            change.Secret = request.Password;
            throw EnterInConsole(ManagerCapability.SetAgentServerProxy, change);
        }

        /// <summary>Before the Certified Safe Software Service is switched on for given agents, their proxy path is tested and IPv6-only agents are named.</summary>
        public override void SetFirewallSettings(FirewallSettingsRequest request, CommandFeedback feedback, CancellationToken cancel)
        {
            var change = ApexOneSettings.ValidateFirewallSettings(request.EnableFirewall, request.SendLogToServer, request.LogSendingIntervalMinutes, request.UpdateDriverOnlyAfterRestart, request.SendHourlyLogCount, request.CertifiedSafeSoftwareService);
            var proxy = request.ProxyUri == null ? null : UriRules.Parse(request.ProxyUri, "-ProxyUri");
            if (request.CertifiedSafeSoftwareService == true && request.AgentIds.Count > 0)
            {
                CertifiedSafeSoftwareCheck.Run(this, request.AgentIds, proxy, request.Timeout, feedback, cancel);
            }

            throw EnterInConsole(ManagerCapability.SetFirewallSettings, change);
        }

        /// <summary>The settings have no Automation API: the NotSupported error names the console page and the values to enter there.</summary>
        private EndpointAdminException EnterInConsole(ManagerCapability capability, SettingsChange change)
        {
            return ManagerCapabilities.NotSupported(this, capability, "enter these values in the console instead: " + change.Describe());
        }
    }
}
