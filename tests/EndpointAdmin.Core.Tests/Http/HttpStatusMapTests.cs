using System;
using System.Net;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    public class HttpStatusMapTests
    {
        [Theory]
        [InlineData(400, "ManagerBadRequest", "InvalidArgument")]
        [InlineData(401, "ManagerAuthenticationFailed", "AuthenticationError")]
        [InlineData(403, "ManagerPermissionDenied", "PermissionDenied")]
        [InlineData(404, "ManagerObjectNotFound", "ObjectNotFound")]
        [InlineData(408, "ManagerTimeout", "OperationTimeout")]
        [InlineData(409, "ManagerConflict", "ResourceExists")]
        [InlineData(429, "ManagerRateLimited", "LimitsExceeded")]
        [InlineData(500, "ManagerUnavailable", "ResourceUnavailable")]
        [InlineData(503, "ManagerUnavailable", "ResourceUnavailable")]
        [InlineData(504, "ManagerTimeout", "OperationTimeout")]
        [InlineData(418, "ManagerProtocolError", "ProtocolError")]
        public void EachStatusHasOneIdAndKind(int status, string id, string kind)
        {
            Assert.Equal((id, (ErrorKind)Enum.Parse(typeof(ErrorKind), kind)), HttpStatusMap.Map((HttpStatusCode)status));
        }

        [Theory]
        [InlineData("{\"message\":\"Invalid API Key\"}", "Invalid API Key")]
        [InlineData("Too many API requests", "Too many API requests")]
        [InlineData("{\"error\":1}", "{\"error\":1}")]
        [InlineData("{broken", "{broken")]
        [InlineData("  ", null)]
        public void TheServersMessageIsTakenFromJsonOrText(string body, string expected)
        {
            Assert.Equal(expected, ServerText.Of(body));
        }
    }
}
