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

        /// <summary>
        /// Every text of a run that a user can see or keep: output, errors (with their details,
        /// exception and target), warnings, verbose, debug, information, the terminating error and
        /// the host's text. The secret-leak tests scan exactly these.
        /// </summary>
        public static IEnumerable<string> AllText(PowerShellResult r)
        {
            var texts = new List<string>();
            texts.AddRange(r.Output.Select(o => o?.ToString()));
            texts.AddRange(r.Errors.Select(e => e.ToString() + e.ErrorDetails?.Message + e.ErrorDetails?.RecommendedAction + e.Exception + e.TargetObject));
            texts.AddRange(r.Warnings);
            texts.AddRange(r.Verbose);
            texts.AddRange(r.Debug);
            texts.AddRange(r.Information.Select(i => i.ToString()));
            texts.Add(r.Terminating?.ToString());
            texts.Add(r.HostText);
            return texts.Where(t => t != null);
        }
    }

    /// <summary>The text a leak test has seen: the streams of its runs (Assertions.AllText) and the CliXml of output and $Error.</summary>
    internal sealed class SeenText
    {
        private readonly List<string> _texts = new List<string>();

        public void Add(PowerShellResult result) => _texts.AddRange(Assertions.AllText(result));

        /// <summary>Adds the CliXml of what <paramref name="outputScript"/> writes and of $Error, as an export or a remoting client keeps them; returns how many records $Error holds.</summary>
        public int AddCliXml(InProcessPowerShell shell, string outputScript, params object[] args)
        {
            var clixml = Assertions.Succeeded(shell.Invoke("$all = @(" + outputScript + @")
                $all | ConvertTo-CliXml -Depth 5
                $global:Error | ConvertTo-CliXml -Depth 5
                @($global:Error).Count", args));
            _texts.AddRange(clixml.Take(clixml.Count - 1).Select(o => o.ToString()));
            return (int)clixml[^1].BaseObject;
        }

        /// <summary>Asserts the runs did write <paramref name="text"/> somewhere (so the scan looked at real traffic).</summary>
        public void AssertContains(string text, string because)
        {
            Assert.True(_texts.Any(t => t.Contains(text, StringComparison.Ordinal)), because);
        }

        public void AssertNoneContains(IEnumerable<string> secrets)
        {
            var list = secrets.ToList();
            Assert.NotEmpty(_texts);
            foreach (var text in _texts)
            {
                foreach (var secret in list)
                {
                    Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                }
            }
        }
    }
}
