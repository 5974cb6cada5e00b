using System.Management.Automation;
using EndpointAdmin.Catalog;
using EndpointAdmin.Completers;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Start-FirewallPortMigration: the first step of a version migration's firewall procedure.
    /// Adds the new version's rules beside the old ones (both stay while the backoffice migrates)
    /// and records the components taking part, all in one step.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FirewallPortMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirewallMigrationStatus))]
    public sealed class StartFirewallPortMigrationCommand : FirewallCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public Product Product { get; set; }

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogVersionCompleter))]
        public string FromVersion { get; set; }

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogVersionCompleter))]
        public string ToVersion { get; set; }

        /// <summary>The components on this machine that migrate; by default those with rules of FromVersion here.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(PortCatalogComponentCompleter))]
        public string[] Component { get; set; }

        /// <summary>Needed when the new version's ports depend on whether components share a machine.</summary>
        [Parameter]
        [ValidateSet(nameof(EndpointAdmin.Topology.SameMachine), nameof(EndpointAdmin.Topology.SeparateMachines))]
        public Topology? Topology { get; set; }

        /// <summary>The group of the new rules (default EndpointAdmin).</summary>
        [Parameter]
        public string Group { get; set; }

        /// <summary>Restricts the new rules to these remote addresses.</summary>
        [Parameter]
        public string[] RemoteAddress { get; set; }

        protected override void EndProcessing()
        {
            var snapshot = ReadFirewall();
            var migration = new FirewallMigration(PortCatalog.Default);
            var plan = Must(() => migration.PlanStart(snapshot, Service, Product, FromVersion, ToVersion, Component, Topology, Group, RemoteAddress));

            foreach (var covered in plan.CoveredByProduct)
            {
                WriteVerbose("Not creating the rule '" + covered.Key.Name + "': " + Product + " opened the port itself with its rule '" + covered.Value.Name + "'.");
            }

            var target = Product + " " + FromVersion + " -> " + ToVersion + " (" + string.Join(", ", plan.State.Components.Keys) + ")";
            var description = plan.Changes.Add.Count + " new rule(s): " + string.Join(", ", plan.Changes.Add.ConvertAll(r => r.Name));
            if (!ShouldProcess(target, "Start firewall port migration, adding " + description))
            {
                return;
            }

            ApplyChanges(snapshot, plan.Changes);
            foreach (var rule in plan.Changes.Add)
            {
                WriteVerbose("Created the rule '" + rule.Name + "': " + rule.Describe() + ".");
            }

            WriteObject(migration.Status(ReadFirewall(), Service.Kind, Product), true);
        }
    }
}
