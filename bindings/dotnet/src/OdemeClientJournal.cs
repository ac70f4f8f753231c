// Webhooks and the payment journal (issue 13): OdemeClient.VerifyWebhook, Pending, Reconcile
// over odeme_verify_webhook, odeme_client_pending and odeme_client_reconcile.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Odeme
{
    internal static class JournalNativeMethods
    {
        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_verify_webhook(ClientHandle client, byte[] provider, byte[] headersJson,
                                                        byte[] body, UIntPtr bodyLen, out IntPtr json, out IntPtr error);

        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_pending(ClientHandle client, out IntPtr json, out IntPtr error);

        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_reconcile(ClientHandle client, out IntPtr json, out IntPtr error);
    }

    public sealed partial class OdemeClient
    {
        /// <summary>
        /// Verify a webhook delivery ("iyzico": X-IYZ-SIGNATURE-V3; "paymes": the notification
        /// hash, form or JSON; "paytr": the callback hash, with "reply": "OK" in the outcome, the
        /// text to answer) over the raw body and the headers exactly as received (names
        /// case-insensitive). Returns the JSON response {"operation": "webhook.PROVIDER",
        /// "outcome": {"type": "notification", "provider", "event", "state", "payment_id",
        /// "order_id", "duplicate"}, ...}. A missing or bad signature throws SignatureException
        /// and records nothing.
        /// </summary>
        public string VerifyWebhook(string provider, IDictionary<string, string> headers, byte[] body)
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            byte[] bytes = body ?? new byte[0];
            IntPtr json, error;
            int status = JournalNativeMethods.odeme_verify_webhook(handle, Utf8.Z(provider, "provider"), Utf8.Z(HeadersJson(headers), "headers"),
                bytes.Length == 0 ? null : bytes, (UIntPtr)bytes.Length, out json, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(json);
        }

        /// <summary>
        /// The payment journal's unresolved rows (sending, outcome_unknown, needs_manual_check) as
        /// a JSON array. ConfigException when the client has no journal.
        /// </summary>
        public string Pending()
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            IntPtr json, error;
            int status = JournalNativeMethods.odeme_client_pending(handle, out json, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(json);
        }

        /// <summary>
        /// Ask each unresolved journal row's reconciliation (network I/O), record the answer and
        /// return the rows as they now are (JSON array; "resolved" set, or "needs_manual_check").
        /// </summary>
        public string Reconcile()
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            IntPtr json, error;
            int status = JournalNativeMethods.odeme_client_reconcile(handle, out json, out error);
            if (status != 0) throw Raise(status, error);
            return Utf8.Take(json);
        }

        private static string HeadersJson(IDictionary<string, string> headers)
        {
            var sb = new StringBuilder("{");
            if (headers != null)
            {
                bool first = true;
                foreach (KeyValuePair<string, string> h in headers)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Quote(sb, h.Key);
                    sb.Append(':');
                    Quote(sb, h.Value ?? "");
                }
            }
            return sb.Append('}').ToString();
        }

        private static void Quote(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char ch in s)
            {
                switch (ch)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    default:
                        if (ch < 0x20) sb.Append("\\u").Append(((int)ch).ToString("x4"));
                        else sb.Append(ch);
                        break;
                }
            }
            sb.Append('"');
        }
    }
}
