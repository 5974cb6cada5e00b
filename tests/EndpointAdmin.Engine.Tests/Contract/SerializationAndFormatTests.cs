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
            // Firewall objects are built here: making them for real needs a firewall (see FirewallTests, which run in a network namespace).
            ["EndpointAdmin.FirewallPortRule"] = "[EndpointAdmin.FirewallPortRule]@{ Name = 'EA-SesEvolution-2.7.1-AgentHandler-In-TCP-443'; DisplayName = 'SesEvolution 2.7.1 AgentHandler (TCP-In 443)'; Group = 'EndpointAdmin'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443', '13000-13010'; RemoteAddress = '10.0.0.0/8', 'fe80::/10'; RemoteMacAddress = 'aa:bb:cc:dd:ee:ff'; Action = 'Block'; Backend = 'Nftables'; Product = 'SesEvolution'; Version = '2.7.1'; Component = 'AgentHandler' }, [EndpointAdmin.FirewallPortRule]@{ Name = 'KSC agents'; DisplayName = 'KSC agents'; Group = 'EndpointAdmin'; Direction = 'Outbound'; Protocol = 'UDP'; RemotePort = '13000'; Backend = 'WindowsFirewall'; Enabled = $false }, [EndpointAdmin.FirewallPortRule]@{ Name = 'Stormshield Endpoint Security Evolution Backend (TCP-In)'; DisplayName = 'Stormshield Endpoint Security Evolution Backend (TCP-In)'; Group = 'Stormshield'; Direction = 'Inbound'; Protocol = 'TCP'; LocalPort = '443'; Backend = 'WindowsFirewall'; Product = 'SesEvolution'; Component = 'Backend'; Origin = 'Product' }",
            ["EndpointAdmin.FirewallRuleTestResult"] = "[EndpointAdmin.FirewallRuleTestResult]@{ Name = 'KSC agents'; DisplayName = 'KSC agents'; InDesiredState = $false; State = 'Different'; Differences = 'LocalPort: wanted 13000, found 14000', 'Action: wanted Allow, found Block'; Backend = 'Nftables' }",
            ["EndpointAdmin.FirewallMigrationStatus"] = "[EndpointAdmin.FirewallMigrationStatus]@{ Product = 'SesEvolution'; Component = 'AgentHandler'; State = 'InProgress'; FromVersion = '2.6'; ToVersion = '2.7.1'; Migrated = $false; VersionsPresent = '2.6', '2.7.1'; FromVersionRuleCount = 5; ToVersionRuleCount = 6; StartedAt = [datetime]::new(2026, 11, 23, 9, 30, 0, [DateTimeKind]::Utc); Backend = 'Nftables' }",
            ["EndpointAdmin.ConnectionTestResult"] = "Test-AgentConnection localhost -Port 1 -TimeoutSec 2",
            ["EndpointAdmin.PortAvailability"] = "Test-AgentPortAvailability -Port 1, 2 -Protocol UDP",
            ["EndpointAdmin.AgentManagerSession"] = SharedDeepSecurity.Connect(passThru: true),
            ["EndpointAdmin.Agent"] = SharedDeepSecurity.Connect() + "Get-Agent -Id 1,2,50,99; [EndpointAdmin.Agent]@{ Id = 'c5ac2d9e-3d7c-4e4b-9b8f-0e3f1c2a7b10'; Name = 'web00001'; DisplayName = 'web00001'; Product = 'KasperskySecurityCenter'; IPAddress = '10.0.0.1'; AgentVersion = '15.1.0.20748'; Status = 'Active'; LastContact = [datetime]::new(2026, 11, 23, 9, 30, 0, [DateTimeKind]::Utc); StatusMessages = @(); DnsName = 'web00001.corp.example'; GroupId = 2; GroupName = 'Workstations'; LastInfoUpdate = [datetime]::new(2026, 11, 23, 9, 30, 0, [DateTimeKind]::Utc); ContinuousConnection = $true; Visible = $true; AgentInstalled = $true; AgentAlive = $true; RealTimeProtectionInstalled = $false }",
            ["EndpointAdmin.HeartbeatResult"] = SharedDeepSecurity.Connect() + "Test-AgentHeartbeat -Id 1,2,3,4,97",
            ["EndpointAdmin.HeartbeatPolicy"] = SharedDeepSecurity.Connect() + "Get-AgentHeartbeatPolicy -PolicyId 4",
            ["EndpointAdmin.SyncResult"] = SharedDeepSecurity.Connect() + "Invoke-AgentSync -Id 1,2; [EndpointAdmin.SyncResult]@{ AgentId = 'c5ac2d9e-3d7c-4e4b-9b8f-0e3f1c2a7b10'; Name = 'web00001'; Product = 'KasperskySecurityCenter'; Status = 'Failed'; RequestedAt = [datetime]::new(2026, 11, 23, 9, 30, 0, [DateTimeKind]::Utc); ActionId = '2f0c1b7e-53c4-4a58-9d1e-6a8b0c9d7e21'; Message = 'the Network Agent is not responding' }",
            ["EndpointAdmin.BaselineResult"] = "[EndpointAdmin.BaselineResult]@{ Manager = 'https://dsm.example.com:4119'; Product = 'DeepSecurity'; TargetType = 'Policy'; TargetId = '3'; Target = \"policy 'Servers' (3)\"; Setting = 'IntervalMinutes'; Expected = '5'; Actual = '10'; InDesiredState = $false; State = 'Drifted'; Source = \"inherited from policy 'Base' (1)\"; Key = 'Managers[0].Policies[0].IntervalMinutes' }, [EndpointAdmin.BaselineResult]@{ Manager = 'https://apex.example.com'; Product = 'ApexCentral'; TargetType = 'Manager'; TargetId = 'https://apex.example.com'; Target = 'manager'; Setting = 'ListeningPort'; Expected = '4343'; State = 'NotSupported'; Source = 'no API'; Message = 'Set it in the console' }, [EndpointAdmin.BaselineResult]@{ Manager = 'host01'; TargetType = 'Host'; TargetId = 'Mgmt SSH'; Target = 'Mgmt SSH'; Setting = 'FirewallRule'; Expected = 'Inbound TCP local port 22 Allow'; Actual = 'Inbound TCP local port 22 Allow'; InDesiredState = $true; State = 'InDesiredState'; Source = 'EndpointAdmin rules (Nftables)' }",
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
            // What the exported cmdlets declare: a new cmdlet's output type is covered as soon as it is exported.
            var declared = _ps.Module.ExportedCmdlets.Values.Select(c => c.ImplementingType)
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
                    Assert.Equal(Flat(value), Flat(Prop(back, property.Name)));
                }
            }
        }

        // A string array comes back as a list: compare the elements, not the collection types.
        private static string Flat(object value)
        {
            var unwrapped = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (unwrapped is System.Collections.IEnumerable items && !(unwrapped is string))
            {
                return "[" + string.Join(",", items.Cast<object>()) + "]";
            }

            return unwrapped?.ToString();
        }

        [Theory]
        [MemberData(nameof(SampleTypes))]
        public void DeserializedObjectsRenderTheSameTableAsLiveOnes(string typeName)
        {
            // The same objects both ways: samples that change the manager (IDs, timestamps) differ between runs.
            Assert.False(_ps.Run("$global:sampleObjects = @(" + Samples[typeName] + ")").Failed);
            var script = "$x = $global:sampleObjects; ";
            var local = _ps.Shell.InvokeRendered(script + "$x");
            var remote = _ps.Shell.InvokeRendered(script + "$x | ForEach-Object { $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml }");
            Assert.False(local.Failed, local.Describe());
            Assert.False(remote.Failed, remote.Describe());
            Assert.Contains("Deserialized." + typeName, Succeeded(_ps.Run(script + "($x[0] | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml).PSObject.TypeNames[0]")).Select(o => o.ToString()));
            var lines = local.HostText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
            Assert.True(lines.Length >= 3, local.HostText);
            Assert.DoesNotContain(":", lines[0]); // a table header, not a list view's "Name : value"
            Assert.Equal(local.HostText, remote.HostText);
        }

        [Fact]
        public void EveryFormatViewCoversItsDeserializedTypeAndIsRenderedAbove()
        {
            var file = System.Xml.Linq.XDocument.Load(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_ps.Module.Path), "EndpointAdmin.format.ps1xml"));
            var views = file.Descendants("View").ToList();
            Assert.NotEmpty(views);
            foreach (var view in views)
            {
                var types = view.Element("ViewSelectedBy").Elements("TypeName").Select(t => t.Value).ToList();
                var live = types.Where(t => !t.StartsWith("Deserialized.", System.StringComparison.Ordinal)).ToList();
                Assert.NotEmpty(live);
                foreach (var type in live)
                {
                    Assert.Contains("Deserialized." + type, types);
                    Assert.True(Samples.ContainsKey(type), "the view " + view.Element("Name")?.Value + " selects " + type + ", which no sample renders");
                }
            }
        }

        [Theory]
        [MemberData(nameof(SampleTypes))]
        public void RemotedObjectsWithComputerNamesRenderTheirTableWithAComputerColumn(string typeName)
        {
            // Invoke-Command adds PSComputerName, RunspaceId and PSShowComputerName to what it returns.
            Assert.False(_ps.Run("$global:sampleObjects = @(" + Samples[typeName] + ")").Failed);
            var remote = _ps.Shell.InvokeRendered(
                "$global:sampleObjects | ForEach-Object { $d = $_ | ConvertTo-CliXml -Depth 1 | ConvertFrom-CliXml; "
                + "$d.PSObject.Properties.Add([psnoteproperty]::new('PSComputerName', 'srv01')); $d.PSObject.Properties.Add([psnoteproperty]::new('RunspaceId', [guid]::NewGuid())); "
                + "$d.PSObject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $true)); $d }");
            Assert.False(remote.Failed, remote.Describe());
            var local = _ps.Shell.InvokeRendered("$global:sampleObjects");
            var header = remote.HostText.Split('\n').Select(l => l.TrimEnd()).First(l => l.Length > 0);
            var localHeader = local.HostText.Split('\n').Select(l => l.TrimEnd()).First(l => l.Length > 0);
            // The engine adds the column last; at 160 characters the widest views shorten its header.
            Assert.Matches("PSComput[a-zA-Z.…]*$", header);
            Assert.StartsWith(localHeader.Split(' ', System.StringSplitOptions.RemoveEmptyEntries)[0], header.TrimStart());
            Assert.Contains("srv01", remote.HostText);
            Assert.DoesNotContain("RunspaceId", remote.HostText);
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
