using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace EndpointAdmin.Host
{
    /// <summary>
    /// One runspace of the real PowerShell engine, in this process, with the built EndpointAdmin
    /// module imported. State (variables, $Error, the module) lives on across Invoke calls, as in
    /// an interactive session. The host is Microsoft.PowerShell.SDK, so the standard modules pwsh ships
    /// (Utility, Management, Security) load as they do in pwsh; WindowsPowerShellSurfaceTests checks
    /// that the module itself needs none of them.
    /// </summary>
    public sealed class InProcessPowerShell : IDisposable
    {
        private readonly Runspace _runspace;
        private readonly InProcessHost _host;

        public InProcessPowerShell(bool importModule = true, int width = 160, bool echo = false, InitialSessionState sessionState = null, string modulePath = null)
            : this(importModule, width, echo, sessionState, modulePath, null)
        {
        }

        /// <summary>A JEA runspace made from role capability files (see <see cref="JeaSessionState"/>); the roles import the module.</summary>
        public InProcessPowerShell(JeaSessionState roles, int width = 160)
            : this(false, width, false, roles.Create(), null, roles)
        {
        }

        private InProcessPowerShell(bool importModule, int width, bool echo, InitialSessionState sessionState, string modulePath, JeaSessionState roles)
        {
            _host = new InProcessHost(width, echo);
            var iss = sessionState ?? InitialSessionState.CreateDefault2();
            if (sessionState == null && OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            _runspace = RunspaceFactory.CreateRunspace(_host, iss);
            _runspace.Open();
            roles?.Restrict(_runspace);

            // Plain text unless a person watches a real terminal: tests and logs read no ANSI codes.
            if (!echo || Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") != null)
            {
                _host.HostUI.PlainText = true;
                if (roles == null)
                {
                    Invoke("$PSStyle.OutputRendering = 'PlainText'");
                }
            }
            if (importModule)
            {
                var result = Invoke("Import-Module -Name $args[0] -ErrorAction Stop", modulePath ?? ModulePath);
                if (result.Failed)
                {
                    throw new InvalidOperationException("Importing " + (modulePath ?? ModulePath) + " failed: " + result.Describe());
                }
            }
        }

        public Runspace Runspace => _runspace;

        /// <summary>The repository checkout this host runs in (the folder that holds EndpointAdmin.sln).</summary>
        public static string RepositoryRoot { get; } = FindRepositoryRoot();

        /// <summary>The laid-out module folder (out/EndpointAdmin), which holds one folder per version.</summary>
        public static string ModulePath => Path.Combine(RepositoryRoot, "out", "EndpointAdmin");

        /// <summary>Runs script text; $args holds the arguments. Output stays objects (not rendered).</summary>
        public PowerShellResult Invoke(string script, params object[] args)
        {
            return Run(script, args, render: false);
        }

        /// <summary>Runs script text and renders its output through Out-Default, as a console would.</summary>
        public PowerShellResult InvokeRendered(string script, params object[] args)
        {
            return Run(script, args, render: true);
        }

        private PowerShellResult Run(string script, object[] args, bool render)
        {
            _host.HostUI.Clear();
            // A NoLanguage (JEA) runspace takes no script text: as a remoting client does, send the
            // command pipeline the text describes (constant arguments only).
            var noLanguage = _runspace.SessionStateProxy.LanguageMode == PSLanguageMode.NoLanguage;
            PowerShell converted = null;
            if (noLanguage)
            {
                try
                {
                    converted = ScriptBlock.Create(script).GetPowerShell();
                }
                catch (RuntimeException ex)
                {
                    // What the endpoint answers for text that is not a plain command pipeline.
                    return new PowerShellResult(new Collection<PSObject>(), new List<ErrorRecord>(), new List<string>(), new List<string>(), new List<string>(), new List<InformationRecord>(), ex, string.Empty, true);
                }
            }

            using (var ps = converted ?? PowerShell.Create())
            {
                ps.Runspace = _runspace;
                if (!noLanguage)
                {
                    ps.AddScript(script);
                }

                foreach (var a in args ?? Array.Empty<object>())
                {
                    ps.AddArgument(a);
                }

                if (render)
                {
                    ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
                    ps.AddCommand("Out-Default");
                }

                Collection<PSObject> output = new Collection<PSObject>();
                Exception terminating = null;
                try
                {
                    output = ps.Invoke();
                }
                catch (RuntimeException ex)
                {
                    terminating = ex;
                }

                return new PowerShellResult(
                    output,
                    new List<ErrorRecord>(ps.Streams.Error),
                    Texts(ps.Streams.Warning),
                    Texts(ps.Streams.Verbose),
                    Texts(ps.Streams.Debug),
                    new List<InformationRecord>(ps.Streams.Information),
                    terminating,
                    _host.HostUI.Text,
                    ps.HadErrors);
            }
        }

        private static List<string> Texts<T>(PSDataCollection<T> records)
            where T : InformationalRecord
        {
            var list = new List<string>();
            foreach (var r in records)
            {
                list.Add(r.Message);
            }

            return list;
        }

        private static string FindRepositoryRoot()
        {
            var candidates = new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
            foreach (var start in candidates)
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "EndpointAdmin.sln")))
                    {
                        return dir.FullName;
                    }
                }
            }

            return Directory.GetCurrentDirectory();
        }

        public void Dispose()
        {
            _runspace.Dispose();
        }
    }

    /// <summary>Everything one invocation produced, stream by stream.</summary>
    public sealed class PowerShellResult
    {
        public PowerShellResult(Collection<PSObject> output, List<ErrorRecord> errors, List<string> warnings, List<string> verbose, List<string> debug, List<InformationRecord> information, Exception terminating, string hostText, bool hadErrors)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Debug = debug;
            Information = information;
            Terminating = terminating;
            HostText = hostText;
            HadErrors = hadErrors;
        }

        public Collection<PSObject> Output { get; }
        public List<ErrorRecord> Errors { get; }
        public List<string> Warnings { get; }
        public List<string> Verbose { get; }
        public List<string> Debug { get; }
        public List<InformationRecord> Information { get; }

        /// <summary>The exception that stopped the pipeline (a terminating error), if any.</summary>
        public Exception Terminating { get; }

        /// <summary>The ErrorRecord of the terminating error, if any.</summary>
        public ErrorRecord TerminatingError => (Terminating as IContainsErrorRecord)?.ErrorRecord;

        /// <summary>Text written to the host: rendered output, Write-Host.</summary>
        public string HostText { get; }

        public bool HadErrors { get; }

        public bool Failed => Terminating != null || Errors.Count > 0;

        public string Describe()
        {
            var parts = new List<string>();
            if (Terminating != null)
            {
                parts.Add("terminating: " + (TerminatingError?.FullyQualifiedErrorId ?? Terminating.GetType().Name) + ": " + Terminating.Message);
            }

            foreach (var e in Errors)
            {
                parts.Add("error: " + e.FullyQualifiedErrorId + ": " + e.Exception?.Message);
            }

            return string.Join(Environment.NewLine, parts);
        }
    }
}
