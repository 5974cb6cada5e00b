using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// Runs work items with at most ThrottleLimit in flight and hands each result to the one
    /// consuming thread (the cmdlet's pipeline thread) through a blocking queue, so output is
    /// only ever written from that thread. Items can be added while earlier ones run; Complete()
    /// says no more will come. Cancel() (Ctrl+C) stops every item at once.
    /// </summary>
    internal sealed class BoundedRunner<TIn, TOut> : IDisposable
    {
        private readonly Func<TIn, CancellationToken, Task<TOut>> _work;
        private readonly SemaphoreSlim _slots;
        private readonly BlockingCollection<Outcome> _results = new BlockingCollection<Outcome>();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly object _gate = new object();
        private int _pending;
        private bool _completed;
        private int _inFlight;
        private int _peakInFlight;

        public BoundedRunner(int throttleLimit, Func<TIn, CancellationToken, Task<TOut>> work)
        {
            if (throttleLimit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            }

            ThrottleLimit = throttleLimit;
            _work = work;
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        }

        public int ThrottleLimit { get; }

        /// <summary>Items added so far.</summary>
        public int Added { get; private set; }

        /// <summary>The most items that ran at the same time.</summary>
        public int PeakInFlight => Volatile.Read(ref _peakInFlight);

        public CancellationToken Token => _cancel.Token;

        public void Add(TIn item)
        {
            lock (_gate)
            {
                if (_completed)
                {
                    throw new InvalidOperationException("Complete() was called.");
                }

                _pending++;
                Added++;
            }

            _ = RunAsync(item);
        }

        /// <summary>No more items; the result queue ends when the running ones finish.</summary>
        public void Complete()
        {
            lock (_gate)
            {
                _completed = true;
                if (_pending == 0)
                {
                    _results.CompleteAdding();
                }
            }
        }

        public void Cancel()
        {
            _cancel.Cancel();
        }

        /// <summary>Results ready now, without waiting (for a consumer that still has input to read).</summary>
        public bool TryTake(out TIn item, out TOut result, out Exception error)
        {
            if (_results.TryTake(out var outcome))
            {
                item = outcome.Item;
                result = outcome.Result;
                error = outcome.Error;
                return true;
            }

            item = default;
            result = default;
            error = null;
            return false;
        }

        /// <summary>
        /// Waits up to <paramref name="wait"/> for the next result. False when none came in time;
        /// <paramref name="finished"/> is true once every item has been handed over. Throws
        /// OperationCanceledException after Cancel().
        /// </summary>
        public bool TryTake(TimeSpan wait, out TIn item, out TOut result, out Exception error, out bool finished)
        {
            finished = false;
            if (_results.TryTake(out var outcome, (int)wait.TotalMilliseconds, _cancel.Token))
            {
                item = outcome.Item;
                result = outcome.Result;
                error = outcome.Error;
                return true;
            }

            finished = _results.IsCompleted;
            item = default;
            result = default;
            error = null;
            return false;
        }

        private async Task RunAsync(TIn item)
        {
            Outcome outcome;
            bool entered = false;
            try
            {
                await _slots.WaitAsync(_cancel.Token).ConfigureAwait(false);
                entered = true;
                int now = Interlocked.Increment(ref _inFlight);
                int peak;
                while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
                {
                }

                // Off the caller's thread: the first synchronous part of the work (socket
                // creation, a DNS call) must not delay the pipeline thread that adds items.
                var result = await Task.Run(() => _work(item, _cancel.Token), _cancel.Token).ConfigureAwait(false);
                outcome = new Outcome { Item = item, Result = result };
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                outcome = null;
            }
            catch (Exception ex)
            {
                outcome = new Outcome { Item = item, Error = ex };
            }
            finally
            {
                if (entered)
                {
                    Interlocked.Decrement(ref _inFlight);
                    _slots.Release();
                }
            }

            lock (_gate)
            {
                if (outcome != null && !_results.IsAddingCompleted)
                {
                    _results.Add(outcome);
                }

                _pending--;
                if (_completed && _pending == 0 && !_results.IsAddingCompleted)
                {
                    _results.CompleteAdding();
                }
            }
        }

        /// <summary>Stops what still runs. The queue, the slots and the token stay alive for items still unwinding.</summary>
        public void Dispose()
        {
            _cancel.Cancel();
        }

        private sealed class Outcome
        {
            public TIn Item;
            public TOut Result;
            public Exception Error;
        }
    }
}
