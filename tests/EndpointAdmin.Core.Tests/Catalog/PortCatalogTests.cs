using System;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class PortCatalogTests
    {
        private static PortCatalog Catalog => PortCatalog.Default;

        [Fact]
        public void TheEmbeddedCatalogLoadsAndCoversEveryProduct()
        {
            Assert.True(Catalog.Count >= 50);
            foreach (Product p in Enum.GetValues(typeof(Product)))
            {
                var result = Catalog.Find(new PortQuery { Products = new[] { p } });
                Assert.Empty(result.Errors);
                Assert.NotEmpty(result.Requirements);
                Assert.All(result.Requirements, r =>
                {
                    Assert.Equal(p, r.Product);
                    Assert.InRange(r.Port, 1, 65535);
                    Assert.False(string.IsNullOrWhiteSpace(r.Purpose));
                    Assert.False(string.IsNullOrWhiteSpace(r.Source));
                    Assert.False(string.IsNullOrWhiteSpace(r.Version));
                });
            }
        }

        [Fact]
        public void NoRowIsListedTwice()
        {
            var all = Catalog.Find(new PortQuery()).Requirements;
            var keys = all.Select(r => string.Join("|", r.Product, r.Version, r.Component, r.Direction, r.Protocol, r.Port, r.Topology, r.Condition)).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
        }

        [Fact]
        public void ReturnedRowsAreCopiesSoCallersCannotChangeTheCatalog()
        {
            var first = Catalog.Find(new PortQuery { Products = new[] { Product.KasperskySecurityCenter } }).Requirements[0];
            var port = first.Port;
            first.Port = 1;
            var again = Catalog.Find(new PortQuery { Products = new[] { Product.KasperskySecurityCenter } }).Requirements[0];
            Assert.Equal(port, again.Port);
        }

        [Theory]
        [InlineData("2.7.1", "2.7.1")]
        [InlineData("2.7.4", "2.7.1")]
        [InlineData("2.7", "2.7.1")]
        [InlineData("2.6", "2.6")]
        [InlineData("2.6.2", "2.6")]
        public void SesVersionsMatchTheirLine(string asked, string label)
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Version = asked });
            Assert.Empty(result.Errors);
            Assert.NotEmpty(result.Requirements);
            Assert.All(result.Requirements, r => Assert.Equal(label, r.Version));
        }

        [Theory]
        [InlineData("2.7.0")]
        [InlineData("2.8")]
        [InlineData("2.5.9")]
        [InlineData("3")]
        public void AnUncoveredVersionIsAnErrorNamingTheKnownVersions(string asked)
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Version = asked });
            Assert.Empty(result.Requirements);
            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorIds.PortCatalogVersionNotFound, error.ErrorId);
            Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
            Assert.Equal(asked, error.Target);
            Assert.Contains("2.6, 2.7.1", error.Message);
        }

        [Fact]
        public void AVersionThatIsNoVersionIsAnInvalidArgument()
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution, Product.ApexOne }, Version = "latest" });
            Assert.Empty(result.Requirements);
            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorIds.PortCatalogVersionInvalid, error.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            Assert.Equal("latest", error.Target);
        }

        [Theory]
        [InlineData("3.5.3120", 4343)]
        [InlineData("3.5.3xxx", 4343)]
        [InlineData("3.6", 4343)]
        [InlineData("3.5.3xxx or later", 4343)]
        [InlineData("3.5.2999", 61617)]
        [InlineData("3.5.2xxx", 61617)]
        [InlineData("3.4", 61617)]
        public void ApexOneAgentVersionsPickTheirListeningPort(string agentVersion, int port)
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.ApexOne }, Version = agentVersion });
            Assert.Empty(result.Errors);
            Assert.All(result.Requirements, r => Assert.Equal(port, r.Port));
            Assert.Contains(result.Requirements, r => r.Component == "Server" && r.Direction == Direction.Inbound);
        }

        [Fact]
        public void ALabelOfOneProductIsNotFoundForAnother()
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.ApexOne, Product.SesEvolution }, Version = "3.5.3xxx or later" });
            Assert.Contains(result.Requirements, r => r.Product == Product.ApexOne);
            Assert.DoesNotContain(result.Requirements, r => r.Product == Product.SesEvolution);
            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorIds.PortCatalogVersionNotFound, error.ErrorId);
            Assert.Contains("SesEvolution", error.Message);
        }

        [Fact]
        public void ALiteralComponentThatMatchesNothingIsReportedButAPatternIsNot()
        {
            var literal = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Components = new[] { NamePattern.Literal("Frontend") } });
            var error = Assert.Single(literal.Errors);
            Assert.Equal(ErrorIds.PortCatalogComponentNotFound, error.ErrorId);
            Assert.Equal("Frontend", error.Target);
            Assert.Contains("AgentHandler", error.Message);

            var pattern = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution }, Components = new[] { new NamePattern("Front*", true, s => s.StartsWith("Front", StringComparison.OrdinalIgnoreCase)) } });
            Assert.Empty(pattern.Errors);
            Assert.Empty(pattern.Requirements);
        }

        [Theory]
        [InlineData(Topology.SameMachine, 8443)]
        [InlineData(Topology.SeparateMachines, 443)]
        public void TopologyKeepsRowsThatDoNotDependOnIt(Topology topology, int backendPort)
        {
            var result = Catalog.Find(new PortQuery
            {
                Products = new[] { Product.SesEvolution },
                Version = "2.7.1",
                Components = new[] { NamePattern.Literal("Backend") },
                Direction = Direction.Inbound,
                Topology = topology,
            });
            Assert.Equal(new[] { backendPort, 10443 }, result.Requirements.Select(r => r.Port).ToArray());
        }

        [Fact]
        public void WithoutAVersionEveryVersionIsListed()
        {
            var result = Catalog.Find(new PortQuery { Products = new[] { Product.SesEvolution } });
            Assert.Equal(new[] { "2.6", "2.7.1" }, result.Requirements.Select(r => r.Version).Distinct().ToArray());
        }
    }
}
