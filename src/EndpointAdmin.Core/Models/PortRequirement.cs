namespace EndpointAdmin
{
    /// <summary>
    /// One port a product component needs, as its documentation states it. Flat and made only of
    /// enums, strings, numbers and booleans so it survives remoting (CliXml) with every property.
    /// Property names line up with the firewall cmdlets' parameters (Direction, Protocol, Port).
    /// </summary>
    public sealed class PortRequirement
    {
        public Product Product { get; set; }

        /// <summary>The product versions the row applies to, in the document's words (e.g. "2.7.1").</summary>
        public string Version { get; set; }

        public string Component { get; set; }

        public Direction Direction { get; set; }

        public Protocol Protocol { get; set; }

        public int Port { get; set; }

        public Topology Topology { get; set; }

        public PortNecessity Necessity { get; set; }

        /// <summary>True where the document says the port is a default that can be changed.</summary>
        public bool Configurable { get; set; }

        public string Purpose { get; set; }

        /// <summary>The other end of the conversation.</summary>
        public string Peer { get; set; }

        /// <summary>When the row applies, if not always (agent version, communication direction).</summary>
        public string Condition { get; set; }

        /// <summary>The document the fact comes from.</summary>
        public string Source { get; set; }

        /// <summary>A copy that can be changed without touching the catalog's own row (every property is a value or an immutable string).</summary>
        internal PortRequirement Copy()
        {
            return (PortRequirement)MemberwiseClone();
        }

        public override string ToString()
        {
            return Product + " " + Version + " " + Component + " " + Direction + " " + Protocol + "/" + Port;
        }
    }
}
