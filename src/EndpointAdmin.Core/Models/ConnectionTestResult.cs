using System;
using System.Collections.Generic;

namespace EndpointAdmin
{
    /// <summary>
    /// One target and port as Test-AgentConnection saw it. Flat (strings, numbers, enums, UTC
    /// DateTime, string arrays) so it survives remoting; ComputerName, Port and Protocol bind to
    /// the next cmdlet by property name.
    /// </summary>
    public sealed class ConnectionTestResult
    {
        /// <summary>The name or address as given.</summary>
        public string ComputerName { get; set; }

        public int Port { get; set; }

        public Protocol Protocol { get; set; }

        public ConnectionStatus Status { get; set; }

        /// <summary>True only when reachability was proven: a TCP (and, with -Tls, TLS) handshake, or a UDP answer.</summary>
        public bool Reachable { get; set; }

        /// <summary>False when DNS had no A or AAAA record for the name; true for an address literal.</summary>
        public bool NameResolved { get; set; }

        /// <summary>The A records (or the IPv4 literal given).</summary>
        public string[] IPv4Address { get; set; }

        /// <summary>The AAAA records (or the IPv6 literal given).</summary>
        public string[] IPv6Address { get; set; }

        /// <summary>The address the final attempt went to (the proxy's target is named in ComputerName).</summary>
        public string RemoteAddress { get; set; }

        /// <summary>Time to complete the TCP handshake (through a proxy: until the CONNECT answer), in milliseconds.</summary>
        public double? LatencyMs { get; set; }

        /// <summary>What was observed, in words, when the test did not simply succeed.</summary>
        public string Detail { get; set; }

        /// <summary>The proxy the CONNECT went through (without any credentials).</summary>
        public string Proxy { get; set; }

        /// <summary>The negotiated TLS protocol (Tls12, Tls13, ...), with -Tls.</summary>
        public string TlsProtocol { get; set; }

        /// <summary>The negotiated cipher suite in IANA spelling, where the platform exposes it.</summary>
        public string CipherSuite { get; set; }

        public string CertificateSubject { get; set; }

        public string CertificateIssuer { get; set; }

        public string CertificateThumbprint { get; set; }

        /// <summary>Certificate expiry, UTC.</summary>
        public DateTime? CertificateNotAfter { get; set; }

        /// <summary>True when the certificate chains to a trusted root, matches the name and is in its validity period.</summary>
        public bool? CertificateValid { get; set; }

        /// <summary>Why the certificate is not valid (name mismatch, chain status such as UntrustedRoot or NotTimeValid).</summary>
        public string CertificateErrors { get; set; }

        /// <summary>The Deep Security agent version checked with -AgentVersion.</summary>
        public string AgentVersion { get; set; }

        /// <summary>Whether the target accepted a handshake offering only what that agent version offers.</summary>
        public bool? AgentTlsCompatible { get; set; }

        /// <summary>When the test finished, UTC.</summary>
        public DateTime Timestamp { get; set; }

        /// <summary>Things the admin should act on (old TLS, agent cannot negotiate, invalid certificate); the cmdlet writes them as warnings.</summary>
        internal List<string> Warnings { get; } = new List<string>();

        public override string ToString()
        {
            return ComputerName + " " + Protocol + "/" + Port + " " + Status;
        }
    }
}
