using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using EndpointAdmin.Simulators;
using Xunit;
using static EndpointAdmin.Engine.Tests.Assertions;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>Under each injected fault every agent comes exactly once, or the command fails clearly; Ctrl+C stops at once.</summary>
    public class DeepSecurityFaultTests : IClassFixture<PagedFleetFixture>
    {
        private readonly DeepSecuritySimulator _sim;
        private readonly Host.InProcessPowerShell _shell;

        public DeepSecurityFaultTests(PagedFleetFixture fixture)
        {
            _sim = fixture.Inner.Simulator;
            _shell = fixture.Inner.Shell;
            _sim.Faults.Clear();
            _sim.ClearRequests();
            _sim.RateLimitPerMinute = 0;
        }

        /// <summary>Agent IDs as one compact list, so 12,000 objects do not go through xUnit one by one.</summary>
        private int[] Ids(string command)
        {
            var result = _shell.Invoke("$ids = [System.Collections.Generic.List[int]]::new(); " + command + " | ForEach-Object { $ids.Add($_.Id) }; ,$ids.ToArray()");
            Assert.False(result.Failed, result.Describe());
            return (int[])Assert.Single(result.Output).BaseObject;
        }

        [Theory]
        [InlineData(FaultKind.RateLimited)]
        [InlineData(FaultKind.Unavailable)]
        [InlineData(FaultKind.ConnectionReset)]
        [InlineData(FaultKind.TruncatedJson)]
        [InlineData(FaultKind.Slow)]
        public void EveryAgentComesExactlyOnceWhenAPageFailsAndIsRetried(FaultKind kind)
        {
            _sim.Faults.Add(new Fault { Kind = kind, PathContains = "computers/search", SkipMatches = 1, Times = 2, RetryAfterSeconds = 0, Delay = TimeSpan.FromMilliseconds(800) });
            var ids = Ids("Get-Agent");
            Assert.Equal(Enumerable.Range(1, PagedFleetFixture.Computers), ids);
            Assert.Equal(2, _sim.Faults.FiredCount);
        }

        [Fact]
        public void RetryAfterIsHonoured()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.RateLimited, PathContains = "computers/search", SkipMatches = 1, Times = 1, RetryAfterSeconds = 1 });
            var watch = Stopwatch.StartNew();
            Assert.Equal(PagedFleetFixture.Computers, Ids("Get-Agent").Length);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), "the retry came before Retry-After");
        }

        [Fact]
        public void TestAgentHeartbeatAlsoReportsEveryAgentOnceUnderFaults()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.TruncatedJson, PathContains = "computers/search", SkipMatches = 2, Times = 1 });
            _sim.Faults.Add(new Fault { Kind = FaultKind.ConnectionReset, Method = "GET", PathContains = "/policies/", Times = 1 });
            var result = _shell.Invoke("$ids = [System.Collections.Generic.List[int]]::new(); Test-AgentHeartbeat | ForEach-Object { $ids.Add($_.AgentId) }; ,$ids.ToArray()");
            Assert.False(result.Failed, result.Describe());
            Assert.Equal(Enumerable.Range(1, PagedFleetFixture.Computers), (int[])Assert.Single(result.Output).BaseObject);
        }

        [Fact]
        public void AFaultThatOutlastsTheRetriesIsOneClearErrorAndNobodyIsReportedTwice()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, PathContains = "computers/search", SkipMatches = 1, Times = 100, RetryAfterSeconds = 0 });
            var result = _shell.Invoke("$ids = [System.Collections.Generic.List[int]]::new(); Get-Agent | ForEach-Object { $ids.Add($_.Id) }; ,$ids.ToArray()");
            var error = SingleError(result, "ManagerUnavailable", "GetAgentCommand", ErrorCategory.ResourceUnavailable);
            Assert.Contains("503", error.Exception.Message);
            Assert.Contains("Service Unavailable", error.ErrorDetails.Message);
            Assert.Equal(Enumerable.Range(1, 5000), (int[])Assert.Single(result.Output).BaseObject);
            Assert.Equal(1 + 1 + 3, _sim.Requests.Count(r => r.Path == "/api/computers/search")); // page 1, page 2 and its 3 retries
        }

        [Fact]
        public void ASlowManagerTimesOutWithAClearError()
        {
            // A session of its own with a 1 s timeout; the default session keeps a generous one so a loaded machine does not time out elsewhere.
            _sim.Faults.Add(new Fault { Kind = FaultKind.Slow, PathContains = "computers/search", Times = 100, Delay = TimeSpan.FromSeconds(5) });
            var session = _shell.Invoke("$default = " + DeepSecurityFixture.ConnectScript.Replace("-MaximumRetryCount 3", "-MaximumRetryCount 1", StringComparison.Ordinal) + "-TimeoutSec 1 -PassThru; $default", _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint);
            try
            {
                var result = _shell.Invoke("Get-Agent -Id 1 -Session $args[0]", Assert.Single(session.Output));
                var error = Assert.Single(result.Errors);
                Assert.Equal("ManagerTimeout,EndpointAdmin.Commands.GetAgentCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
                Assert.Equal(2, _sim.Requests.Count(r => r.Path == "/api/computers/search")); // one retry, then the error
            }
            finally
            {
                _sim.Faults.Clear();
                Assert.False(_shell.Invoke(DeepSecurityFixture.ConnectScript, _sim.Uri, DeepSecurityFixture.Key(_sim.ApiKey), _sim.Thumbprint).Failed);
            }
        }

        [Fact]
        public void TheRateLimitIsReportedAsLimitsExceeded()
        {
            _sim.RateLimitPerMinute = 1;
            _sim.RateLimitRetryAfterSeconds = 0;
            try
            {
                var result = _shell.Invoke("Get-Agent");
                var error = SingleError(result, "ManagerRateLimited", "GetAgentCommand", ErrorCategory.LimitsExceeded);
                Assert.Contains("Too many API requests", error.ErrorDetails.Message);
            }
            finally
            {
                _sim.RateLimitPerMinute = 0;
                _sim.RateLimitRetryAfterSeconds = 1;
            }
        }

        [Fact]
        public void AWriteIsRetriedAfter429ButNotAfter503()
        {
            _sim.Faults.Add(new Fault { Kind = FaultKind.RateLimited, Method = "POST", PathContains = "/settings/", Times = 1, RetryAfterSeconds = 0 });
            Assert.False(_shell.Invoke("Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 3").Failed);
            Assert.Equal("3 Minutes", _sim.Fleet.Policies[2].Settings["platformSettingHeartbeatInterval"]);
            Assert.Equal(2, _sim.Writes.Count);

            _sim.ClearRequests();
            _sim.Faults.Add(new Fault { Kind = FaultKind.Unavailable, Method = "POST", PathContains = "/settings/", Times = 1, RetryAfterSeconds = 0 });
            var result = _shell.Invoke("Set-AgentHeartbeatPolicy -PolicyId 2 -IntervalMinutes 5");
            SingleError(result, "ManagerUnavailable", "SetAgentHeartbeatPolicyCommand", ErrorCategory.ResourceUnavailable);
            Assert.Single(_sim.Writes);
            Assert.Equal("3 Minutes", _sim.Fleet.Policies[2].Settings["platformSettingHeartbeatInterval"]);
        }

        [Theory]
        [InlineData("Get-Agent", 1, FaultKind.Slow)]
        [InlineData("Get-Agent", 1, FaultKind.Unavailable)]
        [InlineData("Test-AgentHeartbeat", 1, FaultKind.Slow)]
        [InlineData("Test-AgentHeartbeat", 1, FaultKind.Unavailable)]
        public void CtrlCDuringPagingStopsWithoutWaitingOutTheHang(string command, int searchesBeforeHang, FaultKind kind)
        {
            // The second page hangs (a slow answer, or a 503 whose Retry-After parks the retry);
            // Test-AgentHeartbeat also lists every computer's own settings (no search) before it.
            var hang = new Fault { Kind = kind, PathContains = "computers/search", SkipMatches = searchesBeforeHang, Times = 100, Delay = TimeSpan.FromSeconds(30), RetryAfterSeconds = 30 };
            _sim.Faults.Add(hang);
            using var ps = PowerShell.Create();
            ps.Runspace = _shell.Runspace;
            ps.AddScript(command);
            var output = new PSDataCollection<PSObject>();
            using var reported = new ManualResetEventSlim();
            output.DataAdded += (_, _) => reported.Set();
            var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
            // Generous waits: they only end a test whose request never comes.
            Assert.True(hang.WaitFired(TimeSpan.FromSeconds(60)), "the second page was never requested");
            Assert.True(reported.Wait(TimeSpan.FromSeconds(60)), "the first page should have been reported before the stop");
            var stop = Stopwatch.StartNew();
            ps.Stop();
            stop.Stop();
            Assert.True(async.IsCompleted);
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            // Half the 30 s the hang lasts: only a Stop that waits out the answer or the Retry-After fails this.
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(15), "Stop took " + stop.Elapsed);
            Assert.Equal(5000, output.Count);
        }
    }
}
