using System;
using System.Net;
using EndpointAdmin.Http;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class RetryPolicyTests
    {
        [Theory]
        [InlineData(true, 408, true)]
        [InlineData(true, 429, true)]
        [InlineData(true, 500, true)]
        [InlineData(true, 502, true)]
        [InlineData(true, 503, true)]
        [InlineData(true, 504, true)]
        [InlineData(true, 400, false)]
        [InlineData(true, 401, false)]
        [InlineData(true, 403, false)]
        [InlineData(true, 404, false)]
        [InlineData(false, 429, true)]
        [InlineData(false, 503, false)]
        [InlineData(false, 500, false)]
        [InlineData(false, 408, false)]
        public void OnlySafeRequestsAreRetriedExceptAfterARateLimit(bool safe, int status, bool expected)
        {
            Assert.Equal(expected, RetryPolicy.MayRetry(safe, (HttpStatusCode)status));
        }

        [Fact]
        public void BackOffDoublesFromTheBaseAndIsCapped()
        {
            var policy = new RetryPolicy(5, TimeSpan.FromSeconds(2));
            Assert.Equal(TimeSpan.FromSeconds(2), policy.Delay(1, null));
            Assert.Equal(TimeSpan.FromSeconds(4), policy.Delay(2, null));
            Assert.Equal(TimeSpan.FromSeconds(8), policy.Delay(3, null));
            Assert.Equal(RetryPolicy.MaximumDelay, policy.Delay(30, null));
        }

        [Fact]
        public void RetryAfterWinsOverBackOffButIsBounded()
        {
            var policy = new RetryPolicy(3, TimeSpan.FromSeconds(2));
            Assert.Equal(TimeSpan.FromSeconds(7), policy.Delay(1, TimeSpan.FromSeconds(7)));
            Assert.Equal(TimeSpan.Zero, policy.Delay(1, TimeSpan.Zero));
            Assert.Equal(RetryPolicy.MaximumDelay, policy.Delay(1, TimeSpan.FromHours(2)));
        }

        [Fact]
        public void RetryAfterParsesSecondsAndHttpDates()
        {
            var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromSeconds(120), RetryPolicy.ParseRetryAfter("120", now));
            Assert.Equal(TimeSpan.FromSeconds(0), RetryPolicy.ParseRetryAfter(" 0 ", now));
            Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.ParseRetryAfter("Mon, 23 Nov 2026 09:00:30 GMT", now));
            Assert.Equal(TimeSpan.Zero, RetryPolicy.ParseRetryAfter("Mon, 23 Nov 2026 08:00:00 GMT", now));
            Assert.Null(RetryPolicy.ParseRetryAfter("soon", now));
            Assert.Null(RetryPolicy.ParseRetryAfter("-5", now));
            Assert.Null(RetryPolicy.ParseRetryAfter(null, now));
        }
    }
}
