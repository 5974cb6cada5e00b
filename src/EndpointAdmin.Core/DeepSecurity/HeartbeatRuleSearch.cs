using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>A heartbeat rule found on the manager, in the terms a baseline declares it.</summary>
    internal sealed class FoundHeartbeatRule
    {
        public int Id;
        public HeartbeatRuleAction Action;
        public int Port;
        public string[] SourceIPAddress;
        public string[] SourceMacAddress;

        /// <summary>SettingDefinition.DescribeHeartbeatRule's text, the form the baseline's value has.</summary>
        public string Text;
    }

    /// <summary>
    /// The rules that can be the priority-4 heartbeat rule: one search (a page per 5,000 rules) for
    /// incoming TCP rules of priority 4, kept when they force-allow or bypass one destination port
    /// from plain sources (no "not", no lists by ID), as HeartbeatRules creates them.
    /// </summary>
    internal static class HeartbeatRuleSearch
    {
        public static Dictionary<int, FoundHeartbeatRule> Read(HttpPipeline http, CancellationToken cancel)
        {
            var found = new Dictionary<int, FoundHeartbeatRule>();
            long last = 0;
            for (int guard = 0; guard < 10000; guard++)
            {
                var criteria = new JArray
                {
                    Criteria.Choice("priority", "4"),
                    Criteria.Choice("direction", "incoming"),
                    Criteria.Choice("protocol", "tcp"),
                    Criteria.Id(last, Criteria.GreaterThan),
                };
                var body = new JObject { ["maxItems"] = PageSize, ["sortByObjectID"] = true, ["searchCriteria"] = criteria };
                var rules = ((http.Json(HttpMethod.Post, Paths.FirewallRuleSearch, body, true, cancel)?["firewallRules"] as JArray) ?? new JArray()).OfType<JObject>().ToList();
                foreach (var rule in rules)
                {
                    var heartbeat = AsHeartbeatRule(rule);
                    if (heartbeat != null)
                    {
                        found[heartbeat.Id] = heartbeat;
                    }
                }

                if (rules.Count < PageSize)
                {
                    break;
                }

                var next = (long)rules[rules.Count - 1]["ID"];
                if (next <= last)
                {
                    throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, Paths.FirewallRuleSearch, "The manager returned a page of firewall rules that does not move past ID " + last + "; stopping instead of looping.");
                }

                last = next;
            }

            return found;
        }

        /// <summary>The rule in a baseline's terms, or null when it is not one a heartbeat rule can be.</summary>
        internal static FoundHeartbeatRule AsHeartbeatRule(JObject rule)
        {
            string Text(string name) => rule[name]?.Type == JTokenType.String ? (string)rule[name] : null;
            bool Set(string name) => rule[name]?.Type == JTokenType.Boolean && (bool)rule[name];
            var action = Text("action");
            HeartbeatRuleAction parsed;
            if (action == "force-allow")
            {
                parsed = HeartbeatRuleAction.ForceAllow;
            }
            else if (action == "bypass")
            {
                parsed = HeartbeatRuleAction.Bypass;
            }
            else
            {
                return null;
            }

            var ports = (rule["destinationPortMultiple"] as JArray)?.Select(p => (string)p).ToList();
            if (Text("priority") != "4" || Text("direction") != "incoming" || Text("protocol") != "tcp" || Text("destinationPortType") != "multiple"
                || ports == null || ports.Count != 1 || !int.TryParse(ports[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || Set("sourceIPNot") || Set("sourceMACNot") || Set("destinationPortNot"))
            {
                return null;
            }

            var ips = Source(rule, "IP");
            var macs = Source(rule, "MAC");
            if (ips == null || macs == null)
            {
                return null;
            }

            try
            {
                return new FoundHeartbeatRule
                {
                    Id = (int)rule["ID"],
                    Action = parsed,
                    Port = port,
                    SourceIPAddress = ips,
                    SourceMacAddress = macs,
                    Text = SettingDefinition.DescribeHeartbeatRule(parsed.ToString(), port, ips, macs),
                };
            }
            catch (EndpointAdminException)
            {
                // An address the firewall parser does not read: not a rule the module made or can compare.
                return null;
            }
        }

        /// <summary>The source addresses of a rule (empty: any), or null for a form a heartbeat rule does not take (lists by ID, ranges).</summary>
        private static string[] Source(JObject rule, string kind)
        {
            var type = (string)rule["source" + kind + "Type"] ?? "any";
            switch (type)
            {
                case "any": return new string[0];
                case "single": return new[] { (string)rule["source" + kind + "Value"] };
                case "multiple": return ((rule["source" + kind + "Multiple"] as JArray) ?? new JArray()).Select(v => (string)v).ToArray();
                case "masked-ip": return new[] { (string)rule["sourceIPValue"] + "/" + (string)rule["sourceIPMask"] };
                default: return null;
            }
        }

        /// <summary>
        /// The heartbeat rule of a policy among those in effect there: one assigned on the policy
        /// itself before an inherited one, then one on <paramref name="port"/>, then the newest.
        /// </summary>
        public static FoundHeartbeatRule Pick(PolicyNode policy, Dictionary<int, FoundHeartbeatRule> rules, int port)
        {
            return policy.RuleIds.Where(rules.ContainsKey).Select(id => rules[id])
                .OrderByDescending(r => policy.OwnRuleIds.Contains(r.Id))
                .ThenByDescending(r => r.Port == port)
                .ThenByDescending(r => r.Id)
                .FirstOrDefault();
        }

        /// <summary>A baseline value (DescribeHeartbeatRule's text) back to its parts: "Bypass TCP 4118 from 10.0.0.0/24; MAC aa:bb:...".</summary>
        public static (HeartbeatRuleAction Action, int Port, string[] Ips, string[] Macs) Parse(string text)
        {
            var macs = new string[0];
            var mac = text.IndexOf("; MAC ", StringComparison.Ordinal);
            if (mac >= 0)
            {
                macs = Split(text.Substring(mac + 6));
                text = text.Substring(0, mac);
            }

            var from = text.IndexOf(" from ", StringComparison.Ordinal);
            var head = text.Substring(0, from).Split(' ');
            var sources = text.Substring(from + 6);
            var ips = sources == "any address" ? new string[0] : Split(sources);
            return ((HeartbeatRuleAction)Enum.Parse(typeof(HeartbeatRuleAction), head[0]), int.Parse(head[2], CultureInfo.InvariantCulture), ips, macs);
        }

        private static string[] Split(string list) => list.Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries);
    }
}
