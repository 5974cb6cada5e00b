using System.Management.Automation;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentBaseline: one row per (target, setting) of a baseline — each declared policy,
    /// computer, device and manager setting, and each host firewall rule — with Expected, Actual,
    /// InDesiredState and where the actual value comes from. Reads only; -Quiet gives one Boolean.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentBaseline", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(BaselineResult))]
    [OutputType(typeof(bool))]
    public sealed class TestAgentBaselineCommand : BaselineCmdlet
    {
        private bool _inDesiredState = true;

        /// <summary>One Boolean: true only when every row is in desired state and nothing failed. NotSupported rows count as not in desired state.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void EndProcessing()
        {
            ReadBaseline();
            foreach (var manager in Document.Managers)
            {
                var provider = ProviderFor(manager);
                if (provider == null)
                {
                    _inDesiredState = false;
                    continue;
                }

                var errors = ErrorCount;
                foreach (var (_, rows) in Compare(manager, provider))
                {
                    Emit(rows);
                }

                _inDesiredState &= errors == ErrorCount;
            }

            if (Document.HostFirewall != null)
            {
                Emit(CompareFirewall().Rows);
            }

            if (Quiet)
            {
                WriteObject(_inDesiredState);
            }
        }

        private void Emit(System.Collections.Generic.IEnumerable<BaselineResult> rows)
        {
            foreach (var row in rows)
            {
                _inDesiredState &= row.InDesiredState;
                if (!Quiet)
                {
                    WriteObject(row);
                }
            }
        }
    }
}
