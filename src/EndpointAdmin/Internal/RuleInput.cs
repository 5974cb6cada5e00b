using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Internal
{
    /// <summary>
    /// Turns one object piped into New-/Test-FirewallPortRule into a wanted rule: a catalog row
    /// (live or deserialized), a FirewallPortRule (live or deserialized), or any object with the
    /// rule's property names (Import-Csv rows, [pscustomobject]s). Reading the properties here,
    /// instead of through parameter binding by property name, costs microseconds per object
    /// instead of a binder pass per parameter, which matters for pipelines of hundreds of rules.
    /// </summary>
    internal static class RuleInput
    {
        private const string RequirementType = "EndpointAdmin.PortRequirement";

        /// <summary>
        /// Reads a piped object; <paramref name="direction"/> and <paramref name="protocol"/> (from the
        /// command line) stand in where the object has none.
        /// </summary>
        public static FirewallPortRule From(PSObject piped, Direction? direction, Protocol? protocol)
        {
            if (piped.BaseObject is PortRequirement requirement)
            {
                return FirewallRuleNormalizer.FromRequirement(requirement);
            }

            if (piped.BaseObject is FirewallPortRule rule)
            {
                return rule.Copy();
            }

            var input = new Bag(piped);
            if (piped.TypeNames.Contains("Deserialized." + RequirementType))
            {
                return FirewallRuleNormalizer.FromRequirement(new PortRequirement
                {
                    Product = Read<Product>(input, "Product") ?? default(Product),
                    Version = Text(input, "Version"),
                    Component = Text(input, "Component"),
                    Direction = Read<Direction>(input, "Direction") ?? default(Direction),
                    Protocol = Read<Protocol>(input, "Protocol") ?? default(Protocol),
                    Port = Read<int>(input, "Port") ?? 0,
                    Purpose = Text(input, "Purpose"),
                });
            }

            var wanted = new FirewallPortRule
            {
                Name = Text(input, "Name"),
                DisplayName = Text(input, "DisplayName"),
                LocalPort = Strings(input, "LocalPort"),
                RemotePort = Strings(input, "RemotePort"),
                RemoteAddress = Strings(input, "RemoteAddress"),
                RemoteMacAddress = Strings(input, "RemoteMacAddress"),
                Group = Text(input, "Group"),
                Action = Read<FirewallAction>(input, "Action") ?? FirewallAction.Allow,
                Enabled = Read<bool>(input, "Enabled") ?? true,
                Product = Read<Product>(input, "Product"),
                Version = Text(input, "Version"),
                Component = Text(input, "Component"),
            };
            direction = Read<Direction>(input, "Direction") ?? direction;
            protocol = Read<Protocol>(input, "Protocol") ?? protocol;
            if (direction == null || protocol == null)
            {
                throw Incomplete(wanted.DisplayName ?? wanted.Name, direction == null ? "Direction" : "Protocol");
            }

            wanted.Direction = direction.Value;
            wanted.Protocol = protocol.Value;
            return wanted;
        }

        public static EndpointAdminException Incomplete(string rule, string missing)
        {
            return new EndpointAdminException(
                ErrorIds.FirewallRuleIncomplete,
                ErrorKind.InvalidArgument,
                rule,
                string.Format(CultureInfo.InvariantCulture, "The rule '{0}' needs a {1} (Inbound/Outbound, TCP/UDP), or pipe in a catalog row from Get-AgentPortRequirement.", rule, missing));
        }

        private static object Value(Bag input, string name)
        {
            input.Values.TryGetValue(name, out var value);
            return value is PSObject p ? p.BaseObject : value;
        }

        private static string Text(Bag input, string name)
        {
            return Value(input, name)?.ToString();
        }

        private static string[] Strings(Bag input, string name)
        {
            var value = Value(input, name);
            if (value == null)
            {
                return Array.Empty<string>();
            }

            if (value is string s)
            {
                // A CSV cell may hold several values: "443,8443".
                return s.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()).DefaultIfEmpty(s).ToArray();
            }

            if (value is IEnumerable items)
            {
                return items.Cast<object>().Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString()).ToArray();
            }

            return new[] { Convert.ToString(value, CultureInfo.InvariantCulture) };
        }

        private static T? Read<T>(Bag input, string name)
            where T : struct
        {
            var value = Value(input, name);
            if (value == null || (value is string s && s.Length == 0))
            {
                return null;
            }

            try
            {
                return LanguagePrimitives.ConvertTo<T>(value);
            }
            catch (PSInvalidCastException ex)
            {
                throw new EndpointAdminException(
                    ErrorIds.FirewallRuleIncomplete,
                    ErrorKind.InvalidArgument,
                    value,
                    string.Format(CultureInfo.InvariantCulture, "The {0} '{1}' of a piped rule is not valid: {2}", name, value, ex.Message));
            }
        }

        /// <summary>The object's properties read once: a name lookup on a PSObject walks its member collections every time.</summary>
        private sealed class Bag
        {
            public Bag(PSObject input)
            {
                foreach (var property in input.Properties)
                {
                    if (!Values.ContainsKey(property.Name))
                    {
                        Values[property.Name] = property.Value;
                    }
                }
            }

            public Dictionary<string, object> Values { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
