using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EndpointAdmin.Simulators
{
    /// <summary>
    /// The LDAP-like host filter of HostGroup.FindHosts (RFC 2254 shape): (&amp;..), (|..), (!..),
    /// (ATTR op value) with = &lt;&gt; &lt; &gt; &lt;= &gt;=, (ATTR&amp;mask&lt;&gt;0), quoted strings with * and ?
    /// wildcards and \ escapes, integers and CURTIME(seconds). An unknown attribute or a syntax
    /// error is a FormatException, which the simulator answers with a PxgError.
    /// </summary>
    public sealed class KscFilter
    {
        private readonly string _text;
        private readonly DateTime _now;
        private int _pos;

        private KscFilter(string text, DateTime now)
        {
            _text = text;
            _now = now;
        }

        public static Func<KscHost, bool> Parse(string text, DateTime now)
        {
            var parser = new KscFilter(text ?? string.Empty, now);
            parser.Skip();
            var result = parser.Filter();
            parser.Skip();
            if (parser._pos != parser._text.Length)
            {
                throw new FormatException("unexpected text at " + parser._pos);
            }

            return result;
        }

        private void Skip()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        private void Expect(char c)
        {
            Skip();
            if (_pos >= _text.Length || _text[_pos] != c)
            {
                throw new FormatException("expected '" + c + "' at " + _pos);
            }

            _pos++;
        }

        private Func<KscHost, bool> Filter()
        {
            Expect('(');
            Skip();
            Func<KscHost, bool> result;
            var c = _pos < _text.Length ? _text[_pos] : '\0';
            if (c == '&' || c == '|')
            {
                _pos++;
                var all = c == '&';
                Func<KscHost, bool> acc = null;
                Skip();
                while (_pos < _text.Length && _text[_pos] == '(')
                {
                    var next = Filter();
                    var prev = acc;
                    acc = prev == null ? next : all ? h => prev(h) && next(h) : h => prev(h) || next(h);
                    Skip();
                }

                result = acc ?? throw new FormatException("empty " + c + " at " + _pos);
            }
            else if (c == '!')
            {
                _pos++;
                var inner = Filter();
                result = h => !inner(h);
            }
            else
            {
                result = Comparison();
            }

            Expect(')');
            return result;
        }

        private Func<KscHost, bool> Comparison()
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
            {
                _pos++;
            }

            var attribute = _text.Substring(start, _pos - start);
            Skip();
            long? mask = null;
            if (_pos < _text.Length && _text[_pos] == '&')
            {
                _pos++;
                mask = Integer();
                Skip();
            }

            var op = Operator();
            Skip();
            switch (attribute)
            {
                case "KLHST_WKS_HOSTNAME": return Text(h => h.HostName, op);
                case "KLHST_WKS_DN": return Text(h => h.DisplayName, op);
                case "KLHST_WKS_DNSNAME": return Text(h => h.DnsName, op);
                case "KLHST_WKS_DNSDOMAIN": return Text(h => h.DnsDomain, op);
                case "KLHST_WKS_IP_LONG": return Number(h => h.IpLong, op, mask);
                case "KLHST_WKS_GROUPID": return Number(h => h.GroupId, op, mask);
                case "KLHST_WKS_STATUS": return Number(h => h.Status, op, mask);
                case "KLHST_WKS_KEEP_CONNECTION": return Number(h => h.KeepConnection ? 1 : 0, op, mask);
                case "KLHST_WKS_LAST_VISIBLE": return Time(h => h.LastVisible, op);
                case "KLHST_WKS_LAST_INFOUDATE": return Time(h => h.LastInfoUpdate, op);
                case "KLHST_WKS_LAST_NAGENT_CONNECTED": return Time(h => h.LastNagentConnected, op);
                default: throw new FormatException("unknown attribute '" + attribute + "'");
            }
        }

        private string Operator()
        {
            foreach (var op in new[] { "<>", "<=", ">=", "=", "<", ">" })
            {
                if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
                {
                    _pos += op.Length;
                    return op;
                }
            }

            throw new FormatException("expected an operator at " + _pos);
        }

        private long Integer()
        {
            Skip();
            var start = _pos;
            if (_pos < _text.Length && _text[_pos] == '-')
            {
                _pos++;
            }

            while (_pos < _text.Length && char.IsDigit(_text[_pos]))
            {
                _pos++;
            }

            if (!long.TryParse(_text.Substring(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                throw new FormatException("expected a number at " + start);
            }

            return n;
        }

        /// <summary>A quoted value as a test: plain equality when it has no wildcard (a server looks such terms up in an index).</summary>
        private Func<string, bool> Quoted()
        {
            Expect('"');
            var literal = new StringBuilder();
            var wild = false;
            var sb = new StringBuilder("^");
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw new FormatException("unterminated string");
                }

                var c = _text[_pos++];
                if (c == '"')
                {
                    break;
                }

                if (c == '\\' && _pos < _text.Length)
                {
                    literal.Append(_text[_pos]);
                    sb.Append(Regex.Escape(_text[_pos++].ToString()));
                }
                else if (c == '*')
                {
                    wild = true;
                    sb.Append(".*");
                }
                else if (c == '?')
                {
                    wild = true;
                    sb.Append('.');
                }
                else
                {
                    literal.Append(c);
                    sb.Append(Regex.Escape(c.ToString()));
                }
            }

            if (!wild)
            {
                var text = literal.ToString();
                return v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase);
            }

            var regex = new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
            return regex.IsMatch;
        }

        private Func<KscHost, bool> Text(Func<KscHost, string> get, string op)
        {
            if (op != "=" && op != "<>")
            {
                throw new FormatException("operator " + op + " on a string");
            }

            var pattern = Quoted();
            var equal = op == "=";
            return h => pattern(get(h) ?? string.Empty) == equal;
        }

        private Func<KscHost, bool> Number(Func<KscHost, long> get, string op, long? mask)
        {
            var value = Integer();
            return h =>
            {
                var v = mask.HasValue ? get(h) & mask.Value : get(h);
                return Compare(v.CompareTo(value), op);
            };
        }

        private Func<KscHost, bool> Time(Func<KscHost, DateTime?> get, string op)
        {
            DateTime value;
            if (string.CompareOrdinal(_text, _pos, "CURTIME(", 0, 8) == 0)
            {
                _pos += 8;
                value = _now.AddSeconds(Integer());
                Expect(')');
            }
            else
            {
                var quoted = _pos;
                Expect('"');
                var end = _text.IndexOf('"', _pos);
                if (end < 0 || !DateTime.TryParse(_text.Substring(_pos, end - _pos), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
                {
                    throw new FormatException("expected a datetime at " + quoted);
                }

                _pos = end + 1;
            }

            return h => get(h) is DateTime t && Compare(t.CompareTo(value), op);
        }

        private static bool Compare(int order, string op)
        {
            switch (op)
            {
                case "=": return order == 0;
                case "<>": return order != 0;
                case "<": return order < 0;
                case ">": return order > 0;
                case "<=": return order <= 0;
                default: return order >= 0;
            }
        }
    }
}
