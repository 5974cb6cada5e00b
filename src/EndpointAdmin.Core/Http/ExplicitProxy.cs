using System;
using System.Net;

namespace EndpointAdmin.Http
{
    /// <summary>
    /// The proxy the user named, for every request of the session. WebProxy would quietly go
    /// direct for some hosts (loopback, its bypass list); -Proxy means this proxy.
    /// </summary>
    internal sealed class ExplicitProxy : IWebProxy
    {
        private readonly Uri _proxy;

        public ExplicitProxy(Uri proxy)
        {
            _proxy = proxy;
        }

        public ICredentials Credentials { get; set; }

        public Uri GetProxy(Uri destination) => _proxy;

        public bool IsBypassed(Uri host) => false;
    }
}
