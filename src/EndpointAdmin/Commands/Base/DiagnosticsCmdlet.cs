using System.Collections.Generic;
using EndpointAdmin.Diagnostics;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What the network diagnostics run from this machine share (Test-AgentConnection,
    /// Test-AgentPortAvailability): no manager session, and the protocol/port pairs of one
    /// invocation, each checked (1-65535, else the cmdlet's own ErrorId) and kept once, in the
    /// order given; the port catalog lists a port once per component that uses it.
    /// </summary>
    public abstract class DiagnosticsCmdlet : EndpointAdminCmdlet
    {
        private readonly List<KeyValuePair<int, Protocol>> _ports = new List<KeyValuePair<int, Protocol>>();
        private readonly HashSet<KeyValuePair<int, Protocol>> _seen = new HashSet<KeyValuePair<int, Protocol>>();

        /// <summary>The protocol/port pairs added so far, each once.</summary>
        internal IReadOnlyList<KeyValuePair<int, Protocol>> Ports => _ports;

        /// <summary>The ErrorId of a port outside 1-65535.</summary>
        protected abstract string PortInvalidErrorId { get; }

        /// <summary>Adds a protocol/port pair; false when this invocation has it already. A port outside 1-65535 throws.</summary>
        internal bool AddPort(int port, Protocol protocol)
        {
            DiagnosticsInput.CheckPort(port, PortInvalidErrorId);
            var pair = new KeyValuePair<int, Protocol>(port, protocol);
            if (!_seen.Add(pair))
            {
                return false;
            }

            _ports.Add(pair);
            return true;
        }
    }
}
