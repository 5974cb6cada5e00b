namespace EndpointAdmin.Catalog
{
    /// <summary>
    /// The versions one catalog row applies to: [Minimum, Maximum), where a null bound is open.
    /// Label is how the document names the range and what users see in PortRequirement.Version.
    /// </summary>
    internal sealed class VersionRange
    {
        public VersionRange(string label, ProductVersion minimum, ProductVersion maximum)
        {
            Label = label;
            Minimum = minimum;
            Maximum = maximum;
        }

        public string Label { get; }

        public ProductVersion Minimum { get; }

        public ProductVersion Maximum { get; }

        /// <summary>True when [low, highExclusive) and this range share at least one version.</summary>
        public bool Overlaps(ProductVersion low, ProductVersion highExclusive)
        {
            bool startsBeforeTheirEnd = Minimum == null || Minimum.CompareTo(highExclusive) < 0;
            bool endsAfterTheirStart = Maximum == null || low.CompareTo(Maximum) < 0;
            return startsBeforeTheirEnd && endsAfterTheirStart;
        }
    }
}
