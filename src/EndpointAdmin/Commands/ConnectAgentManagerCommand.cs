using System;
using System.Management.Automation;
using System.Security;
using EndpointAdmin.Http;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// Connect-AgentManager: opens a session to a manager, proves it with one cheap authenticated
    /// call, and makes it this runspace's default for the other manager cmdlets.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "AgentManager", DefaultParameterSetName = ByApiKey)]
    [OutputType(typeof(AgentManagerSession))]
    public sealed class ConnectAgentManagerCommand : EndpointAdminCmdlet
    {
        private const string ByApiKey = "ApiKey";
        private const string ByCredential = "Credential";

        [Parameter(Mandatory = true, Position = 0)]
        public ManagerProduct Product { get; set; }

        /// <summary>A string, not a System.Uri, so a malformed value gets this module's error and ErrorId.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Uri { get; set; }

        /// <summary>Deep Security's API key, or the Apex Central API key that signs each request (with -ApplicationId).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByApiKey)]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; }

        /// <summary>The Apex Central application ID that goes with the API key.</summary>
        [Parameter(ParameterSetName = ByApiKey)]
        [ValidateNotNullOrEmpty]
        public string ApplicationId { get; set; }

        /// <summary>A user of the manager (Kaspersky Security Center).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByCredential)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; }

        /// <summary>The Kaspersky virtual Administration Server to log on to; the main server when omitted.</summary>
        [Parameter(ParameterSetName = ByCredential)]
        [ValidateNotNullOrEmpty]
        public string VirtualServer { get; set; }

        /// <summary>The domain of a Windows account (Kaspersky Security Center); omitted for an internal user.</summary>
        [Parameter(ParameterSetName = ByCredential)]
        [ValidateNotNullOrEmpty]
        public string Domain { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateThumbprint { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter NoProxy { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = ConnectionOptions.DefaultTimeoutSec;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaximumRetryCount { get; set; } = ConnectionOptions.DefaultMaximumRetryCount;

        [Parameter]
        [ValidateRange(0, 60)]
        public int RetryIntervalSec { get; set; } = ConnectionOptions.DefaultRetryIntervalSec;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            AgentManagerSession session = null;
            Must(() =>
            {
                var uri = UriRules.Parse(Uri, "-Uri");
                var options = new ConnectionOptions
                {
                    ManagerUri = uri,
                    ApiKey = ApiKey,
                    ApplicationId = ApplicationId,
                    UserName = Credential?.UserName,
                    Password = Credential?.Password,
                    VirtualServer = VirtualServer,
                    Domain = Domain,
                    CertificateThumbprint = CertificateThumbprint,
                    SkipCertificateCheck = SkipCertificateCheck,
                    Proxy = Proxy == null ? null : UriRules.Parse(Proxy, "-Proxy"),
                    ProxyUserName = ProxyCredential?.UserName,
                    ProxyPassword = ProxyCredential?.Password,
                    NoProxy = NoProxy,
                    TimeoutSec = TimeoutSec,
                    MaximumRetryCount = MaximumRetryCount,
                    RetryIntervalSec = RetryIntervalSec,
                };
                var factory = ManagerProviders.Connector.Validate(Product, options);
                if (SkipCertificateCheck)
                {
                    WriteWarning("-SkipCertificateCheck: the manager's certificate is not checked, so anyone between here and " + uri.Host + " can read the credentials. Pin the certificate with -CertificateThumbprint instead.");
                }

                WriteVerbose("Connecting to " + Product + " at " + uri.GetLeftPart(UriPartial.Path) + ".");
                session = ManagerProviders.Connector.Connect(factory, options, Cancel);
            });

            SessionStore.Default = session;
            WriteVerbose("Connected: " + session + "; it is now the default session of this runspace.");
            if (PassThru)
            {
                WriteObject(session);
            }
        }
    }
}
