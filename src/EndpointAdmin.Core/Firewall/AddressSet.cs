using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// Remote addresses parsed from IPv4/IPv6 addresses, prefixes ("10.0.0.0/8", "fe80::/10") and
    /// ranges ("10.0.0.1-10.0.0.9"), kept per family as sorted, merged intervals. Two rules match the
    /// same hosts exactly when their sets are equal, however the addresses were typed. Empty means any.
    /// </summary>
    internal sealed class AddressSet : IEquatable<AddressSet>
    {
        private AddressSet(List<Interval> v4, List<Interval> v6)
        {
            V4 = v4;
            V6 = v6;
        }

        public static AddressSet Any { get; } = new AddressSet(new List<Interval>(), new List<Interval>());

        public IReadOnlyList<Interval> V4 { get; }

        public IReadOnlyList<Interval> V6 { get; }

        public bool IsAny => V4.Count == 0 && V6.Count == 0;

        public static AddressSet Parse(IEnumerable<string> values)
        {
            var list = values?.ToList() ?? new List<string>();
            if (list.Count == 0 || (list.Count == 1 && string.Equals(list[0]?.Trim(), "Any", StringComparison.OrdinalIgnoreCase)))
            {
                return Any;
            }

            var v4 = new List<Interval>();
            var v6 = new List<Interval>();
            foreach (var raw in list)
            {
                var interval = ParseOne(raw);
                (interval.IsV6 ? v6 : v4).Add(interval);
            }

            return new AddressSet(Merge(v4), Merge(v6));
        }

        internal static AddressSet FromIntervals(IEnumerable<Interval> intervals)
        {
            var all = intervals.ToList();
            return new AddressSet(Merge(all.Where(i => !i.IsV6).ToList()), Merge(all.Where(i => i.IsV6).ToList()));
        }

        /// <summary>Canonical strings: an address, a prefix where the interval is one, else "first-last".</summary>
        public string[] ToStrings()
        {
            return V4.Concat(V6).Select(i => i.ToString()).ToArray();
        }

        public bool Equals(AddressSet other)
        {
            return other != null && V4.SequenceEqual(other.V4) && V6.SequenceEqual(other.V6);
        }

        public override bool Equals(object obj)
        {
            return Equals(obj as AddressSet);
        }

        public override int GetHashCode()
        {
            return V4.Count ^ (V6.Count << 8);
        }

        public override string ToString()
        {
            return IsAny ? "Any" : string.Join(",", ToStrings());
        }

        /// <summary>Parses one address, prefix or range; throws FirewallAddressInvalid naming it.</summary>
        public static Interval ParseOne(string raw)
        {
            var text = raw?.Trim() ?? string.Empty;
            var slash = text.IndexOf('/');
            if (slash >= 0)
            {
                if (!TryAddress(text.Substring(0, slash), out var addr, out var v6)
                    || !TryPrefixLength(text.Substring(slash + 1), v6 ? 128 : 32, out var len))
                {
                    throw Invalid(raw);
                }

                var bits = v6 ? 128 : 32;
                var hostMask = (BigInteger.One << (bits - len)) - 1;
                var first = addr & ~hostMask & Max(v6);
                return new Interval(first, first | hostMask, v6);
            }

            var dash = text.IndexOf('-');
            if (dash >= 0)
            {
                if (!TryAddress(text.Substring(0, dash), out var a, out var aV6)
                    || !TryAddress(text.Substring(dash + 1), out var b, out var bV6)
                    || aV6 != bV6 || a > b)
                {
                    throw Invalid(raw);
                }

                return new Interval(a, b, aV6);
            }

            if (!TryAddress(text, out var single, out var singleV6))
            {
                throw Invalid(raw);
            }

            return new Interval(single, single, singleV6);
        }

        private static bool TryAddress(string text, out BigInteger value, out bool v6)
        {
            value = BigInteger.Zero;
            v6 = false;
            text = text.Trim();
            if (text.Length == 0)
            {
                return false;
            }

            if (text.IndexOf(':') >= 0)
            {
                // A scope id ("%eth0") names an interface, not a remote host.
                if (text.IndexOf('%') >= 0 || !IPAddress.TryParse(text, out var ip6) || ip6.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    return false;
                }

                v6 = true;
                value = ToBigInteger(ip6.GetAddressBytes());
                return true;
            }

            // Strict dotted quad: IPAddress.TryParse also takes "10", "10.1" and octal forms.
            var parts = text.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                var p = parts[i];
                if (p.Length == 0 || p.Length > 3 || !p.All(c => c >= '0' && c <= '9'))
                {
                    return false;
                }

                var n = int.Parse(p, CultureInfo.InvariantCulture);
                if (n > 255)
                {
                    return false;
                }

                bytes[i] = (byte)n;
            }

            value = ToBigInteger(bytes);
            return true;
        }

        private static bool TryPrefixLength(string text, int max, out int len)
        {
            text = text.Trim();
            len = -1;
            return text.Length > 0 && text.Length <= 3 && text.All(c => c >= '0' && c <= '9')
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out len) && len <= max;
        }

        private static BigInteger ToBigInteger(byte[] bigEndian)
        {
            var little = new byte[bigEndian.Length + 1];
            for (int i = 0; i < bigEndian.Length; i++)
            {
                little[i] = bigEndian[bigEndian.Length - 1 - i];
            }

            return new BigInteger(little);
        }

        private static BigInteger Max(bool v6)
        {
            return (BigInteger.One << (v6 ? 128 : 32)) - 1;
        }

        private static List<Interval> Merge(List<Interval> list)
        {
            list.Sort((x, y) => x.First != y.First ? x.First.CompareTo(y.First) : x.Last.CompareTo(y.Last));
            var merged = new List<Interval>();
            foreach (var i in list)
            {
                if (merged.Count > 0 && i.First <= merged[merged.Count - 1].Last + 1)
                {
                    var last = merged[merged.Count - 1];
                    merged[merged.Count - 1] = new Interval(last.First, BigInteger.Max(last.Last, i.Last), last.IsV6);
                }
                else
                {
                    merged.Add(i);
                }
            }

            return merged;
        }

        private static EndpointAdminException Invalid(string value)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallAddressInvalid,
                ErrorKind.InvalidArgument,
                value,
                string.Format(CultureInfo.InvariantCulture, "'{0}' is not a valid RemoteAddress: give an IPv4 or IPv6 address, a prefix such as 10.0.0.0/8 or fe80::/10, or a range such as 10.0.0.1-10.0.0.9.", value))
            {
                RecommendedAction = "Check the address: four numbers 0-255 for IPv4, a prefix length up to 32 (IPv4) or 128 (IPv6), and a range's first address not above its last.",
            };
        }

        /// <summary>A closed interval of addresses of one family.</summary>
        internal readonly struct Interval : IEquatable<Interval>
        {
            public Interval(BigInteger first, BigInteger last, bool isV6)
            {
                First = first;
                Last = last;
                IsV6 = isV6;
            }

            public BigInteger First { get; }

            public BigInteger Last { get; }

            public bool IsV6 { get; }

            /// <summary>The prefix length when the interval is exactly one prefix, else -1.</summary>
            public int PrefixLength
            {
                get
                {
                    var bits = IsV6 ? 128 : 32;
                    var size = Last - First + 1;
                    for (int len = bits; len >= 0; len--)
                    {
                        var block = BigInteger.One << (bits - len);
                        if (block == size)
                        {
                            return (First % block).IsZero ? len : -1;
                        }

                        if (block > size)
                        {
                            return -1;
                        }
                    }

                    return -1;
                }
            }

            public string FirstText => Format(First, IsV6);

            public string LastText => Format(Last, IsV6);

            public bool Equals(Interval other)
            {
                return First == other.First && Last == other.Last && IsV6 == other.IsV6;
            }

            public override bool Equals(object obj)
            {
                return obj is Interval other && Equals(other);
            }

            public override int GetHashCode()
            {
                return First.GetHashCode() ^ Last.GetHashCode();
            }

            public override string ToString()
            {
                if (First == Last)
                {
                    return FirstText;
                }

                var len = PrefixLength;
                return len >= 0 ? FirstText + "/" + len.ToString(CultureInfo.InvariantCulture) : FirstText + "-" + LastText;
            }

            private static string Format(BigInteger value, bool v6)
            {
                var size = v6 ? 16 : 4;
                var little = value.ToByteArray();
                var bytes = new byte[size];
                for (int i = 0; i < size && i < little.Length; i++)
                {
                    bytes[size - 1 - i] = little[i];
                }

                return new IPAddress(bytes).ToString();
            }
        }
    }
}
