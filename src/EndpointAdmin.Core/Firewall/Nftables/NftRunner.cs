using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Firewall.Nftables
{
    /// <summary>
    /// Runs the nft command. A run is one nft process, and one "-f -" run is one kernel transaction:
    /// that is what makes an invocation's changes all-or-nothing. Used where libnftables cannot be
    /// loaded, and by the core tests, whose command line prefix runs nft inside a network namespace
    /// ("ip netns exec ns nft").
    /// </summary>
    internal sealed class NftRunner : INft
    {
        private static readonly string[] SystemDirectories = { "/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin" };
        private readonly string _executable;
        private readonly string _prefix;

        public NftRunner(string executable = null, string prefixArguments = null)
        {
            _executable = executable;
            _prefix = prefixArguments;
        }

        public NftResult ListTable(string family, string table)
        {
            return Run("-j list table " + family + " " + table);
        }

        public NftResult RunJson(string json, bool checkOnly)
        {
            return Run(checkOnly ? "-c -j -f -" : "-j -f -", json);
        }

        /// <summary>Runs nft with <paramref name="arguments"/>, writing <paramref name="input"/> to its standard input.</summary>
        private NftResult Run(string arguments, string input = null)
        {
            var psi = new ProcessStartInfo(_executable ?? Locate(), (_prefix == null ? string.Empty : _prefix + " ") + arguments)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            // nft's messages are matched in English (e.g. "Operation not permitted").
            psi.EnvironmentVariables["LC_ALL"] = "C";
            try
            {
                using (var p = Process.Start(psi))
                {
                    var stdout = p.StandardOutput.ReadToEndAsync();
                    var stderr = p.StandardError.ReadToEndAsync();
                    if (input != null)
                    {
                        p.StandardInput.Write(input);
                    }

                    p.StandardInput.Close();
                    p.WaitForExit();
                    return new NftResult { ExitCode = p.ExitCode, Output = stdout.Result, Error = stderr.Result };
                }
            }
            catch (Win32Exception ex)
            {
                throw NotInstalled(ex);
            }
        }

        private static string Locate()
        {
            var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            var found = path.Split(Path.PathSeparator).Concat(SystemDirectories)
                .Where(d => d.Length > 0)
                .Select(d => Path.Combine(d, "nft"))
                .FirstOrDefault(File.Exists);
            if (found == null)
            {
                throw NotInstalled(null);
            }

            return found;
        }

        internal static EndpointAdminException NotInstalled(Exception inner)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallBackendNotInstalled,
                ErrorKind.NotInstalled,
                "nft",
                "The nft command (nftables) was not found on this machine.",
                inner)
            {
                RecommendedAction = "Install nftables (for example 'apt-get install nftables' or 'dnf install nftables') and run again.",
            };
        }
    }
}
