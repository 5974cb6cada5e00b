using System;
using System.Collections.Generic;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>Deep Security Manager: an API key in the api-secret-key header of every request, below /api/.</summary>
    internal sealed class DeepSecurityFactory : IManagerProviderFactory
    {
        public ManagerProduct Product => ManagerProduct.DeepSecurity;

        /// <summary>The API root below the URI the user gave (https://dsm:4119 -> https://dsm:4119/api/).</summary>
        public Uri ApiBase(Uri managerUri)
        {
            var text = managerUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            if (!text.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
            {
                text += "/api";
            }

            return new Uri(text + "/");
        }

        /// <summary>
        /// Heartbeat and direction on the base policy, policies and computers (the names of
        /// Set-AgentHeartbeatPolicy's parameters), the Smart Protection proxy and the priority-4
        /// heartbeat rule per policy, and the two manager-wide update proxies.
        /// </summary>
        public Baseline.ManagerBaselineSchema BaselineSchema { get; } = DeepSecurityBaseline.Schema();

        public void Validate(ConnectionOptions options)
        {
            SignInRules.RequireApiKey(Product, options);
            SignInRules.RefuseApplicationId(options);
        }

        /// <summary>The key and version headers go on at send time, for every attempt.</summary>
        public IAgentManagerProvider Create(ConnectionOptions options)
        {
            var key = new ApiKeyHeader(DeepSecurityWire.SecretHeader, options.ApiKey, new KeyValuePair<string, string>(DeepSecurityWire.VersionHeader, DeepSecurityWire.ApiVersion));
            return new DeepSecurityProvider(new HttpPipeline(ApiBase(options.ManagerUri), options, key));
        }
    }
}
