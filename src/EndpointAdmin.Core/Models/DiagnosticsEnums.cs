namespace EndpointAdmin
{
    /// <summary>
    /// What a connection test observed. UDP cannot prove reachability the way a TCP handshake
    /// does, so silence on UDP is OpenOrFiltered, never Open.
    /// </summary>
    public enum ConnectionStatus
    {
        /// <summary>TCP: the handshake completed (and the TLS handshake, with -Tls). UDP: the port answered.</summary>
        Open,
        /// <summary>UDP: no answer and no ICMP error; a listener that does not reply and a firewall that drops look the same.</summary>
        OpenOrFiltered,
        /// <summary>TCP: the target answered with a reset (nothing listens, or a firewall rejects).</summary>
        Refused,
        /// <summary>UDP: an ICMP port-unreachable came back (nothing listens).</summary>
        Closed,
        /// <summary>No answer within the timeout (a firewall drops the packets, or the host is down).</summary>
        TimedOut,
        /// <summary>No route to the network or host.</summary>
        Unreachable,
        /// <summary>DNS has no A or AAAA record for the name.</summary>
        NameNotResolved,
        /// <summary>The proxy could not be reached, or it refused the CONNECT (status other than 200 and 407).</summary>
        ProxyRefused,
        /// <summary>The proxy answered 407: it needs credentials, or rejected the ones given.</summary>
        ProxyAuthenticationRequired,
        /// <summary>The TCP connection opened but the TLS handshake failed.</summary>
        TlsFailed,
    }
}
