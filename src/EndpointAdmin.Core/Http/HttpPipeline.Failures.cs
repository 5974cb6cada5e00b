using System;
using System.IO;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading.Tasks;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Http
{
    /// <summary>The errors of the pipeline, one wording whether a request failed before its answer or while it was streamed.</summary>
    internal sealed partial class HttpPipeline
    {
        private EndpointAdminException TimeoutFailure(HttpMethod method, string path)
        {
            return new EndpointAdminException(ErrorIds.ManagerTimeout, ErrorKind.OperationTimeout, method.Method + " " + path, "The manager did not answer " + method.Method + " " + path + " within " + _options.TimeoutSec + " s.")
            {
                RecommendedAction = "Raise -TimeoutSec on Connect-AgentManager, or check the manager's load.",
            };
        }

        private EndpointAdminException ConnectionFailure(HttpMethod method, string path, Exception ex)
        {
            return new EndpointAdminException(ErrorIds.ManagerConnectionFailed, ErrorKind.ConnectionError, _baseUri.ToString(), "The connection to the manager failed during " + method.Method + " " + path + ": " + Redactor.Redact(Innermost(ex).Message, Secrets()), ex)
            {
                RecommendedAction = "Check that the manager is reachable (name, port, proxy) and try again.",
            };
        }

        private EndpointAdminException ProtocolFailure(HttpMethod method, string path, Exception ex)
        {
            return new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, method.Method + " " + path, "The manager's answer to " + method.Method + " " + path + " was not complete JSON: " + Redactor.Redact(ex.Message, Secrets()), ex);
        }

        private static bool IsCertificateFailure(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        /// <summary>The server's own words: {"message": ...} when it sends JSON, else the start of the text.</summary>
        private async Task<string> ReadServerMessage(HttpResponseMessage response)
        {
            string text;
            try
            {
                text = response.Content == null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException || ex is HttpRequestException)
            {
                return null;
            }

            return Redactor.Redact(ServerText.Of(text), Secrets());
        }
    }
}
