// One log event of a call (README, "Logs"), as OdemeClient.Log delivers it.
using System;
using System.Globalization;
using System.Xml;

namespace Odeme
{
    /// <summary>
    /// One event of a call: <c>call.start</c>, <c>call.attempt</c> (one per HTTP attempt),
    /// <c>call.end</c>, and with a journal <c>journal.intent</c> / <c>journal.outcome</c>.
    /// Absent fields are null. <see cref="RequestBody"/> and <see cref="ResponseBody"/> are set at
    /// level "debug" only, redacted (card numbers as first 6 + last 4; CVC, keys, tokens, hashes
    /// and signatures removed).
    /// </summary>
    public sealed class OdemeLogEvent : EventArgs
    {
        /// <summary>RFC 3339 UTC time, milliseconds.</summary>
        public string Ts { get; private set; }
        /// <summary>"error", "warn", "info" or "debug".</summary>
        public string Level { get; private set; }
        /// <summary>"call.start", "call.attempt", "call.end", "journal.intent", "journal.outcome".</summary>
        public string Event { get; private set; }
        public string Operation { get; private set; }
        public string Provider { get; private set; }
        /// <summary>"GET" or "POST" (attempts).</summary>
        public string Method { get; private set; }
        /// <summary>The URL path, without the query (attempts).</summary>
        public string Path { get; private set; }
        /// <summary>1 for the first attempt.</summary>
        public int? Attempt { get; private set; }
        public int? HttpStatus { get; private set; }
        /// <summary>Of the attempt, or of the whole call (call.end).</summary>
        public double? DurationMs { get; private set; }
        /// <summary>The outcome's type ("completed", "status", ...) after a success.</summary>
        public string Outcome { get; private set; }
        /// <summary>The error's kind ("declined", "transport", ...) after a failure.</summary>
        public string ErrorKind { get; private set; }
        /// <summary>The merchant's reference.</summary>
        public string Reference { get; private set; }
        public string ProviderReference { get; private set; }
        public string RequestBody { get; private set; }
        public string ResponseBody { get; private set; }
        /// <summary>The event as libodeme wrote it (one line of JSON).</summary>
        public string Json { get; private set; }

        internal static OdemeLogEvent Parse(string json)
        {
            XmlElement root = Odeme.Json.Parse(json);
            return new OdemeLogEvent
            {
                Json = json,
                Ts = Odeme.Json.String(root, "ts"),
                Level = Odeme.Json.String(root, "level"),
                Event = Odeme.Json.String(root, "event"),
                Operation = Odeme.Json.String(root, "operation"),
                Provider = Odeme.Json.String(root, "provider"),
                Method = Odeme.Json.String(root, "method"),
                Path = Odeme.Json.String(root, "path"),
                Attempt = Int(root, "attempt"),
                HttpStatus = Int(root, "http_status"),
                DurationMs = Number(root, "duration_ms"),
                Outcome = Odeme.Json.String(root, "outcome"),
                ErrorKind = Odeme.Json.String(root, "error_kind"),
                Reference = Odeme.Json.String(root, "reference"),
                ProviderReference = Odeme.Json.String(root, "provider_reference"),
                RequestBody = Odeme.Json.String(root, "request_body"),
                ResponseBody = Odeme.Json.String(root, "response_body"),
            };
        }

        private static double? Number(XmlElement root, string name)
        {
            XmlElement e = Odeme.Json.Member(root, name);
            if (e == null || e.GetAttribute("type") != "number") return null;
            return double.Parse(e.InnerText, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private static int? Int(XmlElement root, string name)
        {
            double? d = Number(root, name);
            return d.HasValue ? (int?)(int)d.Value : null;
        }
    }
}
