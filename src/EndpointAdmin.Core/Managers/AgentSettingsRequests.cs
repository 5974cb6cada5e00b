using System;
using System.Collections.Generic;
using System.Security;

namespace EndpointAdmin.Managers
{
    // The agent-server and agent firewall settings of the Apex One product documents, as the
    // cmdlets hand them over: unchecked, because which rules apply is the provider's knowledge.

    /// <summary>How Security Agents reach their server (Agent-Server Communication > Proxy Settings).</summary>
    internal enum AgentServerProxyMode
    {
        None,
        System,
        Manual,
    }

    /// <summary>Set-AgentServerCommunication: the server names/addresses and the listening port agents use.</summary>
    internal sealed class ServerCommunicationRequest
    {
        public string[] ServerAddresses { get; set; }

        public int? ListeningPort { get; set; }

        /// <summary>The agent version the change is for; null when not given.</summary>
        public string AgentVersion { get; set; }
    }

    /// <summary>Set-AgentProxy -Purpose AgentServer: no proxy, the agents' system proxy, or a manual one.</summary>
    internal sealed class AgentServerProxyRequest
    {
        public AgentServerProxyMode Mode { get; set; }

        /// <summary>Manual: protocol, host and port as the user typed them.</summary>
        public string ProxyUri { get; set; }

        public string UserName { get; set; }

        public SecureString Password { get; set; }
    }

    /// <summary>Set-AgentFirewallSetting: the global agent firewall settings; null members stay as they are.</summary>
    internal sealed class FirewallSettingsRequest
    {
        public bool? EnableFirewall { get; set; }

        public bool? SendLogToServer { get; set; }

        public int? LogSendingIntervalMinutes { get; set; }

        public bool? UpdateDriverOnlyAfterRestart { get; set; }

        public bool? SendHourlyLogCount { get; set; }

        public bool? CertifiedSafeSoftwareService { get; set; }

        /// <summary>Agents whose proxy path is checked before the Certified Safe Software Service is switched on.</summary>
        public IList<string> AgentIds { get; set; } = new List<string>();

        /// <summary>The proxy the agents use to reach the Internet, as the user typed it; null when not given.</summary>
        public string ProxyUri { get; set; }

        /// <summary>How long the proxy path check may take per attempt.</summary>
        public TimeSpan Timeout { get; set; }
    }

    /// <summary>A validated agent settings change: the console fields and the values to give them, in the product document's words.</summary>
    internal sealed class SettingsChange
    {
        public List<string> Fields { get; } = new List<string>();

        /// <summary>A password that goes with the change (the manual proxy's), never part of Fields.</summary>
        public SecureString Secret { get; set; }

        public string Describe() => string.Join("; ", Fields);
    }
}
