using System.Linq;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>The in-process host (tests/EndpointAdmin.Host) as a child process: for what the test process itself cannot be (another namespace, another TLS library configuration).</summary>
    internal static class HostProcess
    {
        /// <summary>Runs script text; prefix is a wrapper command such as "ip netns exec ns". Returns the rendered output.</summary>
        public static string Run(string script, System.Collections.Generic.IDictionary<string, string> environment, params string[] prefix)
        {
            var host = typeof(InProcessPowerShell).Assembly.Location;
            var command = prefix.Concat(new[] { "dotnet", host, "-Width", "400", "-Command", script }).ToArray();
            var result = NetworkNamespace.Run(command[0], command.Skip(1), environment, timeoutMs: 120_000);
            Assert.True(result.ExitCode == 0, "the host exited " + result.ExitCode + ": " + result.Error + result.Output);
            return result.Output;
        }
    }
}
