using System;
using System.Collections.Generic;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>One nftables rule of the table, by what nft deletes it by: its chain and handle.</summary>
    internal readonly struct NftRuleHandle
    {
        public NftRuleHandle(string chain, long handle)
        {
            Chain = chain;
            Handle = handle;
        }

        public string Chain { get; }

        public long Handle { get; }
    }

    /// <summary>What the nftables backend read besides the rules: whether the table exists, its chains, and the handles to delete by.</summary>
    internal sealed class NftHandles : BackendState
    {
        private readonly Dictionary<string, List<NftRuleHandle>> _handles = new Dictionary<string, List<NftRuleHandle>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NftRuleHandle>> _records = new Dictionary<string, List<NftRuleHandle>>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _recordIds = new Dictionary<string, string>(StringComparer.Ordinal);

        public NftHandles(bool tableExists)
        {
            TableExists = tableExists;
        }

        public bool TableExists { get; }

        /// <summary>The chains the table has; one is created when a rule first needs it.</summary>
        public HashSet<string> Chains { get; } = new HashSet<string>(StringComparer.Ordinal);

        public void AddHandles(string key, IEnumerable<NftRuleHandle> handles)
        {
            if (!_handles.TryGetValue(key, out var list))
            {
                _handles[key] = list = new List<NftRuleHandle>();
            }

            list.AddRange(handles);
        }

        public void AddRecordHandle(string id, NftRuleHandle handle)
        {
            if (!_records.TryGetValue(id, out var list))
            {
                _records[id] = list = new List<NftRuleHandle>();
            }

            list.Add(handle);
        }

        public void Map(string key, string recordId)
        {
            _recordIds[key] = recordId;
        }

        /// <summary>Every nftables rule that makes up a rule or document: its packet rules and its records.</summary>
        public IEnumerable<NftRuleHandle> RuleHandles(string key)
        {
            if (_handles.TryGetValue(key, out var list))
            {
                foreach (var h in list)
                {
                    yield return h;
                }
            }

            if (_recordIds.TryGetValue(key, out var id) && _records.TryGetValue(id, out var records))
            {
                foreach (var h in records)
                {
                    yield return h;
                }
            }
        }
    }
}
