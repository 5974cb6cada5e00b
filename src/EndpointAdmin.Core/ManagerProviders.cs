using EndpointAdmin.ApexCentral;
using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Kaspersky;
using EndpointAdmin.Managers;

namespace EndpointAdmin
{
    /// <summary>
    /// The composition root of the manager providers, and the only file outside a vendor folder that
    /// names one (an architecture test holds this): adding a product is its folder plus one line here.
    /// </summary>
    internal static class ManagerProviders
    {
        public static readonly IManagerProviderFactory[] Factories =
        {
            new DeepSecurityFactory(),
            new KasperskyFactory(),
            new ApexCentralFactory(),
        };

        /// <summary>The connector over every registered product; Connect-AgentManager uses it.</summary>
        public static readonly ManagerConnector Connector = new ManagerConnector(Factories);
    }
}
