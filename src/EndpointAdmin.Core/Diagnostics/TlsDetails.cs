using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// The TLS facts netstandard2.0 cannot name: the negotiated cipher suite and an offer limited
    /// to chosen cipher suites exist only on newer runtimes (.NET Core 3.0+; the restriction only
    /// where the TLS library allows it, not on Windows). Both are read by reflection when present
    /// at run time, and reported as not exposed otherwise.
    /// </summary>
    internal static class TlsDetails
    {
        public const string NotExposed = "not exposed";

        private static readonly PropertyInfo s_negotiatedCipherSuite = typeof(SslStream).GetProperty("NegotiatedCipherSuite");

        private static readonly Type s_optionsType = typeof(SslStream).Assembly.GetType("System.Net.Security.SslClientAuthenticationOptions");

        private static readonly Type s_policyType = typeof(SslStream).Assembly.GetType("System.Net.Security.CipherSuitesPolicy");

        /// <summary>The IANA name of the negotiated suite (TLS_AES_256_GCM_SHA384, ...), or "not exposed".</summary>
        public static string NegotiatedCipherSuite(SslStream ssl)
        {
            if (s_negotiatedCipherSuite == null)
            {
                return NotExposed;
            }

            try
            {
                return s_negotiatedCipherSuite.GetValue(ssl)?.ToString() ?? NotExposed;
            }
            catch (TargetInvocationException)
            {
                return NotExposed;
            }
        }

        /// <summary>
        /// Starts the client handshake. With cipher suites given, offers only those where the
        /// platform can (restricted = true); otherwise the platform's own offer.
        /// </summary>
        public static Task AuthenticateAsClientAsync(SslStream ssl, string targetHost, SslProtocols protocols, IReadOnlyList<string> cipherSuites, out bool restricted)
        {
            restricted = false;
            if (cipherSuites != null && cipherSuites.Count > 0)
            {
                var policy = CreatePolicy(cipherSuites);
                if (policy != null)
                {
                    var options = Activator.CreateInstance(s_optionsType);
                    s_optionsType.GetProperty("TargetHost").SetValue(options, targetHost);
                    s_optionsType.GetProperty("EnabledSslProtocols").SetValue(options, protocols);
                    s_optionsType.GetProperty("CipherSuitesPolicy").SetValue(options, policy);
                    var method = typeof(SslStream).GetMethod("AuthenticateAsClientAsync", new[] { s_optionsType, typeof(CancellationToken) });
                    if (method != null)
                    {
                        restricted = true;
                        return (Task)method.Invoke(ssl, new[] { options, CancellationToken.None });
                    }
                }
            }

            return ssl.AuthenticateAsClientAsync(targetHost, null, protocols, false);
        }

        private static object CreatePolicy(IReadOnlyList<string> cipherSuites)
        {
            if (s_negotiatedCipherSuite == null || s_optionsType == null || s_policyType == null)
            {
                return null;
            }

            var suiteType = s_negotiatedCipherSuite.PropertyType;
            var suites = Array.CreateInstance(suiteType, cipherSuites.Count);
            for (int i = 0; i < cipherSuites.Count; i++)
            {
                suites.SetValue(Enum.Parse(suiteType, cipherSuites[i]), i);
            }

            var enumerable = typeof(IEnumerable<>).MakeGenericType(suiteType);
            var ctor = s_policyType.GetConstructor(new[] { enumerable });
            try
            {
                return ctor?.Invoke(new object[] { suites });
            }
            catch (TargetInvocationException ex) when (ex.InnerException is PlatformNotSupportedException)
            {
                return null;
            }
        }
    }
}
