using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class HeartbeatSettingsTests
    {
        private static HeartbeatChange Validate(int? interval = null, string missed = null, string clock = null, bool? offline = null, params HeartbeatSetting[] inherit)
        {
            return HeartbeatSettings.Validate(interval, DeepSecurityWire.HeartbeatLimits, missed, clock, offline, inherit);
        }

        [Fact]
        public void ValidValuesBecomeAChange()
        {
            var change = Validate(10, "unlimited", "30", true, HeartbeatSetting.CommunicationDirection);
            Assert.Equal(10, change.IntervalMinutes);
            Assert.Equal(0, change.MissedHeartbeatsBeforeAlert);
            Assert.Equal(30, change.MaximumClockChangeMinutes);
            Assert.True(change.RaiseOfflineErrorsForInactiveVMs);
            Assert.Equal(new[] { HeartbeatSetting.CommunicationDirection }, change.Inherit);
            Assert.True(Validate().IsEmpty);
        }

        [Theory]
        [InlineData(-5, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(0, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(7, null, null, "HeartbeatIntervalInvalid")]
        [InlineData(null, "0", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, "101", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, "two", null, "HeartbeatThresholdInvalid")]
        [InlineData(null, null, "-1", "HeartbeatClockChangeInvalid")]
        [InlineData(null, null, "1441", "HeartbeatClockChangeInvalid")]
        public void OutOfRangeValuesAreRejected(int? interval, string missed, string clock, string errorId)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => Validate(interval, missed, clock));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        }

        [Fact]
        public void AValueAndInheritForTheSameSettingConflict()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => Validate(5, inherit: HeartbeatSetting.Interval));
            Assert.Equal(ErrorIds.HeartbeatSettingConflict, ex.ErrorId);
        }
    }
}
