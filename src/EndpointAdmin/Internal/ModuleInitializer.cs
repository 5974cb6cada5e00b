using System.Management.Automation;
using System.Threading;
using EndpointAdmin.Catalog;

namespace EndpointAdmin.Internal
{
    /// <summary>
    /// Runs when the module is imported. Import itself does nothing more; the port catalog, which
    /// nearly every session reads (Get-AgentPortRequirement, New-FirewallPortRule from catalog rows,
    /// baselines), is parsed on a pool thread meanwhile, so the first command finds it ready instead
    /// of paying for the parse and its JIT. A failure is not lost: the catalog's Lazy keeps it, and
    /// the first command that reads the catalog reports it as before.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                try
                {
                    _ = PortCatalog.Default;
                }
                catch (Errors.EndpointAdminException)
                {
                    // Kept by the Lazy and rethrown to the command that reads the catalog.
                }
            });
        }
    }
}
