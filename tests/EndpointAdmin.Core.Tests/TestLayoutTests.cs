using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// This project mirrors src/EndpointAdmin.Core, so the tests of a core type are found from the
    /// type's path: every folder here has a twin in the core, and every test class lives alone in a
    /// file named after it. Test classes come from this assembly; their files from the source tree.
    /// </summary>
    public class TestLayoutTests
    {
        [Fact]
        public void EveryTestFolderHasATwinInTheCore()
        {
            var root = RepositoryRoot();
            var tests = Path.Combine(root, "tests", "EndpointAdmin.Core.Tests");
            var core = Path.Combine(root, "src", "EndpointAdmin.Core");
            var orphans = Directory.GetDirectories(tests, "*", SearchOption.AllDirectories)
                .Select(d => Path.GetRelativePath(tests, d))
                .Where(d => !IsBuildOutput(d))
                .Where(d => !Directory.Exists(Path.Combine(core, d)))
                .OrderBy(d => d, StringComparer.Ordinal)
                .ToArray();

            Assert.True(orphans.Length == 0, "test folders without a src/EndpointAdmin.Core twin: " + string.Join(", ", orphans));
        }

        [Fact]
        public void EveryTestClassLivesAloneInAFileNamedAfterIt()
        {
            var tests = Path.Combine(RepositoryRoot(), "tests", "EndpointAdmin.Core.Tests");
            var files = Directory.GetFiles(tests, "*.cs", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(Path.GetRelativePath(tests, f)))
                .ToDictionary(f => f, File.ReadAllText);
            var testClasses = typeof(TestLayoutTests).Assembly.GetTypes()
                .Where(t => t.IsClass && !t.IsNested && t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(true).Any()))
                .ToArray();
            Assert.Contains(testClasses, t => t == typeof(TestLayoutTests));

            foreach (var type in testClasses)
            {
                var declaration = new Regex(@"\bclass\s+" + type.Name + @"\b", RegexOptions.CultureInvariant);
                var declaredIn = files.Where(f => declaration.IsMatch(f.Value)).Select(f => Path.GetRelativePath(tests, f.Key)).ToArray();
                Assert.True(declaredIn.Length == 1, type.Name + " is declared in " + declaredIn.Length + " files: " + string.Join(", ", declaredIn));
                Assert.True(Path.GetFileName(declaredIn[0]) == type.Name + ".cs", type.Name + " lives in " + declaredIn[0] + ", a file named after another class");
            }
        }

        private static bool IsBuildOutput(string relative)
        {
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            return first == "bin" || first == "obj";
        }

        private static string RepositoryRoot()
        {
            var root = AppContext.BaseDirectory;
            while (root != null && !File.Exists(Path.Combine(root, "EndpointAdmin.sln")))
            {
                root = Path.GetDirectoryName(root);
            }

            Assert.NotNull(root);
            return root;
        }
    }
}
