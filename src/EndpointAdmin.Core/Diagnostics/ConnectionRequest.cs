using System;
using System.Globalization;
using System.Net;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>One target and port to test, with everything the test needs. Built only through the checks below.</summary>
    internal sealed class ConnectionRequest
    {
        public string ComputerName { get; set; }

        public int Port { get; set; }

        public Protocol Protocol { get; set; }

        public bool Tls { get; set; }

        /// <summary>When set, a second handshake offers only what this agent version offers.</summary>
        public DeepSecurityAgentTls Agent { get; set; }

        public Uri Proxy { get; set; }

        public NetworkCredential ProxyCredential { get; set; }

        public TimeSpan Timeout { get; set; }
    }

    /// <summary>
    /// The input rules of the diagnostics cmdlets, in one place: each raises a stable ErrorId with
    /// the offending value, before anything is sent.
    /// </summary>
    internal static class DiagnosticsInput
    {
        public const double MaxTimeoutSeconds = 600;

        public const int MaxThrottleLimit = 1024;

        public static void CheckPort(int port, string errorId)
        {
            if (port < 1 || port > 65535)
            {
                throw new EndpointAdminException(errorId, ErrorKind.InvalidArgument, port, "Port " + port.ToString(CultureInfo.InvariantCulture) + " is outside 1-65535.");
            }
        }

        public static void CheckComputerName(string name)
        {
            var trimmed = name?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                throw new EndpointAdminException(ErrorIds.ConnectionTestComputerNameInvalid, ErrorKind.InvalidArgument, name ?? string.Empty, "The computer name is empty.");
            }

            if (Uri.CheckHostName(trimmed) == UriHostNameType.Unknown)
            {
                throw new EndpointAdminException(ErrorIds.ConnectionTestComputerNameInvalid, ErrorKind.InvalidArgument, name, "'" + name + "' is not a host name or an IP address.")
                {
                    RecommendedAction = "Give a DNS name (letters, digits, hyphens and dots), an IPv4 address or an IPv6 address.",
                };
            }
        }

        public static TimeSpan CheckTimeout(double seconds)
        {
            if (double.IsNaN(seconds) || seconds <= 0 || seconds > MaxTimeoutSeconds)
            {
                throw new EndpointAdminException(ErrorIds.ConnectionTestTimeoutInvalid, ErrorKind.InvalidArgument, seconds, "-TimeoutSec " + seconds.ToString(CultureInfo.InvariantCulture) + " is not between 0 (exclusive) and " + MaxTimeoutSeconds.ToString(CultureInfo.InvariantCulture) + " seconds.");
            }

            return TimeSpan.FromSeconds(seconds);
        }

        public static void CheckThrottleLimit(int limit)
        {
            if (limit < 1 || limit > MaxThrottleLimit)
            {
                throw new EndpointAdminException(ErrorIds.ConnectionTestThrottleLimitInvalid, ErrorKind.InvalidArgument, limit, "-ThrottleLimit " + limit.ToString(CultureInfo.InvariantCulture) + " is not between 1 and " + MaxThrottleLimit.ToString(CultureInfo.InvariantCulture) + ".");
            }
        }

        /// <summary>An HTTP proxy that takes CONNECT; credentials belong in -ProxyCredential, never in the address.</summary>
        public static void CheckProxy(Uri proxy)
        {
            if (proxy == null)
            {
                return;
            }

            if (!proxy.IsAbsoluteUri || proxy.Scheme != Uri.UriSchemeHttp)
            {
                throw new EndpointAdminException(ErrorIds.ConnectionTestProxyInvalid, ErrorKind.InvalidArgument, proxy.OriginalString, "-Proxy must be an http:// address of a proxy that accepts CONNECT, such as http://proxy.example.com:3128.");
            }

            if (!string.IsNullOrEmpty(proxy.UserInfo))
            {
                // The offending value would carry the password into the error record: name only the host.
                throw new EndpointAdminException(ErrorIds.ConnectionTestProxyInvalid, ErrorKind.InvalidArgument, proxy.Host, "-Proxy contains a user name or password. Give the credentials with -ProxyCredential instead.");
            }
        }

        /// <summary>The proxy as shown in output: scheme, host and port only.</summary>
        public static string Display(Uri proxy)
        {
            return proxy == null ? null : proxy.GetLeftPart(UriPartial.Authority);
        }
    }
}
