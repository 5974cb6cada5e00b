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

        /// <summary>
        /// The Apex One settings of the product documents, by the names of Set-AgentServerCommunication,
        /// Set-AgentProxy -Purpose AgentServer and Set-AgentFirewallSetting. Apex Central has no API for
        /// any of them, so each is a NotSupported row naming its console page and fields.
        /// </summary>
        public Baseline.ManagerBaselineSchema BaselineSchema { get; } = new Baseline.ManagerBaselineSchema
        {
            Manager = new[]
            {
                new Baseline.SettingDefinition("ServerAddress", Baseline.SettingKind.HostList) { ConsolePath = ApexCentralWire.ConsolePath(ManagerCapability.SetServerCommunication) + ": Server names and IPv4/IPv6 addresses" },
                new Baseline.SettingDefinition("ListeningPort", Baseline.SettingKind.Port) { ConsolePath = ApexCentralWire.ConsolePath(ManagerCapability.SetServerCommunication) + ": Listening port" },
                new Baseline.SettingDefinition("AgentServerProxy", Baseline.SettingKind.ProxyMode) { ConsolePath = ApexCentralWire.ConsolePath(ManagerCapability.SetAgentServerProxy) },
                Firewall("EnableFirewall", "Enable the Apex One Firewall"),
                Firewall("SendLogToServer", "Send firewall logs to the server"),
                new Baseline.SettingDefinition("LogSendingIntervalMinutes", Baseline.SettingKind.Minutes) { ConsolePath = ApexCentralWire.ConsolePath(ManagerCapability.SetFirewallSettings) + ": the log sending schedule of Send firewall logs to the server" },
                Firewall("UpdateDriverOnlyAfterRestart", "Update the Apex One firewall driver only after a system restart"),
                Firewall("SendHourlyLogCount", "Send firewall log information to the Apex One server hourly to determine the possibility of a firewall outbreak"),
                new Baseline.SettingDefinition("CertifiedSafeSoftwareService", Baseline.SettingKind.Boolean) { ConsolePath = "Apex One web console: Agents > Global Agent Settings > System tab > Certified Safe Software Settings: Enable the Certified Safe Software Service for Behavior Monitoring, Firewall, and antivirus scans (check the agents' proxy settings first)" },
            },
        };

        private static Baseline.SettingDefinition Firewall(string name, string field)
        {
            return new Baseline.SettingDefinition(name, Baseline.SettingKind.Boolean) { ConsolePath = "Apex One web console: Agents > Global Agent Settings > Security Settings > Firewall Settings: " + field };
        }

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
