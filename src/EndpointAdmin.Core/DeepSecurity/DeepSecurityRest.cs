using System.Net.Http;
using System.Threading;
using EndpointAdmin.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.DeepSecurity
{
    /// <summary>How the Deep Security collaborators send a JSON request: the body compact, the answer a JSON tree.</summary>
    internal static class DeepSecurityRest
    {
        public static JToken Json(this HttpPipeline http, HttpMethod method, string path, JObject body, bool safe, CancellationToken cancel)
        {
            return http.SendJson(method, path, body?.ToString(Formatting.None), safe, cancel);
        }
    }
}
