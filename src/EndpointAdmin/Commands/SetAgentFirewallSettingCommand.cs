using System;
using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Set-AgentFirewallSetting: the Apex One global agent firewall settings and the Certified Safe
    /// Software Service. Before the service is switched on for given agents, their proxy path is
    /// tested and IPv6-only agents are named. No Automation API exposes the settings: after
    /// validation the command names the console page and the values to enter.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AgentFirewallSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class SetAgentFirewallSettingCommand : ManagerCmdlet
    {
        private readonly List<string> _agentIds = new List<string>();

        [Parameter]
        public bool EnableFirewall { get; set; }

        [Parameter]
        public bool SendLogToServer { get; set; }

        [Parameter]
        public int LogSendingIntervalMinutes { get; set; }

        [Parameter]
        public bool UpdateDriverOnlyAfterRestart { get; set; }

        [Parameter]
        public bool SendHourlyLogCount { get; set; }

        [Parameter]
        public bool CertifiedSafeSoftwareService { get; set; }

        /// <summary>Agents whose proxy path is checked before the Certified Safe Software Service is switched on.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[] AgentId { get; set; }

        /// <summary>The proxy the agents use to reach the Internet (http://proxy:8080), tested from here.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ProxyUri { get; set; }

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 5;

        protected override void ProcessRecord()
        {
            _agentIds.AddRange(AgentId ?? new string[0]);
        }

        protected override void EndProcessing()
        {
            Try(() =>
            {
                var request = new FirewallSettingsRequest
                {
                    EnableFirewall = Bound<bool>(nameof(EnableFirewall)),
                    SendLogToServer = Bound<bool>(nameof(SendLogToServer)),
                    LogSendingIntervalMinutes = Bound<int>(nameof(LogSendingIntervalMinutes)),
                    UpdateDriverOnlyAfterRestart = Bound<bool>(nameof(UpdateDriverOnlyAfterRestart)),
                    SendHourlyLogCount = Bound<bool>(nameof(SendHourlyLogCount)),
                    CertifiedSafeSoftwareService = Bound<bool>(nameof(CertifiedSafeSoftwareService)),
                    AgentIds = _agentIds,
                    ProxyUri = ProxyUri,
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                };
                Provider.SetFirewallSettings(request, Feedback, Cancel);
            });
            base.EndProcessing();
        }

        private T? Bound<T>(string name)
            where T : struct
        {
            return MyInvocation.BoundParameters.TryGetValue(name, out var value) ? (T?)(T)LanguagePrimitives.ConvertTo(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture) : null;
        }
    }
}
