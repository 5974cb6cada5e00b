using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace EndpointAdmin.Simulators
{
    /// <summary>One Apex One agent as Apex Central's ProductAgents lists it.</summary>
    public sealed class ApexAgent
    {
        public string EntityId { get; set; }

        public string HostName { get; set; }

        public string[] IPs { get; set; }

        public string[] Macs { get; set; }

        public string ManagingServerId { get; set; }

        public string Product { get; set; } = "SLF_PRODUCT_OFFICESCAN_CE";
    }

    /// <summary>
    /// An Apex Central Automation API on https://127.0.0.1:&lt;random port&gt;, after docs/design/vendor-apis.md §3 and
    /// Trend Micro's Authentication guide: every request must carry a Bearer JWT (HS256/384/512) signed
    /// with the API key, whose payload names the application, is issued within the communication
    /// time-out, is version V1 and holds the checksum Base64(SHA-256(METHOD|lower(raw path and
    /// query)|API* headers|body)) of this very request. Failures answer 401 with the result code
    /// (UNCONFIRMED which code is which; the module maps them in ApexCentralWire). ProductAgents lists
    /// a seeded fleet with its query filters. Every request is recorded; faults are injected per test.
    /// </summary>
    public sealed partial class ApexCentralSimulator : IDisposable
    {
        public const string AgentsPath = "/WebApp/API/AgentResource/ProductAgents";
        public const int BadChecksum = -8;
        public const int Expired = -6;
        public const int BadSignature = -7;
        public const int UnknownApplication = -5;

        private static readonly string[] Filters = { "host_name", "ip_address", "mac_address", "entity_id", "product", "managing_server_id" };

        private readonly LoopbackHttpsServer _server;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();
        private readonly ConcurrentQueue<string> _tokens = new ConcurrentQueue<string>();
        private int _abandoned;

        private ApexCentralSimulator(int agents, int seed)
        {
            Agents = Generate(agents, seed);
            _server = new LoopbackHttpsServer(Handle);
        }

        public static ApexCentralSimulator Start(int agents = 50, int seed = 5)
        {
            var simulator = new ApexCentralSimulator(agents, seed);
            simulator._server.Start();
            return simulator;
        }

        public string Uri => _server.Uri;

        public X509Certificate2 Certificate => _server.Certificate;

        public string Thumbprint => Certificate.Thumbprint;

        public string ApplicationId { get; } = Guid.NewGuid().ToString().ToUpperInvariant();

        /// <summary>Random per simulator, so a leak test can look for it anywhere.</summary>
        public string ApiKey { get; } = Guid.NewGuid().ToString().ToUpperInvariant();

        public List<ApexAgent> Agents { get; }

        /// <summary>The application's Communication time-out: the most an iat may lie from the server's clock.</summary>
        public int CommunicationTimeoutSeconds { get; set; } = 60;

        /// <summary>Shifts the server's clock, to put a client's iat outside the time-out.</summary>
        public TimeSpan ClockOffset { get; set; }

        /// <summary>Verify the checksum against a body/path other than the one received (a tampering test).</summary>
        public bool TamperChecksum { get; set; }

        public FaultPlan Faults { get; } = new FaultPlan();

        /// <summary>The result_code of a ProductAgents answer (with status 200): 1 is success; another value tests the module's error mapping.</summary>
        public int AnswerResultCode { get; set; } = 1;

        /// <summary>Put result_code after result_content (Apex puts it first; a reader must accept both).</summary>
        public bool ResultCodeLast { get; set; }

        /// <summary>ProductAgents answers the client stopped reading before their end.</summary>
        public int AbandonedAnswers => Volatile.Read(ref _abandoned);

        public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

        public IReadOnlyList<RecordedRequest> Writes => _requests.Where(r => r.Method != "GET").ToArray();

        /// <summary>Every JWT received, so leak tests can look for them in the module's output.</summary>
        public IReadOnlyList<string> Tokens => _tokens.ToArray();

        public void ClearRequests()
        {
            _requests.Clear();
        }

        public void Dispose()
        {
            _server.Dispose();
        }

        /// <summary>The checksum exactly as the guide defines it (public so tests can cross-check the module).</summary>
        public static string Checksum(string method, string rawPathAndQuery, string canonicalHeaders, string body)
        {
            var raw = rawPathAndQuery.EndsWith('?') ? rawPathAndQuery[..^1] : rawPathAndQuery;
            var text = method.ToUpperInvariant() + "|" + raw.ToLowerInvariant() + "|" + canonicalHeaders + "|" + body;
            return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        private static List<ApexAgent> Generate(int count, int seed)
        {
            var random = new Random(seed);
            var servers = new[] { Guid.NewGuid().ToString(), Guid.NewGuid().ToString() };
            var list = new List<ApexAgent>();
            for (var i = 1; i <= count; i++)
            {
                var mac = string.Join("-", Enumerable.Range(0, 6).Select(_ => random.Next(256).ToString("X2", CultureInfo.InvariantCulture)));
                var ipv6Only = i % 10 == 0;
                list.Add(new ApexAgent
                {
                    EntityId = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(),
                    HostName = "APX-" + i.ToString("D4", CultureInfo.InvariantCulture),
                    IPs = ipv6Only ? new[] { "fd00::" + i.ToString("x", CultureInfo.InvariantCulture) } : new[] { "10.1." + (i / 250) + "." + (i % 250 + 1), "fd00::" + i.ToString("x", CultureInfo.InvariantCulture) },
                    Macs = new[] { mac },
                    ManagingServerId = servers[i % 2],
                });
            }

            return list;
        }

        private async Task Handle(HttpContext context)
        {
            var request = context.Request;
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString);
            string body = string.Empty;
            if (request.ContentLength > 0 || request.Method == "POST" || request.Method == "PUT")
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(context.RequestAborted);
            }

            var record = new RecordedRequest { Method = request.Method, Path = request.Path.Value ?? string.Empty, Query = request.QueryString.Value, Body = body, Connection = context.Connection.Id };
            _requests.Enqueue(record);
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                _tokens.Enqueue(authorization.Substring(7).Trim());
            }

            var (answered, _) = await Faults.TryAnswerAsync(context, record, status => Result(context, record, status, -99, "Service busy"), async fault =>
            {
                if (fault.Kind != FaultKind.TruncatedJson)
                {
                    return false;
                }

                record.Status = 200;
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"result_code\":1,\"result_content\":[{\"entity_id\":\"", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                return true;
            });
            if (answered)
            {
                return;
            }

            var failure = Authenticate(request, raw, body);
            if (failure != null)
            {
                await Result(context, record, 401, failure.Value.Code, failure.Value.Text);
                return;
            }

            if (!string.Equals(record.Path, AgentsPath, StringComparison.OrdinalIgnoreCase))
            {
                await Result(context, record, 404, -21, "Unknown resource");
                return;
            }

            if (request.Method != "GET")
            {
                await Result(context, record, 400, -50, "Unsupported HTTP method");
                return;
            }

            var query = request.Query;
            foreach (var key in query.Keys)
            {
                if (!Filters.Contains(key))
                {
                    await Result(context, record, 400, -21, "Invalid parameter: " + key);
                    return;
                }
            }

            IEnumerable<ApexAgent> matches = Agents;
            matches = Filter(matches, query, "host_name", a => new[] { a.HostName });
            matches = Filter(matches, query, "entity_id", a => new[] { a.EntityId });
            matches = Filter(matches, query, "ip_address", a => a.IPs);
            matches = Filter(matches, query, "mac_address", a => a.Macs);
            matches = Filter(matches, query, "managing_server_id", a => new[] { a.ManagingServerId });
            matches = Filter(matches, query, "product", a => new[] { a.Product });
            await WriteAgents(context, record, matches);
        }

        private static IEnumerable<ApexAgent> Filter(IEnumerable<ApexAgent> agents, IQueryCollection query, string name, Func<ApexAgent, string[]> values)
        {
            if (!query.TryGetValue(name, out var wanted))
            {
                return agents;
            }

            var text = wanted.ToString();
            return agents.Where(a => values(a).Any(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)));
        }

        private (int Code, string Text)? Authenticate(HttpRequest request, string raw, string body)
        {
            var header = request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return (-2, "Authorization token is missing");
            }

            var token = header.Substring(7).Trim();
            var parts = token.Split('.');
            if (parts.Length != 3)
            {
                return (-3, "Authorization token has a bad format");
            }

            JsonNode head, payload;
            try
            {
                head = JsonNode.Parse(FromBase64Url(parts[0]));
                payload = JsonNode.Parse(FromBase64Url(parts[1]));
            }
            catch (Exception ex) when (ex is FormatException || ex is JsonException)
            {
                return (-3, "Authorization token has a bad format");
            }

            var alg = (string)head?["alg"];
            HMAC hmac = alg switch
            {
                "HS256" => new HMACSHA256(Encoding.UTF8.GetBytes(ApiKey)),
                "HS384" => new HMACSHA384(Encoding.UTF8.GetBytes(ApiKey)),
                "HS512" => new HMACSHA512(Encoding.UTF8.GetBytes(ApiKey)),
                _ => null,
            };
            if (hmac == null || (string)head["typ"] != "JWT")
            {
                return (-9, "Unsupported algorithm");
            }

            using (hmac)
            {
                var expected = hmac.ComputeHash(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
                byte[] given;
                try
                {
                    given = Convert.FromBase64String(ToBase64(parts[2]));
                }
                catch (FormatException)
                {
                    return (-7, "Invalid signature");
                }

                if (!CryptographicOperations.FixedTimeEquals(expected, given))
                {
                    return (-7, "Invalid signature");
                }
            }

            if ((string)payload?["version"] != "V1")
            {
                return (-4, "Unsupported token version");
            }

            if ((string)payload["appid"] != ApplicationId)
            {
                return (-5, "Invalid application ID");
            }

            var iatNode = payload["iat"];
            if (iatNode == null || iatNode.GetValueKind() != JsonValueKind.Number)
            {
                return (-3, "Authorization token has a bad format");
            }

            var now = (DateTimeOffset.UtcNow + ClockOffset).ToUnixTimeMilliseconds() / 1000.0;
            if (Math.Abs(now - iatNode.GetValue<double>()) > CommunicationTimeoutSeconds)
            {
                return (-6, "Token expired");
            }

            var canonical = string.Concat(request.Headers.Where(h => h.Key.StartsWith("API", StringComparison.OrdinalIgnoreCase)).OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => h.Key.ToLowerInvariant() + ":" + h.Value));
            var checksum = Checksum(request.Method, TamperChecksum ? raw + "&tampered=1" : raw, canonical, body);
            if ((string)payload["checksum"] != checksum)
            {
                return (BadChecksum, "Invalid checksum");
            }

            return null;
        }

        private static byte[] FromBase64Url(string text) => Convert.FromBase64String(ToBase64(text));

        private static string ToBase64(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            return s + new string('=', (4 - s.Length % 4) % 4);
        }

        private static Task Result(HttpContext context, RecordedRequest record, int status, int code, string text)
        {
            return Json(context, record, status, new JsonObject { ["result_code"] = code, ["result_description"] = text, ["result_content"] = new JsonArray() });
        }

        private static async Task Json(HttpContext context, RecordedRequest record, int status, JsonNode body)
        {
            record.Status = status;
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        }
    }
}
