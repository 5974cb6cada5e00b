using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// A set of TCP/UDP ports parsed from "443" and "13000-13010" strings, merged into sorted,
    /// non-overlapping ranges. Rules are compared by this set, not by how their ports were typed.
    /// Empty means any port.
    /// </summary>
    internal sealed class PortSet : IEquatable<PortSet>
    {
        private readonly List<KeyValuePair<int, int>> _ranges;

        private PortSet(List<KeyValuePair<int, int>> ranges)
        {
            _ranges = ranges;
        }

        public static PortSet Any { get; } = new PortSet(new List<KeyValuePair<int, int>>());

        public bool IsAny => _ranges.Count == 0;

        /// <summary>(first, last) pairs, sorted, merged.</summary>
        public IReadOnlyList<KeyValuePair<int, int>> Ranges => _ranges;

        /// <summary>Parses the values of a port parameter; "Any" alone means any port.</summary>
        public static PortSet Parse(IEnumerable<string> values, string parameterName)
        {
            var list = values?.ToList() ?? new List<string>();
            if (list.Count == 0 || (list.Count == 1 && string.Equals(list[0]?.Trim(), "Any", StringComparison.OrdinalIgnoreCase)))
            {
                return Any;
            }

            var ranges = new List<KeyValuePair<int, int>>();
            foreach (var raw in list)
            {
                ranges.Add(ParseOne(raw, parameterName));
            }

            return new PortSet(Merge(ranges));
        }

        public static PortSet Single(int port)
        {
            if (port < 1 || port > 65535)
            {
                throw Invalid(port.ToString(CultureInfo.InvariantCulture), "LocalPort");
            }

            return new PortSet(new List<KeyValuePair<int, int>> { new KeyValuePair<int, int>(port, port) });
        }

        internal static PortSet FromRanges(IEnumerable<KeyValuePair<int, int>> ranges)
        {
            return new PortSet(Merge(ranges.ToList()));
        }

        /// <summary>The canonical strings: "443", "13000-13010".</summary>
        public string[] ToStrings()
        {
            return _ranges.Select(r => r.Key == r.Value
                ? r.Key.ToString(CultureInfo.InvariantCulture)
                : r.Key.ToString(CultureInfo.InvariantCulture) + "-" + r.Value.ToString(CultureInfo.InvariantCulture)).ToArray();
        }

        public bool Equals(PortSet other)
        {
            return other != null && _ranges.SequenceEqual(other._ranges);
        }

        public override bool Equals(object obj)
        {
            return Equals(obj as PortSet);
        }

        public override int GetHashCode()
        {
            return _ranges.Count == 0 ? 0 : _ranges[0].Key ^ (_ranges.Count << 16);
        }

        public override string ToString()
        {
            return IsAny ? "Any" : string.Join(",", ToStrings());
        }

        private static KeyValuePair<int, int> ParseOne(string raw, string parameterName)
        {
            var text = raw?.Trim() ?? string.Empty;
            var dash = text.IndexOf('-');
            int first, last;
            if (dash < 0)
            {
                if (!TryPort(text, out first))
                {
                    throw Invalid(raw, parameterName);
                }

                last = first;
            }
            else if (!TryPort(text.Substring(0, dash), out first) || !TryPort(text.Substring(dash + 1), out last) || first > last)
            {
                throw Invalid(raw, parameterName);
            }

            return new KeyValuePair<int, int>(first, last);
        }

        private static bool TryPort(string text, out int port)
        {
            text = text.Trim();
            // Digits only: int.TryParse would also take "+443" and " 443 ".
            if (text.Length == 0 || text.Length > 5 || !text.All(c => c >= '0' && c <= '9'))
            {
                port = 0;
                return false;
            }

            port = int.Parse(text, CultureInfo.InvariantCulture);
            return port >= 1 && port <= 65535;
        }

        private static List<KeyValuePair<int, int>> Merge(List<KeyValuePair<int, int>> ranges)
        {
            ranges.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Value.CompareTo(b.Value));
            var merged = new List<KeyValuePair<int, int>>();
            foreach (var r in ranges)
            {
                if (merged.Count > 0 && r.Key <= merged[merged.Count - 1].Value + 1)
                {
                    var last = merged[merged.Count - 1];
                    merged[merged.Count - 1] = new KeyValuePair<int, int>(last.Key, Math.Max(last.Value, r.Value));
                }
                else
                {
                    merged.Add(r);
                }
            }

            return merged;
        }

        private static EndpointAdminException Invalid(string value, string parameterName)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallPortInvalid,
                ErrorKind.InvalidArgument,
                value,
                string.Format(CultureInfo.InvariantCulture, "'{0}' is not a valid {1}: give a port from 1 to 65535 or a range such as 13000-13010 (first not above last).", value, parameterName))
            {
                RecommendedAction = "Use a port number from 1 to 65535, or a range 'first-last'.",
            };
        }
    }
}
