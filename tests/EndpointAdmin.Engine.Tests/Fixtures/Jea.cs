using System;
using System.Collections;
using System.IO;
using System.Linq;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The shipped JEA pieces: the role capability files in the built module, assigned to groups
    /// by the sample session configuration (docs/examples/EndpointAdmin.pssc), made into restricted
    /// runspaces (see JeaSessionState; the Pester suite also runs the engine's own reader in pwsh).
    /// </summary>
    internal static class Jea
    {
        public const string Operators = @"CONTOSO\EndpointOperators";
        public const string FirewallAdmins = @"CONTOSO\EndpointFirewallAdmins";

        public static string SourceRoleFolder => Path.Combine(InProcessPowerShell.RepositoryRoot, "src", "EndpointAdmin", "RoleCapabilities");

        public static string SamplePath => Path.Combine(InProcessPowerShell.RepositoryRoot, "docs", "examples", "EndpointAdmin.pssc");

        /// <summary>The built module's version folder (out/EndpointAdmin/&lt;ModuleVersion&gt;).</summary>
        public static string BuiltModuleFolder
        {
            get
            {
                var manifest = EngineFixture.ReadManifest(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1"));
                return Path.Combine(InProcessPowerShell.ModulePath, (string)manifest["ModuleVersion"]);
            }
        }

        /// <summary>The built module's role files that the sample configuration gives a group.</summary>
        public static string[] RoleFilesOf(string group)
        {
            var configuration = EngineFixture.ReadManifest(SamplePath);
            Assert.Equal("RestrictedRemoteServer", configuration["SessionType"]);
            var definition = (Hashtable)((Hashtable)configuration["RoleDefinitions"])[group];
            Assert.NotNull(definition);
            // The sample names the files where Windows installs the module; here they are in out/.
            return EngineFixture.Strings(definition["RoleCapabilityFiles"])
                .Select(f => Path.Combine(BuiltModuleFolder, "RoleCapabilities", f.Split('\\').Last()))
                .ToArray();
        }

        /// <summary>A restricted runspace for one group of the sample configuration, in this process.</summary>
        public static InProcessPowerShell Open(string group)
        {
            EnsureModulePath();
            return new InProcessPowerShell(new JeaSessionState(RoleFilesOf(group)));
        }

        /// <summary>EndpointAdmin.Host arguments that make a NamespacedShell a JEA runspace for the group.</summary>
        public static string HostArguments(string group)
        {
            EnsureModulePath();
            return "-RoleCapabilityFiles " + string.Join(",", RoleFilesOf(group));
        }

        /// <summary>The roles import the module by name (ModulesToImport), as an endpoint does from its module path.</summary>
        private static void EnsureModulePath()
        {
            var modules = Environment.GetEnvironmentVariable("PSModulePath") ?? string.Empty;
            var outFolder = Path.GetDirectoryName(InProcessPowerShell.ModulePath);
            if (!modules.Split(Path.PathSeparator).Contains(outFolder))
            {
                Environment.SetEnvironmentVariable("PSModulePath", outFolder + Path.PathSeparator + modules);
            }
        }
    }
}
