using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace EndpointAdmin.Host
{
    /// <summary>
    /// A JEA runspace built from role capability files the way a RestrictedRemoteServer endpoint
    /// builds one: NoLanguage, every engine command private but the few a remote session keeps,
    /// the roles' ModulesToImport, only the roles' VisibleCmdlets public, and a proxy function for
    /// each cmdlet whose Parameters are constrained (only the listed parameters, ValidateSet and
    /// ValidatePattern added). The engine's own reader
    /// (InitialSessionState.CreateFromSessionConfigurationFile, and CreateRestricted under it)
    /// loads the console host assembly, which the System.Management.Automation package does not
    /// carry; pwsh runs that reader on the same files in tests/Pester/Jea.Tests.ps1.
    /// </summary>
    public sealed class JeaSessionState
    {
        private readonly Dictionary<string, Hashtable[]> _visible = new Dictionary<string, Hashtable[]>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _modules = new List<string>();

        /// <summary>The commands a restricted remote-server session leaves public (those this engine has).</summary>
        private static readonly HashSet<string> RemoteServerCommands = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Get-Command", "Get-FormatData", "Get-Help", "Measure-Object", "Out-Default", "Select-Object", "Exit-PSSession", "Clear-Host",
        };

        public JeaSessionState(IEnumerable<string> roleCapabilityFiles)
        {
            foreach (var file in roleCapabilityFiles)
            {
                var role = ReadDataFile(file);
                _modules.AddRange(Items(role["ModulesToImport"]).Select(m => m.ToString()));
                foreach (var entry in Items(role["VisibleCmdlets"]))
                {
                    var table = entry as Hashtable;
                    var name = table != null ? (string)table["Name"] : entry.ToString();
                    var parameters = table != null ? Items(table["Parameters"]).Cast<Hashtable>().ToArray() : null;
                    // Roles merge as JEA merges them: an unconstrained grant wins; constrained ones add up.
                    if (_visible.TryGetValue(name, out var had))
                    {
                        _visible[name] = had == null || parameters == null ? null : had.Concat(parameters).ToArray();
                    }
                    else
                    {
                        _visible[name] = parameters;
                    }
                }
            }
        }

        /// <summary>The cmdlets the roles make visible, with their parameter constraints (null: unconstrained).</summary>
        public IReadOnlyDictionary<string, Hashtable[]> VisibleCmdlets => _visible;

        /// <summary>The session state to open the runspace with; call <see cref="Restrict"/> once it is open.</summary>
        public InitialSessionState Create()
        {
            // What SessionType = 'RestrictedRemoteServer' gives (InitialSessionState.CreateRestricted needs the
            // console host too): NoLanguage, every engine command private but the few a session needs.
            var iss = InitialSessionState.CreateDefault2();
            foreach (var entry in iss.Commands)
            {
                entry.Visibility = RemoteServerCommands.Contains(entry.Name) ? SessionStateEntryVisibility.Public : SessionStateEntryVisibility.Private;
            }

            iss.LanguageMode = PSLanguageMode.NoLanguage;
            iss.ImportPSModule(_modules.Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
            foreach (var proxy in ProxyFunctions())
            {
                // Session-state functions are engine code: they run even though the user's language is NoLanguage.
                iss.Commands.Add(new SessionStateFunctionEntry(proxy.Key, proxy.Value));
            }

            return iss;
        }

        /// <summary>After Open: hides every cmdlet of the imported modules that the roles do not grant unconstrained.</summary>
        public void Restrict(Runspace runspace)
        {
            var modules = _modules.ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var cmdlet in runspace.SessionStateProxy.InvokeCommand.GetCmdlets().Where(c => modules.Contains(c.ModuleName ?? string.Empty)))
            {
                var granted = _visible.TryGetValue(cmdlet.Name, out var parameters);
                if (!granted || parameters != null)
                {
                    cmdlet.Visibility = SessionStateEntryVisibility.Private;
                }
            }
        }

        /// <summary>For each constrained cmdlet, a proxy with only the granted parameters and their validation.</summary>
        private Dictionary<string, string> ProxyFunctions()
        {
            var proxies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var constrained = _visible.Where(v => v.Value != null).ToList();
            if (constrained.Count == 0)
            {
                return proxies;
            }

            var scratch = InitialSessionState.CreateDefault2();
            scratch.ImportPSModule(_modules.Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
            using (var runspace = RunspaceFactory.CreateRunspace(scratch))
            {
                runspace.Open();
                foreach (var grant in constrained)
                {
                    var cmdlet = runspace.SessionStateProxy.InvokeCommand.GetCmdlet(grant.Key)
                        ?? throw new InvalidOperationException("the role grants " + grant.Key + ", which no imported module has");
                    var metadata = new CommandMetadata(cmdlet);
                    var allowed = grant.Value.Select(p => (string)p["Name"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (var name in metadata.Parameters.Keys.ToList())
                    {
                        if (!allowed.Contains(name) && !IsCommonOrShouldProcess(name))
                        {
                            metadata.Parameters.Remove(name);
                        }
                    }

                    foreach (var p in grant.Value)
                    {
                        var parameter = metadata.Parameters[(string)p["Name"]];
                        if (p["ValidateSet"] != null)
                        {
                            parameter.Attributes.Add(new ValidateSetAttribute(Items(p["ValidateSet"]).Select(v => v.ToString()).ToArray()));
                        }

                        if (p["ValidatePattern"] != null)
                        {
                            parameter.Attributes.Add(new ValidatePatternAttribute(p["ValidatePattern"].ToString()));
                        }
                    }

                    proxies[grant.Key] = ProxyCommand.Create(metadata);
                }
            }

            return proxies;
        }

        private static bool IsCommonOrShouldProcess(string name)
        {
            return Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);
        }

        private static IEnumerable<object> Items(object value)
        {
            if (value == null)
            {
                return Enumerable.Empty<object>();
            }

            return value is object[] array ? array : new[] { value };
        }

        /// <summary>Reads a .psrc as PowerShell reads data files: no code runs.</summary>
        public static Hashtable ReadDataFile(string path)
        {
            var ast = Parser.ParseFile(path, out _, out var errors);
            if (errors.Length > 0)
            {
                throw new InvalidOperationException(path + ": " + errors[0].Message);
            }

            return (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)).SafeGetValue();
        }
    }
}
