using System;
using System.Collections.Generic;
using System.Globalization;

namespace EndpointAdmin.Simulators
{
    /// <summary>One simulated Kaspersky device (the KLHST_WKS_* attributes the simulator serves).</summary>
    public sealed class KscHost
    {
        public string HostName { get; set; }

        public string DisplayName { get; set; }

        public string DnsName { get; set; }

        public string DnsDomain { get; set; }

        public long IpLong { get; set; }

        public int GroupId { get; set; }

        public DateTime? LastVisible { get; set; }

        public DateTime? LastInfoUpdate { get; set; }

        public DateTime? LastNagentConnected { get; set; }

        public bool KeepConnection { get; set; }

        public int Status { get; set; }

        public string NagentVersion { get; set; }

        /// <summary>Set by AddHostsForSync for a live Network Agent: when its synchronization completes.</summary>
        public DateTime? SyncDue { get; set; }

        public bool Alive => (Status & 0x08) != 0;
    }

    /// <summary>
    /// The simulated Administration Server's devices. Seeded: the same seed gives the same fleet.
    /// Host names are GUID-like (as the server makes them); display names are role + number.
    /// </summary>
    public sealed class KscFleet
    {
        private static readonly string[] Roles = { "web", "db", "app", "ws", "file" };

        public KscFleet(int count, int seed = 42, int keepConnection = 0, int offlineEvery = 10, DateTime? nowUtc = null)
        {
            Now = nowUtc ?? DateTime.UtcNow;
            var random = new Random(seed);
            for (int i = 1; i <= count; i++)
            {
                var bytes = new byte[16];
                random.NextBytes(bytes);
                var role = Roles[i % Roles.Length];
                var offline = offlineEvery > 0 && i % offlineEvery == 0;
                var roll = random.Next(100);
                DateTime? last;
                if (roll < 70)
                {
                    last = Now.AddSeconds(-random.Next(0, 600)); // within one 15-minute interval
                }
                else if (roll < 85)
                {
                    last = Now.AddMinutes(-random.Next(16, 59)); // one to three intervals late
                }
                else if (roll < 95)
                {
                    last = Now.AddHours(-random.Next(2, 72)); // long gone
                }
                else
                {
                    last = null; // never connected
                }

                var host = new KscHost
                {
                    HostName = new Guid(bytes).ToString(),
                    DisplayName = role + i.ToString("D5", CultureInfo.InvariantCulture),
                    DnsName = role + i.ToString("D5", CultureInfo.InvariantCulture),
                    DnsDomain = "corp.example",
                    IpLong = (10L << 24) + ((long)((i >> 16) & 0xFF) << 16) + ((long)((i >> 8) & 0xFF) << 8) + (i & 0xFF),
                    GroupId = 1 + (i % 4),
                    LastVisible = last?.AddSeconds(5),
                    LastInfoUpdate = last,
                    LastNagentConnected = last,
                    KeepConnection = i <= keepConnection,
                    Status = 0x01 | 0x04 | (offline || last == null ? 0 : 0x08) | (i % 3 == 0 ? 0 : 0x10),
                    NagentVersion = i % 7 == 0 ? "14.2.0.26967" : "15.1.0.20748",
                };
                Hosts.Add(host);
                ByName[host.HostName] = host;
            }
        }

        public DateTime Now { get; }

        public object Gate { get; } = new object();

        public List<KscHost> Hosts { get; } = new List<KscHost>();

        public Dictionary<string, KscHost> ByName { get; } = new Dictionary<string, KscHost>(StringComparer.OrdinalIgnoreCase);

        public int Count => Hosts.Count;

        public KscHost this[int index] => Hosts[index];

        /// <summary>Devices holding a continuous connection now.</summary>
        public int KeepConnectionCount
        {
            get
            {
                lock (Gate)
                {
                    var n = 0;
                    foreach (var h in Hosts)
                    {
                        n += h.KeepConnection ? 1 : 0;
                    }

                    return n;
                }
            }
        }

        /// <summary>Sets the flag on exactly the first <paramref name="count"/> devices (test set-up).</summary>
        public void SetKeepConnection(int count)
        {
            lock (Gate)
            {
                for (int i = 0; i < Hosts.Count; i++)
                {
                    Hosts[i].KeepConnection = i < count;
                }
            }
        }

        /// <summary>Completes a due synchronization: the Network Agent connected, the host info was updated.</summary>
        internal static void Settle(KscHost host, DateTime now)
        {
            if (host.SyncDue.HasValue && host.SyncDue.Value <= now)
            {
                host.LastNagentConnected = host.SyncDue.Value;
                host.LastInfoUpdate = host.SyncDue.Value;
                host.SyncDue = null;
            }
        }
    }
}
