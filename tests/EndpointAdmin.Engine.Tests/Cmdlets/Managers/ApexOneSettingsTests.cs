using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// Set-AgentServerCommunication, Set-AgentProxy -Purpose AgentServer and Set-AgentFirewallSetting
    /// against Apex Central: every input is checked first (stable ErrorIds, nothing sent), then the
    /// missing API is a NotSupported error that names the console page and the values to enter.
    /// </summary>
    public class ApexOneSettingsTests : IClassFixture<ApexCentralFixture>, IClassFixture<DeepSecurityFixture>
    {
        private readonly ApexCentralFixture _apex;
        private readonly ApexCentralSimulator _sim;
        private readonly DeepSecurityFixture _ds;

        public ApexOneSettingsTests(ApexCentralFixture fixture, DeepSecurityFixture ds)
        {
            _apex = fixture;
            _sim = fixture.Simulator;
            _apex.Reset();
            _ds = ds;
            _ds.Reset();
        }

        [Theory]
        [InlineData("Set-AgentServerCommunication -ListeningPort 4343 -Confirm:$false", "SetAgentServerCommunicationCommand", "SetServerCommunication")]
        [InlineData("Set-AgentProxy -Purpose AgentServer -UseSystemProxy", "SetAgentProxyCommand", "SetAgentServerProxy")]
        [InlineData("Set-AgentFirewallSetting -EnableFirewall $true", "SetAgentFirewallSettingCommand", "SetFirewallSettings")]
        public void DeepSecuritySaysTheseAreApexOneSettingsAndSendsNothing(string script, string command, string capability)
        {
            var result = _ds.Run(script);
            var error = SingleError(result, "ManagerOperationNotSupported", command, ErrorCategory.NotImplemented, capability);
            Assert.Contains("Apex One setting, which DeepSecurity does not have", error.Exception.Message);
            Assert.Empty(_ds.Simulator.Requests);
        }

        [Fact]
        public void AnUnknownAgentIdIsNamedAndNotChecked()
        {
            var result = _apex.Run("Set-AgentFirewallSetting -CertifiedSafeSoftwareService $true -AgentId no-such-entity");
            SingleError(result, "ManagerOperationNotSupported", "SetAgentFirewallSettingCommand", ErrorCategory.NotImplemented);
            Assert.Contains(result.Warnings, w => w.Contains("no agent with ID no-such-entity", StringComparison.Ordinal));
        }

        [Fact]
        public void ServerCommunicationIsValidatedWarnedAboutAndThenNamesTheConsoleFields()
        {
            var result = _apex.Run("Set-AgentServerCommunication -ServerAddress apex.example.com, 10.0.0.5, 'fd00::5' -ListeningPort 4343 -Confirm:$false");
            var error = SingleError(result, "ManagerOperationNotSupported", "SetAgentServerCommunicationCommand", ErrorCategory.NotImplemented, "SetServerCommunication");
            Assert.Contains("apex.example.com, 10.0.0.5, fd00::5", error.Exception.Message);
            Assert.Contains("Listening port = 4343", error.Exception.Message);
            Assert.Contains("Administration > Agent-Server Communication > Server Name and Listening Port", error.ErrorDetails.RecommendedAction);
            Assert.Contains(result.Warnings, w => w.Contains("redeploy", StringComparison.Ordinal));
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void ServerCommunicationHasHighImpact()
        {
            var impact = Succeeded(_apex.Run("(Get-Command Set-AgentServerCommunication).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact"));
            Assert.Equal("High", Assert.Single(impact).ToString());
        }

        [Theory]
        [InlineData("-ListeningPort 70000", "ServerListeningPortInvalid", 70000)]
        [InlineData("-ListeningPort 61617", "ServerListeningPortInvalid", 61617)]
        [InlineData("-ServerAddress 'bad host!'", "ServerAddressInvalid", "bad host!")]
        [InlineData("-ServerAddress 10.0.0.300", "ServerAddressInvalid", "10.0.0.300")]
        [InlineData("-ServerAddress a.example.com, A.example.com", "ServerAddressInvalid", "A.example.com")]
        [InlineData("-ListeningPort 4343 -AgentVersion 3.5.2100", "ServerSettingsFixedForAgentVersion", "3.5.2100")]
        [InlineData("-ListeningPort 4343 -AgentVersion three", "AgentVersionInvalid", "three")]
        public void BadServerCommunicationInputIsRejectedBeforeAnything(string parameters, string errorId, object target)
        {
            var result = _apex.Run("Set-AgentServerCommunication " + parameters + " -Confirm:$false");
            SingleError(result, errorId, "SetAgentServerCommunicationCommand", errorId == "ServerSettingsFixedForAgentVersion" ? ErrorCategory.InvalidOperation : ErrorCategory.InvalidArgument, target);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void NothingToChangeSaysSo()
        {
            SingleError(_apex.Run("Set-AgentServerCommunication -Confirm:$false"), "AgentSettingNothingToChange", "SetAgentServerCommunicationCommand", ErrorCategory.InvalidArgument);
            SingleError(_apex.Run("Set-AgentFirewallSetting"), "AgentSettingNothingToChange", "SetAgentFirewallSettingCommand", ErrorCategory.InvalidArgument);
        }

        [Theory]
        [InlineData("-NoProxy", "Proxy Settings = No proxy")]
        [InlineData("-UseSystemProxy", "Use system proxy settings on agents")]
        [InlineData("-ProxyUri socks5://[fd00::1]:1080", "Protocol = SOCKS5; Server name or IPv4/IPv6 address = fd00::1; Port = 1080")]
        public void AgentServerProxyModesNameTheConsoleFields(string parameters, string expected)
        {
            var result = _apex.Run("Set-AgentProxy -Purpose AgentServer " + parameters);
            var error = SingleError(result, "ManagerOperationNotSupported", "SetAgentProxyCommand", ErrorCategory.NotImplemented, "SetAgentServerProxy");
            Assert.Contains(expected, error.Exception.Message);
            Assert.Contains("Agent-Server Communication > Proxy Settings", error.ErrorDetails.RecommendedAction);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void AManualProxyCredentialShowsOnlyItsUserName()
        {
            var result = _apex.Run("Set-AgentProxy -Purpose AgentServer -ProxyUri http://proxy.example.com:8080 -ProxyCredential ([pscredential]::new('proxyuser', $args[0]))", DeepSecurityFixture.Key("S3cretProxyPw"));
            var error = SingleError(result, "ManagerOperationNotSupported", "SetAgentProxyCommand", ErrorCategory.NotImplemented);
            Assert.Contains("User name = proxyuser", error.Exception.Message);
            Assert.DoesNotContain("S3cretProxyPw", error.Exception.Message + error.ErrorDetails?.RecommendedAction);
        }

        [Theory]
        [InlineData("-Purpose AgentServer -ProxyUri ftp://proxy:21", "AgentServerProxyInvalid", "ftp://proxy:21")]
        [InlineData("-Purpose AgentServer -ProxyUri http://proxy.example.com", "AgentServerProxyInvalid", "http://proxy.example.com")]
        [InlineData("-Purpose AgentServer -ProxyUri socks4://proxy", "AgentServerProxyInvalid", "socks4://proxy")]
        [InlineData("-Purpose AgentServer -ProxyId 3", "AgentServerProxyInvalid", 3)]
        [InlineData("-Purpose AgentServer -NoProxy -PolicyId 2", "ProxyPurposeScopeInvalid", "AgentServer")]
        [InlineData("-Purpose AgentUpdate -NoProxy", "ProxyPurposeScopeInvalid", "AgentUpdate")]
        public void BadAgentServerProxyInputIsRejectedBeforeAnything(string parameters, string errorId, object target)
        {
            var result = _apex.Run("Set-AgentProxy " + parameters);
            SingleError(result, errorId, "SetAgentProxyCommand", ErrorCategory.InvalidArgument, target);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void FirewallSettingsNameEveryConsoleField()
        {
            var result = _apex.Run("Set-AgentFirewallSetting -EnableFirewall $true -SendLogToServer $true -LogSendingIntervalMinutes 60 -UpdateDriverOnlyAfterRestart $true -SendHourlyLogCount $false");
            var error = SingleError(result, "ManagerOperationNotSupported", "SetAgentFirewallSettingCommand", ErrorCategory.NotImplemented, "SetFirewallSettings");
            foreach (var field in new[] { "Enable the Apex One Firewall = on", "Send firewall logs to the server = on", "every 60 minute(s)", "only after a system restart = on", "hourly to determine the possibility of a firewall outbreak = off" })
            {
                Assert.Contains(field, error.Exception.Message);
            }

            Assert.Contains("Agents > Global Agent Settings > Security Settings > Firewall Settings", error.ErrorDetails.RecommendedAction);
            Assert.Empty(_sim.Requests);
        }

        [Theory]
        [InlineData("-SendLogToServer $false -LogSendingIntervalMinutes 30", "AgentFirewallSettingConflict", 30)]
        [InlineData("-EnableFirewall $false -SendHourlyLogCount $true", "AgentFirewallSettingConflict", "EnableFirewall")]
        [InlineData("-LogSendingIntervalMinutes 0", "AgentFirewallLogScheduleInvalid", 0)]
        [InlineData("-LogSendingIntervalMinutes 1441", "AgentFirewallLogScheduleInvalid", 1441)]
        public void BadFirewallSettingsAreRejectedBeforeAnything(string parameters, string errorId, object target)
        {
            var result = _apex.Run("Set-AgentFirewallSetting " + parameters);
            SingleError(result, errorId, "SetAgentFirewallSettingCommand", ErrorCategory.InvalidArgument, target);
            Assert.Empty(_sim.Requests);
        }

        [Fact]
        public void CertifiedSafeSoftwareChecksTheProxyPathAndNamesIPv6OnlyAgents()
        {
            // A port nothing listens on: the proxy path test must fail and say so.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var ipv6Only = _sim.Agents.First(a => a.IPs.All(i => i.Contains(':')));
            var dual = _sim.Agents.First(a => a.IPs.Any(i => i.Contains('.')));
            var result = _apex.Run("Get-Agent -Id $args[0], $args[1] | Set-AgentFirewallSetting -CertifiedSafeSoftwareService $true -ProxyUri ('http://127.0.0.1:' + $args[2]) -TimeoutSec 2", ipv6Only.EntityId, dual.EntityId, port);
            SingleError(result, "ManagerOperationNotSupported", "SetAgentFirewallSettingCommand", ErrorCategory.NotImplemented);
            Assert.Contains(result.Warnings, w => w.Contains("not reachable from here", StringComparison.Ordinal));
            Assert.Contains(result.Warnings, w => w.Contains(ipv6Only.HostName, StringComparison.Ordinal) && w.Contains("dual-stack proxy", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Warnings, w => w.Contains(dual.HostName, StringComparison.Ordinal));
            Assert.Empty(_sim.Writes);
        }

        [Fact]
        public void CertifiedSafeSoftwareWithoutAProxyAsksForCorrectProxySettings()
        {
            var id = _sim.Agents.First(a => a.IPs.All(i => i.Contains(':'))).EntityId;
            var result = _apex.Run("Set-AgentFirewallSetting -CertifiedSafeSoftwareService $true -AgentId $args[0]", id);
            SingleError(result, "ManagerOperationNotSupported", "SetAgentFirewallSettingCommand", ErrorCategory.NotImplemented);
            Assert.Contains(result.Warnings, w => w.Contains("correct proxy settings", StringComparison.Ordinal));
            Assert.Contains(result.Warnings, w => w.Contains("DeleGate", StringComparison.Ordinal));
        }
    }
}
