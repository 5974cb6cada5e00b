using System;
using System.Security;

namespace EndpointAdmin.Http
{
    /// <summary>How to reach a manager: everything Connect-AgentManager binds, validated once by ManagerConnector.</summary>
    internal sealed class ConnectionOptions
    {
        public const int DefaultTimeoutSec = 100;
        public const int DefaultMaximumRetryCount = 3;
        public const int DefaultRetryIntervalSec = 2;

        /// <summary>The manager's URI as the user gave it (validated by UriRules); each product's factory derives its API root from it.</summary>
        public Uri ManagerUri { get; set; }

        /// <summary>The API key, encrypted in memory; turned into a header value only while a request is sent.</summary>
        public SecureString ApiKey { get; set; }

        /// <summary>Apex Central: the application ID whose API key signs each request.</summary>
        public string ApplicationId { get; set; }

        /// <summary>Kaspersky Security Center: the user and password of a manager account.</summary>
        public string UserName { get; set; }

        public SecureString Password { get; set; }

        /// <summary>Kaspersky Security Center: the virtual Administration Server; null for the main server.</summary>
        public string VirtualServer { get; set; }

        /// <summary>Kaspersky Security Center: the Windows domain of the account; null for an internal user.</summary>
        public string Domain { get; set; }

        public string CertificateThumbprint { get; set; }

        public bool SkipCertificateCheck { get; set; }

        public Uri Proxy { get; set; }

        public string ProxyUserName { get; set; }

        public SecureString ProxyPassword { get; set; }

        public bool NoProxy { get; set; }

        public int TimeoutSec { get; set; } = DefaultTimeoutSec;

        public int MaximumRetryCount { get; set; } = DefaultMaximumRetryCount;

        public int RetryIntervalSec { get; set; } = DefaultRetryIntervalSec;
    }
}
