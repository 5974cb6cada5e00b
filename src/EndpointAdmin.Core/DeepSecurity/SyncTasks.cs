using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;
using Newtonsoft.Json.Linq;
using static EndpointAdmin.DeepSecurity.DeepSecurityWire;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>
    /// Sync as a send-policy scheduled task run at once, one per computer (REST v1 takes one computer
    /// per task), followed until the computer's last successful policy send moves past the one seen
    /// before the request.
    /// </summary>
    internal sealed class SyncTasks
    {
        private readonly HttpPipeline _http;
        private readonly ComputerSearch _computers;

        public SyncTasks(HttpPipeline http, ComputerSearch computers)
        {
            _http = http;
            _computers = computers;
        }

        /// <summary>One send-policy task per computer: REST v1 takes one computer per task.</summary>
        public IList<SyncOutcome> RequestSync(IList<string> agentIds, CancellationToken cancel)
        {
            var outcomes = new List<SyncOutcome>();
            foreach (var id in agentIds.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                try
                {
                    outcomes.Add(new SyncOutcome(id, RequestSync(id, cancel)));
                }
                catch (EndpointAdminException ex)
                {
                    outcomes.Add(new SyncOutcome(id, null, ex));
                }
            }

            return outcomes;
        }

        public IEnumerable<SyncOutcome> WaitForSync(IList<SyncResult> requested, DateTime deadlineUtc, CancellationToken cancel)
        {
            foreach (var one in requested)
            {
                SyncOutcome outcome;
                try
                {
                    outcome = new SyncOutcome(one.AgentId, WaitForSync(one, deadlineUtc, cancel));
                }
                catch (EndpointAdminException ex)
                {
                    outcome = new SyncOutcome(one.AgentId, null, ex);
                }

                yield return outcome;
            }
        }

        private SyncResult RequestSync(string agent, CancellationToken cancel)
        {
            var agentId = ComputerSearch.ParseAgentId(agent);
            var computer = _computers.GetComputer(agentId, cancel).Agent;
            var requestedAt = DateTime.UtcNow;
            var task = new JObject
            {
                ["name"] = "EndpointAdmin send policy " + agentId,
                ["type"] = "send-policy",
                ["runNow"] = true,
                ["enabled"] = true,
                ["scheduleDetails"] = new JObject { ["recurrenceType"] = "none", ["onceOnlyScheduleParameters"] = new JObject { ["startTime"] = 0 } },
                ["sendPolicyTaskParameters"] = new JObject { ["computerFilter"] = new JObject { ["type"] = "computer", ["computerID"] = agentId } },
            };
            var created = _http.Json(HttpMethod.Post, Paths.ScheduledTasks, task, false, cancel);
            var taskId = (int)created["ID"];
            if (DeleteSyncTaskAfterRun)
            {
                try
                {
                    _http.Json(HttpMethod.Delete, Paths.ScheduledTask(taskId), null, false, cancel);
                }
                catch (EndpointAdminException)
                {
                    // The send was requested; a leftover one-off task is harmless and visible in the console.
                }
            }

            return new SyncResult
            {
                AgentId = computer.Id,
                Name = computer.Name,
                Product = ManagerProduct.DeepSecurity,
                Status = SyncStatus.Requested,
                RequestedAt = requestedAt,
                LastPolicySent = computer.LastPolicySent,
                TaskId = taskId,
            };
        }

        private SyncResult WaitForSync(SyncResult requested, DateTime deadlineUtc, CancellationToken cancel)
        {
            var before = requested.LastPolicySent;
            var delay = TimeSpan.FromMilliseconds(250);
            while (true)
            {
                var agent = _computers.GetComputer(ComputerSearch.ParseAgentId(requested.AgentId), cancel).Agent;
                if (agent.LastPolicySent.HasValue && (!before.HasValue || agent.LastPolicySent.Value > before.Value))
                {
                    requested.LastPolicySent = agent.LastPolicySent;
                    requested.Status = SyncStatus.Succeeded;
                    return requested;
                }

                var left = deadlineUtc - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    requested.Status = SyncStatus.TimedOut;
                    return requested;
                }

                cancel.WaitHandle.WaitOne(left < delay ? left : delay);
                cancel.ThrowIfCancellationRequested();
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }
}
