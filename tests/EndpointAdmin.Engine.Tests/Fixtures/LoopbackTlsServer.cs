using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>A TLS server on loopback offering only the given protocol versions (and cipher suites: Linux and macOS only, as .NET allows).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal sealed class LoopbackTlsServer : LoopbackTcpServer
    {
        public LoopbackTlsServer(X509Certificate2 certificate, SslProtocols protocols, TlsCipherSuite[] cipherSuites = null)
            : base(IPAddress.Loopback, async (client, token) =>
            {
                using var ssl = new SslStream(client.GetStream(), false);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = protocols,
                    ClientCertificateRequired = false,
                    CipherSuitesPolicy = cipherSuites == null ? null : new CipherSuitesPolicy(cipherSuites),
                }, token);
                // Hold the connection until the client hangs up.
                var buffer = new byte[256];
                while (await ssl.ReadAsync(buffer, token) > 0)
                {
                }
            })
        {
        }
    }
}
