namespace EndpointAdmin.Benchmarks
{
    /// <summary>One benchmark, found by reflection: add a class, it is listed and runnable.</summary>
    public interface IBenchmark
    {
        /// <summary>The name given on the command line (lower case, one word).</summary>
        string Name { get; }

        /// <summary>What it measures, in one line, for the list.</summary>
        string Description { get; }

        /// <summary>Runs and prints a report; returns the process exit code (0 when it ran).</summary>
        int Run(string[] args);
    }
}
