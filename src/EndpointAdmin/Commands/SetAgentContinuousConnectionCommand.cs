using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentContinuousConnection: Kaspersky's "Do not disconnect from the Administration
    /// Server" on devices. Collects every device of the invocation, then, before enabling, counts
    /// the devices that already hold a continuous connection and refuses the whole request, with
    /// the count, when it would pass the server's limit (300); nothing is changed then.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentContinuousConnection", DefaultParameterSetName = ById, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(Agent))]
    public sealed class SetAgentContinuousConnectionCommand : ManagerCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";
        private const string Activity = "Set-AgentContinuousConnection";
        private readonly List<string> _ids = new List<string>();
        private readonly List<string> _names = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
        [Alias("AgentId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        /// <summary>True keeps the agents connected; false lets the server drop the connection after each synchronization.</summary>
        [Parameter(Mandatory = true)]
        public bool Enabled { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.SetContinuousConnection);
        }

        protected override void ProcessRecord()
        {
            _ids.AddRange(Id ?? new string[0]);
            _names.AddRange(Name ?? new string[0]);
        }

        protected override void EndProcessing()
        {
            var query = new AgentQuery { Ids = _ids.Count > 0 ? _ids : null, Names = _names.Count > 0 ? Patterns.From(_names.ToArray()) : null };
            var agents = new List<Agent>();
            if (!Try(() => agents.AddRange(Provider.GetAgents(query, n => Progress(1, Activity, n + " device(s) found"), Cancel))))
            {
                base.EndProcessing();
                return;
            }

            ReportMissing(query, agents);
            var changes = agents.Where(a => a.ContinuousConnection != Enabled).ToList();
            foreach (var same in agents.Where(a => a.ContinuousConnection == Enabled))
            {
                WriteVerbose(same.Name + " (" + same.Id + ") already has continuous connection " + (Enabled ? "on" : "off") + ".");
                if (PassThru)
                {
                    WriteObject(same);
                }
            }

            if (changes.Count == 0)
            {
                CompleteProgress(1, Activity);
                base.EndProcessing();
                return;
            }

            var action = Enabled ? "Enable continuous connection" : "Disable continuous connection";
            if (Enabled)
            {
                ContinuousConnectionCount count = null;
                Try(() =>
                {
                    count = Provider.CountContinuousConnections(Cancel);
                    var after = count.InUse + changes.Count;
                    if (count.Limit.HasValue && after > count.Limit.Value)
                    {
                        throw new EndpointAdminException(
                            ErrorIds.ContinuousConnectionLimitExceeded,
                            ErrorKind.LimitsExceeded,
                            count.InUse,
                            count.InUse.ToString(CultureInfo.InvariantCulture) + " device(s) already hold a continuous connection; enabling it on " + changes.Count + " more would make " + after + ", over the Administration Server's limit of " + count.Limit.Value + ". Nothing was changed.")
                        {
                            RecommendedAction = "Keep continuous connections for the most important devices: disable it where it is no longer needed (Get-Agent | Where-Object ContinuousConnection | Set-AgentContinuousConnection -Enabled $false) or choose at most " + Math.Max(0, count.Limit.Value - count.InUse) + " device(s).",
                        };
                    }
                });
                if (count == null || (count.Limit.HasValue && count.InUse + changes.Count > count.Limit.Value))
                {
                    CompleteProgress(1, Activity);
                    base.EndProcessing();
                    return;
                }

                action += " (" + count.InUse + " of " + (count.Limit.HasValue ? count.Limit.Value.ToString(CultureInfo.InvariantCulture) : "unlimited") + " in use; " + changes.Count + " to enable)";
                WriteVerbose(count.InUse + " device(s) hold a continuous connection now; " + changes.Count + " more requested.");
            }

            var done = 0;
            foreach (var agent in changes)
            {
                if (!ShouldProcess(agent.Name + " (" + agent.Id + ")", action))
                {
                    continue;
                }

                Try(() =>
                {
                    var updated = Provider.SetContinuousConnection(agent, Enabled, Cancel);
                    done++;
                    Progress(1, Activity, done + " of " + changes.Count + " device(s) changed");
                    if (PassThru)
                    {
                        WriteObject(updated);
                    }
                });
            }

            CompleteProgress(1, Activity);
            base.EndProcessing();
        }

        private void ReportMissing(AgentQuery query, List<Agent> agents)
        {
            var ids = new HashSet<string>(agents.Select(a => a.Id), StringComparer.OrdinalIgnoreCase);
            foreach (var id in (query.Ids ?? new List<string>()).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!ids.Contains(id))
                {
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, id, "The manager has no device with ID " + id + ".")));
                }
            }

            foreach (var name in query.Names ?? new List<NamePattern>())
            {
                if (!name.HasWildcards && !agents.Any(a => name.IsMatch(a.Name ?? string.Empty)))
                {
                    WriteError(ErrorRecordFactory.Create(new EndpointAdminException(ErrorIds.AgentNotFound, ErrorKind.ObjectNotFound, name.Text, "The manager has no device named '" + name.Text + "'.")));
                }
            }
        }
    }
}
