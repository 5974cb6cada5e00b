using System;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// The heartbeat verdict, a pure function of the last contact, the clock and the effective
    /// policy. The Deep Security document: "a value of three causes the manager to trigger an alert
    /// on the fourth missed heartbeat", so Alert starts at threshold + 1 missed heartbeats.
    /// </summary>
    internal static class HeartbeatEvaluator
    {
        // threshold: missed heartbeats tolerated before an alert; null for Unlimited.
        public static (HeartbeatStatus Status, int Missed) Evaluate(DateTime? lastContactUtc, DateTime nowUtc, TimeSpan interval, int? threshold)
        {
            if (lastContactUtc == null)
            {
                return (HeartbeatStatus.NeverContacted, 0);
            }

            if (interval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(interval));
            }

            var elapsed = nowUtc - lastContactUtc.Value;
            var missed = elapsed <= TimeSpan.Zero ? 0 : (int)Math.Min(int.MaxValue, Math.Floor(elapsed.Ticks / (double)interval.Ticks));
            if (missed == 0)
            {
                return (HeartbeatStatus.Healthy, 0);
            }

            if (threshold == null)
            {
                return (HeartbeatStatus.Unlimited, missed);
            }

            return (missed > threshold.Value ? HeartbeatStatus.Alert : HeartbeatStatus.Late, missed);
        }
    }
}
