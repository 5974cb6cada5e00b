using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// The wanted-rule parameters New- and Test-FirewallPortRule share: a rule described by
    /// parameters (names as in NetSecurity's New-NetFirewallRule, bound by property name so
    /// FirewallPortRule objects pipe in) or a port catalog row piped in as a PortRequirement.
    /// Rules are validated per record and collected; the command acts on all of them at the end.
    /// One parameter set on purpose: with two, the binder tries the default set first for piped
    /// objects and rejects catalog rows (or deserialized rules) for lacking that set's mandatory
    /// parameters. What a rule needs is checked per record instead, with a stable ErrorId.
    /// </summary>
    public abstract class FirewallRuleInputCommandBase : FirewallCommandBase
    {
        private readonly List<NormalizedRule> _wanted = new List<NormalizedRule>();

        /// <summary>Required unless a catalog row is piped in.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string DisplayName { get; set; }

        /// <summary>The rule's identity, matched literally; defaults to the display name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        /// <summary>Required unless a catalog row is piped in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Direction? Direction { get; set; }

        /// <summary>Required unless a catalog row is piped in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Protocol? Protocol { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] LocalPort { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemotePort { get; set; }

        /// <summary>A port catalog row (Get-AgentPortRequirement output): inbound rows open the local port, outbound rows the remote one.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PortRequirement InputObject { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemoteAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemoteMacAddress { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public FirewallAction Action { get; set; } = FirewallAction.Allow;

        /// <summary>Defaults to EndpointAdmin.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Group { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public bool Enabled { get; set; } = true;

        /// <summary>The valid rules of this invocation, in input order.</summary>
        internal IReadOnlyList<NormalizedRule> Wanted => _wanted;

        /// <summary>How many input records were rejected (each with its own error).</summary>
        internal int Rejected { get; private set; }

        protected override void ProcessRecord()
        {
            FirewallPortRule wanted;
            if (InputObject != null)
            {
                wanted = FirewallRuleNormalizer.FromRequirement(InputObject);
            }
            else if (!Direction.HasValue || !Protocol.HasValue)
            {
                Rejected++;
                var missing = !Direction.HasValue ? "Direction" : "Protocol";
                WriteError(ErrorRecordFactory.Create(new EndpointAdminException(
                    ErrorIds.FirewallRuleIncomplete,
                    ErrorKind.InvalidArgument,
                    DisplayName,
                    "The rule '" + DisplayName + "' needs -" + missing + " (or pipe in a catalog row from Get-AgentPortRequirement).")));
                return;
            }
            else
            {
                wanted = new FirewallPortRule
                {
                    Name = Name,
                    DisplayName = DisplayName,
                    Direction = Direction.Value,
                    Protocol = Protocol.Value,
                    LocalPort = LocalPort ?? new string[0],
                    RemotePort = RemotePort ?? new string[0],
                };
            }

            wanted.RemoteAddress = RemoteAddress ?? new string[0];
            wanted.RemoteMacAddress = RemoteMacAddress ?? new string[0];
            wanted.Action = Action;
            wanted.Group = Group;
            wanted.Enabled = Enabled;
            try
            {
                _wanted.Add(Service.Prepare(wanted));
            }
            catch (EndpointAdminException ex)
            {
                Rejected++;
                WriteError(ErrorRecordFactory.Create(ex));
            }
        }
    }
}
