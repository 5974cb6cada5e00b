using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EndpointAdmin.Http;
using Newtonsoft.Json;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>What one Apex Central answer held: its result code and description, and the agents of result_content.</summary>
    internal sealed class ProductAgentsPage
    {
        public int? ResultCode;

        public string ResultDescription;

        public List<Agent> Agents = new List<Agent>();
    }

    /// <summary>
    /// Reads {"result_code":..,"result_content":[...]} straight from the response stream, keeping only
    /// the fields the module uses, so a listing of a whole fleet never becomes a JSON tree. The
    /// members may come in any order: the result code is judged after the whole answer is read.
    /// </summary>
    internal static class ProductAgentsReader
    {
        public static ProductAgentsPage Read(Stream stream)
        {
            var page = new ProductAgentsPage();
            using (var reader = JsonStream.Open(stream))
            {
                Expect(reader.Read() && reader.TokenType == JsonToken.StartObject, reader);
                while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
                {
                    var name = (string)reader.Value;
                    reader.Read();
                    if (name == ApexCentralWire.ResultCode && reader.TokenType == JsonToken.Integer)
                    {
                        page.ResultCode = System.Convert.ToInt32(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else if (name == ApexCentralWire.ResultDescription && reader.TokenType == JsonToken.String)
                    {
                        page.ResultDescription = (string)reader.Value;
                    }
                    else if (name == ApexCentralWire.ResultContent && reader.TokenType == JsonToken.StartArray)
                    {
                        while (reader.Read() && reader.TokenType == JsonToken.StartObject)
                        {
                            page.Agents.Add(ReadAgent(reader));
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

            return page;
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
