using System;
using EndpointAdmin.Host;
using EndpointAdmin.TestSupport;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A network namespace of its own with the module's engine running inside it; its ruleset is emptied before each test.</summary>
    public sealed class FirewallNamespaceFixture : IDisposable
    {
        private readonly NetworkNamespace _ns;
        private readonly NamespacedShell _shell;

        public FirewallNamespaceFixture()
        {
            if (NetworkNamespace.Unavailable == null)
            {
                _ns = NetworkNamespace.Create("fw");
                _shell = new NamespacedShell(_ns);
            }
        }

        public NetworkNamespace Namespace => _ns;

        /// <summary>An empty ruleset, and the engine ready.</summary>
        public NamespacedShell Fresh()
        {
            _ns.Exec("nft flush ruleset", check: true);
            return _shell;
        }

        public void Dispose()
        {
            _shell?.Dispose();
            _ns?.Dispose();
        }
    }
}
