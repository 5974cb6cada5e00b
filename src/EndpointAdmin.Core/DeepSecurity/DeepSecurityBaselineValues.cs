using System;
using System.Collections.Generic;
using System.Globalization;
using EndpointAdmin.Baseline;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// The manager's value strings in a baseline's normalized form (SettingDefinition.Normalize):
    /// "10 Minutes" is "10", "true" is "True", "Agent/Appliance Initiated" is "AgentInitiated", an
    /// empty proxy ID or a switched-off proxy is "None". Read values and baseline values then compare
    /// as text, so an unchanged manager never shows drift.
    /// </summary>
    internal sealed partial class DeepSecurityBaseline
    {
        /// <summary>The heartbeat settings: baseline name, manager setting, how its value reads, and its kind.</summary>
        private static readonly (string Name, string Wire, Func<string, string> Read, SettingKind Kind)[] HeartbeatMap =
        {
            (IntervalMinutes, IntervalSetting, MinutesText, SettingKind.Interval),
            (MissedHeartbeatsBeforeAlert, MissedThresholdSetting, ThresholdText, SettingKind.Limit),
            (MaximumClockChange, ClockChangeSetting, ClockText, SettingKind.Limit),
            (RaiseOfflineErrorsForInactiveVMs, InactiveVmOfflineSetting, BooleanText, SettingKind.Boolean),
            (CommunicationDirection, DirectionSetting, DirectionText, SettingKind.Direction),
        };

        /// <summary>Every setting a policy or computer can declare, from a lookup of the manager's settings with their source.</summary>
        private static void Fill(BaselineTargetState state, Func<string, (string Value, string Source)> lookup)
        {
            foreach (var (name, wire, read, _) in HeartbeatMap)
            {
                var (value, source) = lookup(wire);
                state.Actual[name] = new ActualSetting(read(value), source);
            }

            state.Actual[SmartProtectionProxyId] = SmartProtection(lookup(SmartProtectionUseProxySetting), lookup(SmartProtectionProxySetting));
        }

        /// <summary>The Smart Protection proxy: the ID when the switch is on, else None; the source is the level that decides it.</summary>
        private static ActualSetting SmartProtection((string Value, string Source) enabled, (string Value, string Source) id)
        {
            var proxy = ProxyValue(id.Value);
            return string.Equals(enabled.Value, "true", StringComparison.OrdinalIgnoreCase) && proxy != "None"
                ? new ActualSetting(proxy, id.Source)
                : new ActualSetting("None", enabled.Source);
        }

        internal static string MinutesText(string value)
        {
            var minutes = ParseMinutes(value);
            return minutes.HasValue ? minutes.Value.ToString("0.##", CultureInfo.InvariantCulture) : value;
        }

        internal static string ThresholdText(string value)
        {
            if (value == null)
            {
                return null;
            }

            var count = ParseThreshold(value);
            return count.HasValue ? count.Value.ToString(CultureInfo.InvariantCulture) : (string.Equals(value.Trim(), Unlimited, StringComparison.OrdinalIgnoreCase) ? Unlimited : value);
        }

        internal static string ClockText(string value)
        {
            return value != null && string.Equals(value.Trim(), Unlimited, StringComparison.OrdinalIgnoreCase) ? Unlimited : MinutesText(value);
        }

        internal static string BooleanText(string value)
        {
            return value == null ? null : bool.TryParse(value.Trim(), out var b) ? (b ? "True" : "False") : value;
        }

        internal static string DirectionText(string value) => value == null ? null : ParseDirection(value).ToString();

        /// <summary>A proxy ID setting: empty, "0" or absent is None (see NoProxyValue).</summary>
        internal static string ProxyValue(string value)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim() == "0")
            {
                return "None";
            }

            return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id.ToString(CultureInfo.InvariantCulture) : value;
        }

        /// <summary>A normalized value as an exported baseline holds it: whole numbers as numbers, booleans as $true/$false.</summary>
        private static object Typed(SettingKind kind, string value)
        {
            switch (kind)
            {
                case SettingKind.Boolean:
                    return value == "True";
                case SettingKind.Interval:
                case SettingKind.Limit:
                case SettingKind.ProxyId:
                    return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? (object)n : value;
                default:
                    return value;
            }
        }

        /// <summary>A normalized "Unlimited" or count as the number HeartbeatChange takes (0: Unlimited).</summary>
        private static int LimitNumber(string value) => value == Unlimited ? 0 : int.Parse(value, CultureInfo.InvariantCulture);

        private static int? ProxyNumber(string value) => value == "None" ? (int?)null : int.Parse(value, CultureInfo.InvariantCulture);

        /// <summary>Whether the exported value would read back the same; a value the manager holds in another form (e.g. "30 Seconds") is left out rather than exported wrong.</summary>
        private static bool Exportable(SettingKind kind, string value)
        {
            if (value == null)
            {
                return false;
            }

            switch (kind)
            {
                case SettingKind.Interval:
                    return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && Array.IndexOf(AllowedIntervals, minutes) >= 0;
                case SettingKind.Limit:
                    return value == Unlimited || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1);
                default:
                    return true;
            }
        }
    }
}
