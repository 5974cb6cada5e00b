using System;
using System.Collections.Generic;
using System.Globalization;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Managers
{
    /// <summary>The heartbeat settings by their user-facing names (the -Inherit values).</summary>
    internal enum HeartbeatSetting
    {
        Interval,
        MissedHeartbeatsBeforeAlert,
        MaximumClockChange,
        RaiseOfflineErrorsForInactiveVMs,
        CommunicationDirection,
    }

    /// <summary>Validation of heartbeat values against what the manager accepts, before any request.</summary>
    internal static class HeartbeatSettings
    {
        public const string Unlimited = "Unlimited";

        /// <summary>Parses "Unlimited" (0) or a whole number within [min, max].</summary>
        public static int ParseLimit(string value, int min, int max, string errorId, string what)
        {
            if (value != null && string.Equals(value.Trim(), Unlimited, StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            if (value != null && int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }

            throw new EndpointAdminException(errorId, ErrorKind.InvalidArgument, value, what + " must be Unlimited or a whole number from " + min + " to " + max + "; '" + value + "' is not.");
        }

        /// <summary>Checks the values against the manager's <paramref name="limits"/> and their combination with -Inherit.</summary>
        public static HeartbeatChange Validate(int? interval, HeartbeatLimits limits, string missed, string clock, bool? offline, IEnumerable<HeartbeatSetting> inherit)
        {
            var change = new HeartbeatChange();
            if (interval.HasValue)
            {
                if (!new HashSet<int>(limits.AllowedIntervals).Contains(interval.Value))
                {
                    throw new EndpointAdminException(ErrorIds.HeartbeatIntervalInvalid, ErrorKind.InvalidArgument, interval.Value, "-IntervalMinutes " + interval.Value + " is not a heartbeat interval the manager accepts. Use one of: " + string.Join(", ", limits.AllowedIntervals) + ".");
                }

                change.IntervalMinutes = interval;
            }

            if (missed != null)
            {
                change.MissedHeartbeatsBeforeAlert = ParseLimit(missed, 1, limits.MaximumMissedThreshold, ErrorIds.HeartbeatThresholdInvalid, "-MissedHeartbeatsBeforeAlert");
            }

            if (clock != null)
            {
                change.MaximumClockChangeMinutes = ParseLimit(clock, 1, limits.MaximumClockChangeMinutes, ErrorIds.HeartbeatClockChangeInvalid, "-MaximumClockChange (minutes)");
            }

            change.RaiseOfflineErrorsForInactiveVMs = offline;
            foreach (var setting in inherit ?? new HeartbeatSetting[0])
            {
                var given = (setting == HeartbeatSetting.Interval && interval.HasValue)
                    || (setting == HeartbeatSetting.MissedHeartbeatsBeforeAlert && missed != null)
                    || (setting == HeartbeatSetting.MaximumClockChange && clock != null)
                    || (setting == HeartbeatSetting.RaiseOfflineErrorsForInactiveVMs && offline.HasValue);
                if (given)
                {
                    throw new EndpointAdminException(ErrorIds.HeartbeatSettingConflict, ErrorKind.InvalidArgument, setting.ToString(), setting + " is both given a value and listed in -Inherit; choose one.");
                }

                if (!change.Inherit.Contains(setting))
                {
                    change.Inherit.Add(setting);
                }
            }

            return change;
        }
    }
}
