using System.Text;
using EndpointAdmin.ApexCentral;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The streaming ProductAgents reader: fields kept, unknown ones skipped, members in any order.</summary>
    public class ProductAgentsReaderTests
    {
        private static ProductAgentsPage Read(string json) => ProductAgentsReader.Read(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(json)));

        [Fact]
        public void TheResultCodeMayFollowTheContentAndUnknownFieldsAreSkipped()
        {
            var page = Read("{\"result_content\":[{\"capabilities\":[\"cmd_isolate_agent\"],\"entity_id\":\"E1\",\"host_name\":\"PC01\",\"ip_address_list\":\"10.0.0.5, fd00::5\",\"mac_address_list\":\"00-11-22-33-44-55\",\"managing_server_id\":\"S1\",\"product\":\"SLF_PRODUCT_OFFICESCAN_CE\",\"extra\":{\"a\":[1,2]},\"isolation_status\":\"normal\"}],\"result_description\":\"ok\",\"result_code\":1}");
            Assert.Equal(1, page.ResultCode);
            var agent = Assert.Single(page.Agents);
            Assert.Equal("E1", agent.Id);
            Assert.Equal("PC01", agent.Name);
            Assert.Equal(new[] { "10.0.0.5", "fd00::5" }, agent.IPAddressList);
            Assert.Equal("10.0.0.5", agent.IPAddress);
            Assert.Equal(new[] { "00-11-22-33-44-55" }, agent.MacAddressList);
            Assert.Equal("S1", agent.ManagingServerId);
            Assert.Equal("SLF_PRODUCT_OFFICESCAN_CE", agent.ManagedProduct);
            Assert.Equal("normal", agent.IsolationStatus);
            Assert.Null(agent.LastContact);
        }

        [Fact]
        public void AnAnswerWithoutResultCodeHasNone()
        {
            Assert.Null(Read("{\"result_content\":[]}").ResultCode);
        }

        [Fact]
        public void ATruncatedAnswerIsAJsonError()
        {
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => Read("{\"result_code\":1,\"result_content\":[{\"entity_id\":\""));
        }
    }
}
