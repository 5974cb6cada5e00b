using System;
using EndpointAdmin.Errors;

namespace EndpointAdmin.Http
{
    /// <summary>What a URI the user typed must be before the module uses it: the manager's, a proxy's.</summary>
    internal static class UriRules
    {
        /// <summary>Absolute http or https with a host; -Uri must be https (the credentials travel in a header). Throws ManagerUriInvalid.</summary>
        public static Uri Parse(string text, string parameter)
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
    }
}
