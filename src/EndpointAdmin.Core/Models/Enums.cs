namespace EndpointAdmin
{
    /// <summary>A product whose ports the catalog knows.</summary>
    public enum Product
    {
        /// <summary>Trend Micro Apex One (Mac server and Security Agents).</summary>
        ApexOne,
        /// <summary>Trend Micro Deep Security (Manager, Agent, Relay).</summary>
        DeepSecurity,
        /// <summary>Kaspersky Security Center (Administration Server, Network Agent).</summary>
        KasperskySecurityCenter,
        /// <summary>Stormshield SES Evolution (backend, administration console, agent handler, agent).</summary>
        SesEvolution,
    }

    /// <summary>Traffic direction as seen from the machine that runs the component.</summary>
    public enum Direction
    {
        Inbound,
        Outbound,
    }

    /// <summary>Transport protocol. Upper case, as NetSecurity and nftables spell them.</summary>
    public enum Protocol
    {
        TCP,
        UDP,
    }

    /// <summary>Where the port depends on how components are spread over machines.</summary>
    public enum Topology
    {
        /// <summary>The port does not depend on the topology.</summary>
        Any,
        /// <summary>SES Evolution: backend and agent handler installed on the same machine.</summary>
        SameMachine,
        /// <summary>SES Evolution: backend and agent handler installed on different machines.</summary>
        SeparateMachines,
    }

    /// <summary>How strongly the document asks for the port.</summary>
    public enum PortNecessity
    {
        Required,
        Recommended,
        Optional,
    }
}
