using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using EndpointAdmin.Host;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>The module as a whole: manifest, exports, layout, one version, the shape of the code.</summary>
    public class ModuleComplianceTests : IClassFixture<EngineFixture>
    {
        private readonly EngineFixture _ps;
        private readonly Hashtable _manifest;

        public ModuleComplianceTests(EngineFixture fixture)
        {
            _ps = fixture;
            _manifest = EngineFixture.ReadManifest(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1"));
        }

        private string ModuleFolder => Path.GetDirectoryName(_ps.Module.Path);

        private Type[] CmdletTypes => _ps.ModuleAssembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() != null).ToArray();

        [Fact]
        public void TheManifestIsStrict()
        {
            Assert.Equal("EndpointAdmin.dll", _manifest["RootModule"]);
            Assert.Equal(new[] { "Core", "Desktop" }, EngineFixture.Strings(_manifest["CompatiblePSEditions"]).OrderBy(s => s));
            Assert.Equal("5.1", _manifest["PowerShellVersion"]);
            Assert.Empty(EngineFixture.Strings(_manifest["FunctionsToExport"]));
            Assert.Empty(EngineFixture.Strings(_manifest["AliasesToExport"]));
            Assert.Empty(EngineFixture.Strings(_manifest["VariablesToExport"]));
            var cmdlets = EngineFixture.Strings(_manifest["CmdletsToExport"]);
            Assert.NotEmpty(cmdlets);
            Assert.DoesNotContain(cmdlets, c => c.Contains('*'));
            Assert.Equal(new[] { "EndpointAdmin.format.ps1xml" }, EngineFixture.Strings(_manifest["FormatsToProcess"]));
            Assert.Equal(new[] { "EndpointAdmin.types.ps1xml" }, EngineFixture.Strings(_manifest["TypesToProcess"]));
            var psData = (Hashtable)((Hashtable)_manifest["PrivateData"])["PSData"];
            var tags = EngineFixture.Strings(psData["Tags"]);
            Assert.Contains("PSEdition_Core", tags);
            Assert.Contains("PSEdition_Desktop", tags);
            Assert.True(Guid.TryParse((string)_manifest["GUID"], out _));
        }

        [Fact]
        public void TheEnginesManifestCheckAcceptsTheShippedManifest()
        {
            var result = _ps.Run("(Test-ModuleManifest -Path $args[0] -ErrorAction Stop).Name", Path.Combine(ModuleFolder, "EndpointAdmin.psd1"));
            Assert.Equal("EndpointAdmin", Assert.Single(Assertions.Succeeded(result)).ToString());
        }

        [Fact]
        public void TheFormatAndTypeDataAreLoaded()
        {
            var result = _ps.Run("[bool](Get-FormatData -TypeName 'EndpointAdmin.PortRequirement'); [bool](Get-FormatData -TypeName 'Deserialized.EndpointAdmin.PortRequirement'); [bool](Get-TypeData -TypeName 'EndpointAdmin.PortRequirement')");
            Assert.Equal(new object[] { true, true, true }, Assertions.Succeeded(result).Select(o => o.BaseObject));
        }

        [Fact]
        public void ExportedCommandsAreExactlyCmdletsToExportAndEveryCmdletIsExported()
        {
            var listed = EngineFixture.Strings(_manifest["CmdletsToExport"]).OrderBy(s => s).ToArray();
            Assert.Equal(listed, _ps.Module.ExportedCommands.Keys.OrderBy(s => s).ToArray());
            Assert.Equal(listed, _ps.Module.ExportedCmdlets.Keys.OrderBy(s => s).ToArray());
            var implemented = CmdletTypes.Select(t => t.GetCustomAttribute<CmdletAttribute>()).Select(a => a.VerbName + "-" + a.NounName).OrderBy(s => s).ToArray();
            Assert.Equal(listed, implemented);
        }

        [Fact]
        public void EveryVerbIsApproved()
        {
            var verbClasses = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) };
            var approved = verbClasses.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)).ToHashSet();
            Assert.True(approved.Count > 90);
            foreach (var name in _ps.Module.ExportedCommands.Keys)
            {
                Assert.Contains(name.Split('-')[0], approved);
            }
        }

        [Fact]
        public void OneVersionRunsThroughManifestAssemblyAndFolder()
        {
            var version = (string)_manifest["ModuleVersion"];
            Assert.Matches(@"^\d+\.\d+\.\d+$", version);
            Assert.Equal(version, _ps.Module.Version.ToString());
            Assert.Equal(new Version(version + ".0"), _ps.ModuleAssembly.GetName().Version);
            Assert.Equal(version, Path.GetFileName(ModuleFolder));
            Assert.Equal(File.ReadAllText(Path.Combine(InProcessPowerShell.RepositoryRoot, "EndpointAdmin.psd1")), File.ReadAllText(Path.Combine(ModuleFolder, "EndpointAdmin.psd1")));
        }

        [Theory]
        [InlineData("EndpointAdmin.psd1")]
        [InlineData("EndpointAdmin.dll")]
        [InlineData("EndpointAdmin.Core.dll")]
        [InlineData("Newtonsoft.Json.dll")]
        [InlineData("EndpointAdmin.format.ps1xml")]
        [InlineData("EndpointAdmin.types.ps1xml")]
        [InlineData("en-US/EndpointAdmin.dll-Help.xml")]
        [InlineData("en-US/about_EndpointAdmin.help.txt")]
        [InlineData("en-US/about_EndpointAdmin_Baseline.help.txt")]
        [InlineData("LICENSE")]
        [InlineData("RoleCapabilities/EndpointAdminOperator.psrc")]
        [InlineData("RoleCapabilities/EndpointAdminFirewallAdmin.psrc")]
        [InlineData("Examples/EndpointAdmin.pssc")]
        [InlineData("Examples/Invoke-AgentHeartbeatCheck.ps1")]
        [InlineData("EndpointAdmin.AgentBaseline.dsc.resource.json")]
        [InlineData("EndpointAdmin.AgentBaseline.dsc.ps1")]
        public void TheModuleFolderHoldsWhatItNeeds(string file)
        {
            Assert.True(File.Exists(Path.Combine(ModuleFolder, file)), file + " is missing from " + ModuleFolder);
        }

        [Fact]
        public void TheModuleFolderShipsNoEngineAssembly()
        {
            // PowerShellStandard.Library is a compile-time reference; shipping it would shadow the host's engine.
            Assert.False(File.Exists(Path.Combine(ModuleFolder, "System.Management.Automation.dll")));
        }

        [Fact]
        public void TheModuleImportsByItsVersionedManifestPath()
        {
            using var shell = new InProcessPowerShell(modulePath: Path.Combine(ModuleFolder, "EndpointAdmin.psd1"));
            var result = shell.Invoke("(Get-Module EndpointAdmin).Version.ToString(); @(Get-AgentPortRequirement -Product KasperskySecurityCenter).Count");
            Assert.False(result.Failed, result.Describe());
            Assert.Equal((string)_manifest["ModuleVersion"], result.Output[0].ToString());
            Assert.True((int)result.Output[1].BaseObject > 0);
        }

        [Fact]
        public void TheAssembliesTargetNetStandard20AndTheCoreKnowsNothingOfPowerShell()
        {
            var module = _ps.ModuleAssembly;
            Assert.Equal(".NETStandard,Version=v2.0", module.GetCustomAttribute<TargetFrameworkAttribute>().FrameworkName);
            var sma = module.GetReferencedAssemblies().Single(a => a.Name == "System.Management.Automation");
            Assert.Equal(new Version(3, 0, 0, 0), sma.Version); // PowerShellStandard.Library 5.1's reference surface
            var core = Assembly.LoadFrom(Path.Combine(ModuleFolder, "EndpointAdmin.Core.dll"));
            Assert.Equal(".NETStandard,Version=v2.0", core.GetCustomAttribute<TargetFrameworkAttribute>().FrameworkName);
            Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name == "System.Management.Automation");
        }

        [Fact]
        public void CmdletsAreSealedAndPublicSurfaceHasNoThirdPartyTypes()
        {
            foreach (var type in CmdletTypes)
            {
                Assert.True(type.IsSealed, type.Name + " is not sealed");
                Assert.Equal("EndpointAdmin.Commands", type.Namespace);
                Assert.EndsWith("Command", type.Name);
                foreach (var property in type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
                {
                    AssertOwnOrFramework(property.PropertyType, type.Name + ".-" + property.Name);
                }

                foreach (var output in type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type))
                {
                    AssertOwnOrFramework(output.Type, type.Name + " output");
                    foreach (var property in output.Type.GetProperties())
                    {
                        AssertOwnOrFramework(property.PropertyType, output.Type.Name + "." + property.Name);
                    }
                }
            }
        }

        private static void AssertOwnOrFramework(Type type, string where)
        {
            var element = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType() : type);
            var assembly = element.Assembly.GetName().Name;
            Assert.True(assembly.StartsWith("EndpointAdmin", StringComparison.Ordinal) || assembly == "System.Private.CoreLib" || assembly == "System.Management.Automation" || assembly.StartsWith("System.", StringComparison.Ordinal),
                where + " exposes " + element.FullName + " from " + assembly);
        }

        [Fact]
        public void ScriptTextFilesHaveNoBomTabsOrTrailingSpaces()
        {
            var root = InProcessPowerShell.RepositoryRoot;
            var extensions = new[] { ".ps1", ".psm1", ".ps1xml", ".psrc", ".pssc" };
            var files = new[] { "tests/Pester", "src/EndpointAdmin", "docs/examples" }
                .SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
                .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Concat(new[] { Path.Combine(root, "EndpointAdmin.psd1"), Path.Combine(root, "build.ps1") })
                .ToArray();
            Assert.Contains(files, f => f.EndsWith(".psrc", StringComparison.Ordinal));
            foreach (var file in files)
            {
                var bytes = File.ReadAllBytes(file);
                Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, file + " has a BOM");
                var text = File.ReadAllText(file);
                Assert.False(text.Contains('\t'), file + " has a tab");
                Assert.False(Regex.IsMatch(text, @"[ ]+\r?\n"), file + " has trailing spaces");
            }
        }

        [Fact]
        public void EachCommandsFileHoldsOneCmdletNamedAfterIt()
        {
            var folder = Path.Combine(InProcessPowerShell.RepositoryRoot, "src", "EndpointAdmin", "Commands");
            var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
            var cmdletFiles = files.Where(f => File.ReadAllText(f).Contains("[Cmdlet(")).ToArray();
            Assert.Equal(CmdletTypes.Length, cmdletFiles.Length);
            foreach (var file in cmdletFiles)
            {
                var text = File.ReadAllText(file);
                Assert.Single(Regex.Matches(text, @"\[Cmdlet\("));
                Assert.Contains("public sealed class " + Path.GetFileNameWithoutExtension(file) + " ", text);
            }
        }
    }
}
