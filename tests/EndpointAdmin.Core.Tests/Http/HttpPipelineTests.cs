using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Errors;
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

    public class HttpStatusMapTests
    {
        [Theory]
        [InlineData(400, "ManagerBadRequest", "InvalidArgument")]
        [InlineData(401, "ManagerAuthenticationFailed", "AuthenticationError")]
        [InlineData(403, "ManagerPermissionDenied", "PermissionDenied")]
        [InlineData(404, "ManagerObjectNotFound", "ObjectNotFound")]
        [InlineData(408, "ManagerTimeout", "OperationTimeout")]
        [InlineData(409, "ManagerConflict", "ResourceExists")]
        [InlineData(429, "ManagerRateLimited", "LimitsExceeded")]
        [InlineData(500, "ManagerUnavailable", "ResourceUnavailable")]
        [InlineData(503, "ManagerUnavailable", "ResourceUnavailable")]
        [InlineData(504, "ManagerTimeout", "OperationTimeout")]
        [InlineData(418, "ManagerProtocolError", "ProtocolError")]
        public void EachStatusHasOneIdAndKind(int status, string id, string kind)
        {
            Assert.Equal((id, (ErrorKind)Enum.Parse(typeof(ErrorKind), kind)), HttpStatusMap.Map((HttpStatusCode)status));
        }

        [Theory]
        [InlineData("{\"message\":\"Invalid API Key\"}", "Invalid API Key")]
        [InlineData("Too many API requests", "Too many API requests")]
        [InlineData("{\"error\":1}", "{\"error\":1}")]
        [InlineData("{broken", "{broken")]
        [InlineData("  ", null)]
        public void TheServersMessageIsTakenFromJsonOrText(string body, string expected)
        {
            Assert.Equal(expected, ServerText.Of(body));
        }
    }

    public class RedactorTests
    {
        [Theory]
        [InlineData("api-secret-key: 2:abcdef", "api-secret-key: ***")]
        [InlineData("Authorization: ApiKey xyz123", "Authorization: ***")]
        [InlineData("Proxy-Authorization: Basic dXNlcjpwYXNz\nnext", "Proxy-Authorization: ***\nnext")]
        [InlineData("{\"password\":\"hunter22\"}", "{\"password\":\"***\"}")]
        [InlineData("nothing secret here", "nothing secret here")]
        public void HeaderLikeSecretsAreMasked(string text, string expected)
        {
            Assert.Equal(expected, Redactor.Redact(text));
        }

        [Fact]
        public void TheSessionKeyIsMaskedWhereverItAppears()
        {
            var key = Secure("2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo=");
            Assert.Equal("server said *** was wrong (***)", Redactor.Redact("server said 2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo= was wrong (2:vJC6lckDygB6FYURIvR0WK2ZTAhIY8rb0Amy9UMn4mo=)", key));
        }

        [Fact]
        public void ThumbprintsAreNormalizedFromTheUsualSpellings()
        {
            Assert.Equal(new string('A', 40), CertificatePin.Normalize(string.Join(":", new string[20].Select(_ => "aa"))));
            Assert.Equal(new string('B', 64), CertificatePin.Normalize(new string('b', 64)));
            Assert.Null(CertificatePin.Normalize("xyz"));
            Assert.Null(CertificatePin.Normalize(new string('a', 39)));
        }

        internal static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            return s;
        }
    }

    /// <summary>The pipeline over a scripted handler: what is retried, how long it waits, how fast it stops.</summary>
    public class HttpPipelineTests
    {
        private sealed class ScriptedHandler : HttpMessageHandler
        {
            private readonly Queue<Func<HttpResponseMessage>> _answers = new Queue<Func<HttpResponseMessage>>();

            public List<HttpRequestMessage> Seen { get; } = new List<HttpRequestMessage>();

            public List<string> SecretHeaders { get; } = new List<string>();

            public ScriptedHandler Then(HttpStatusCode status, string body = "{}", string retryAfter = null)
            {
                _answers.Enqueue(() =>
                {
                    var r = new HttpResponseMessage(status) { Content = new StringContent(body) };
                    if (retryAfter != null)
                    {
                        r.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
                    }

                    return r;
                });
                return this;
            }

            public ScriptedHandler ThenThrow()
            {
                _answers.Enqueue(() => throw new HttpRequestException("connection reset"));
                return this;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Seen.Add(request);
                SecretHeaders.Add(request.Headers.TryGetValues("api-secret-key", out var v) ? string.Join(",", v) : null);
                return Task.FromResult(_answers.Count > 0 ? _answers.Dequeue()() : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
            }
        }

        private static HttpPipeline Pipeline(ScriptedHandler handler, int retries = 3, int interval = 0)
        {
            var options = new ConnectionOptions { ApiKey = RedactorTests.Secure("2:secret-key-value"), MaximumRetryCount = retries, RetryIntervalSec = interval };
            return new HttpPipeline(new Uri("https://dsm.test:4119/api/"), options, new ApiKeyHeader("api-secret-key", options.ApiKey), handler);
        }

        [Fact]
        public void ASafeRequestIsRetriedThroughTransientFailuresUpToTheBound()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.ServiceUnavailable, retryAfter: "0").ThenThrow().Then(HttpStatusCode.OK, "{\"ok\":true}");
            using var pipeline = Pipeline(handler);
            var json = pipeline.SendJson(HttpMethod.Post, "computers/search", "{}", safe: true, CancellationToken.None);
            Assert.True((bool)json["ok"]);
            Assert.Equal(3, handler.Seen.Count);
            Assert.All(handler.SecretHeaders, h => Assert.Equal("2:secret-key-value", h)); // the key goes on at send time, every time
        }

        [Fact]
        public void RetriesStopAtTheBoundWithTheLastFailure()
        {
            var handler = new ScriptedHandler();
            for (int i = 0; i < 10; i++)
            {
                handler.Then(HttpStatusCode.BadGateway, "{\"message\":\"upstream down\"}");
            }

            using var pipeline = Pipeline(handler, retries: 2);
            var ex = Assert.Throws<EndpointAdminException>(() => pipeline.SendJson(HttpMethod.Get, "policies/1", null, true, CancellationToken.None));
            Assert.Equal(ErrorIds.ManagerUnavailable, ex.ErrorId);
            Assert.Equal("upstream down", ex.ServerMessage);
            Assert.Equal(502, ex.StatusCode);
            Assert.Equal(3, handler.Seen.Count);
        }

        [Fact]
        public void AnUnsafeRequestIsNotRetriedAfterAServerError()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.InternalServerError).Then(HttpStatusCode.OK);
            using var pipeline = Pipeline(handler);
            var ex = Assert.Throws<EndpointAdminException>(() => pipeline.SendJson(HttpMethod.Post, "policies/1/settings/x", "{}", false, CancellationToken.None));
            Assert.Equal(ErrorIds.ManagerUnavailable, ex.ErrorId);
            Assert.Single(handler.Seen);
        }

        [Fact]
        public void ConnectionFailuresOfAWriteAreNotRetried()
        {
            var handler = new ScriptedHandler().ThenThrow().Then(HttpStatusCode.OK);
            using var pipeline = Pipeline(handler);
            var ex = Assert.Throws<EndpointAdminException>(() => pipeline.SendJson(HttpMethod.Post, "scheduledtasks", "{}", false, CancellationToken.None));
            Assert.Equal(ErrorIds.ManagerConnectionFailed, ex.ErrorId);
            Assert.Single(handler.Seen);
        }

        [Fact]
        public void ATruncatedBodyOfASafeRequestIsFetchedAgain()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"computers\":[{\"ID\":1},").Then(HttpStatusCode.OK, "{\"computers\":[]}");
            using var pipeline = Pipeline(handler);
            var json = pipeline.SendJson(HttpMethod.Post, "computers/search", "{}", true, CancellationToken.None);
            Assert.Empty(json["computers"]);
            Assert.Equal(2, handler.Seen.Count);
        }

        [Fact]
        public void CancellingDuringABackOffStopsAtOnce()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.TooManyRequests, retryAfter: "30");
            using var pipeline = Pipeline(handler);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => pipeline.SendJson(HttpMethod.Get, "policies", null, true, cancel.Token));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "waited " + watch.Elapsed);
        }

        [Fact]
        public void TheDebugLogNamesRequestsButNeverTheKey()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.ServiceUnavailable, retryAfter: "0");
            using var pipeline = Pipeline(handler);
            pipeline.SendJson(HttpMethod.Get, "policies/1", null, true, CancellationToken.None);
            var lines = pipeline.Log.ToArray();
            Assert.Contains(lines, l => l.Contains("GET policies/1 -> 503", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("retry 1/3", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("secret-key-value", StringComparison.Ordinal));
        }
    }
}
