using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Kaspersky;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The pipeline's session renewal and one-request-at-a-time mode, over a scripted handler.</summary>
    public class PipelineRenewalTests
    {
        private sealed class Handler : HttpMessageHandler
        {
            private int _inFlight;

            public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; }

            public List<string> Paths { get; } = new List<string>();

            public int MaxInFlight { get; private set; }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var now = Interlocked.Increment(ref _inFlight);
                lock (Paths)
                {
                    Paths.Add(request.RequestUri.AbsolutePath);
                    MaxInFlight = Math.Max(MaxInFlight, now);
                }

                await Task.Delay(10, cancellationToken);
                Interlocked.Decrement(ref _inFlight);
                return Answer(request);
            }
        }

        /// <summary>A session-like authenticator whose renewal and sign-in test the test sets.</summary>
        private sealed class Renewing : IRequestAuthenticator
        {
            public Action<CancellationToken> OnRenew { get; set; } = _ => { };

            public Func<string, bool> SignIn { get; set; } = _ => false;

            public bool CanRenew => true;

            public IEnumerable<SecureString> Secrets => new SecureString[0];

            public void Apply(HttpRequestMessage request, string body)
            {
            }

            public bool IsSignIn(string path) => SignIn(path);

            public void Renew(CancellationToken cancel) => OnRenew(cancel);
        }

        private static HttpPipeline Pipeline(Handler handler, IRequestAuthenticator authenticator = null, bool oneAtATime = false)
        {
            var options = new ConnectionOptions { MaximumRetryCount = 0, RetryIntervalSec = 0 };
            return new HttpPipeline(new Uri("https://ksc.test:13299/api/v1.0/"), options, authenticator ?? new Renewing(), handler, oneAtATime);
        }

        [Fact]
        public void ARefusedSessionIsRenewedOnceAndTheRequestResent()
        {
            var session = "old";
            var handler = new Handler();
            handler.Answer = r => new HttpResponseMessage(session == "old" && r.RequestUri.AbsolutePath.EndsWith("FindHosts", StringComparison.Ordinal) ? HttpStatusCode.Forbidden : HttpStatusCode.OK) { Content = new StringContent("{}") };
            var renewals = 0;
            using var pipeline = Pipeline(handler, new Renewing { OnRenew = _ => { renewals++; session = "new"; } });
            pipeline.SendJson(HttpMethod.Post, "HostGroup.FindHosts", "{}", false, CancellationToken.None);
            Assert.Equal(1, renewals);
            Assert.Equal(2, handler.Paths.Count(p => p.EndsWith("FindHosts", StringComparison.Ordinal)));
        }

        [Fact]
        public void ARequestRefusedAgainAfterRenewalIsTheServersAnswerAndTheSignInIsNeverRenewed()
        {
            var handler = new Handler { Answer = r => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("Forbidden") } };
            var renewals = 0;
            using var pipeline = Pipeline(handler, new Renewing { OnRenew = _ => renewals++, SignIn = KscWire.IsSignIn });
            var ex = Assert.Throws<EndpointAdminException>(() => pipeline.SendJson(HttpMethod.Post, "HostGroup.FindHosts", "{}", true, CancellationToken.None));
            Assert.Equal(ErrorIds.ManagerPermissionDenied, ex.ErrorId);
            Assert.Equal(1, renewals);
            Assert.Throws<EndpointAdminException>(() => pipeline.SendJson(HttpMethod.Post, "Session.StartSession", "{}", true, CancellationToken.None));
            Assert.Equal(1, renewals);
        }

        [Fact]
        public void OneRequestAtATimeHoldsWhateverTheCallersDo()
        {
            var handler = new Handler { Answer = r => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") } };
            using var pipeline = Pipeline(handler, oneAtATime: true);
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => pipeline.SendJson(HttpMethod.Post, "Session.Ping", "{}", true, CancellationToken.None));
            Assert.Equal(16, handler.Paths.Count);
            Assert.Equal(1, handler.MaxInFlight);
        }
    }
}
