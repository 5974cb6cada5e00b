using System.Collections.Generic;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// One target as a provider found it for a baseline: which declarations selected it, and the
    /// actual value of each setting in the same normalized form the reader gives expected values.
    /// </summary>
    internal sealed class BaselineTargetState
    {
        public BaselineTargetType Type { get; set; }

        public string Id { get; set; }

        /// <summary>How a person reads it: "policy 'Servers' (3)".</summary>
        public string Display { get; set; }

        /// <summary>The declarations that select this target, in file order; the later wins per setting.</summary>
        public List<TargetBaseline> Declarations { get; } = new List<TargetBaseline>();

        public Dictionary<string, ActualSetting> Actual { get; } = new Dictionary<string, ActualSetting>(System.StringComparer.OrdinalIgnoreCase);

        /// <summary>Set when the target could not be found or read: the target's one error, and no rows.</summary>
        public EndpointAdminException Error { get; set; }

        /// <summary>What the provider needs to write to this target again (e.g. the device it read); opaque to the engine.</summary>
        public object Handle { get; set; }
    }

    internal sealed class ActualSetting
    {
        public ActualSetting(string value, string source)
        {
            Value = value;
            Source = source;
        }

        public string Value { get; }

        public string Source { get; }
    }

    /// <summary>The drifted settings of one target that Set-AgentBaseline is to write; a provider may refuse it before anything is written.</summary>
    internal sealed class BaselineWrite
    {
        public BaselineWrite(BaselineTargetState target, List<ExpectedSetting> changes)
        {
            Target = target;
            Changes = changes;
        }

        public BaselineTargetState Target { get; }

        public List<ExpectedSetting> Changes { get; }

        /// <summary>Set by the provider's check: this target is not written, the others are.</summary>
        public EndpointAdminException Refused { get; set; }
    }
}
