using System;
using EndpointAdmin.Http;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// How one product's provider comes to be: the product's own sign-in rules, its API root, and a
    /// provider that builds and owns its pipeline. Each vendor folder has one; ManagerProviders
    /// lists them, and ManagerConnector does the rest the same way for all.
    /// </summary>
    internal interface IManagerProviderFactory
    {
        ManagerProduct Product { get; }

        /// <summary>The API root below the URI the user gave (https://dsm:4119 -> https://dsm:4119/api/).</summary>
        Uri ApiBase(Uri managerUri);

        /// <summary>
        /// The product's sign-in rules: it got the secret it signs in with, and nothing that belongs
        /// to another product. Throws ManagerParameterInvalid.
        /// </summary>
        void Validate(ConnectionOptions options);

        /// <summary>A provider over its own pipeline to ApiBase(options.ManagerUri); nothing is sent until it is used.</summary>
        IAgentManagerProvider Create(ConnectionOptions options);

        /// <summary>What the product accepts in a baseline, so a file is checked before any session or request.</summary>
        Baseline.ManagerBaselineSchema BaselineSchema { get; }
    }
}
