using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using EndpointAdmin.Diagnostics;
using Xunit;

namespace EndpointAdmin.Core.Tests.Diagnostics
{
    public class BoundedRunnerTests
    {
        private static List<TOut> Drain<TIn, TOut>(BoundedRunner<TIn, TOut> runner, List<Exception> errors = null)
        {
            var results = new List<TOut>();
            for (int guard = 0; guard < 10_000; guard++)
            {
                if (runner.TryTake(TimeSpan.FromMilliseconds(100), out _, out var result, out var error, out var finished))
                {
                    if (error != null)
                    {
                        errors?.Add(error);
                    }
                    else
                    {
                        results.Add(result);
                    }
                }
                else if (finished)
                {
                    return results;
                }
            }

            throw new TimeoutException("the runner never finished");
        }

        [Theory]
        [InlineData(1)]
        [InlineData(4)]
        [InlineData(16)]
        public void NeverRunsMoreThanTheThrottleLimitAndRunsThatManyWhenItCan(int limit)
        {
            int running = 0, peak = 0;
            var runner = new BoundedRunner<int, int>(limit, async (i, token) =>
            {
                var now = Interlocked.Increment(ref running);
                lock (this)
                {
                    peak = Math.Max(peak, now);
                }

                await Task.Delay(30, token);
                Interlocked.Decrement(ref running);
                return i * 2;
            });
            for (int i = 0; i < 48; i++)
            {
                runner.Add(i);
            }

            runner.Complete();
            var results = Drain(runner);
            Assert.Equal(48, results.Count);
            Assert.Equal(limit, peak);
            Assert.Equal(limit, runner.PeakInFlight);
            Assert.Equal(48, runner.Added);
            results.Sort();
            Assert.Equal(94, results[47]);
        }

        [Fact]
        public void ResultsAreHandedToTheConsumingThreadOnly()
        {
            var consumer = Environment.CurrentManagedThreadId;
            var runner = new BoundedRunner<int, int>(8, async (i, token) =>
            {
                await Task.Delay(5, token);
                return Environment.CurrentManagedThreadId;
            });
            for (int i = 0; i < 20; i++)
            {
                runner.Add(i);
            }

            runner.Complete();
            var workerThreads = Drain(runner);
            Assert.Equal(20, workerThreads.Count);
            // The work ran elsewhere; the consumer got the results on its own thread (this one).
            Assert.DoesNotContain(consumer, workerThreads);
            Assert.Equal(consumer, Environment.CurrentManagedThreadId);
        }

        [Fact]
        public void CancelStopsRunningAndQueuedItemsAtOnce()
        {
            var runner = new BoundedRunner<int, int>(2, async (i, token) =>
            {
                await Task.Delay(TimeSpan.FromMinutes(5), token);
                return i;
            });
            for (int i = 0; i < 10; i++)
            {
                runner.Add(i);
            }

            runner.Complete();
            Assert.False(runner.TryTake(TimeSpan.FromMilliseconds(100), out _, out _, out _, out var finished));
            Assert.False(finished);
            var watch = Stopwatch.StartNew();
            runner.Cancel();
            Assert.Throws<OperationCanceledException>(() => runner.TryTake(TimeSpan.FromSeconds(10), out _, out _, out _, out _));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        }

        [Fact]
        public void AFailingItemIsReportedAndTheOthersCarryOn()
        {
            var runner = new BoundedRunner<int, int>(3, (i, token) => i == 2 ? throw new InvalidOperationException("boom " + i) : Task.FromResult(i));
            for (int i = 0; i < 5; i++)
            {
                runner.Add(i);
            }

            runner.Complete();
            var errors = new List<Exception>();
            var results = Drain(runner, errors);
            Assert.Equal(4, results.Count);
            Assert.Equal("boom 2", Assert.Single(errors).Message);
        }

        [Fact]
        public void CompleteWithNothingAddedFinishesAtOnce()
        {
            var runner = new BoundedRunner<int, int>(3, (i, token) => Task.FromResult(i));
            runner.Complete();
            Assert.Empty(Drain(runner));
            Assert.Throws<InvalidOperationException>(() => runner.Add(1));
        }
    }
}
