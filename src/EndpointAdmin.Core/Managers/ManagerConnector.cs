using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;

namespace EndpointAdmin.Managers
{
    /// <summary>
    /// Connect-AgentManager's core, the same for every product: find the product's factory, check
    /// what was given once, let the factory build the provider, and prove the connection works.
    /// The session keeps the provider as an opaque handle that only this class resolves.
    /// </summary>
    internal sealed class ManagerConnector
    {
        private static int _lastId;
        private readonly Dictionary<ManagerProduct, IManagerProviderFactory> _factories;

        public ManagerConnector(IEnumerable<IManagerProviderFactory> factories)
        {
            _factories = factories.ToDictionary(f => f.Product);
        }

        /// <summary>
        /// Checks everything Connect-AgentManager was given, before anything is sent: the product's own
        /// sign-in rules, then the rules every product shares. Returns the product's factory for Connect.
        /// </summary>
        public IManagerProviderFactory Validate(ManagerProduct product, ConnectionOptions options)
        {
            if (!_factories.TryGetValue(product, out var factory))
            {
                throw new EndpointAdminException(ErrorIds.ManagerOperationNotSupported, ErrorKind.NotSupported, product.ToString(), "No provider for " + product + " yet.");
            }

            factory.Validate(options);
            if (options.CertificateThumbprint != null && CertificatePin.Normalize(options.CertificateThumbprint) == null)
            {
                throw SignInRules.Invalid(options.CertificateThumbprint, "-CertificateThumbprint '" + options.CertificateThumbprint + "' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
            }

            if (options.CertificateThumbprint != null && options.SkipCertificateCheck)
            {
                throw SignInRules.Invalid("SkipCertificateCheck", "-CertificateThumbprint and -SkipCertificateCheck contradict each other: a pin checks the certificate, the switch checks nothing.");
            }

            if (options.NoProxy && options.Proxy != null)
            {
                throw SignInRules.Invalid("NoProxy", "-Proxy and -NoProxy contradict each other.");
            }

            if (options.ProxyUserName != null && options.Proxy == null)
            {
                throw SignInRules.Invalid("ProxyCredential", "-ProxyCredential needs -Proxy.");
            }

            return factory;
        }

        /// <summary>Builds the provider with the factory Validate returned and proves it with one cheap authenticated call.</summary>
        public AgentManagerSession Connect(IManagerProviderFactory factory, ConnectionOptions options, CancellationToken cancel)
        {
            var provider = factory.Create(options);
            var id = Interlocked.Increment(ref _lastId);
            string version;
            try
            {
                version = provider.CheckConnection(cancel);
            }
            catch
            {
                provider.Dispose();
                throw;
            }

            return new AgentManagerSession
            {
                Id = id,
                Product = factory.Product,
                Uri = options.ManagerUri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
                ConnectedAt = DateTime.UtcNow,
                ManagerVersion = version,
                SkipCertificateCheck = options.SkipCertificateCheck,
                CertificateThumbprint = options.CertificateThumbprint == null ? null : CertificatePin.Normalize(options.CertificateThumbprint),
                Proxy = options.NoProxy ? "none" : (options.Proxy == null ? null : options.Proxy.Scheme + "://" + options.Proxy.Host + ":" + options.Proxy.Port),
                TimeoutSec = options.TimeoutSec,
                MaximumRetryCount = options.MaximumRetryCount,
                RetryIntervalSec = options.RetryIntervalSec,
                IsOpen = true,
                Handle = provider,
            };
        }

        /// <summary>The session's live provider; null when it is closed or came from another process (the handle never serializes).</summary>
        public static IAgentManagerProvider Provider(AgentManagerSession session) => session.Handle as IAgentManagerProvider;

        /// <summary>Closes the session: its provider (pipeline, secrets, the manager's session) goes, and the session says so.</summary>
        public static void Close(AgentManagerSession session)
        {
            var provider = Provider(session);
            session.Handle = null;
            session.IsOpen = false;
            provider?.Dispose();
        }
    }
}
