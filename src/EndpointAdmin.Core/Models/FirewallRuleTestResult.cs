using System;

namespace EndpointAdmin
{
    /// <summary>One wanted rule compared with the machine: what Test-FirewallPortRule returns per rule.</summary>
    public sealed class FirewallRuleTestResult
    {
        public string Name { get; set; }

        public string DisplayName { get; set; }

        public bool InDesiredState { get; set; }

        public FirewallRuleState State { get; set; }

        /// <summary>One line per setting that differs: "LocalPort: wanted 443, found 8443".</summary>
        public string[] Differences { get; set; } = Array.Empty<string>();

        public FirewallBackendKind Backend { get; set; }

        public override string ToString()
        {
            return Name + ": " + State;
        }
    }
}
