using System;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// How EndpointAdmin keeps its rules in nftables, shared by the encoder that writes them, the
    /// parser that reads them back and the backend that deletes them by handle.
    ///
    /// A rule is one nftables rule per address family it names, each commented "ea1 {json}" with the
    /// rule's metadata (name, display name, group, action, enabled, catalog origin). nftables allows
    /// 128 characters per comment, so metadata that does not fit moves to the records chain in
    /// numbered chunks and the rule's comment becomes "ea1 #id". Documents (the migration state) are
    /// kept the same way.
    /// </summary>
    internal static class NftLayout
    {
        public const string Family = "inet";
        public const string Table = "endpointadmin";
        public const string RecordsChain = "records";
        public const string Marker = "ea1 ";

        public static readonly JsonSerializerSettings AsciiJson = new JsonSerializerSettings
        {
            StringEscapeHandling = StringEscapeHandling.EscapeNonAscii,
            Formatting = Formatting.None,
        };

        public static string RuleKey(string name)
        {
            return "rule:" + name;
        }

        public static string DocumentKey(string key)
        {
            return "doc:" + key;
        }

        public static string Id(string key)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
                return BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty).ToLowerInvariant();
            }
        }
    }
}
