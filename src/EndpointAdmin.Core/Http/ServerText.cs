using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Http
{
    /// <summary>The server's own words in a failure answer, short enough for an error message.</summary>
    internal static class ServerText
    {
        /// <summary>{"message": ...} when the body is JSON with one, else the start of the text; null for an empty body.</summary>
        public static string Of(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            body = body.Trim();
            if (body.StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    var message = JObject.Parse(body)["message"];
                    if (message != null && message.Type == JTokenType.String)
                    {
                        return (string)message;
                    }
                }
                catch (JsonException)
                {
                    // Not JSON after all: fall through to the text.
                }
            }

            return body.Length > 500 ? body.Substring(0, 500) + "…" : body;
        }
    }
}
