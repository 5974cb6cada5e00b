using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Baseline;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentBaseline: makes the managers and the host firewall match a baseline. The whole file
    /// is checked first; then each manager is read, and only drifted settings are written (so a
    /// second run writes nothing). Each target's write is one ShouldProcess and, when it fails, one
    /// non-terminating error while the rest carry on. The host firewall part is one atomic change.
    /// Settings without an API are warnings naming the console page, never silently skipped.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentBaseline", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BaselineResult))]
    public sealed class SetAgentBaselineCommand : BaselineCmdlet
    {
        /// <summary>Writes a row (State Changed) for each setting or rule changed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            ReadBaseline();
            var changed = 0;
            foreach (var manager in Document.Managers)
            {
                var provider = ProviderFor(manager);
                if (provider == null)
                {
                    continue;
                }

                var found = Compare(manager, provider);
                foreach (var row in found.SelectMany(f => f.Rows).Where(r => r.State == BaselineState.NotSupported))
                {
                    WriteWarning(row.Target + ": " + row.Message);
                }

                var plan = found.Select(f => BaselineComparer.Plan(f.State, f.Rows)).Where(w => w != null).ToList();
                if (plan.Count == 0 || !Try(() => provider.CheckBaseline(plan, Cancel)))
                {
                    continue;
                }

                foreach (var write in plan)
                {
                    if (write.Refused != null)
                    {
                        WriteError(write.Refused);
                        continue;
                    }

                    var rows = found.First(f => f.State == write.Target).Rows;
                    var description = string.Join("; ", write.Changes.Select(c => c.Name + " " + Show(rows.First(r => r.Setting == c.Name).Actual) + " -> " + c.Value));
                    if (!ShouldProcess(manager.Product + " " + manager.Uri + ": " + write.Target.Display, "Set " + description))
                    {
                        continue;
                    }

                    if (Try(() => provider.WriteBaseline(write, Cancel)))
                    {
                        changed += write.Changes.Count;
                        WriteVerbose("Set " + write.Target.Display + ": " + description + ".");
                        Changed(rows.Where(r => write.Changes.Any(c => c.Name == r.Setting)));
                    }
                }
            }

            if (Document.HostFirewall != null)
            {
                changed += SetFirewall();
            }

            WriteInformation(changed.ToString(CultureInfo.InvariantCulture) + " setting(s) and rule(s) changed.", new[] { "EndpointAdmin", "Baseline" });
        }

        /// <summary>The host firewall: every approved add, replace and remove in one transaction.</summary>
        private int SetFirewall()
        {
            var (wanted, snapshot, rows) = CompareFirewall();
            var approved = new List<BaselineResult>();
            foreach (var row in rows.Where(r => r.State == BaselineState.Drifted))
            {
                var action = row.Expected == "absent" ? "Remove firewall rule (" + row.Actual + ")"
                    : row.Actual == "absent" ? "Create firewall rule (" + row.Expected + ")"
                    : "Replace firewall rule (" + row.Actual + " -> " + row.Expected + ")";
                if (ShouldProcess(row.TargetId, action))
                {
                    approved.Add(row);
                }
            }

            if (approved.Count == 0)
            {
                return 0;
            }

            ApplyChanges(snapshot, HostFirewallPlan.Changes(approved, wanted, snapshot));
            Changed(approved);
            return approved.Count;
        }

        private void Changed(IEnumerable<BaselineResult> rows)
        {
            foreach (var row in rows)
            {
                row.Actual = row.Expected;
                row.InDesiredState = true;
                row.State = BaselineState.Changed;
                if (PassThru)
                {
                    WriteObject(row);
                }
            }
        }

        private static string Show(string value) => value ?? "(not set)";
    }
}
