using System;

namespace EndpointAdmin.Engine.Tests
{
    /// <summary>A fleet of several pages, so faults land in the middle of a paged walk.</summary>
    public sealed class PagedFleetFixture : IDisposable
    {
        public const int Computers = 12_000; // three pages of 5000

        public PagedFleetFixture()
        {
            Inner = new DeepSecurityFixtureWith(Computers);
        }

        public DeepSecurityFixtureWith Inner { get; }

        public void Dispose() => Inner.Dispose();
    }
}
