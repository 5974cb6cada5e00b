using System;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class HeartbeatEvaluatorTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
        private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

        [Theory]
        [InlineData(0, 3, "Healthy", 0)]
        [InlineData(9.9, 3, "Healthy", 0)]
        [InlineData(10, 3, "Late", 1)]
        [InlineData(39.9, 3, "Late", 3)]
        [InlineData(40, 3, "Alert", 4)] // "a value of three ... triggers an alert on the fourth missed heartbeat"
        [InlineData(600, 3, "Alert", 60)]
        [InlineData(10, 0, "Alert", 1)]
        [InlineData(-5, 3, "Healthy", 0)] // a manager clock ahead of ours
        public void AlertStartsOnThresholdPlusOne(double minutesAgo, int threshold, string status, int missed)
        {
            Assert.Equal(((HeartbeatStatus)Enum.Parse(typeof(HeartbeatStatus), status), missed), HeartbeatEvaluator.Evaluate(Now.AddMinutes(-minutesAgo), Now, TenMinutes, threshold));
        }

        [Fact]
        public void AnUnlimitedThresholdNeverAlerts()
        {
            Assert.Equal((HeartbeatStatus.Unlimited, 144), HeartbeatEvaluator.Evaluate(Now.AddDays(-1), Now, TenMinutes, null));
            Assert.Equal((HeartbeatStatus.Healthy, 0), HeartbeatEvaluator.Evaluate(Now.AddMinutes(-1), Now, TenMinutes, null));
        }

        [Fact]
        public void NoContactIsNeverContacted()
        {
            Assert.Equal((HeartbeatStatus.NeverContacted, 0), HeartbeatEvaluator.Evaluate(null, Now, TenMinutes, 2));
        }

        [Fact]
        public void AZeroIntervalIsAProgrammingError()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatEvaluator.Evaluate(Now, Now, TimeSpan.Zero, 2));
        }
    }
}
