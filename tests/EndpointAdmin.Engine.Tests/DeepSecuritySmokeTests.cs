using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    public class DeepSecuritySmokeTests : IClassFixture<DeepSecurityFixture>
    {
        private readonly DeepSecurityFixture _ds;
        private readonly ITestOutputHelper _out;

        public DeepSecuritySmokeTests(DeepSecurityFixture fixture, ITestOutputHelper output)
        {
            _ds = fixture;
            _out = output;
        }

        [Fact]
        public void Smoke()
        {
            foreach (var script in new[] { "@(Get-Agent).Count", "Get-Agent -Name web* | Select-Object -First 2", "@(Get-Agent -Name web*).Count", "Get-Agent -Id 5,7 | Out-String", "@(Test-AgentHeartbeat | Where-Object Status -eq Alert).Count", "Get-AgentHeartbeatPolicy -AgentId 97 | Out-String", "Get-AgentHeartbeatPolicy -PolicyName Laptops | Out-String", "Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 15 -PassThru | Out-String", "Invoke-AgentSync -Id 3 -Wait | Out-String", "New-AgentHeartbeatFirewallRule -PolicyId 2 -SourceIPAddress 10.0.0.10 | Out-String", "Set-AgentCommunicationDirection -Direction AgentInitiated -PolicyId 1 -Confirm:$false", "Get-Agent -Name web000001 | Test-AgentHeartbeat | Out-String" })
            {
                var r = _ds.Run(script);
                _out.WriteLine(script + " => " + string.Join("\n", r.Output.Select(o => o?.ToString())) + " " + r.Describe());
            }
            _out.WriteLine(string.Join("\n", _ds.Simulator.Requests.Take(40)));
        }
    }
}
