using System;
using System.Collections.Generic;

namespace Odeme
{
    /// <summary>
    /// Base class of every odeme error. The properties are the fields of the C ABI's error JSON;
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

        public OdemeException(IDictionary<string, object> f)
            : base(Str(f, "message") ?? "odeme error")
        {
            Kind = Str(f, "kind") ?? "internal";
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

        /// <summary>The exception of the error's kind.</summary>
        internal static OdemeException From(IDictionary<string, object> f)
        {
            object kind;
            f.TryGetValue("kind", out kind);
            switch (kind as string)
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
