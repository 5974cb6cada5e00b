using System;
using System.Collections.Generic;
using System.IO;
using Newtonsoft.Json;

namespace EndpointAdmin.Catalog
{
    // The shape of port-catalog.json. Kept apart from the public models so the file format can
    // change without touching what users see; Newtonsoft types never leave the core.
    //
    // Read with Newtonsoft's token reader, not its serializer: the serializer's first use in a
    // process (contracts built by reflection, converters, generated setters) cost more than the
    // rest of the first Get-AgentPortRequirement together, and the catalog is small and fixed.
    // The reader is as strict as the serializer was set up to be: an unknown member, a missing
    // required member and an enum value that is not one of its names are errors.
    internal sealed class CatalogDocument
    {
        public Dictionary<string, string> Sources { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public List<ProductDocument> Products { get; } = new List<ProductDocument>();

        public List<RequirementDocument> Requirements { get; } = new List<RequirementDocument>();

        /// <summary>The document in <paramref name="json"/>, or null when it holds no value (empty or JSON null).</summary>
        /// <exception cref="JsonException">The text is not JSON, or not a catalog document.</exception>
        public static CatalogDocument Read(string json)
        {
            using (var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None })
            {
                var tokens = new Tokens(reader);
                if (!tokens.TryNext() || reader.TokenType == JsonToken.Null)
                {
                    return null;
                }

                var doc = new CatalogDocument();
                tokens.Object("the catalog", name =>
                {
                    switch (name)
                    {
                        case "$comment":
                            tokens.String(nullable: true);
                            return true;
                        case "sources":
                            tokens.Next();
                            tokens.Object("sources", key =>
                            {
                                doc.Sources[key] = tokens.String();
                                return true;
                            });
                            return true;
                        case "products":
                            tokens.Array("products", () => doc.Products.Add(ProductDocument.Read(tokens)));
                            return true;
                        case "requirements":
                            tokens.Array("requirements", () => doc.Requirements.Add(RequirementDocument.Read(tokens)));
                            return true;
                        default:
                            return false;
                    }
                }, "sources", "products", "requirements");

                if (tokens.TryNext())
                {
                    throw tokens.Error("Additional text after the catalog document");
                }

                return doc;
            }
        }

        /// <summary>Walks the token stream: one value at a time, comments skipped, every error with its place.</summary>
        internal sealed class Tokens
        {
            private readonly JsonTextReader _reader;

            public Tokens(JsonTextReader reader)
            {
                _reader = reader;
            }

            public bool TryNext()
            {
                while (_reader.Read())
                {
                    if (_reader.TokenType != JsonToken.Comment)
                    {
                        return true;
                    }
                }

                return false;
            }

            public void Next()
            {
                if (!TryNext())
                {
                    throw Error("Unexpected end of the catalog document");
                }
            }

            /// <summary>Reads the members of the object at the current token; <paramref name="member"/> reads one value and says whether it knew the name.</summary>
            public void Object(string what, Func<string, bool> member, params string[] required)
            {
                if (_reader.TokenType != JsonToken.StartObject)
                {
                    throw Error("Expected an object for " + what + " but found " + Found());
                }

                var seen = new List<string>();
                while (true)
                {
                    Next();
                    if (_reader.TokenType == JsonToken.EndObject)
                    {
                        break;
                    }

                    var name = (string)_reader.Value;
                    if (!member(name))
                    {
                        throw Error("Unknown member '" + name + "' in " + what);
                    }

                    seen.Add(name);
                }

                foreach (var name in required)
                {
                    if (!seen.Contains(name))
                    {
                        throw Error("Required member '" + name + "' is missing from " + what);
                    }
                }
            }

            /// <summary>Reads the next value, an array, calling <paramref name="item"/> on each element's first token.</summary>
            public void Array(string what, Action item)
            {
                Next();
                if (_reader.TokenType != JsonToken.StartArray)
                {
                    throw Error("Expected an array for " + what + " but found " + Found());
                }

                while (true)
                {
                    Next();
                    if (_reader.TokenType == JsonToken.EndArray)
                    {
                        return;
                    }

                    item();
                }
            }

            /// <summary>Reads the next value, a string (or null where <paramref name="nullable"/>).</summary>
            public string String(bool nullable = false)
            {
                Next();
                return CurrentString(nullable);
            }

            /// <summary>The value at the current token, a string (or null where <paramref name="nullable"/>).</summary>
            public string CurrentString(bool nullable = false)
            {
                if (_reader.TokenType == JsonToken.String || (nullable && _reader.TokenType == JsonToken.Null))
                {
                    return (string)_reader.Value;
                }

                throw Error("Expected a string" + (nullable ? " or null" : string.Empty) + " but found " + Found());
            }

            public int Int32()
            {
                Next();
                if (_reader.TokenType == JsonToken.Integer && _reader.Value is long value && value >= int.MinValue && value <= int.MaxValue)
                {
                    return (int)value;
                }

                throw Error("Expected a whole number but found " + Found());
            }

            public bool Boolean()
            {
                Next();
                if (_reader.TokenType == JsonToken.Boolean)
                {
                    return (bool)_reader.Value;
                }

                throw Error("Expected true or false but found " + Found());
            }

            /// <summary>An enum value by name (any case), never by number. Not generic, so each enum costs no code of its own.</summary>
            public object Enum(Type type)
            {
                Next();
                var names = System.Enum.GetNames(type);
                if (_reader.TokenType == JsonToken.String)
                {
                    var text = (string)_reader.Value;
                    foreach (var name in names)
                    {
                        if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                        {
                            return System.Enum.Parse(type, name);
                        }
                    }
                }

                throw Error("Expected one of " + string.Join(", ", names) + " but found " + Found());
            }

            public JsonException Error(string message)
            {
                var line = (IJsonLineInfo)_reader;
                return new JsonException(message + ". Path '" + _reader.Path + "', line " + line.LineNumber + ", position " + line.LinePosition + ".");
            }

            private string Found()
            {
                switch (_reader.TokenType)
                {
                    case JsonToken.String:
                        return "'" + _reader.Value + "'";
                    case JsonToken.Integer:
                    case JsonToken.Float:
                    case JsonToken.Boolean:
                        return Convert.ToString(_reader.Value, System.Globalization.CultureInfo.InvariantCulture);
                    default:
                        return _reader.TokenType.ToString();
                }
            }
        }
    }

    internal sealed class ProductDocument
    {
        public Product Name { get; set; }

        public string DisplayName { get; set; }

        public string VersionMeaning { get; set; }

        public List<VersionDocument> Versions { get; } = new List<VersionDocument>();

        public List<string> Components { get; } = new List<string>();

        public static ProductDocument Read(CatalogDocument.Tokens tokens)
        {
            var p = new ProductDocument();
            tokens.Object("a product", name =>
            {
                switch (name)
                {
                    case "name":
                        p.Name = (Product)tokens.Enum(typeof(Product));
                        return true;
                    case "displayName":
                        p.DisplayName = tokens.String();
                        return true;
                    case "versionMeaning":
                        p.VersionMeaning = tokens.String();
                        return true;
                    case "versions":
                        tokens.Array("versions", () => p.Versions.Add(VersionDocument.Read(tokens)));
                        return true;
                    case "components":
                        tokens.Array("components", () => p.Components.Add(tokens.CurrentString()));
                        return true;
                    default:
                        return false;
                }
            }, "name", "displayName", "versionMeaning", "versions", "components");
            return p;
        }
    }

    internal sealed class VersionDocument
    {
        public string Label { get; set; }

        public string Minimum { get; set; }

        public string Maximum { get; set; }

        public static VersionDocument Read(CatalogDocument.Tokens tokens)
        {
            var v = new VersionDocument();
            tokens.Object("a version", name =>
            {
                switch (name)
                {
                    case "label":
                        v.Label = tokens.String();
                        return true;
                    case "minimum":
                        v.Minimum = tokens.String(nullable: true);
                        return true;
                    case "maximum":
                        v.Maximum = tokens.String(nullable: true);
                        return true;
                    default:
                        return false;
                }
            }, "label");
            return v;
        }
    }

    internal sealed class RequirementDocument
    {
        public Product Product { get; set; }

        public string Version { get; set; }

        public string Component { get; set; }

        public Direction Direction { get; set; }

        public Protocol Protocol { get; set; }

        public int Port { get; set; }

        public Topology Topology { get; set; } = Topology.Any;

        public PortNecessity Necessity { get; set; } = PortNecessity.Required;

        public bool Configurable { get; set; }

        public string Purpose { get; set; }

        public string Peer { get; set; }

        public string Condition { get; set; }

        public string Source { get; set; }

        public static RequirementDocument Read(CatalogDocument.Tokens tokens)
        {
            var r = new RequirementDocument();
            tokens.Object("a requirement", name =>
            {
                switch (name)
                {
                    case "product":
                        r.Product = (Product)tokens.Enum(typeof(Product));
                        return true;
                    case "version":
                        r.Version = tokens.String();
                        return true;
                    case "component":
                        r.Component = tokens.String();
                        return true;
                    case "direction":
                        r.Direction = (Direction)tokens.Enum(typeof(Direction));
                        return true;
                    case "protocol":
                        r.Protocol = (Protocol)tokens.Enum(typeof(Protocol));
                        return true;
                    case "port":
                        r.Port = tokens.Int32();
                        return true;
                    case "topology":
                        r.Topology = (Topology)tokens.Enum(typeof(Topology));
                        return true;
                    case "necessity":
                        r.Necessity = (PortNecessity)tokens.Enum(typeof(PortNecessity));
                        return true;
                    case "configurable":
                        r.Configurable = tokens.Boolean();
                        return true;
                    case "purpose":
                        r.Purpose = tokens.String();
                        return true;
                    case "peer":
                        r.Peer = tokens.String(nullable: true);
                        return true;
                    case "condition":
                        r.Condition = tokens.String(nullable: true);
                        return true;
                    case "source":
                        r.Source = tokens.String();
                        return true;
                    default:
                        return false;
                }
            }, "product", "version", "component", "direction", "protocol", "port", "purpose", "source");
            return r;
        }
    }
}
