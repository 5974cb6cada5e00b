using System;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>A catalog with a mistake in it must fail to load, never load with a silent gap.</summary>
    public class PortCatalogParseTests
    {
        private const string Products = @"
          { ""name"": ""ApexOne"", ""displayName"": ""A"", ""versionMeaning"": ""v"", ""versions"": [ { ""label"": ""All"", ""minimum"": null, ""maximum"": null } ], ""components"": [ ""Server"" ] },
          { ""name"": ""DeepSecurity"", ""displayName"": ""D"", ""versionMeaning"": ""v"", ""versions"": [ { ""label"": ""All"" } ], ""components"": [ ""Manager"" ] },
          { ""name"": ""KasperskySecurityCenter"", ""displayName"": ""K"", ""versionMeaning"": ""v"", ""versions"": [ { ""label"": ""All"" } ], ""components"": [ ""AdministrationServer"" ] },
          { ""name"": ""SesEvolution"", ""displayName"": ""S"", ""versionMeaning"": ""v"", ""versions"": [ { ""label"": ""2.6"", ""minimum"": ""2.6"", ""maximum"": ""2.7"" } ], ""components"": [ ""Backend"" ] }";

        private static string Doc(string row, string products = Products, string sources = @"{ ""s"": ""Source S"" }")
        {
            return "{ \"sources\": " + sources + ", \"products\": [" + products + "], \"requirements\": [" + row + "] }";
        }

        private const string GoodRow = @"{ ""product"": ""SesEvolution"", ""version"": ""2.6"", ""component"": ""Backend"", ""direction"": ""Inbound"", ""protocol"": ""TCP"", ""port"": 443, ""purpose"": ""p"", ""source"": ""s"" }";

        [Fact]
        public void AGoodDocumentLoads()
        {
            var catalog = PortCatalog.Parse(Doc(GoodRow));
            var row = Assert.Single(catalog.Find(new PortQuery()).Requirements);
            Assert.Equal("Source S", row.Source);
            Assert.Equal(Topology.Any, row.Topology);
            Assert.Equal(PortNecessity.Required, row.Necessity);
        }

        [Theory]
        [InlineData("\"version\": \"2.6\"", "\"version\": \"2.7\"", "version '2.7'")]
        [InlineData("\"component\": \"Backend\"", "\"component\": \"Frontend\"", "component 'Frontend'")]
        [InlineData("\"port\": 443", "\"port\": 0", "port 0")]
        [InlineData("\"port\": 443", "\"port\": 65536", "port 65536")]
        [InlineData("\"source\": \"s\"", "\"source\": \"t\"", "source 't'")]
        [InlineData("\"purpose\": \"p\"", "\"purpose\": \" \"", "no purpose")]
        [InlineData("\"protocol\": \"TCP\"", "\"protocol\": \"SCTP\"", "SCTP")]
        [InlineData("\"protocol\": \"TCP\"", "\"protocol\": 6", "6")]
        [InlineData("\"direction\": \"Inbound\"", "\"direction\": \"Inbound\", \"directon\": \"x\"", "directon")]
        [InlineData(", \"purpose\": \"p\"", "", "purpose")]
        public void AMistakeInARowFailsTheLoad(string from, string to, string mentioned)
        {
            var row = GoodRow.Replace(from, to);
            Assert.NotEqual(GoodRow, row);
            var ex = Assert.Throws<EndpointAdminException>(() => PortCatalog.Parse(Doc(row)));
            Assert.Equal(ErrorIds.PortCatalogInvalid, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Contains(mentioned, ex.Message);
        }

        [Fact]
        public void AMissingProductFailsTheLoad()
        {
            var withoutApex = Products.Substring(Products.IndexOf("{ \"name\": \"DeepSecurity\"", StringComparison.Ordinal));
            var ex = Assert.Throws<EndpointAdminException>(() => PortCatalog.Parse(Doc(GoodRow, withoutApex)));
            Assert.Contains("ApexOne", ex.Message);
        }

        [Fact]
        public void AnEmptyVersionRangeFailsTheLoad()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => PortCatalog.Parse(Doc(GoodRow, Products.Replace("\"maximum\": \"2.7\"", "\"maximum\": \"2.5\""))));
            Assert.Contains("empty", ex.Message);
        }

        [Fact]
        public void BrokenJsonFailsTheLoad()
        {
            var ex = Assert.Throws<EndpointAdminException>(() => PortCatalog.Parse("{ \"sources\": "));
            Assert.Equal(ErrorIds.PortCatalogInvalid, ex.ErrorId);
        }
    }
}
