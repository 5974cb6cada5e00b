using System.Management.Automation;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentPortAvailability: before installing a server component, is its port free on this
    /// machine, and if not, which process holds it. Takes the catalog's rows from the pipeline.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentPortAvailability")]
    [OutputType(typeof(PortAvailability))]
    public sealed class TestAgentPortAvailabilityCommand : DiagnosticsCmdlet
    {
        private PortAvailabilityChecker _checker;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public int[] Port { get; set; }

        /// <summary>TCP when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public Protocol? Protocol { get; set; }

        protected override string PortInvalidErrorId => ErrorIds.PortAvailabilityPortInvalid;

        protected override void BeginProcessing()
        {
            _checker = Must(() => PortAvailabilityChecker.ForThisPlatform());
        }

        protected override void ProcessRecord()
        {
            var protocol = Protocol ?? EndpointAdmin.Protocol.TCP;
            foreach (var port in Port)
            {
                Try(() =>
                {
                    if (!AddPort(port, protocol))
                    {
                        WriteVerbose(protocol + "/" + port + " was already checked.");
                        return;
                    }

                    foreach (var availability in _checker.Check(port, protocol))
                    {
                        WriteObject(availability);
                    }
                });
            }
        }
    }
}
