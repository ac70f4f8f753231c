using System;
using System.Collections.Generic;

namespace Odeme
{
    /// <summary>
    /// Base class of every odeme error. The properties are the fields of the C ABI's error (read
    /// with its accessors, and odeme_error_json for the operation, provider and reconciliation);
    /// none of them ever contains card data or secrets.
    /// </summary>
    public class OdemeException : Exception
    {
        public string Kind { get; private set; }
        public int Status { get; private set; }
        public string Operation { get; private set; }
        public string Provider { get; private set; }
        public string ProviderCode { get; private set; }
        public string ProviderMessage { get; private set; }
        public int? HttpStatus { get; private set; }
        public string Field { get; private set; }
        public bool RetrySafe { get; private set; }
        /// <summary>
        /// After an outcome_unknown: the operation to call before anything else (e.g.
        /// "iyzico.payment_details"), or null when the operation declares no reconciliation.
        /// </summary>
        public string ReconcileWith { get; private set; }
        /// <summary>The exact request (a JSON object) to pass to ReconcileWith, or null.</summary>
        public string ReconcileRequestJson { get; private set; }

        public OdemeException(IDictionary<string, object> f)
            : base(Str(f, "message") ?? "odeme error")
        {
            Kind = Str(f, "kind") ?? KindOf(Num(f, "status"));
            Status = (int)(Num(f, "status") ?? 99);
            Operation = Str(f, "operation");
            Provider = Str(f, "provider");
            ProviderCode = Str(f, "provider_code");
            ProviderMessage = Str(f, "provider_message");
            long? http = Num(f, "http_status");
            HttpStatus = http.HasValue ? (int?)http.Value : null;
            Field = Str(f, "field");
            object retry;
            RetrySafe = f.TryGetValue("retry_safe", out retry) && retry is bool && (bool)retry;
            ReconcileWith = Str(f, "reconcile_with");
            ReconcileRequestJson = Str(f, "reconcile_request");
        }

        public override string ToString()
        {
            string where = Operation != null ? " in " + Operation : "";
            return GetType().Name + " [" + Kind + where + "]: " + Message;
        }

        private static string Str(IDictionary<string, object> f, string k)
        {
            object v;
            return f.TryGetValue(k, out v) && v != null ? v.ToString() : null;
        }

        private static long? Num(IDictionary<string, object> f, string k)
        {
            object v;
            long n;
            if (f.TryGetValue(k, out v) && v != null && long.TryParse(v.ToString(), out n)) return n;
            return null;
        }

        /// <summary>
        /// The exception of the error's kind; without a kind, that of its status (so a failure
        /// without error details still has the class of the returned status).
        /// </summary>
        internal static OdemeException From(IDictionary<string, object> f)
        {
            string kind = Str(f, "kind") ?? KindOf(Num(f, "status"));
            switch (kind)
            {
                case "invalid_argument": return new InvalidArgumentException(f);
                case "invalid_request": return new InvalidRequestException(f);
                case "config": return new ConfigException(f);
                case "transport": return new TransportException(f);
                case "outcome_unknown": return new OutcomeUnknownException(f);
                case "auth": return new AuthException(f);
                case "declined": return new DeclinedException(f);
                case "provider": return new ProviderException(f);
                case "signature": return new SignatureException(f);
                case "decode": return new DecodeException(f);
                default: return new InternalException(f);
            }
        }

        /// <summary>The kind of an OdemeStatus number (the numbers are fixed by the C ABI).</summary>
        private static string KindOf(long? status)
        {
            switch (status ?? 99)
            {
                case 1: return "invalid_argument";
                case 2: return "invalid_request";
                case 3: return "config";
                case 10: return "transport";
                case 11: return "outcome_unknown";
                case 20: return "auth";
                case 21: return "declined";
                case 22: return "provider";
                case 23: return "signature";
                case 30: return "decode";
                default: return "internal";
            }
        }
    }

    /// <summary>The call itself is wrong: NULL, not JSON, unknown operation.</summary>
    public class InvalidArgumentException : OdemeException { public InvalidArgumentException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>The request failed validation before any I/O; Field names the culprit.</summary>
    public class InvalidRequestException : OdemeException { public InvalidRequestException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>Bad or missing configuration.</summary>
    public class ConfigException : OdemeException { public ConfigException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>The request provably never reached the provider. Safe to retry.</summary>
    public class TransportException : OdemeException { public TransportException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>The payment may have gone through: never resend, query the provider first.</summary>
    public class OutcomeUnknownException : OdemeException { public OutcomeUnknownException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>The provider rejected the credentials or the signature.</summary>
    public class AuthException : OdemeException { public AuthException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>The payment was refused (card declined, insufficient funds, fraud).</summary>
    public class DeclinedException : OdemeException { public DeclinedException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>Any other provider-reported error; see ProviderCode.</summary>
    public class ProviderException : OdemeException { public ProviderException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>A provider reply or notification failed signature verification.</summary>
    public class SignatureException : OdemeException { public SignatureException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>A reply to a read-only call could not be understood. Safe to retry.</summary>
    public class DecodeException : OdemeException { public DecodeException(IDictionary<string, object> f) : base(f) { } }
    /// <summary>A bug in odeme.</summary>
    public class InternalException : OdemeException { public InternalException(IDictionary<string, object> f) : base(f) { } }
}
