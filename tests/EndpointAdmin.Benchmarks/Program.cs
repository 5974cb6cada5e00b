using System;
using System.Collections.Generic;
using System.Linq;

namespace EndpointAdmin.Benchmarks
{
    /// <summary>
    /// Lists and runs the benchmarks: no argument runs them all, a name runs one, "list" lists them.
    /// Arguments after the name go to that benchmark.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var all = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
                .Select(t => (IBenchmark)Activator.CreateInstance(t))
                .OrderBy(b => b.Name, StringComparer.Ordinal)
                .ToList();

            if (args.Length > 0 && args[0] == "list")
            {
                foreach (var b in all)
                {
                    Console.WriteLine("{0,-14} {1}", b.Name, b.Description);
                }

                return 0;
            }

            var selected = new List<IBenchmark>();
            string[] rest = Array.Empty<string>();
            if (args.Length == 0)
            {
                selected.AddRange(all);
            }
            else
            {
                var one = all.FirstOrDefault(b => string.Equals(b.Name, args[0], StringComparison.OrdinalIgnoreCase));
                if (one == null)
                {
                    Console.Error.WriteLine("unknown benchmark '" + args[0] + "'; known: " + string.Join(", ", all.Select(b => b.Name)));
                    return 2;
                }

                selected.Add(one);
                rest = args.Skip(1).ToArray();
            }

            if (selected.Count == 0)
            {
                Console.WriteLine("no benchmarks");
                return 0;
            }

            int exit = 0;
            foreach (var b in selected)
            {
                Console.WriteLine("-- benchmark: " + b.Name + " (" + b.Description + ")");
                exit = Math.Max(exit, b.Run(rest));
            }

            return exit;
        }
    }
}
