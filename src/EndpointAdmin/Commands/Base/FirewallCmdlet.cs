using System.Management.Automation;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What every firewall cmdlet shares: the -Backend override and the service over the chosen
    /// backend. A backend that cannot be used (wrong platform, nft missing) stops the command.
    /// </summary>
    public abstract class FirewallCmdlet : EndpointAdminCmdlet
    {
        private FirewallService _service;

        /// <summary>The host firewall to use; by default nftables on Linux and Windows Firewall on Windows.</summary>
        [Parameter]
        public FirewallBackendKind? Backend { get; set; }

        internal FirewallService Service
        {
            get
            {
                if (_service == null)
                {
                    Must(() =>
                    {
                        _service = new FirewallService(FirewallBackendFactory.Create(Backend));
                    });
                }

                return _service;
            }
        }

        /// <summary>Reads the firewall; a firewall that cannot be read stops the command with nothing changed.</summary>
        internal FirewallSnapshot ReadFirewall()
        {
            return Must(() => Service.Read());
        }

        /// <summary>Applies one invocation's changes; a refusal stops the command, and the backend has changed nothing.</summary>
        internal void ApplyChanges(FirewallSnapshot basis, FirewallChangeSet changes)
        {
            if (changes.IsEmpty)
            {
                return;
            }

            Must(() =>
            {
                Service.Apply(basis, changes);
            });
        }
    }
}
