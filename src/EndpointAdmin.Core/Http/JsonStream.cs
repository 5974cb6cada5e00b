using System.IO;
using System.Text;
using Newtonsoft.Json;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// The one way an answer body is read as JSON tokens: UTF-8, a large buffer (fleet pages are
    /// megabytes), dates left as the server's text (the wire classes parse them), and the stream
    /// closed with the reader.
    /// </summary>
    internal static class JsonStream
    {
        public static JsonTextReader Open(Stream stream)
        {
            return new JsonTextReader(new StreamReader(stream, Encoding.UTF8, false, 65536)) { DateParseHandling = DateParseHandling.None, CloseInput = true };
        }
    }
}
