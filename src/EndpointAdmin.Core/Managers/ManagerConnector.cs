using System;
using System.Threading;
using EndpointAdmin.DeepSecurity;
using EndpointAdmin.Errors;
using EndpointAdmin.Http;

namespace EndpointAdmin.Managers
{
    /// <summary>Validates what Connect-AgentManager was given, builds the product's provider and proves the connection works.</summary>
    internal static class ManagerConnector
    {
        /// <summary>Checks the URI text: absolute https (the key travels in a header). Throws ManagerUriInvalid.</summary>
        public static Uri ParseUri(string text, string parameter)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new EndpointAdminException(ErrorIds.ManagerUriInvalid, ErrorKind.InvalidArgument, text, parameter + " '" + text + "' is not an absolute URI such as https://dsm.example.com:4119.");
            }

            if (parameter == "-Uri" && uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new EndpointAdminException(ErrorIds.ManagerUriInvalid, ErrorKind.InvalidArgument, text, "-Uri '" + text + "' is not https: the credentials would cross the network in clear text.");
            }

            return uri;
        }

        /// <summary>Checks that the product got the secret it signs in with, and nothing that belongs to another product.</summary>
        public static void Validate(ManagerProduct product, ConnectionOptions options)
        {
            var needsCredential = product == ManagerProduct.KasperskySecurityCenter;
            if (needsCredential && options.UserName == null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, product.ToString(), product + " signs in with a user account: give -Credential (and -Domain for a Windows account), not -ApiKey.");
            }

            if (!needsCredential && options.UserName != null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, product.ToString(), product + " signs in with an API key: give -ApiKey, not -Credential.");
            }

            if (!needsCredential && (options.ApiKey == null || options.ApiKey.Length == 0))
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "ApiKey", "-ApiKey is empty.");
            }

            if (needsCredential && (options.Password == null || options.Password.Length == 0))
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, options.UserName, "The password of -Credential '" + options.UserName + "' is empty.");
            }

            if (product == ManagerProduct.ApexCentral && string.IsNullOrWhiteSpace(options.ApplicationId))
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "ApplicationId", "Apex Central signs each request with the API key of an application: give -ApplicationId too.");
            }

            if (product != ManagerProduct.ApexCentral && options.ApplicationId != null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "ApplicationId", "-ApplicationId is for Apex Central only.");
            }

            if (options.CertificateThumbprint != null && HttpPipeline.NormalizeThumbprint(options.CertificateThumbprint) == null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, options.CertificateThumbprint, "-CertificateThumbprint '" + options.CertificateThumbprint + "' is not a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
            }

            if (options.CertificateThumbprint != null && options.SkipCertificateCheck)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "SkipCertificateCheck", "-CertificateThumbprint and -SkipCertificateCheck contradict each other: a pin checks the certificate, the switch checks nothing.");
            }

            if (options.NoProxy && options.Proxy != null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "NoProxy", "-Proxy and -NoProxy contradict each other.");
            }

            if (options.ProxyUserName != null && options.Proxy == null)
            {
                throw new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, "ProxyCredential", "-ProxyCredential needs -Proxy.");
            }
        }

        public static AgentManagerSession Connect(ManagerProduct product, Uri managerUri, ConnectionOptions options, CancellationToken cancel)
        {
            Validate(product, options);
            IAgentManagerProvider provider;
            HttpPipeline pipeline;
            switch (product)
            {
                case ManagerProduct.DeepSecurity:
                    options.BaseUri = DeepSecurityProvider.ApiBase(managerUri);
                    pipeline = DeepSecurityProvider.CreatePipeline(options);
                    provider = new DeepSecurityProvider(pipeline);
                    break;
                case ManagerProduct.ApexCentral:
                    options.BaseUri = ApexCentral.ApexCentralProvider.ApiBase(managerUri);
                    pipeline = ApexCentral.ApexCentralProvider.CreatePipeline(options);
                    provider = new ApexCentral.ApexCentralProvider(pipeline);
                    break;
                case ManagerProduct.KasperskySecurityCenter:
                    options.BaseUri = Kaspersky.KscWire.ApiBase(managerUri);
                    var ksc = new Kaspersky.KasperskyProvider(options);
                    pipeline = ksc.Pipeline;
                    provider = ksc;
                    break;
                default:
                    throw new EndpointAdminException(ErrorIds.ManagerOperationNotSupported, ErrorKind.NotSupported, product.ToString(), "No provider for " + product + " yet.");
            }

            var connection = new ManagerConnection(provider, pipeline);
            string version;
            try
            {
                version = provider.CheckConnection(cancel);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            return new AgentManagerSession
            {
                Id = connection.Id,
                Product = product,
                Uri = managerUri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
                ConnectedAt = DateTime.UtcNow,
                ManagerVersion = version,
                SkipCertificateCheck = options.SkipCertificateCheck,
                CertificateThumbprint = options.CertificateThumbprint == null ? null : HttpPipeline.NormalizeThumbprint(options.CertificateThumbprint),
                Proxy = options.NoProxy ? "none" : (options.Proxy == null ? null : options.Proxy.Scheme + "://" + options.Proxy.Host + ":" + options.Proxy.Port),
                TimeoutSec = options.TimeoutSec,
                MaximumRetryCount = options.MaximumRetryCount,
                RetryIntervalSec = options.RetryIntervalSec,
                IsOpen = true,
                Connection = connection,
            };
        }
    }
}
