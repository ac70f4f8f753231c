using System.IO;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace Odeme
{
    /// <summary>
    /// JSON through the framework's own reader and writer (System.Runtime.Serialization.Json, in
    /// Mono and netstandard2.0): a JSON value becomes the XML infoset of JsonReaderWriterFactory
    /// (element "root", a "type" attribute per value) and back, so nested objects round-trip
    /// without a hand-written parser.
    /// </summary>
    internal static class Json
    {
        /// <summary>The JSON text as the element "root".</summary>
        internal static XmlElement Parse(string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            using (XmlDictionaryReader reader = JsonReaderWriterFactory.CreateJsonReader(bytes, XmlDictionaryReaderQuotas.Max))
            {
                var doc = new XmlDocument();
                doc.Load(reader);
                return doc.DocumentElement;
            }
        }

        /// <summary>The member of an object element, or null when absent.</summary>
        internal static XmlElement Member(XmlElement obj, string name)
        {
            foreach (XmlNode node in obj.ChildNodes)
            {
                var e = node as XmlElement;
                if (e == null) continue;
                // Keys that are not XML names are stored as <item item="key">.
                if (e.LocalName == name || (e.LocalName == "item" && e.GetAttribute("item") == name)) return e;
            }
            return null;
        }

        /// <summary>The member's text if it is a JSON string, else null.</summary>
        internal static string String(XmlElement obj, string name)
        {
            XmlElement e = Member(obj, name);
            return e != null && e.GetAttribute("type") == "string" ? e.InnerText : null;
        }

        /// <summary>The member as JSON text if it is an object, else null.</summary>
        internal static string Object(XmlElement obj, string name)
        {
            XmlElement e = Member(obj, name);
            if (e == null || e.GetAttribute("type") != "object") return null;
            using (var ms = new MemoryStream())
            {
                using (XmlDictionaryWriter w = JsonReaderWriterFactory.CreateJsonWriter(ms, new UTF8Encoding(false), false))
                {
                    w.WriteStartElement("root");
                    w.WriteAttributeString("type", "object");
                    foreach (XmlNode child in e.ChildNodes) child.WriteTo(w);
                    w.WriteEndElement();
                    w.Flush();
                }
                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
    }
}
