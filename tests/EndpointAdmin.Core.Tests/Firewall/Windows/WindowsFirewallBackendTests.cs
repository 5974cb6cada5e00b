using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Firewall.Windows;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The Windows Defender Firewall backend against a fake of its COM surface: what it assigns to
    /// COM, what it reads back, and that Apply is all or nothing. (It cannot run here; see the
    /// backend's remarks.)
    /// </summary>
    public class WindowsFirewallBackendTests
    {
        private readonly FakeFirewallPolicy _com = new FakeFirewallPolicy();
        private readonly WindowsFirewallBackend _backend;

        public WindowsFirewallBackendTests()
        {
            _backend = new WindowsFirewallBackend(_com);
        }

        [Fact]
        public void AnInboundTcpRuleBecomesTheCorrespondingComValues()
        {
            Add(Rule("Web in", r => r.Name = "web-in"));

            var com = Assert.Single(_com.Added);
            Assert.Equal("Web in", com.Assigned("Name"));
            Assert.Equal("EndpointAdmin", com.Assigned("Grouping"));
            Assert.Equal("1", com.Assigned("Direction"));
            Assert.Equal("6", com.Assigned("Protocol"));
            Assert.Equal("443", com.Assigned("LocalPorts"));
            Assert.Null(com.Assigned("RemotePorts"));
            Assert.Null(com.Assigned("RemoteAddresses"));
            Assert.Equal("1", com.Assigned("Action"));
            Assert.Equal("True", com.Assigned("Enabled"));
            Assert.Equal("2147483647", com.Assigned("Profiles"));
            Assert.Equal("All", com.Assigned("InterfaceTypes"));
            Assert.StartsWith("EndpointAdmin:{", com.Assigned("Description"), StringComparison.Ordinal);
            Assert.Contains("\"n\":\"web-in\"", com.Assigned("Description"), StringComparison.Ordinal);
        }

        [Fact]
        public void AnOutboundUdpRuleWithSeveralRemotePortsAndRanges()
        {
            Add(Rule("DNS and more out", r =>
            {
                r.Direction = Direction.Outbound;
                r.Protocol = Protocol.UDP;
                r.LocalPort = Array.Empty<string>();
                r.RemotePort = new[] { "13000-13010", "53", "123" };
            }));

            var com = Assert.Single(_com.Added);
            Assert.Equal("2", com.Assigned("Direction"));
            Assert.Equal("17", com.Assigned("Protocol"));
            Assert.Equal("53,123,13000-13010", com.Assigned("RemotePorts"));
            Assert.Null(com.Assigned("LocalPorts"));
        }

        [Fact]
        public void SeveralLocalPortsAndRangesAreOneCommaSeparatedList()
        {
            Add(Rule("Handler", r => r.LocalPort = new[] { "8443", "443", "13000-13010" }));

            Assert.Equal("443,8443,13000-13010", Assert.Single(_com.Added).Assigned("LocalPorts"));
        }

        [Fact]
        public void RemoteAddressesOfBothFamiliesPrefixesAndRangesUseFormsWindowsAccepts()
        {
            Add(Rule("Managers", r => r.RemoteAddress = new[] { "fe80::1", "10.1.0.0/16", "2001:db8::/32", "192.168.1.10-192.168.1.20", "10.0.0.1" }));

            Assert.Equal(
                "10.0.0.1,10.1.0.0/16,192.168.1.10-192.168.1.20,2001:db8::/32,fe80::1",
                Assert.Single(_com.Added).Assigned("RemoteAddresses"));
        }

        [Fact]
        public void ABlockRuleThatIsDisabledInItsOwnGroup()
        {
            Add(Rule("Old agent port", r =>
            {
                r.Action = FirewallAction.Block;
                r.Enabled = false;
                r.Group = "SES 2.6";
            }));

            var com = Assert.Single(_com.Added);
            Assert.Equal("0", com.Assigned("Action"));
            Assert.Equal("False", com.Assigned("Enabled"));
            Assert.Equal("SES 2.6", com.Assigned("Grouping"));
        }

        [Fact]
        public void ProtocolIsAssignedBeforeThePorts()
        {
            Add(Rule("Both ports", r => r.RemotePort = new[] { "1024-65535" }));

            var com = Assert.Single(_com.Added);
            var protocol = com.IndexOf("Protocol");
            Assert.True(protocol >= 0);
            Assert.True(com.IndexOf("LocalPorts") > protocol, string.Join(", ", com.Assignments));
            Assert.True(com.IndexOf("RemotePorts") > protocol, string.Join(", ", com.Assignments));
            // Enabled last: the rule is complete before it can take effect.
            Assert.Equal(com.Assignments.Count - 1, com.IndexOf("Enabled"));
        }

        [Fact]
        public void TheFakeRefusesPortsBeforeProtocolAsComDoes()
        {
            // Guards the test above: the fake really enforces the order, so a backend that set the
            // ports first would fail, not merely log a different order.
            var rule = new FakeFirewallRule();
            Assert.Throws<COMException>(() => rule.LocalPorts = "443");
        }

        [Fact]
        public void WhatIsAppliedReadsBackAsTheSameRules()
        {
            var wanted = new[]
            {
                Rule("Web in", r => r.Name = "web-in"),
                Rule("Managers out", r =>
                {
                    r.Direction = Direction.Outbound;
                    r.Protocol = Protocol.UDP;
                    r.LocalPort = Array.Empty<string>();
                    r.RemotePort = new[] { "53", "13000-13010" };
                    r.RemoteAddress = new[] { "10.0.0.0/8", "172.16.0.1-172.16.0.9", "fe80::/10", "2001:db8::5" };
                    r.Action = FirewallAction.Block;
                    r.Enabled = false;
                    r.Group = "Custom";
                }),
                FirewallRuleNormalizer.Normalize(FirewallRuleNormalizer.FromRequirement(new PortRequirement
                {
                    Product = Product.SesEvolution,
                    Version = "2.7.1",
                    Component = "AgentHandler",
                    Direction = Direction.Inbound,
                    Protocol = Protocol.TCP,
                    Port = 443,
                    Purpose = "Agents",
                })),
            };
            Add(wanted);

            // The fake reports the IPv4 prefix as Windows does, in mask notation.
            Assert.Contains("10.0.0.0/255.0.0.0", _com.Store.Single(r => r.Name == "Managers out").RemoteAddresses, StringComparison.Ordinal);
            var snapshot = _backend.Read();
            Assert.Equal(wanted.Length, snapshot.Rules.Count);
            foreach (var w in wanted)
            {
                var found = snapshot.ByName[w.Name];
                Assert.Empty(w.DifferencesFrom(found));
                Assert.Equal(FirewallBackendKind.WindowsFirewall, found.Rule.Backend);
            }

            var catalog = snapshot.ByName[wanted[2].Name].Rule;
            Assert.Equal(Product.SesEvolution, catalog.Product);
            Assert.Equal("2.7.1", catalog.Version);
            Assert.Equal("AgentHandler", catalog.Component);
        }

        [Fact]
        public void ADifferenceMadeInWfMscShowsAsADifference()
        {
            var wanted = Rule("Web in");
            Add(wanted);
            _com.Store.Single().Enabled = false;

            var differences = wanted.DifferencesFrom(_backend.Read().ByName["Web in"]);

            Assert.Equal(new[] { "Enabled: wanted True, found False" }, differences);
        }

        [Fact]
        public void RulesOfOthersAreIgnored()
        {
            _com.Foreign("Core Networking - DNS (UDP-Out)", "Outbound rule to allow DNS requests.", 17, "*");
            _com.Foreign("Remote Assistance (RA Server TCP-In)", "EndpointAdmin: a note an admin typed", 6, "RPC");
            _com.Foreign("File and Printer Sharing (Echo Request - ICMPv4-In)", null, 1);
            Add(Rule("Web in"));

            var snapshot = _backend.Read();

            Assert.Equal("Web in", Assert.Single(snapshot.Rules).Name);
            Assert.Empty(snapshot.Documents);
        }

        [Fact]
        public void RemoveRemovesOnlyOurRuleWhenAnotherHasTheSameDisplayName()
        {
            var foreign = _com.Foreign("Web in", "Someone else's rule");
            Add(Rule("Web in"), Rule("Other", r => r.LocalPort = new[] { "8443" }));
            var before = _com.Dump();

            var changes = new FirewallChangeSet();
            changes.Remove.Add("Web in");
            _backend.Apply(_backend.Read(), changes);

            Assert.Contains(foreign, _com.Store);
            Assert.Equal("Web in", foreign.Name);
            Assert.Equal(new[] { "Other" }, _backend.Read().Rules.Select(r => r.Name).ToArray());
            Assert.Equal(2, _com.Store.Count);
            Assert.NotEqual(before, _com.Dump());
            Assert.All(_com.Removed, name => Assert.StartsWith("EndpointAdmin removing ", name, StringComparison.Ordinal));
        }

        [Fact]
        public void AMacRestrictionIsNotSupported()
        {
            var rule = Rule("Agents by MAC", r => r.RemoteMacAddress = new[] { "aa:bb:cc:dd:ee:ff" });

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Validate(rule));

            Assert.Equal(ErrorIds.FirewallMacAddressNotSupported, ex.ErrorId);
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Equal("Agents by MAC", ex.Target);
        }

        [Fact]
        public void AnApplyWithAMacRuleChangesNothing()
        {
            Add(Rule("Web in"));
            var before = _com.Dump();
            var changes = new FirewallChangeSet();
            changes.Remove.Add("Web in");
            changes.Add.Add(Rule("Fine", r => r.LocalPort = new[] { "8443" }));
            changes.Add.Add(Rule("Agents by MAC", r => r.RemoteMacAddress = new[] { "aa:bb:cc:dd:ee:ff" }));

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(_backend.Read(), changes));

            Assert.Equal(ErrorIds.FirewallMacAddressNotSupported, ex.ErrorId);
            Assert.Equal(before, _com.Dump());
        }

        [Theory]
        [InlineData("Web | in", null)]
        [InlineData("all", null)]
        [InlineData("Web in", "Group|A")]
        public void NamesWindowsRefusesAreRejectedBeforeAnythingChanges(string displayName, string group)
        {
            var rule = Rule(displayName, r =>
            {
                r.Name = "web";
                r.Group = group;
            });

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Validate(rule));

            Assert.Equal(ErrorIds.FirewallValueNotSupported, ex.ErrorId);
            Assert.Equal(ErrorKind.NotSupported, ex.Kind);
            Assert.Equal("web", ex.Target);
        }

        [Fact]
        public void ABarInTheEndpointAdminNameIsEscapedInTheDescription()
        {
            Add(Rule("Web in", r => r.Name = "web|in"));

            Assert.DoesNotContain("|", Assert.Single(_com.Store).Description, StringComparison.Ordinal);
            Assert.Equal("web|in", Assert.Single(_backend.Read().Rules).Name);
        }

        [Fact]
        public void AddingANameThatIsPresentAndNotRemovedChangesNothing()
        {
            Add(Rule("Web in"));
            var before = _com.Dump();
            var changes = new FirewallChangeSet();
            changes.Add.Add(Rule("Fine", r => r.LocalPort = new[] { "8443" }));
            changes.Add.Add(Rule("Web in", r => r.LocalPort = new[] { "444" }));

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(_backend.Read(), changes));

            Assert.Equal(ErrorIds.FirewallRuleConflict, ex.ErrorId);
            Assert.Equal("Web in", ex.Target);
            Assert.Equal(before, _com.Dump());
        }

        [Fact]
        public void ARuleCanBeReplacedInOneApply()
        {
            Add(Rule("Web in"));
            var changes = new FirewallChangeSet();
            changes.Remove.Add("Web in");
            changes.Add.Add(Rule("Web in", r => r.LocalPort = new[] { "444" }));

            _backend.Apply(_backend.Read(), changes);

            Assert.Equal("444", Assert.Single(_com.Store).LocalPorts);
        }

        [Fact]
        public void AFailedAddUndoesEverythingThisApplyDid()
        {
            _com.Foreign("Core Networking - DNS (UDP-Out)", "Outbound rule to allow DNS requests.", 17, "*");
            Add(Rule("Old", r => r.LocalPort = new[] { "8080" }));
            var basis = _backend.Read();
            var before = _com.Dump();
            _com.FailOnAdd = _com.AddCalls + 3;

            var changes = new FirewallChangeSet();
            changes.Remove.Add("Old");
            changes.Add.Add(Rule("First", r => r.LocalPort = new[] { "1001" }));
            changes.Add.Add(Rule("Second", r => r.LocalPort = new[] { "1002" }));
            changes.Add.Add(Rule("Third", r => r.LocalPort = new[] { "1003" }));
            changes.Add.Add(Rule("Fourth", r => r.LocalPort = new[] { "1004" }));
            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(basis, changes));

            Assert.Equal(ErrorIds.FirewallRuleRejected, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidOperation, ex.Kind);
            Assert.Equal("Third", ex.Target);
            Assert.Contains("'Third'", ex.Message, StringComparison.Ordinal);
            Assert.IsType<COMException>(ex.InnerException);
            Assert.Equal(before, _com.Dump());
            Assert.Equal(new[] { "Old" }, _backend.Read().Rules.Select(r => r.Name).ToArray());
        }

        [Fact]
        public void WhenTheUndoFailsTooTheErrorSaysTheFirewallIsPartlyChanged()
        {
            var basis = _backend.Read();
            _com.FailOnAdd = 2;
            _com.RemoveFailure = new COMException("The RPC server is unavailable.", unchecked((int)0x800706BA));
            var changes = new FirewallChangeSet();
            changes.Add.Add(Rule("First", r => r.LocalPort = new[] { "1001" }));
            changes.Add.Add(Rule("Second", r => r.LocalPort = new[] { "1002" }));

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(basis, changes));

            Assert.Equal(ErrorIds.FirewallRollbackIncomplete, ex.ErrorId);
            Assert.Equal("Second", ex.Target);
            Assert.Contains("First", ex.Message, StringComparison.Ordinal);
            // The rule that could not be removed keeps its own name, not the temporary one.
            Assert.Equal("First", Assert.Single(_com.Store).Name);
        }

        [Fact]
        public void AccessDeniedIsPermissionDeniedAndChangesNothing()
        {
            Add(Rule("Web in"));
            var before = _com.Dump();
            _com.FailOnAdd = _com.AddCalls + 1;
            _com.AddFailure = new UnauthorizedAccessException("Access is denied.");
            var changes = new FirewallChangeSet();
            changes.Remove.Add("Web in");
            changes.Add.Add(Rule("Other", r => r.LocalPort = new[] { "8443" }));

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(_backend.Read(), changes));

            Assert.Equal(ErrorIds.FirewallPermissionDenied, ex.ErrorId);
            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
            Assert.Equal("Other", ex.Target);
            Assert.Equal(before, _com.Dump());
        }

        [Fact]
        public void DocumentsArePutReplacedAndDeletedInTheSameApply()
        {
            var changes = new FirewallChangeSet();
            changes.Add.Add(Rule("Web in"));
            changes.PutDocuments["migration:SesEvolution"] = "{\"from\":\"2.6\",\"to\":\"2.7.1\",\"note\":\"a|b\"}";
            changes.PutDocuments["other"] = "x";
            _backend.Apply(_backend.Read(), changes);

            var snapshot = _backend.Read();
            Assert.Equal("{\"from\":\"2.6\",\"to\":\"2.7.1\",\"note\":\"a|b\"}", snapshot.Documents["migration:SesEvolution"]);
            Assert.Equal("x", snapshot.Documents["other"]);
            Assert.Equal("Web in", Assert.Single(snapshot.Rules).Name);
            var stateRules = _com.Store.Where(r => r.Grouping == ComRuleCodec.StateGroup).ToList();
            Assert.Equal(2, stateRules.Count);
            Assert.All(stateRules, r => Assert.False(r.Enabled));

            changes = new FirewallChangeSet();
            changes.PutDocuments["migration:SesEvolution"] = "{\"from\":\"2.6\",\"to\":\"2.7.1\",\"done\":true}";
            changes.DeleteDocuments.Add("other");
            _backend.Apply(snapshot, changes);

            snapshot = _backend.Read();
            Assert.Equal("{\"from\":\"2.6\",\"to\":\"2.7.1\",\"done\":true}", Assert.Single(snapshot.Documents).Value);
            Assert.Single(_com.Store, r => r.Grouping == ComRuleCodec.StateGroup);
        }

        [Fact]
        public void ADocumentChangeIsUndoneWhenARuleOfTheSameApplyFails()
        {
            var changes = new FirewallChangeSet();
            changes.PutDocuments["state"] = "old";
            _backend.Apply(_backend.Read(), changes);
            var before = _com.Dump();
            _com.FailOnAdd = _com.AddCalls + 1;

            changes = new FirewallChangeSet();
            changes.Add.Add(Rule("Web in"));
            changes.PutDocuments["state"] = "new";
            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Apply(_backend.Read(), changes));

            Assert.Equal("Web in", ex.Target);
            Assert.Equal(before, _com.Dump());
            Assert.Equal("old", _backend.Read().Documents["state"]);
        }

        [Theory]
        [InlineData("10.0.0.0/255.0.0.0", "10.0.0.0/8")]
        [InlineData("10.0.0.7/255.255.255.255", "10.0.0.7")]
        [InlineData("10.1.2.3/255.255.0.0", "10.1.0.0/16")]
        [InlineData("0.0.0.0/0.0.0.0", "0.0.0.0/0")]
        [InlineData("10.0.0.1-10.0.0.9,fe80::/10", "10.0.0.1-10.0.0.9,fe80::/10")]
        [InlineData("2001:db8::1", "2001:db8::1")]
        [InlineData("*", "Any")]
        [InlineData("Any", "Any")]
        [InlineData("", "Any")]
        public void AddressesReadInWindowsFormsParse(string windows, string canonical)
        {
            Assert.Equal(canonical, ComRuleCodec.ParseAddresses(windows).ToString());
        }

        [Theory]
        [InlineData("*", "Any")]
        [InlineData("Any", "Any")]
        [InlineData(null, "Any")]
        [InlineData("443,13000-13010", "443,13000-13010")]
        [InlineData("13000-13010,80,81", "80-81,13000-13010")]
        public void PortsReadInWindowsFormsParse(string windows, string canonical)
        {
            Assert.Equal(canonical, ComRuleCodec.ParsePorts(windows, "LocalPort").ToString());
        }

        [Theory]
        [InlineData("10.0.0.0/255.0.255.0")]
        [InlineData("LocalSubnet")]
        [InlineData("DNS")]
        [InlineData("fe80::/255.0.0.0")]
        public void AddressesEndpointAdminNeverWritesDoNotParse(string windows)
        {
            var ex = Assert.Throws<EndpointAdminException>(() => ComRuleCodec.ParseAddresses(windows));
            Assert.Equal(ErrorIds.FirewallAddressInvalid, ex.ErrorId);
        }

        [Theory]
        [InlineData("LocalPorts", "RPC")]
        [InlineData("RemoteAddresses", "LocalSubnet")]
        [InlineData("Profiles", "1")]
        [InlineData("InterfaceTypes", "Wireless")]
        [InlineData("Protocol", "256")]
        [InlineData("Description", "EndpointAdmin:{not json")]
        [InlineData("Description", "EndpointAdmin:{\"t\":[1],\"n\":\"web-in\"}")]
        [InlineData("Description", "EndpointAdmin:{\"t\":\"rule\",\"n\":{}}")]
        [InlineData("Description", "EndpointAdmin:{\"t\":\"doc\"}")]
        [InlineData("ApplicationName", "C:\\app.exe")]
        public void OurRuleChangedOutsideEndpointAdminIsAClearError(string property, string value)
        {
            Add(Rule("Web in", r => r.Name = "web-in"));
            var com = _com.Store.Single();
            switch (property)
            {
                case "LocalPorts": com.LocalPorts = value; break;
                case "RemoteAddresses": com.RemoteAddresses = value; break;
                case "Profiles": com.Profiles = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "InterfaceTypes": com.InterfaceTypes = value; break;
                case "Protocol": com.LocalPorts = "*"; com.Protocol = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "Description": com.Description = value; break;
                case "ApplicationName": com.ApplicationName = value; break;
            }

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Read());

            Assert.Equal(ErrorIds.FirewallTableModified, ex.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, ex.Kind);
            Assert.Equal(property == "Description" ? "Web in" : "web-in", ex.Target);
        }

        [Fact]
        public void ACopiedRuleThatCarriesTheSameNameIsAClearError()
        {
            Add(Rule("Web in"));
            _com.Store.Add(_com.Store[0].Copy());

            var ex = Assert.Throws<EndpointAdminException>(() => _backend.Read());

            Assert.Equal(ErrorIds.FirewallTableModified, ex.ErrorId);
            Assert.Equal("Web in", ex.Target);
        }

        [Fact]
        public void ProfilesThatStillCoverDomainPrivateAndPublicAreAccepted()
        {
            var wanted = Rule("Web in");
            Add(wanted);
            _com.Store.Single().Profiles = 7;

            Assert.Empty(wanted.DifferencesFrom(_backend.Read().ByName["Web in"]));
        }

        private static NormalizedRule Rule(string displayName, Action<FirewallPortRule> change = null)
        {
            var rule = new FirewallPortRule
            {
                DisplayName = displayName,
                Direction = Direction.Inbound,
                Protocol = Protocol.TCP,
                LocalPort = new[] { "443" },
            };
            change?.Invoke(rule);
            return FirewallRuleNormalizer.Normalize(rule);
        }

        private void Add(params NormalizedRule[] rules)
        {
            var changes = new FirewallChangeSet();
            changes.Add.AddRange(rules);
            _backend.Apply(_backend.Read(), changes);
        }
    }
}
