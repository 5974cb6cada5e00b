using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// When a failed request may be sent again and how long to wait first. Pure, so the rules are
    /// unit-tested without a network.
    /// </summary>
    internal sealed class RetryPolicy
    {
        /// <summary>No server gets to park a command for longer than this, whatever its Retry-After says.</summary>
        public static readonly TimeSpan MaximumDelay = TimeSpan.FromSeconds(60);

        public RetryPolicy(int maximumRetryCount, TimeSpan baseInterval)
        {
            MaximumRetryCount = Math.Max(0, maximumRetryCount);
            BaseInterval = baseInterval < TimeSpan.Zero ? TimeSpan.Zero : baseInterval;
        }

        public int MaximumRetryCount { get; }

        public TimeSpan BaseInterval { get; }

        /// <summary>
        /// Reads (GET, searches) can be repeated without changing anything. A write is repeated only
        /// after 429: the rate limiter rejects a request before the manager acts on it.
        /// </summary>
        public static bool MayRetry(bool safe, HttpStatusCode status)
        {
            var code = (int)status;
            if (code == 429)
            {
                return true;
            }

            return safe && (code == 408 || code >= 500);
        }

        /// <summary>A failure with no response at all (reset, truncated body) is retried only for safe requests.</summary>
        public static bool MayRetryWithoutResponse(bool safe) => safe;

        /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): the server's Retry-After when given, else exponential back-off.</summary>
        public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter.HasValue)
            {
                return retryAfter.Value < TimeSpan.Zero ? TimeSpan.Zero : (retryAfter.Value > MaximumDelay ? MaximumDelay : retryAfter.Value);
            }

            var factor = Math.Pow(2, Math.Max(0, attempt - 1));
            var ms = Math.Min(BaseInterval.TotalMilliseconds * factor, MaximumDelay.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(ms);
        }

        /// <summary>Parses Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Null when absent or unreadable.</summary>
        public static TimeSpan? ParseRetryAfter(string value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            value = value.Trim();
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)MaximumDelay.TotalSeconds * 1000));
            }

            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }

        /// <summary>The wait an answer's Retry-After header asks for (delta-seconds or an HTTP-date); null when it has none.</summary>
        public static TimeSpan? RetryAfter(RetryConditionHeaderValue header, DateTimeOffset now)
        {
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta;
            }

            return header.Date.HasValue ? ParseRetryAfter(header.Date.Value.ToString("r", CultureInfo.InvariantCulture), now) : null;
        }

        public static bool IsSafeMethod(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;
    }
}
