using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using EndpointAdmin.Baseline;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// The Kaspersky part of a baseline: which devices keep a continuous connection ("Do not
    /// disconnect from the Administration Server"), read in one walk of the hosts; the whole plan
    /// checked against the server's limit of 300 before anything is written; each device written
    /// through the same UpdateHost as Set-AgentContinuousConnection. The synchronization interval
    /// has no Open API, so its declaration only becomes the manager's NotSupported row.
    /// </summary>
    internal sealed class KscBaseline
    {
        private const string Setting = "ContinuousConnection";
        private const string Source = "device properties";

        private readonly IAgentManagerProvider _provider;
        private readonly KscHostSearch _hosts;

        public KscBaseline(IAgentManagerProvider provider, KscHostSearch hosts)
        {
            _provider = provider;
            _hosts = hosts;
        }

        public IEnumerable<BaselineTargetState> Read(ManagerBaseline baseline, CancellationToken cancel)
        {
            var own = baseline.Targets.Where(t => t.Type == BaselineTargetType.Manager).ToList();
            if (own.Count > 0)
            {
                // No request: every manager-wide setting of KSC is a console setting (NotSupported row).
                var manager = new BaselineTargetState { Type = BaselineTargetType.Manager, Id = baseline.Uri, Display = "manager" };
                manager.Declarations.AddRange(own);
                yield return manager;
            }

            var declared = baseline.Targets.Where(t => t.Type == BaselineTargetType.Agent).ToList();
            if (declared.Count == 0)
            {
                yield break;
            }

            var selecting = declared.Where(t => !t.Others).ToList();
            var others = declared.Where(t => t.Others).ToList();
            var states = new List<BaselineTargetState>();
            var matchedNames = new HashSet<NamePattern>();
            var matchedGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var agent in _hosts.GetAgents(Query(selecting, others), null, cancel))
            {
                var state = new BaselineTargetState { Type = BaselineTargetType.Agent, Id = agent.Id, Display = "device '" + agent.Name + "' (" + agent.Id + ")", Handle = agent };
                foreach (var declaration in selecting)
                {
                    var byName = declaration.Names.Where(n => n.IsMatch(agent.Name ?? string.Empty)).ToList();
                    var byGroup = declaration.Groups.Where(g => string.Equals(g, agent.GroupName, StringComparison.OrdinalIgnoreCase)).ToList();
                    matchedNames.UnionWith(byName);
                    matchedGroups.UnionWith(byGroup);
                    if (byName.Count > 0 || byGroup.Count > 0)
                    {
                        state.Declarations.Add(declaration);
                    }
                }

                // "Every other device that holds it": only devices no named declaration selects.
                if (state.Declarations.Count == 0 && agent.ContinuousConnection == true)
                {
                    state.Declarations.AddRange(others);
                }

                if (state.Declarations.Count == 0)
                {
                    continue;
                }

                if (agent.ContinuousConnection.HasValue)
                {
                    state.Actual[Setting] = new ActualSetting(agent.ContinuousConnection.Value ? "True" : "False", Source);
                }

                states.Add(state);
            }

            // Devices that hold a connection first: a Set then disables before it enables, so the
            // server's count never passes its limit between two writes of one plan.
            foreach (var state in states.OrderBy(s => ((Agent)s.Handle).ContinuousConnection == true ? 0 : 1))
            {
                yield return state;
            }

            foreach (var missing in Missing(selecting, matchedNames, matchedGroups))
            {
                yield return missing;
            }
        }

        /// <summary>
        /// One walk: by name on the server when only names select devices, else every device (the
        /// groups and "every other device" are only known from the devices themselves).
        /// </summary>
        private static AgentQuery Query(List<TargetBaseline> selecting, List<TargetBaseline> others)
        {
            if (others.Count == 0 && selecting.All(t => t.Groups.Count == 0))
            {
                return new AgentQuery { Names = selecting.SelectMany(t => t.Names).ToList() };
            }

            return new AgentQuery();
        }

        /// <summary>A literal name or a group that selects no device is that declaration's one error; a wildcard that matches nothing is not.</summary>
        private static IEnumerable<BaselineTargetState> Missing(List<TargetBaseline> selecting, HashSet<NamePattern> names, HashSet<string> groups)
        {
            foreach (var declaration in selecting)
            {
                foreach (var name in declaration.Names.Where(n => !n.HasWildcards && !names.Contains(n)))
                {
                    yield return NotFound(declaration, name.Text, "no device is named '" + name.Text + "'");
                }

                foreach (var group in declaration.Groups.Where(g => !groups.Contains(g)))
                {
                    yield return NotFound(declaration, group, "no device is in an administration group named '" + group + "'");
                }
            }
        }

        private static BaselineTargetState NotFound(TargetBaseline declaration, string what, string why)
        {
            return new BaselineTargetState
            {
                Type = BaselineTargetType.Agent,
                Id = what,
                Display = what,
                Error = new EndpointAdminException(ErrorIds.BaselineTargetNotFound, ErrorKind.ObjectNotFound, what, declaration.Key + ": " + why + "; its continuous connection was not checked."),
            };
        }

        /// <summary>
        /// The whole plan against the server's limit before any write, in the words of
        /// Set-AgentContinuousConnection; a plan that only disables needs no count.
        /// </summary>
        public void Check(IReadOnlyList<BaselineWrite> plan, CancellationToken cancel)
        {
            var changes = plan.SelectMany(w => w.Changes).Where(c => string.Equals(c.Name, Setting, StringComparison.OrdinalIgnoreCase)).ToList();
            var enabling = changes.Count(c => c.Value == "True");
            var disabling = changes.Count(c => c.Value == "False");
            if (enabling == 0)
            {
                return;
            }

            var count = _provider.CountContinuousConnections(cancel);
            var after = count.InUse + enabling - disabling;
            if (count.Limit.HasValue && after > count.Limit.Value)
            {
                throw new EndpointAdminException(
                    ErrorIds.ContinuousConnectionLimitExceeded,
                    ErrorKind.LimitsExceeded,
                    count.InUse,
                    count.InUse.ToString(CultureInfo.InvariantCulture) + " device(s) already hold a continuous connection; enabling it on " + enabling + " more"
                    + (disabling > 0 ? " and disabling it on " + disabling : string.Empty)
                    + " would make " + after + ", over the Administration Server's limit of " + count.Limit.Value + ". Nothing was changed.")
                {
                    RecommendedAction = "Select fewer devices in the baseline's ContinuousConnection Name or Group, or disable it elsewhere first: at most " + Math.Max(0, count.Limit.Value - count.InUse + disabling) + " device(s) can be enabled.",
                };
            }
        }

        public void Write(BaselineWrite write, CancellationToken cancel)
        {
            if (!(write.Target.Handle is Agent agent))
            {
                throw ManagerCapabilities.NotSupported(_provider, ManagerCapability.Baseline, "only the continuous connection of devices has an Open API");
            }

            foreach (var change in write.Changes)
            {
                if (!string.Equals(change.Name, Setting, StringComparison.OrdinalIgnoreCase))
                {
                    throw ManagerCapabilities.NotSupported(_provider, ManagerCapability.Baseline, change.Name + " has no Open API");
                }

                _provider.SetContinuousConnection(agent, change.Value == "True", cancel);
            }
        }

        /// <summary>
        /// The devices holding a continuous connection, by name, and every other device without it.
        /// No SyncIntervalMinutes: the Open API cannot read it.
        /// </summary>
        public OrderedDictionary Export(CancellationToken cancel)
        {
            var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var host in _hosts.Find(KscWire.KeepConnectionFilter, new[] { KscWire.HostId, KscWire.DisplayName, KscWire.KeepConnection }, null, cancel))
            {
                // The server's filter decides, and the flag itself is checked again here.
                var name = KscWire.String(host[KscWire.DisplayName]);
                if (!string.IsNullOrEmpty(name) && KscWire.Bool(host[KscWire.KeepConnection]) == true)
                {
                    names.Add(name);
                }
            }

            var section = new OrderedDictionary();
            if (names.Count > 0)
            {
                section["Name"] = names.Select(Escape).ToArray();
            }

            section["Unmanaged"] = "Disable";
            return new OrderedDictionary { ["ContinuousConnection"] = section };
        }

        /// <summary>A device name as a pattern that matches exactly it: PowerShell's wildcard characters escaped with a backtick.</summary>
        internal static string Escape(string name)
        {
            var text = new StringBuilder(name.Length);
            foreach (var c in name)
            {
                if (c == '*' || c == '?' || c == '[' || c == ']' || c == '`')
                {
                    text.Append('`');
                }

                text.Append(c);
            }

            return text.ToString();
        }
    }
}
