using System;
using System.Linq;
using EndpointAdmin.Simulators;
using Xunit;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>
    /// The requests a fleet read costs: one status search per page, every computer's own settings
    /// listed once (a fleet) or searched per range (a few computers), each policy read once.
    /// </summary>
    public class DeepSecurityRequestPatternTests : IClassFixture<PagedFleetFixture>
    {
        private const string OwnSettingsQuery = "?expand=computerSettings&overrides=true";

        private readonly DeepSecuritySimulator _sim;
        private readonly Host.InProcessPowerShell _shell;

        public DeepSecurityRequestPatternTests(PagedFleetFixture fixture)
        {
            _sim = fixture.Inner.Simulator;
            _shell = fixture.Inner.Shell;
            _sim.Faults.Clear();
            _sim.ClearRequests();
            _sim.RateLimitPerMinute = 0;
        }

        private static bool IsStatusSearch(RecordedRequest r) => r.Path == "/api/computers/search" && r.Query == "?expand=computerStatus";

        private static bool IsOwnSettingsSearch(RecordedRequest r) => r.Path == "/api/computers/search" && r.Query == OwnSettingsQuery;

        private static bool IsOwnSettingsListing(RecordedRequest r) => r.Method == "GET" && r.Path == "/api/computers" && r.Query == OwnSettingsQuery;

        private static bool IsPolicyRead(RecordedRequest r) => r.Method == "GET" && r.Path.StartsWith("/api/policies/", StringComparison.Ordinal);

        /// <summary>The interval each computer was judged by, and how many were judged.</summary>
        private (int Count, int[] TwoMinuteIds) Judge(string command)
        {
            var result = _shell.Invoke("$n = 0; $two = [System.Collections.Generic.List[int]]::new(); " + command + " | ForEach-Object { $n++; if ($_.IntervalMinutes -eq 2) { $two.Add($_.AgentId) } }; $n; ,$two.ToArray()");
            Assert.False(result.Failed, result.Describe());
            return ((int)result.Output[0].BaseObject, (int[])result.Output[1].BaseObject);
        }

        [Fact]
        public void AWholeFleetIsOneSearchPerPageOneSettingsListingAndEachPolicyOnce()
        {
            var (count, twoMinutes) = Judge("Test-AgentHeartbeat");
            Assert.Equal(PagedFleetFixture.Computers, count);
            // Every 97th computer sets a 2-minute interval itself: the listing is what says so.
            Assert.Equal(Enumerable.Range(1, PagedFleetFixture.Computers).Where(i => i % 97 == 0), twoMinutes.OrderBy(i => i));

            var requests = _sim.Requests;
            var pages = (PagedFleetFixture.Computers + 4999) / 5000;
            Assert.Equal(pages, requests.Count(IsStatusSearch));
            Assert.Single(requests, IsOwnSettingsListing);
            Assert.DoesNotContain(requests, IsOwnSettingsSearch);
            Assert.Equal(5, requests.Count(IsPolicyRead));
            Assert.Equal(pages + 1 + 5, requests.Count);
        }

        [Fact]
        public void GetAgentReadsNoSettingsAtAll()
        {
            var result = _shell.Invoke("$n = 0; Get-Agent | ForEach-Object { $n++ }; $n");
            Assert.Equal(PagedFleetFixture.Computers, (int)Assert.Single(result.Output).BaseObject);
            Assert.All(_sim.Requests, r => Assert.True(IsStatusSearch(r), r.ToString()));
        }

        [Fact]
        public void AFewComputersAreOneStatusSearchAndOneSettingsSearchOverTheSameCriteria()
        {
            var (count, twoMinutes) = Judge("Test-AgentHeartbeat -Name file000485, web000486");
            Assert.Equal(2, count);
            Assert.Equal(new[] { 485 }, twoMinutes); // 485 = 5 x 97
            var requests = _sim.Requests.Where(r => !IsPolicyRead(r)).ToList();
            Assert.Equal(4, requests.Count); // one pair per -Name pattern
            Assert.Equal(2, requests.Count(IsStatusSearch));
            var settingsSearches = requests.Where(IsOwnSettingsSearch).ToList();
            Assert.Equal(2, settingsSearches.Count);
            Assert.Contains(settingsSearches, r => r.Body.Contains("\"stringValue\":\"file000485\"", StringComparison.Ordinal));
            Assert.Contains(settingsSearches, r => r.Body.Contains("\"stringValue\":\"web000486\"", StringComparison.Ordinal));
            Assert.DoesNotContain(_sim.Requests, IsOwnSettingsListing);
        }

        [Fact]
        public void PipedAgentsAreSearchedAsIdRangesNotOneByOne()
        {
            // 1,500 piped agents: three batches of 500 consecutive IDs, each one ID-range search.
            var (count, twoMinutes) = Judge("Get-Agent -Id (1..1500) | Test-AgentHeartbeat");
            Assert.Equal(1500, count);
            Assert.Equal(Enumerable.Range(1, 1500).Where(i => i % 97 == 0), twoMinutes.OrderBy(i => i));
            var requests = _sim.Requests;
            Assert.Equal(3 + 3, requests.Count(IsStatusSearch)); // Get-Agent's IDs 500 at a time too, then one per piped batch
            Assert.Equal(3, requests.Count(IsOwnSettingsSearch));
            Assert.All(requests.Where(IsStatusSearch), r => Assert.Contains("\"idTest\":\"greater-than-or-equal\"", r.Body));
        }

        [Fact]
        public void ManyPipedAgentsListTheSettingsOnceAPageWorthIsReached()
        {
            var (count, twoMinutes) = Judge("Get-Agent | Test-AgentHeartbeat");
            Assert.Equal(PagedFleetFixture.Computers, count);
            Assert.Equal(Enumerable.Range(1, PagedFleetFixture.Computers).Where(i => i % 97 == 0), twoMinutes.OrderBy(i => i));
            var requests = _sim.Requests;
            var batches = PagedFleetFixture.Computers / 500;
            var pages = (PagedFleetFixture.Computers + 4999) / 5000;
            Assert.Equal(pages + batches, requests.Count(IsStatusSearch));
            Assert.Equal(9, requests.Count(IsOwnSettingsSearch)); // the first 4,500 agents; the tenth batch makes a page
            Assert.Single(requests, IsOwnSettingsListing);
            Assert.Equal(5, requests.Count(IsPolicyRead));
        }

        [Fact]
        public void ScatteredIdsAreFoundInTheOrderGiven()
        {
            var result = _shell.Invoke("Get-Agent -Id 11000, 3, 6000, 4 | ForEach-Object { $_.Id }");
            Assert.False(result.Failed, result.Describe());
            Assert.Equal(new[] { "11000", "3", "6000", "4" }, result.Output.Select(o => (string)o.BaseObject));
            Assert.Equal(3, _sim.Requests.Count(IsStatusSearch)); // 3 and 4 share a range; 6000 and 11000 do not
        }
    }
}
