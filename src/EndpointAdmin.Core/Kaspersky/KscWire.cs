using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using EndpointAdmin.Errors;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// Every Kaspersky Security Center Open API wire detail in one place (docs/design/vendor-apis.md §2): method
    /// paths, headers, attribute names, typed values, the search filter text, status bits and the
    /// one map from KSC error codes to the module's errors. Confirmed against the KSC Open API
    /// reference (support.kaspersky.com/help/KSC/*/KSCAPI): Session.StartSession/Ping/EndSession
    /// and X-KSC-Session; HostGroup.FindHosts, GetHostInfo, UpdateHost, UpdateHostsMultiple,
    /// AddHostsForSync and AddGroupHostsForSync (strActionGuid out), GetGroupInfo (group attributes,
    /// "name"); AsyncActionStateChecker.CheckActionState (wstrActionGuid in; bFinalized,
    /// bSuccededFinalized, lStateCode, pStateData, lNextCheckDelay; same connection as the action);
    /// the error codes in ErrorMap. Choices the public reference could not confirm are marked
    /// UNCONFIRMED here and only here; the about topic repeats them for users.
    /// </summary>
    internal static class KscWire
    {
        public const int DefaultPort = 13299;

        public const string StartSession = "Session.StartSession";
        public const string Ping = "Session.Ping";
        public const string EndSession = "Session.EndSession";
        public const string FindHosts = "HostGroup.FindHosts";
        public const string GetItemsChunk = "ChunkAccessor.GetItemsChunk";
        public const string Release = "ChunkAccessor.Release";
        public const string AddHostsForSync = "HostGroup.AddHostsForSync";
        public const string CheckActionState = "AsyncActionStateChecker.CheckActionState";
        public const string UpdateHost = "HostGroup.UpdateHost";
        public const string GetGroupInfo = "HostGroup.GetGroupInfo";

        /// <summary>The action GUID as AddHostsForSync and AddGroupHostsForSync return it (an out parameter).</summary>
        public const string ActionGuidOut = "strActionGuid";

        /// <summary>The action GUID as CheckActionState takes it (an in parameter): the same value under another name.</summary>
        public const string ActionGuidIn = "wstrActionGuid";

        public const string SessionHeader = "X-KSC-Session";
        public const string VirtualServerHeader = "X-KSC-VServer";

        public const string HostId = "KLHST_WKS_HOSTNAME";
        public const string DisplayName = "KLHST_WKS_DN";
        public const string DnsName = "KLHST_WKS_DNSNAME";
        public const string DnsDomain = "KLHST_WKS_DNSDOMAIN";
        public const string IpLong = "KLHST_WKS_IP_LONG";
        public const string GroupId = "KLHST_WKS_GROUPID";
        public const string LastVisible = "KLHST_WKS_LAST_VISIBLE";
        public const string LastInfoUpdate = "KLHST_WKS_LAST_INFOUDATE";
        public const string LastNagentConnected = "KLHST_WKS_LAST_NAGENT_CONNECTED";
        public const string KeepConnection = "KLHST_WKS_KEEP_CONNECTION";
        public const string Status = "KLHST_WKS_STATUS";
        public const string NagentVersion = "KLHST_WKS_NAG_VERSION";

        public static readonly string[] AgentFields = { HostId, DisplayName, DnsName, DnsDomain, IpLong, GroupId, LastVisible, LastInfoUpdate, LastNagentConnected, KeepConnection, Status, NagentVersion };

        /// <summary>What a sync follow-up needs of each device.</summary>
        public static readonly string[] SyncFields = { HostId, DisplayName, LastNagentConnected, Status };

        /// <summary>UNCONFIRMED: status bits 0x01 visible, 0x04 Network Agent installed, 0x08 alive, 0x10 real-time protection installed (community code).</summary>
        public const int StatusVisible = 0x01;
        public const int StatusAgentInstalled = 0x04;
        public const int StatusAgentAlive = 0x08;
        public const int StatusRtpInstalled = 0x10;

        /// <summary>"The number of client devices maintaining a continuous connection with an Administration Server cannot exceed 300."</summary>
        public const int ContinuousConnectionLimit = 300;

        /// <summary>The seed's example synchronization interval ("for example, every 15 minutes"); the Open API cannot read the Network Agent policy's own value.</summary>
        public const int DefaultSyncIntervalMinutes = 15;

        /// <summary>
        /// The module's choice, not a KSC setting: KSC has no missed-synchronization threshold, so
        /// Test-AgentHeartbeat reports Late for up to three missed intervals and Alert beyond.
        /// </summary>
        public const int MissedSyncsBeforeAlert = 3;

        /// <summary>UNCONFIRMED largest chunk GetItemsChunk returns in one answer; 500 keeps answers small.</summary>
        public const int ChunkSize = 500;

        /// <summary>UNCONFIRMED largest host list AddHostsForSync takes in one call; also the IDs per FindHosts filter.</summary>
        public const int SyncBatchSize = 500;

        /// <summary>lMaxLifeTime of an accessor, seconds: the server frees it after that even if Release never comes.</summary>
        public const int AccessorLifetimeSeconds = 600;

        /// <summary>
        /// UNCONFIRMED: the keep-connection flag is written with HostGroup.UpdateHost, one device per
        /// call (header comments call it writable; UpdateHostsMultiple documents a restricted set).
        /// </summary>
        public const bool KeepConnectionPerHostUpdate = true;

        /// <summary>
        /// UNCONFIRMED: an expired or ended X-KSC-Session is answered with HTTP 401 or 403 (the docs say
        /// 403 after EndSession); the pipeline signs in again once on either.
        /// </summary>
        public static bool IsSignIn(string path) => path != null && path.EndsWith(StartSession, StringComparison.Ordinal);

        /// <summary>https://ksc:13299 -> https://ksc:13299/api/v1.0/</summary>
        public static Uri ApiBase(Uri managerUri)
        {
            var builder = new UriBuilder(managerUri.GetLeftPart(UriPartial.Authority)) { Path = "/api/v1.0/" };
            return builder.Uri;
        }

        /// <summary>The KSCBasic Authorization value: user and password base64, the domain, internal="1" for a KSC-internal user.</summary>
        public static string BasicAuthorization(string user, SecureString password, string domain)
        {
            string pass = null;
            Http.Redactor.WithPlainText(password, p => pass = Base64(p));
            return "user=\"" + Base64(user) + "\", pass=\"" + pass + "\", domain=\"" + (domain ?? string.Empty) + "\", internal=\"" + (string.IsNullOrEmpty(domain) ? "1" : "0") + "\"";
        }

        /// <summary>HostGroup.FindHosts over this virtual server only (no slave servers), with an accessor that lives AccessorLifetimeSeconds.</summary>
        public static JObject FindHostsArgs(string filter, IEnumerable<string> fields) => new JObject
        {
            ["wstrFilter"] = filter,
            ["vecFieldsToReturn"] = new JArray(fields.Cast<object>().ToArray()),
            ["vecFieldsToOrder"] = new JArray(),
            ["pParams"] = new JObject { ["KLSRVH_SLAVE_REC_DEPTH"] = 0, ["KLGRP_FIND_FROM_CUR_VS_ONLY"] = true },
            ["lMaxLifeTime"] = AccessorLifetimeSeconds,
        };

        public static JObject AddHostsForSyncArgs(IEnumerable<string> hostIds) => new JObject { ["pHostNames"] = new JArray(hostIds.Cast<object>().ToArray()), ["strSSType"] = string.Empty };

        /// <summary>The GUID of the action an AddHostsForSync answer started; null when it names none.</summary>
        public static string ActionGuid(JToken answer) => String(answer?[ActionGuidOut]);

        public static JObject CheckActionStateArgs(string actionGuid) => new JObject { [ActionGuidIn] = actionGuid };

        public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text ?? string.Empty));

        // ---- typed values (KlAkOAPI Params) ----

        /// <summary>A params value: {"type":"params","value":{...}} or the bare object.</summary>
        public static JObject Params(JToken token)
        {
            if (token is JObject o)
            {
                if (o["type"] != null && (string)o["type"] == "params" && o["value"] is JObject inner)
                {
                    return inner;
                }

                return o;
            }

            return null;
        }

        private static JToken Unwrap(JToken token)
        {
            if (token is JObject o && o["type"] != null && o.ContainsKey("value"))
            {
                return o["value"];
            }

            return token;
        }

        public static string String(JToken token)
        {
            token = Unwrap(token);
            return token == null || token.Type == JTokenType.Null ? null : (string)token;
        }

        public static long? Long(JToken token)
        {
            token = Unwrap(token);
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (token.Type == JTokenType.Integer)
            {
                return (long)token;
            }

            return long.TryParse((string)token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        }

        public static bool? Bool(JToken token)
        {
            token = Unwrap(token);
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (token.Type == JTokenType.Boolean)
            {
                return (bool)token;
            }

            var n = Long(token);
            return n.HasValue ? n.Value != 0 : (bool?)null;
        }

        /// <summary>{"type":"datetime","value":"YYYY-MM-DDTHH:MM:SSZ"} as UTC; null when absent or the epoch (never).</summary>
        public static DateTime? DateTime(JToken token)
        {
            var text = String(token);
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (!System.DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, text, "The manager sent '" + text + "' where a datetime was expected.");
            }

            value = System.DateTime.SpecifyKind(value, DateTimeKind.Utc);
            return value.Year <= 1970 ? (DateTime?)null : value;
        }

        public static JObject DateTimeValue(DateTime utc) => new JObject { ["type"] = "datetime", ["value"] = utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };

        /// <summary>UNCONFIRMED byte order: KLHST_WKS_IP_LONG holds the first octet in the most significant byte.</summary>
        public static string IPv4(long? value)
        {
            if (value == null || value.Value <= 0 || value.Value > uint.MaxValue)
            {
                return null;
            }

            var v = (uint)value.Value;
            return (v >> 24) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
        }

        // ---- search filters (LDAP-like, RFC 2254) ----

        private static readonly Regex HostIdShape = new Regex("^[A-Za-z0-9_.{}-]{1,256}$", RegexOptions.CultureInvariant);

        /// <summary>
        /// KLHST_WKS_HOSTNAME is a server-generated GUID-like string. UNCONFIRMED exact shape; the
        /// module accepts letters, digits and - _ . { } so that an ID can never change a filter.
        /// </summary>
        public static bool IsHostId(string id) => id != null && HostIdShape.IsMatch(id);

        public static EndpointAdminException BadHostId(string id) => new EndpointAdminException(ErrorIds.AgentIdInvalid, ErrorKind.InvalidArgument, id, "'" + id + "' is not a Kaspersky Security Center host ID (KLHST_WKS_HOSTNAME, the GUID-like name the server gave the device; Get-Agent shows it as Id).");

        /// <summary>(|(KLHST_WKS_HOSTNAME="a")(KLHST_WKS_HOSTNAME="b")), or the single term.</summary>
        public static string IdFilter(IEnumerable<string> ids)
        {
            var terms = ids.Select(i => "(" + HostId + "=\"" + i + "\")").ToList();
            return terms.Count == 1 ? terms[0] : "(|" + string.Concat(terms) + ")";
        }

        /// <summary>
        /// A display-name term. UNCONFIRMED: '*' and '?' are wildcards inside a quoted value and '\'
        /// escapes; a character class becomes '?' here and is checked on the client.
        /// </summary>
        public static string NameFilter(NamePattern name)
        {
            var sb = new StringBuilder();
            var text = name.Text;
            for (int i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (name.HasWildcards && c == '[')
                {
                    var close = text.IndexOf(']', i + 1);
                    sb.Append('?');
                    i = close < 0 ? text.Length : close;
                }
                else if (name.HasWildcards && c == '`' && i + 1 < text.Length)
                {
                    AppendLiteral(sb, text[++i]);
                }
                else if (name.HasWildcards && (c == '*' || c == '?'))
                {
                    sb.Append(c);
                }
                else
                {
                    AppendLiteral(sb, c);
                }
            }

            return "(" + DisplayName + "=\"" + sb + "\")";
        }

        private static void AppendLiteral(StringBuilder sb, char c)
        {
            if (c == '"' || c == '\\' || c == '*' || c == '?')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        public static string AnyOf(IEnumerable<string> terms)
        {
            var list = terms.ToList();
            return list.Count == 1 ? list[0] : "(|" + string.Concat(list) + ")";
        }

        /// <summary>UNCONFIRMED: every device, written with a documented attribute and operator (an empty filter may not be accepted).</summary>
        public const string AllHostsFilter = "(" + HostId + "<>\"\")";

        /// <summary>UNCONFIRMED literal: a bool attribute compared like the documented bit tests.</summary>
        public const string KeepConnectionFilter = "(" + KeepConnection + "<>0)";

        // ---- errors ----

        /// <summary>
        /// The one map from a PxgError to the module's error. Codes from the Open API's "Some error
        /// definitions" page; anything else is KscOperationFailed (InvalidOperation).
        /// </summary>
        public static (string ErrorId, ErrorKind Kind) ErrorMap(string module, long code)
        {
            switch (code)
            {
                case 1125: return (ErrorIds.ManagerObjectNotFound, ErrorKind.ObjectNotFound); // KLPRSS::NOT_EXIST
                case 1184: return (ErrorIds.ManagerPermissionDenied, ErrorKind.PermissionDenied); // KLSTD::STDE_NOACCESS
                case 1186: return (ErrorIds.ManagerObjectNotFound, ErrorKind.ObjectNotFound); // KLSTD::STDE_NOTFOUND
                case 1192: return (ErrorIds.ManagerProtocolError, ErrorKind.InvalidData); // KLSTD::STDE_BADFORMAT
                case 1193: return (ErrorIds.ManagerPermissionDenied, ErrorKind.PermissionDenied); // KLSTD::STDE_NOTPERM
                case 1194: return (ErrorIds.ManagerOperationNotSupported, ErrorKind.NotSupported); // KLCONN::GCR_NO_SUCH_CALL
                case 1195: return (ErrorIds.ManagerUnavailable, ErrorKind.ResourceUnavailable); // KLSTD::STDE_UNAVAIL
                case 1229: return (ErrorIds.ManagerRateLimited, ErrorKind.LimitsExceeded); // KLSTD::STDE_LIMIT_VIOLATION
                case 1445: // KLWAT::ERR_NO_SUCH_CLIENT
                case 1453: // KLWAT::ERR_LOGON_IFAILED
                case 2013: // KLSPL::SPLERR_ACCOUNT_BLOCKED
                    return (ErrorIds.ManagerAuthenticationFailed, ErrorKind.AuthenticationError);
                default:
                    return (ErrorIds.KscOperationFailed, ErrorKind.InvalidOperation);
            }
        }

        /// <summary>The PxgError of an answer as an exception (the KSC text in its message and ServerMessage), or null.</summary>
        public static EndpointAdminException Error(JToken answer, string method, Func<string, string> redact)
        {
            var error = answer?["PxgError"] as JObject;
            if (error == null)
            {
                return null;
            }

            var code = Long(error["code"]) ?? 0;
            var module = String(error["module"]) ?? string.Empty;
            var message = redact(String(error["message"]) ?? "(no message)");
            var (id, kind) = ErrorMap(module, code);
            var mnemonic = (module.Length > 0 ? module + " " : string.Empty) + code.ToString(CultureInfo.InvariantCulture);
            return new EndpointAdminException(id, kind, method, "Kaspersky Security Center refused " + method + " (" + mnemonic + "): " + message)
            {
                ServerMessage = message,
                StatusCode = 200,
                RecommendedAction = kind == ErrorKind.PermissionDenied ? "Give the account the rights this command needs on the Administration Server (or the virtual server), or use another account."
                    : kind == ErrorKind.LimitsExceeded ? "The Administration Server limits this function; see its license and the KSC limits."
                    : null,
            };
        }

        public static HttpMethod Post => HttpMethod.Post;

        /// <summary>Console paths from the product document, for NotSupported errors.</summary>
        public static string ConsolePath(Managers.ManagerCapability capability)
        {
            switch (capability)
            {
                case Managers.ManagerCapability.ReadHeartbeatPolicy:
                case Managers.ManagerCapability.WriteHeartbeatPolicy:
                    return "Network Agent policy or settings: the synchronization (connection) interval, for example every 15 minutes";
                case Managers.ManagerCapability.SetCommunicationDirection:
                    return "device properties > General > Do not disconnect from the Administration Server (Set-AgentContinuousConnection does this)";
                default:
                    return null;
            }
        }
    }
}
