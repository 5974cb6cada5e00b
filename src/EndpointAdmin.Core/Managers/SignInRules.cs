using EndpointAdmin.Errors;
using EndpointAdmin.Http;

namespace EndpointAdmin.Managers
{
    /// <summary>The sign-in rules several products share; each factory's Validate picks the ones that are its own.</summary>
    internal static class SignInRules
    {
        /// <summary>A product that signs in with an API key: -ApiKey, not empty, and no -Credential.</summary>
        public static void RequireApiKey(ManagerProduct product, ConnectionOptions options)
        {
            if (options.UserName != null)
            {
                throw Invalid(product.ToString(), product + " signs in with an API key: give -ApiKey, not -Credential.");
            }

            if (options.ApiKey == null || options.ApiKey.Length == 0)
            {
                throw Invalid("ApiKey", "-ApiKey is empty.");
            }
        }

        /// <summary>-ApplicationId belongs to the product that signs requests with an application's key.</summary>
        public static void RefuseApplicationId(ConnectionOptions options)
        {
            if (options.ApplicationId != null)
            {
                throw Invalid("ApplicationId", "-ApplicationId is for Apex Central only.");
            }
        }

        public static EndpointAdminException Invalid(object target, string message) => new EndpointAdminException(ErrorIds.ManagerParameterInvalid, ErrorKind.InvalidArgument, target, message);
    }
}
