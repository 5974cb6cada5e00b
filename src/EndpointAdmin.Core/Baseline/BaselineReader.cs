using System;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Catalog;
using EndpointAdmin.Errors;
using EndpointAdmin.Firewall;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// Reads a baseline tree (a .psd1 read as data, or JSON) into a checked BaselineDocument. Every
    /// problem is collected with the key it is about, so one run tells the user everything that is
    /// wrong; a document with problems is never acted on.
    /// </summary>
    internal sealed class BaselineReader
    {
        private static readonly string[] ManagerKeys = { "Product", "Uri", "Secret", "ApplicationId", "CertificateThumbprint", "BasePolicy", "Policies", "Computers", "ContinuousConnection" };
        private static readonly string[] FirewallRuleKeys = { "Name", "DisplayName", "Direction", "Protocol", "LocalPort", "RemotePort", "RemoteAddress", "RemoteMacAddress", "Action", "Group", "Enabled" };

        private readonly IReadOnlyDictionary<ManagerProduct, ManagerBaselineSchema> _schemas;
        private readonly Func<string, NamePattern> _pattern;
        private readonly PortCatalog _catalog;

        public BaselineReader(IReadOnlyDictionary<ManagerProduct, ManagerBaselineSchema> schemas, Func<string, NamePattern> pattern, PortCatalog catalog)
        {
            _schemas = schemas;
            _pattern = pattern;
            _catalog = catalog;
        }

        public BaselineDocument Read(object root, List<EndpointAdminException> problems)
        {
            var document = new BaselineDocument();
            BaselineTree tree;
            try
            {
                tree = BaselineTree.Table(root, string.Empty);
                tree.AllowOnly("Managers", "HostFirewall");
            }
            catch (EndpointAdminException ex)
            {
                problems.Add(ex);
                return document;
            }

            List<BaselineTree> managers;
            try
            {
                managers = tree.Tables("Managers").ToList();
            }
            catch (EndpointAdminException ex)
            {
                problems.Add(ex);
                managers = new List<BaselineTree>();
            }

            foreach (var entry in managers)
            {
                Collect(problems, () => document.Managers.Add(Manager(entry, problems)));
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var manager in document.Managers)
            {
                if (!seen.Add(manager.Product + " " + ManagerKey(manager.Uri)))
                {
                    problems.Add(SettingDefinition.Invalid(manager.Key + ".Uri", manager.Uri, "names a manager that an earlier entry already declares; declare each manager once"));
                }
            }

            if (tree.Has("HostFirewall"))
            {
                Collect(problems, () => document.HostFirewall = HostFirewall(BaselineTree.Table(tree.Value("HostFirewall"), "HostFirewall"), problems));
            }

            if (problems.Count == 0 && document.Managers.Count == 0 && document.HostFirewall == null)
            {
                problems.Add(new EndpointAdminException(ErrorIds.BaselineKeyMissing, ErrorKind.InvalidData, "Managers", "The baseline declares nothing: give Managers, HostFirewall or both."));
            }

            return document;
        }

        /// <summary>Scheme, host and port, lower case: how a baseline's manager is matched to a session.</summary>
        public static string ManagerKey(string uri)
        {
            return System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                ? (parsed.Scheme + "://" + parsed.Host + ":" + parsed.Port).ToLowerInvariant()
                : (uri ?? string.Empty).Trim().TrimEnd('/').ToLowerInvariant();
        }

        private static void Collect(List<EndpointAdminException> problems, Action read)
        {
            try
            {
                read();
            }
            catch (EndpointAdminException ex)
            {
                problems.Add(ex);
            }
        }

        private ManagerBaseline Manager(BaselineTree entry, List<EndpointAdminException> problems)
        {
            var product = entry.Enum("Product", (ManagerProduct)(-1));
            if ((int)product == -1)
            {
                entry.Required("Product", "which product this manager is (" + string.Join(", ", Enum.GetNames(typeof(ManagerProduct))) + ")");
            }

            var uri = entry.Required("Uri", "the manager's address, as given to Connect-AgentManager");
            if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != System.Uri.UriSchemeHttps)
            {
                throw SettingDefinition.Invalid(entry.Path("Uri"), uri, "must be an https:// address");
            }

            if (!_schemas.TryGetValue(product, out var schema))
            {
                throw SettingDefinition.Invalid(entry.Path("Product"), product.ToString(), "is not a product with a baseline");
            }

            var manager = new ManagerBaseline
            {
                Product = product,
                Uri = uri,
                Secret = entry.Text("Secret"),
                ApplicationId = entry.Text("ApplicationId"),
                CertificateThumbprint = entry.Text("CertificateThumbprint"),
                Key = entry.Key,
            };
            Collect(problems, () => entry.AllowOnly(ManagerKeys.Concat(schema.Manager.Select(s => s.Name))
                .Where(k => (schema.Policy != null || (k != "BasePolicy" && k != "Policies"))
                    && (schema.Agent != null || k != "Computers")
                    && (schema.ContinuousConnection != null || k != "ContinuousConnection"))));

            var own = new TargetBaseline { Type = BaselineTargetType.Manager, Key = entry.Key };
            foreach (var definition in schema.Manager)
            {
                if (entry.Has(definition.Name))
                {
                    Collect(problems, () => own.Settings.Add(new ExpectedSetting(definition, definition.Normalize(entry.Value(definition.Name), entry.Path(definition.Name)), entry.Path(definition.Name))));
                }
            }

            if (own.Settings.Count > 0)
            {
                manager.Targets.Add(own);
            }

            if (schema.Policy != null && entry.Has("BasePolicy"))
            {
                Collect(problems, () =>
                {
                    var table = BaselineTree.Table(entry.Value("BasePolicy"), entry.Path("BasePolicy"));
                    var allowed = schema.Policy.Where(s => !schema.PolicyOnly.Contains(s.Name)).ToList();
                    manager.Targets.Add(Target(table, BaselineTargetType.Policy, allowed, problems, isBase: true));
                });
            }

            if (schema.Policy != null)
            {
                Collect(problems, () =>
                {
                    foreach (var table in entry.Tables("Policies"))
                    {
                        Collect(problems, () => manager.Targets.Add(Target(table, BaselineTargetType.Policy, schema.Policy, problems)));
                    }
                });
            }

            if (schema.Agent != null)
            {
                Collect(problems, () =>
                {
                    foreach (var table in entry.Tables("Computers"))
                    {
                        Collect(problems, () => manager.Targets.Add(Target(table, BaselineTargetType.Agent, schema.Agent, problems)));
                    }
                });
            }

            if (schema.ContinuousConnection != null && entry.Has("ContinuousConnection"))
            {
                Collect(problems, () => ContinuousConnection(BaselineTree.Table(entry.Value("ContinuousConnection"), entry.Path("ContinuousConnection")), schema.ContinuousConnection, manager));
            }

            return manager;
        }

        private TargetBaseline Target(BaselineTree table, BaselineTargetType type, IReadOnlyList<SettingDefinition> settings, List<EndpointAdminException> problems, bool isBase = false)
        {
            var target = new TargetBaseline { Type = type, IsBase = isBase, Key = table.Key };
            var selectors = isBase ? new string[0] : new[] { "Id", "Name" };
            table.AllowOnly(selectors.Concat(settings.Select(s => s.Name)));
            if (!isBase)
            {
                var id = table.Value("Id");
                var name = table.Value("Name");
                if ((id == null) == (name == null))
                {
                    throw new EndpointAdminException(ErrorIds.BaselineKeyMissing, ErrorKind.InvalidData, table.Key, "Baseline entry " + table.Key + " needs exactly one of Id or Name" + (type == BaselineTargetType.Agent ? " (a computer name, wildcards allowed)" : " (the policy's exact name)") + ".");
                }

                if (id != null)
                {
                    target.Id = new SettingDefinition("Id", SettingKind.Minutes).Normalize(id, table.Path("Id"));
                }
                else if (type == BaselineTargetType.Agent)
                {
                    foreach (var pattern in SettingDefinition.Strings(name, table.Path("Name")))
                    {
                        target.Names.Add(_pattern(pattern));
                    }
                }
                else
                {
                    target.Names.Add(NamePattern.Literal(table.Text("Name")));
                }
            }

            foreach (var definition in settings)
            {
                if (table.Has(definition.Name))
                {
                    Collect(problems, () => target.Settings.Add(new ExpectedSetting(definition, definition.Normalize(table.Value(definition.Name), table.Path(definition.Name)), table.Path(definition.Name))));
                }
            }

            if (target.Settings.Count == 0 && problems.Count == 0)
            {
                throw new EndpointAdminException(ErrorIds.BaselineKeyMissing, ErrorKind.InvalidData, table.Key, "Baseline entry " + table.Key + " (" + target.Describe() + ") declares no setting. Known settings: " + string.Join(", ", settings.Select(s => s.Name)) + ".");
            }

            return target;
        }

        private void ContinuousConnection(BaselineTree table, SettingDefinition setting, ManagerBaseline manager)
        {
            table.AllowOnly("Name", "Group", "Unmanaged");
            var wanted = new TargetBaseline { Type = BaselineTargetType.Agent, Key = table.Key };
            if (table.Has("Name"))
            {
                foreach (var pattern in SettingDefinition.Strings(table.Value("Name"), table.Path("Name")))
                {
                    wanted.Names.Add(_pattern(pattern));
                }
            }

            if (table.Has("Group"))
            {
                wanted.Groups.AddRange(SettingDefinition.Strings(table.Value("Group"), table.Path("Group")));
            }

            var unmanaged = table.Text("Unmanaged") ?? "Keep";
            if (!string.Equals(unmanaged, "Keep", StringComparison.OrdinalIgnoreCase) && !string.Equals(unmanaged, "Disable", StringComparison.OrdinalIgnoreCase))
            {
                throw SettingDefinition.Invalid(table.Path("Unmanaged"), unmanaged, "must be Keep or Disable");
            }

            if (wanted.Names.Count == 0 && wanted.Groups.Count == 0 && string.Equals(unmanaged, "Keep", StringComparison.OrdinalIgnoreCase))
            {
                throw new EndpointAdminException(ErrorIds.BaselineKeyMissing, ErrorKind.InvalidData, table.Key, "Baseline entry " + table.Key + " needs Name or Group (the devices that keep a continuous connection), or Unmanaged = 'Disable'.");
            }

            if (wanted.Names.Count > 0 || wanted.Groups.Count > 0)
            {
                wanted.Settings.Add(new ExpectedSetting(setting, "True", table.Key));
                manager.Targets.Add(wanted);
            }

            if (string.Equals(unmanaged, "Disable", StringComparison.OrdinalIgnoreCase))
            {
                var others = new TargetBaseline { Type = BaselineTargetType.Agent, Others = true, Key = table.Path("Unmanaged") };
                others.Settings.Add(new ExpectedSetting(setting, "False", table.Path("Unmanaged")));
                manager.Targets.Add(others);
            }
        }

        private HostFirewallBaseline HostFirewall(BaselineTree table, List<EndpointAdminException> problems)
        {
            table.AllowOnly("Rules", "ExtraRules", "Unmanaged");
            var result = new HostFirewallBaseline { Key = table.Key };
            var unmanaged = table.Text("Unmanaged") ?? "Keep";
            if (!string.Equals(unmanaged, "Keep", StringComparison.OrdinalIgnoreCase) && !string.Equals(unmanaged, "Remove", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(SettingDefinition.Invalid(table.Path("Unmanaged"), unmanaged, "must be Keep or Remove"));
            }

            result.RemoveUnmanaged = string.Equals(unmanaged, "Remove", StringComparison.OrdinalIgnoreCase);
            Collect(problems, () =>
            {
                foreach (var entry in table.Tables("Rules"))
                {
                    Collect(problems, () => result.Catalog.Add(CatalogEntry(entry)));
                }
            });
            Collect(problems, () =>
            {
                foreach (var entry in table.Tables("ExtraRules"))
                {
                    Collect(problems, () => result.Extra.Add((ExtraRule(entry), entry.Key)));
                }
            });
            return result;
        }

        private CatalogSelection CatalogEntry(BaselineTree entry)
        {
            entry.AllowOnly("Product", "Version", "Component", "Topology", "Direction", "RemoteAddress", "Group", "Enabled");
            var product = entry.Enum("Product", (Product)(-1));
            if ((int)product == -1)
            {
                entry.Required("Product", "the product whose ports the rules open (" + string.Join(", ", Enum.GetNames(typeof(Product))) + ")");
            }

            var components = entry.Has("Component") ? SettingDefinition.Strings(entry.Value("Component"), entry.Path("Component")).Select(_pattern).ToList() : null;
            var selection = new CatalogSelection
            {
                Query = new PortQuery
                {
                    Products = new[] { product },
                    Version = entry.Has("Version") ? Convert.ToString(entry.Value("Version"), System.Globalization.CultureInfo.InvariantCulture) : null,
                    Components = components,
                    Direction = entry.Has("Direction") ? entry.Enum("Direction", Direction.Inbound) : (Direction?)null,
                    Topology = entry.Has("Topology") ? entry.Enum("Topology", Topology.Any) : (Topology?)null,
                },
                RemoteAddress = entry.Has("RemoteAddress") ? SettingDefinition.Strings(entry.Value("RemoteAddress"), entry.Path("RemoteAddress")).ToArray() : null,
                Group = entry.Text("Group"),
                Enabled = !entry.Has("Enabled") || new SettingDefinition("Enabled", SettingKind.Boolean).Normalize(entry.Value("Enabled"), entry.Path("Enabled")) == "True",
                Key = entry.Key,
            };

            // The catalog answers now, so an unknown version or component is a problem of the file, not of the run.
            var found = _catalog.Find(selection.Query);
            if (found.Errors.Count > 0)
            {
                var first = found.Errors[0];
                throw SettingDefinition.Invalid(entry.Key, first.Target, "selects no catalog rows: " + first.Message.TrimEnd('.'));
            }

            if (found.Requirements.Count == 0)
            {
                throw SettingDefinition.Invalid(entry.Key, product.ToString(), "selects no catalog rows (check Version, Component, Direction and Topology with Get-AgentPortRequirement)");
            }

            return selection;
        }

        private static FirewallPortRule ExtraRule(BaselineTree entry)
        {
            entry.AllowOnly(FirewallRuleKeys);
            var rule = new FirewallPortRule
            {
                Name = entry.Text("Name"),
                DisplayName = entry.Required("DisplayName", "the rule's display name"),
                Direction = entry.Enum("Direction", (Direction)(-1)),
                Protocol = entry.Enum("Protocol", (Protocol)(-1)),
                LocalPort = entry.Has("LocalPort") ? Ports(entry, "LocalPort") : new string[0],
                RemotePort = entry.Has("RemotePort") ? Ports(entry, "RemotePort") : new string[0],
                RemoteAddress = entry.Has("RemoteAddress") ? SettingDefinition.Strings(entry.Value("RemoteAddress"), entry.Path("RemoteAddress")).ToArray() : new string[0],
                RemoteMacAddress = entry.Has("RemoteMacAddress") ? SettingDefinition.Strings(entry.Value("RemoteMacAddress"), entry.Path("RemoteMacAddress")).ToArray() : new string[0],
                Action = entry.Enum("Action", FirewallAction.Allow),
                Group = entry.Text("Group"),
                Enabled = !entry.Has("Enabled") || new SettingDefinition("Enabled", SettingKind.Boolean).Normalize(entry.Value("Enabled"), entry.Path("Enabled")) == "True",
            };
            if ((int)rule.Direction == -1)
            {
                entry.Required("Direction", "Inbound or Outbound");
            }

            if ((int)rule.Protocol == -1)
            {
                entry.Required("Protocol", "TCP or UDP");
            }

            // The firewall's own normalizer says what is wrong with a port or an address, under this entry's key.
            try
            {
                FirewallRuleNormalizer.Normalize(rule.Copy());
            }
            catch (EndpointAdminException ex)
            {
                throw SettingDefinition.Invalid(entry.Key, ex.Target, "is not a valid rule: " + ex.Message.TrimEnd('.'));
            }

            return rule;
        }

        private static string[] Ports(BaselineTree entry, string name)
        {
            var raw = entry.Value(name);
            if (raw is string || !(raw is System.Collections.IEnumerable))
            {
                raw = new[] { raw };
            }

            var ports = new List<string>();
            foreach (var item in (System.Collections.IEnumerable)raw)
            {
                ports.Add(Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture));
            }

            return ports.ToArray();
        }
    }
}
