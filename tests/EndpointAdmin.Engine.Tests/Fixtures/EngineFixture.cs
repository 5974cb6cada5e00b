using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>One runspace with the built module imported, shared by the tests of one class (xUnit runs them one at a time).</summary>
    public sealed class EngineFixture : IDisposable
    {
        public EngineFixture()
        {
            Shell = new InProcessPowerShell();
            var module = Shell.Invoke("Get-Module EndpointAdmin");
            Assert.False(module.Failed, module.Describe());
            Module = (PSModuleInfo)Assert.Single(module.Output).BaseObject;
        }

        public InProcessPowerShell Shell { get; }

        public PSModuleInfo Module { get; }

        /// <summary>The cmdlet assembly the engine actually loaded from out/.</summary>
        public Assembly ModuleAssembly => Module.ImplementingAssembly;

        public PowerShellResult Run(string script, params object[] args) => Shell.Invoke(script, args);

        public void Dispose() => Shell.Dispose();

        /// <summary>The source manifest, read the way PowerShell reads data files (no code runs).</summary>
        public static Hashtable ReadManifest(string path)
        {
            var ast = Parser.ParseFile(path, out _, out var errors);
            Assert.Empty(errors);
            var hashtable = ast.Find(a => a is HashtableAst, false);
            return (Hashtable)((HashtableAst)hashtable).SafeGetValue();
        }

        public static string[] Strings(object value)
        {
            if (value is object[] array)
            {
                return array.Select(o => o.ToString()).ToArray();
            }

            return value == null ? new string[0] : new[] { value.ToString() };
        }
    }
}
