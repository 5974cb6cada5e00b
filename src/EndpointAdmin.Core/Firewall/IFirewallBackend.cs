using System;
using System.Collections.Generic;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// The one seam between the firewall cmdlets and a host firewall. The service above it plans
    /// (what to add, keep, remove); a backend only reads its rules and applies a change set, all or
    /// nothing. Documents are small named JSON texts (the migration state) a backend keeps beside its
    /// rules, so they change in the same step as the rules they describe.
    /// </summary>
    internal interface IFirewallBackend
    {
        FirewallBackendKind Kind { get; }

        /// <summary>Rejects what this firewall cannot express (e.g. a MAC filter), before anything changes.</summary>
        void Validate(NormalizedRule rule);

        /// <summary>EndpointAdmin's rules and documents as they are now.</summary>
        FirewallSnapshot Read();

        /// <summary>Applies every change in one step: afterwards all of them hold, or none.</summary>
        void Apply(FirewallSnapshot basis, FirewallChangeSet changes);
    }

    /// <summary>What a backend found: its rules (already normalized) and documents.</summary>
    internal sealed class FirewallSnapshot
    {
        private readonly BackendState _backendState;

        public FirewallSnapshot(IReadOnlyList<NormalizedRule> rules, IReadOnlyDictionary<string, string> documents, BackendState backendState, IReadOnlyList<FirewallPortRule> productRules = null)
        {
            ProductRules = productRules ?? new FirewallPortRule[0];
            Rules = rules;
            Documents = documents;
            _backendState = backendState;
            var byName = new Dictionary<string, NormalizedRule>(System.StringComparer.Ordinal);
            foreach (var r in rules)
            {
                byName[r.Name] = r;
            }

            ByName = byName;
        }

        public IReadOnlyList<NormalizedRule> Rules { get; }

        public IReadOnlyDictionary<string, NormalizedRule> ByName { get; }

        public IReadOnlyDictionary<string, string> Documents { get; }

        /// <summary>Rules a product created by itself (ProductFirewallRules), read but never changed; empty where a backend has none.</summary>
        public IReadOnlyList<FirewallPortRule> ProductRules { get; }

        /// <summary>What the backend that read this snapshot needs to change what it read (e.g. nftables rule handles).</summary>
        public TState StateOf<TState>()
            where TState : BackendState
        {
            return _backendState as TState ?? throw new InvalidOperationException(
                "This firewall snapshot was read by another backend (" + (_backendState?.GetType().Name ?? "none") + ", not " + typeof(TState).Name + ").");
        }
    }

    /// <summary>
    /// What one backend keeps in a snapshot so that it can change what it read (the nftables
    /// handles, the live COM rules); opaque to everything above the seam.
    /// </summary>
    internal abstract class BackendState
    {
    }

    /// <summary>The changes of one invocation, applied together.</summary>
    internal sealed class FirewallChangeSet
    {
        public List<NormalizedRule> Add { get; } = new List<NormalizedRule>();

        public List<string> Remove { get; } = new List<string>();

        public Dictionary<string, string> PutDocuments { get; } = new Dictionary<string, string>(System.StringComparer.Ordinal);

        public List<string> DeleteDocuments { get; } = new List<string>();

        public bool IsEmpty => Add.Count == 0 && Remove.Count == 0 && PutDocuments.Count == 0 && DeleteDocuments.Count == 0;
    }
}
