using System;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>What one run of nft printed.</summary>
    internal sealed class NftResult
    {
        public int ExitCode { get; set; }

        public string Output { get; set; }

        public string Error { get; set; }

        public bool PermissionDenied => (Error ?? string.Empty).IndexOf("Operation not permitted", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>What the backend asks of nftables: list its table, and run a JSON batch (or only check it).</summary>
    internal interface INft
    {
        NftResult ListTable(string family, string table);

        /// <summary>Runs a JSON batch as one transaction; with <paramref name="checkOnly"/> nothing is committed.</summary>
        NftResult RunJson(string json, bool checkOnly);
    }
}
