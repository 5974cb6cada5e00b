using System;
using EndpointAdmin.Http;
using EndpointAdmin.Managers;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>Kaspersky Security Center: a manager account signs in to a session below /api/v1.0/.</summary>
    internal sealed class KasperskyFactory : IManagerProviderFactory
    {
        public ManagerProduct Product => ManagerProduct.KasperskySecurityCenter;

        /// <summary>https://ksc:13299 -> https://ksc:13299/api/v1.0/</summary>
        public Uri ApiBase(Uri managerUri) => KscWire.ApiBase(managerUri);

        /// <summary>Which devices keep a continuous connection; the synchronization interval has no Open API, so it is a NotSupported row.</summary>
        public Baseline.ManagerBaselineSchema BaselineSchema { get; } = new Baseline.ManagerBaselineSchema
        {
            Manager = new[] { new Baseline.SettingDefinition("SyncIntervalMinutes", Baseline.SettingKind.Minutes) { ConsolePath = KscWire.ConsolePath(ManagerCapability.WriteHeartbeatPolicy) } },
            ContinuousConnection = new Baseline.SettingDefinition("ContinuousConnection", Baseline.SettingKind.Boolean),
        };

        public void Validate(ConnectionOptions options)
        {
            if (options.UserName == null)
            {
                throw SignInRules.Invalid(Product.ToString(), Product + " signs in with a user account: give -Credential (and -Domain for a Windows account), not -ApiKey.");
            }

            if (options.Password == null || options.Password.Length == 0)
            {
                throw SignInRules.Invalid(options.UserName, "The password of -Credential '" + options.UserName + "' is empty.");
            }

            SignInRules.RefuseApplicationId(options);
        }

        /// <summary>Nothing is sent here: CheckConnection signs in.</summary>
        public IAgentManagerProvider Create(ConnectionOptions options) => new KasperskyProvider(new KscSession(ApiBase(options.ManagerUri), options));
    }
}
