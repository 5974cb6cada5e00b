using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Remove-FirewallPortRule: removes EndpointAdmin rules by name (literal) or piped from
    /// Get-FirewallPortRule; every removal of one invocation happens in one step.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "FirewallPortRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirewallPortRule))]
    public sealed class RemoveFirewallPortRuleCommand : FirewallCmdlet
    {
        private readonly List<string> _names = new List<string>();

        /// <summary>Rule names, matched literally (no wildcards).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <summary>Writes each removed rule.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _names.AddRange(Name);
        }

        protected override void EndProcessing()
        {
            var snapshot = ReadFirewall();
            var changes = new FirewallChangeSet();
            var removed = new List<FirewallPortRule>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var name in _names)
            {
                if (!seen.Add(name))
                {
                    continue;
                }

                if (!snapshot.ByName.TryGetValue(name, out var rule))
                {
                    WriteError(FirewallService.NotFound(name));
                    continue;
                }

                if (ShouldProcess(name + " (" + rule.Describe() + ")", "Remove firewall rule"))
                {
                    changes.Remove.Add(name);
                    removed.Add(rule.Rule);
                }
            }

            ApplyChanges(snapshot, changes);
            foreach (var rule in removed)
            {
                WriteVerbose("Removed the rule '" + rule.Name + "'.");
            }

            if (removed.Count > 0)
            {
                WriteInformation(string.Format(CultureInfo.InvariantCulture, "{0}: {1} rule(s) removed.", Service.Kind, removed.Count), new[] { "EndpointAdmin", "Firewall" });
            }

            if (PassThru)
            {
                WriteObject(removed, true);
            }
        }
    }
}
