using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EndpointAdmin.Simulators
{
    /// <summary>A policy as the simulated manager keeps it: its own settings only (overrides).</summary>
    public sealed class SimPolicy
    {
        public int Id { get; set; }

        public string Name { get; set; }

        public int? ParentId { get; set; }

        public Dictionary<string, string> Settings { get; } = new Dictionary<string, string>();

        public List<int> FirewallRuleIds { get; } = new List<int>();
    }

    /// <summary>
    /// The simulated manager's data. Computers live in parallel arrays (IDs 1..N, names and
    /// addresses computed from the index) so 100,000 of them cost a few MB; only what tests change
    /// goes into dictionaries. Seeded: the same seed gives the same fleet.
    /// </summary>
    public sealed class DeepSecurityFleet
    {
        public static readonly string[] HeartbeatSettings =
        {
            "platformSettingHeartbeatInterval",
            "platformSettingHeartbeatMissedAlertThreshold",
            "platformSettingHeartbeatLocalTimeShiftAlertThreshold",
            "platformSettingHeartbeatInactiveVmOfflineAlertEnabled",
            "platformSettingAgentCommunicationsDirection",
        };

        private static readonly string[] Roles = { "web", "db", "app", "mail", "file" };
        private static readonly string[] Platforms = { "Red Hat Enterprise 8 (64 bit)", "Microsoft Windows Server 2019 (64 bit)", "Ubuntu Linux 22 (64 bit)" };

        private readonly long[] _lastContact;
        private readonly ushort[] _policy;
        private readonly object _gate = new object();

        /// <param name="policies">How many policies (at least 5): the five below, then "Policy N" children of Base Policy, each setting one heartbeat value of its own.</param>
        public DeepSecurityFleet(int count, int seed = 42, DateTime? nowUtc = null, int policies = 5)
        {
            if (policies < 5 || policies > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(policies));
            }

            Count = count;
            Now = nowUtc ?? DateTime.UtcNow;
            var nowMs = ToMs(Now);
            _lastContact = new long[count];
            _policy = new ushort[count];
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                _policy[i] = (ushort)(i % policies);
                var roll = random.Next(100);
                long ageMs;
                if (roll < 70)
                {
                    ageMs = random.Next(0, 50_000); // within the shortest interval: healthy everywhere
                }
                else if (roll < 85)
                {
                    ageMs = random.Next(2 * 60_000, 25 * 60_000); // a few intervals late
                }
                else if (roll < 95)
                {
                    ageMs = random.Next(2, 72) * 3_600_000L; // hours or days: alert unless unlimited
                }
                else
                {
                    ageMs = -1; // never contacted
                }

                _lastContact[i] = ageMs < 0 ? 0 : nowMs - ageMs;
            }

            DefaultSettings["platformSettingHeartbeatInterval"] = "10 Minutes";
            DefaultSettings["platformSettingHeartbeatMissedAlertThreshold"] = "2";
            DefaultSettings["platformSettingHeartbeatLocalTimeShiftAlertThreshold"] = "Unlimited";
            DefaultSettings["platformSettingHeartbeatInactiveVmOfflineAlertEnabled"] = "false";
            DefaultSettings["platformSettingAgentCommunicationsDirection"] = "Bidirectional";
            DefaultSettings["platformSettingSmartProtectionGlobalServerProxyId"] = "";
            DefaultSettings["platformSettingSmartProtectionGlobalServerUseProxyEnabled"] = "false";

            AddPolicy(new SimPolicy { Id = 1, Name = "Base Policy" });
            AddPolicy(new SimPolicy { Id = 2, Name = "Linux Server", ParentId = 1 }, ("platformSettingHeartbeatInterval", "5 Minutes"));
            AddPolicy(new SimPolicy { Id = 3, Name = "Windows Server", ParentId = 1 }, ("platformSettingHeartbeatMissedAlertThreshold", "3"));
            AddPolicy(new SimPolicy { Id = 4, Name = "Laptops", ParentId = 3 }, ("platformSettingHeartbeatMissedAlertThreshold", "Unlimited"), ("platformSettingAgentCommunicationsDirection", "Agent/Appliance Initiated"));
            AddPolicy(new SimPolicy { Id = 5, Name = "Web Tier", ParentId = 2 }, ("platformSettingHeartbeatInterval", "1 Minute"));
            for (int id = 6; id <= policies; id++)
            {
                var own = id % 3 == 0 ? ("platformSettingHeartbeatInterval", "15 Minutes") : id % 3 == 1 ? ("platformSettingHeartbeatMissedAlertThreshold", "4") : ("platformSettingHeartbeatLocalTimeShiftAlertThreshold", "30 Minutes");
                AddPolicy(new SimPolicy { Id = id, Name = "Policy " + id.ToString(CultureInfo.InvariantCulture), ParentId = 1 }, own);
            }

            for (int id = 97; id <= count; id += 97)
            {
                ComputerSettings[id] = new Dictionary<string, string> { ["platformSettingHeartbeatInterval"] = "2 Minutes" };
            }
        }

        public int Count { get; }

        /// <summary>The instant the last-contact ages were computed from.</summary>
        public DateTime Now { get; }

        /// <summary>/policies/default: the values every policy inherits last.</summary>
        public Dictionary<string, string> DefaultSettings { get; } = new Dictionary<string, string>();

        public Dictionary<string, string> SystemSettings { get; } = new Dictionary<string, string>();

        public SortedDictionary<int, SimPolicy> Policies { get; } = new SortedDictionary<int, SimPolicy>();

        /// <summary>Settings set on a computer itself, by computer ID.</summary>
        public Dictionary<int, Dictionary<string, string>> ComputerSettings { get; } = new Dictionary<int, Dictionary<string, string>>();

        public Dictionary<int, long> LastSendPolicyRequest { get; } = new Dictionary<int, long>();

        public Dictionary<int, long> LastSendPolicySuccess { get; } = new Dictionary<int, long>();

        public object Gate => _gate;

        public bool Exists(int id) => id >= 1 && id <= Count;

        public string HostName(int id) => Roles[(id - 1) % Roles.Length] + id.ToString("D6", CultureInfo.InvariantCulture);

        public int PolicyId(int id) => _policy[id - 1] + 1;

        public void SetPolicy(int id, int policyId) => _policy[id - 1] = (ushort)(policyId - 1);

        public long LastContactMs(int id) => _lastContact[id - 1];

        public void SetLastContact(int id, DateTime? utc) => _lastContact[id - 1] = utc.HasValue ? ToMs(utc.Value) : 0;

        public string Platform(int id) => Platforms[(id - 1) % Platforms.Length];

        public string IPAddress(int id) => "10." + ((id >> 16) & 255) + "." + ((id >> 8) & 255) + "." + (id & 255);

        /// <summary>Every 50th computer sits behind a Deep Security Virtual Appliance (all of them in policy 5, Web Tier).</summary>
        public bool BehindVirtualAppliance(int id) => id % 50 == 0;

        /// <summary>Some agents report a clock change, as agentStatusMessages shows it.</summary>
        public bool ClockChanged(int id) => id % 211 == 0;

        public string AgentStatus(int id) => LastContactMs(id) == 0 ? "inactive" : (ClockChanged(id) ? "warning" : "active");

        /// <summary>The effective value of a policy setting: the policy, its parents, then the defaults.</summary>
        public string EffectivePolicySetting(int? policyId, string name)
        {
            for (int depth = 0; policyId.HasValue && depth < 64; depth++)
            {
                if (!Policies.TryGetValue(policyId.Value, out var policy))
                {
                    break;
                }

                if (policy.Settings.TryGetValue(name, out var value))
                {
                    return value;
                }

                policyId = policy.ParentId;
            }

            DefaultSettings.TryGetValue(name, out var fallback);
            return fallback;
        }

        /// <summary>The firewall rules in effect on a policy: its own assignments and those it inherits from its parents.</summary>
        public List<int> EffectiveFirewallRuleIds(int policyId)
        {
            var result = new List<int>();
            int? current = policyId;
            for (int depth = 0; current.HasValue && depth < 64 && Policies.TryGetValue(current.Value, out var policy); depth++)
            {
                result.AddRange(policy.FirewallRuleIds.Where(r => !result.Contains(r)));
                current = policy.ParentId;
            }

            result.Sort();
            return result;
        }

        public string EffectiveComputerSetting(int id, string name)
        {
            if (ComputerSettings.TryGetValue(id, out var own) && own.TryGetValue(name, out var value))
            {
                return value;
            }

            return EffectivePolicySetting(PolicyId(id), name);
        }

        public static long ToMs(DateTime utc) => (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;

        private void AddPolicy(SimPolicy policy, params (string Name, string Value)[] settings)
        {
            foreach (var (name, value) in settings)
            {
                policy.Settings[name] = value;
            }

            Policies[policy.Id] = policy;
        }
    }
}
