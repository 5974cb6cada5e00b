using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// Checks the Apex One agent-server and global firewall settings of the product documents before
    /// anything is sent or refused, so a user learns every mistake first and then, for a product with
    /// no API, exactly which console fields to fill in with which values.
    /// </summary>
    internal static class ApexOneSettings
    {
        /// <summary>Said before a server communication change, however it is made.</summary>
        public const string RedeployWarning = "Security Agents already installed lose the connection to the server when its names/addresses or listening port change, and the only way to re-establish it is to redeploy them. Make these changes before installing agents.";

        /// <summary>
        /// Server names and IPv4/IPv6 addresses plus the listening port. Agents 3.5.2xxx or earlier keep
        /// their server and port 61617: "You cannot change the settings."
        /// </summary>
        public static SettingsChange ValidateServerCommunication(string[] serverAddresses, int? listeningPort, string agentVersion)
        {
            var change = new SettingsChange();
            if (agentVersion != null && IsLegacyAgent(agentVersion))
            {
                throw new EndpointAdminException(ErrorIds.ServerSettingsFixedForAgentVersion, ErrorKind.InvalidOperation, agentVersion, "Security Agents " + agentVersion + " (3.5.2xxx or earlier) use the existing server and listening port " + ApexCentralWire.LegacyListeningPort + "; these settings cannot be changed for them.")
                {
                    RecommendedAction = "Upgrade the agents to 3.5.3xxx or later, which use the listening port configured in Apex One (default " + ApexCentralWire.DefaultListeningPort + ").",
                };
            }

            if (serverAddresses != null)
            {
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var address in serverAddresses)
                {
                    var text = address?.Trim();
                    if (string.IsNullOrEmpty(text) || Uri.CheckHostName(text.Trim('[', ']')) == UriHostNameType.Unknown || text.Contains("/") || (LooksNumeric(text) && !IPAddress.TryParse(text, out _)))
                    {
                        throw new EndpointAdminException(ErrorIds.ServerAddressInvalid, ErrorKind.InvalidArgument, address ?? string.Empty, "'" + address + "' is not a server name, IPv4 address or IPv6 address.");
                    }

                    if (!seen.Add(text))
                    {
                        throw new EndpointAdminException(ErrorIds.ServerAddressInvalid, ErrorKind.InvalidArgument, address, "'" + address + "' is given twice.");
                    }
                }

                change.Fields.Add("Server names and IPv4/IPv6 addresses = " + string.Join(", ", seen));
            }

            if (listeningPort.HasValue)
            {
                if (listeningPort.Value < 1 || listeningPort.Value > 65535)
                {
                    throw new EndpointAdminException(ErrorIds.ServerListeningPortInvalid, ErrorKind.InvalidArgument, listeningPort.Value, "-ListeningPort " + listeningPort.Value + " is not a TCP port (1-65535).");
                }

                if (listeningPort.Value == ApexCentralWire.LegacyListeningPort)
                {
                    throw new EndpointAdminException(ErrorIds.ServerListeningPortInvalid, ErrorKind.InvalidArgument, listeningPort.Value, "Port " + ApexCentralWire.LegacyListeningPort + " is the fixed port of Security Agents 3.5.2xxx or earlier; give agents 3.5.3xxx or later another port (default " + ApexCentralWire.DefaultListeningPort + ").");
                }

                change.Fields.Add("Listening port = " + listeningPort.Value.ToString(CultureInfo.InvariantCulture));
            }

            if (change.Fields.Count == 0)
            {
                throw NothingToChange("-ServerAddress or -ListeningPort");
            }

            return change;
        }

        /// <summary>Proxy mode none / system / manual with protocol, host, port and an optional credential.</summary>
        public static SettingsChange ValidateAgentServerProxy(AgentServerProxyMode mode, string proxyUri, string userName, bool hasPassword)
        {
            var change = new SettingsChange();
            switch (mode)
            {
                case AgentServerProxyMode.None:
                    change.Fields.Add("Proxy Settings = No proxy");
                    return change;
                case AgentServerProxyMode.System:
                    change.Fields.Add("Proxy Settings = Use system proxy settings on agents");
                    return change;
            }

            if (!Uri.TryCreate(proxyUri ?? string.Empty, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || !ApexCentralWire.ProxySchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            {
                throw new EndpointAdminException(ErrorIds.AgentServerProxyInvalid, ErrorKind.InvalidArgument, proxyUri ?? string.Empty, "-ProxyUri '" + proxyUri + "' is not a proxy address such as http://proxy.example.com:8080 (protocols: " + string.Join(", ", ApexCentralWire.ProxySchemes) + ").");
            }

            if (uri.IsDefaultPort && proxyUri.IndexOf(":" + uri.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) < 0 || uri.Port <= 0)
            {
                throw new EndpointAdminException(ErrorIds.AgentServerProxyInvalid, ErrorKind.InvalidArgument, proxyUri, "-ProxyUri '" + proxyUri + "' has no port; the console needs the proxy port (http://proxy.example.com:8080).");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo) || uri.AbsolutePath.Length > 1 || uri.Query.Length > 0)
            {
                throw new EndpointAdminException(ErrorIds.AgentServerProxyInvalid, ErrorKind.InvalidArgument, SafeText(uri), "-ProxyUri takes only protocol, host and port; give the user name and password with -ProxyCredential.");
            }

            if (userName != null && (userName.Trim().Length == 0 || !hasPassword))
            {
                throw new EndpointAdminException(ErrorIds.AgentServerProxyInvalid, ErrorKind.InvalidArgument, userName, "-ProxyCredential needs a user name and a password.");
            }

            change.Fields.Add("Proxy Settings = Use the following proxy settings when agents connect to the server");
            change.Fields.Add("Protocol = " + uri.Scheme.ToUpperInvariant());
            change.Fields.Add("Server name or IPv4/IPv6 address = " + uri.Host.Trim('[', ']'));
            change.Fields.Add("Port = " + uri.Port.ToString(CultureInfo.InvariantCulture));
            if (userName != null)
            {
                change.Fields.Add("User name = " + userName + "; Password = (from -ProxyCredential)");
            }

            return change;
        }

        /// <summary>The global firewall settings and the Certified Safe Software Service switch.</summary>
        public static SettingsChange ValidateFirewallSettings(bool? enableFirewall, bool? sendLogs, int? logIntervalMinutes, bool? driverAfterRestart, bool? hourlyCounts, bool? certifiedSafe)
        {
            var change = new SettingsChange();
            if (logIntervalMinutes.HasValue)
            {
                if (sendLogs == false)
                {
                    throw new EndpointAdminException(ErrorIds.AgentFirewallSettingConflict, ErrorKind.InvalidArgument, logIntervalMinutes.Value, "-LogSendingIntervalMinutes is the schedule of sending firewall logs; it contradicts -SendLogToServer $false.");
                }

                if (logIntervalMinutes.Value < 1 || logIntervalMinutes.Value > 1440)
                {
                    throw new EndpointAdminException(ErrorIds.AgentFirewallLogScheduleInvalid, ErrorKind.InvalidArgument, logIntervalMinutes.Value, "-LogSendingIntervalMinutes " + logIntervalMinutes.Value + " is outside 1-1440 (one minute to one day).");
                }
            }

            if (enableFirewall == false && (sendLogs == true || hourlyCounts == true))
            {
                throw new EndpointAdminException(ErrorIds.AgentFirewallSettingConflict, ErrorKind.InvalidArgument, "EnableFirewall", "Firewall logs come from the Apex One Firewall: sending them (or their hourly counts) contradicts -EnableFirewall $false.");
            }

            Add(change, "Enable the Apex One Firewall", enableFirewall);
            Add(change, "Send firewall logs to the server", sendLogs);
            if (logIntervalMinutes.HasValue)
            {
                change.Fields.Add("Log sending schedule = every " + logIntervalMinutes.Value.ToString(CultureInfo.InvariantCulture) + " minute(s)");
            }

            Add(change, "Update the Apex One firewall driver only after a system restart", driverAfterRestart);
            Add(change, "Send firewall log information to the Apex One server hourly to determine the possibility of a firewall outbreak", hourlyCounts);
            Add(change, "Enable the Certified Safe Software Service for Behavior Monitoring, Firewall, and antivirus scans", certifiedSafe);
            if (change.Fields.Count == 0)
            {
                throw NothingToChange("at least one setting (-EnableFirewall, -SendLogToServer, -LogSendingIntervalMinutes, -UpdateDriverOnlyAfterRestart, -SendHourlyLogCount, -CertifiedSafeSoftwareService)");
            }

            return change;
        }

        /// <summary>Reads "3.5.2345" style Security Agent versions: 3.5 with a build below 3000, or anything older, is 3.5.2xxx or earlier.</summary>
        public static bool IsLegacyAgent(string version)
        {
            var text = version.Trim().ToLowerInvariant().Replace("xxx", "000");
            if (!Version.TryParse(text, out var v) || v.Build < 0)
            {
                throw new EndpointAdminException(ErrorIds.AgentVersionInvalid, ErrorKind.InvalidArgument, version, "-AgentVersion '" + version + "' is not a Security Agent version such as 3.5.3456 or 3.5.2xxx.");
            }

            return v < new Version(3, 5, 3000);
        }

        /// <summary>An agent whose every address is IPv6 cannot reach the Trend Micro datacenters without a dual-stack proxy.</summary>
        public static bool IsIPv6Only(IEnumerable<string> addresses)
        {
            var parsed = (addresses ?? Enumerable.Empty<string>()).Select(a => IPAddress.TryParse(a?.Trim() ?? string.Empty, out var ip) ? ip : null).Where(ip => ip != null).ToList();
            return parsed.Count > 0 && parsed.All(ip => ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6);
        }

        private static void Add(SettingsChange change, string field, bool? value)
        {
            if (value.HasValue)
            {
                change.Fields.Add(field + " = " + (value.Value ? "on" : "off"));
            }
        }

        private static bool LooksNumeric(string text) => text.All(c => char.IsDigit(c) || c == '.');

        private static string SafeText(Uri uri) => uri.Scheme + "://" + uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);

        private static EndpointAdminException NothingToChange(string what)
        {
            return new EndpointAdminException(ErrorIds.AgentSettingNothingToChange, ErrorKind.InvalidArgument, null, "Nothing to change: give " + what + ".");
        }
    }
}
