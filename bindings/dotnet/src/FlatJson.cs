using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Odeme
{
    /// <summary>
    /// Reads the top level of a JSON object (strings, numbers as their text, booleans, null;
    /// nested values as their raw JSON text). Enough for odeme's error objects without a JSON
    /// dependency on Mono or netstandard2.0.
    /// </summary>
    internal static class FlatJson
    {
        internal static Dictionary<string, object> Parse(string json)
        {
            var result = new Dictionary<string, object>();
            int i = 0;
            Ws(json, ref i);
            Expect(json, ref i, '{');
            Ws(json, ref i);
            if (Peek(json, i) == '}') return result;
            while (true)
            {
                Ws(json, ref i);
                string key = ReadString(json, ref i);
                Ws(json, ref i);
                Expect(json, ref i, ':');
                Ws(json, ref i);
                result[key] = ReadValue(json, ref i);
                Ws(json, ref i);
                char c = Peek(json, i++);
                if (c == '}') return result;
                if (c != ',') throw new FormatException("bad JSON object");
            }
        }

        private static char Peek(string s, int i) { return i < s.Length ? s[i] : '\0'; }

        private static void Ws(string s, ref int i) { while (i < s.Length && char.IsWhiteSpace(s[i])) i++; }

        private static void Expect(string s, ref int i, char c)
        {
            if (Peek(s, i) != c) throw new FormatException("expected '" + c + "'");
            i++;
        }

        private static object ReadValue(string s, ref int i)
        {
            char c = Peek(s, i);
            if (c == '"') return ReadString(s, ref i);
            if (c == '{' || c == '[') return ReadRaw(s, ref i);
            int start = i;
            while (i < s.Length && ",}] \t\r\n".IndexOf(s[i]) < 0) i++;
            string word = s.Substring(start, i - start);
            if (word == "true") return true;
            if (word == "false") return false;
            if (word == "null") return null;
            return word; // a number, as its exact text
        }

        private static string ReadRaw(string s, ref int i)
        {
            int start = i, depth = 0;
            do
            {
                char c = s[i];
                if (c == '"') { ReadString(s, ref i); continue; }
                if (c == '{' || c == '[') depth++;
                if (c == '}' || c == ']') depth--;
                i++;
            } while (depth > 0 && i < s.Length);
            return s.Substring(start, i - start);
        }

        private static string ReadString(string s, ref int i)
        {
            Expect(s, ref i, '"');
            var sb = new StringBuilder();
            while (true)
            {
                if (i >= s.Length) throw new FormatException("unterminated string");
                char c = s[i++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                char e = s[i++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u':
                        sb.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: sb.Append(e); break;
                }
            }
        }
    }
}
