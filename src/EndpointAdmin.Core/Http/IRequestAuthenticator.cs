using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// The pipeline's one authentication seam: how a manager learns who is asking. It puts the
    /// credentials on every attempt of a request, says which request signs in, renews a session the
    /// manager dropped, and names the secrets to mask in every text the pipeline builds. Each
    /// provider's factory picks one (an API key header, a per-request signature, a session).
    /// </summary>
    internal interface IRequestAuthenticator
    {
        /// <summary>
        /// Adds the credentials to one attempt, at send time, so a secret is plain text only for that
        /// moment. <paramref name="body"/> is the exact text sent ("" when there is none), for schemes
        /// that sign the request.
        /// </summary>
        void Apply(HttpRequestMessage request, string body);

        /// <summary>Whether the request to <paramref name="path"/> signs in, so its own 401 is a failure and not a reason to renew.</summary>
        bool IsSignIn(string path);

        /// <summary>Whether a request refused with 401 or 403 may sign in again and be resent: only where a session can be renewed.</summary>
        bool CanRenew { get; }

        /// <summary>
        /// Renews a session the manager dropped: signs in again and returns normally, or throws the
        /// sign-in failure. Called at most once per request, never for the sign-in request itself,
        /// and only by the first of several requests that failed with the same session.
        /// </summary>
        void Renew(CancellationToken cancel);

        /// <summary>The secrets (a key, a password, a session ID) masked in every message the pipeline builds; null entries are skipped.</summary>
        IEnumerable<SecureString> Secrets { get; }
    }
}
