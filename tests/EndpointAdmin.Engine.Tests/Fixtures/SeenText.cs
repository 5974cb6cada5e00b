using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
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
