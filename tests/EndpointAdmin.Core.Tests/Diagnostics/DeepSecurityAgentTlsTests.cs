// The document is about TLS 1.0 agents: the obsolete protocol names are the subject here.
#pragma warning disable SYSLIB0039
using System.Linq;
using System.Security.Authentication;
using EndpointAdmin.Diagnostics;
using EndpointAdmin.Errors;
using Xunit;

namespace EndpointAdmin.Core.Tests.Diagnostics
{
    /// <summary>The agent cipher list of the Agent-manager communication document, and the verdicts built on it.</summary>
    public class DeepSecurityAgentTlsTests
    {
        [Theory]
        [InlineData("9.5", "9.5", SslProtocols.Tls, "TLS_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA")]
        [InlineData("9.5.1234", "9.5", SslProtocols.Tls, "TLS_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA")]
        [InlineData("9.6", "9.6", SslProtocols.Tls, "TLS_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA")]
        [InlineData("9.6.3177", "9.6", SslProtocols.Tls, "TLS_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA")]
        [InlineData("10.0", "10.0", SslProtocols.Tls12, "TLS_RSA_WITH_AES_256_CBC_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA256")]
        [InlineData("10", "10.0", SslProtocols.Tls12, "TLS_RSA_WITH_AES_256_CBC_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA256")]
        [InlineData(" 10.0.0-2417 ", "10.0", SslProtocols.Tls12, "TLS_RSA_WITH_AES_256_CBC_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA256")]
        public void EachListedVersionHasTheDocumentsProtocolAndCiphers(string given, string version, SslProtocols protocol, string ciphers)
        {
            var agent = DeepSecurityAgentTls.Find(given);
            Assert.Equal(version, agent.Version);
            Assert.Equal(protocol, agent.Protocol);
            Assert.Equal(ciphers, string.Join(",", agent.CipherSuites));
        }

        [Theory]
        [InlineData("9.4")]
        [InlineData("9")]
        [InlineData("10.1")]
        [InlineData("20.0")]
        [InlineData("latest")]
        [InlineData("")]
        public void AnUnlistedVersionIsRejectedNamingTheListedOnes(string given)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => DeepSecurityAgentTls.Find(given));
            Assert.Equal(ErrorIds.DeepSecurityAgentVersionUnknown, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Equal(given, ex.Target);
            Assert.Contains("9.5, 9.6, 10.0", ex.Message);
        }

        [Fact]
        public void ARefusedHandshakeMeansTheAgentCannotConnect()
        {
            var verdict = DeepSecurityAgentTls.Find("9.5").Judge(false, SslProtocols.None, null, true, "protocol version alert");
            Assert.False(verdict.Compatible);
            Assert.Contains("Deep Security Agent 9.5 (TLS 1.0 with TLS_RSA_WITH_AES_256_CBC_SHA or TLS_RSA_WITH_AES_128_CBC_SHA)", verdict.Detail);
            Assert.EndsWith("protocol version alert", verdict.Detail);
        }

        [Fact]
        public void AHandshakeWithAListedCipherMeansItCan()
        {
            var verdict = DeepSecurityAgentTls.Find("10.0").Judge(true, SslProtocols.Tls12, "TLS_RSA_WITH_AES_128_CBC_SHA256", true, null);
            Assert.True(verdict.Compatible);
            Assert.Contains("TLS_RSA_WITH_AES_128_CBC_SHA256", verdict.Detail);
        }

        [Fact]
        public void AnotherProtocolOrAnUnlistedCipherIsNotCompatible()
        {
            var agent = DeepSecurityAgentTls.Find("9.6");
            Assert.False(agent.Judge(true, SslProtocols.Tls12, "TLS_RSA_WITH_AES_256_CBC_SHA", true, null).Compatible);
            Assert.False(agent.Judge(true, SslProtocols.Tls, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", true, null).Compatible);
        }

        [Fact]
        public void WhereThePlatformCannotRestrictOrShowTheCipherTheVerdictSaysSo()
        {
            var agent = DeepSecurityAgentTls.Find("10.0");
            var unknown = agent.Judge(true, SslProtocols.Tls12, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", false, null);
            Assert.Null(unknown.Compatible);
            Assert.Contains("unknown", unknown.Detail);
            var hidden = agent.Judge(true, SslProtocols.Tls12, TlsDetails.NotExposed, false, null);
            Assert.True(hidden.Compatible);
            Assert.Contains("only the protocol version was checked", hidden.Detail);
        }

        [Theory]
        [InlineData(SslProtocols.Tls, true)]
        [InlineData(SslProtocols.Tls11, true)]
        [InlineData(SslProtocols.Tls12, false)]
        [InlineData((SslProtocols)12288, false)]
        [InlineData(SslProtocols.None, false)]
        public void OnlyVersionsBelowTls12AreFlagged(SslProtocols protocol, bool below)
        {
            Assert.Equal(below, DeepSecurityAgentTls.IsBelowTls12(protocol));
        }

        [Fact]
        public void TheTableHoldsExactlyTheDocumentsThreeVersions()
        {
            Assert.Equal(new[] { "9.5", "9.6", "10.0" }, DeepSecurityAgentTls.Known.Select(k => k.Version).ToArray());
        }
    }
}
