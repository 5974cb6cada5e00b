using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using EndpointAdmin.Http;

namespace EndpointAdmin.ApexCentral
{
    /// <summary>
    /// Apex Central's authentication: each attempt gets a fresh JWT over its own method, path, query
    /// and the exact body sent (ApexCentralToken). There is no session, so nothing to renew.
    /// </summary>
    internal sealed class ApexJwtSigner : IRequestAuthenticator
    {
        private readonly string _applicationId;
        private readonly SecureString _key;
        private readonly Func<DateTime> _now;

        public ApexJwtSigner(string applicationId, SecureString key, Func<DateTime> clock = null)
        {
            _applicationId = applicationId;
            _key = key;
            _now = clock ?? (() => DateTime.UtcNow);
        }

        public bool CanRenew => false;

        public IEnumerable<SecureString> Secrets => new[] { _key };

        public void Apply(HttpRequestMessage request, string body)
        {
            var token = ApexCentralToken.Create(_applicationId, _key, request.Method.Method, request.RequestUri.PathAndQuery, body, _now());
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        public bool IsSignIn(string path) => false;

        /// <summary>Never called (CanRenew is false): a refused signature is the answer.</summary>
        public void Renew(CancellationToken cancel)
        {
        }
    }
}
