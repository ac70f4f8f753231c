using System;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace Odeme
{
    /// <summary>
    /// One operation's response: the operation, its typed outcome, the provider's reference and
    /// the provider's reply as it came (JSON text). Amounts are strings of the exact digits, never
    /// a double. Converts implicitly to its JSON text (<see cref="Json"/>), so code written when the
    /// per-operation methods returned a string keeps compiling.
    /// </summary>
    public sealed class OdemeResponse
    {
        internal OdemeResponse(string json)
        {
            ResponseWire w = Wire.Read<ResponseWire>(json);
            Operation = w.operation ?? throw Wire.Missing("operation");
            Outcome = OdemeOutcome.From(w.outcome);
            ProviderReference = w.provider_reference;
            RawJson = w.raw ?? throw Wire.Missing("raw");
            Json = json;
        }

        /// <summary>"iyzico.create_payment", ...</summary>
        public string Operation { get; private set; }
        /// <summary>The outcome: a <see cref="CompletedOutcome"/>, a <see cref="StatusOutcome"/>, ... by its type.</summary>
        public OdemeOutcome Outcome { get; private set; }
        /// <summary>The provider's id of the payment or order, or null.</summary>
        public string ProviderReference { get; private set; }
        /// <summary>The provider's reply exactly as it came: its keys, its order, its digits (JSON text).</summary>
        public string RawJson { get; private set; }
        /// <summary>The whole response as JSON text ("raw" as a string holding RawJson; every non-integer number a string).</summary>
        public string Json { get; private set; }

        public static implicit operator string(OdemeResponse r) { return r == null ? null : r.Json; }

        public override string ToString() { return Json; }
    }

    /// <summary>The base of every typed outcome; <see cref="Type"/> is its JSON "type".</summary>
    public abstract partial class OdemeOutcome
    {
        protected OdemeOutcome(string type) { Type = type; }

        /// <summary>"completed", "status", "redirect", ... (the outcome's JSON "type").</summary>
        public string Type { get; private set; }
    }

    /// <summary>
    /// An outcome type newer than this binding (the library may answer types a later odeme
    /// added): read <see cref="OdemeResponse.Json"/> for its fields.
    /// </summary>
    public sealed class UnknownOutcome : OdemeOutcome
    {
        internal UnknownOutcome(string type) : base(type) { }
    }

    [DataContract]
    internal sealed class ResponseWire
    {
        [DataMember(Name = "operation")] internal string operation;
        [DataMember(Name = "outcome")] internal OutcomeWire outcome;
        [DataMember(Name = "provider_reference")] internal string provider_reference;
        [DataMember(Name = "raw")] internal string raw;
    }

    /// <summary>Reading libodeme's JSON answers into the generated classes (Outcomes.g.cs).</summary>
    internal static class Wire
    {
        /// <summary>
        /// The JSON text read into T by the framework's serializer. Any failure is an
        /// InternalException (libodeme wrote something this binding cannot read: a bug), never a
        /// partial answer.
        /// </summary>
        internal static T Read<T>(string json) where T : class
        {
            try
            {
                using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
                {
                    T value = Serializer<T>.Instance.ReadObject(ms) as T;
                    if (value == null) throw new SerializationException("not a JSON object");
                    return value;
                }
            }
            catch (Exception e) when (!(e is OdemeException))
            {
                throw Internal("could not read libodeme's answer (" + e.GetType().Name + ": " + e.Message + ")");
            }
        }

        /// <summary>One serializer per type, built once (thread-safe for reading).</summary>
        private static class Serializer<T>
        {
            internal static readonly DataContractJsonSerializer Instance = new DataContractJsonSerializer(typeof(T));
        }

        /// <summary>A required field was absent from libodeme's answer.</summary>
        internal static OdemeException Missing(string field)
        {
            return Internal("libodeme's answer has no " + field);
        }

        private static OdemeException Internal(string message)
        {
            var f = new System.Collections.Generic.Dictionary<string, object>();
            f["status"] = 99;
            f["kind"] = "internal";
            f["message"] = message;
            return OdemeException.From(f);
        }
    }
}
