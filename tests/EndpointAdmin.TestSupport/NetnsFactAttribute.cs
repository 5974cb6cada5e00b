using Xunit;

namespace EndpointAdmin.TestSupport
{
    /// <summary>
    /// A test that needs a private network namespace (Linux, root, ip and nft). Elsewhere it is
    /// reported as skipped with the reason, never as passed.
    /// </summary>
    public sealed class NetnsFactAttribute : FactAttribute
    {
        public NetnsFactAttribute()
        {
            if (NetworkNamespace.Unavailable != null)
            {
                Skip = NetworkNamespace.Unavailable;
            }
        }
    }

    /// <summary>The theory form of <see cref="NetnsFactAttribute"/>.</summary>
    public sealed class NetnsTheoryAttribute : TheoryAttribute
    {
        public NetnsTheoryAttribute()
        {
            if (NetworkNamespace.Unavailable != null)
            {
                Skip = NetworkNamespace.Unavailable;
            }
        }
    }
}
