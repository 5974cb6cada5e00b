using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using Newtonsoft.Json;

namespace EndpointAdmin.Firewall
{
    /// <summary>
    /// A product's port migration on one machine, as the SES Evolution document describes it: keep
    /// the old and the new firewall configuration side by side while the backoffice migrates, and
    /// delete the old one only once every component is migrated. Start adds the new version's rules
    /// beside the old ones and records which components take part; components are then marked
    /// migrated one by one; Complete removes the old rules the new version no longer needs. The
    /// record is a document kept by the backend with the rules, so it changes in the same step.
    /// </summary>
    internal sealed class FirewallMigration
    {
        private const string DocumentPrefix = "migration:";
        private readonly PortCatalog _catalog;

        public FirewallMigration(PortCatalog catalog)
        {
            _catalog = catalog;
        }

        /// <summary>The rules Start creates: the new version's catalog rows for the components.</summary>
        public MigrationPlan PlanStart(FirewallSnapshot snapshot, FirewallService service, Product product, string fromVersion, string toVersion, string[] components, Topology? topology, string group, string[] remoteAddress)
        {
            if (string.Equals(fromVersion.Trim(), toVersion.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new EndpointAdminException(ErrorIds.FirewallMigrationSameVersion, ErrorKind.InvalidArgument, toVersion, "-FromVersion and -ToVersion are the same version (" + toVersion + "): there is nothing to migrate.");
            }

            var existing = Load(snapshot, product);
            if (components == null || components.Length == 0)
            {
                components = existing?.Components.Keys.ToArray() ?? ComponentsPresent(snapshot, product, fromVersion);
                if (components.Length == 0)
                {
                    throw new EndpointAdminException(
                        ErrorIds.FirewallMigrationComponentNotFound,
                        ErrorKind.ObjectNotFound,
                        product + " " + fromVersion,
                        string.Format(CultureInfo.InvariantCulture, "No {0} {1} rules are on this machine, so the components to migrate are not known.", product, fromVersion))
                    {
                        RecommendedAction = "Name the components with -Component (for example -Component AgentHandler).",
                    };
                }
            }

            if (existing != null && (existing.FromVersion != fromVersion || existing.ToVersion != toVersion || (topology != null && existing.Topology != null && existing.Topology != topology.ToString())))
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMigrationAlreadyStarted,
                    ErrorKind.InvalidOperation,
                    product.ToString(),
                    string.Format(CultureInfo.InvariantCulture, "A {0} migration from {1} to {2}{3} is already in progress on this machine.", product, existing.FromVersion, existing.ToVersion, existing.Topology == null ? string.Empty : " (topology " + existing.Topology + ")"))
                {
                    RecommendedAction = "Finish it with Complete-FirewallPortMigration (or see it with Get-FirewallPortMigration) before starting another.",
                };
            }

            // Both versions and every component are checked against the catalog before anything changes.
            Rows(product, fromVersion, components, topology);
            var newRows = Rows(product, toVersion, components, topology);
            var topologyRows = newRows.Where(r => r.Topology != Topology.Any).ToList();
            if (topology == null && topologyRows.Count > 0)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMigrationTopologyRequired,
                    ErrorKind.InvalidArgument,
                    toVersion,
                    string.Format(CultureInfo.InvariantCulture, "{0} {1} uses different ports depending on the topology ({2}).", product, toVersion, string.Join(", ", topologyRows.Select(r => r.Component + " " + r.Protocol + " " + r.Port + " " + r.Topology))))
                {
                    RecommendedAction = "Say how the components are installed with -Topology SameMachine or -Topology SeparateMachines.",
                };
            }

            var plan = new MigrationPlan();
            var planned = new Dictionary<string, NormalizedRule>(StringComparer.Ordinal);
            foreach (var row in newRows)
            {
                var rule = FirewallRuleNormalizer.FromRequirement(row);
                rule.Group = group;
                rule.RemoteAddress = remoteAddress ?? Array.Empty<string>();
                var normalized = service.Prepare(rule);
                if (service.PlanNew(snapshot, normalized, planned) == PlannedChange.Add)
                {
                    // A port the product opened by itself is not opened twice.
                    var covering = ProductFirewallRules.Covering(snapshot.ProductRules, normalized);
                    if (covering != null)
                    {
                        plan.CoveredByProduct.Add(new KeyValuePair<FirewallPortRule, FirewallPortRule>(normalized.Rule, covering));
                    }
                    else
                    {
                        plan.Changes.Add.Add(normalized);
                    }
                }
            }

            var state = existing ?? new MigrationState
            {
                FromVersion = fromVersion,
                ToVersion = toVersion,
                Topology = topology?.ToString(),
                StartedAt = DateTime.UtcNow,
            };
            foreach (var c in components)
            {
                var canonical = CanonicalComponent(product, c, toVersion);
                if (!state.Components.ContainsKey(canonical))
                {
                    state.Components[canonical] = false;
                }
            }

            plan.Changes.PutDocuments[DocumentPrefix + product] = JsonConvert.SerializeObject(state);
            plan.State = state;
            return plan;
        }

        /// <summary>Marks components migrated (or not); they must be part of the product's migration.</summary>
        public MigrationPlan PlanMark(FirewallSnapshot snapshot, Product product, string[] components, bool migrated)
        {
            var state = Require(snapshot, product);
            foreach (var c in components)
            {
                var key = state.Components.Keys.FirstOrDefault(k => string.Equals(k, c, StringComparison.OrdinalIgnoreCase));
                if (key == null)
                {
                    throw new EndpointAdminException(
                        ErrorIds.FirewallMigrationComponentNotFound,
                        ErrorKind.ObjectNotFound,
                        c,
                        string.Format(CultureInfo.InvariantCulture, "'{0}' is not part of the {1} migration on this machine; it covers {2}.", c, product, string.Join(", ", state.Components.Keys)));
                }

                state.Components[key] = migrated;
            }

            var plan = new MigrationPlan { State = state };
            plan.Changes.PutDocuments[DocumentPrefix + product] = JsonConvert.SerializeObject(state);
            return plan;
        }

        /// <summary>
        /// The old rules to remove: those of the old version for the migrating components, except
        /// any whose port the new version still needs and no new rule covers yet (kept, with a note).
        /// </summary>
        public MigrationPlan PlanComplete(FirewallSnapshot snapshot, Product product, bool force)
        {
            var state = Require(snapshot, product);
            var pending = state.Components.Where(c => !c.Value).Select(c => c.Key).ToList();
            if (pending.Count > 0 && !force)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMigrationComponentNotMigrated,
                    ErrorKind.InvalidOperation,
                    string.Join(", ", pending),
                    string.Format(CultureInfo.InvariantCulture, "The {0} migration is not finished: {1} not marked migrated. The old rules stay until every backoffice component is migrated.", product, string.Join(", ", pending) + (pending.Count == 1 ? " is" : " are")))
                {
                    RecommendedAction = "Mark each migrated component with Set-FirewallPortMigration -Component <name> -Migrated, or use -Force to remove the old rules anyway.",
                };
            }

            var components = state.Components.Keys.ToArray();
            var topology = state.Topology == null ? (Topology?)null : (Topology)Enum.Parse(typeof(Topology), state.Topology);
            var oldNames = new HashSet<string>(Rows(product, state.FromVersion, components, null).Select(r => FirewallRuleNormalizer.FromRequirement(r).Name), StringComparer.Ordinal);
            var newRows = Rows(product, state.ToVersion, components, topology);
            var newRules = newRows.Select(FirewallRuleNormalizer.FromRequirement).ToList();
            var plan = new MigrationPlan { State = state };
            foreach (var old in snapshot.Rules.Where(r => oldNames.Contains(r.Name)))
            {
                var stillNeeded = newRules.Any(n => Covers(n, old.Rule));
                var covered = newRules.Any(n => Covers(n, old.Rule) && (snapshot.ByName.ContainsKey(n.Name) || ProductFirewallRules.Covering(snapshot.ProductRules, FirewallRuleNormalizer.Normalize(n)) != null));
                if (stillNeeded && !covered)
                {
                    plan.Kept.Add(old.Rule);
                }
                else
                {
                    plan.Changes.Remove.Add(old.Name);
                    plan.Removed.Add(old.Rule);
                }
            }

            plan.Changes.DeleteDocuments.Add(DocumentPrefix + product);
            return plan;
        }

        /// <summary>Where each product component stands: versions present and, during a migration, its progress.</summary>
        public List<FirewallMigrationStatus> Status(FirewallSnapshot snapshot, FirewallBackendKind backend, Product? onlyProduct)
        {
            var statuses = new List<FirewallMigrationStatus>();
            var products = snapshot.Rules.Where(r => r.Rule.Product.HasValue).Select(r => r.Rule.Product.Value)
                .Concat(snapshot.ProductRules.Where(r => r.Product.HasValue).Select(r => r.Product.Value))
                .Concat(snapshot.Documents.Keys.Where(k => k.StartsWith(DocumentPrefix, StringComparison.Ordinal))
                    .Select(k => Enum.TryParse<Product>(k.Substring(DocumentPrefix.Length), out var p) ? (Product?)p : null)
                    .Where(p => p.HasValue).Select(p => p.Value))
                .Distinct()
                .Where(p => onlyProduct == null || p == onlyProduct)
                .OrderBy(p => p);
            foreach (var product in products)
            {
                var state = Load(snapshot, product);
                var rules = snapshot.Rules.Where(r => r.Rule.Product == product).Select(r => r.Rule).ToList();
                var productRules = snapshot.ProductRules.Where(r => r.Product == product).ToList();
                var components = rules.Select(r => r.Component)
                    .Concat(productRules.Select(r => r.Component))
                    .Concat(state?.Components.Keys ?? Enumerable.Empty<string>())
                    .Distinct(StringComparer.OrdinalIgnoreCase)
                    .OrderBy(c => c, StringComparer.OrdinalIgnoreCase);
                foreach (var component in components)
                {
                    var mine = rules.Where(r => string.Equals(r.Component, component, StringComparison.OrdinalIgnoreCase)).ToList();
                    var status = new FirewallMigrationStatus
                    {
                        Product = product,
                        Component = component,
                        Backend = backend,
                        VersionsPresent = mine.Select(r => r.Version).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToArray(),
                        State = FirewallMigrationState.None,
                        ProductRules = productRules.Where(r => string.Equals(r.Component, component, StringComparison.OrdinalIgnoreCase))
                            .Select(r => r.Name + " (" + r.Direction + " " + r.Protocol + " " + string.Join(",", r.LocalPort) + ")").ToArray(),
                    };
                    if (state != null && state.Components.TryGetValue(component, out var migrated))
                    {
                        status.FromVersion = state.FromVersion;
                        status.ToVersion = state.ToVersion;
                        status.Migrated = migrated;
                        status.StartedAt = state.StartedAt;
                        status.FromVersionRuleCount = mine.Count(r => r.Version == state.FromVersion);
                        status.ToVersionRuleCount = mine.Count(r => r.Version == state.ToVersion);
                        status.State = state.Components.Values.All(v => v) ? FirewallMigrationState.ReadyToComplete : FirewallMigrationState.InProgress;
                    }

                    statuses.Add(status);
                }
            }

            return statuses;
        }

        private static bool Covers(FirewallPortRule newRule, FirewallPortRule old)
        {
            return string.Equals(newRule.Component, old.Component, StringComparison.OrdinalIgnoreCase)
                && newRule.Direction == old.Direction && newRule.Protocol == old.Protocol
                && newRule.LocalPort.SequenceEqual(old.LocalPort) && newRule.RemotePort.SequenceEqual(old.RemotePort);
        }

        private List<PortRequirement> Rows(Product product, string version, string[] components, Topology? topology)
        {
            var result = _catalog.Find(new PortQuery
            {
                Products = new[] { product },
                Version = version,
                Components = components.Select(NamePattern.Literal).ToList(),
                Topology = topology,
            });
            if (result.Errors.Count > 0)
            {
                throw result.Errors[0];
            }

            return result.Requirements;
        }

        private string CanonicalComponent(Product product, string component, string version)
        {
            var row = Rows(product, version, new[] { component }, null).FirstOrDefault();
            return row?.Component ?? component;
        }

        private static string[] ComponentsPresent(FirewallSnapshot snapshot, Product product, string version)
        {
            return snapshot.Rules.Where(r => r.Rule.Product == product && r.Rule.Version == version)
                .Select(r => r.Rule.Component).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        private static MigrationState Load(FirewallSnapshot snapshot, Product product)
        {
            return snapshot.Documents.TryGetValue(DocumentPrefix + product, out var json)
                ? JsonConvert.DeserializeObject<MigrationState>(json)
                : null;
        }

        private static MigrationState Require(FirewallSnapshot snapshot, Product product)
        {
            var state = Load(snapshot, product);
            if (state == null)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallMigrationNotStarted,
                    ErrorKind.InvalidOperation,
                    product.ToString(),
                    string.Format(CultureInfo.InvariantCulture, "No {0} firewall migration has been started on this machine.", product))
                {
                    RecommendedAction = "Start one with Start-FirewallPortMigration -Product " + product + " -FromVersion <old> -ToVersion <new>.",
                };
            }

            return state;
        }

        /// <summary>The migration record kept with the rules.</summary>
        internal sealed class MigrationState
        {
            public string FromVersion { get; set; }

            public string ToVersion { get; set; }

            public string Topology { get; set; }

            public DateTime StartedAt { get; set; }

            /// <summary>Component → marked migrated.</summary>
            public Dictionary<string, bool> Components { get; set; } = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>What a migration step will change, and for Complete what it removes and keeps.</summary>
        internal sealed class MigrationPlan
        {
            public FirewallChangeSet Changes { get; } = new FirewallChangeSet();

            public MigrationState State { get; set; }

            public List<FirewallPortRule> Removed { get; } = new List<FirewallPortRule>();

            public List<FirewallPortRule> Kept { get; } = new List<FirewallPortRule>();

            /// <summary>Wanted rules not created because a rule the product made itself already opens the port (wanted, covering).</summary>
            public List<KeyValuePair<FirewallPortRule, FirewallPortRule>> CoveredByProduct { get; } = new List<KeyValuePair<FirewallPortRule, FirewallPortRule>>();
        }
    }
}
