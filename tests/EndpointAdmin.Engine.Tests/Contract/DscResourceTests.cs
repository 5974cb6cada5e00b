using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using EndpointAdmin.Simulators;
using EndpointAdmin.TestSupport;
using Json.Schema;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The DSC v3 command resource EndpointAdmin/AgentBaseline as DSC sees it (the dsc binary is not
    /// available here): the shipped manifest against DSC's published manifest schema, and the
    /// shipped entry point started exactly as the manifest tells DSC to start it — the method's
    /// executable and args, the module folder as working directory, the instance as JSON on stdin —
    /// inside a network namespace of the test's own, so only that namespace's nftables change.
    /// </summary>
    public sealed class DscResourceTests
    {
        private const string ManifestName = "EndpointAdmin.AgentBaseline.dsc.resource.json";

        // Catalog rules (7 SES Evolution agent handler rules) and a rule of its own; undeclared EndpointAdmin rules removed.
        private const string AgentHandler = "{\"hostFirewall\":{\"rules\":[{\"product\":\"SesEvolution\",\"version\":\"2.7.1\",\"component\":\"AgentHandler\"}],"
            + "\"extraRules\":[{\"DisplayName\":\"Mgmt SSH\",\"Direction\":\"Inbound\",\"Protocol\":\"TCP\",\"LocalPort\":22}],\"Unmanaged\":\"Remove\"}}";

        private static string ModuleFolder
        {
            get
            {
                var version = Regex.Match(File.ReadAllText(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1")), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
                return Path.Combine(InProcessPowerShell.ModulePath, version);
            }
        }

        private static JsonObject Manifest => JsonNode.Parse(File.ReadAllText(Path.Combine(ModuleFolder, ManifestName))).AsObject();

        [Fact]
        public void TheShippedManifestIsValidAgainstDscsPublishedManifestSchema()
        {
            var source = File.ReadAllText(Path.Combine(InProcessPowerShell.RepositoryRoot, "src", "EndpointAdmin", ManifestName));
            Assert.Equal(source, File.ReadAllText(Path.Combine(ModuleFolder, ManifestName)));
            var result = ManifestSchema().Evaluate(JsonDocument.Parse(source).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, Describe(result));
        }

        [Theory]
        [InlineData("whatIf", "return", null)]                 // whatIf must say what it returns
        [InlineData("test", "return", "\"everything\"")]        // state or stateAndDiff only
        [InlineData("exitCodes", "zero", "\"Success\"")]        // exit codes are integers
        [InlineData(null, "type", "\"EndpointAdmin.AgentBaseline\"")] // Owner/Name
        public void TheSchemaRefusesAManifestThatBreaksDscsRules(string parent, string key, string json)
        {
            // The validator is not vacuous: the shipped manifest with one rule broken fails it.
            var manifest = Manifest;
            var node = parent == null ? manifest : manifest[parent].AsObject();
            if (json == null)
            {
                node.Remove(key);
            }
            else
            {
                node[key] = JsonNode.Parse(json);
            }

            var result = ManifestSchema().Evaluate(JsonDocument.Parse(manifest.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.False(result.IsValid);
        }

        [Fact]
        public void TheManifestRunsTheShippedEntryPointWithStdinAndReturnsStateAndDiff()
        {
            var manifest = Manifest;
            var psd1 = File.ReadAllText(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1"));
            Assert.Equal(Regex.Match(psd1, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value, (string)manifest["version"]);
            Assert.Equal("EndpointAdmin/AgentBaseline", (string)manifest["type"]);
            foreach (var method in new[] { "get", "set", "whatIf", "test", "export" })
            {
                var m = manifest[method].AsObject();
                Assert.Equal("pwsh", (string)m["executable"]);
                Assert.Equal("stdin", (string)m["input"]);
                var args = m["args"].AsArray().Select(a => (string)a).ToList();
                var script = args[args.IndexOf("-File") + 1];
                Assert.True(File.Exists(Path.Combine(ModuleFolder, script)), script + " is not beside the manifest");
                Assert.Equal(method, args[args.IndexOf("-Operation") + 1]);
            }

            foreach (var method in new[] { "set", "whatIf", "test" })
            {
                Assert.Equal("stateAndDiff", (string)manifest[method]["return"]);
            }

            var embedded = manifest["schema"]["embedded"].AsObject();
            Assert.Equal("https://aka.ms/dsc/schemas/v3/resource/properties/inDesiredState.json", (string)embedded["properties"]["_inDesiredState"]["$ref"]);
            Assert.Equal(new[] { "0", "1", "2", "3" }, manifest["exitCodes"].AsObject().Select(p => p.Key).ToArray());
        }

        [Fact]
        public void TheEmbeddedInstanceSchemaTakesABaselineInAnyCaseAndRefusesOtherProperties()
        {
            var registry = new SchemaRegistry();
            // The standard property's schema, from the bundled manifest schema, under the address the manifest names.
            var bundled = JsonNode.Parse(File.ReadAllText(SchemaFile)).AsObject();
            var inDesiredState = bundled["$defs"].AsObject().Single(d => d.Key.EndsWith("/properties/inDesiredState.json", StringComparison.Ordinal)).Value.DeepClone().AsObject();
            inDesiredState["$id"] = "https://aka.ms/dsc/schemas/v3/resource/properties/inDesiredState.json";
            registry.Register(JsonSchema.FromText(inDesiredState.ToJsonString(), new BuildOptions { SchemaRegistry = registry }));
            var schema = JsonSchema.FromText(Manifest["schema"]["embedded"].ToJsonString(), new BuildOptions { SchemaRegistry = registry });

            bool Valid(string instance) => schema.Evaluate(JsonDocument.Parse(instance).RootElement).IsValid;
            Assert.True(Valid(AgentHandler));
            Assert.True(Valid("{\"HostFirewall\":{\"ExtraRules\":[]},\"Managers\":[{\"Product\":\"DeepSecurity\",\"Uri\":\"https://dsm:4119\"}],\"_inDesiredState\":true}"));
            Assert.False(Valid("{\"hostFirewal\":{}}"));
            Assert.False(Valid("{\"hostFirewall\":{\"rules\":{}}}"));
            Assert.False(Valid("{\"hostFirewall\":{},\"_inDesiredState\":\"yes\"}"));
        }

        [DscFact]
        public void GetTestWhatIfSetAndExportDriveTheNamespacesFirewall()
        {
            using var ns = NetworkNamespace.Create("dsc");
            var empty = ns.Ruleset();

            var get = Invoke(ns, "get", AgentHandler);
            Assert.Equal(0, get.ExitCode);
            var state = Assert.Single(get.Lines);
            Assert.Empty(state["hostFirewall"]["extraRules"].AsArray());

            var test = Invoke(ns, "test", AgentHandler);
            Assert.Equal(0, test.ExitCode);
            Assert.Equal(2, test.Lines.Count);
            Assert.False((bool)test.Lines[0]["_inDesiredState"]);
            Assert.Equal(new[] { "hostFirewall" }, Strings(test.Lines[1]));

            var whatIf = Invoke(ns, "whatIf", AgentHandler);
            Assert.Equal(0, whatIf.ExitCode);
            Assert.Equal(empty, ns.Ruleset());
            Assert.Equal(2, whatIf.Lines.Count);
            Assert.Equal(new[] { "hostFirewall" }, Strings(whatIf.Lines[1]));
            Assert.Equal(8, whatIf.Messages.Count(m => m.Level == "information" && m.Message.StartsWith("What if: ", StringComparison.Ordinal)));
            Assert.Contains(whatIf.Messages, m => m.Message.Contains("Mgmt SSH", StringComparison.Ordinal));

            var set = Invoke(ns, "set", AgentHandler);
            Assert.Equal(0, set.ExitCode);
            Assert.Equal(2, set.Lines.Count);
            Assert.Equal(new[] { "hostFirewall" }, Strings(set.Lines[1]));
            Assert.Equal(8, set.Lines[0]["hostFirewall"]["extraRules"].AsArray().Count);
            var applied = ns.Ruleset();
            Assert.Contains("tcp dport 22", applied);
            Assert.Contains("tcp dport 17000", applied);

            var after = Invoke(ns, "test", AgentHandler);
            Assert.Equal(0, after.ExitCode);
            Assert.True((bool)after.Lines[0]["_inDesiredState"]);
            Assert.Empty(Strings(after.Lines[1]));

            var again = Invoke(ns, "set", AgentHandler);
            Assert.Equal(0, again.ExitCode);
            Assert.Empty(Strings(again.Lines[1]));
            Assert.Equal(applied, ns.Ruleset());

            // Export: this machine's rules as one instance, which test then finds in desired state.
            var export = Invoke(ns, "export", string.Empty);
            Assert.Equal(0, export.ExitCode);
            var exported = Assert.Single(export.Lines);
            Assert.Contains(exported["hostFirewall"]["extraRules"].AsArray(), r => (string)r["name"] == "Mgmt SSH");
            var roundTrip = Invoke(ns, "test", exported.ToJsonString());
            Assert.True((bool)roundTrip.Lines[0]["_inDesiredState"], roundTrip.Describe());
        }

        [DscFact]
        public void AConfigurationOfThreeInstancesAppliesTheValidOnesAndReportsTheInvalidOneWithItsExitCode()
        {
            // A configuration document as dsc config set reads it, run instance by instance as DSC
            // runs a resource without implementsPretest: test, and set only when not in desired state.
            var document = JsonNode.Parse(@"{
  ""$schema"": ""https://aka.ms/dsc/schemas/v3/bundled/config/document.json"",
  ""resources"": [
    { ""name"": ""agent handler ports"", ""type"": ""EndpointAdmin/AgentBaseline"",
      ""properties"": { ""hostFirewall"": { ""rules"": [ { ""product"": ""SesEvolution"", ""version"": ""2.7.1"", ""component"": ""AgentHandler"", ""direction"": ""Inbound"" } ] } } },
    { ""name"": ""management ssh"", ""type"": ""EndpointAdmin/AgentBaseline"",
      ""properties"": { ""hostFirewall"": { ""extraRules"": [ { ""displayName"": ""Mgmt SSH"", ""direction"": ""Inbound"", ""protocol"": ""TCP"", ""localPort"": 22, ""remoteAddress"": [ ""10.0.0.0/8"" ] } ] } } },
    { ""name"": ""broken"", ""type"": ""EndpointAdmin/AgentBaseline"",
      ""properties"": { ""hostFirewall"": { ""extraRules"": [ { ""displayName"": ""Too high"", ""direction"": ""Inbound"", ""protocol"": ""TCP"", ""localPort"": 70000 } ] } } }
  ]
}");
            using var ns = NetworkNamespace.Create("dsccfg");
            var outcome = new Dictionary<string, int>();
            foreach (var resource in document["resources"].AsArray())
            {
                Assert.Equal((string)Manifest["type"], (string)resource["type"]);
                var properties = resource["properties"].ToJsonString();
                var test = Invoke(ns, "test", properties);
                if (test.ExitCode != 0)
                {
                    outcome[(string)resource["name"]] = test.ExitCode;
                    continue;
                }

                Assert.False((bool)test.Lines[0]["_inDesiredState"]);
                outcome[(string)resource["name"]] = Invoke(ns, "set", properties).ExitCode;
            }

            Assert.Equal(0, outcome["agent handler ports"]);
            Assert.Equal(0, outcome["management ssh"]);
            Assert.Equal(2, outcome["broken"]);
            Assert.Equal("Invalid input: the instance is not valid JSON or not a valid baseline; nothing was read or changed", (string)Manifest["exitCodes"]["2"]);

            var broken = Invoke(ns, "set", document["resources"][2]["properties"].ToJsonString());
            Assert.Equal(2, broken.ExitCode);
            Assert.Empty(broken.Lines);
            var error = Assert.Single(broken.Messages, m => m.Level == "error");
            Assert.Contains("HostFirewall.ExtraRules[0]", error.Message);
            Assert.Contains("70000", error.Message);

            // Unmanaged defaults to Keep: the second instance left the first one's rules alone.
            var ruleset = ns.Ruleset();
            Assert.Contains("tcp dport 17000", ruleset);
            Assert.Contains("ip saddr 10.0.0.0/8 tcp dport 22", ruleset);
            Assert.DoesNotContain("70000", ruleset);
            foreach (var resource in document["resources"].AsArray().Take(2))
            {
                Assert.True((bool)Invoke(ns, "test", resource["properties"].ToJsonString()).Lines[0]["_inDesiredState"]);
            }
        }

        [DscFact]
        public void InputThatIsNotABaselineIsExitCodeTwoWithJsonErrorsAndNothingOnStdout()
        {
            using var ns = NetworkNamespace.Create("dscbad");
            foreach (var (input, says) in new[] { ("not json", "not JSON"), ("[1,2]", "must be a JSON object"), ("{\"hostFirewall\":{\"bogus\":1}}", "HostFirewall.bogus") })
            {
                var r = Invoke(ns, "test", input);
                Assert.Equal(2, r.ExitCode);
                Assert.Empty(r.Lines);
                Assert.Contains(r.Messages, m => m.Level == "error" && m.Message.Contains(says, StringComparison.Ordinal));
            }
        }

        [DscFact]
        public void AManagerWithoutASessionIsAPartialFailureThatStillReturnsTheState()
        {
            // No session and no Secret: the manager is not asked anything; DSC gets exit code 3 and the reason.
            using var ns = NetworkNamespace.Create("dscmgr");
            var r = Invoke(ns, "test", "{\"Managers\":[{\"Product\":\"DeepSecurity\",\"Uri\":\"https://127.0.0.1:9\",\"BasePolicy\":{\"IntervalMinutes\":10}}]}");
            Assert.Equal(3, r.ExitCode);
            Assert.False((bool)r.Lines[0]["_inDesiredState"]);
            Assert.Equal(10, (int)r.Lines[0]["managers"][0]["basePolicy"]["intervalMinutes"]);
            Assert.Equal(new[] { "managers" }, Strings(r.Lines[1]));
            Assert.Contains(r.Messages, m => m.Level == "error" && m.Message.Contains("BaselineSessionMissing", StringComparison.Ordinal));
        }

        [DscFact]
        public void AManagerInstanceConnectsWithItsSecretAndSetThenTestIsInDesiredState()
        {
            // Unattended as DSC runs it: no session, so the instance names a SecretManagement secret.
            // Get-Secret comes from a stand-in module the test writes (a vault answering with a PSCredential).
            using var sim = KscSimulator.Start(devices: 40, seed: 7);
            var work = Path.Combine(Path.GetTempPath(), "ea-dsc-" + Guid.NewGuid().ToString("N"));
            var module = Path.Combine(work, "Microsoft.PowerShell.SecretManagement");
            Directory.CreateDirectory(module);
            File.WriteAllText(Path.Combine(module, "Microsoft.PowerShell.SecretManagement.psm1"),
                "function Get-Secret { [CmdletBinding()] param([Parameter(Mandatory)][string] $Name, [string] $Vault)\n"
                + "  if ($Name -ne 'KscAdmin') { throw \"Get-Secret: a secret named '$Name' was not found\" }\n"
                + "  $s = [System.Security.SecureString]::new(); foreach ($c in $env:EA_TEST_PASSWORD.ToCharArray()) { $s.AppendChar($c) }\n"
                + "  [System.Management.Automation.PSCredential]::new($env:EA_TEST_USER, $s) }\n"
                + "Export-ModuleMember -Function Get-Secret\n");
            var environment = new Dictionary<string, string>
            {
                ["PSModulePath"] = work,
                ["EA_TEST_USER"] = sim.UserName,
                ["EA_TEST_PASSWORD"] = sim.Password,
            };
            try
            {
                var instance = "{\"managers\":[{\"product\":\"KasperskySecurityCenter\",\"uri\":\"" + sim.Uri + "\",\"secret\":\"KscAdmin\",\"certificateThumbprint\":\"" + sim.Thumbprint
                    + "\",\"continuousConnection\":{\"name\":[\"" + sim.Fleet.Hosts[0].DisplayName + "\"]}}]}";
                var runs = new List<ResourceRun>();

                var before = Invoke(null, "test", instance, environment);
                runs.Add(before);
                Assert.Equal(0, before.ExitCode);
                Assert.False((bool)before.Lines[0]["_inDesiredState"]);
                Assert.Equal(new[] { "managers" }, Strings(before.Lines[1]));
                Assert.Equal("KscAdmin", (string)before.Lines[0]["managers"][0]["secret"]);

                sim.ClearRequests();
                var whatIf = Invoke(null, "whatIf", instance, environment);
                runs.Add(whatIf);
                Assert.Equal(0, whatIf.ExitCode);
                Assert.Empty(sim.Writes);
                Assert.Contains(whatIf.Messages, m => m.Level == "information" && m.Message.Contains(sim.Fleet.Hosts[0].DisplayName, StringComparison.Ordinal));

                var set = Invoke(null, "set", instance, environment);
                runs.Add(set);
                Assert.Equal(0, set.ExitCode);
                Assert.Equal(new[] { "managers" }, Strings(set.Lines[1]));
                Assert.NotEmpty(sim.Writes);

                var after = Invoke(null, "test", instance, environment);
                runs.Add(after);
                Assert.True((bool)after.Lines[0]["_inDesiredState"], after.Describe());
                Assert.Empty(Strings(after.Lines[1]));
                Assert.All(runs, r => Assert.DoesNotContain(sim.Password, r.Describe(), StringComparison.Ordinal));
            }
            finally
            {
                Directory.Delete(work, true);
            }
        }

        private static string SchemaFile => Path.Combine(AppContext.BaseDirectory, "Contract", "dsc", "resource-manifest.schema.json");

        private static JsonSchema ManifestSchema()
        {
            return JsonSchema.FromText(File.ReadAllText(SchemaFile), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }

        private static string Describe(EvaluationResults result)
        {
            return string.Join("\n", result.Details.Where(d => d.Errors != null).SelectMany(d => d.Errors.Select(e => d.InstanceLocation + " (" + d.EvaluationPath + "): " + e.Value)));
        }

        private static string[] Strings(JsonNode array) => array.AsArray().Select(a => (string)a).ToArray();

        /// <summary>Starts the method's command line from the manifest as DSC does and checks the output contract.</summary>
        /// <param name="ns">The namespace to run in; null for this process's own network (to reach a simulator on loopback, with no firewall part).</param>
        private static ResourceRun Invoke(NetworkNamespace ns, string method, string input, IDictionary<string, string> environment = null)
        {
            var manifest = Manifest;
            var command = manifest[method].AsObject();
            var executable = (string)command["executable"] == "pwsh" ? DscFactAttribute.Pwsh : (string)command["executable"];
            var args = ns == null ? new List<string>() : new List<string> { "netns", "exec", ns.Name, executable };
            args.AddRange(command["args"].AsArray().Select(a => (string)a));
            var result = NetworkNamespace.Run(ns == null ? executable : "ip", args, ModuleFolder, input, environment, timeoutMs: 180_000);
            var run = new ResourceRun(result);

            Assert.True(manifest["exitCodes"].AsObject().ContainsKey(result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), run.Describe());
            foreach (var line in result.Output.Split('\n').Where(l => l.Trim().Length > 0))
            {
                // JSON only on stdout, one document a line.
                run.Lines.Add(JsonNode.Parse(line));
            }

            foreach (var line in result.Error.Split('\n').Where(l => l.Trim().Length > 0))
            {
                var message = JsonNode.Parse(line).AsObject();
                Assert.Equal(new[] { "level", "message" }, message.Select(p => p.Key).ToArray());
                Assert.Contains((string)message["level"], new[] { "error", "warning", "information" });
                run.Messages.Add(((string)message["level"], (string)message["message"]));
            }

            if (result.ExitCode == 0)
            {
                // get and export: the state; test, set and whatIf (stateAndDiff): the state, then the diff.
                Assert.True(run.Lines.Count == (method == "get" || method == "export" ? 1 : 2), run.Describe());
            }

            return run;
        }

        private sealed class ResourceRun
        {
            private readonly ProcessResult _result;

            public ResourceRun(ProcessResult result)
            {
                _result = result;
                ExitCode = result.ExitCode;
            }

            public int ExitCode { get; }

            public List<JsonNode> Lines { get; } = new List<JsonNode>();

            public List<(string Level, string Message)> Messages { get; } = new List<(string, string)>();

            public string Describe() => "exit " + _result.ExitCode + "\nstdout: " + _result.Output + "\nstderr: " + _result.Error;
        }
    }

    /// <summary>Needs a network namespace and pwsh (on PATH, or the launcher build.ps1 -Task Bootstrap writes to out/tools); skipped with the reason otherwise.</summary>
    public sealed class DscFactAttribute : FactAttribute
    {
        public DscFactAttribute()
        {
            if (NetworkNamespace.Unavailable != null)
            {
                Skip = NetworkNamespace.Unavailable;
            }
            else if (Pwsh == null)
            {
                Skip = TestSupport.Pwsh.Missing + " (nor out/tools/pwsh: run build.ps1 -Task Bootstrap)";
            }
        }

        /// <summary>What "pwsh" in the manifest resolves to here, as DSC would find it on PATH.</summary>
        public static string Pwsh { get; } = TestSupport.Pwsh.Path ?? Launcher();

        private static string Launcher()
        {
            var launcher = Path.Combine(InProcessPowerShell.RepositoryRoot, "out", "tools", OperatingSystem.IsWindows() ? "pwsh.cmd" : "pwsh");
            return File.Exists(launcher) ? launcher : null;
        }
    }
}
