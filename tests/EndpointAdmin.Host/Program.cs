using System;
using System.IO;
using System.Linq;

namespace EndpointAdmin.Host
{
    /// <summary>
    /// Runs PowerShell text against the built module where pwsh is not installed:
    ///   EndpointAdmin.Host [-NoModule] [-Width N] -Command "&lt;script&gt;"
    ///   EndpointAdmin.Host [-NoModule] [-Width N] -File script.ps1 [arguments]
    ///   EndpointAdmin.Host [-NoModule] -Serve      (scripts on stdin, CliXml results on stdout)
    /// Output is rendered with the module's format views. Exit code: the script's own exit code,
    /// else 1 when any error was written, else 0.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] argv)
        {
            bool importModule = true;
            // The console's width when a person watches, a wide fixed one for logs and pipes.
            int width = 160;
            if (!Console.IsOutputRedirected)
            {
                try { width = Math.Max(80, Console.WindowWidth); } catch (IOException) { }
            }

            string script = null;
            object[] scriptArgs = Array.Empty<object>();
            if (argv.Any(a => a.Equals("-Serve", StringComparison.OrdinalIgnoreCase)))
            {
                // Scripts on standard input, CliXml answers on standard output (see NamespacedShell).
                // -RoleCapabilityFiles a.psrc,b.psrc: a JEA runspace made from those roles (see JeaSessionState).
                var roles = Array.FindIndex(argv, a => a.Equals("-RoleCapabilityFiles", StringComparison.OrdinalIgnoreCase));
                var jea = roles >= 0 && roles + 1 < argv.Length ? new JeaSessionState(argv[roles + 1].Split(',')) : null;
                return NamespacedShell.Serve(!argv.Any(a => a.Equals("-NoModule", StringComparison.OrdinalIgnoreCase)), 160, jea);
            }

            for (int i = 0; i < argv.Length; i++)
            {
                var a = argv[i];
                if (a.Equals("-NoModule", StringComparison.OrdinalIgnoreCase))
                {
                    importModule = false;
                }
                else if (a.Equals("-Width", StringComparison.OrdinalIgnoreCase) && i + 1 < argv.Length)
                {
                    width = int.Parse(argv[++i]);
                }
                else if (a.Equals("-File", StringComparison.OrdinalIgnoreCase) && i + 1 < argv.Length)
                {
                    var path = Path.GetFullPath(argv[++i]);
                    script = ". { param($__path, [object[]]$__rest) & $__path @__rest } $args[0] $args[1]";
                    scriptArgs = new object[] { path, argv.Skip(i + 1).ToArray() };
                    break;
                }
                else if (a.Equals("-Command", StringComparison.OrdinalIgnoreCase) && i + 1 < argv.Length)
                {
                    script = string.Join(" ", argv.Skip(i + 1));
                    break;
                }
                else
                {
                    script = string.Join(" ", argv.Skip(i));
                    break;
                }
            }

            if (string.IsNullOrWhiteSpace(script))
            {
                Console.Error.WriteLine("usage: EndpointAdmin.Host [-NoModule] [-Width N] (-Command <script> | -File <path> [args])");
                return 2;
            }

            try
            {
                using (var ps = new InProcessPowerShell(importModule, width, echo: true))
                {
                    var result = ps.InvokeRendered(script, scriptArgs);
                    if (result.Terminating != null)
                    {
                        Console.Error.WriteLine(result.Terminating.Message);
                    }

                    var exit = ps.Runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
                    if (result.Terminating != null || result.HadErrors)
                    {
                        return exit is int code && code != 0 ? code : 1;
                    }

                    return exit is int c ? c : 0;
                }
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        }
    }
}
