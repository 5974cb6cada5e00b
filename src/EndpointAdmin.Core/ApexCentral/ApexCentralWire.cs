using System;
using System.Collections.Generic;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// Every Apex Central Automation API wire detail in one place (docs/design/vendor-apis.md §3). Confirmed from
    /// Trend Micro's Automation API guides: the JWT header (HS256/HS384/HS512, typ JWT), the payload
    /// (appid, iat in Unix seconds, version "V1", checksum), the checksum over
    /// UPPER(method)|lower(path and query, no "?" when the query is empty)|canonical API* headers|UTF-8
    /// JSON body, and the 401 for an iat outside the application's communication time-out.
    /// Everything marked UNCONFIRMED here is taken from public client code and only from here; the
    /// about topic repeats these marks for users.
    /// </summary>
    internal static class ApexCentralWire
    {
        /// <summary>UNCONFIRMED beyond public clients: the agents listing (GET, query filters) below the server root.</summary>
        public const string AgentsPath = "WebApp/API/AgentResource/ProductAgents";

        public const string Algorithm = "HS256";
        public const string TokenVersion = "V1";

        /// <summary>The canonical request headers are those whose names start with "API"; the module sends none.</summary>
        public const string CanonicalHeaders = "";

        // Query filters of ProductAgents (UNCONFIRMED names, from public clients).
        public const string HostNameFilter = "host_name";
        public const string EntityIdFilter = "entity_id";

        // Fields of one result_content entry (UNCONFIRMED names, from a public Go client struct).
        public const string EntityId = "entity_id";
        public const string HostName = "host_name";
        public const string IpList = "ip_address_list";
        public const string MacList = "mac_address_list";
        public const string ManagingServerId = "managing_server_id";
        public const string ProductField = "product";
        public const string AdDomain = "ad_domain";
        public const string FolderPath = "folder_path";
        public const string IsolationStatus = "isolation_status";

        public const string ResultCode = "result_code";
        public const string ResultDescription = "result_description";
        public const string ResultContent = "result_content";
        public const int Success = 1;

        /// <summary>
        /// UNCONFIRMED: a connection check lists the agents of a host name no agent carries. The
        /// guides show no lighter authenticated read.
        /// </summary>
        public const string ProbeHostName = "endpointadmin-connection-check.invalid";

        /// <summary>UNCONFIRMED: the list separators of ip_address_list / mac_address_list.</summary>
        public static readonly char[] ListSeparators = { ',', ';' };

        /// <summary>
        /// The result codes of the Apex Central / Control Manager reference, mapped once. The order of
        /// -2..-9 (which auth failure has which number) is UNCONFIRMED; the ranges are documented.
        /// </summary>
        public static readonly IReadOnlyDictionary<int, string> ResultMeanings = new Dictionary<int, string>
        {
            [-2] = "the authorization token is missing",
            [-3] = "the authorization token is malformed",
            [-4] = "the token version is not supported (only V1)",
            [-5] = "the application ID is not registered (Administration > Settings > Automation API Access Settings)",
            [-6] = "the token has expired: its iat is outside the application's communication time-out (check this computer's clock)",
            [-7] = "the token signature does not match the API key",
            [-8] = "the request checksum does not match the request",
            [-9] = "the signing algorithm is not supported (HS256, HS384, HS512)",
            [-21] = "a parameter is invalid",
            [-22] = "the operation is invalid",
            [-50] = "the HTTP method is not supported",
            [-99] = "the server failed internally",
            [-102] = "the request matches several agents and multiple matches are not allowed",
        };

        /// <summary>The one map from a result_code to the module's ErrorId and kind.</summary>
        public static (string ErrorId, ErrorKind Kind) Map(int code)
        {
            if (code <= -2 && code >= -9)
            {
                return (ErrorIds.ManagerAuthenticationFailed, ErrorKind.AuthenticationError);
            }

            switch (code)
            {
                case -21: return (ErrorIds.ManagerBadRequest, ErrorKind.InvalidArgument);
                case -22: return (ErrorIds.ManagerBadRequest, ErrorKind.InvalidOperation);
                case -50: return (ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError);
                case -99: return (ErrorIds.ManagerUnavailable, ErrorKind.ResourceUnavailable);
            }

            return code <= -100 ? (ErrorIds.ApexCentralAgentOperationFailed, ErrorKind.InvalidOperation) : (ErrorIds.ApexCentralResultError, ErrorKind.ProtocolError);
        }

        public static string Describe(int code)
        {
            return ResultMeanings.TryGetValue(code, out var meaning) ? meaning : "an undocumented result";
        }

        public static string RecommendedAction(int code)
        {
            if (code == -6)
            {
                return "Synchronise this computer's clock with the Apex Central server, or raise the application's Communication time-out.";
            }

            return code <= -2 && code >= -9
                ? "Check -ApplicationId and -ApiKey against Administration > Settings > Automation API Access Settings, then run Connect-AgentManager again."
                : null;
        }

        // ---- the Apex One settings of the product documents (no Automation API exposes them) ----

        public const string ServerCommunicationPage = "Administration > Agent-Server Communication";

        /// <summary>UNCONFIRMED: the proxy protocols the console offers (the document only says "select the proxy server protocol").</summary>
        public static readonly string[] ProxySchemes = { "http", "socks4", "socks5" };

        /// <summary>The listening port of Security Agents 3.5.3xxx or later (the default; configurable).</summary>
        public const int DefaultListeningPort = 4343;

        /// <summary>The fixed listening port of Security Agents 3.5.2xxx or earlier.</summary>
        public const int LegacyListeningPort = 61617;

        /// <summary>Console paths from the product documents, for NotSupported errors.</summary>
        public static string ConsolePath(ManagerCapability capability)
        {
            switch (capability)
            {
                case ManagerCapability.SetServerCommunication:
                    return "Apex One (Mac) web console: " + ServerCommunicationPage + " > Server Name and Listening Port (server names, IPv4/IPv6 addresses, listening port), then Save and, when prompted, run restart_TMSM.bat in the server installation folder";
                case ManagerCapability.SetAgentServerProxy:
                case ManagerCapability.SetProxyByAddress:
                case ManagerCapability.SetProxyById:
                    return "Apex One (Mac) web console: " + ServerCommunicationPage + " > Proxy Settings (No proxy; Use system proxy settings on agents; or Use the following proxy settings when agents connect to the server: protocol, server name or IPv4/IPv6 address, port, user name and password), then Save";
                case ManagerCapability.SetFirewallSettings:
                    return "Apex One web console: Agents > Global Agent Settings > Security Settings > Firewall Settings (Enable the Apex One Firewall; Send firewall logs to the server and its schedule; Update the Apex One firewall driver only after a system restart; Send firewall log information to the Apex One server hourly), and the System tab > Certified Safe Software Settings, then Save";
                case ManagerCapability.EvaluateHeartbeat:
                    return "Apex One web console: Agents > Agent Management (the ProductAgents listing of the Automation API carries no last-contact time)";
                default:
                    return null;
            }
        }
    }
}
