using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Completers;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-FirewallPortMigration: marks components of a started migration as migrated (or not).
    /// Complete-FirewallPortMigration removes the old rules only once every component is marked.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "FirewallPortMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirewallMigrationStatus))]
    public sealed class SetFirewallPortMigrationCommand : FirewallCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public Product Product { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogComponentCompleter))]
        public string[] Component { get; set; }

        /// <summary>$true once the component runs the new version; $false to take the mark back.</summary>
        [Parameter(Mandatory = true)]
        public bool Migrated { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            var snapshot = ReadFirewall();
            var migration = new FirewallMigration(PortCatalog.Default);
            FirewallMigration.MigrationPlan plan = null;
            if (!Try(() => plan = migration.PlanMark(snapshot, Product, Component, Migrated)))
            {
                return;
            }

            if (!ShouldProcess(Product + " " + string.Join(", ", Component), Migrated ? "Mark as migrated" : "Mark as not migrated"))
            {
                return;
            }

            ApplyChanges(snapshot, plan.Changes);
            if (PassThru)
            {
                WriteObject(migration.Status(ReadFirewall(), Service.Kind, Product), true);
            }
        }
    }
}
