using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Authentication;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// What each Deep Security Agent version offers the manager in TLS, from the "Supported cipher
    /// suites for agent-manager communication" list of the Agent-manager communication document.
    /// The only place these facts live.
    /// </summary>
    internal sealed class DeepSecurityAgentTls
    {
        private static readonly string[] Tls10Ciphers = { "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA" };

        private static readonly string[] Tls12Ciphers = { "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256" };

        public static readonly IReadOnlyList<DeepSecurityAgentTls> Known = new[]
        {
            new DeepSecurityAgentTls("9.5", SslProtocols.Tls, Tls10Ciphers),
            new DeepSecurityAgentTls("9.6", SslProtocols.Tls, Tls10Ciphers),
            new DeepSecurityAgentTls("10.0", SslProtocols.Tls12, Tls12Ciphers),
        };

        private DeepSecurityAgentTls(string version, SslProtocols protocol, IReadOnlyList<string> cipherSuites)
        {
            Version = version;
            Protocol = protocol;
            CipherSuites = cipherSuites;
        }

        /// <summary>The agent version as the document names it (major.minor).</summary>
        public string Version { get; }

        /// <summary>The one TLS version the agent speaks to the manager.</summary>
        public SslProtocols Protocol { get; }

        /// <summary>The cipher suites it offers, IANA names.</summary>
        public IReadOnlyList<string> CipherSuites { get; }

        public string Describe()
        {
            return ProtocolName(Protocol) + " with " + string.Join(" or ", CipherSuites);
        }

        /// <summary>
        /// The profile for a version such as 9.5, 9.6.3177 or 10.0.0-2417: the document lists
        /// agents by major.minor, so later builds of a listed release share its profile.
        /// </summary>
        public static DeepSecurityAgentTls Find(string version)
        {
            var trimmed = (version ?? string.Empty).Trim();
            var dash = trimmed.IndexOf('-');
            var numeric = dash > 0 ? trimmed.Substring(0, dash) : trimmed;
            if (ProductVersion.TryParseRange(numeric, out var low, out _))
            {
                foreach (var profile in Known)
                {
                    ProductVersion.TryParseRange(profile.Version, out var start, out var end);
                    if (low.CompareTo(start) >= 0 && low.CompareTo(end) < 0)
                    {
                        return profile;
                    }
                }
            }

            var known = string.Join(", ", Known.Select(k => k.Version));
            throw new EndpointAdminException(
                ErrorIds.DeepSecurityAgentVersionUnknown,
                ErrorKind.InvalidArgument,
                version,
                "The Deep Security agent cipher list names agent versions " + known + "; '" + version + "' is not one of them.")
            {
                RecommendedAction = "Give -AgentVersion as one of " + known + " (a later build of those releases, such as 9.6.3177, also works).",
            };
        }

        /// <summary>
        /// Judges a handshake that offered only what this agent offers. A failed handshake means
        /// the target would not talk to the agent; a successful one proves it would, as long as
        /// the cipher the target chose is one the agent offers (or the platform hid the cipher).
        /// </summary>
        public AgentTlsVerdict Judge(bool handshakeSucceeded, SslProtocols negotiated, string cipherSuite, bool ciphersRestricted, string failure)
        {
            var agent = "Deep Security Agent " + Version + " (" + Describe() + ")";
            if (!handshakeSucceeded)
            {
                return new AgentTlsVerdict(false, "The target refused a handshake offering only what " + agent + " offers" + (string.IsNullOrEmpty(failure) ? "." : ": " + failure));
            }

            if (negotiated != Protocol)
            {
                return new AgentTlsVerdict(false, "The target negotiated " + ProtocolName(negotiated) + ", which " + agent + " does not speak.");
            }

            if (cipherSuite == null || cipherSuite == TlsDetails.NotExposed)
            {
                return new AgentTlsVerdict(true, "The target accepted " + ProtocolName(Protocol) + "; this platform does not expose the cipher suite, so only the protocol version was checked.");
            }

            if (CipherSuites.Contains(cipherSuite, StringComparer.OrdinalIgnoreCase))
            {
                return new AgentTlsVerdict(true, "The target accepted " + ProtocolName(Protocol) + " with " + cipherSuite + ", which " + agent + " offers.");
            }

            if (ciphersRestricted)
            {
                return new AgentTlsVerdict(false, "The target chose " + cipherSuite + ", which " + agent + " does not offer.");
            }

            return new AgentTlsVerdict(null, "The target accepted " + ProtocolName(Protocol) + " but chose " + cipherSuite + "; this platform cannot offer only the agent's cipher suites, so whether it accepts " + string.Join(" or ", CipherSuites) + " is unknown.");
        }

        public static bool IsBelowTls12(SslProtocols protocol)
        {
            return protocol != SslProtocols.None && protocol < SslProtocols.Tls12;
        }

        public static string ProtocolName(SslProtocols protocol)
        {
            switch (protocol)
            {
                case SslProtocols.Ssl2: return "SSL 2.0";
                case SslProtocols.Ssl3: return "SSL 3.0";
                case SslProtocols.Tls: return "TLS 1.0";
                case SslProtocols.Tls11: return "TLS 1.1";
                case SslProtocols.Tls12: return "TLS 1.2";
                case (SslProtocols)12288: return "TLS 1.3";
                default: return protocol.ToString();
            }
        }
    }

    /// <summary>Whether an agent version could negotiate with the target, and why.</summary>
    internal sealed class AgentTlsVerdict
    {
        public AgentTlsVerdict(bool? compatible, string detail)
        {
            Compatible = compatible;
            Detail = detail;
        }

        /// <summary>Null when the platform could not tell.</summary>
        public bool? Compatible { get; }

        public string Detail { get; }
    }
}
