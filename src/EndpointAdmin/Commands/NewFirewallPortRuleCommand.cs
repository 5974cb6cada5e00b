using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// New-FirewallPortRule: creates firewall rules from parameters or from the port catalog. Every
    /// rule of one invocation, a whole pipeline of them, is applied in one step: all or nothing. A
    /// rule that is already there with the same settings is left alone, so re-running changes nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FirewallPortRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirewallPortRule))]
    public sealed class NewFirewallPortRuleCommand : FirewallRuleInputCmdlet
    {
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            if (Rejected > 0)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "No rule was created: {0} of {1} rule(s) were not valid (see the errors). The firewall is unchanged.", Rejected, Rejected + Wanted.Count));
                return;
            }

            if (Wanted.Count == 0)
            {
                return;
            }

            var snapshot = ReadFirewall();
            var planned = new Dictionary<string, NormalizedRule>(System.StringComparer.Ordinal);
            var changes = new FirewallChangeSet();
            var output = new List<FirewallPortRule>();
            var conflicts = 0;
            var unchanged = 0;
            foreach (var rule in Wanted)
            {
                PlannedChange plan = default;
                if (!Try(() => plan = Service.PlanNew(snapshot, rule, planned)))
                {
                    conflicts++;
                    continue;
                }

                if (plan == PlannedChange.Unchanged)
                {
                    unchanged++;
                    WriteVerbose("Unchanged: the rule '" + rule.Name + "' is already there with these settings.");
                    output.Add(snapshot.ByName.TryGetValue(rule.Name, out var existing) ? existing.Rule : rule.Rule);
                }
                else if (ShouldProcess(rule.Name + " (" + rule.Describe() + ")", "Create firewall rule"))
                {
                    changes.Add.Add(rule);
                    output.Add(rule.Rule);
                }
            }

            if (conflicts > 0)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, "No rule was created: {0} rule(s) conflict with existing ones (see the errors). The firewall is unchanged.", conflicts));
                return;
            }

            ApplyChanges(snapshot, changes);
            foreach (var rule in changes.Add)
            {
                WriteVerbose("Created the rule '" + rule.Name + "': " + rule.Describe() + ".");
            }

            WriteInformation(
                string.Format(CultureInfo.InvariantCulture, "{0}: {1} rule(s) created, {2} already present and unchanged.", Service.Kind, changes.Add.Count, unchanged),
                new[] { "EndpointAdmin", "Firewall" });
            if (PassThru)
            {
                WriteObject(output, true);
            }
        }
    }
}
