namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// The COM property values of one Windows Firewall rule, written in an order COM accepts. Made
    /// from a rule to add, or captured from a live rule before it is removed so that a rollback can
    /// put it back as it was.
    /// </summary>
    internal sealed class RuleSpec
    {
        public string Name { get; set; }

        public string Description { get; set; }

        public string Grouping { get; set; }

        public int Direction { get; set; }

        public int Protocol { get; set; }

        public string LocalPorts { get; set; }

        public string RemotePorts { get; set; }

        public string RemoteAddresses { get; set; }

        public int Action { get; set; }

        public int Profiles { get; set; }

        public string InterfaceTypes { get; set; }

        public bool Enabled { get; set; }

        public static RuleSpec Capture(IFirewallRuleCom rule)
        {
            return new RuleSpec
            {
                Name = rule.Name,
                Description = rule.Description,
                Grouping = rule.Grouping,
                Direction = rule.Direction,
                Protocol = rule.Protocol,
                LocalPorts = rule.LocalPorts,
                RemotePorts = rule.RemotePorts,
                RemoteAddresses = rule.RemoteAddresses,
                Action = rule.Action,
                Profiles = rule.Profiles,
                InterfaceTypes = rule.InterfaceTypes,
                Enabled = rule.Enabled,
            };
        }

        /// <summary>
        /// Assigns every value to a new rule object. Windows Firewall validates the rule at each
        /// assignment, and refuses ports while Protocol is still "any" (its default), so Protocol
        /// comes before the ports. "Any" ports and addresses are left at COM's default "*".
        /// Enabled comes last, so the rule is complete before it can take effect.
        /// </summary>
        public void WriteTo(IFirewallRuleCom rule)
        {
            rule.Name = Name;
            rule.Description = Description;
            rule.Grouping = Grouping;
            rule.Direction = Direction;
            rule.Protocol = Protocol;
            if (!IsAny(LocalPorts))
            {
                rule.LocalPorts = LocalPorts;
            }

            if (!IsAny(RemotePorts))
            {
                rule.RemotePorts = RemotePorts;
            }

            if (!IsAny(RemoteAddresses))
            {
                rule.RemoteAddresses = RemoteAddresses;
            }

            rule.Action = Action;
            rule.Profiles = Profiles;
            if (!string.IsNullOrEmpty(InterfaceTypes))
            {
                rule.InterfaceTypes = InterfaceTypes;
            }

            rule.Enabled = Enabled;
        }

        private static bool IsAny(string value)
        {
            return string.IsNullOrEmpty(value) || value == NetFw.Any;
        }
    }
}
