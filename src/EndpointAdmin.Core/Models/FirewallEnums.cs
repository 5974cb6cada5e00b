namespace EndpointAdmin
{
    /// <summary>What a rule does with the traffic it matches (NetSecurity's names).</summary>
    public enum FirewallAction
    {
        Allow,
        Block,
    }

    /// <summary>The host firewall a rule lives in.</summary>
    public enum FirewallBackendKind
    {
        /// <summary>Linux nftables, through nft's JSON interface, in EndpointAdmin's own table.</summary>
        Nftables,

        /// <summary>Windows Defender Firewall, through its COM interface (HNetCfg.FwPolicy2).</summary>
        WindowsFirewall,
    }

    /// <summary>How a rule on the machine compares with the rule wanted.</summary>
    public enum FirewallRuleState
    {
        /// <summary>Present with exactly the wanted settings.</summary>
        Present,

        /// <summary>No rule of that name.</summary>
        Missing,

        /// <summary>A rule of that name with other settings (see Differences).</summary>
        Different,

        /// <summary>No EndpointAdmin rule, but a rule the product created by itself opens the same ports (see Differences).</summary>
        CoveredByProductRule,
    }

    /// <summary>Who created a firewall rule.</summary>
    public enum FirewallRuleOrigin
    {
        /// <summary>EndpointAdmin created it; the FirewallPortRule cmdlets manage it.</summary>
        EndpointAdmin,

        /// <summary>The product created it by itself (SES Evolution's Windows rules); read only.</summary>
        Product,
    }

    /// <summary>Where a machine stands in a product's port migration.</summary>
    public enum FirewallMigrationState
    {
        /// <summary>No migration started: the rules of the versions listed are simply present.</summary>
        None,

        /// <summary>Started: old and new rules are both present; some components are not marked migrated.</summary>
        InProgress,

        /// <summary>Started and every component is marked migrated: Complete-FirewallPortMigration may remove the old rules.</summary>
        ReadyToComplete,
    }
}
