using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Baseline
{
    /// <summary>
    /// Writes a baseline tree (ordered tables, lists, text, numbers, booleans) as a .psd1 that
    /// Import-PowerShellDataFile and the reader accept (data only: no variables but $true/$false),
    /// or as JSON of the same shape.
    /// </summary>
    internal static class BaselineWriter
    {
        public static string Psd1(object tree)
        {
            var text = new StringBuilder();
            text.Append("# EndpointAdmin baseline, exported ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append('\n');
            Write(text, tree, 0);
            text.Append('\n');
            return text.ToString();
        }

        public static string Json(object tree)
        {
            return ToToken(tree).ToString(Formatting.Indented) + "\n";
        }

        private static JToken ToToken(object value)
        {
            switch (value)
            {
                case null: return JValue.CreateNull();
                case IDictionary table:
                    var obj = new JObject();
                    foreach (DictionaryEntry entry in table)
                    {
                        obj[(string)entry.Key] = ToToken(entry.Value);
                    }

                    return obj;
                case string s: return new JValue(s);
                case IEnumerable list: return new JArray(list.Cast<object>().Select(ToToken));
                default: return new JValue(value);
            }
        }

        private static void Write(StringBuilder text, object value, int depth)
        {
            var indent = new string(' ', (depth + 1) * 4);
            var closing = new string(' ', depth * 4);
            switch (value)
            {
                case null:
                    text.Append("$null");
                    break;
                case bool b:
                    text.Append(b ? "$true" : "$false");
                    break;
                case string s:
                    text.Append('\'').Append(s.Replace("'", "''")).Append('\'');
                    break;
                case IDictionary table:
                    text.Append("@{\n");
                    foreach (DictionaryEntry entry in table)
                    {
                        text.Append(indent).Append((string)entry.Key).Append(" = ");
                        Write(text, entry.Value, depth + 1);
                        text.Append('\n');
                    }

                    text.Append(closing).Append('}');
                    break;
                case IEnumerable list:
                    var items = list.Cast<object>().ToList();
                    if (items.All(i => !(i is IDictionary)))
                    {
                        text.Append("@(");
                        for (int i = 0; i < items.Count; i++)
                        {
                            text.Append(i == 0 ? string.Empty : ", ");
                            Write(text, items[i], depth + 1);
                        }

                        text.Append(')');
                        break;
                    }

                    text.Append("@(\n");
                    foreach (var item in items)
                    {
                        text.Append(indent);
                        Write(text, item, depth + 1);
                        text.Append('\n');
                    }

                    text.Append(closing).Append(')');
                    break;
                case IFormattable number:
                    text.Append(number.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    Write(text, Convert.ToString(value, CultureInfo.InvariantCulture), depth);
                    break;
            }
        }
    }
}
