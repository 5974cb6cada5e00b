using System;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using EndpointAdmin.ApexCentral;
using Newtonsoft.Json.Linq;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>The Apex Central JWT and checksum as the Authentication guide defines them, and the one result-code map.</summary>
    public class ApexCentralTokenTests
    {
        private static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (var c in text)
            {
                s.AppendChar(c);
            }

            return s;
        }

        private static string Sha(string text)
        {
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        private static byte[] FromBase64Url(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
        }

        [Fact]
        public void TheChecksumIsUpperMethodLowerPathAndQueryHeadersAndBody()
        {
            Assert.Equal(Sha("GET|/webapp/api/agentresource/productagents?host_name=pc01||"), ApexCentralToken.Checksum("get", "/WebApp/API/AgentResource/ProductAgents?host_name=PC01", ""));
            Assert.Equal(Sha("POST|/webapp/api/agentresource/productagents||{\"act\":\"x\"}"), ApexCentralToken.Checksum("POST", "/WebApp/API/AgentResource/ProductAgents?", "{\"act\":\"x\"}"));
        }

        [Fact]
        public void TheTokenIsAnHs256JwtOverTheRequestSignedWithTheKey()
        {
            var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            var token = ApexCentralToken.Create("APP-1", Secure("the-api-key"), "GET", "/WebApp/API/AgentResource/ProductAgents", string.Empty, now);
            var parts = token.Split('.');
            Assert.Equal(3, parts.Length);
            var header = JObject.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[0])));
            Assert.Equal("HS256", (string)header["alg"]);
            Assert.Equal("JWT", (string)header["typ"]);
            var payload = JObject.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[1])));
            Assert.Equal("APP-1", (string)payload["appid"]);
            Assert.Equal("V1", (string)payload["version"]);
            Assert.Equal(new DateTimeOffset(now).ToUnixTimeSeconds(), (long)payload["iat"]);
            Assert.Equal(ApexCentralToken.Checksum("GET", "/WebApp/API/AgentResource/ProductAgents", string.Empty), (string)payload["checksum"]);
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("the-api-key"));
            Assert.Equal(hmac.ComputeHash(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])), FromBase64Url(parts[2]));
            Assert.DoesNotContain("the-api-key", token, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(-8, "ManagerAuthenticationFailed", "AuthenticationError")]
        [InlineData(-2, "ManagerAuthenticationFailed", "AuthenticationError")]
        [InlineData(-21, "ManagerBadRequest", "InvalidArgument")]
        [InlineData(-50, "ManagerProtocolError", "ProtocolError")]
        [InlineData(-99, "ManagerUnavailable", "ResourceUnavailable")]
        [InlineData(-102, "ApexCentralAgentOperationFailed", "InvalidOperation")]
        [InlineData(-31, "ApexCentralResultError", "ProtocolError")]
        public void ResultCodesAreMappedOnce(int code, string errorId, string kind)
        {
            var (id, mapped) = ApexCentralWire.Map(code);
            Assert.Equal(errorId, id);
            Assert.Equal(kind, mapped.ToString());
            Assert.False(string.IsNullOrEmpty(ApexCentralWire.Describe(code)));
        }

        [Theory]
        [InlineData("3.5.2100", true)]
        [InlineData("3.5.2xxx", true)]
        [InlineData("3.4.9999", true)]
        [InlineData("3.5.3xxx", false)]
        [InlineData("3.5.3456", false)]
        public void AgentVersionsOf352xxxOrEarlierKeepTheirFixedSettings(string version, bool legacy)
        {
            Assert.Equal(legacy, ApexOneSettings.IsLegacyAgent(version));
        }

        [Theory]
        [InlineData(new[] { "fd00::1" }, true)]
        [InlineData(new[] { "fd00::1", "10.0.0.1" }, false)]
        [InlineData(new[] { "::ffff:10.0.0.1" }, false)]
        [InlineData(new string[0], false)]
        public void IPv6OnlyAgentsAreThoseWithoutAnyIPv4Address(string[] addresses, bool expected)
        {
            Assert.Equal(expected, ApexOneSettings.IsIPv6Only(addresses));
        }
    }
}
