using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What the cmdlets that take agents share: the query built from -Name or -Id (and -PolicyId
    /// where the cmdlet has it); piped IDs checked one by one, so a malformed ID is its own error
    /// (AgentIdInvalid) and does not take the others down, then looked up IdBatch at a time; and the
    /// report of agents asked for by ID or literal name that the manager does not have.
    /// PowerShell reads a parameter's attributes from the property that declares it, so the two
    /// selector shapes declare -Name and -Id: AgentLookupCmdlet (every agent by default, as
    /// Get-Agent) and AgentActionCmdlet (an agent is required, as Invoke-AgentSync).
    /// </summary>
    public abstract class AgentSelectionCmdlet : ManagerCmdlet
    {
        internal const string ByName = "Name";
        internal const string ById = "Id";

        /// <summary>Piped IDs are looked up in groups this large: a manager that finds many IDs per request answers in one.</summary>
        internal const int IdBatch = 500;

        private readonly List<string> _pendingIds = new List<string>();

        /// <summary>Agent names, with wildcards.</summary>
        public abstract string[] Name { get; set; }

        /// <summary>The manager's own agent IDs.</summary>
        public abstract string[] Id { get; set; }

        /// <summary>The policy the agents must belong to, for the cmdlets with -PolicyId.</summary>
        protected virtual int? InPolicy => null;

        /// <summary>What the missing-agent report calls the manager's agents.</summary>
        protected virtual string AgentNoun => "computer";

        /// <summary>One query's worth of agents: the names given, or at most IdBatch of the IDs given or piped.</summary>
        private protected abstract void ProcessQuery(AgentQuery query);

        protected override void ProcessRecord()
        {
            if (ParameterSetName != ById)
            {
                ProcessQuery(new AgentQuery { Names = Patterns.From(Name), PolicyId = InPolicy });
                return;
            }

            foreach (var id in Id)
            {
                if (Try(() => Provider.CheckAgentId(id)))
                {
                    _pendingIds.Add(id);
                }
            }

            ProcessPendingIds(false);
        }

        /// <summary>Looks up the IDs still pending; a cmdlet that overrides this calls it first.</summary>
        protected override void EndProcessing()
        {
            ProcessPendingIds(true);
            base.EndProcessing();
        }

        private void ProcessPendingIds(bool all)
        {
            while (_pendingIds.Count >= IdBatch || (all && _pendingIds.Count > 0))
            {
                var count = Math.Min(IdBatch, _pendingIds.Count);
                var ids = _pendingIds.GetRange(0, count).ToArray();
                _pendingIds.RemoveRange(0, count);
                ProcessQuery(new AgentQuery { Ids = ids, PolicyId = InPolicy });
            }
        }

        /// <summary>
        /// Writes one AgentNotFound error for each agent the query asked for by ID or literal name
        /// that <paramref name="found"/> lacks, and returns how many. Call it only after a complete
        /// answer: after a failure the rest is unknown, not missing.
        /// </summary>
        private protected int ReportMissing(FoundAgents found)
        {
            var missing = 0;
            var inPolicy = InPolicy.HasValue ? " in policy " + InPolicy : string.Empty;
            foreach (var id in (found.Query.Ids ?? new string[0]).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!found.HasId(id))
                {
                    missing++;
                    WriteError(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no " + AgentNoun + " with ID " + id + inPolicy + "."));
                }
            }

            foreach (var name in found.Query.Names ?? new List<NamePattern>())
            {
                if (!name.HasWildcards && !found.HasName(name))
                {
                    missing++;
                    WriteError(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, name.Text, "The manager has no " + AgentNoun + " named '" + name.Text + "'" + inPolicy + "."));
                }
            }

            return missing;
        }

        /// <summary>
        /// What one query found, as far as the missing-agent report needs it: the IDs when IDs were
        /// asked for, the names when literal names were. A walk of the whole fleet keeps nothing.
        /// </summary>
        private protected sealed class FoundAgents
        {
            private readonly HashSet<string> _ids;
            private readonly List<string> _names;

            public FoundAgents(AgentQuery query)
            {
                Query = query;
                _ids = query.Ids != null ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null;
                _names = query.Names != null && query.Names.Any(n => !n.HasWildcards) ? new List<string>() : null;
            }

            public AgentQuery Query { get; }

            /// <summary>How many agents the answer held.</summary>
            public int Count { get; private set; }

            public void Add(string id, string name)
            {
                Count++;
                _ids?.Add(id);
                _names?.Add(name ?? string.Empty);
            }

            public bool HasId(string id) => _ids != null && _ids.Contains(id);

            public bool HasName(NamePattern name) => _names != null && _names.Any(name.IsMatch);
        }
    }
}
