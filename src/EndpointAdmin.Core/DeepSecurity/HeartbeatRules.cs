using System.Globalization;
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
    /// The priority-4 Force Allow / Bypass rule for the agent's heartbeat port that the product
    /// document describes: created as a firewall rule, then assigned to the policy.
    /// </summary>
    internal sealed class HeartbeatRules
    {
        private readonly HttpPipeline _http;
        private readonly PolicySettings _policies;

        public HeartbeatRules(HttpPipeline http, PolicySettings policies)
        {
            _http = http;
            _policies = policies;
        }

        /// <summary>Creates the rule and assigns it; resolved: request.Policy is a policy ID the caller has just read (no request to check it again).</summary>
        public HeartbeatFirewallRule Create(HeartbeatRuleRequest request, CancellationToken cancel, bool resolved = false)
        {
            var policy = resolved ? request.Policy : _policies.ResolveTarget(request.Policy, cancel);
            var ips = request.SourceIPAddress ?? new string[0];
            var macs = request.SourceMacAddress ?? new string[0];
            var rule = new JObject
            {
                ["name"] = request.Name,
                ["description"] = "Restricts the agent heartbeat port " + request.Port + " (priority 4 rule that replaces the manager's hidden rule). Created by EndpointAdmin.",
                ["action"] = RuleAction(request.Action),
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
            var created = _http.Json(HttpMethod.Post, Paths.FirewallRules, rule, false, cancel);
            var id = (int)created["ID"];
            try
            {
                _http.Json(HttpMethod.Post, Paths.FirewallAssignments(policy.Id), new JObject { ["ruleIDs"] = new JArray(id) }, false, cancel);
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

        /// <summary>Unassigns a rule assigned on the policy itself; the rule stays defined, so nothing another policy uses goes away.</summary>
        public void Unassign(int policyId, int ruleId, CancellationToken cancel)
        {
            _http.Json(HttpMethod.Delete, Paths.FirewallAssignment(policyId, ruleId), null, false, cancel);
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
    }
}
