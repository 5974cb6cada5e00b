using System;
using System.Collections.Generic;
using System.Globalization;

namespace EndpointAdmin.Catalog
{
    /// <summary>
    /// A dotted numeric version compared component by component, missing components counting as 0
    /// (so 2.7 == 2.7.0). System.Version is not used because it cannot express the seeds' "3.5.3xxx".
    /// </summary>
    internal sealed class ProductVersion : IComparable<ProductVersion>
    {
        private readonly int[] _parts;

        private ProductVersion(int[] parts)
        {
            _parts = parts;
        }

        public static ProductVersion Parse(string text)
        {
            if (!TryParseRange(text, out var low, out _))
            {
                throw new FormatException("'" + text + "' is not a version.");
            }

            return low;
        }

        /// <summary>
        /// Parses what a user types as a version into the half-open range it stands for: the last
        /// component given is the precision, so "2.7" is [2.7, 2.8), "2.7.1" is [2.7.1, 2.7.2) and,
        /// as the Apex One documents write agent builds, "3.5.3xxx" is [3.5.3000, 3.5.4000).
        /// </summary>
        public static bool TryParseRange(string text, out ProductVersion low, out ProductVersion highExclusive)
        {
            low = null;
            highExclusive = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            var pieces = text.Trim().Split('.');
            if (pieces.Length > 4)
            {
                return false;
            }

            var lowParts = new int[pieces.Length];
            var highParts = new int[pieces.Length];
            for (int i = 0; i < pieces.Length; i++)
            {
                var piece = pieces[i];
                bool last = i == pieces.Length - 1;
                int wildDigits = 0;
                while (last && wildDigits < piece.Length && (piece[piece.Length - 1 - wildDigits] == 'x' || piece[piece.Length - 1 - wildDigits] == 'X'))
                {
                    wildDigits++;
                }

                var digits = piece.Substring(0, piece.Length - wildDigits);
                if (digits.Length == 0 || digits.Length > 9 || !IsDigits(digits))
                {
                    return false;
                }

                int value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                int scale = 1;
                for (int k = 0; k < wildDigits; k++)
                {
                    scale = checked(scale * 10);
                }

                lowParts[i] = checked(value * scale);
                highParts[i] = last ? checked((value + 1) * scale) : lowParts[i];
            }

            low = new ProductVersion(lowParts);
            highExclusive = new ProductVersion(highParts);
            return true;
        }

        private static bool IsDigits(string s)
        {
            foreach (var c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        public int CompareTo(ProductVersion other)
        {
            int n = Math.Max(_parts.Length, other._parts.Length);
            for (int i = 0; i < n; i++)
            {
                int a = i < _parts.Length ? _parts[i] : 0;
                int b = i < other._parts.Length ? other._parts[i] : 0;
                if (a != b)
                {
                    return a.CompareTo(b);
                }
            }

            return 0;
        }

        public override string ToString()
        {
            var strings = new List<string>(_parts.Length);
            foreach (var p in _parts)
            {
                strings.Add(p.ToString(CultureInfo.InvariantCulture));
            }

            return string.Join(".", strings);
        }
    }
}
