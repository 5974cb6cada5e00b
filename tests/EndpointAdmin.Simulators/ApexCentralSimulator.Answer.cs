using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace EndpointAdmin.Simulators
{
    /// <summary>The ProductAgents answer of the simulated Apex Central, streamed.</summary>
    public sealed partial class ApexCentralSimulator
    {
        /// <summary>
        /// The ProductAgents answer written agent by agent into the response's pooled buffers and
        /// flushed every few hundred agents, so a 100,000-agent answer never exists whole in this
        /// process (the benchmark measures the module, not the simulator). Same JSON as Apex sends:
        /// result_code first, unless ResultCodeLast asks for the other order.
        /// </summary>
        private async Task WriteAgents(HttpContext context, RecordedRequest record, IEnumerable<ApexAgent> matches)
        {
            record.Status = 200;
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            var code = AnswerResultCode;
            var last = ResultCodeLast;
            var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            try
            {
                writer.WriteStartObject();
                if (!last)
                {
                    WriteResult(writer, code);
                }

                writer.WriteStartArray("result_content");
                var i = 0;
                foreach (var agent in matches)
                {
                    WriteAgent(writer, agent);
                    if (++i % 256 == 0)
                    {
                        writer.Flush();
                        var flushed = await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                        if (flushed.IsCanceled || flushed.IsCompleted)
                        {
                            Interlocked.Increment(ref _abandoned);
                            return;
                        }
                    }
                }

                writer.WriteEndArray();
                if (last)
                {
                    WriteResult(writer, code);
                }

                writer.WriteEndObject();
                writer.Flush();
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException || ex is InvalidOperationException)
            {
                // The client went away in the middle of the answer (an abandoned enumeration).
                Interlocked.Increment(ref _abandoned);
            }
            finally
            {
                writer.Dispose();
            }
        }

        private static void WriteResult(Utf8JsonWriter w, int code)
        {
            w.WriteNumber("result_code", code);
            w.WriteString("result_description", code == 1 ? "Operation successful" : "Operation failed");
        }

        private static void WriteAgent(Utf8JsonWriter w, ApexAgent a)
        {
            w.WriteStartObject();
            w.WriteString("entity_id", a.EntityId);
            w.WriteString("product", a.Product);
            w.WriteString("managing_server_id", a.ManagingServerId);
            w.WriteString("ad_domain", string.Empty);
            w.WriteString("folder_path", "Workgroup\\" + a.HostName);
            w.WriteString("ip_address_list", string.Join(",", a.IPs));
            w.WriteString("mac_address_list", string.Join(",", a.Macs));
            w.WriteString("host_name", a.HostName);
            w.WriteString("isolation_status", "normal");
            w.WriteStartArray("capabilities");
            w.WriteStringValue("cmd_isolate_agent");
            w.WriteStringValue("cmd_restore_isolated_agent");
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }
}
