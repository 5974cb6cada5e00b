using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// A key that goes with every request in one header (no session, nothing to renew), together
    /// with fixed headers the manager wants beside it (an API version). The key becomes plain text
    /// only while its header is added.
    /// </summary>
    internal sealed class ApiKeyHeader : IRequestAuthenticator
    {
        private readonly string _header;
        private readonly SecureString _key;
        private readonly KeyValuePair<string, string>[] _fixedHeaders;

        public ApiKeyHeader(string header, SecureString key, params KeyValuePair<string, string>[] fixedHeaders)
        {
            _header = header;
            _key = key;
            _fixedHeaders = fixedHeaders ?? new KeyValuePair<string, string>[0];
        }

        public bool CanRenew => false;

        public IEnumerable<SecureString> Secrets => new[] { _key };

        public void Apply(HttpRequestMessage request, string body)
        {
            foreach (var header in _fixedHeaders)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            Redactor.WithPlainText(_key, plain => request.Headers.TryAddWithoutValidation(_header, plain));
        }

        public bool IsSignIn(string path) => false;

        /// <summary>Never called (CanRenew is false): a refused key is the answer.</summary>
        public void Renew(CancellationToken cancel)
        {
        }
    }
}
