using System.Collections.Generic;

namespace EndpointAdmin.Managers
{
    /// <summary>The heartbeat values a manager accepts, so a typo is refused before any request (see HeartbeatSettings.Validate).</summary>
    internal sealed class HeartbeatLimits
    {
        public HeartbeatLimits(IReadOnlyCollection<int> allowedIntervals, int maximumMissedThreshold, int maximumClockChangeMinutes)
        {
            AllowedIntervals = allowedIntervals;
            MaximumMissedThreshold = maximumMissedThreshold;
            MaximumClockChangeMinutes = maximumClockChangeMinutes;
        }

        /// <summary>The heartbeat intervals (minutes) the manager offers.</summary>
        public IReadOnlyCollection<int> AllowedIntervals { get; }

        public int MaximumMissedThreshold { get; }

        public int MaximumClockChangeMinutes { get; }
    }
}
