using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using EndpointAdmin.Managers;
using Xunit;

namespace EndpointAdmin.Core.Tests
{
    /// <summary>
    /// The dependency rule of the manager providers: the cmdlets and the generic core folders never
    /// name a vendor's namespace or one of its types; only the vendor folders themselves and the one
    /// composition file, ManagerProviders.cs, do. Vendors are the namespaces of the registered
    /// factories; their types come from the built core assembly; the source is read with comments
    /// and string literals stripped, so prose about a product is not a dependency on it.
    /// </summary>
    public class ArchitectureTests
    {
        private const string CompositionFile = "ManagerProviders.cs";

        private static readonly string[] GenericCoreFolders = { "Managers", "Models", "Http", "Firewall", "Catalog", "Diagnostics", "Errors", "Common", "Baseline" };

        private static readonly Regex Identifier = new Regex(@"\b[A-Za-z_][A-Za-z0-9_]*\b", RegexOptions.CultureInvariant);

        /// <summary>The vendor namespaces: those of the registered factories (at least the three products of today).</summary>
        private static string[] VendorNamespaces()
        {
            var namespaces = ManagerProviders.Factories.Select(f => f.GetType().Namespace).Distinct().ToArray();
            foreach (var expected in new[] { "EndpointAdmin.DeepSecurity", "EndpointAdmin.Kaspersky", "EndpointAdmin.ApexCentral" })
            {
                Assert.Contains(expected, namespaces);
            }

            return namespaces;
        }

        /// <summary>Top-level types the vendor namespaces declare, by simple name.</summary>
        private static HashSet<string> VendorTypeNames(string[] vendorNamespaces)
        {
            return new HashSet<string>(typeof(IAgentManagerProvider).Assembly.GetTypes()
                .Where(t => t.DeclaringType == null && !t.Name.StartsWith("<", StringComparison.Ordinal) && vendorNamespaces.Any(ns => t.Namespace == ns || (t.Namespace ?? string.Empty).StartsWith(ns + ".", StringComparison.Ordinal)))
                .Select(t => t.Name.Split('`')[0]));
        }

        [Fact]
        public void NoCmdletOrGenericCoreFileNamesAVendor()
        {
            var namespaces = VendorNamespaces();
            var types = VendorTypeNames(namespaces);
            Assert.Contains("DeepSecurityWire", types);
            Assert.Contains("KasperskyProvider", types);
            Assert.Contains("ApexOneSettings", types);

            var root = RepositoryRoot();
            var core = Path.Combine(root, "src", "EndpointAdmin.Core");
            var vendorFolders = namespaces.Select(ns => ns.Substring("EndpointAdmin.".Length)).ToArray();

            // Every core folder is either generic (guarded here) or a vendor's: a new folder has to be classified.
            foreach (var folder in Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f != "bin" && f != "obj"))
            {
                Assert.True(GenericCoreFolders.Contains(folder) || vendorFolders.Contains(folder), "src/EndpointAdmin.Core/" + folder + " is neither a generic folder of this test nor a vendor's folder");
            }

            var guarded = SourceFiles(Path.Combine(root, "src", "EndpointAdmin"))
                .Concat(GenericCoreFolders.Where(f => Directory.Exists(Path.Combine(core, f))).SelectMany(f => SourceFiles(Path.Combine(core, f))))
                .Concat(Directory.GetFiles(core, "*.cs").Where(f => Path.GetFileName(f) != CompositionFile))
                .ToList();
            Assert.Contains(guarded, f => f.EndsWith(Path.Combine("Managers", "ManagerConnector.cs"), StringComparison.Ordinal));
            Assert.Contains(guarded, f => f.EndsWith(Path.Combine("Commands", "SetAgentHeartbeatPolicyCommand.cs"), StringComparison.Ordinal));

            var leaks = guarded
                .SelectMany(f => VendorMentions(File.ReadAllText(f), namespaces, types).Select(m => Path.GetRelativePath(root, f) + ": " + m))
                .ToList();
            Assert.True(leaks.Count == 0, "Outside the vendor folders and " + CompositionFile + ", code names a vendor:\n" + string.Join("\n", leaks));
        }

        [Fact]
        public void TheCompositionFileNamesEveryVendor()
        {
            var namespaces = VendorNamespaces();
            var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "EndpointAdmin.Core", CompositionFile));
            var mentions = VendorMentions(text, namespaces, VendorTypeNames(namespaces));
            foreach (var ns in namespaces)
            {
                Assert.Contains(mentions, m => m.Contains(ns, StringComparison.Ordinal));
            }
        }

        [Theory]
        [InlineData("using EndpointAdmin.DeepSecurity;", true)]
        [InlineData("using static EndpointAdmin . Kaspersky.KscWire;", true)]
        [InlineData("var max = DeepSecurityWire.MaximumMissedThreshold;", true)]
        [InlineData("var p = new Kaspersky.KasperskyProvider(session);", true)]
        [InlineData("var s = $\"{ApexCentral.ApexOneSettings.RedeployWarning}\";", true)]
        [InlineData("var p = global::EndpointAdmin.ApexCentral.ApexCentralFactory.Create;", true)]
        [InlineData("// DeepSecurityWire.PageSize, in a comment", false)]
        [InlineData("/* using EndpointAdmin.Kaspersky; */ var x = 1;", false)]
        [InlineData("/// <see cref=\"KscWire\"/> in a doc comment", false)]
        [InlineData("var s = \"EndpointAdmin.ApexCentral: KscWire\";", false)]
        [InlineData("var s = @\"DeepSecurityWire \"\" KscWire\";", false)]
        [InlineData("var s = $\"{count} KscWire {{DeepSecurityWire}}\";", false)]
        [InlineData("var p = ManagerProduct.DeepSecurity; var q = ManagerProduct.ApexCentral;", false)]
        [InlineData("var c = '\"'; var d = KscSessionCount;", false)]
        public void TheScanSeesCodeAndNotCommentsOrStrings(string code, bool names)
        {
            var namespaces = new[] { "EndpointAdmin.DeepSecurity", "EndpointAdmin.Kaspersky", "EndpointAdmin.ApexCentral" };
            var types = new HashSet<string> { "DeepSecurityWire", "KscWire", "KasperskyProvider", "ApexOneSettings", "ApexCentralFactory" };
            Assert.Equal(names, VendorMentions(code, namespaces, types).Count > 0);
        }

        /// <summary>Each place the code names a vendor namespace or type, as "line N: what".</summary>
        private static List<string> VendorMentions(string source, string[] vendorNamespaces, ISet<string> vendorTypes)
        {
            var result = new List<string>();
            var lines = StripCommentsAndStrings(source).Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                var compact = Regex.Replace(lines[n], @"\s*\.\s*", ".");
                foreach (var ns in vendorNamespaces.Where(ns => Regex.IsMatch(compact, @"\b" + Regex.Escape(ns) + @"\b")))
                {
                    result.Add("line " + (n + 1) + ": " + ns);
                }

                foreach (Match m in Identifier.Matches(compact))
                {
                    if (vendorTypes.Contains(m.Value))
                    {
                        result.Add("line " + (n + 1) + ": " + m.Value);
                    }
                }
            }

            return result;
        }

        /// <summary>
        /// The code with comments and the text of string and character literals blanked (line breaks
        /// kept, so line numbers hold); the holes of interpolated strings are code and stay.
        /// </summary>
        internal static string StripCommentsAndStrings(string source)
        {
            var output = new StringBuilder(source.Length);
            var i = 0;
            Code(source, ref i, output, hole: false);
            return output.ToString();
        }

        private static void Code(string s, ref int i, StringBuilder o, bool hole)
        {
            var depth = 0;
            while (i < s.Length)
            {
                var c = s[i];
                var next = i + 1 < s.Length ? s[i + 1] : '\0';
                if (c == '/' && next == '/')
                {
                    while (i < s.Length && s[i] != '\n')
                    {
                        i++;
                    }
                }
                else if (c == '/' && next == '*')
                {
                    i += 2;
                    while (i < s.Length && !(s[i] == '*' && i + 1 < s.Length && s[i + 1] == '/'))
                    {
                        Blank(s[i++], o);
                    }

                    i += 2;
                }
                else if (c == '"' || ((c == '@' || c == '$') && (next == '"' || ((next == '@' || next == '$') && i + 2 < s.Length && s[i + 2] == '"'))))
                {
                    var verbatim = false;
                    var interpolated = false;
                    while (s[i] != '"')
                    {
                        verbatim |= s[i] == '@';
                        interpolated |= s[i] == '$';
                        i++;
                    }

                    i++;
                    Literal(s, ref i, o, verbatim, interpolated);
                    o.Append("\"\"");
                }
                else if (c == '\'')
                {
                    i++;
                    while (i < s.Length && s[i] != '\'')
                    {
                        i += s[i] == '\\' ? 2 : 1;
                    }

                    i++;
                    o.Append("' '");
                }
                else
                {
                    if (hole && c == '{')
                    {
                        depth++;
                    }
                    else if (hole && c == '}' && depth-- == 0)
                    {
                        i++;
                        return;
                    }

                    o.Append(c);
                    i++;
                }
            }
        }

        private static void Literal(string s, ref int i, StringBuilder o, bool verbatim, bool interpolated)
        {
            while (i < s.Length)
            {
                var c = s[i];
                var next = i + 1 < s.Length ? s[i + 1] : '\0';
                if (!verbatim && c == '\\')
                {
                    i += 2;
                }
                else if (c == '"' && verbatim && next == '"')
                {
                    i += 2;
                }
                else if (c == '"')
                {
                    i++;
                    return;
                }
                else if (interpolated && (c == '{' || c == '}') && next == c)
                {
                    i += 2;
                }
                else if (interpolated && c == '{')
                {
                    i++;
                    o.Append(' ');
                    Code(s, ref i, o, hole: true);
                    o.Append(' ');
                }
                else
                {
                    Blank(c, o);
                    i++;
                }
            }
        }

        private static void Blank(char c, StringBuilder o)
        {
            if (c == '\n')
            {
                o.Append('\n');
            }
        }

        private static IEnumerable<string> SourceFiles(string folder)
        {
            var separator = Path.DirectorySeparatorChar;
            return Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(separator + "bin" + separator, StringComparison.Ordinal) && !f.Contains(separator + "obj" + separator, StringComparison.Ordinal));
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
