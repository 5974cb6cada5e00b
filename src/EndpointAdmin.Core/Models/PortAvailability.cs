using System;

namespace EndpointAdmin
{
    /// <summary>
    /// Whether a local port is free before installing a component, and if not, what holds it.
    /// One object for a free port; one per holding socket for a port in use.
    /// </summary>
    public sealed class PortAvailability
    {
        public int Port { get; set; }

        public Protocol Protocol { get; set; }

        public bool Available { get; set; }

        /// <summary>The local address of the holding socket (0.0.0.0 or :: for every address).</summary>
        public string LocalAddress { get; set; }

        /// <summary>The socket state: Listen or Bound for TCP, Bound for UDP.</summary>
        public string State { get; set; }

        /// <summary>The process that holds the socket, when the system shows it (other users' processes need elevation).</summary>
        public int? ProcessId { get; set; }

        public string ProcessName { get; set; }

        public string Detail { get; set; }

        public override string ToString()
        {
            return Protocol + "/" + Port + (Available ? " available" : " in use" + (ProcessId.HasValue ? " by " + ProcessName + " (" + ProcessId + ")" : string.Empty));
        }
    }
}
