using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>One nft command and the rule or document it belongs to (null for the table itself).</summary>
    internal sealed class NftCommand
    {
        public NftCommand(string owner, JObject json)
        {
            Owner = owner;
            Json = json;
        }

        public string Owner { get; }

        public JObject Json { get; set; }
    }
}
