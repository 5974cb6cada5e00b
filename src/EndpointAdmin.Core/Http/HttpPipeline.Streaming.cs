using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Errors;
using Newtonsoft.Json;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// Answers read while they are enumerated: for listings that come as one unpaged answer
    /// (Apex Central's ProductAgents), so a fleet of any size never has to be held whole.
    /// </summary>
    internal sealed partial class HttpPipeline
    {
        /// <summary>
        /// Sends a request when the enumeration starts and yields what <paramref name="read"/> yields
        /// from the open answer. Until the first item is out, this is Send (retries, renewal, status
        /// map); after it, nothing is retried: the caller already has items, and a repeat would hand
        /// them out twice. The response (and the one-at-a-time slot) is released when the enumeration
        /// ends, fails or is abandoned (disposed early). After the first item, TimeoutSec bounds each
        /// item's read, not the whole answer: the time the caller spends between items is its own.
        /// </summary>
        public IEnumerable<T> SendStream<T>(HttpMethod method, string path, string jsonBody, bool safe, Func<Stream, IEnumerable<T>> read, CancellationToken cancel)
        {
            var opened = SendAsync(method, path, jsonBody, safe, (stream, held) => Open(read(stream), held), true, cancel).GetAwaiter().GetResult();
            try
            {
                if (!opened.HasFirst)
                {
                    yield break;
                }

                yield return opened.Items.Current;
                while (Next(opened, method, path, cancel))
                {
                    yield return opened.Items.Current;
                }
            }
            finally
            {
                opened.Items.Dispose();
                opened.Held.Dispose();
            }
        }

        /// <summary>Reads the first item inside the retry loop, so an answer that fails before it is repeated like any read.</summary>
        private static OpenAnswer<T> Open<T>(IEnumerable<T> items, HeldAnswer held)
        {
            var enumerator = items.GetEnumerator();
            try
            {
                var has = enumerator.MoveNext();
                held.Disarm();
                return new OpenAnswer<T> { Items = enumerator, HasFirst = has, Held = held };
            }
            catch
            {
                enumerator.Dispose();
                throw;
            }
        }

        /// <summary>One more item, its failure mapped as Send maps it (but never retried).</summary>
        private bool Next<T>(OpenAnswer<T> opened, HttpMethod method, string path, CancellationToken cancel)
        {
            if (cancel.IsCancellationRequested)
            {
                // Stopped between items: the answer may still hold buffered items that would not fail on their own.
                throw new OperationCanceledException("Stopped.", cancel);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            opened.Held.Arm();
            try
            {
                return opened.Items.MoveNext();
            }
            catch (Exception ex) when (cancel.IsCancellationRequested && !(ex is EndpointAdminException))
            {
                throw new OperationCanceledException("Stopped.", ex, cancel);
            }
            catch (Exception ex) when (opened.Held.TimedOut && !(ex is EndpointAdminException))
            {
                Trace(method, path, "timeout in the answer", watch, 1);
                throw TimeoutFailure(method, path);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is ObjectDisposedException)
            {
                Trace(method, path, "connection failed in the answer", watch, 1);
                throw ConnectionFailure(method, path, ex);
            }
            catch (JsonException ex)
            {
                Trace(method, path, "unreadable body", watch, 1);
                throw ProtocolFailure(method, path, ex);
            }
            finally
            {
                opened.Held.Disarm();
            }
        }

        private sealed class OpenAnswer<T>
        {
            public IEnumerator<T> Items;

            public bool HasFirst;

            public HeldAnswer Held;
        }

        /// <summary>What an answer being streamed keeps open: the response, its deadline (which disposes the response when it fires) and the one-at-a-time slot.</summary>
        private sealed class HeldAnswer : IDisposable
        {
            private readonly HttpResponseMessage _response;
            private readonly CancellationTokenSource _deadline;
            private readonly CancellationTokenRegistration _registration;
            private readonly SemaphoreSlim _gate;
            private readonly TimeSpan _timeout;
            private int _disposed;

            public HeldAnswer(HttpResponseMessage response, CancellationTokenSource deadline, CancellationTokenRegistration registration, SemaphoreSlim gate, TimeSpan timeout)
            {
                _response = response;
                _deadline = deadline;
                _registration = registration;
                _gate = gate;
                _timeout = timeout;
            }

            public bool TimedOut => _deadline.IsCancellationRequested;

            /// <summary>Starts the clock for one item's read.</summary>
            public void Arm()
            {
                if (_timeout > TimeSpan.Zero)
                {
                    _deadline.CancelAfter(_timeout);
                }
            }

            /// <summary>Stops it while the caller works on what it got.</summary>
            public void Disarm()
            {
                _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) != 0)
                {
                    return;
                }

                _registration.Dispose();
                _response.Dispose();
                _deadline.Dispose();
                _gate?.Release();
            }
        }
    }
}
