using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// The one HTTP pipeline every manager provider uses: one HttpClient per session, TLS validated
    /// unless a pin or an explicit skip says otherwise, proxy, a timeout per request, bounded
    /// retries for what is safe to repeat, cancellation that stops a request or a back-off at once,
    /// one status map and secret redaction. Providers only say what to send and how to read it.
    /// </summary>
    internal sealed partial class HttpPipeline : IDisposable
    {
        private readonly HttpClient _client;
        private readonly Uri _baseUri;
        private readonly ConnectionOptions _options;
        private readonly IRequestAuthenticator _authenticator;
        private readonly RetryPolicy _retry;
        private readonly SemaphoreSlim _oneAtATime;
        private readonly object _renewGate = new object();
        private string _certificateProblem;
        private int _credentialGeneration;
        private int _requestCount;

        /// <summary>
        /// A pipeline to the API below <paramref name="baseUri"/>, whose requests <paramref name="authenticator"/>
        /// signs. oneRequestAtATime: for managers whose API connection is stateful and synchronous
        /// (a session bound to its TCP connection): one pooled connection and one request on it at a
        /// time, whatever the caller does.
        /// </summary>
        public HttpPipeline(Uri baseUri, ConnectionOptions options, IRequestAuthenticator authenticator, HttpMessageHandler handler = null, bool oneRequestAtATime = false)
        {
            _baseUri = baseUri;
            _options = options;
            _authenticator = authenticator;
            _retry = new RetryPolicy(options.MaximumRetryCount, TimeSpan.FromSeconds(options.RetryIntervalSec));
            _oneAtATime = oneRequestAtATime ? new SemaphoreSlim(1, 1) : null;
            if (handler == null)
            {
                var created = CreateHandler();
                if (oneRequestAtATime)
                {
                    created.MaxConnectionsPerServer = 1;
                }

                handler = created;
            }

            _client = new HttpClient(handler, disposeHandler: true)
            {
                // Each request gets its own deadline (it also covers reading the body); see Send.
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
                BaseAddress = baseUri,
            };
        }

        /// <summary>Debug lines (method, path, status, timing), already redacted; the cmdlet drains them on its own thread.</summary>
        public ConcurrentQueue<string> Log { get; } = new ConcurrentQueue<string>();

        /// <summary>Requests sent, retries included (for -Verbose summaries and tests).</summary>
        public int RequestCount => _requestCount;

        private SecureString[] Secrets() => _authenticator.Secrets.ToArray();

        private HttpClientHandler CreateHandler()
        {
            var handler = new HttpClientHandler
            {
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                ServerCertificateCustomValidationCallback = ValidateCertificate,
            };
            if (_options.NoProxy)
            {
                handler.UseProxy = false;
            }
            else if (_options.Proxy != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new ExplicitProxy(_options.Proxy)
                {
                    Credentials = _options.ProxyUserName == null ? null : new NetworkCredential(_options.ProxyUserName, _options.ProxyPassword),
                };
            }

            return handler;
        }

        private bool ValidateCertificate(HttpRequestMessage request, X509Certificate2 certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (CertificatePin.Accepts(_options, certificate, errors, out var problem))
            {
                return true;
            }

            _certificateProblem = problem;
            return false;
        }

        /// <summary>
        /// Sends a request and reads a 2xx answer with <paramref name="read"/>. Safe requests (reads,
        /// searches) are repeated on 408/429/5xx, a lost connection or a body that breaks off;
        /// writes only on 429. Throws EndpointAdminException for failures, OperationCanceledException on cancel.
        /// </summary>
        public T Send<T>(HttpMethod method, string path, string jsonBody, bool safe, Func<Stream, T> read, CancellationToken cancel)
        {
            return SendAsync(method, path, jsonBody, safe, (stream, held) => read(stream), false, cancel).GetAwaiter().GetResult();
        }

        public JToken SendJson(HttpMethod method, string path, object body, bool safe, CancellationToken cancel)
        {
            var json = body == null ? null : (body as string ?? JsonConvert.SerializeObject(body));
            return Send(method, path, json, safe, ReadJson, cancel);
        }

        private static JToken ReadJson(Stream stream)
        {
            using (var reader = JsonStream.Open(stream))
            {
                if (!reader.Read())
                {
                    return null;
                }

                return JToken.ReadFrom(reader);
            }
        }

        /// <summary>
        /// The retry loop of every request. With <paramref name="hold"/>, a successful read keeps the
        /// response, its deadline and the one-at-a-time slot open: they pass to the HeldAnswer that
        /// <paramref name="read"/> got, which the caller disposes (see SendStream).
        /// </summary>
        private async Task<T> SendAsync<T>(HttpMethod method, string path, string jsonBody, bool safe, Func<Stream, HeldAnswer, T> read, bool hold, CancellationToken cancel)
        {
            var renewed = false;
            for (int attempt = 1; ; attempt++)
            {
                cancel.ThrowIfCancellationRequested();
                TimeSpan? retryAfter = null;
                EndpointAdminException failure;
                bool retryable;
                var generation = Volatile.Read(ref _credentialGeneration);
                if (_oneAtATime != null)
                {
                    try
                    {
                        await _oneAtATime.WaitAsync(cancel).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex)
                    {
                        throw new OperationCanceledException("Stopped.", ex, cancel);
                    }
                }

                var watch = Stopwatch.StartNew();
                HeldAnswer held = null;
                try
                {
                    var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    try
                    {
                        if (_options.TimeoutSec > 0)
                        {
                            deadline.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSec));
                        }

                        HttpResponseMessage response = null;
                        try
                        {
                            using (var request = new HttpRequestMessage(method, _client.BaseAddress == null ? new Uri(path, UriKind.RelativeOrAbsolute) : new Uri(_client.BaseAddress, path)))
                            {
                                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                                if (jsonBody != null)
                                {
                                    request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
                                }

                                _authenticator.Apply(request, jsonBody ?? string.Empty);
                                Interlocked.Increment(ref _requestCount);
                                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                            }

                            Trace(method, path, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), watch, attempt);
                            if (response.IsSuccessStatusCode)
                            {
                                // A synchronous reader cannot watch a token: disposing the response makes its read fail at once.
                                var registration = deadline.Token.Register(r => ((IDisposable)r).Dispose(), response);
                                var candidate = hold ? new HeldAnswer(response, deadline, registration, _oneAtATime, TimeSpan.FromSeconds(_options.TimeoutSec)) : null;
                                try
                                {
                                    var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                                    var result = read(stream, candidate);
                                    held = candidate;
                                    return result;
                                }
                                finally
                                {
                                    if (held == null)
                                    {
                                        registration.Dispose();
                                    }
                                }
                            }

                            var server = await ReadServerMessage(response).ConfigureAwait(false);
                            retryAfter = RetryPolicy.RetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow);
                            retryable = RetryPolicy.MayRetry(safe, response.StatusCode);
                            var (id, kind) = HttpStatusMap.Map(response.StatusCode);
                            failure = new EndpointAdminException(
                                id,
                                kind,
                                method.Method + " " + path,
                                "The manager answered " + (int)response.StatusCode + " " + response.ReasonPhrase + " to " + method.Method + " " + path + (string.IsNullOrEmpty(server) ? "." : ": " + server))
                            {
                                RecommendedAction = HttpStatusMap.RecommendedAction(response.StatusCode),
                                ServerMessage = server,
                                StatusCode = (int)response.StatusCode,
                            };
                        }
                        catch (Exception ex) when (cancel.IsCancellationRequested && !(ex is EndpointAdminException))
                        {
                            throw new OperationCanceledException("Stopped.", ex, cancel);
                        }
                        catch (Exception ex) when (deadline.IsCancellationRequested && !(ex is EndpointAdminException))
                        {
                            Trace(method, path, "timeout", watch, attempt);
                            retryable = RetryPolicy.MayRetryWithoutResponse(safe);
                            failure = TimeoutFailure(method, path);
                        }
                        catch (HttpRequestException ex) when (IsCertificateFailure(ex))
                        {
                            throw new EndpointAdminException(ErrorIds.ManagerCertificateRejected, ErrorKind.SecurityError, _baseUri.ToString(), "The manager's TLS certificate was rejected: " + (_certificateProblem ?? Redactor.Redact(Innermost(ex).Message)) + ".", ex)
                            {
                                RecommendedAction = "Install a certificate the machine trusts on the manager, or pin the one it has with -CertificateThumbprint after checking it, or (for a lab) use -SkipCertificateCheck.",
                            };
                        }
                        catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is ObjectDisposedException)
                        {
                            Trace(method, path, "connection failed", watch, attempt);
                            retryable = RetryPolicy.MayRetryWithoutResponse(safe);
                            failure = ConnectionFailure(method, path, ex);
                        }
                        catch (JsonException ex)
                        {
                            Trace(method, path, "unreadable body", watch, attempt);
                            retryable = RetryPolicy.MayRetryWithoutResponse(safe);
                            failure = ProtocolFailure(method, path, ex);
                        }
                        finally
                        {
                            if (held == null)
                            {
                                response?.Dispose();
                            }
                        }
                    }
                    finally
                    {
                        if (held == null)
                        {
                            deadline.Dispose();
                        }
                    }
                }
                finally
                {
                    if (held == null)
                    {
                        _oneAtATime?.Release();
                    }
                }

                if (!renewed && _authenticator.CanRenew && (failure.StatusCode == 401 || failure.StatusCode == 403) && !_authenticator.IsSignIn(path))
                {
                    // The manager dropped the session (expiry, restart): sign in again once and resend;
                    // nothing was done with the refused request, so a write may be resent too.
                    renewed = true;
                    RenewOnce(generation, cancel);
                    attempt--;
                    continue;
                }

                if (!retryable || attempt > _retry.MaximumRetryCount)
                {
                    throw failure;
                }

                var delay = _retry.Delay(attempt, retryAfter);
                Log.Enqueue("retry " + attempt + "/" + _retry.MaximumRetryCount + " of " + method.Method + " " + path + " in " + delay.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s (" + failure.ErrorId + ")");
                try
                {
                    await Task.Delay(delay, cancel).ConfigureAwait(false);
                }
                catch (TaskCanceledException ex)
                {
                    throw new OperationCanceledException("Stopped.", ex, cancel);
                }
            }
        }

        /// <summary>Signs in again unless another request already did since <paramref name="generation"/>.</summary>
        private void RenewOnce(int generation, CancellationToken cancel)
        {
            lock (_renewGate)
            {
                if (Volatile.Read(ref _credentialGeneration) != generation)
                {
                    return;
                }

                Log.Enqueue("session refused by the manager; signing in again");
                _authenticator.Renew(cancel);
                Interlocked.Increment(ref _credentialGeneration);
            }
        }

        private void Trace(HttpMethod method, string path, string outcome, Stopwatch watch, int attempt)
        {
            Log.Enqueue(method.Method + " " + path + " -> " + outcome + " in " + watch.ElapsedMilliseconds + " ms" + (attempt > 1 ? " (attempt " + attempt + ")" : string.Empty));
        }

        public void Dispose()
        {
            _client.Dispose();
            _oneAtATime?.Dispose();
        }
    }
}
