using System.Collections.Generic;
using System.Management.Automation;
using EndpointAdmin.Firewall;
using EndpointAdmin.Internal;

namespace EndpointAdmin.Commands
{
    /// <summary>
    /// The wanted-rule input New- and Test-FirewallPortRule share: a rule described by parameters
    /// (names as in NetSecurity's New-NetFirewallRule), or objects piped in — catalog rows from
    /// Get-AgentPortRequirement, FirewallPortRule objects (also deserialized, from remoting), or any
    /// object with the rule's property names (Import-Csv rows). Parameters given on the command
    /// line apply to every piped object and win over its own values (e.g. -RemoteAddress or -Group
    /// for a whole catalog pipeline). Rules are validated per record and collected; the command
    /// acts on all of them at the end.
    /// </summary>
    public abstract class FirewallRuleInputCmdlet : FirewallCmdlet
    {
        private readonly List<NormalizedRule> _wanted = new List<NormalizedRule>();

        /// <summary>Required unless objects are piped in.</summary>
        [Parameter(Position = 0)]
        [AllowEmptyString]
        public string DisplayName { get; set; }

        /// <summary>The rule's identity, matched literally; defaults to the display name.</summary>
        [Parameter]
        public string Name { get; set; }

        /// <summary>Required unless objects are piped in.</summary>
        [Parameter]
        public Direction? Direction { get; set; }

        /// <summary>Required unless objects are piped in.</summary>
        [Parameter]
        public Protocol? Protocol { get; set; }

        [Parameter]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] LocalPort { get; set; }

        [Parameter]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemotePort { get; set; }

        /// <summary>Catalog rows, FirewallPortRule objects, or objects with the rule's property names.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        [Parameter]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemoteAddress { get; set; }

        [Parameter]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] RemoteMacAddress { get; set; }

        [Parameter]
        public FirewallAction Action { get; set; } = FirewallAction.Allow;

        /// <summary>Defaults to EndpointAdmin.</summary>
        [Parameter]
        public string Group { get; set; }

        [Parameter]
        public bool Enabled { get; set; } = true;

        /// <summary>The valid rules of this invocation, in input order.</summary>
        internal IReadOnlyList<NormalizedRule> Wanted => _wanted;

        /// <summary>How many input records were rejected (each with its own error).</summary>
        internal int Rejected { get; private set; }

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                Add(null);
                return;
            }

            // -InputObject $rules (not piped) arrives as one array: take its items one by one.
            var items = InputObject.BaseObject is string ? null : LanguagePrimitives.GetEnumerable(InputObject.BaseObject);
            if (items == null)
            {
                Add(InputObject);
                return;
            }

            foreach (var item in items)
            {
                Add(item == null ? null : PSObject.AsPSObject(item));
            }
        }

        private void Add(PSObject item)
        {
            if (!Try(() => _wanted.Add(Service.Prepare(item != null ? Piped(item) : FromParameters()))))
            {
                Rejected++;
            }
        }

        private FirewallPortRule FromParameters()
        {
            if (!Direction.HasValue || !Protocol.HasValue)
            {
                throw RuleInput.Incomplete(DisplayName, !Direction.HasValue ? "Direction" : "Protocol");
            }

            return new FirewallPortRule
            {
                Name = Name,
                DisplayName = DisplayName,
                Direction = Direction.Value,
                Protocol = Protocol.Value,
                LocalPort = LocalPort ?? new string[0],
                RemotePort = RemotePort ?? new string[0],
                RemoteAddress = RemoteAddress ?? new string[0],
                RemoteMacAddress = RemoteMacAddress ?? new string[0],
                Action = Action,
                Group = Group,
                Enabled = Enabled,
            };
        }

        private FirewallPortRule Piped(PSObject item)
        {
            var wanted = RuleInput.From(item, Direction, Protocol);
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(Name))) { wanted.Name = Name; }
            if (bound.ContainsKey(nameof(DisplayName))) { wanted.DisplayName = DisplayName; }
            if (bound.ContainsKey(nameof(Direction)) && Direction.HasValue) { wanted.Direction = Direction.Value; }
            if (bound.ContainsKey(nameof(Protocol)) && Protocol.HasValue) { wanted.Protocol = Protocol.Value; }
            if (bound.ContainsKey(nameof(LocalPort))) { wanted.LocalPort = LocalPort ?? new string[0]; }
            if (bound.ContainsKey(nameof(RemotePort))) { wanted.RemotePort = RemotePort ?? new string[0]; }
            if (bound.ContainsKey(nameof(RemoteAddress))) { wanted.RemoteAddress = RemoteAddress ?? new string[0]; }
            if (bound.ContainsKey(nameof(RemoteMacAddress))) { wanted.RemoteMacAddress = RemoteMacAddress ?? new string[0]; }
            if (bound.ContainsKey(nameof(Action))) { wanted.Action = Action; }
            if (bound.ContainsKey(nameof(Group))) { wanted.Group = Group; }
            if (bound.ContainsKey(nameof(Enabled))) { wanted.Enabled = Enabled; }
            return wanted;
        }
    }
}
