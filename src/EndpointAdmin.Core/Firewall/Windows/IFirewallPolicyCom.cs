using System.Collections.Generic;

namespace EndpointAdmin.Firewall.Windows
{
    /// <summary>
    /// The part of Windows Defender Firewall's COM API (INetFwPolicy2.Rules, an INetFwRules
    /// collection) that the backend uses, narrow enough to fake in unit tests.
    /// </summary>
    internal interface IFirewallPolicyCom
    {
        /// <summary>
        /// Every rule of the local store. The objects are live: setting a property changes the rule
        /// in the store at once (INetFwRule's documented behaviour for rules read from INetFwRules).
        /// </summary>
        IReadOnlyList<IFirewallRuleCom> GetRules();

        /// <summary>A new rule object (HNetCfg.FWRule) that is not in the store until <see cref="Add"/>.</summary>
        IFirewallRuleCom CreateRule();

        /// <summary>INetFwRules.Add. The object passed in is not guaranteed to be live afterwards; read the rule back from <see cref="GetRules"/>.</summary>
        void Add(IFirewallRuleCom rule);

        /// <summary>
        /// INetFwRules.Remove, which selects by Name — the display name, which is not unique. Which
        /// of several rules of that name it removes is not documented, so callers give the rule a
        /// unique name first.
        /// </summary>
        void Remove(string name);
    }

    /// <summary>One INetFwRule: the properties EndpointAdmin writes, and those it checks on read.</summary>
    internal interface IFirewallRuleCom
    {
        /// <summary>The friendly name shown in wf.msc (NetSecurity's DisplayName); must not contain '|' or be "all".</summary>
        string Name { get; set; }

        /// <summary>Free text; must not contain '|'. EndpointAdmin keeps its identity here.</summary>
        string Description { get; set; }

        string Grouping { get; set; }

        /// <summary>An IANA protocol number; <see cref="NetFw.ProtocolAny"/> until set. Must be set before the ports.</summary>
        int Protocol { get; set; }

        /// <summary>"*" or a comma-separated list without spaces: "443,13000-13010".</summary>
        string LocalPorts { get; set; }

        string RemotePorts { get; set; }

        /// <summary>"*" or comma-separated addresses, subnets ("10.0.0.0/8" or "10.0.0.0/255.0.0.0") and ranges ("a-b").</summary>
        string RemoteAddresses { get; set; }

        /// <summary>NET_FW_RULE_DIRECTION: <see cref="NetFw.DirectionIn"/> or <see cref="NetFw.DirectionOut"/>.</summary>
        int Direction { get; set; }

        /// <summary>NET_FW_ACTION: <see cref="NetFw.ActionBlock"/> or <see cref="NetFw.ActionAllow"/>.</summary>
        int Action { get; set; }

        bool Enabled { get; set; }

        /// <summary>NET_FW_PROFILE_TYPE2 flags.</summary>
        int Profiles { get; set; }

        /// <summary>"All", or a comma-separated list of "RemoteAccess", "Wireless", "Lan".</summary>
        string InterfaceTypes { get; set; }

        /// <summary>Read only to check that nobody narrowed one of our rules to some local addresses.</summary>
        string LocalAddresses { get; }

        /// <summary>Read only to check that nobody narrowed one of our rules to a program.</summary>
        string ApplicationName { get; }

        /// <summary>Read only to check that nobody narrowed one of our rules to a service.</summary>
        string ServiceName { get; }
    }

    /// <summary>The constants of netfw.h / icftypes.h that the backend uses.</summary>
    internal static class NetFw
    {
        public const int ProtocolTcp = 6;
        public const int ProtocolUdp = 17;
        public const int ProtocolAny = 256;
        public const int DirectionIn = 1;
        public const int DirectionOut = 2;
        public const int ActionBlock = 0;
        public const int ActionAllow = 1;

        /// <summary>NET_FW_PROFILE2_ALL.</summary>
        public const int ProfilesAll = 0x7FFFFFFF;

        /// <summary>Domain | Private | Public: a rule with these three bits applies everywhere.</summary>
        public const int ProfilesEveryKnown = 0x7;

        public const string Any = "*";
        public const string AllInterfaceTypes = "All";
    }
}
