using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace EndpointAdmin.Diagnostics
{
    /// <summary>
    /// The network probes behind Test-AgentConnection, in one seam: DNS, TCP connect, UDP probe,
    /// TLS handshake and HTTP CONNECT. Each probe keeps at most one socket open, honours its
    /// timeout and stops at once when the token is cancelled (OperationCanceledException).
    /// </summary>
    internal interface INetworkProbe
    {
        Task<DnsOutcome> ResolveAsync(string name, TimeSpan timeout, CancellationToken cancellation);

        /// <summary>On success the caller owns the connected socket.</summary>
        Task<TcpOutcome> ConnectTcpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation);

        Task<UdpOutcome> ProbeUdpAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellation);

        /// <summary>A TLS client handshake over an open stream; cipherSuites (IANA names) restricts the offer where the platform allows.</summary>
        Task<TlsOutcome> HandshakeTlsAsync(Stream stream, string targetHost, SslProtocols protocols, IReadOnlyList<string> cipherSuites, TimeSpan timeout, CancellationToken cancellation);

        /// <summary>Sends CONNECT host:port over a stream to the proxy and reads the answer.</summary>
        Task<ProxyOutcome> ConnectThroughProxyAsync(Stream proxyStream, string host, int port, NetworkCredential credential, TimeSpan timeout, CancellationToken cancellation);
    }

    internal sealed class DnsOutcome
    {
        public IReadOnlyList<IPAddress> Addresses { get; set; } = Array.Empty<IPAddress>();

        /// <summary>Why nothing was found, when Addresses is empty.</summary>
        public string Failure { get; set; }
    }

    internal sealed class TcpOutcome
    {
        public ConnectionStatus Status { get; set; }

        public Socket Socket { get; set; }

        public TimeSpan Elapsed { get; set; }

        public string Detail { get; set; }
    }

    internal sealed class UdpOutcome
    {
        public ConnectionStatus Status { get; set; }

        public TimeSpan Elapsed { get; set; }

        public string Detail { get; set; }
    }

    internal sealed class TlsOutcome
    {
        public bool Succeeded { get; set; }

        public SslProtocols Protocol { get; set; }

        public string CipherSuite { get; set; }

        /// <summary>True when the offer really was limited to the requested cipher suites.</summary>
        public bool CiphersRestricted { get; set; }

        public string CertificateSubject { get; set; }

        public string CertificateIssuer { get; set; }

        public string CertificateThumbprint { get; set; }

        public DateTime? CertificateNotAfter { get; set; }

        public bool? CertificateValid { get; set; }

        public string CertificateErrors { get; set; }

        public string Failure { get; set; }
    }

    internal sealed class ProxyOutcome
    {
        public int StatusCode { get; set; }

        public string StatusLine { get; set; }

        public TimeSpan Elapsed { get; set; }

        public string Failure { get; set; }
    }
}
