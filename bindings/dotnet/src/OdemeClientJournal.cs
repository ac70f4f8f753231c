// Webhooks and the payment journal (issue 13): OdemeClient.VerifyWebhook, Pending, Reconcile
// over odeme_verify_webhook_headers (the headers as name/value pairs), odeme_client_pending and
// odeme_client_reconcile.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Odeme
{
    internal static class JournalNativeMethods
    {
        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_verify_webhook_headers(ClientHandle client, byte[] provider, OdemeHeader[] headers, UIntPtr nHeaders,
                                                                byte[] body, UIntPtr bodyLen, out IntPtr json, out IntPtr error);

        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_pending(ClientHandle client, out IntPtr json, out IntPtr error);

        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_reconcile(ClientHandle client, out IntPtr json, out IntPtr error);
    }

    /// <summary>include/odeme.h's OdemeHeader: NUL-terminated UTF-8 name and value.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OdemeHeader
    {
        internal IntPtr Name;
        internal IntPtr Value;
    }

    public sealed partial class OdemeClient
    {
        /// <summary>
        /// Verify a webhook delivery ("iyzico": X-IYZ-SIGNATURE-V3; "paymes": the notification
        /// hash, form or JSON) over the raw body and the headers exactly as received (names
        /// case-insensitive). Returns the JSON response {"operation": "webhook.PROVIDER",
        /// "outcome": {"type": "notification", "provider", "event", "subject", "state", "payment_id",
        /// "order_id", "duplicate"}, ...}. A missing or bad signature throws SignatureException
        /// and records nothing.
        /// </summary>
        public string VerifyWebhook(string provider, IDictionary<string, string> headers, byte[] body)
        {
            if (handle.IsClosed) throw new ObjectDisposedException("OdemeClient");
            byte[] bytes = body ?? new byte[0];
            var names = new List<string>();
            var values = new List<string>();
            if (headers != null)
            {
                foreach (KeyValuePair<string, string> h in headers)
                {
                    names.Add(h.Key);
                    values.Add(h.Value ?? "");
                }
            }
            IntPtr[] namePtrs = Utf8.AllocAll(names.ToArray(), "headers");
            IntPtr[] valuePtrs = null;
            try
            {
                valuePtrs = Utf8.AllocAll(values.ToArray(), "headers");
                var pairs = new OdemeHeader[Math.Max(1, names.Count)];
                for (int i = 0; i < names.Count; i++)
                {
                    pairs[i].Name = namePtrs[i];
                    pairs[i].Value = valuePtrs[i];
                }
                IntPtr json, error;
                int status = JournalNativeMethods.odeme_verify_webhook_headers(handle, Utf8.Z(provider, "provider"), pairs, (UIntPtr)names.Count,
                    bytes.Length == 0 ? null : bytes, (UIntPtr)bytes.Length, out json, out error);
                if (status != 0) throw Raise(status, error);
                return Utf8.Take(json);
            }
            finally
            {
                Utf8.FreeAll(namePtrs);
                if (valuePtrs != null) Utf8.FreeAll(valuePtrs);
            }
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
    }
}
