// One log event of a call (README, "Logs"), as OdemeClient.Log delivers it.
using System;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace Odeme
{
    /// <summary>
    /// One event of a call: <c>call.start</c>, <c>call.attempt</c> (one per HTTP attempt),
    /// <c>call.end</c>, and with a journal <c>journal.intent</c> / <c>journal.outcome</c>.
    /// Absent fields are null. <see cref="RequestBody"/> and <see cref="ResponseBody"/> are set at
    /// level "debug" only, redacted (card numbers as first 6 + last 4; CVC, keys, tokens, hashes
    /// and signatures removed).
    /// </summary>
    [DataContract]
    public sealed class OdemeLogEvent : EventArgs
    {
        [DataMember(Name = "ts")] private string ts;
        [DataMember(Name = "level")] private string level;
        [DataMember(Name = "event")] private string @event;
        [DataMember(Name = "operation")] private string operation;
        [DataMember(Name = "provider")] private string provider;
        [DataMember(Name = "method")] private string method;
        [DataMember(Name = "path")] private string path;
        [DataMember(Name = "attempt")] private int? attempt;
        [DataMember(Name = "http_status")] private int? httpStatus;
        [DataMember(Name = "duration_ms")] private double? durationMs;
        [DataMember(Name = "outcome")] private string outcome;
        [DataMember(Name = "error_kind")] private string errorKind;
        [DataMember(Name = "reference")] private string reference;
        [DataMember(Name = "provider_reference")] private string providerReference;
        [DataMember(Name = "request_body")] private string requestBody;
        [DataMember(Name = "response_body")] private string responseBody;
        private string json;

        private OdemeLogEvent() { }

        /// <summary>RFC 3339 UTC time, milliseconds.</summary>
        public string Ts { get { return ts; } }
        /// <summary>"error", "warn", "info" or "debug".</summary>
        public string Level { get { return level; } }
        /// <summary>"call.start", "call.attempt", "call.end", "journal.intent", "journal.outcome".</summary>
        public string Event { get { return @event; } }
        public string Operation { get { return operation; } }
        public string Provider { get { return provider; } }
        /// <summary>"GET" or "POST" (attempts).</summary>
        public string Method { get { return method; } }
        /// <summary>The URL path, without the query (attempts).</summary>
        public string Path { get { return path; } }
        /// <summary>1 for the first attempt.</summary>
        public int? Attempt { get { return attempt; } }
        public int? HttpStatus { get { return httpStatus; } }
        /// <summary>Of the attempt, or of the whole call (call.end).</summary>
        public double? DurationMs { get { return durationMs; } }
        /// <summary>The outcome's type ("completed", "status", ...) after a success.</summary>
        public string Outcome { get { return outcome; } }
        /// <summary>The error's kind ("declined", "transport", ...) after a failure.</summary>
        public string ErrorKind { get { return errorKind; } }
        /// <summary>The merchant's reference.</summary>
        public string Reference { get { return reference; } }
        public string ProviderReference { get { return providerReference; } }
        public string RequestBody { get { return requestBody; } }
        public string ResponseBody { get { return responseBody; } }
        /// <summary>The event as libodeme wrote it (one line of JSON).</summary>
        public string Json { get { return json; } }

        internal static OdemeLogEvent Parse(string text)
        {
            var serializer = new DataContractJsonSerializer(typeof(OdemeLogEvent));
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(text)))
            {
                var e = (OdemeLogEvent)serializer.ReadObject(ms);
                e.json = text;
                return e;
            }
        }
    }
}
