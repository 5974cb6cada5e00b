using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EndpointAdmin.Managers;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Every Deep Security REST v1 wire detail in one place: paths, headers, search criteria, setting
    /// names and the value strings the manager reads and writes. Names come from the DS 20.0.424 SDK models.
    /// Choices the public reference could not confirm are marked UNCONFIRMED here and only here;
    /// the about topic and the cmdlet help repeat them for users.
    /// </summary>
    internal static class DeepSecurityWire
    {
        public const string ApiRoot = "api/";
        public const string SecretHeader = "api-secret-key";
        public const string VersionHeader = "api-version";
        public const string ApiVersion = "v1";

        /// <summary>
        /// maxItems of every computer search: the documented default (SearchFilter: "Default 5000").
        /// UNCONFIRMED: no maximum is documented. The module asks for no more, because a manager that
        /// capped a larger maxItems without saying so would answer a short page, and a short page is
        /// how ID paging knows it has reached the end: computers would go missing without an error.
        /// </summary>
        public const int PageSize = 5000;

        public const string IntervalSetting = "platformSettingHeartbeatInterval";
        public const string MissedThresholdSetting = "platformSettingHeartbeatMissedAlertThreshold";
        public const string ClockChangeSetting = "platformSettingHeartbeatLocalTimeShiftAlertThreshold";
        public const string InactiveVmOfflineSetting = "platformSettingHeartbeatInactiveVmOfflineAlertEnabled";
        public const string DirectionSetting = "platformSettingAgentCommunicationsDirection";

        /// <summary>The heartbeat settings the provider reads from policies and computers.</summary>
        public static readonly HashSet<string> HeartbeatSettingNames = new HashSet<string>
        {
            IntervalSetting,
            MissedThresholdSetting,
            ClockChangeSetting,
            InactiveVmOfflineSetting,
            DirectionSetting,
        };

        public const string SmartProtectionProxySetting = "platformSettingSmartProtectionGlobalServerProxyId";
        public const string SmartProtectionUseProxySetting = "platformSettingSmartProtectionGlobalServerUseProxyEnabled";

        /// <summary>What a baseline reads from policies and computers: the heartbeat settings and the Smart Protection proxy.</summary>
        public static readonly HashSet<string> BaselineSettingNames = new HashSet<string>(HeartbeatSettingNames)
        {
            SmartProtectionProxySetting,
            SmartProtectionUseProxySetting,
        };

        /// <summary>
        /// UNCONFIRMED: the value a manager-wide proxy ID setting holds for "no proxy". The SDK only
        /// says the settings hold a proxy ID; an empty value (as a fresh manager's setting reads) is
        /// written for None, and empty, "0" or an absent value read as None.
        /// </summary>
        public const string NoProxyValue = "";

        public const string Unlimited = "Unlimited";
        public const string DirectionBidirectional = "Bidirectional";

        /// <summary>UNCONFIRMED exact string: the reference only expects "Manager Initiated".</summary>
        public const string DirectionManagerInitiated = "Manager Initiated";
        public const string DirectionAgentInitiated = "Agent/Appliance Initiated";

        /// <summary>
        /// UNCONFIRMED: the interval choices the console offers (values are written "1 Minute",
        /// "10 Minutes"). The manager is the judge; this list only rejects typos before a request.
        /// </summary>
        public static readonly int[] AllowedIntervals = { 1, 2, 3, 4, 5, 10, 15, 20, 30, 60 };

        /// <summary>UNCONFIRMED upper bounds for the missed-heartbeat count and the clock change (minutes).</summary>
        public const int MaximumMissedThreshold = 100;
        public const int MaximumClockChangeMinutes = 1440;

        public static readonly HeartbeatLimits HeartbeatLimits = new HeartbeatLimits(AllowedIntervals, MaximumMissedThreshold, MaximumClockChangeMinutes);

        /// <summary>The agent's default heartbeat listening port (Deep Security Agent ports).</summary>
        public const int DefaultAgentListeningPort = 4118;

        /// <summary>
        /// UNCONFIRMED: REST v1 has no "send policy now"; a send-policy scheduled task with runNow is
        /// the documented route. The task is deleted right after it is created (it has run), so
        /// repeated syncs leave nothing behind.
        /// </summary>
        public const bool DeleteSyncTaskAfterRun = true;

        /// <summary>UNCONFIRMED: the clock-change alert shows in agentStatusMessages; matched on this text.</summary>
        public const string ClockChangeMarker = "Clock Change";

        public static readonly Dictionary<ProxyPurpose, string[]> ProxySettings = new Dictionary<ProxyPurpose, string[]>
        {
            // system settings (manager-wide): id only
            [ProxyPurpose.AgentUpdate] = new[] { "platformSettingProxyAgentUpdateProxyId", null },
            [ProxyPurpose.ManagerUpdate] = new[] { "platformSettingProxyManagerUpdateProxyId", null },
            // policy/computer settings: id and the switch that turns it on
            [ProxyPurpose.SmartProtection] = new[] { SmartProtectionProxySetting, SmartProtectionUseProxySetting },
        };

        public static bool IsSystemWide(ProxyPurpose purpose) => purpose != ProxyPurpose.SmartProtection;

        public static string SettingName(HeartbeatSetting setting)
        {
            switch (setting)
            {
                case HeartbeatSetting.Interval: return IntervalSetting;
                case HeartbeatSetting.MissedHeartbeatsBeforeAlert: return MissedThresholdSetting;
                case HeartbeatSetting.MaximumClockChange: return ClockChangeSetting;
                case HeartbeatSetting.RaiseOfflineErrorsForInactiveVMs: return InactiveVmOfflineSetting;
                default: return DirectionSetting;
            }
        }

        public static string Minutes(int minutes) => minutes.ToString(CultureInfo.InvariantCulture) + (minutes == 1 ? " Minute" : " Minutes");

        /// <summary>Reads "10 Minutes", "1 Minute", "1 Hour", "30 Seconds" or a bare number of minutes; null when unreadable.</summary>
        public static double? ParseMinutes(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var parts = value.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return null;
            }

            var unit = parts.Length > 1 ? parts[1].ToLowerInvariant() : "minutes";
            if (unit.StartsWith("sec", StringComparison.Ordinal))
            {
                return n / 60;
            }

            if (unit.StartsWith("hour", StringComparison.Ordinal))
            {
                return n * 60;
            }

            return n;
        }

        /// <summary>"Unlimited" (null) or a count.</summary>
        public static int? ParseThreshold(string value)
        {
            if (value == null || string.Equals(value.Trim(), Unlimited, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        }

        public static string DirectionValue(CommunicationDirection direction)
        {
            switch (direction)
            {
                case CommunicationDirection.ManagerInitiated: return DirectionManagerInitiated;
                case CommunicationDirection.AgentInitiated: return DirectionAgentInitiated;
                default: return DirectionBidirectional;
            }
        }

        public static CommunicationDirection ParseDirection(string value)
        {
            if (string.Equals(value, DirectionManagerInitiated, StringComparison.OrdinalIgnoreCase))
            {
                return CommunicationDirection.ManagerInitiated;
            }

            if (value != null && value.StartsWith("Agent", StringComparison.OrdinalIgnoreCase))
            {
                return CommunicationDirection.AgentInitiated;
            }

            return CommunicationDirection.Bidirectional;
        }

        public static AgentStatus ParseStatus(string value)
        {
            switch (value)
            {
                case "active": return AgentStatus.Active;
                case "inactive": return AgentStatus.Inactive;
                case "warning": return AgentStatus.Warning;
                case "error": return AgentStatus.Error;
                case "not-supported": return AgentStatus.NotSupported;
                default: return AgentStatus.Unknown;
            }
        }

        public static string RuleAction(HeartbeatRuleAction action) => action == HeartbeatRuleAction.Bypass ? "bypass" : "force-allow";

        /// <summary>Console paths from the product document, for NotSupported errors.</summary>
        public static string ConsolePath(ManagerCapability capability)
        {
            switch (capability)
            {
                case ManagerCapability.ReadHeartbeatPolicy:
                case ManagerCapability.WriteHeartbeatPolicy:
                    return "Policy or Computer editor > Settings > General > Heartbeat";
                case ManagerCapability.SetCommunicationDirection:
                    return "Policy or Computer editor > Settings > General > Communication Direction";
                case ManagerCapability.SetProxyByAddress:
                    return "Administration > System Settings > Proxies (define the proxy there, then pass its ID with Set-AgentProxy -ProxyId)";
                default:
                    return null;
            }
        }

        public static DateTime? FromMilliseconds(long? ms)
        {
            if (ms == null || ms.Value <= 0)
            {
                return null;
            }

            return new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms.Value);
        }

        /// <summary>The request paths below the API root.</summary>
        public static class Paths
        {
            public const string ComputerSearch = "computers/search";
            public const string PolicySearch = "policies/search";
            public const string Policies = "policies";
            public const string BasePolicy = "policies/default";
            public const string FirewallRules = "firewallrules";
            public const string FirewallRuleSearch = "firewallrules/search";
            public const string ScheduledTasks = "scheduledtasks";

            /// <summary>
            /// A page of computers as the heartbeat verdict needs them: the simple properties (name,
            /// policy, last contact) come always; expand=computerStatus adds the agent status and its
            /// messages.
            /// </summary>
            public const string StatusSearch = ComputerSearch + "?expand=computerStatus";

            /// <summary>
            /// Every computer's own settings in one listing (GET /computers, which the API does not
            /// page): with overrides=true each computer carries only what is set on it itself, so the
            /// listing is an ID and an (almost always empty) computerSettings per computer, some 35
            /// bytes, while its status and last contact are null there (they are no overrides) and come
            /// from the status pages. The inherited values come from the policies, each read once.
            /// </summary>
            public const string OwnSettingsList = "computers?expand=computerSettings&overrides=true";

            /// <summary>The same for one ID range of a search (the criteria say which): for a result too small to be worth listing the whole fleet's settings.</summary>
            public const string OwnSettingsSearch = ComputerSearch + "?expand=computerSettings&overrides=true";

            public static string Computer(int id, bool settings, bool overrides) => "computers/" + id + "?expand=computerStatus" + (settings ? "&expand=computerSettings" : string.Empty) + (overrides ? "&overrides=true" : string.Empty);

            public static string Policy(int id, bool overrides = false) => "policies/" + id + (overrides ? "?overrides=true" : string.Empty);

            /// <summary>Where a target's settings are written one by one ({"value": ...}) and reset (DELETE).</summary>
            public static string SettingsRoot(PolicyTarget resolved)
            {
                switch (resolved.Scope)
                {
                    case HeartbeatPolicyScope.BasePolicy: return "policies/default/settings/";
                    case HeartbeatPolicyScope.Agent: return "computers/" + resolved.Id + "/settings/";
                    default: return "policies/" + resolved.Id + "/settings/";
                }
            }

            public static string SystemSetting(string name) => "systemsettings/" + name;

            public static string FirewallAssignments(int? policyId) => "policies/" + policyId + "/firewall/assignments";

            /// <summary>One rule's assignment on a policy itself (DELETE unassigns it there).</summary>
            public static string FirewallAssignment(int policyId, int ruleId) => FirewallAssignments(policyId) + "/" + ruleId;

            public static string ScheduledTask(int id) => "scheduledtasks/" + id;
        }

        /// <summary>The search bodies and their criteria (searchCriteria entries).</summary>
        public static class Criteria
        {
            public const string Equal = "equal";
            public const string GreaterThan = "greater-than";
            public const string AtLeast = "greater-than-or-equal";
            public const string AtMost = "less-than-or-equal";

            /// <summary>A computer search: sorted by ID, so pages can start after the last ID seen.</summary>
            public static string ComputerSearch(int maxItems, JArray criteria) => new JObject { ["maxItems"] = maxItems, ["sortByObjectID"] = true, ["searchCriteria"] = criteria }.ToString(Formatting.None);

            /// <summary>A policy search; without criteria it is the smallest authenticated read there is.</summary>
            public static JObject PolicySearch(int maxItems, JArray criteria = null)
            {
                var body = new JObject { ["maxItems"] = maxItems };
                if (criteria != null)
                {
                    body["searchCriteria"] = criteria;
                }

                return body;
            }

            public static JObject Id(long value, string test) => new JObject { ["idValue"] = value, ["idTest"] = test };

            public static JObject PolicyId(int id) => new JObject { ["fieldName"] = "policyID", ["numericTest"] = Equal, ["numericValue"] = id };

            public static JObject HostName(NamePattern name) => new JObject
            {
                ["fieldName"] = "hostName",
                ["stringTest"] = Equal,
                ["stringValue"] = ToServerWildcard(name),
                ["stringWildcards"] = name.HasWildcards,
            };

            /// <summary>A test of a choice (enum) field, such as a firewall rule's priority or direction.</summary>
            public static JObject Choice(string field, string value) => new JObject { ["fieldName"] = field, ["choiceTest"] = Equal, ["choiceValue"] = value };

            public static JObject Name(string name) => new JObject { ["fieldName"] = "name", ["stringTest"] = Equal, ["stringValue"] = name, ["stringWildcards"] = false };

            /// <summary>PowerShell wildcards to the manager's: * is %, ? is _; a character class matches one character there and is checked here.</summary>
            public static string ToServerWildcard(NamePattern name)
            {
                if (!name.HasWildcards)
                {
                    return name.Text;
                }

                var sb = new StringBuilder();
                var text = name.Text;
                for (int i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (c == '*')
                    {
                        sb.Append('%');
                    }
                    else if (c == '?')
                    {
                        sb.Append('_');
                    }
                    else if (c == '[')
                    {
                        var close = text.IndexOf(']', i + 1);
                        sb.Append('_');
                        i = close < 0 ? text.Length : close;
                    }
                    else if (c == '`' && i + 1 < text.Length)
                    {
                        sb.Append(text[++i]);
                    }
                    else
                    {
                        sb.Append(c);
                    }
                }

                return sb.ToString();
            }
        }
    }
}
