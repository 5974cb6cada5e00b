using System.Collections.Generic;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// What a product accepts in a baseline, declared by its provider factory so the reader can
    /// check a file before any session exists or any request is sent: the settings on the manager
    /// entry itself, on BasePolicy/Policies, on Computers, and whether it has the continuous
    /// connection section. A product without a section refuses that key.
    /// </summary>
    internal sealed class ManagerBaselineSchema
    {
        public IReadOnlyList<SettingDefinition> Manager { get; set; } = new SettingDefinition[0];

        /// <summary>Null: no BasePolicy or Policies key.</summary>
        public IReadOnlyList<SettingDefinition> Policy { get; set; }

        /// <summary>Settings that the base policy does not take (it has no parent to inherit from, or the setting is per policy only).</summary>
        public IReadOnlyList<string> PolicyOnly { get; set; } = new string[0];

        /// <summary>Null: no Computers key.</summary>
        public IReadOnlyList<SettingDefinition> Agent { get; set; }

        /// <summary>The ContinuousConnection section's setting; null when the product has none.</summary>
        public SettingDefinition ContinuousConnection { get; set; }
    }
}
