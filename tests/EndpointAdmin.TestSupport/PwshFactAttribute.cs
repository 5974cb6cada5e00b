using System;
using System.IO;
using Xunit;

namespace EndpointAdmin.TestSupport
{
    /// <summary>
    /// A test that runs the real pwsh (scripts as a scheduled task runs them, remoting). Where pwsh
    /// is not installed it is reported as skipped with the reason, never as passed.
    /// </summary>
    public sealed class PwshFactAttribute : FactAttribute
    {
        public PwshFactAttribute()
        {
            if (Pwsh.Path == null)
            {
                Skip = Pwsh.Missing;
            }
        }
    }

    public static class Pwsh
    {
        public const string Missing = "pwsh (PowerShell 7) is not installed on this machine";

        /// <summary>The pwsh on PATH, or null.</summary>
        public static string Path { get; } = Find();

        private static string Find()
        {
            var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator))
            {
                if (dir.Length > 0 && File.Exists(System.IO.Path.Combine(dir, name)))
                {
                    return System.IO.Path.Combine(dir, name);
                }
            }

            return null;
        }
    }
}
