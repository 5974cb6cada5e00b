using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Test-AgentPortAvailability: before installing a server component, is its port free on this
    /// machine, and if not, which process holds it. Takes the catalog's rows from the pipeline.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentPortAvailability")]
    [OutputType(typeof(PortAvailability))]
    public sealed class TestAgentPortAvailabilityCommand : PSCmdlet
    {
        private readonly HashSet<string> _seen = new HashSet<string>();
        private PortAvailabilityChecker _checker;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public int[] Port { get; set; }

        /// <summary>TCP when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public Protocol? Protocol { get; set; }

        protected override void BeginProcessing()
        {
            try
            {
                _checker = PortAvailabilityChecker.ForThisPlatform();
            }
            catch (EndpointAdminException ex)
            {
                ThrowTerminatingError(ErrorRecordFactory.Create(ex));
            }
        }

        protected override void ProcessRecord()
        {
            var protocol = Protocol ?? EndpointAdmin.Protocol.TCP;
            foreach (var port in Port)
            {
                try
                {
                    DiagnosticsInput.CheckPort(port, ErrorIds.PortAvailabilityPortInvalid);
                    if (!_seen.Add(protocol + "/" + port))
                    {
                        // The catalog lists a port once per component that uses it.
                        WriteVerbose(protocol + "/" + port + " was already checked.");
                        continue;
                    }

                    foreach (var availability in _checker.Check(port, protocol))
                    {
                        WriteObject(availability);
                    }
                }
                catch (EndpointAdminException ex)
                {
                    WriteError(ErrorRecordFactory.Create(ex));
                }
            }
        }
    }
}
