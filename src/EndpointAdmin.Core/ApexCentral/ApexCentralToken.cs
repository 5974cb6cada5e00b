using System;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using EndpointAdmin.Http;
using Newtonsoft.Json;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// The per-request authorization of Apex Central: a JWT signed (HS256) with the API key whose
    /// payload carries the application ID, the issue time and a checksum of this very request. The
    /// key never leaves this class in clear text except inside the HMAC.
    /// </summary>
    internal static class ApexCentralToken
    {
        /// <summary>Base64(SHA-256(UPPER(method) | lower(path and query) | canonical headers | body)).</summary>
        public static string Checksum(string method, string pathAndQuery, string body)
        {
            var raw = pathAndQuery ?? string.Empty;
            if (raw.EndsWith("?", StringComparison.Ordinal))
            {
                raw = raw.Substring(0, raw.Length - 1);
            }

            var text = method.ToUpperInvariant() + "|" + raw.ToLowerInvariant() + "|" + ApexCentralWire.CanonicalHeaders + "|" + (body ?? string.Empty);
            using (var sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }

        public static string Create(string applicationId, SecureString apiKey, string method, string pathAndQuery, string body, DateTime nowUtc)
        {
            var header = Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"" + ApexCentralWire.Algorithm + "\",\"typ\":\"JWT\"}"));
            var iat = (nowUtc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
            var payloadJson = "{\"appid\":" + JsonConvert.ToString(applicationId)
                + ",\"iat\":" + Math.Floor(iat).ToString("0", CultureInfo.InvariantCulture)
                + ",\"version\":\"" + ApexCentralWire.TokenVersion + "\""
                + ",\"checksum\":" + JsonConvert.ToString(Checksum(method, pathAndQuery, body)) + "}";
            var signingInput = header + "." + Base64Url(Encoding.UTF8.GetBytes(payloadJson));
            string signature = null;
            Redactor.WithPlainText(apiKey, key =>
            {
                var keyBytes = Encoding.UTF8.GetBytes(key);
                try
                {
                    using (var hmac = new HMACSHA256(keyBytes))
                    {
                        signature = Base64Url(hmac.ComputeHash(Encoding.ASCII.GetBytes(signingInput)));
                    }
                }
                finally
                {
                    Array.Clear(keyBytes, 0, keyBytes.Length);
                }
            });
            return signingInput + "." + signature;
        }

        public static string Base64Url(byte[] bytes)
        {
            return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }
}
