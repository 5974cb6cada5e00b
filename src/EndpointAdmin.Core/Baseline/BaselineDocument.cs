using System.Collections.Generic;
using EndpointAdmin.Catalog;

namespace EndpointAdmin.Baseline
{
    /// <summary>A baseline file, read and checked: every value already in its normalized form.</summary>
    internal sealed class BaselineDocument
    {
        public List<ManagerBaseline> Managers { get; } = new List<ManagerBaseline>();

        /// <summary>Null when the file says nothing about the host firewall.</summary>
        public HostFirewallBaseline HostFirewall { get; set; }
    }

    /// <summary>
    /// What one manager should hold. Never a secret: the connection comes from a session of this
    /// runspace, or from the SecretManagement secret named in Secret.
    /// </summary>
    internal sealed class ManagerBaseline
    {
        public ManagerProduct Product { get; set; }

        /// <summary>As the file gives it; matched against sessions by scheme, host and port.</summary>
        public string Uri { get; set; }

        /// <summary>The SecretManagement secret that holds the API key or credential, for unattended runs.</summary>
        public string Secret { get; set; }

        /// <summary>Apex Central: the application ID that goes with the API key in Secret.</summary>
        public string ApplicationId { get; set; }

        public string CertificateThumbprint { get; set; }

        public string Key { get; set; }

        public List<TargetBaseline> Targets { get; } = new List<TargetBaseline>();
    }

    /// <summary>
    /// One declaration: which targets (the manager itself, the base policy, a policy by ID or name,
    /// computers by ID, name pattern or group) and the settings they should have. Where several
    /// declarations select one target, the later one wins for the settings it names.
    /// </summary>
    internal sealed class TargetBaseline
    {
        public BaselineTargetType Type { get; set; }

        public bool IsBase { get; set; }

        public string Id { get; set; }

        /// <summary>A policy's exact name, or computer name patterns.</summary>
        public List<NamePattern> Names { get; } = new List<NamePattern>();

        public List<string> Groups { get; } = new List<string>();

        /// <summary>"Every other target that holds the setting": ContinuousConnection's Unmanaged = 'Disable'.</summary>
        public bool Others { get; set; }

        public string Key { get; set; }

        public List<ExpectedSetting> Settings { get; } = new List<ExpectedSetting>();

        public string Describe()
        {
            if (IsBase)
            {
                return "base policy";
            }

            if (Others)
            {
                return "every other device";
            }

            var parts = new List<string>();
            if (Id != null)
            {
                parts.Add("ID " + Id);
            }

            foreach (var name in Names)
            {
                parts.Add("'" + name.Text + "'");
            }

            foreach (var group in Groups)
            {
                parts.Add("group '" + group + "'");
            }

            return string.Join(", ", parts);
        }
    }

    internal sealed class ExpectedSetting
    {
        public ExpectedSetting(SettingDefinition definition, string value, string key)
        {
            Definition = definition;
            Value = value;
            Key = key;
        }

        public SettingDefinition Definition { get; }

        public string Name => Definition.Name;

        /// <summary>Normalized (SettingDefinition.Normalize).</summary>
        public string Value { get; }

        public string Key { get; }
    }

    /// <summary>The host firewall part: catalog rows and extra rules, and what to do with EndpointAdmin rules the file does not declare.</summary>
    internal sealed class HostFirewallBaseline
    {
        public List<CatalogSelection> Catalog { get; } = new List<CatalogSelection>();

        public List<(FirewallPortRule Rule, string Key)> Extra { get; } = new List<(FirewallPortRule, string)>();

        /// <summary>Remove EndpointAdmin-owned rules that the file does not declare (never a rule or table that is not EndpointAdmin's).</summary>
        public bool RemoveUnmanaged { get; set; }

        public string Key { get; set; }
    }

    /// <summary>One HostFirewall.Rules entry: catalog rows, with the rule values the entry sets on each of them.</summary>
    internal sealed class CatalogSelection
    {
        public PortQuery Query { get; set; }

        public string[] RemoteAddress { get; set; }

        public string Group { get; set; }

        public bool Enabled { get; set; } = true;

        public string Key { get; set; }
    }
}
