using System;
using System.Collections;
using System.Collections.Generic;
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

    internal static class Assertions
    {
        public const string CommandNamespace = "EndpointAdmin.Commands.";

        /// <summary>Asserts one error of the given id, category and target, as scripts see it.</summary>
        public static ErrorRecord SingleError(PowerShellResult result, string errorId, string commandClass, ErrorCategory category, object target = null)
        {
            Assert.Null(result.Terminating);
            var error = Assert.Single(result.Errors);
            Assert.Equal(errorId + "," + CommandNamespace + commandClass, error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            if (target != null)
            {
                Assert.Equal(target, error.TargetObject);
            }

            return error;
        }

        /// <summary>A property of an output object, read as PowerShell reads it (works for deserialized objects too).</summary>
        public static object Prop(PSObject o, string name)
        {
            var property = o.Properties[name];
            Assert.True(property != null, "no property " + name + " on " + string.Join(",", o.TypeNames));
            return property.Value;
        }

        public static string Text(PSObject o, string name) => Prop(o, name)?.ToString();

        public static List<PSObject> Succeeded(PowerShellResult result)
        {
            Assert.False(result.Failed, result.Describe());
            return result.Output.ToList();
        }
    }
}
