using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// Remoting serializes output to CliXml. Every output type must come back with every property
    /// and render through the same table view as the live object.
    /// </summary>
    public class SerializationAndFormatTests : IClassFixture<EngineFixture>
    {
        // One command per output type that produces real instances of it. A new output type
        // without a sample fails EveryOutputTypeHasASample.
        private static readonly Dictionary<string, string> Samples = new Dictionary<string, string>
        {
            ["EndpointAdmin.PortRequirement"] = "Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component AgentHandler",
            ["EndpointAdmin.AgentManagerSession"] = SharedDeepSecurity.Connect(passThru: true),
            ["EndpointAdmin.Agent"] = SharedDeepSecurity.Connect() + "Get-Agent -Id 1,2,50,99",
            ["EndpointAdmin.HeartbeatResult"] = SharedDeepSecurity.Connect() + "Test-AgentHeartbeat -Id 1,2,3,4,97",
            ["EndpointAdmin.HeartbeatPolicy"] = SharedDeepSecurity.Connect() + "Get-AgentHeartbeatPolicy -PolicyId 4",
            ["EndpointAdmin.SyncResult"] = SharedDeepSecurity.Connect() + "Invoke-AgentSync -Id 1,2",
            ["EndpointAdmin.HeartbeatFirewallRule"] = SharedDeepSecurity.Connect() + "New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.0.0.10,10.0.0.11 -SourceMacAddress 00:11:22:33:44:55",
        };

        private readonly EngineFixture _ps;

        public SerializationAndFormatTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        public static IEnumerable<object[]> SampleTypes() => Samples.Keys.Select(k => new object[] { k });

        [Fact]
        public void EveryOutputTypeHasASample()
        {
            var declared = _ps.ModuleAssembly.GetTypes()
                .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>())
                .SelectMany(a => a.Type)
                .Select(t => t.Type)
                .Where(t => t != null && t.Namespace == "EndpointAdmin")
                .Select(t => t.FullName)
                .Distinct()
                .OrderBy(s => s);
            Assert.Equal(declared, Samples.Keys.OrderBy(s => s));
        }

        [Theory]
        [MemberData(nameof(SampleTypes))]
        public void ACliXmlRoundTripKeepsEveryProperty(string typeName)
        {
            var live = Succeeded(_ps.Run(Samples[typeName]));
            Assert.NotEmpty(live);
            var type = live[0].BaseObject.GetType();
            Assert.Equal(typeName, type.FullName);
            foreach (var item in live)
            {
                var back = (PSObject)PSSerializer.Deserialize(PSSerializer.Serialize(item));
                Assert.Equal("Deserialized." + typeName, back.TypeNames[0]);
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var value = property.GetValue(item.BaseObject);
                    if (value is System.Array array)
                    {
                        // A string[] comes back as a list of the same strings.
                        var returned = Prop(back, property.Name);
                        var items = returned is PSObject p ? p.BaseObject : returned;
                        Assert.Equal(array.Cast<object>().Select(o => o.ToString()), ((System.Collections.IEnumerable)items).Cast<object>().Select(o => o.ToString()));
                        continue;
                    }

                    Assert.Equal(value?.ToString(), Text(back, property.Name));
                }
            }
        }

        [Theory]
        [MemberData(nameof(SampleTypes))]
        public void DeserializedObjectsRenderTheSameTableAsLiveOnes(string typeName)
        {
            // The same objects both ways: samples that change the manager (IDs, timestamps) differ between runs.
            Assert.False(_ps.Run("$global:sampleObjects = @(" + Samples[typeName] + ")").Failed);
            var script = "$x = $global:sampleObjects; ";
            var local = _ps.Shell.InvokeRendered(script + "$x");
            var remote = _ps.Shell.InvokeRendered(script + "$x | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }");
            Assert.False(local.Failed, local.Describe());
            Assert.False(remote.Failed, remote.Describe());
            Assert.Contains("Deserialized." + typeName, Succeeded(_ps.Run(script + "[System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($x[0])).PSObject.TypeNames[0]")).Select(o => o.ToString()));
            var lines = local.HostText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
            Assert.True(lines.Length >= 3, local.HostText);
            Assert.DoesNotContain(":", lines[0]); // a table header, not a list view's "Name : value"
            Assert.Equal(local.HostText, remote.HostText);
        }

        [Fact]
        public void ThePortRequirementTableShowsTheCatalogColumns()
        {
            var rendered = _ps.Shell.InvokeRendered("Get-AgentPortRequirement -Product KasperskySecurityCenter -Component AdministrationServer");
            var header = rendered.HostText.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
            Assert.Equal(new[] { "Product", "Version", "Component", "Direction", "Protocol", "Port", "Topology", "Purpose" }, header.Split(' ', System.StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("KasperskySecurityCenter All", rendered.HostText);
            Assert.Contains("13000", rendered.HostText);
        }
    }
}
