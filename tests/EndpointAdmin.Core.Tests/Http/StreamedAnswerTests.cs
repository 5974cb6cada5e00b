using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using Newtonsoft.Json;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>HttpPipeline.SendStream: items read while enumerated, retried only before the first, the answer released however the enumeration ends.</summary>
    public class StreamedAnswerTests
    {
        /// <summary>An answer body that records whether it was disposed and can break off after some bytes.</summary>
        private sealed class WatchedBody : MemoryStream
        {
            private readonly long _failAt;

            public WatchedBody(string text, long failAt = long.MaxValue)
                : base(Encoding.UTF8.GetBytes(text))
            {
                _failAt = failAt;
            }

            public bool Disposed { get; private set; }

            /// <summary>How far the answer had been read when it was disposed.</summary>
            public long ReadWhenDisposed { get; private set; }

            public long Size { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (Position >= _failAt)
                {
                    throw new IOException("connection reset by peer");
                }

                return base.Read(buffer, offset, (int)Math.Min(count, Math.Max(1, _failAt - Position)));
            }

            protected override void Dispose(bool disposing)
            {
                if (!Disposed)
                {
                    Disposed = true;
                    ReadWhenDisposed = Position;
                    Size = Length;
                }

                base.Dispose(disposing);
            }
        }

        private sealed class BodiesHandler : HttpMessageHandler
        {
            private readonly Queue<WatchedBody> _bodies = new Queue<WatchedBody>();

            public List<WatchedBody> Sent { get; } = new List<WatchedBody>();

            public BodiesHandler Then(WatchedBody body)
            {
                _bodies.Enqueue(body);
                return this;
            }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var body = _bodies.Dequeue();
                Sent.Add(body);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body, 16) });
            }
        }

        private static HttpPipeline Pipeline(BodiesHandler handler, bool oneAtATime = false)
        {
            var options = new ConnectionOptions { ApiKey = RedactorTests.Secure("2:secret-key-value"), MaximumRetryCount = 2, RetryIntervalSec = 0 };
            return new HttpPipeline(new Uri("https://apex.test/"), options, new ApiKeyHeader("api-secret-key", options.ApiKey), handler, oneAtATime);
        }

        /// <summary>The numbers of {"items":[1,2,...]}, read token by token.</summary>
        private static IEnumerable<int> Numbers(Stream stream)
        {
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                Expect(reader.Read() && reader.TokenType == JsonToken.PropertyName, reader);
                Expect(reader.Read() && reader.TokenType == JsonToken.StartArray, reader);
                while (reader.Read() && reader.TokenType == JsonToken.Integer)
                {
                    yield return Convert.ToInt32(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                }

                Expect(reader.TokenType == JsonToken.EndArray, reader);
                Expect(reader.Read() && reader.TokenType == JsonToken.EndObject, reader);
            }
        }

        private static void Expect(bool condition, JsonTextReader reader)
        {
            if (!condition)
            {
                throw new JsonReaderException("Unexpected " + reader.TokenType + " at " + reader.Path + ".");
            }
        }

        private static string Items(int n) => "{\"items\":[" + string.Join(",", Enumerable.Range(1, n)) + "]}";

        [Fact]
        public void NothingIsSentBeforeTheEnumerationAndTheItemsComeInOrder()
        {
            var handler = new BodiesHandler().Then(new WatchedBody(Items(500)));
            using var pipeline = Pipeline(handler);
            var items = pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, CancellationToken.None);
            Assert.Empty(handler.Sent);
            Assert.Equal(Enumerable.Range(1, 500), items.ToList());
            Assert.True(handler.Sent.Single().Disposed);
        }

        [Fact]
        public void AnAnswerThatBreaksOffBeforeTheFirstItemIsFetchedAgain()
        {
            var handler = new BodiesHandler().Then(new WatchedBody(Items(3), failAt: 5)).Then(new WatchedBody(Items(3)));
            using var pipeline = Pipeline(handler);
            Assert.Equal(new[] { 1, 2, 3 }, pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, CancellationToken.None).ToArray());
            Assert.Equal(2, pipeline.RequestCount);
            Assert.All(handler.Sent, b => Assert.True(b.Disposed));
        }

        [Fact]
        public void AnAnswerThatBreaksOffAfterItemsIsAConnectionErrorAndNotRepeated()
        {
            var handler = new BodiesHandler().Then(new WatchedBody(Items(20_000), failAt: 40_000)).Then(new WatchedBody(Items(20_000)));
            using var pipeline = Pipeline(handler);
            var got = new List<int>();
            var ex = Assert.Throws<EndpointAdminException>(() =>
            {
                foreach (var i in pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, CancellationToken.None))
                {
                    got.Add(i);
                }
            });
            Assert.Equal(ErrorIds.ManagerConnectionFailed, ex.ErrorId);
            Assert.NotEmpty(got);
            Assert.Equal(Enumerable.Range(1, got.Count), got); // nothing handed out twice
            Assert.Equal(1, pipeline.RequestCount);
            Assert.True(handler.Sent[0].Disposed);
        }

        [Fact]
        public void ATruncatedAnswerAfterItemsIsAProtocolError()
        {
            var text = Items(20_000);
            var handler = new BodiesHandler().Then(new WatchedBody(text.Substring(0, text.Length / 2)));
            using var pipeline = Pipeline(handler);
            var ex = Assert.Throws<EndpointAdminException>(() => pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, CancellationToken.None).Count());
            Assert.Equal(ErrorIds.ManagerProtocolError, ex.ErrorId);
            Assert.Contains("not complete JSON", ex.Message);
            Assert.Equal(1, pipeline.RequestCount);
        }

        [Fact]
        public void AnAbandonedEnumerationReleasesTheAnswerAndTheOneRequestSlot()
        {
            var first = new WatchedBody(Items(20_000));
            var handler = new BodiesHandler().Then(first).Then(new WatchedBody(Items(2)));
            using var pipeline = Pipeline(handler, oneAtATime: true);
            Assert.Equal(1, pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, CancellationToken.None).First());
            Assert.True(first.Disposed);
            Assert.True(first.ReadWhenDisposed < first.Size, "the abandoned answer was read to its end");

            // The slot of a one-request-at-a-time manager came back: a second request is answered (bounded by a token, not a clock assertion).
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(new[] { 1, 2 }, pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, bound.Token).ToArray());
        }

        [Fact]
        public void CancellingBetweenItemsStopsTheEnumeration()
        {
            var handler = new BodiesHandler().Then(new WatchedBody(Items(20_000)));
            using var pipeline = Pipeline(handler);
            using var cancel = new CancellationTokenSource();
            var got = 0;
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (var unused in pipeline.SendStream(HttpMethod.Get, "agents", null, true, Numbers, cancel.Token))
                {
                    if (++got == 10)
                    {
                        cancel.Cancel();
                    }
                }
            });
            Assert.True(got < 20_000);
            Assert.True(handler.Sent[0].Disposed);
        }
    }
}
