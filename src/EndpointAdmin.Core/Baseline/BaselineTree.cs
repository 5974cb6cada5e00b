using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using EndpointAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// One table of a baseline, read the same whether it came from a .psd1 (a Hashtable) or JSON (an
    /// object): keys are matched ignoring case, and every key that is not asked for is an error, so a
    /// typo ("IntervalMinute") is refused instead of silently meaning "not declared".
    /// </summary>
    internal sealed class BaselineTree
    {
        private readonly Dictionary<string, object> _values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        private BaselineTree(string key)
        {
            Key = key;
        }

        /// <summary>Where this table is in the file: "Managers[0].Policies[1]".</summary>
        public string Key { get; }

        public IEnumerable<string> Keys => _values.Keys;

        public static BaselineTree Table(object raw, string key)
        {
            if (!(raw is IDictionary table))
            {
                throw SettingDefinition.Invalid(key, raw, "must be a table (@{ ... } in a .psd1, an object in JSON)");
            }

            var tree = new BaselineTree(key);
            foreach (DictionaryEntry entry in table)
            {
                var name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
                if (tree._values.ContainsKey(name))
                {
                    throw SettingDefinition.Invalid(tree.Path(name), entry.Value, "is given twice");
                }

                tree._values[name] = entry.Value;
            }

            return tree;
        }

        /// <summary>A list of tables (a single table is a list of one, as PowerShell unrolls @(@{})).</summary>
        public IEnumerable<BaselineTree> Tables(string name)
        {
            if (!_values.TryGetValue(name, out var raw) || raw == null)
            {
                yield break;
            }

            if (raw is IDictionary)
            {
                yield return Table(raw, Path(name) + "[0]");
                yield break;
            }

            if (!(raw is IEnumerable items) || raw is string)
            {
                throw SettingDefinition.Invalid(Path(name), raw, "must be a list of tables");
            }

            var i = 0;
            foreach (var item in items)
            {
                yield return Table(item, Path(name) + "[" + i++ + "]");
            }
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public object Value(string name) => _values.TryGetValue(name, out var value) ? value : null;

        public string Path(string name) => Key.Length == 0 ? name : Key + "." + name;

        /// <summary>Text, or null when absent; anything else than text is an error naming the key.</summary>
        public string Text(string name)
        {
            var value = Value(name);
            if (value == null)
            {
                return null;
            }

            if (value is string s)
            {
                return s;
            }

            throw SettingDefinition.Invalid(Path(name), value, "must be text");
        }

        public string Required(string name, string what)
        {
            var text = Text(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new EndpointAdminException(ErrorIds.BaselineKeyMissing, ErrorKind.InvalidData, Path(name), "Baseline key " + Path(name) + " is missing: " + what + ".")
                {
                    RecommendedAction = "Add " + Path(name) + " to the baseline; nothing was read or changed.",
                };
            }

            return text;
        }

        public T Enum<T>(string name, T fallback)
            where T : struct
        {
            var text = Text(name);
            if (text == null)
            {
                return fallback;
            }

            if (System.Enum.TryParse<T>(text.Trim(), true, out var value) && System.Enum.IsDefined(typeof(T), value) && !int.TryParse(text, out _))
            {
                return value;
            }

            throw SettingDefinition.Invalid(Path(name), text, "must be one of " + string.Join(", ", System.Enum.GetNames(typeof(T))));
        }

        /// <summary>Refuses every key but these, naming the first unknown one and what is allowed.</summary>
        public void AllowOnly(params string[] allowed) => AllowOnly((IEnumerable<string>)allowed);

        public void AllowOnly(IEnumerable<string> allowed)
        {
            var set = new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase);
            foreach (var name in _values.Keys)
            {
                if (!set.Contains(name))
                {
                    throw new EndpointAdminException(ErrorIds.BaselineKeyUnknown, ErrorKind.InvalidData, Path(name), "Baseline key " + Path(name) + " is not known here. Known keys: " + string.Join(", ", set.OrderBy(k => k, StringComparer.OrdinalIgnoreCase)) + ".")
                    {
                        RecommendedAction = "Check the spelling of " + name + " (see about_EndpointAdmin_Baseline); nothing was read or changed.",
                    };
                }
            }
        }

        /// <summary>A baseline in JSON as the same tree a .psd1 gives: objects as tables, arrays as lists.</summary>
        public static object FromJson(string json, string source)
        {
            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(json)) { DateParseHandling = DateParseHandling.None })
                {
                    var token = JToken.ReadFrom(reader);
                    if (reader.Read())
                    {
                        throw new JsonReaderException("More text follows the baseline object.");
                    }

                    return Plain(token);
                }
            }
            catch (JsonReaderException ex)
            {
                throw new EndpointAdminException(ErrorIds.BaselineFileUnreadable, ErrorKind.InvalidData, source, "The baseline " + source + " is not valid JSON: " + ex.Message);
            }
        }

        private static object Plain(JToken token)
        {
            switch (token.Type)
            {
                case JTokenType.Object:
                    var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
                    foreach (var property in ((JObject)token).Properties())
                    {
                        // A DSC resource instance carries its own keys ("_inDesiredState"); they are not baseline keys.
                        if (!property.Name.StartsWith("_", StringComparison.Ordinal))
                        {
                            table[property.Name] = Plain(property.Value);
                        }
                    }

                    return table;
                case JTokenType.Array:
                    return ((JArray)token).Select(Plain).ToArray();
                case JTokenType.Integer:
                    return (long)token;
                case JTokenType.Float:
                    return (double)token;
                case JTokenType.Boolean:
                    return (bool)token;
                case JTokenType.Null:
                case JTokenType.Undefined:
                    return null;
                default:
                    return (string)token;
            }
        }
    }
}
