using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;
using Newtonsoft.Json.Linq;

namespace EndpointAdmin.Kaspersky
{
    /// <summary>
    /// A Session.StartSession session and the authenticator of the pipeline it owns: KSCBasic
    /// credentials on the sign-in, the X-KSC-Session header on every other call, a new session when
    /// the server drops the old one, and EndSession when the module is done. The Open API connection
    /// is stateful, so the pipeline sends one request at a time on one connection.
    /// </summary>
    internal sealed class KscSession : IRequestAuthenticator
    {
        private readonly ConnectionOptions _options;
        private SecureString _session;
        private volatile bool _closing;

        public KscSession(Uri baseUri, ConnectionOptions options, HttpMessageHandler handler = null)
        {
            _options = options;
            Http = new HttpPipeline(baseUri, options, this, handler, oneRequestAtATime: true);
        }

        /// <summary>The session's pipeline; the provider that holds the session disposes it.</summary>
        public HttpPipeline Http { get; }

        public bool CanRenew => !_closing;

        public IEnumerable<SecureString> Secrets => new[] { _options.Password, Volatile.Read(ref _session) };

        public void Apply(HttpRequestMessage request, string body)
        {
            if (KscWire.IsSignIn(request.RequestUri.OriginalString))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "KSCBasic " + KscWire.BasicAuthorization(_options.UserName, _options.Password, _options.Domain));
                request.Headers.TryAddWithoutValidation(KscWire.VirtualServerHeader, KscWire.Base64(_options.VirtualServer ?? string.Empty));
                return;
            }

            var session = Volatile.Read(ref _session);
            if (session != null)
            {
                Redactor.WithPlainText(session, plain => request.Headers.TryAddWithoutValidation(KscWire.SessionHeader, plain));
            }
        }

        public bool IsSignIn(string path) => KscWire.IsSignIn(path);

        public void Renew(CancellationToken cancel) => SignIn(cancel, renewal: true);

        public void SignIn(CancellationToken cancel) => SignIn(cancel, renewal: false);

        private void SignIn(CancellationToken cancel, bool renewal)
        {
            string id;
            try
            {
                id = KscWire.String(Call(KscWire.StartSession, new JObject(), true, cancel)?["PxgRetVal"]);
            }
            catch (EndpointAdminException ex) when (ex.Kind == ErrorKind.AuthenticationError || ex.Kind == ErrorKind.PermissionDenied)
            {
                var who = (string.IsNullOrEmpty(_options.Domain) ? string.Empty : _options.Domain + "\\") + _options.UserName + (_options.VirtualServer == null ? string.Empty : " on virtual server '" + _options.VirtualServer + "'");
                throw new EndpointAdminException(
                    ErrorIds.ManagerAuthenticationFailed,
                    ErrorKind.AuthenticationError,
                    _options.UserName,
                    (renewal ? "The Administration Server ended the session and signing in again as " : "The Administration Server refused the sign-in of ") + who + (renewal ? " failed: " : ": ") + ex.Message,
                    ex)
                {
                    ServerMessage = ex.ServerMessage,
                    StatusCode = ex.StatusCode,
                    RecommendedAction = "Check the user name, password, -Domain (for a Windows account) and -VirtualServer, that the account is not blocked, then run Connect-AgentManager again.",
                };
            }

            if (string.IsNullOrEmpty(id))
            {
                throw new EndpointAdminException(ErrorIds.ManagerProtocolError, ErrorKind.ProtocolError, KscWire.StartSession, "Session.StartSession answered without a session ID.");
            }

            var secure = new SecureString();
            foreach (var c in id)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            Interlocked.Exchange(ref _session, secure)?.Dispose();
        }

        /// <summary>One Open API call; a PxgError (which arrives with HTTP 200) becomes the mapped exception.</summary>
        public JToken Call(string method, JObject body, bool safe, CancellationToken cancel)
        {
            var answer = Http.SendJson(HttpMethod.Post, method, body.ToString(Newtonsoft.Json.Formatting.None), safe, cancel);
            var error = KscWire.Error(answer, method, text => Redactor.Redact(text, _options.Password, Volatile.Read(ref _session)));
            if (error != null)
            {
                throw error;
            }

            return answer;
        }

        /// <summary>Ends the session on the server (a short, fresh deadline; never a new sign-in) and forgets its ID.</summary>
        public void Close()
        {
            if (Volatile.Read(ref _session) != null)
            {
                using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                {
                    try
                    {
                        _closing = true;
                        Call(KscWire.EndSession, new JObject(), false, deadline.Token);
                    }
                    catch (Exception ex) when (ex is EndpointAdminException || ex is OperationCanceledException)
                    {
                        // The server ends an idle session by itself; a failed sign-out changes nothing here.
                    }
                }
            }

            Interlocked.Exchange(ref _session, null)?.Dispose();
        }
    }
}
