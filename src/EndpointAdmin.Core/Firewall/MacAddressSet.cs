using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall
{
    /// <summary>MAC addresses ("aa:bb:cc:dd:ee:ff" or with '-'), normalized to lower case with colons, sorted, distinct.</summary>
    internal static class MacAddressSet
    {
        public static string[] Parse(IEnumerable<string> values)
        {
            var result = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var raw in values ?? Enumerable.Empty<string>())
            {
                result.Add(Normalize(raw));
            }

            return result.ToArray();
        }

        public static string Normalize(string raw)
        {
            var parts = (raw ?? string.Empty).Trim().Split(':', '-');
            if (parts.Length != 6 || parts.Any(p => p.Length != 2 || !p.All(Uri.IsHexDigit)))
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMacAddressInvalid,
                    ErrorKind.InvalidArgument,
                    raw,
                    string.Format(CultureInfo.InvariantCulture, "'{0}' is not a valid RemoteMacAddress: give six hexadecimal byte pairs such as aa:bb:cc:dd:ee:ff.", raw));
            }

            return string.Join(":", parts).ToLowerInvariant();
        }
    }
}
