using System;
using System.Linq;
using EndpointAdmin.ApexCentral;
using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using EndpointAdmin.Kaspersky;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// Connect-AgentManager's checks, before anything is sent: each product's own sign-in rules
    /// (from its factory) first, then the rules every product shares; and the session handle.
    /// </summary>
    public class ManagerConnectorTests
    {
        private static readonly ManagerConnector Connector = ManagerProviders.Connector;

        private static ConnectionOptions ApiKey(string key = "2:key") => new ConnectionOptions { ManagerUri = new Uri("https://manager.test/"), ApiKey = RedactorTests.Secure(key) };

        private static ConnectionOptions Credential(string password = "pw") => new ConnectionOptions { ManagerUri = new Uri("https://ksc.test:13299/"), UserName = "ops", Password = RedactorTests.Secure(password) };

        private static string Refusal(ManagerProduct product, ConnectionOptions options)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => Connector.Validate(product, options));
            Assert.Equal(ErrorIds.ManagerParameterInvalid, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            return ex.Message;
        }

        [Fact]
        public void EveryProductHasOneRegisteredFactory()
        {
            var products = ManagerProviders.Factories.Select(f => f.Product).ToList();
            Assert.Equal(Enum.GetValues(typeof(ManagerProduct)).Cast<ManagerProduct>().OrderBy(p => p), products.OrderBy(p => p));
            Assert.IsType<DeepSecurityFactory>(Connector.Validate(ManagerProduct.DeepSecurity, ApiKey()));
            Assert.IsType<KasperskyFactory>(Connector.Validate(ManagerProduct.KasperskySecurityCenter, Credential()));
            var apex = ApiKey();
            apex.ApplicationId = "app";
            Assert.IsType<ApexCentralFactory>(Connector.Validate(ManagerProduct.ApexCentral, apex));
        }

        [Fact]
        public void ApiKeyProductsRefuseACredentialAnEmptyKeyAndAForeignApplicationId()
        {
            var credential = ApiKey();
            credential.UserName = "ops";
            Assert.Equal("DeepSecurity signs in with an API key: give -ApiKey, not -Credential.", Refusal(ManagerProduct.DeepSecurity, credential));
            Assert.Equal("ApexCentral signs in with an API key: give -ApiKey, not -Credential.", Refusal(ManagerProduct.ApexCentral, credential));
            Assert.Equal("-ApiKey is empty.", Refusal(ManagerProduct.DeepSecurity, ApiKey(string.Empty)));
            var foreign = ApiKey();
            foreign.ApplicationId = "app";
            Assert.Equal("-ApplicationId is for Apex Central only.", Refusal(ManagerProduct.DeepSecurity, foreign));
            Assert.Contains("give -ApplicationId too", Refusal(ManagerProduct.ApexCentral, ApiKey()));
        }

        [Fact]
        public void KasperskyNeedsAUserAccountWithAPassword()
        {
            Assert.StartsWith("KasperskySecurityCenter signs in with a user account: give -Credential", Refusal(ManagerProduct.KasperskySecurityCenter, ApiKey()));
            Assert.Equal("The password of -Credential 'ops' is empty.", Refusal(ManagerProduct.KasperskySecurityCenter, Credential(string.Empty)));
            var foreign = Credential();
            foreign.ApplicationId = "app";
            Assert.Equal("-ApplicationId is for Apex Central only.", Refusal(ManagerProduct.KasperskySecurityCenter, foreign));
        }

        [Fact]
        public void TheProductsRulesComeBeforeTheSharedOnes()
        {
            var both = ApiKey(string.Empty);
            both.NoProxy = true;
            both.Proxy = new Uri("http://proxy.test:3128");
            Assert.Equal("-ApiKey is empty.", Refusal(ManagerProduct.DeepSecurity, both));
        }

        [Theory]
        [InlineData("xyz", false, null, false, null, "is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint")]
        [InlineData("AA:BB", false, null, false, null, "is not a SHA-1")]
        [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true, null, false, null, "contradict each other: a pin checks the certificate")]
        [InlineData(null, false, "http://proxy.test:3128", true, null, "-Proxy and -NoProxy contradict each other.")]
        [InlineData(null, false, null, false, "proxyuser", "-ProxyCredential needs -Proxy.")]
        public void TheSharedRulesHoldForEveryProduct(string thumbprint, bool skip, string proxy, bool noProxy, string proxyUser, string expected)
        {
            foreach (var factory in ManagerProviders.Factories)
            {
                var options = factory.Product == ManagerProduct.KasperskySecurityCenter ? Credential() : ApiKey();
                options.ApplicationId = factory.Product == ManagerProduct.ApexCentral ? "app" : null;
                options.CertificateThumbprint = thumbprint;
                options.SkipCertificateCheck = skip;
                options.Proxy = proxy == null ? null : new Uri(proxy);
                options.NoProxy = noProxy;
                options.ProxyUserName = proxyUser;
                Assert.Contains(expected, Refusal(factory.Product, options));
            }
        }

        [Fact]
        public void EachFactoryPutsTheApiRootWhereItsProductHasIt()
        {
            Assert.Equal(new Uri("https://apex.test/"), new ApexCentralFactory().ApiBase(new Uri("https://apex.test/some/path")));
            Assert.Equal(new Uri("https://ksc.test:13299/api/v1.0/"), new KasperskyFactory().ApiBase(new Uri("https://ksc.test:13299/")));
            Assert.Equal(new Uri("https://dsm.test:4119/api/"), new DeepSecurityFactory().ApiBase(new Uri("https://dsm.test:4119")));
        }

        [Fact]
        public void AClosedSessionHasNoProviderAndSaysSo()
        {
            var provider = new DeepSecurityProvider(null);
            var session = new AgentManagerSession { IsOpen = true, Handle = provider };
            Assert.Same(provider, ManagerConnector.Provider(session));
            ManagerConnector.Close(session);
            Assert.Null(ManagerConnector.Provider(session));
            Assert.False(session.IsOpen);
            Assert.Null(ManagerConnector.Provider(new AgentManagerSession { Handle = "not a provider" }));
        }
    }
}
