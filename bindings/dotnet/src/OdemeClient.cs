using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization.Json;
using System.Text;

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
        /// <summary>The functions this binding calls arrived in ABI 1.2 (odeme_client_set_log).</summary>
        public const uint AbiMinor = 2;

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
        }

        /// <summary>Run an operation ("iyzico.create_payment", ...) and return the JSON response.</summary>
        public string Call(string operation, string requestJson)
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            IntPtr response, error;
            int status = NativeMethods.odeme_call(handle, Utf8.Z(operation, "operation"), Utf8.Z(requestJson, "requestJson"), out response, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(response);
        }

        public string IyzicoCreatePayment(string json) { return Call("iyzico.create_payment", json); }
        public string IyzicoRetrievePayment(string json) { return Call("iyzico.retrieve_payment", json); }
        /// <summary>
        /// iyzico reporting API: {"paymentConversationId": ...} or {"paymentId": ...}; answers a
        /// "status" outcome.
        /// </summary>
        public string IyzicoPaymentDetails(string json) { return Call("iyzico.payment_details", json); }
        public string PaymesCreateOrder(string json) { return Call("paymes.create_order", json); }
        public string PaymesCreateKioskOrder(string json) { return Call("paymes.create_kiosk_order", json); }
        public string PaymesCreateOrderLegacy(string json) { return Call("paymes.create_order_legacy", json); }
        public string PaymesQueryOrder(string json) { return Call("paymes.query_order", json); }
        public string PaymesVerifyNotification(string json) { return Call("paymes.verify_notification", json); }
        public string PaymagoCreateOrder(string json) { return Call("paymago.create_order", json); }
        public string PaymagoOrderResult(string json) { return Call("paymago.order_result", json); }
        public string EsnekposSendPaymentRequest(string json) { return Call("esnekpos.send_payment_request", json); }
        public string EsnekposQueryPaymentRequest(string json) { return Call("esnekpos.query_payment_request", json); }
        /// <summary>Refunds and cancels: a <c>refund</c> outcome {state, amount, currency, payment_id, refund_id?}.
        /// An optional <c>refundable</c> (what remains) or, for iyzico, <c>details</c> (an iyzico.payment_details
        /// response) makes odeme refuse an over-refund before sending.</summary>
        public string IyzicoCancelPayment(string json) { return Call("iyzico.cancel_payment", json); }
        public string IyzicoRefundPayment(string json) { return Call("iyzico.refund_payment", json); }
        public string PaymesCancelOrder(string json) { return Call("paymes.cancel_order", json); }
        public string EsnekposReturnOrder(string json) { return Call("esnekpos.return_order", json); }

        // 3-D Secure, the checkout form, lookups and EsnekPOS 3-D (issue 11).
        /// <summary>create_payment's request plus "callbackUrl": an "html" outcome with the payment_id.</summary>
        public string IyzicoInit3ds(string json) { return Call("iyzico.init_3ds", json); }
        /// <summary>
        /// Check the form iyzico posted to callbackUrl (as a JSON object of its fields): no I/O,
        /// constant time; "authenticated" or "failed", or a SignatureException.
        /// </summary>
        public string IyzicoVerify3dsCallback(string json) { return Call("iyzico.verify_3ds_callback", json); }
        /// <summary>The money moves; after OutcomeUnknownException use ReconcileWith/ReconcileRequest.</summary>
        public string IyzicoComplete3ds(string json) { return Call("iyzico.complete_3ds", json); }
        public string IyzicoInitCheckoutForm(string json) { return Call("iyzico.init_checkout_form", json); }
        public string IyzicoRetrieveCheckoutForm(string json) { return Call("iyzico.retrieve_checkout_form", json); }
        public string IyzicoBinCheck(string json) { return Call("iyzico.bin_check", json); }
        public string IyzicoInstallments(string json) { return Call("iyzico.installments", json); }
        /// <summary>EYV3DPay: "redirect" to URL_3DS; order_id is the ORDER_REF_NUMBER (generated when absent).</summary>
        public string EsnekposPay3d(string json) { return Call("esnekpos.pay_3d", json); }
        public string EsnekposProcessQuery(string json) { return Call("esnekpos.process_query", json); }

        /// <summary>
        /// The operations libodeme declares (odeme_operations). Every "provider.verb" has a method
        /// here named ProviderVerb (PascalCase), e.g. IyzicoPaymentDetails.
        /// </summary>
        public static IReadOnlyList<OperationInfo> Operations()
        {
            string json = Utf8.Take(NativeMethods.odeme_operations());
            var serializer = new DataContractJsonSerializer(typeof(List<OperationInfo>));
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
            {
                return ((List<OperationInfo>)serializer.ReadObject(ms)).AsReadOnly();
            }
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
        /// The exception for a failed call, freeing the native error. Scalar fields come from the
        /// error accessors; operation, provider and the reconciliation from odeme_error_json. A
        /// NULL error still gives the class of the returned status.
        /// </summary>
        private static OdemeException Raise(int status, IntPtr error)
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
                string json = Utf8.Take(NativeMethods.odeme_error_json(error));
                // The framework's JSON reader goes through XML, which refuses some control
                // characters a caller's operation name may hold: the scalar fields above stand.
                System.Xml.XmlElement root = null;
                if (json != null)
                {
                    try { root = Json.Parse(json); }
                    catch (Exception) { root = null; }
                }
                if (root != null)
                {
                    f["operation"] = Json.String(root, "operation");
                    f["provider"] = Json.String(root, "provider");
                    f["reconcile_with"] = Json.String(root, "reconcile_with");
                    f["reconcile_request"] = Json.Object(root, "reconcile_request");
                }
            }
            finally { NativeMethods.odeme_error_free(error); }
            return OdemeException.From(f);
        }
    }
}
