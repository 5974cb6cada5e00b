using System.Net;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Http
{
    /// <summary>The one map from an HTTP failure status to the module's ErrorId and ErrorKind.</summary>
    internal static class HttpStatusMap
    {
        public static (string ErrorId, ErrorKind Kind) Map(HttpStatusCode status)
        {
            var code = (int)status;
            switch (code)
            {
                case 400: return (ErrorIds.ManagerBadRequest, ErrorKind.InvalidArgument);
                case 401: return (ErrorIds.ManagerAuthenticationFailed, ErrorKind.AuthenticationError);
                case 403: return (ErrorIds.ManagerPermissionDenied, ErrorKind.PermissionDenied);
                case 404: return (ErrorIds.ManagerObjectNotFound, ErrorKind.ObjectNotFound);
                case 408: return (ErrorIds.ManagerTimeout, ErrorKind.OperationTimeout);
                case 409: return (ErrorIds.ManagerConflict, ErrorKind.ResourceExists);
                case 429: return (ErrorIds.ManagerRateLimited, ErrorKind.LimitsExceeded);
                case 504: return (ErrorIds.ManagerTimeout, ErrorKind.OperationTimeout);
            }

            if (code >= 500)
            {
                return (ErrorIds.ManagerUnavailable, ErrorKind.ResourceUnavailable);
            }

            return (ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError);
        }

        public static string RecommendedAction(HttpStatusCode status)
        {
            switch ((int)status)
            {
                case 401: return "Check the API key, then run Connect-AgentManager again.";
                case 403: return "Give the API key's role the rights this command needs, or use another key.";
                case 429: return "The manager's API rate limit was reached. Wait a minute, raise -MaximumRetryCount, or raise the limit on the manager.";
                default:
                    return (int)status >= 500 ? "The manager failed to answer. Try again later, or raise -MaximumRetryCount." : null;
            }
        }
    }
}
