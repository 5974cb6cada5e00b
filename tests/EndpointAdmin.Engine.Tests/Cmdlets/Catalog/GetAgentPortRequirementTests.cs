using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>The port catalog through the real cmdlet: every port the product documents name, and bad input.</summary>
    public class GetAgentPortRequirementTests : IClassFixture<EngineFixture>
    {
        private const string Cmd = "GetAgentPortRequirementCommand";
        private readonly EngineFixture _ps;

        public GetAgentPortRequirementTests(EngineFixture fixture)
        {
            _ps = fixture;
        }

        // The SES Evolution port table ("Configuring the firewall", 2.6 -> 2.7.1), row by row:
        // version, component, direction, protocol, port, topology. Where the two 2.7 columns agree
        // the row does not depend on the topology (Any).
        public static readonly object[][] SesTable =
        {
            new object[] { "2.6", "Backend", "Inbound", "TCP", 443, "Any" },
            new object[] { "2.6", "Backend", "Inbound", "TCP", 10443, "Any" },
            new object[] { "2.6", "Backend", "Outbound", "TCP", 443, "Any" },
            new object[] { "2.6", "Backend", "Outbound", "TCP", 1433, "Any" },
            new object[] { "2.6", "Backend", "Outbound", "TCP", 1434, "Any" },
            new object[] { "2.6", "Backend", "Outbound", "UDP", 1434, "Any" },
            new object[] { "2.6", "AdministrationConsole", "Outbound", "TCP", 443, "Any" },
            new object[] { "2.6", "AgentHandler", "Outbound", "TCP", 443, "Any" },
            new object[] { "2.6", "AgentHandler", "Outbound", "TCP", 1468, "Any" },
            new object[] { "2.6", "AgentHandler", "Outbound", "UDP", 514, "Any" },
            new object[] { "2.6", "AgentHandler", "Outbound", "TCP", 5614, "Any" },
            new object[] { "2.6", "AgentHandler", "Inbound", "TCP", 17000, "Any" },
            new object[] { "2.6", "Agent", "Outbound", "TCP", 17000, "Any" },
            new object[] { "2.7.1", "Backend", "Inbound", "TCP", 8443, "SameMachine" },
            new object[] { "2.7.1", "Backend", "Inbound", "TCP", 443, "SeparateMachines" },
            new object[] { "2.7.1", "Backend", "Inbound", "TCP", 10443, "Any" },
            new object[] { "2.7.1", "Backend", "Outbound", "TCP", 443, "Any" },
            new object[] { "2.7.1", "Backend", "Outbound", "TCP", 1433, "Any" },
            new object[] { "2.7.1", "Backend", "Outbound", "TCP", 1434, "Any" },
            new object[] { "2.7.1", "Backend", "Outbound", "UDP", 1434, "Any" },
            new object[] { "2.7.1", "AdministrationConsole", "Outbound", "TCP", 8443, "SameMachine" },
            new object[] { "2.7.1", "AdministrationConsole", "Outbound", "TCP", 443, "SeparateMachines" },
            new object[] { "2.7.1", "AgentHandler", "Outbound", "TCP", 8443, "SameMachine" },
            new object[] { "2.7.1", "AgentHandler", "Outbound", "TCP", 443, "SeparateMachines" },
            new object[] { "2.7.1", "AgentHandler", "Outbound", "TCP", 1468, "Any" },
            new object[] { "2.7.1", "AgentHandler", "Outbound", "UDP", 514, "Any" },
            new object[] { "2.7.1", "AgentHandler", "Outbound", "TCP", 5614, "Any" },
            new object[] { "2.7.1", "AgentHandler", "Inbound", "TCP", 17000, "Any" },
            new object[] { "2.7.1", "AgentHandler", "Inbound", "TCP", 443, "Any" },
            new object[] { "2.7.1", "Agent", "Outbound", "TCP", 17000, "Any" },
            new object[] { "2.7.1", "Agent", "Outbound", "TCP", 443, "Any" },
        };

        private static string Key(PSObject r) => string.Join("|", Text(r, "Version"), Text(r, "Component"), Text(r, "Direction"), Text(r, "Protocol"), Text(r, "Port"), Text(r, "Topology"));

        private static string Key(object[] row) => string.Join("|", row);

        [Fact]
        public void SesEvolutionListsExactlyTheRowsOfThePortTable()
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution"));
            Assert.All(rows, r => Assert.Equal("EndpointAdmin.PortRequirement", r.TypeNames[0]));
            Assert.Equal(SesTable.Select(Key).OrderBy(k => k), rows.Select(Key).OrderBy(k => k));
            Assert.All(rows, r => Assert.Contains("SES Evolution 2.7.1", Text(r, "Source")));
        }

        [Theory]
        [MemberData(nameof(SesTable))]
        public void EachSesRowIsFoundByItsOwnQuery(string version, string component, string direction, string protocol, int port, string topology)
        {
            var script = "Get-AgentPortRequirement -Product SesEvolution -Version $args[0] -Component $args[1] -Direction $args[2]" + (topology == "Any" ? string.Empty : " -Topology $args[3]");
            var rows = Succeeded(_ps.Run(script, version, component, direction, topology));
            Assert.Contains(rows, r => Text(r, "Protocol") == protocol && (int)Prop(r, "Port") == port && Text(r, "Topology") == topology && Text(r, "Version") == version);
        }

        [Theory]
        [InlineData("2.7.1", "Backend", "Inbound", "SameMachine", new[] { 8443, 10443 })]
        [InlineData("2.7.1", "Backend", "Inbound", "SeparateMachines", new[] { 443, 10443 })]
        [InlineData("2.7.1", "AgentHandler", "Inbound", "SameMachine", new[] { 17000, 443 })]
        [InlineData("2.7.5", "AdministrationConsole", "Outbound", "SameMachine", new[] { 8443 })]
        [InlineData("2.6", "Backend", "Inbound", "SameMachine", new[] { 443, 10443 })]
        [InlineData("2.6.1", "Agent", "Outbound", "SeparateMachines", new[] { 17000 })]
        public void SesTopologySelectsThePortsOfOneDeployment(string version, string component, string direction, string topology, int[] ports)
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement SesEvolution $args[0] -Component $args[1] -Direction $args[2] -Topology $args[3]", version, component, direction, topology));
            Assert.Equal(ports, rows.Select(r => (int)Prop(r, "Port")).ToArray());
        }

        [Fact]
        public void SesAgentsKeepMsrpcUntil271AndUseHttpsFrom271()
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component Agent"));
            Assert.Equal(2, rows.Count);
            Assert.Contains(rows, r => (int)Prop(r, "Port") == 17000 && Text(r, "Condition") == "Agent version lower than 2.7.1");
            Assert.Contains(rows, r => (int)Prop(r, "Port") == 443 && Text(r, "Condition") == "Agent version 2.7.1 or higher");
            var old = Assert.Single(Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Component Agent")));
            Assert.Equal(17000, (int)Prop(old, "Port"));
        }

        [Fact]
        public void SesSqlAndSyslogPortsAreMarkedConfigurable()
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1"));
            foreach (var port in new[] { 1433, 1434, 1468, 514, 5614 })
            {
                Assert.All(rows.Where(r => (int)Prop(r, "Port") == port), r => Assert.True((bool)Prop(r, "Configurable")));
            }

            Assert.Contains(rows, r => (int)Prop(r, "Port") == 10443 && Text(r, "Purpose") == "Public API.");
            Assert.Contains(rows, r => (int)Prop(r, "Port") == 17000 && Text(r, "Purpose").Contains("MSRPC"));
            Assert.Contains(rows, r => (int)Prop(r, "Port") == 1433 && Text(r, "Purpose").Contains("SQL Server"));
            Assert.Contains(rows, r => (int)Prop(r, "Port") == 514 && Text(r, "Purpose").Contains("Syslog"));
        }

        [Theory]
        [InlineData("3.5.3120", 4343, true)]
        [InlineData("3.5.3xxx", 4343, true)]
        [InlineData("3.5.2xxx", 61617, false)]
        [InlineData("3.5.2015", 61617, false)]
        public void ApexOneServerListensOn4343ForNewAgentsAnd61617ForOld(string agentVersion, int port, bool configurable)
        {
            var server = Assert.Single(Succeeded(_ps.Run("Get-AgentPortRequirement -Product ApexOne -Version $args[0] -Component Server", agentVersion)));
            Assert.Equal(port, (int)Prop(server, "Port"));
            Assert.Equal("Inbound", Text(server, "Direction"));
            Assert.Equal("TCP", Text(server, "Protocol"));
            Assert.Equal(configurable, (bool)Prop(server, "Configurable"));
            Assert.Contains("Apex One (Mac)", Text(server, "Source"));
            var agent = Succeeded(_ps.Run("Get-AgentPortRequirement -Product ApexOne -Version $args[0] -Component SecurityAgent -Direction Outbound", agentVersion));
            Assert.Equal(port, (int)Prop(Assert.Single(agent), "Port"));
        }

        [Theory]
        [InlineData("AdministrationServer", "Inbound", "TCP", 13000, "Required")]
        [InlineData("AdministrationServer", "Inbound", "UDP", 13000, "Recommended")]
        [InlineData("NetworkAgent", "Inbound", "UDP", 15000, "Optional")]
        [InlineData("NetworkAgent", "Outbound", "TCP", 13000, "Required")]
        public void KasperskyUses13000OnTheServerAnd15000OnDevices(string component, string direction, string protocol, int port, string necessity)
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product KasperskySecurityCenter -Component $args[0] -Direction $args[1]", component, direction));
            var row = Assert.Single(rows, r => Text(r, "Protocol") == protocol && (int)Prop(r, "Port") == port);
            Assert.Equal(necessity, Text(row, "Necessity"));
            Assert.Contains("Kaspersky Security Center", Text(row, "Source"));
        }

        [Theory]
        [InlineData("Agent", "Inbound", 4118)]
        [InlineData("Manager", "Inbound", 4119)]
        [InlineData("Manager", "Inbound", 4120)]
        [InlineData("Relay", "Inbound", 4122)]
        [InlineData("Agent", "Outbound", 4120)]
        public void DeepSecurityUsesItsDocumentedDefaultPorts(string component, string direction, int port)
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product DeepSecurity -Version 20.0 -Component $args[0] -Direction $args[1]", component, direction));
            var row = Assert.Single(rows, r => (int)Prop(r, "Port") == port);
            Assert.Equal("TCP", Text(row, "Protocol"));
            Assert.Contains("Deep Security public documentation", Text(row, "Source"));
        }

        [Fact]
        public void PipedObjectsBindByPropertyNameAndEachRecordStandsAlone()
        {
            var rows = Succeeded(_ps.Run(@"
                [pscustomobject]@{ Product = 'SesEvolution'; Version = '2.6'; Component = 'Backend'; Direction = 'Inbound' },
                [pscustomobject]@{ Product = 'KasperskySecurityCenter'; Component = 'NetworkAgent' } | Get-AgentPortRequirement"));
            Assert.Equal(new[] { "SesEvolution|2.6|443", "SesEvolution|2.6|10443", "KasperskySecurityCenter|All|13000", "KasperskySecurityCenter|All|13000", "KasperskySecurityCenter|All|15000" },
                rows.Select(r => Text(r, "Product") + "|" + Text(r, "Version") + "|" + Text(r, "Port")).ToArray());
        }

        [Fact]
        public void VerboseSaysWhatWasFound()
        {
            var result = _ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version 2.6 -Verbose");
            Assert.Equal("Port catalog: 13 row(s) for SesEvolution version 2.6.", Assert.Single(result.Verbose));
            Assert.Equal(13, result.Output.Count);
        }

        [Fact]
        public void ComponentTakesWildcards()
        {
            var rows = Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version 2.7.1 -Component Agent*"));
            Assert.Equal(new[] { "Agent", "AgentHandler" }, rows.Select(r => Text(r, "Component")).Distinct().OrderBy(c => c).ToArray());
            Assert.Empty(Succeeded(_ps.Run("Get-AgentPortRequirement -Product SesEvolution -Component Front*")));
        }

        [Fact]
        public void OneProductsUncoveredVersionDoesNotStopTheOthers()
        {
            var result = _ps.Run("Get-AgentPortRequirement -Product DeepSecurity, SesEvolution -Version 2.6");
            var error = SingleError(result, "PortCatalogVersionNotFound", Cmd, ErrorCategory.ObjectNotFound, "2.6");
            Assert.Contains("DeepSecurity", error.Exception.Message);
            Assert.Contains("9.5 or later", error.Exception.Message);
            Assert.NotEmpty(result.Output);
            Assert.All(result.Output, r => Assert.Equal("SesEvolution", Text(r, "Product")));
        }

        [Theory]
        [InlineData("2.7.0")]
        [InlineData("2.8")]
        [InlineData("1.0")]
        public void AVersionNoRowCoversIsANonTerminatingErrorNamingTheKnownVersions(string version)
        {
            var result = _ps.Run("Get-AgentPortRequirement -Product SesEvolution -Version $args[0]", version);
            var error = SingleError(result, "PortCatalogVersionNotFound", Cmd, ErrorCategory.ObjectNotFound, version);
            Assert.Contains("Known versions: 2.6, 2.7.1", error.Exception.Message);
            Assert.Contains("2.6, 2.7.1", error.ErrorDetails.RecommendedAction);
            Assert.Empty(result.Output);
        }

        [Fact]
        public void ErrorActionStopMakesTheVersionErrorTerminating()
        {
            var result = _ps.Run("try { Get-AgentPortRequirement -Product SesEvolution -Version 2.7.0 -ErrorAction Stop; 'not reached' } catch { $_.FullyQualifiedErrorId }");
            Assert.Equal("PortCatalogVersionNotFound,EndpointAdmin.Commands." + Cmd, Assert.Single(result.Output).ToString());
        }

        [Fact]
        public void AnUnknownProductIsAParameterErrorListingTheValidProducts()
        {
            var result = _ps.Run("Get-AgentPortRequirement -Product Sophos");
            var error = Assert.Single(result.Errors);
            Assert.Equal("CannotConvertArgumentNoMessage,EndpointAdmin.Commands." + Cmd, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            foreach (var product in new[] { "Sophos", "ApexOne", "DeepSecurity", "KasperskySecurityCenter", "SesEvolution" })
            {
                Assert.Contains(product, error.Exception.Message);
            }
        }

        [Theory]
        [InlineData("-Product SesEvolution -Version 'two'", "PortCatalogVersionInvalid", ErrorCategory.InvalidArgument, "two")]
        [InlineData("-Product SesEvolution -Version '2..7'", "PortCatalogVersionInvalid", ErrorCategory.InvalidArgument, "2..7")]
        [InlineData("-Version 2.7.1", "PortCatalogVersionWithoutProduct", ErrorCategory.InvalidArgument, "2.7.1")]
        [InlineData("-Product SesEvolution -Component Frontend", "PortCatalogComponentNotFound", ErrorCategory.ObjectNotFound, "Frontend")]
        [InlineData("-Product SesEvolution -Component 'Agent['", "PortCatalogComponentNotFound", ErrorCategory.ObjectNotFound, "Agent[")]
        [InlineData("-Product KasperskySecurityCenter -Component Backend", "PortCatalogComponentNotFound", ErrorCategory.ObjectNotFound, "Backend")]
        public void BadValuesAreNonTerminatingErrorsWithStableIds(string arguments, string errorId, ErrorCategory category, string target)
        {
            var result = _ps.Run("Get-AgentPortRequirement " + arguments);
            SingleError(result, errorId, Cmd, category, target);
            Assert.Empty(result.Output);
        }

        [Theory]
        [InlineData("-Topology Any", "ParameterArgumentValidationError")]
        [InlineData("-Topology Cluster", "CannotConvertArgumentNoMessage")]
        [InlineData("-Direction Sideways", "CannotConvertArgumentNoMessage")]
        [InlineData("-Product SesEvolution -Version ''", "ParameterArgumentValidationError")]
        [InlineData("-Component ''", "ParameterArgumentValidationError")]
        [InlineData("-Product @()", "ParameterArgumentValidationError")]
        public void BadParameterValuesFailBindingWithTheEngineIds(string arguments, string errorId)
        {
            // A binding failure stops the statement; script text then goes on, so it is in $Error.
            var result = _ps.Run("Get-AgentPortRequirement " + arguments);
            var error = Assert.Single(result.Errors);
            Assert.Equal(errorId + ",EndpointAdmin.Commands." + Cmd, error.FullyQualifiedErrorId);
            Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
            Assert.Empty(result.Output);
        }

        [Theory]
        [InlineData("Get-AgentPortRequirement -Product SesEvolution -Component Ag", new[] { "Agent", "AgentHandler" })]
        [InlineData("Get-AgentPortRequirement -Product KasperskySecurityCenter -Component ", new[] { "AdministrationServer", "NetworkAgent" })]
        [InlineData("Get-AgentPortRequirement -Product SesEvolution -Version ", new[] { "2.6", "2.7.1" })]
        [InlineData("Get-AgentPortRequirement -Product ApexOne -Version 3.5.3", new[] { "'3.5.3xxx or later'" })]
        public void ComponentAndVersionCompleteFromTheCatalog(string line, string[] expected)
        {
            var result = _ps.Run("[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches | ForEach-Object { $_.CompletionText }", line);
            Assert.Equal(expected, Succeeded(result).Select(o => o.ToString()).OrderBy(s => s).ToArray());
        }
    }
}
