using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Firewall;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-FirewallPortRule: EndpointAdmin's rules in the host firewall; other rules are not touched
    /// or listed, except, with -IncludeProductRules, the rules a product created by itself (SES
    /// Evolution's Windows Defender Firewall rules), marked Origin Product.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FirewallPortRule")]
    [OutputType(typeof(FirewallPortRule))]
    public sealed class GetFirewallPortRuleCommand : FirewallCmdlet
    {
        private readonly List<string> _names = new List<string>();
        private readonly List<string> _displayNames = new List<string>();
        private readonly List<string> _groups = new List<string>();
        private bool _filtered;

        /// <summary>Rule names, matched literally (no wildcards).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] DisplayName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Group { get; set; }

        /// <summary>Also list the rules a product created by itself (Origin Product), read only.</summary>
        [Parameter]
        public SwitchParameter IncludeProductRules { get; set; }

        protected override void ProcessRecord()
        {
            _filtered |= Name != null || DisplayName != null || Group != null;
            _names.AddRange(Name ?? new string[0]);
            _displayNames.AddRange(DisplayName ?? new string[0]);
            _groups.AddRange(Group ?? new string[0]);
        }

        protected override void EndProcessing()
        {
            var snapshot = ReadFirewall();
            var names = _names.Count > 0 ? _names : null;
            var displayNames = _displayNames.Count > 0 ? Patterns.From(_displayNames.ToArray()) : null;
            var groups = _groups.Count > 0 ? Patterns.From(_groups.ToArray()) : null;
            var found = Service.Find(snapshot, names, displayNames, groups).ToList();
            WriteVerbose(found.Count + " of " + snapshot.Rules.Count + " EndpointAdmin rule(s) in " + Service.Kind + (_filtered ? " match." : "."));
            foreach (var rule in found)
            {
                WriteObject(rule.Rule);
            }

            var productRules = IncludeProductRules
                ? snapshot.ProductRules.Where(r => (names == null || names.Contains(r.Name)) && (displayNames == null || displayNames.Any(p => p.IsMatch(r.DisplayName))) && (groups == null || groups.Any(p => p.IsMatch(r.Group)))).ToList()
                : new List<FirewallPortRule>();
            if (IncludeProductRules)
            {
                WriteVerbose(productRules.Count + " of " + snapshot.ProductRules.Count + " rule(s) created by the products themselves" + (_filtered ? " match." : "."));
            }

            WriteObject(productRules, true);
            found.AddRange(productRules.Select(r => new NormalizedRule(r, PortSet.Any, PortSet.Any, AddressSet.Any, r.RemoteMacAddress)));

            // As with Get-NetFirewallRule: a name asked for and not found is an error, a pattern that matches nothing is not.
            var foundNames = new HashSet<string>(found.Select(r => r.Name), System.StringComparer.Ordinal);
            foreach (var name in _names.Distinct())
            {
                if (!foundNames.Contains(name))
                {
                    WriteError(FirewallService.NotFound(name));
                }
            }

            foreach (var pattern in displayNames == null ? new NamePattern[0] : new NamePatternSet(displayNames).LiteralsMatchingNone(found.Select(r => r.Rule.DisplayName)))
            {
                WriteError(FirewallService.NotFound(pattern.Text, "DisplayName"));
            }

            foreach (var pattern in groups == null ? new NamePattern[0] : new NamePatternSet(groups).LiteralsMatchingNone(found.Select(r => r.Rule.Group)))
            {
                WriteError(FirewallService.NotFound(pattern.Text, "Group"));
            }
        }
    }
}
