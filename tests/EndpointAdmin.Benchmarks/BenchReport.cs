using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// A table of measurements printed side by side: each row's wall time, its ratio to the row it
    /// is compared with, and peak memory where known. Every benchmark prints through this so the
    /// figures read the same way.
    /// </summary>
    public sealed class BenchReport
    {
        private readonly string _title;
        private readonly List<Row> _rows = new List<Row>();
        private readonly List<string> _notes = new List<string>();

        public BenchReport(string title)
        {
            _title = title;
        }

        public void Add(string label, TimeSpan elapsed, long? peakBytes = null, string detail = null)
        {
            _rows.Add(new Row { Label = label, Elapsed = elapsed, PeakBytes = peakBytes, Detail = detail });
        }

        public void Note(string text)
        {
            _notes.Add(text);
        }

        /// <summary>A target and whether this run met it, printed with the notes so a regression shows at once.</summary>
        public void Target(string text, bool met)
        {
            _notes.Add((met ? "[met]     " : "[NOT MET] ") + text);
            AllTargetsMet &= met;
        }

        /// <summary>False once any target of this report was missed.</summary>
        public bool AllTargetsMet { get; private set; } = true;

        /// <summary>How many times faster <paramref name="label"/> is than <paramref name="baseline"/>.</summary>
        public double Ratio(string baseline, string label)
        {
            var b = Find(baseline);
            var l = Find(label);
            return b.Elapsed.TotalMilliseconds / Math.Max(0.001, l.Elapsed.TotalMilliseconds);
        }

        public void Print()
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine();
            Console.WriteLine("== " + _title);
            Console.WriteLine(string.Format(c, "{0,-66} {1,12} {2,12}  {3}", "measurement", "wall ms", "peak MiB", "detail"));
            foreach (var r in _rows)
            {
                Console.WriteLine(string.Format(
                    c,
                    "{0,-66} {1,12:F1} {2,12}  {3}",
                    r.Label,
                    r.Elapsed.TotalMilliseconds,
                    r.PeakBytes.HasValue ? (r.PeakBytes.Value / 1048576.0).ToString("F1", c) : "-",
                    r.Detail ?? string.Empty));
            }

            foreach (var n in _notes)
            {
                Console.WriteLine("   " + n);
            }
        }

        public static TimeSpan Time(Action action)
        {
            var sw = Stopwatch.StartNew();
            action();
            return sw.Elapsed;
        }

        private Row Find(string label)
        {
            var row = _rows.Find(r => r.Label == label);
            if (row == null)
            {
                throw new ArgumentException("no measurement named " + label);
            }

            return row;
        }

        private sealed class Row
        {
            public string Label;
            public TimeSpan Elapsed;
            public long? PeakBytes;
            public string Detail;
        }
    }
}
