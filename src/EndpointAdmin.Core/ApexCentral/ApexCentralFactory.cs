using System;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>Apex Central: an application's ID and API key sign every request, below the server root.</summary>
    internal sealed class ApexCentralFactory : IManagerProviderFactory
    {
        public ManagerProduct Product => ManagerProduct.ApexCentral;

        /// <summary>The server root the API paths hang below (https://apex:443/anything -> https://apex:443/).</summary>
        public Uri ApiBase(Uri managerUri) => new Uri(managerUri.GetLeftPart(UriPartial.Authority) + "/");

        public void Validate(ConnectionOptions options)
        {
            SignInRules.RequireApiKey(Product, options);
            if (string.IsNullOrWhiteSpace(options.ApplicationId))
            {
                throw SignInRules.Invalid("ApplicationId", "Apex Central signs each request with the API key of an application: give -ApplicationId too.");
            }
        }

        public IAgentManagerProvider Create(ConnectionOptions options)
        {
            var signer = new ApexJwtSigner(options.ApplicationId, options.ApiKey);
            return new ApexCentralProvider(new HttpPipeline(ApiBase(options.ManagerUri), options, signer));
        }
    }
}
