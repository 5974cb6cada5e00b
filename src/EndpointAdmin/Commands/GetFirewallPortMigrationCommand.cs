using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-FirewallPortMigration: where this machine stands — per product component, the versions
    /// whose rules are present and, during a migration, which components are marked migrated.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FirewallPortMigration")]
    [OutputType(typeof(FirewallMigrationStatus))]
    public sealed class GetFirewallPortMigrationCommand : FirewallCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public Product? Product { get; set; }

        protected override void ProcessRecord()
        {
            var snapshot = ReadFirewall();
            WriteObject(new FirewallMigration(PortCatalog.Default).Status(snapshot, Service.Kind, Product), true);
        }
    }
}
