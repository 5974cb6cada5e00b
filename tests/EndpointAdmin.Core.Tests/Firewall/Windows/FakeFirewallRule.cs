using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using EndpointAdmin.Firewall.Windows;

namespace EndpointAdmin.Core.Tests
{
    internal sealed class FakeFirewallRule : IFirewallRuleCom
    {
        private string _name;
        private string _description;
        private string _grouping;
        private int _protocol = 256;
        private string _localPorts = "*";
        private string _remotePorts = "*";
        private string _remoteAddresses = "*";
        private int _direction = 1;
        private int _action = 1;
        private bool _enabled;
        private int _profiles = 0x7FFFFFFF;
        private string _interfaceTypes = "All";

        /// <summary>"Property=value" for every assignment, in order.</summary>
        public List<string> Assignments { get; private set; } = new List<string>();

        public string Name
        {
            get => _name;
            set => _name = Record("Name", NoBar(value));
        }

        public string Description
        {
            get => _description;
            set => _description = Record("Description", NoBar(value));
        }

        public string Grouping
        {
            get => _grouping;
            set => _grouping = Record("Grouping", value);
        }

        public int Protocol
        {
            get => _protocol;
            set
            {
                Record("Protocol", value.ToString(CultureInfo.InvariantCulture));
                if (value != 6 && value != 17 && (_localPorts != "*" || _remotePorts != "*"))
                {
                    throw InvalidArg("ports need TCP or UDP");
                }

                _protocol = value;
            }
        }

        public string LocalPorts
        {
            get => _localPorts;
            set => _localPorts = Record("LocalPorts", Ports(value));
        }

        public string RemotePorts
        {
            get => _remotePorts;
            set => _remotePorts = Record("RemotePorts", Ports(value));
        }

        /// <summary>Reads back as Windows reports it: IPv4 prefixes in mask notation.</summary>
        public string RemoteAddresses
        {
            get => string.Join(",", _remoteAddresses.Split(',').Select(MaskNotation));
            set => _remoteAddresses = Record("RemoteAddresses", value);
        }

        public int Direction
        {
            get => _direction;
            set => _direction = int.Parse(Record("Direction", value.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        }

        public int Action
        {
            get => _action;
            set => _action = int.Parse(Record("Action", value.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        }

        public bool Enabled
        {
            get => _enabled;
            set => _enabled = bool.Parse(Record("Enabled", value.ToString()));
        }

        public int Profiles
        {
            get => _profiles;
            set => _profiles = int.Parse(Record("Profiles", value.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        }

        public string InterfaceTypes
        {
            get => _interfaceTypes;
            set => _interfaceTypes = Record("InterfaceTypes", value);
        }

        public string LocalAddresses { get; set; } = "*";

        public string ApplicationName { get; set; }

        public string ServiceName { get; set; }

        public int IndexOf(string property)
        {
            return Assignments.FindIndex(a => a.StartsWith(property + "=", StringComparison.Ordinal));
        }

        public string Assigned(string property)
        {
            var i = IndexOf(property);
            return i < 0 ? null : Assignments[i].Substring(property.Length + 1);
        }

        public FakeFirewallRule Copy()
        {
            var copy = (FakeFirewallRule)MemberwiseClone();
            copy.Assignments = new List<string>(Assignments);
            return copy;
        }

        public string Dump()
        {
            return string.Join(
                " | ",
                _name, _description, _grouping, _protocol, _localPorts, _remotePorts, _remoteAddresses,
                _direction, _action, _enabled, _profiles, _interfaceTypes, LocalAddresses, ApplicationName, ServiceName);
        }

        private string Record(string property, string value)
        {
            Assignments.Add(property + "=" + value);
            return value;
        }

        private string Ports(string value)
        {
            if (_protocol != 6 && _protocol != 17)
            {
                throw InvalidArg("ports can only be set once Protocol is TCP or UDP");
            }

            return value;
        }

        private static string NoBar(string value)
        {
            if (value != null && value.IndexOf('|') >= 0)
            {
                throw InvalidArg("'|' is not allowed");
            }

            return value;
        }

        private static string MaskNotation(string token)
        {
            var slash = token.IndexOf('/');
            if (slash < 0 || token.IndexOf(':') >= 0 || token.IndexOf('.', slash) > slash)
            {
                return token;
            }

            var length = int.Parse(token.Substring(slash + 1), CultureInfo.InvariantCulture);
            var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
            var text = string.Join(".", new[] { 24, 16, 8, 0 }.Select(shift => ((mask >> shift) & 0xFF).ToString(CultureInfo.InvariantCulture)));
            return token.Substring(0, slash) + "/" + text;
        }

        private static COMException InvalidArg(string why)
        {
            return new COMException("The parameter is incorrect: " + why, unchecked((int)0x80070057));
        }
    }
}
