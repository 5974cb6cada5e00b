using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
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
}
