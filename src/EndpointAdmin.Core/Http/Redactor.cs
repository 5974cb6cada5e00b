using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.RegularExpressions;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// Keeps secrets out of every text the module shows: messages built from server answers may echo
    /// a header or the key itself. Applied to everything the pipeline logs or puts into an error.
    /// </summary>
    internal static class Redactor
    {
        public const string Mask = "***";

        // Authorization headers carry a scheme and a token: the whole value goes.
        private static readonly Regex AuthorizationHeaders = new Regex(
            @"(?im)\b((?:proxy-)?authorization)(""?\s*[:=]\s*""?)([^\r\n""]+)",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        private static readonly Regex SecretHeaders = new Regex(
            @"(?i)\b(api-secret-key|x-api-key|api[-_]?key|password|secret)(""?\s*[:=]\s*""?)([^\s"",;&]+)",
            RegexOptions.Compiled | RegexOptions.CultureInvariant);

        /// <summary>Masks header-like secrets and every occurrence of the given secrets.</summary>
        public static string Redact(string text, params SecureString[] secrets)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            text = AuthorizationHeaders.Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);
            text = SecretHeaders.Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);
            foreach (var secret in secrets)
            {
                if (secret == null || secret.Length < 4)
                {
                    continue;
                }

                WithPlainText(secret, plain =>
                {
                    if (text.IndexOf(plain, StringComparison.Ordinal) >= 0)
                    {
                        text = text.Replace(plain, Mask);
                    }
                });
            }

            return text;
        }

        /// <summary>Gives the plain text to <paramref name="use"/> and zeroes the unmanaged copy right after.</summary>
        public static void WithPlainText(SecureString secret, Action<string> use)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                use(Marshal.PtrToStringUni(ptr, secret.Length));
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }

        public static string PlainText(SecureString secret)
        {
            string value = null;
            WithPlainText(secret, s => value = s);
            return value;
        }
    }
}
