namespace EndpointAdmin
{
    /// <summary>What a baseline row is about.</summary>
    public enum BaselineTargetType
    {
        /// <summary>A manager-wide setting (Deep Security system settings, the Apex One server's agent settings).</summary>
        Manager,
        /// <summary>The base policy or a policy.</summary>
        Policy,
        /// <summary>One computer or device.</summary>
        Agent,
        /// <summary>The host firewall of the machine the command runs on.</summary>
        Host,
    }

    /// <summary>How a baseline row compares.</summary>
    public enum BaselineState
    {
        /// <summary>Actual equals Expected after normalization.</summary>
        InDesiredState,
        /// <summary>Actual differs from Expected; Set-AgentBaseline changes it.</summary>
        Drifted,
        /// <summary>The product has the setting but no API for it: Message names the console page and fields. Never counted as in desired state.</summary>
        NotSupported,
        /// <summary>Set-AgentBaseline changed it (the -PassThru rows of a Set).</summary>
        Changed,
    }

    /// <summary>
    /// One (target, setting) of a baseline: expected and actual values in one normalized text form
    /// ("10" minutes, "Unlimited", address sets sorted), so equal state never reads as drift.
    /// Flat and remoting-safe like every output model.
    /// </summary>
    public sealed class BaselineResult
    {
        /// <summary>The manager URI, or the host name for the host firewall.</summary>
        public string Manager { get; set; }

        /// <summary>The product of the manager; null for the host firewall.</summary>
        public ManagerProduct? Product { get; set; }

        public BaselineTargetType TargetType { get; set; }

        /// <summary>The target's ID on its manager (policy or computer ID, device host ID, rule name).</summary>
        public string TargetId { get; set; }

        /// <summary>The target as a person reads it: "policy 'Servers' (3)", "web-001 (42)", "base policy".</summary>
        public string Target { get; set; }

        public string Setting { get; set; }

        public string Expected { get; set; }

        /// <summary>What the manager or firewall reports now; null when it cannot be read (NotSupported).</summary>
        public string Actual { get; set; }

        public bool InDesiredState { get; set; }

        public BaselineState State { get; set; }

        /// <summary>Where the actual value comes from: "set here", "inherited from policy 'Base' (1)", "default", "EndpointAdmin table".</summary>
        public string Source { get; set; }

        /// <summary>The console page and fields for NotSupported rows; the differences for a firewall rule.</summary>
        public string Message { get; set; }

        /// <summary>The baseline key the expectation comes from, e.g. Managers[0].Policies[1].IntervalMinutes.</summary>
        public string Key { get; set; }

        public override string ToString()
        {
            return Target + " " + Setting + ": " + State;
        }
    }
}
