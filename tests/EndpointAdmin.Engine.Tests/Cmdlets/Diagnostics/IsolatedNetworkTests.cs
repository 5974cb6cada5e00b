using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using EndpointAdmin.TestSupport;
using Xunit;

namespace EndpointAdmin.Engine.Tests.Diagnostics
{
    /// <summary>
    /// What loopback in this process cannot show: a target that drops packets (two network
    /// namespaces of the test's own, an nftables drop rule in the target's), a name from a
    /// namespace's hosts file, a network without a route, and a manager that only speaks TLS 1.0.
    /// These run the module in a child process (tests/EndpointAdmin.Host) and read its output.
    /// </summary>
    public sealed class IsolatedNetworkTests
    {
        // Each result as one line the test can split: the host renders strings as they are.
        private const string Line = " | ForEach-Object { 'R|' + $_.ComputerName + '|' + $_.Port + '|' + $_.Protocol + '|' + $_.Status + '|' + $_.NameResolved + '|' + $_.RemoteAddress + '|' + $_.Detail }";

        private static Dictionary<string, string[]> Parse(string output)
        {
            return output.Split('\n').Where(l => l.StartsWith("R|", StringComparison.Ordinal))
                .Select(l => l.TrimEnd().Split('|'))
                .ToDictionary(f => f[1] + ":" + f[2] + "/" + f[3], f => f);
        }

        [NetnsFact]
        public void ADroppingTargetTimesOutARefusingOneIsRefusedAndNoRouteIsUnreachable()
        {
            using var ns = new TestNamespaces(
                "  tcp dport 4119 drop\n  udp dport 13000 drop",
                TestNamespaces.TargetAddress + " dsm.ea-test.internal");
            var script =
                "Test-AgentConnection dsm.ea-test.internal -Port 4119, 4120 -TimeoutSec 0.5" + Line + "; " +
                "Test-AgentConnection dsm.ea-test.internal -Port 13000, 13001 -Protocol UDP -TimeoutSec 0.5" + Line + "; " +
                "Test-AgentConnection ghost.ea-test.invalid -Port 4120 -TimeoutSec 0.5" + Line + "; " +
                "Test-AgentConnection 192.0.2.10 -Port 4120 -TimeoutSec 0.5" + Line;
            var rows = Parse(ns.RunInClient(script));

            var dropped = rows["dsm.ea-test.internal:4119/TCP"];
            Assert.Equal("TimedOut", dropped[4]);
            Assert.Equal("True", dropped[5]);
            Assert.Equal(TestNamespaces.TargetAddress, dropped[6]);
            Assert.Contains("within 0.5 s", dropped[7]);
            Assert.Equal("Refused", rows["dsm.ea-test.internal:4120/TCP"][4]);
            Assert.Equal("OpenOrFiltered", rows["dsm.ea-test.internal:13000/UDP"][4]);
            Assert.Equal("Closed", rows["dsm.ea-test.internal:13001/UDP"][4]);
            Assert.Equal("NameNotResolved", rows["ghost.ea-test.invalid:4120/TCP"][4]);
            Assert.Equal("False", rows["ghost.ea-test.invalid:4120/TCP"][5]);
            Assert.Equal("Unreachable", rows["192.0.2.10:4120/TCP"][4]);
        }

        [Fact]
        public void AManagerThatOnlySpeaksTls10IsFlaggedAndJudgedAgainstTheAgentVersions()
        {
            Assert.True(NetworkNamespace.Run("openssl", "version").ExitCode == 0, "the openssl command line tool is needed for a TLS 1.0 server");
            var folder = Directory.CreateTempSubdirectory("ea6tls").FullName;
            try
            {
                using var cert = TestCertificates.Current("ea-test-old-dsm");
                File.WriteAllText(Path.Combine(folder, "cert.pem"), cert.ExportCertificatePem());
                File.WriteAllText(Path.Combine(folder, "key.pem"), cert.GetRSAPrivateKey().ExportPkcs8PrivateKeyPem());
                // The system's TLS policy forbids TLS 1.0 on both ends; the server and the client
                // here each get a configuration of their own that allows it, and only they do.
                File.WriteAllText(Path.Combine(folder, "openssl.cnf"), "openssl_conf = c\n[c]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\nMinProtocol = TLSv1\nCipherString = DEFAULT:@SECLEVEL=0\n");
                var port = LoopbackTcpServer.FreePort(IPAddress.Loopback);
                using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl")
                {
                    ArgumentList = { "s_server", "-accept", "127.0.0.1:" + port, "-tls1", "-cipher", "AES256-SHA:AES128-SHA:@SECLEVEL=0", "-cert", Path.Combine(folder, "cert.pem"), "-key", Path.Combine(folder, "key.pem"), "-quiet" },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                try
                {
                    WaitForListener(port);
                    var env = new Dictionary<string, string> { ["OPENSSL_CONF"] = Path.Combine(folder, "openssl.cnf") };
                    var output = HostProcess.Run(
                        "foreach ($v in '9.6', '10.0') { Test-AgentConnection 127.0.0.1 -Port " + port + " -AgentVersion $v -WarningVariable +w -WarningAction SilentlyContinue | ForEach-Object { 'R|' + $_.AgentVersion + '|' + $_.TlsProtocol + '|' + $_.CipherSuite + '|' + $_.AgentTlsCompatible } }; $w | ForEach-Object { 'W|' + $_ }",
                        env);
                    var lines = output.Split('\n').Select(l => l.TrimEnd()).ToArray();
                    Assert.Contains("R|9.6|Tls|TLS_RSA_WITH_AES_256_CBC_SHA|True", lines);
                    Assert.Contains("R|10.0|Tls|TLS_RSA_WITH_AES_256_CBC_SHA|False", lines);
                    Assert.Contains(lines, l => l.StartsWith("W|") && l.Contains("negotiated TLS 1.0, below TLS 1.2"));
                    Assert.Contains(lines, l => l.StartsWith("W|") && l.Contains("Deep Security Agent 10.0"));
                    Assert.DoesNotContain(lines, l => l.StartsWith("W|") && l.Contains("Deep Security Agent 9.6"));
                }
                finally
                {
                    server.Kill(true);
                }
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        private static void WaitForListener(int port)
        {
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            Assert.Fail("openssl s_server did not start listening on " + port);
        }
    }
}
