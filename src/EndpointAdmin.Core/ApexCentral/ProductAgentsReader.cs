using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EndpointAdmin.Http;
using Newtonsoft.Json;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// Reads {"result_code":..,"result_content":[...]} straight from the response stream and yields
    /// its agents one by one, keeping only the fields the module uses, so a listing of a whole fleet
    /// is never held. The result code decides whether any agent may go out, so <c>judge</c> (which
    /// throws for a missing or failing code) is asked before the first agent: at once when
    /// result_code comes first (as Apex and the simulator send it), and the agents stream; when
    /// result_content comes first, its agents wait until the code has been read, so an answer that
    /// reports an error never hands out a single agent, whatever the order of its members.
    /// </summary>
    internal static class ProductAgentsReader
    {
        public static IEnumerable<Agent> Read(Stream stream, Action<int?> judge)
        {
            int? code = null;
            var judged = false;
            List<Agent> waiting = null;
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value;
                    reader.Read();
                    if (name == ApexCentralWire.ResultCode && reader.TokenType == JsonToken.Integer)
                    {
                        code = Convert.ToInt32(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (name == ApexCentralWire.ResultContent && reader.TokenType == JsonToken.StartArray)
                    {
                        if (code != null && !judged)
                        {
                            judge(code);
                            judged = true;
                        }

                        while (reader.Read() && reader.TokenType == JsonToken.StartObject)
                        {
                            var agent = ReadAgent(reader);
                            if (judged)
                            {
                                yield return agent;
                            }
                            else
                            {
                                (waiting = waiting ?? new List<Agent>()).Add(agent);
                            }
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

            // Only a complete answer is judged here: a truncated one failed above as a JSON error.
            if (!judged)
            {
                judge(code);
                foreach (var agent in waiting ?? new List<Agent>())
                {
                    yield return agent;
                }
            }
        }

        private static Agent ReadAgent(JsonTextReader reader)
        {
            var agent = new Agent { Product = ManagerProduct.ApexCentral, Status = AgentStatus.Unknown, StatusMessages = new string[0] };
            while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
            {
                var name = (string)reader.Value;
                reader.Read();
                var value = reader.TokenType == JsonToken.String ? (string)reader.Value : null;
                switch (name)
                {
                    case ApexCentralWire.EntityId: agent.Id = value; break;
                    case ApexCentralWire.HostName: agent.Name = value; agent.DisplayName = value; break;
                    case ApexCentralWire.IpList: agent.IPAddressList = Split(value); agent.IPAddress = agent.IPAddressList.FirstOrDefault(); break;
                    case ApexCentralWire.MacList: agent.MacAddressList = Split(value); break;
                    case ApexCentralWire.ManagingServerId: agent.ManagingServerId = value; break;
                    case ApexCentralWire.ProductField: agent.ManagedProduct = value; break;
                    case ApexCentralWire.AdDomain: agent.AdDomain = value; break;
                    case ApexCentralWire.FolderPath: agent.FolderPath = value; break;
                    case ApexCentralWire.IsolationStatus: agent.IsolationStatus = value; break;
                    default: reader.Skip(); break;
                }
            }

            return agent;
        }

        private static string[] Split(string list)
        {
            return string.IsNullOrWhiteSpace(list)
                ? new string[0]
                : list.Split(ApexCentralWire.ListSeparators, System.StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        }

        private static void Expect(bool condition, JsonTextReader reader)
        {
            if (!condition)
            {
                throw new JsonReaderException("Unexpected " + reader.TokenType + " at " + reader.Path + ".");
            }
        }
    }
}
