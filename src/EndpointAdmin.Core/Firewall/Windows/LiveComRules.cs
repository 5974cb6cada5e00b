using System;
using System.Collections.Generic;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>What the Windows Firewall backend read besides the rules: the live COM rule behind each rule and document.</summary>
    internal sealed class LiveComRules : BackendState
    {
            public Dictionary<string, IFirewallRuleCom> Rules { get; } = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);

            public Dictionary<string, IFirewallRuleCom> Documents { get; } = new Dictionary<string, IFirewallRuleCom>(StringComparer.Ordinal);
    }
}
