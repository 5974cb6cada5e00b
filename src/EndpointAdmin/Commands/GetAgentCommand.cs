using System.Management.Automation;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Get-Agent: the manager's computers, streamed page by page as the manager returns them; the
    /// fleet is never held in memory.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Agent", DefaultParameterSetName = ByName)]
    [OutputType(typeof(Agent))]
    public sealed class GetAgentCommand : AgentLookupCmdlet
    {
        private const string Activity = "Get-Agent";

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.ListAgents);
        }

        private protected override void ProcessQuery(AgentQuery query)
        {
            var found = new FoundAgents(query);
            var complete = Try(() =>
            {
                foreach (var agent in Provider.GetAgents(query, n => Progress(1, Activity, n + " agent(s)"), Cancel))
                {
                    found.Add(agent.Id, agent.Name);
                    WriteObject(agent);
                }
            });
            CompleteProgress(1, Activity);
            if (complete)
            {
                ReportMissing(found);
            }
        }
    }
}
