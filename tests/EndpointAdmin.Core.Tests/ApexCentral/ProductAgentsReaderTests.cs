using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using EndpointAdmin.ApexCentral;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The streaming ProductAgents reader: fields kept, unknown ones skipped, members in any order, the result code judged before any agent goes out.</summary>
    public class ProductAgentsReaderTests
    {
        private const string Agent1 = "{\"capabilities\":[\"cmd_isolate_agent\"],\"entity_id\":\"E1\",\"host_name\":\"PC01\",\"ip_address_list\":\"10.0.0.5, fd00::5\",\"mac_address_list\":\"00-11-22-33-44-55\",\"managing_server_id\":\"S1\",\"product\":\"SLF_PRODUCT_OFFICESCAN_CE\",\"extra\":{\"a\":[1,2]},\"isolation_status\":\"normal\"}";

        private sealed class Judged : Exception
        {
            public Judged(int? code)
                : base("result_code " + code)
            {
                Code = code;
            }

            public int? Code { get; }
        }

        /// <summary>Reads <paramref name="json"/>, recording the judged codes and how many agents had gone out at each; a code other than 1 throws.</summary>
        private static (List<Agent> Agents, List<(int? Code, int AgentsBefore)> Judgements) Read(string json)
        {
            var agents = new List<Agent>();
            var judgements = new List<(int?, int)>();
            var stream = new System.IO.MemoryStream(Encoding.UTF8.GetBytes(json));
            foreach (var agent in ProductAgentsReader.Read(stream, code =>
            {
                judgements.Add((code, agents.Count));
                if (code != 1)
                {
                    throw new Judged(code);
                }
            }))
            {
                agents.Add(agent);
            }

            return (agents, judgements);
        }

        private static string Many(int n) => string.Join(",", Enumerable.Range(1, n).Select(i => "{\"entity_id\":\"E" + i + "\",\"host_name\":\"PC" + i + "\",\"ip_address_list\":\"10.0.0." + i + "\"}"));

        [Fact]
        public void TheResultCodeMayFollowTheContentAndUnknownFieldsAreSkipped()
        {
            var (agents, judgements) = Read("{\"result_content\":[" + Agent1 + "],\"result_description\":\"ok\",\"result_code\":1}");
            Assert.Equal((1, 0), Assert.Single(judgements));
            var agent = Assert.Single(agents);
            Assert.Equal("E1", agent.Id);
            Assert.Equal("PC01", agent.Name);
            Assert.Equal(new[] { "10.0.0.5", "fd00::5" }, agent.IPAddressList);
            Assert.Equal("10.0.0.5", agent.IPAddress);
            Assert.Equal(new[] { "00-11-22-33-44-55" }, agent.MacAddressList);
            Assert.Equal("S1", agent.ManagingServerId);
            Assert.Equal("SLF_PRODUCT_OFFICESCAN_CE", agent.ManagedProduct);
            Assert.Equal("normal", agent.IsolationStatus);
            Assert.Equal(ManagerProduct.ApexCentral, agent.Product);
            Assert.Null(agent.LastContact);
        }

        [Fact]
        public void BothOrdersYieldTheSameAgentsAndAResultCodeFirstIsJudgedBeforeTheFirstAgent()
        {
            var first = Read("{\"result_code\":1,\"result_description\":\"ok\",\"result_content\":[" + Many(300) + "]}");
            var last = Read("{\"result_content\":[" + Many(300) + "],\"result_code\":1}");
            Assert.Equal(300, first.Agents.Count);
            Assert.Equal(first.Agents.Select(a => a.Id + "|" + a.Name + "|" + a.IPAddress), last.Agents.Select(a => a.Id + "|" + a.Name + "|" + a.IPAddress));
            Assert.Equal("E300", first.Agents.Last().Id);
            Assert.Equal((1, 0), Assert.Single(first.Judgements));
            Assert.Equal((1, 0), Assert.Single(last.Judgements));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void AnErrorCodeInEitherOrderLetsNoAgentOut(bool codeFirst)
        {
            var json = codeFirst
                ? "{\"result_code\":-99,\"result_content\":[" + Many(5) + "]}"
                : "{\"result_content\":[" + Many(5) + "],\"result_code\":-99}";
            var agents = new List<Agent>();
            var ex = Assert.Throws<Judged>(() => agents.AddRange(ProductAgentsReader.Read(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(json)), code => throw new Judged(code))));
            Assert.Equal(-99, ex.Code);
            Assert.Empty(agents);
        }

        [Fact]
        public void AnAnswerWithoutResultCodeIsJudgedWithNone()
        {
            var ex = Assert.Throws<Judged>(() => Read("{\"result_content\":[" + Many(2) + "]}"));
            Assert.Null(ex.Code);
        }

        [Fact]
        public void ATruncatedAnswerIsAJsonError()
        {
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => Read("{\"result_code\":1,\"result_content\":[{\"entity_id\":\""));
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => Read("{\"result_code\":1,\"result_content\":[" + Many(3)));
        }
    }
}
