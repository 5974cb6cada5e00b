using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentHeartbeatPolicy: writes heartbeat settings on the base policy, a policy or an agent,
    /// or resets them to inherited (-Inherit). Every value is checked before any request.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentHeartbeatPolicy", DefaultParameterSetName = PolicyIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(HeartbeatPolicy))]
    public sealed class SetAgentHeartbeatPolicyCommand : PolicyTargetCmdlet
    {
        [Parameter(Mandatory = true, ParameterSetName = BasePolicySet)]
        public SwitchParameter BasePolicy { get; set; }

        [Parameter]
        public int? IntervalMinutes { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MissedHeartbeatsBeforeAlert { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MaximumClockChange { get; set; }

        [Parameter]
        public bool? RaiseOfflineErrorsForInactiveVMs { get; set; }

        [Parameter]
        [ValidateSet(nameof(HeartbeatSetting.Interval), nameof(HeartbeatSetting.MissedHeartbeatsBeforeAlert), nameof(HeartbeatSetting.MaximumClockChange), nameof(HeartbeatSetting.RaiseOfflineErrorsForInactiveVMs))]
        public string[] Inherit { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Require(ManagerCapability.WriteHeartbeatPolicy);
        }

        protected override void ProcessRecord()
        {
            var target = Target;
            Try(() =>
            {
                var change = HeartbeatSettings.Validate(
                    IntervalMinutes,
                    Provider.HeartbeatLimits,
                    MissedHeartbeatsBeforeAlert,
                    MaximumClockChange,
                    RaiseOfflineErrorsForInactiveVMs,
                    (Inherit ?? new string[0]).Select(s => (HeartbeatSetting)Enum.Parse(typeof(HeartbeatSetting), s, true)));
                if (change.IsEmpty)
                {
                    throw new EndpointAdminException(ErrorIds.HeartbeatNothingToChange, ErrorKind.InvalidArgument, target.ToString(), "Nothing to change: give -IntervalMinutes, -MissedHeartbeatsBeforeAlert, -MaximumClockChange, -RaiseOfflineErrorsForInactiveVMs or -Inherit.");
                }

                var resolved = Provider.ResolveTarget(target, Cancel);
                Provider.CheckChange(resolved, change, Cancel);
                if (ShouldProcess(resolved.ToString(), "Set heartbeat settings (" + Describe(change) + ")"))
                {
                    var result = Provider.SetHeartbeatPolicy(resolved, change, Cancel);
                    if (PassThru)
                    {
                        WriteObject(result);
                    }
                }
            });
        }

        private static string Describe(HeartbeatChange change)
        {
            var parts = new List<string>();
            if (change.IntervalMinutes.HasValue)
            {
                parts.Add("interval " + change.IntervalMinutes + " min");
            }

            if (change.MissedHeartbeatsBeforeAlert.HasValue)
            {
                parts.Add("alert after " + (change.MissedHeartbeatsBeforeAlert == 0 ? HeartbeatSettings.Unlimited : change.MissedHeartbeatsBeforeAlert.ToString()) + " missed");
            }

            if (change.MaximumClockChangeMinutes.HasValue)
            {
                parts.Add("maximum clock change " + (change.MaximumClockChangeMinutes == 0 ? HeartbeatSettings.Unlimited : change.MaximumClockChangeMinutes + " min"));
            }

            if (change.RaiseOfflineErrorsForInactiveVMs.HasValue)
            {
                parts.Add("offline errors for inactive VMs " + (change.RaiseOfflineErrorsForInactiveVMs.Value ? "on" : "off"));
            }

            if (change.Inherit.Count > 0)
            {
                parts.Add("inherit " + string.Join(", ", change.Inherit));
            }

            return string.Join("; ", parts);
        }
    }
}
