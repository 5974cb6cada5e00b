using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace EndpointAdmin.Simulators
{
    public enum FaultKind
    {
        /// <summary>HTTP 429 "Too many API requests" with Retry-After.</summary>
        RateLimited,
        /// <summary>HTTP 503 with Retry-After.</summary>
        Unavailable,
        /// <summary>The connection is dropped before any answer.</summary>
        ConnectionReset,
        /// <summary>A 200 whose JSON body stops half-way.</summary>
        TruncatedJson,
        /// <summary>The answer comes after Delay.</summary>
        Slow,
        /// <summary>Kaspersky: HTTP 200 with a PxgError of PxgCode/PxgModule/PxgMessage.</summary>
        PxgError,
        /// <summary>Kaspersky: every session is dropped just before this request is handled.</summary>
        SessionExpired,
    }

    /// <summary>One injected fault: hits the matching requests after SkipMatches of them, Times times.</summary>
    public sealed class Fault
    {
        public FaultKind Kind { get; set; }

        /// <summary>HTTP method to match; null matches any.</summary>
        public string Method { get; set; }

        /// <summary>Text the path must contain (e.g. "computers/search"); null matches any.</summary>
        public string PathContains { get; set; }

        public int SkipMatches { get; set; }

        public int Times { get; set; } = 1;

        public int RetryAfterSeconds { get; set; } = 1;

        public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);

        public int PxgCode { get; set; } = 1195;

        public string PxgModule { get; set; } = "KLSTD";

        public string PxgMessage { get; set; } = "Resource is temporarily unavailable";

        internal int Seen;

        /// <summary>A Slow fault's wait; false when the client gave up first (then there is no one to answer).</summary>
        public async Task<bool> DelayAsync(HttpContext context)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        internal int Fired;

        private readonly System.Threading.ManualResetEventSlim _firedOnce = new System.Threading.ManualResetEventSlim();

        /// <summary>Blocks until the fault has hit its first request (the simulator is inside it now); false after <paramref name="timeout"/>.</summary>
        public bool WaitFired(TimeSpan timeout) => _firedOnce.Wait(timeout);

        internal void Fire()
        {
            Fired++;
            _firedOnce.Set();
        }
    }

    /// <summary>The faults of one test; thread-safe.</summary>
    public sealed class FaultPlan
    {
        private readonly List<Fault> _faults = new List<Fault>();

        public void Add(Fault fault)
        {
            lock (_faults)
            {
                _faults.Add(fault);
            }
        }

        public void Clear()
        {
            lock (_faults)
            {
                _faults.Clear();
            }
        }

        /// <summary>How often faults fired in total.</summary>
        public int FiredCount
        {
            get
            {
                lock (_faults)
                {
                    var n = 0;
                    foreach (var f in _faults)
                    {
                        n += f.Fired;
                    }

                    return n;
                }
            }
        }

        /// <summary>
        /// Takes the fault planned for this request and answers it the way every simulator does:
        /// a dropped connection, a 429/503 with Retry-After (the body is the vendor's, written by
        /// <paramref name="busy"/> with the status), or the wait of a Slow fault. Any other kind goes
        /// to <paramref name="vendor"/>, which returns true when it has answered the request.
        /// Answered is true when the simulator must stop here; Fault is what was planned (null for none).
        /// </summary>
        internal async Task<(bool Answered, Fault Fault)> TryAnswerAsync(HttpContext context, RecordedRequest record, Func<int, Task> busy, Func<Fault, Task<bool>> vendor = null)
        {
            var fault = Next(context.Request.Method, record.Path);
            if (fault == null)
            {
                return (false, null);
            }

            switch (fault.Kind)
            {
                case FaultKind.ConnectionReset:
                    record.Status = -1;
                    context.Abort();
                    return (true, fault);
                case FaultKind.RateLimited:
                case FaultKind.Unavailable:
                    context.Response.Headers["Retry-After"] = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    await busy(fault.Kind == FaultKind.RateLimited ? 429 : 503);
                    return (true, fault);
                case FaultKind.Slow:
                    // No one is left to answer when the client gave up first.
                    return (!await fault.DelayAsync(context), fault);
                default:
                    return (vendor != null && await vendor(fault), fault);
            }
        }

        internal Fault Next(string method, string path)
        {
            lock (_faults)
            {
                foreach (var f in _faults)
                {
                    if ((f.Method == null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)) && (f.PathContains == null || path.Contains(f.PathContains, StringComparison.OrdinalIgnoreCase)))
                    {
                        f.Seen++;
                        if (f.Seen > f.SkipMatches && f.Fired < f.Times)
                        {
                            f.Fire();
                            return f;
                        }
                    }
                }

                return null;
            }
        }
    }

    /// <summary>One request as the simulator saw it (no header values: they would hold the key).</summary>
    public sealed class RecordedRequest
    {
        public string Method { get; set; }

        public string Path { get; set; }

        public string Query { get; set; }

        public string Body { get; set; }

        public int Status { get; set; }

        /// <summary>The server's ID of the TCP connection the request came on.</summary>
        public string Connection { get; set; }

        /// <summary>Kaspersky: the request carried an X-KSC-Session header (its value is never recorded).</summary>
        public bool HasSession { get; set; }

        public bool IsWrite => Method != "GET" && !Path.EndsWith("/search", StringComparison.Ordinal);

        public override string ToString() => Method + " " + Path + Query + " -> " + Status;
    }
}
