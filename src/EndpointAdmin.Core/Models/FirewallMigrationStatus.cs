using System;

namespace EndpointAdmin
{
    /// <summary>
    /// Where one product component stands on this machine: which versions' rules are present and,
    /// during a migration, whether the component is marked migrated.
    /// </summary>
    public sealed class FirewallMigrationStatus
    {
        public Product Product { get; set; }

        public string Component { get; set; }

        public FirewallMigrationState State { get; set; }

        public string FromVersion { get; set; }

        public string ToVersion { get; set; }

        /// <summary>True once the admin has marked the component migrated (Set-FirewallPortMigration).</summary>
        public bool Migrated { get; set; }

        /// <summary>The catalog versions whose rules are present for this component.</summary>
        public string[] VersionsPresent { get; set; } = Array.Empty<string>();

        public int FromVersionRuleCount { get; set; }

        public int ToVersionRuleCount { get; set; }

        /// <summary>When the migration was started (UTC), if one was.</summary>
        public DateTime? StartedAt { get; set; }

        /// <summary>Rules the product created by itself for this component (name, direction, protocol, ports): counted, never duplicated or removed.</summary>
        public string[] ProductRules { get; set; } = Array.Empty<string>();

        public FirewallBackendKind Backend { get; set; }

        public override string ToString()
        {
            return Product + " " + Component + ": " + State;
        }
    }
}
