using System;
using System.Threading;

namespace EndpointAdmin.Managers
{
    /// <summary>A live session's working parts: the provider and its pipeline. Never leaves the process.</summary>
    internal sealed class ManagerConnection : IDisposable
    {
        private static int _lastId;

        public ManagerConnection(IAgentManagerProvider provider, Http.HttpPipeline pipeline)
        {
            Provider = provider;
            Pipeline = pipeline;
            Id = Interlocked.Increment(ref _lastId);
        }

        public int Id { get; }

        public IAgentManagerProvider Provider { get; }

        public Http.HttpPipeline Pipeline { get; }

        public bool IsDisposed { get; private set; }

        public void Dispose()
        {
            IsDisposed = true;
            Provider.Dispose();
        }
    }
}
