using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using EndpointAdmin.Http;
using Newtonsoft.Json;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>One computer as a search page delivers it, with the few settings the provider reads.</summary>
    internal sealed class ComputerRecord
    {
        public Agent Agent;

        /// <summary>The computer ID as a number: searches page and compare by it; Agent.Id is its text.</summary>
        public int Id;

        /// <summary>Settings present in computerSettings (with overrides=true: the ones set on the computer itself).</summary>
        public Dictionary<string, string> Settings;
    }

    /// <summary>
    /// Reads {"computers":[...]} straight from the response stream, keeping only the fields the
    /// module uses, so a 5000-computer page never becomes a JSON tree.
    /// </summary>
    internal static class ComputerPageReader
    {
        public static List<ComputerRecord> Read(Stream stream, ISet<string> settingsWanted)
        {
            var list = new List<ComputerRecord>();
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value;
                    reader.Read();
                    if (name == "computers" && reader.TokenType == JsonToken.StartArray)
                    {
                        while (reader.Read() && reader.TokenType == JsonToken.StartObject)
                        {
                            list.Add(ReadComputer(reader, settingsWanted));
                        }

                        Expect(reader.TokenType == JsonToken.EndArray, reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                Expect(reader.TokenType == JsonToken.EndObject, reader);
            }

            return list;
        }

        /// <summary>
        /// Reads a listing made with overrides=true and keeps, by computer ID, only the wanted settings
        /// a computer sets itself; computers that set none are left out, and identical sets are shared,
        /// so what is kept stays small however large the fleet. Everything else is skipped unread.
        /// </summary>
        public static Dictionary<int, Dictionary<string, string>> ReadOwnSettings(Stream stream, ISet<string> settingsWanted)
        {
            var result = new Dictionary<int, Dictionary<string, string>>();
            var shared = new Dictionary<string, Dictionary<string, string>>();
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value;
                    reader.Read();
                    if (name != "computers" || reader.TokenType != JsonToken.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonToken.StartObject)
                    {
                        long? id = null;
                        Dictionary<string, string> settings = null;
                        while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                        {
                            var field = (string)reader.Value;
                            reader.Read();
                            if (field == "ID")
                            {
                                id = AsNullableLong(reader);
                            }
                            else if (field == "computerSettings" && reader.TokenType == JsonToken.StartObject)
                            {
                                settings = ReadSettings(reader, settingsWanted);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }

                        // A computer without overrides may come back with every property null, its ID too.
                        if (id.HasValue && settings != null && settings.Count > 0)
                        {
                            result[(int)id.Value] = Shared(settings, shared);
                        }
                    }

                    Expect(reader.TokenType == JsonToken.EndArray, reader);
                }

                Expect(reader.TokenType == JsonToken.EndObject, reader);
            }

            return result;
        }

        private static Dictionary<string, string> Shared(Dictionary<string, string> settings, Dictionary<string, Dictionary<string, string>> shared)
        {
            var key = new StringBuilder();
            foreach (var pair in settings.OrderBy(p => p.Key, System.StringComparer.Ordinal))
            {
                key.Append(pair.Key).Append('\u0001').Append(pair.Value).Append('\u0002');
            }

            var text = key.ToString();
            if (shared.TryGetValue(text, out var same))
            {
                return same;
            }

            shared[text] = settings;
            return settings;
        }

        public static ComputerRecord ReadOne(Stream stream, ISet<string> settingsWanted)
        {
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                return ReadComputer(reader, settingsWanted);
            }
        }

        private static void Expect(bool condition, JsonTextReader reader)
        {
            if (!condition)
            {
                throw new JsonReaderException("Unexpected " + reader.TokenType + " at " + reader.Path + ".");
            }
        }

        private static ComputerRecord ReadComputer(JsonTextReader reader, ISet<string> settingsWanted)
        {
            var agent = new Agent { Product = ManagerProduct.DeepSecurity, StatusMessages = new string[0] };
            Dictionary<string, string> settings = null;
            string applianceFingerPrint = null;
            var id = 0;
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                reader.Read();
                switch (name)
                {
                    case "ID": id = (int)AsLong(reader); agent.Id = id.ToString(CultureInfo.InvariantCulture); break;
                    case "hostName": agent.Name = reader.Value as string; break;
                    case "displayName": agent.DisplayName = reader.Value as string; break;
                    case "lastIPUsed": agent.IPAddress = reader.Value as string; break;
                    case "platform": agent.Platform = reader.Value as string; break;
                    case "agentVersion": agent.AgentVersion = reader.Value as string; break;
                    case "policyID": agent.PolicyId = (int)AsLong(reader); break;
                    case "lastAgentCommunication": agent.LastContact = DeepSecurityWire.FromMilliseconds(AsNullableLong(reader)); break;
                    case "lastSendPolicySuccess": agent.LastPolicySent = DeepSecurityWire.FromMilliseconds(AsNullableLong(reader)); break;
                    case "applianceFingerPrint": applianceFingerPrint = reader.Value as string; break;
                    case "computerStatus":
                        if (reader.TokenType == JsonToken.StartObject)
                        {
                            ReadStatus(reader, agent);
                        }

                        break;
                    case "computerSettings":
                        if (reader.TokenType == JsonToken.StartObject && settingsWanted != null)
                        {
                            settings = ReadSettings(reader, settingsWanted);
                        }
                        else
                        {
                            reader.Skip();
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            agent.IsVirtualAppliance = !string.IsNullOrEmpty(applianceFingerPrint);
            return new ComputerRecord { Agent = agent, Id = id, Settings = settings };
        }

        private static void ReadStatus(JsonTextReader reader, Agent agent)
        {
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                reader.Read();
                if (name == "agentStatus")
                {
                    agent.Status = DeepSecurityWire.ParseStatus(reader.Value as string);
                }
                else if (name == "agentStatusMessages" && reader.TokenType == JsonToken.StartArray)
                {
                    var messages = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonToken.EndArray)
                    {
                        if (reader.Value is string s)
                        {
                            messages.Add(s);
                        }
                    }

                    agent.StatusMessages = messages.ToArray();
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        /// <summary>Reads {"name": {"value": "..."}, ...}; absent or null values are left out.</summary>
        public static Dictionary<string, string> ReadSettings(JsonTextReader reader, ISet<string> wanted)
        {
            var settings = new Dictionary<string, string>();
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                reader.Read();
                if (reader.TokenType == JsonToken.StartObject && (wanted == null || wanted.Contains(name)))
                {
                    while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                    {
                        var inner = (string)reader.Value;
                        reader.Read();
                        if (inner == "value" && reader.Value != null)
                        {
                            settings[name] = System.Convert.ToString(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            return settings;
        }

        private static long AsLong(JsonTextReader reader) => AsNullableLong(reader) ?? 0;

        private static long? AsNullableLong(JsonTextReader reader)
        {
            if (reader.Value == null)
            {
                return null;
            }

            return System.Convert.ToInt64(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
