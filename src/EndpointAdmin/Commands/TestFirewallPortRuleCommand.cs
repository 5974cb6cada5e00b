using System.Management.Automation;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-FirewallPortRule: compares wanted rules (parameters, catalog rows or rules piped in)
    /// with the host firewall: one result per rule with what differs, or with -Quiet one Boolean.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FirewallPortRule")]
    [OutputType(typeof(FirewallRuleTestResult))]
    [OutputType(typeof(bool))]
    public sealed class TestFirewallPortRuleCommand : FirewallRuleInputCmdlet
    {
        /// <summary>Returns only True (every rule in the desired state) or False.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            if (Wanted.Count == 0)
            {
                // Nothing to compare (no input, or every input rejected): -Quiet must not say True.
                if (Quiet)
                {
                    WriteObject(false);
                }

                return;
            }

            var snapshot = ReadFirewall();
            var all = Rejected == 0;
            foreach (var rule in Wanted)
            {
                var result = Service.Test(snapshot, rule);
                all &= result.InDesiredState;
                if (!Quiet)
                {
                    WriteObject(result);
                }
            }

            if (Quiet)
            {
                WriteObject(all);
            }
        }
    }
}
