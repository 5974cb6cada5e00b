using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace EndpointAdmin.Internal
{
    /// <summary>
    /// The default session of each runspace. Keyed on the runspace object and held weakly, so a
    /// closed runspace takes its session with it and two runspaces never see each other's.
    /// </summary>
    internal static class SessionStore
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> Sessions = new ConditionalWeakTable<Runspace, Holder>();

        public static AgentManagerSession Default
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Sessions.TryGetValue(runspace, out var holder) ? holder.Session : null;
            }

            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace != null)
                {
                    Sessions.GetValue(runspace, _ => new Holder()).Session = value;
                }
            }
        }

        private sealed class Holder
        {
            public AgentManagerSession Session;
        }
    }
}
