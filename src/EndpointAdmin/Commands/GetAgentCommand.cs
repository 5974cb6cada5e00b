using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-Agent: the manager's computers, streamed page by page as the manager returns them; the
    /// fleet is never held in memory.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Agent", DefaultParameterSetName = ByName)]
    [OutputType(typeof(Agent))]
    public sealed class GetAgentCommand : ManagerCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";
        private const string Activity = "Get-Agent";

        [Parameter(Position = 0, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? PolicyId { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.ListAgents);
        }

        protected override void ProcessRecord()
        {
            var ids = WellFormedIds(Id);
            if (ids != null && ids.Length == 0)
            {
                return;
            }

            var query = new AgentQuery { Names = Patterns.From(Name), Ids = ids, PolicyId = PolicyId };
            var found = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            var foundNames = new List<string>();
            // After a failure the rest is unknown, not missing: report only what a complete answer lacks.
            var complete = Try(() =>
            {
                foreach (var agent in Provider.GetAgents(query, n => Progress(1, Activity, n + " agent(s)"), Cancel))
                {
                    // Only asked-for IDs are checked afterwards: a whole fleet's IDs are not kept.
                    if (query.Ids != null)
                    {
                        found.Add(agent.Id);
                    }

                    if (query.Names != null && query.Names.Any(n => !n.HasWildcards))
                    {
                        foundNames.Add(agent.Name);
                    }

                    WriteObject(agent);
                }
            });
            CompleteProgress(1, Activity);
            if (complete)
            {
                ReportMissing(query, found, foundNames);
            }
        }

        private void ReportMissing(AgentQuery query, HashSet<string> found, List<string> foundNames)
        {
            foreach (var id in query.Ids ?? new string[0])
            {
                if (!found.Contains(id))
                {
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no computer with ID " + id + (PolicyId.HasValue ? " in policy " + PolicyId : string.Empty) + ".")));
                }
            }

            foreach (var name in query.Names ?? new List<Catalog.NamePattern>())
            {
                if (!name.HasWildcards && !foundNames.Any(name.IsMatch))
                {
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, name.Text, "The manager has no computer named '" + name.Text + "'" + (PolicyId.HasValue ? " in policy " + PolicyId : string.Empty) + ".")));
                }
            }
        }
    }
}
