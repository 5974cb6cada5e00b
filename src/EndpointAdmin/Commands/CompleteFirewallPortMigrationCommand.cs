using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Complete-FirewallPortMigration: the last step — removes the old version's rules that the new
    /// version no longer needs, in one step, and ends the migration. Refuses while a component is
    /// not marked migrated, unless -Force.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "FirewallPortMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirewallPortRule))]
    public sealed class CompleteFirewallPortMigrationCommand : FirewallCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public Product Product { get; set; }

        /// <summary>Removes the old rules even though some components are not marked migrated.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes each removed rule.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var snapshot = ReadFirewall();
            FirewallMigration.MigrationPlan plan = null;
            if (!Try(() => plan = new FirewallMigration(PortCatalog.Default).PlanComplete(snapshot, Product, Force)))
            {
                return;
            }

            foreach (var kept in plan.Kept)
            {
                WriteWarning("Kept the rule '" + kept.Name + "': " + plan.State.ToVersion + " still needs its port and no " + plan.State.ToVersion + " rule covers it yet.");
            }

            var target = Product + " " + plan.State.FromVersion + " -> " + plan.State.ToVersion;
            if (!ShouldProcess(target, "Complete firewall port migration, removing " + plan.Removed.Count + " old rule(s): " + string.Join(", ", plan.Removed.ConvertAll(r => r.Name))))
            {
                return;
            }

            ApplyChanges(snapshot, plan.Changes);
            foreach (var rule in plan.Removed)
            {
                WriteVerbose("Removed the rule '" + rule.Name + "'.");
            }

            if (PassThru)
            {
                WriteObject(plan.Removed, true);
            }
        }
    }
}
