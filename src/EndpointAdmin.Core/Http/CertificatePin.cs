using System;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// The session's rule for the manager's TLS certificate: an explicit skip, a pinned thumbprint,
    /// or the machine's trust; and what a pin looks like.
    /// </summary>
    internal static class CertificatePin
    {
        /// <summary>A pin is the SHA-1 (what Windows shows) or SHA-256 hex thumbprint, with or without separators; null when it is neither.</summary>
        public static string Normalize(string pin)
        {
            var sb = new StringBuilder(pin.Length);
            foreach (var c in pin)
            {
                if (Uri.IsHexDigit(c))
                {
                    sb.Append(char.ToUpperInvariant(c));
                }
                else if (c != ':' && c != ' ' && c != '-')
                {
                    return null;
                }
            }

            return sb.Length == 40 || sb.Length == 64 ? sb.ToString() : null;
        }

        public static bool Matches(X509Certificate2 certificate, string pin)
        {
            var normalized = Normalize(pin);
            return string.Equals(normalized, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase)
                || string.Equals(normalized, Sha256(certificate), StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Whether the certificate the manager showed is accepted; when not, <paramref name="problem"/> says why in words.</summary>
        public static bool Accepts(ConnectionOptions options, X509Certificate2 certificate, SslPolicyErrors errors, out string problem)
        {
            problem = null;
            if (options.SkipCertificateCheck)
            {
                return true;
            }

            if (!string.IsNullOrEmpty(options.CertificateThumbprint))
            {
                if (certificate != null && Matches(certificate, options.CertificateThumbprint))
                {
                    return true;
                }

                problem = "its thumbprint " + Describe(certificate) + " is not the pinned " + options.CertificateThumbprint;
                return false;
            }

            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            problem = errors + " for " + Describe(certificate);
            return false;
        }

        private static string Describe(X509Certificate2 certificate)
        {
            return certificate == null ? "(none)" : "'" + certificate.Subject + "' SHA-1 " + certificate.Thumbprint + " SHA-256 " + Sha256(certificate);
        }

        private static string Sha256(X509Certificate2 certificate)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(certificate.RawData);
                var sb = new StringBuilder(64);
                foreach (var b in hash)
                {
                    sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }

                return sb.ToString();
            }
        }
    }
}
