using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Managers;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// What the Apex One document asks before the Certified Safe Software Service is switched on:
    /// agents need correct proxy settings (the service queries Trend Micro datacenters), and pure
    /// IPv6 agents need a dual-stack proxy. The proxy path is tested with the diagnostics core
    /// (Test-AgentConnection's); the result is warnings, because the console is where it is decided.
    /// </summary>
    internal static class CertifiedSafeSoftwareCheck
    {
        /// <summary>Looks the agents up on the manager (naming the ones it does not know), then checks their proxy path; every finding is a warning.</summary>
        public static void Run(IAgentManagerProvider provider, IList<string> agentIds, Uri proxy, TimeSpan timeout, CommandFeedback feedback, CancellationToken cancel)
        {
            var ids = agentIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var agents = provider.GetAgents(new AgentQuery { Ids = ids }, null, cancel).ToList();
            foreach (var missing in ids.Where(id => !agents.Any(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase))))
            {
                feedback.Warning("The manager has no agent with ID " + missing + "; its proxy path was not checked.");
            }

            feedback.Verbose("Checking the proxy path of " + agents.Count + " agent(s) before the Certified Safe Software Service is enabled.");
            foreach (var warning in Run(agents, proxy, new ConnectionTester(), timeout, cancel))
            {
                feedback.Warning(warning);
            }
        }

        public static List<string> Run(IReadOnlyCollection<Agent> agents, Uri proxy, ConnectionTester tester, TimeSpan timeout, CancellationToken cancel)
        {
            var warnings = new List<string>();
            ConnectionTestResult path = null;
            if (proxy == null)
            {
                warnings.Add("No -ProxyUri given: make sure the " + agents.Count + " agent(s) have correct proxy settings before enabling the Certified Safe Software Service; wrong proxy settings with an intermittent Internet connection delay or fail its datacenter queries and make monitored programs appear unresponsive.");
            }
            else
            {
                path = tester.TestAsync(new ConnectionRequest { ComputerName = proxy.Host.Trim('[', ']'), Port = proxy.Port, Protocol = Protocol.TCP, Timeout = timeout }, cancel).GetAwaiter().GetResult();
                if (!path.Reachable)
                {
                    warnings.Add("The agents' proxy " + proxy.Host + ":" + proxy.Port + " is not reachable from here (" + path.Status + (string.IsNullOrEmpty(path.Detail) ? string.Empty : ": " + path.Detail) + "); check the agents' proxy settings before enabling the Certified Safe Software Service.");
                }
            }

            var dualStack = path != null && path.IPv4Address.Length > 0 && path.IPv6Address.Length > 0;
            foreach (var agent in agents.Where(a => ApexOneSettings.IsIPv6Only(a.IPAddressList != null && a.IPAddressList.Length > 0 ? a.IPAddressList : new[] { a.IPAddress })))
            {
                if (!dualStack)
                {
                    warnings.Add("Agent " + agent.Name + " (" + agent.Id + ") has only IPv6 addresses (" + string.Join(", ", agent.IPAddressList ?? new string[0]) + "): pure IPv6 Security Agents cannot query the Trend Micro datacenters directly and need a dual-stack proxy that converts IP addresses, such as DeleGate"
                        + (proxy == null ? "; give the agents' proxy with -ProxyUri to check it." : "; " + proxy.Host + " does not resolve to both IPv4 and IPv6 addresses here."));
                }
            }

            return warnings;
        }
    }
}
