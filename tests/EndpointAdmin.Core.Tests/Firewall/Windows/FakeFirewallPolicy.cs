using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EndpointAdmin.Firewall.Windows;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// A stand-in for Windows Defender Firewall's COM surface with the documented behaviour that
    /// matters: new rules start with Protocol "any" and refuse ports until a TCP/UDP protocol is set;
    /// names and descriptions refuse '|'; Add stores a copy (the object passed in is not live);
    /// Remove removes every rule of that display name; IPv4 subnets read back in mask notation.
    /// </summary>
    internal sealed class FakeFirewallPolicy : IFirewallPolicyCom
    {
        public List<FakeFirewallRule> Store { get; } = new List<FakeFirewallRule>();

        /// <summary>Every rule object the backend filled in and passed to Add, in order.</summary>
        public List<FakeFirewallRule> Added { get; } = new List<FakeFirewallRule>();

        public List<string> Removed { get; } = new List<string>();

        /// <summary>When set, the Add call with this number (1-based) throws this exception.</summary>
        public int FailOnAdd { get; set; }

        public Exception AddFailure { get; set; } = new COMException("The parameter is incorrect.", unchecked((int)0x80070057));

        public int AddCalls { get; private set; }

        /// <summary>When set, every Remove call throws this exception.</summary>
        public Exception RemoveFailure { get; set; }

        public IReadOnlyList<IFirewallRuleCom> GetRules()
        {
            return Store.Cast<IFirewallRuleCom>().ToList();
        }

        public IFirewallRuleCom CreateRule()
        {
            return new FakeFirewallRule();
        }

        public void Add(IFirewallRuleCom rule)
        {
            AddCalls++;
            if (AddCalls == FailOnAdd)
            {
                throw AddFailure;
            }

            var fake = (FakeFirewallRule)rule;
            if (string.IsNullOrEmpty(fake.Name))
            {
                throw new COMException("A rule needs a name.", unchecked((int)0x80070057));
            }

            Added.Add(fake);
            Store.Add(fake.Copy());
        }

        public void Remove(string name)
        {
            if (RemoveFailure != null)
            {
                throw RemoveFailure;
            }

            Removed.Add(name);
            Store.RemoveAll(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Every rule with every setting, sorted: equal dumps mean equal stores.</summary>
        public string Dump()
        {
            return string.Join("\n", Store.Select(r => r.Dump()).OrderBy(s => s, StringComparer.Ordinal));
        }

        public FakeFirewallRule Foreign(string name, string description = "A rule of someone else", int protocol = 6, string localPorts = "80")
        {
            var rule = new FakeFirewallRule
            {
                Name = name,
                Description = description,
                Grouping = "@FirewallAPI.dll,-25000",
                Direction = 1,
                Protocol = protocol,
            };
            if (protocol == 6 || protocol == 17)
            {
                rule.LocalPorts = localPorts;
            }

            rule.Action = 1;
            rule.Enabled = true;
            rule.Assignments.Clear();
            Store.Add(rule);
            return rule;
        }
    }
}
