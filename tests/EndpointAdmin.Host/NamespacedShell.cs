using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Host
{
    /// <summary>
    /// An in-process engine with the module imported, running in another process inside a network
    /// namespace (EndpointAdmin.Host -Serve under "ip netns exec"). The whole process lives in the
    /// namespace, so nft, sockets and the module's firewall backend all see the namespace and never
    /// the host. Scripts go in as text; results come back as CliXml, as remoting returns them.
    /// </summary>
    public sealed class NamespacedShell : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _stderr = new System.Text.StringBuilder();

        /// <param name="ns">The namespace the engine runs in.</param>
        /// <param name="hostArguments">More arguments for EndpointAdmin.Host -Serve, e.g. "-RoleCapabilityFiles a.psrc,b.psrc" for a JEA runspace.</param>
        public NamespacedShell(NetworkNamespace ns, string hostArguments = null)
        {
            Namespace = ns;
            var hostDll = typeof(InProcessPowerShell).Assembly.Location;
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
            {
                dotnet = Environment.ProcessPath != null && Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath : "dotnet";
            }

            var psi = new ProcessStartInfo("ip", "netns exec " + ns.Name + " " + dotnet + " " + hostDll + " -Serve" + (hostArguments == null ? string.Empty : " " + hostArguments))
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            _process = Process.Start(psi);
            _process.ErrorDataReceived += (s, e) =>
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            };
            _process.BeginErrorReadLine();
        }

        public NetworkNamespace Namespace { get; }

        /// <summary>Runs script text in the namespaced engine; output objects come back deserialized.</summary>
        public RemoteResult Invoke(string script)
        {
            return Send("O", script);
        }

        /// <summary>Runs script text and renders its output with the format views, as a console would.</summary>
        public RemoteResult InvokeRendered(string script)
        {
            return Send("R", script);
        }

        private RemoteResult Send(string mode, string script)
        {
            _process.StandardInput.WriteLine(mode + Convert.ToBase64String(Encoding.UTF8.GetBytes(script)));
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine();
            if (line == null)
            {
                _process.WaitForExit(5000);
                lock (_stderr)
                {
                    throw new InvalidOperationException("the namespaced engine exited (code " + (_process.HasExited ? _process.ExitCode.ToString() : "?") + "): " + _stderr);
                }
            }

            var table = (Hashtable)RemoteResult.Unwrap(PSSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(line))));
            return new RemoteResult(table);
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10000))
                {
                    _process.Kill(true);
                }
            }
            finally
            {
                _process.Dispose();
            }
        }

        /// <summary>The server side: reads "O|R" + base64 script lines, answers one base64 CliXml line each.</summary>
        internal static int Serve(bool importModule, int width, JeaSessionState roles = null)
        {
            var stdout = Console.Out;
            // Nothing but answers may reach standard output.
            Console.SetOut(TextWriter.Null);
            using (var ps = roles != null ? new InProcessPowerShell(roles, width) : new InProcessPowerShell(importModule, width, echo: false))
            {
                string line;
                while ((line = Console.In.ReadLine()) != null)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    var script = Encoding.UTF8.GetString(Convert.FromBase64String(line.Substring(1)));
                    var r = line[0] == 'R' ? ps.InvokeRendered(script) : ps.Invoke(script);
                    var table = new Hashtable
                    {
                        ["Output"] = r.Output.ToArray(),
                        ["Errors"] = r.Errors.Select(Describe).ToArray(),
                        ["Warnings"] = r.Warnings.ToArray(),
                        ["Verbose"] = r.Verbose.ToArray(),
                        ["Information"] = r.Information.Select(i => i.MessageData?.ToString()).ToArray(),
                        ["Terminating"] = r.TerminatingError != null ? Describe(r.TerminatingError) : (r.Terminating != null ? new Hashtable { ["Id"] = r.Terminating.GetType().Name, ["Message"] = r.Terminating.Message } : null),
                        ["HostText"] = r.HostText,
                    };
                    var xml = PSSerializer.Serialize(table, 4);
                    stdout.WriteLine(Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)));
                    stdout.Flush();
                }
            }

            return 0;
        }

        private static Hashtable Describe(ErrorRecord e)
        {
            return new Hashtable
            {
                ["Id"] = e.FullyQualifiedErrorId,
                ["Category"] = e.CategoryInfo.Category.ToString(),
                ["Target"] = e.TargetObject,
                ["Message"] = e.Exception?.Message,
                ["RecommendedAction"] = e.ErrorDetails?.RecommendedAction,
            };
        }
    }

    /// <summary>What a namespaced invocation produced, stream by stream.</summary>
    public sealed class RemoteResult
    {
        internal RemoteResult(Hashtable t)
        {
            Output = List<PSObject>(t["Output"]).ToList();
            Errors = List<object>(t["Errors"]).Select(e => new RemoteError((Hashtable)Unwrap(e))).ToList();
            Warnings = List<object>(t["Warnings"]).Select(o => o?.ToString()).ToList();
            Verbose = List<object>(t["Verbose"]).Select(o => o?.ToString()).ToList();
            Information = List<object>(t["Information"]).Select(o => o?.ToString()).ToList();
            Terminating = Unwrap(t["Terminating"]) is Hashtable term ? new RemoteError(term) : null;
            HostText = Unwrap(t["HostText"])?.ToString() ?? string.Empty;
        }

        public List<PSObject> Output { get; }
        public List<RemoteError> Errors { get; }
        public List<string> Warnings { get; }
        public List<string> Verbose { get; }
        public List<string> Information { get; }
        public RemoteError Terminating { get; }
        public string HostText { get; }

        public bool Failed => Terminating != null || Errors.Count > 0;

        public string Describe()
        {
            var parts = new List<string>();
            if (Terminating != null)
            {
                parts.Add("terminating: " + Terminating);
            }

            parts.AddRange(Errors.Select(e => "error: " + e));
            return string.Join(Environment.NewLine, parts);
        }

        internal static object Unwrap(object o)
        {
            return o is PSObject p ? p.BaseObject : o;
        }

        private static IEnumerable<T> List<T>(object value)
        {
            value = Unwrap(value);
            if (value == null)
            {
                yield break;
            }

            if (value is IEnumerable e && !(value is string))
            {
                foreach (var item in e)
                {
                    yield return (T)(typeof(T) == typeof(PSObject) ? (object)(item as PSObject ?? new PSObject(item)) : item);
                }
            }
            else
            {
                yield return (T)(typeof(T) == typeof(PSObject) ? (object)new PSObject(value) : value);
            }
        }
    }

    /// <summary>An error record as it came back: FullyQualifiedErrorId, category, target, message.</summary>
    public sealed class RemoteError
    {
        internal RemoteError(Hashtable t)
        {
            Id = RemoteResult.Unwrap(t["Id"])?.ToString();
            Category = RemoteResult.Unwrap(t["Category"])?.ToString();
            Target = RemoteResult.Unwrap(t["Target"]);
            Message = RemoteResult.Unwrap(t["Message"])?.ToString();
            RecommendedAction = RemoteResult.Unwrap(t["RecommendedAction"])?.ToString();
        }

        public string Id { get; }
        public string Category { get; }
        public object Target { get; }
        public string Message { get; }
        public string RecommendedAction { get; }

        public override string ToString()
        {
            return Id + " [" + Category + "] " + Message;
        }
    }
}
