using System;
using System.Collections.Generic;

namespace Odeme
{
    /// <summary>
    /// An odeme client over libodeme: configuration plus one connection pool. Thread-safe: share
    /// one instance. Requests and responses are JSON text with the providers' own field names;
    /// failures throw a subclass of <see cref="OdemeException"/>.
    /// </summary>
    public sealed partial class OdemeClient : IDisposable
    {
        /// <summary>The C ABI major version this binding speaks.</summary>
        public const uint AbiMajor = 1;
        /// <summary>The newest function this binding calls (odeme_client_set_log) arrived in ABI 1.12.</summary>
        public const uint AbiMinor = 12;

        /// <summary>ODEME_RENDER_NUMBERS_AS_STRINGS and ODEME_RENDER_RAW_AS_TEXT (include/odeme.h).</summary>
        private const uint RenderNumbersAsStrings = 1, RenderRawAsText = 2;

        private readonly ClientHandle handle;

        static OdemeClient()
        {
            uint abi = NativeMethods.odeme_abi_version();
            if ((abi >> 16) != AbiMajor || (abi & 0xffff) < AbiMinor)
            {
                throw new NotSupportedException(string.Format(
                    "libodeme has ABI {0}.{1}; this binding needs {2}.{3} or a later {2}.x",
                    abi >> 16, abi & 0xffff, AbiMajor, AbiMinor));
            }
        }

        /// <summary>The native library's version, e.g. "0.1.0".</summary>
        public static string Version { get { return Utf8.Read(NativeMethods.odeme_version()); } }

        /// <summary>Build a client from the JSON configuration (see the README).</summary>
        public OdemeClient(string configJson)
        {
            IntPtr error;
            int status = NativeMethods.odeme_client_new(Utf8.Z(configJson, "configJson"), out handle, out error);
            if (status != 0) throw Raise(status, error);
            // Every JSON answer of this client (Call, VerifyWebhook) carries non-integer numbers
            // as strings of their exact digits: no amount ever passes through a double.
            status = NativeMethods.odeme_client_set_render(handle, RenderNumbersAsStrings, out error);
            if (status != 0) { handle.Dispose(); throw Raise(status, error); }
        }

        /// <summary>
        /// Run an operation ("iyzico.create_payment", ...) and return the JSON response text
        /// (non-integer numbers as strings of their exact digits, "raw" as a JSON object).
        /// </summary>
        public string Call(string operation, string requestJson)
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            IntPtr response, error;
            int status = NativeMethods.odeme_call(handle, Utf8.Z(operation, "operation"), Utf8.Z(requestJson, "requestJson"), out response, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(response);
        }

        /// <summary>
        /// Run an operation and return its typed response (<see cref="OdemeResponse"/>: the outcome
        /// as a typed class, amounts as exact strings, the provider's reply as RawJson). The
        /// per-operation methods (Operations.g.cs) call this.
        /// </summary>
        public OdemeResponse CallTyped(string operation, string requestJson)
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            IntPtr response, error;
            int status = NativeMethods.odeme_call_ex(handle, Utf8.Z(operation, "operation"), Utf8.Z(requestJson, "requestJson"),
                RenderNumbersAsStrings | RenderRawAsText, out response, out error);
            if (status != 0) throw Raise(status, error);
            return new OdemeResponse(Utf8.Take(response));
        }

        /// <summary>
        /// The operations libodeme declares (odeme_operations). Every "provider.verb" has a method
        /// named ProviderVerb (PascalCase, e.g. IyzicoPaymentDetails), generated from the registry
        /// into Operations.g.cs, answering an <see cref="OdemeResponse"/>.
        /// </summary>
        public static IReadOnlyList<OperationInfo> Operations()
        {
            return Wire.Read<List<OperationInfo>>(Utf8.Take(NativeMethods.odeme_operations())).AsReadOnly();
        }

        /// <summary>Paymes: base64(sha512(parts... + secretKey)).</summary>
        public static string PaymesHash(string[] parts, string secretKey)
        {
            IntPtr[] ptrs = Utf8.AllocAll(parts, "parts");
            try
            {
                IntPtr output, error;
                int status = NativeMethods.odeme_paymes_hash(ptrs, (UIntPtr)parts.Length, Utf8.Z(secretKey, "secretKey"), out output, out error);
                if (status != 0) throw Raise(status, error);
                return Utf8.Take(output);
            }
            finally { Utf8.FreeAll(ptrs); }
        }

        /// <summary>iyzico IYZWSv2 Authorization value over randomKey + uriPath + body (exact bytes).</summary>
        public static string IyzicoAuthHeader(string apiKey, string secretKey, string randomKey, string uriPath, byte[] body)
        {
            byte[] bytes = body ?? new byte[0];
            IntPtr output, error;
            int status = NativeMethods.odeme_iyzico_auth_header(Utf8.Z(apiKey, "apiKey"), Utf8.Z(secretKey, "secretKey"),
                Utf8.Z(randomKey, "randomKey"), Utf8.Z(uriPath, "uriPath"), bytes.Length == 0 ? null : bytes, (UIntPtr)bytes.Length, out output, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(output);
        }

        /// <summary>iyzico response signature: hex HMAC-SHA256 of the fields joined by ':'.</summary>
        public static string IyzicoSignature(string secretKey, string[] fields)
        {
            IntPtr[] ptrs = Utf8.AllocAll(fields, "fields");
            try
            {
                IntPtr output, error;
                int status = NativeMethods.odeme_iyzico_signature(Utf8.Z(secretKey, "secretKey"), ptrs, (UIntPtr)fields.Length, out output, out error);
                if (status != 0) throw Raise(status, error);
                return Utf8.Take(output);
            }
            finally { Utf8.FreeAll(ptrs); }
        }

        /// <summary>Free the native client. Calls after this throw ObjectDisposedException.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        /// <summary>
        /// The exception for a failed call, freeing the native error. Every field comes from the
        /// error's accessors (no JSON is read). A NULL error still gives the class of the returned
        /// status.
        /// </summary>
        internal static OdemeException Raise(int status, IntPtr error)
        {
            var f = new Dictionary<string, object>();
            if (error == IntPtr.Zero)
            {
                f["status"] = status;
                f["message"] = "odeme call failed (no error details)";
                return OdemeException.From(f);
            }
            try
            {
                f["status"] = NativeMethods.odeme_error_status(error);
                f["kind"] = Utf8.Read(NativeMethods.odeme_error_kind(error));
                f["message"] = Utf8.Read(NativeMethods.odeme_error_message(error));
                f["field"] = Utf8.Read(NativeMethods.odeme_error_field(error));
                f["provider_code"] = Utf8.Read(NativeMethods.odeme_error_provider_code(error));
                f["provider_message"] = Utf8.Read(NativeMethods.odeme_error_provider_message(error));
                ushort http = NativeMethods.odeme_error_http_status(error);
                f["http_status"] = http == 0 ? null : (object)(int)http;
                f["retry_safe"] = NativeMethods.odeme_error_retry_safe(error) != 0;
                f["operation"] = Utf8.Read(NativeMethods.odeme_error_operation(error));
                f["provider"] = Utf8.Read(NativeMethods.odeme_error_provider(error));
                f["reconcile_with"] = Utf8.Read(NativeMethods.odeme_error_reconcile_with(error));
                f["reconcile_request"] = Utf8.Take(NativeMethods.odeme_error_reconcile_request(error));
            }
            finally { NativeMethods.odeme_error_free(error); }
            return OdemeException.From(f);
        }
    }
}
