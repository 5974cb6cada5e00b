using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall
{
    /// <summary>What New-FirewallPortRule will do with one wanted rule.</summary>
    internal enum PlannedChange
    {
        Add,
        Unchanged,
    }

    /// <summary>
    /// The firewall logic above the backend seam: validate wanted rules, compare them with what the
    /// machine has, and turn an invocation's requests into one change set. Knows nothing of
    /// PowerShell and nothing of nftables or COM.
    /// </summary>
    internal sealed class FirewallService
    {
        private readonly IFirewallBackend _backend;

        public FirewallService(IFirewallBackend backend)
        {
            _backend = backend;
        }

        /// <summary>The host firewall this service plans for.</summary>
        public FirewallBackendKind Kind => _backend.Kind;

        public FirewallSnapshot Read()
        {
            return _backend.Read();
        }

        /// <summary>
        /// Applies an invocation's change set to the firewall <paramref name="basis"/> was read from,
        /// all or nothing; throws with a stable ErrorId when the backend refuses it.
        /// </summary>
        public void Apply(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            _backend.Apply(basis, changes);
        }

        /// <summary>Validates a wanted rule for this backend; throws with a stable ErrorId when it is not valid.</summary>
        public NormalizedRule Prepare(FirewallPortRule wanted)
        {
            var rule = FirewallRuleNormalizer.Normalize(wanted);
            rule.Rule.Backend = _backend.Kind;
            _backend.Validate(rule);
            return rule;
        }

        /// <summary>
        /// Decides, per wanted rule, whether it is added or already there. A name that exists with
        /// other settings (on the machine, or twice in the same request) is a conflict.
        /// </summary>
        public PlannedChange PlanNew(FirewallSnapshot snapshot, NormalizedRule wanted, IDictionary<string, NormalizedRule> plannedSoFar)
        {
            if (snapshot.ByName.TryGetValue(wanted.Name, out var existing))
            {
                var differences = wanted.DifferencesFrom(existing);
                if (differences.Count > 0)
                {
                    throw Conflict(wanted.Name, "a rule of that name already exists with other settings", differences);
                }

                return PlannedChange.Unchanged;
            }

            if (plannedSoFar.TryGetValue(wanted.Name, out var earlier))
            {
                var differences = wanted.DifferencesFrom(earlier);
                if (differences.Count > 0)
                {
                    throw Conflict(wanted.Name, "the same command asks for two rules of that name with different settings", differences);
                }

                return PlannedChange.Unchanged;
            }

            plannedSoFar[wanted.Name] = wanted;
            return PlannedChange.Add;
        }

        public FirewallRuleTestResult Test(FirewallSnapshot snapshot, NormalizedRule wanted)
        {
            var result = new FirewallRuleTestResult { Name = wanted.Name, DisplayName = wanted.Rule.DisplayName, Backend = _backend.Kind };
            if (!snapshot.ByName.TryGetValue(wanted.Name, out var actual))
            {
                var covering = ProductFirewallRules.Covering(snapshot.ProductRules, wanted);
                if (covering != null)
                {
                    result.State = FirewallRuleState.CoveredByProductRule;
                    result.InDesiredState = true;
                    result.Differences = new[] { "Rule: provided by the " + covering.Product + " rule '" + covering.Name + "', which the product created itself" };
                    return result;
                }

                result.State = FirewallRuleState.Missing;
                result.Differences = wanted.Rule.Product.HasValue && ProductFirewallRules.NeverCreates(wanted.Rule.Product.Value, wanted.Rule.Direction)
                    ? new[] { "Rule: wanted, found none", wanted.Rule.Product + " never creates " + wanted.Rule.Direction.ToString().ToLowerInvariant() + " rules: this one is yours to make (New-FirewallPortRule)" }
                    : new[] { "Rule: wanted, found none" };
                return result;
            }

            var differences = wanted.DifferencesFrom(actual);
            result.State = differences.Count == 0 ? FirewallRuleState.Present : FirewallRuleState.Different;
            result.InDesiredState = differences.Count == 0;
            result.Differences = differences.ToArray();
            return result;
        }

        /// <summary>The rules matching every filter given (names literal, display names and groups by pattern).</summary>
        public IEnumerable<NormalizedRule> Find(FirewallSnapshot snapshot, IList<string> names, IReadOnlyList<NamePattern> displayNames, IReadOnlyList<NamePattern> groups)
        {
            // Sets, so that filters piped in by the thousand cost a lookup per rule, not a scan.
            var nameSet = names == null ? null : new HashSet<string>(names, StringComparer.Ordinal);
            var displayNameSet = displayNames == null ? null : new NamePatternSet(displayNames);
            var groupSet = groups == null ? null : new NamePatternSet(groups);
            return snapshot.Rules
                .Where(r => nameSet == null || nameSet.Contains(r.Name))
                .Where(r => displayNameSet == null || displayNameSet.IsMatch(r.Rule.DisplayName))
                .Where(r => groupSet == null || groupSet.IsMatch(r.Rule.Group))
                .OrderBy(r => r.Rule.Group, StringComparer.OrdinalIgnoreCase)
                .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase);
        }

        public static EndpointAdminException NotFound(string name, string property = "Name")
        {
            var what = property == "Name" ? "is named" : property == "DisplayName" ? "has the display name" : "is in the group";
            return new EndpointAdminException(
                ErrorIds.FirewallRuleNotFound,
                ErrorKind.ObjectNotFound,
                name,
                string.Format(CultureInfo.InvariantCulture, "No EndpointAdmin firewall rule {0} '{1}'.", what, name))
            {
                RecommendedAction = "List the rules with Get-FirewallPortRule; names are matched literally and case-sensitively.",
            };
        }

        private static EndpointAdminException Conflict(string name, string why, List<string> differences)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallRuleConflict,
                ErrorKind.ResourceExists,
                name,
                string.Format(CultureInfo.InvariantCulture, "Cannot create the rule '{0}': {1} ({2}).", name, why, string.Join("; ", differences)))
            {
                RecommendedAction = "Give the new rule another -Name, or remove the existing one first (Remove-FirewallPortRule), or compare them with Test-FirewallPortRule.",
            };
        }
    }
}
