using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
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
            // The back-off asks for 30 s: a bound far below it proves the wait was cut short, without racing a busy machine.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "waited " + watch.Elapsed);
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
