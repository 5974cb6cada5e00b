using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using EndpointAdmin.Baseline;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Http;
using EndpointAdmin.Internal;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// What Test- and Set-AgentBaseline share: the baseline from a file (a .psd1 read as data, or
    /// JSON) or an object, checked whole before any request or firewall read; the session of each
    /// declared manager; and the rows of each manager and of the host firewall.
    /// </summary>
    public abstract class BaselineCmdlet : FirewallCmdlet
    {
        internal const string PathSet = "Path";
        internal const string ObjectSet = "Object";

        private readonly List<IAgentManagerProvider> _connected = new List<IAgentManagerProvider>();
        private readonly List<IAgentManagerProvider> _used = new List<IAgentManagerProvider>();
        private HostFirewallPlan _firewall;
        private List<NormalizedRule> _wanted;

        /// <summary>A .psd1 or .json baseline file.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The baseline as a hashtable, the object ConvertFrom-Json gives, or JSON text.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public object Baseline { get; set; }

        /// <summary>Sessions to the declared managers; with none, this runspace's default session and the baseline's Secret names are used.</summary>
        [Parameter]
        [ValidateNotNull]
        public AgentManagerSession[] Session { get; set; }

        /// <summary>The baseline, read and checked in BeginProcessing; null when it had problems (each already written as an error).</summary>
        internal BaselineDocument Document { get; private set; }

        /// <summary>The file or "the -Baseline object", for messages.</summary>
        internal string SourceName => Path ?? "the -Baseline object";

        /// <summary>Reads and checks the baseline; every problem is one error with the key it is about, and then the command stops.</summary>
        internal void ReadBaseline()
        {
            var problems = new List<EndpointAdminException>();
            object tree = null;
            Must(() => tree = Path != null ? ReadFile(GetUnresolvedProviderPathFromPSPath(Path)) : Plain(Baseline, SourceName));
            var schemas = ManagerProviders.Factories.ToDictionary(f => f.Product, f => f.BaselineSchema);
            var document = new BaselineReader(schemas, name => Patterns.From(new[] { name })[0], PortCatalog.Default).Read(tree, problems);
            Stop(problems);

            // The firewall rules are checked for this machine's firewall now, before any manager is asked anything.
            if (document.HostFirewall != null)
            {
                _firewall = new HostFirewallPlan(Service, Environment.MachineName);
                _wanted = _firewall.Wanted(document.HostFirewall, PortCatalog.Default, problems);
                Stop(problems);
            }

            Document = document;
        }

        /// <summary>Writes each problem and stops the command: a baseline with problems is never acted on.</summary>
        internal void Stop(List<EndpointAdminException> problems)
        {
            if (problems.Count == 0)
            {
                return;
            }

            for (int i = 0; i < problems.Count - 1; i++)
            {
                WriteError(problems[i]);
            }

            Terminate(problems[problems.Count - 1]);
        }

        private static object ReadFile(string path)
        {
            if (!File.Exists(path))
            {
                throw new EndpointAdminException(ErrorIds.BaselineFileUnreadable, ErrorKind.ObjectNotFound, path, "The baseline file '" + path + "' does not exist.");
            }

            var text = File.ReadAllText(path);
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                return BaselineTree.FromJson(text, path);
            }

            // Data only, as Import-PowerShellDataFile reads it: one hashtable whose values are
            // literals ($true, $false, $null allowed); anything that would run is refused.
            var ast = Parser.ParseInput(text, path, out _, out var errors);
            if (errors.Length > 0)
            {
                throw new EndpointAdminException(ErrorIds.BaselineFileUnreadable, ErrorKind.InvalidData, path, "The baseline file '" + path + "' does not parse: " + errors[0].Message + " (line " + errors[0].Extent.StartLineNumber + ").");
            }

            var table = ast.EndBlock?.Statements.Count == 1 && ast.BeginBlock == null && ast.ProcessBlock == null
                ? (ast.EndBlock.Statements[0] as PipelineAst)?.GetPureExpression() as HashtableAst
                : null;
            if (table == null)
            {
                throw new EndpointAdminException(ErrorIds.BaselineFileUnreadable, ErrorKind.InvalidData, path, "The baseline file '" + path + "' must hold one hashtable, @{ ... }, and nothing else.");
            }

            try
            {
                return table.SafeGetValue();
            }
            catch (InvalidOperationException ex)
            {
                throw new EndpointAdminException(ErrorIds.BaselineFileUnreadable, ErrorKind.InvalidData, path, "The baseline file '" + path + "' holds more than data (" + ex.Message.TrimEnd('.') + "); it is read as data only, like Import-PowerShellDataFile.");
            }
        }

        /// <summary>A hashtable, a ConvertFrom-Json object or JSON text as the reader's tree.</summary>
        private static object Plain(object value, string source)
        {
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
                if (value is PSCustomObject)
                {
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in wrapped.Properties)
                    {
                        table[property.Name] = Plain(property.Value, source);
                    }

                    return table;
                }
            }

            switch (value)
            {
                case string json when json.TrimStart().StartsWith("{", StringComparison.Ordinal):
                    return BaselineTree.FromJson(json, source);
                case string text:
                    return text;
                case IDictionary dictionary:
                    var copy = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        copy[entry.Key] = Plain(entry.Value, source);
                    }

                    return copy;
                case IEnumerable list:
                    return list.Cast<object>().Select(i => Plain(i, source)).ToArray();
                default:
                    return value;
            }
        }

        /// <summary>
        /// The provider for a declared manager: a -Session or the default session to the same product
        /// and address, or a connection made with the SecretManagement secret the baseline names.
        /// Null (with one error written) when there is none: the other managers carry on.
        /// </summary>
        internal IAgentManagerProvider ProviderFor(ManagerBaseline manager)
        {
            var key = BaselineReader.ManagerKey(manager.Uri);
            var candidates = (Session ?? new AgentManagerSession[0]).Concat(new[] { SessionStore.Default }).Where(s => s != null);
            var session = candidates.FirstOrDefault(s => s.Product == manager.Product && BaselineReader.ManagerKey(s.Uri) == key);
            if (session != null)
            {
                var provider = ManagerConnector.Provider(session);
                if (provider != null)
                {
                    _used.Add(provider);
                    return provider;
                }
            }

            if (manager.Secret != null)
            {
                IAgentManagerProvider connected = null;
                Try(() => connected = ConnectWithSecret(manager));
                return connected;
            }

            WriteError(new EndpointAdminException(ErrorIds.BaselineSessionMissing, ErrorKind.InvalidOperation, manager.Uri, "No open session to " + manager.Product + " " + manager.Uri + " (" + manager.Key + "); its settings were not " + (this is SetAgentBaselineCommand ? "changed" : "tested") + ".")
            {
                RecommendedAction = "Connect-AgentManager -Product " + manager.Product + " -Uri " + manager.Uri + " and pass the session with -Session, or name a SecretManagement secret in the baseline's Secret key.",
            });
            return null;
        }

        /// <summary>Connects with the secret from SecretManagement (Get-Secret), for unattended runs; the secret never leaves SecureString form.</summary>
        private IAgentManagerProvider ConnectWithSecret(ManagerBaseline manager)
        {
            var command = InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function);
            if (command == null)
            {
                throw new EndpointAdminException(ErrorIds.BaselineSessionMissing, ErrorKind.NotInstalled, manager.Secret, manager.Key + ".Secret names the secret '" + manager.Secret + "', but Get-Secret (Microsoft.PowerShell.SecretManagement) is not available.")
                {
                    RecommendedAction = "Install-PSResource Microsoft.PowerShell.SecretManagement and a vault, or connect first with Connect-AgentManager and pass -Session.",
                };
            }

            object secret;
            using (var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                var found = shell.AddCommand(command).AddParameter("Name", manager.Secret).Invoke();
                secret = found.Count == 1 ? found[0]?.BaseObject : null;
                if (shell.HadErrors || secret == null)
                {
                    throw new EndpointAdminException(ErrorIds.BaselineSessionMissing, ErrorKind.ObjectNotFound, manager.Secret, "Get-Secret found no secret named '" + manager.Secret + "' (" + manager.Key + ".Secret).");
                }
            }

            var options = new ConnectionOptions
            {
                ManagerUri = new Uri(manager.Uri),
                ApplicationId = manager.ApplicationId,
                CertificateThumbprint = manager.CertificateThumbprint,
            };
            if (secret is PSCredential credential)
            {
                options.UserName = credential.UserName;
                options.Password = credential.Password;
            }
            else if (secret is SecureString key)
            {
                options.ApiKey = key;
            }
            else
            {
                throw new EndpointAdminException(ErrorIds.BaselineSessionMissing, ErrorKind.InvalidData, manager.Secret, "The secret '" + manager.Secret + "' is neither a SecureString (an API key) nor a PSCredential.");
            }

            var factory = ManagerProviders.Connector.Validate(manager.Product, options);
            var session = ManagerProviders.Connector.Connect(factory, options, Cancel);
            var provider = ManagerConnector.Provider(session);
            _connected.Add(provider);
            _used.Add(provider);
            return provider;
        }

        /// <summary>Reads one manager's declared targets and compares them; a target that cannot be read is one error.</summary>
        internal List<(BaselineTargetState State, List<BaselineResult> Rows)> Compare(ManagerBaseline manager, IAgentManagerProvider provider)
        {
            var result = new List<(BaselineTargetState, List<BaselineResult>)>();
            Try(() =>
            {
                foreach (var state in provider.ReadBaseline(manager, Cancel))
                {
                    if (state.Error != null)
                    {
                        WriteError(state.Error);
                        continue;
                    }

                    result.Add((state, BaselineComparer.Compare(manager, state)));
                }
            });
            return result;
        }

        /// <summary>The host firewall part: the wanted rules (checked by ReadBaseline), the snapshot and the rows.</summary>
        internal (List<NormalizedRule> Wanted, FirewallSnapshot Snapshot, List<BaselineResult> Rows) CompareFirewall()
        {
            var snapshot = ReadFirewall();
            return (_wanted, snapshot, _firewall.Compare(Document.HostFirewall, _wanted, snapshot));
        }

        /// <summary>Drains the pipeline debug lines of every provider this command used.</summary>
        protected override void Flush()
        {
            foreach (var provider in _used)
            {
                var log = provider.Log;
                while (log != null && log.TryDequeue(out var line))
                {
                    WriteDebug(line);
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var provider in _connected)
                {
                    provider.Dispose();
                }

                _connected.Clear();
                _used.Clear();
            }

            base.Dispose(disposing);
        }
    }
}
