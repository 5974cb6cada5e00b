using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using EndpointAdmin.Simulators;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// The floor of a request pattern: a bare HttpClient that sends the requests the module sent
    /// (recorded by the simulator), in order, one at a time, and parses every answer, keeping
    /// nothing: into a JSON tree (JToken, what ConvertFrom-Json builds on), or only token by token
    /// through the module's own reader (the lowest a JSON client can go). What the module spends
    /// beyond this is its own work; what this costs is the pattern's.
    /// </summary>
    public static class RawReplay
    {
        /// <summary>
        /// Replays <paramref name="requests"/> against <paramref name="baseUri"/>; <paramref name="headers"/> go on every request.
        /// A stateful API (an accessor handed out by one answer and named by the next requests) gives
        /// <paramref name="body"/>, which may rewrite each recorded body just before it is sent, and
        /// <paramref name="answered"/>, which sees each answer's tree (tree mode only) after it is parsed.
        /// </summary>
        public static (TimeSpan Time, int Requests, long Bytes) Run(string baseUri, string thumbprint, IReadOnlyList<RecordedRequest> requests, IDictionary<string, string> headers, bool tree = true, Func<RecordedRequest, string> body = null, Action<RecordedRequest, JToken> answered = null)
        {
            var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                certificate != null && string.Equals(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate).Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
            using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUri), Timeout = TimeSpan.FromMinutes(5) };
            foreach (var h in headers)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation(h.Key, h.Value);
            }

            long bytes = 0;
            var watch = Stopwatch.StartNew();
            foreach (var r in requests)
            {
                using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path + r.Query);
                var text = body == null ? r.Body : body(r);
                if (text != null)
                {
                    request.Content = new StringContent(text, Encoding.UTF8, "application/json");
                }

                using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException("replayed " + r + " answered " + (int)response.StatusCode);
                }

                using var stream = response.Content.ReadAsStream();
                using var counted = new CountingStream(stream);
                using (var utf8 = new StreamReader(counted, Encoding.UTF8, false, 65536))
                using (var reader = new JsonTextReader(utf8) { DateParseHandling = DateParseHandling.None })
                {
                    if (tree)
                    {
                        var answer = JToken.ReadFrom(reader);
                        answered?.Invoke(r, answer);
                        GC.KeepAlive(answer);
                    }
                    else
                    {
                        while (reader.Read())
                        {
                        }
                    }
                }

                bytes += counted.Count;
            }

            watch.Stop();
            return (watch.Elapsed, requests.Count, bytes);
        }

        private sealed class CountingStream : Stream
        {
            private readonly Stream _inner;

            public CountingStream(Stream inner) => _inner = inner;

            public long Count { get; private set; }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var n = _inner.Read(buffer, offset, count);
                Count += n;
                return n;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
