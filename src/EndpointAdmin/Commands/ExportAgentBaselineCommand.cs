using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Baseline;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Export-AgentBaseline: today's state as a baseline that Test-AgentBaseline then reports as
    /// fully in desired state — each session's manager settings (what its API can read), and with
    /// -HostFirewall the EndpointAdmin rules of this machine. Writes a .psd1 or .json file, or the
    /// text to the pipeline when no -Path is given.
    /// </summary>
    [Cmdlet(VerbsData.Export, "AgentBaseline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string), typeof(FileInfo))]
    public sealed class ExportAgentBaselineCommand : FirewallCmdlet
    {
        /// <summary>The file to write (.psd1 or .json); without it the baseline text is written to the pipeline.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The managers to export; this runspace's default session when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public AgentManagerSession[] Session { get; set; }

        /// <summary>Also export this machine's EndpointAdmin firewall rules.</summary>
        [Parameter]
        public SwitchParameter HostFirewall { get; set; }

        /// <summary>Psd1 or Json; by default from the file's extension, else Psd1.</summary>
        [Parameter]
        [ValidateSet("Psd1", "Json")]
        public string Format { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var sessions = Session ?? (SessionStore.Default != null ? new[] { SessionStore.Default } : new AgentManagerSession[0]);
            if (sessions.Length == 0 && !HostFirewall)
            {
                Terminate(new Errors.EndpointAdminException(Errors.ErrorIds.ManagerNotConnected, Errors.ErrorKind.InvalidOperation, null, "Nothing to export: connect to a manager (Connect-AgentManager) or give -HostFirewall."));
            }

            var root = new OrderedDictionary();
            var managers = new List<object>();
            foreach (var session in sessions)
            {
                var provider = ManagerConnector.Provider(session);
                if (provider == null)
                {
                    WriteError(new Errors.EndpointAdminException(Errors.ErrorIds.ManagerSessionClosed, Errors.ErrorKind.InvalidOperation, session.ToString(), "Session " + session.Id + " to " + session.Uri + " is closed."));
                    continue;
                }

                Try(() =>
                {
                    var entry = new OrderedDictionary { ["Product"] = session.Product.ToString(), ["Uri"] = session.Uri };
                    foreach (System.Collections.DictionaryEntry pair in provider.ExportBaseline(Cancel))
                    {
                        entry[pair.Key] = pair.Value;
                    }

                    managers.Add(entry);
                });
                DrainLog(provider);
            }

            if (managers.Count > 0)
            {
                root["Managers"] = managers.ToArray();
            }

            if (HostFirewall)
            {
                var rules = ReadFirewall().Rules.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => (object)RuleTable(r.Rule)).ToArray();
                root["HostFirewall"] = new OrderedDictionary { ["ExtraRules"] = rules, ["Unmanaged"] = "Keep" };
            }

            var json = string.Equals(Format, "Json", StringComparison.OrdinalIgnoreCase)
                || (Format == null && Path != null && Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
            var text = json ? BaselineWriter.Json(root) : BaselineWriter.Psd1(root);
            if (Path == null)
            {
                WriteObject(text);
                return;
            }

            var file = GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(file) && !Force)
            {
                Terminate(new Errors.EndpointAdminException(Errors.ErrorIds.BaselineFileUnreadable, Errors.ErrorKind.ResourceExists, file, "The file '" + file + "' exists; give -Force to overwrite it."));
            }

            if (ShouldProcess(file, "Write baseline"))
            {
                File.WriteAllText(file, text, new System.Text.UTF8Encoding(false));
                WriteObject(new FileInfo(file));
            }
        }

        private void DrainLog(IAgentManagerProvider provider)
        {
            var log = provider.Log;
            while (log != null && log.TryDequeue(out var line))
            {
                WriteDebug(line);
            }
        }

        /// <summary>A rule as an ExtraRules table: only what differs from the defaults, so the file stays readable.</summary>
        private static OrderedDictionary RuleTable(FirewallPortRule rule)
        {
            var table = new OrderedDictionary
            {
                ["Name"] = rule.Name,
                ["DisplayName"] = rule.DisplayName,
                ["Direction"] = rule.Direction.ToString(),
                ["Protocol"] = rule.Protocol.ToString(),
            };
            if (rule.LocalPort.Length > 0) { table["LocalPort"] = rule.LocalPort; }
            if (rule.RemotePort.Length > 0) { table["RemotePort"] = rule.RemotePort; }
            if (rule.RemoteAddress.Length > 0) { table["RemoteAddress"] = rule.RemoteAddress; }
            if (rule.RemoteMacAddress.Length > 0) { table["RemoteMacAddress"] = rule.RemoteMacAddress; }
            if (rule.Action != FirewallAction.Allow) { table["Action"] = rule.Action.ToString(); }
            if (!string.IsNullOrEmpty(rule.Group)) { table["Group"] = rule.Group; }
            if (!rule.Enabled) { table["Enabled"] = false; }
            return table;
        }
    }
}
