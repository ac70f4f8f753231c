// P/Invoke declarations of include/odeme.h. Strings cross the boundary as explicit UTF-8 byte
// arrays (NUL-terminated) and come back as IntPtr, copied (and freed when owned) by Utf8. The one
// C bool (odeme_error_retry_safe) is read as a byte: no bool marshalling.
using System;
using System.Runtime.InteropServices;

namespace Odeme
{
    internal static class NativeMethods
    {
        internal const string Library = "odeme";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_version();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint odeme_abi_version();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_new(byte[] configJson, out ClientHandle client, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void odeme_client_free(IntPtr client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_call(ClientHandle client, byte[] operation, byte[] requestJson,
                                              out IntPtr responseJson, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_call_ex(ClientHandle client, byte[] operation, byte[] requestJson, uint render,
                                                 out IntPtr responseJson, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_set_render(ClientHandle client, uint render, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_paymes_hash(IntPtr[] parts, UIntPtr nParts, byte[] secretKey,
                                                     out IntPtr hash, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_iyzico_auth_header(byte[] apiKey, byte[] secretKey, byte[] randomKey,
                                                            byte[] uriPath, byte[] body, UIntPtr bodyLen,
                                                            out IntPtr header, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_iyzico_signature(byte[] secretKey, IntPtr[] fields, UIntPtr nFields,
                                                          out IntPtr hex, out IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_error_status(IntPtr error);

        // Borrowed strings (valid until odeme_error_free): read with Utf8.Read, never freed here.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_message(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_kind(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_field(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_provider_code(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_provider_message(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_operation(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_provider(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_reconcile_with(IntPtr error);

        // Owned (free with odeme_string_free: Utf8.Take).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_reconcile_request(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ushort odeme_error_http_status(IntPtr error);

        // C bool is one byte: read it as a byte (no bool marshalling).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern byte odeme_error_retry_safe(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_error_json(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr odeme_operations();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void odeme_error_free(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void odeme_string_free(IntPtr s);
    }

    /// <summary>Owns an OdemeClient*; released exactly once, even if Dispose is never called.</summary>
    internal sealed class ClientHandle : SafeHandle
    {
        private ClientHandle() : base(IntPtr.Zero, true) { }

        /// <summary>The log callback libodeme holds (OdemeClient.Log). Kept here, on the handle
        /// every native call holds alive, so the delegate cannot be collected while libodeme may
        /// call it (the client object itself can be unreachable during a call).</summary>
        internal Delegate LogCallback;

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.odeme_client_free(handle);
            return true;
        }
    }

    internal static class Utf8
    {
        /// <summary>Strict UTF-8: a lone surrogate throws instead of silently becoming U+FFFD.</summary>
        private static readonly System.Text.Encoding Strict = new System.Text.UTF8Encoding(false, true);

        /// <summary>
        /// A NUL-terminated UTF-8 copy of s. A null, a string holding a NUL (C would silently cut
        /// it there) or one that is not valid Unicode (a lone surrogate) is an
        /// InvalidArgumentException naming the argument.
        /// </summary>
        internal static byte[] Z(string s, string name = "argument")
        {
            if (s == null) throw Invalid(name, "is null");
            if (s.IndexOf('\0') >= 0) throw Invalid(name, "contains a NUL character");
            try
            {
                int n = Strict.GetByteCount(s);
                var bytes = new byte[n + 1];
                Strict.GetBytes(s, 0, s.Length, bytes, 0);
                return bytes;
            }
            catch (System.Text.EncoderFallbackException)
            {
                throw Invalid(name, "is not valid Unicode (a lone surrogate)");
            }
        }

        /// <summary>An invalid_argument error raised by the binding itself, naming the argument.</summary>
        internal static OdemeException Invalid(string name, string problem)
        {
            var f = new System.Collections.Generic.Dictionary<string, object>();
            f["status"] = 1;
            f["kind"] = "invalid_argument";
            f["message"] = name + ": " + problem;
            f["field"] = name;
            return OdemeException.From(f);
        }

        /// <summary>Read a NUL-terminated UTF-8 string (not freed).</summary>
        internal static string Read(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0) len++;
            var bytes = new byte[len];
            Marshal.Copy(p, bytes, 0, len);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Copy an owned char* and free it.</summary>
        internal static string Take(IntPtr p)
        {
            try { return Read(p); }
            finally { if (p != IntPtr.Zero) NativeMethods.odeme_string_free(p); }
        }

        /// <summary>Unmanaged NUL-terminated copies of strings; free with FreeAll.</summary>
        internal static IntPtr[] AllocAll(string[] items, string name = "items")
        {
            if (items == null) throw Invalid(name, "is null");
            var ptrs = new IntPtr[Math.Max(1, items.Length)];
            try
            {
                for (int i = 0; i < items.Length; i++)
                {
                    byte[] z = Z(items[i], name + "[" + i + "]");
                    ptrs[i] = Marshal.AllocHGlobal(z.Length);
                    Marshal.Copy(z, 0, ptrs[i], z.Length);
                }
            }
            catch
            {
                FreeAll(ptrs);
                throw;
            }
            return ptrs;
        }

        internal static void FreeAll(IntPtr[] ptrs)
        {
            for (int i = 0; i < ptrs.Length; i++)
            {
                if (ptrs[i] != IntPtr.Zero) Marshal.FreeHGlobal(ptrs[i]);
                ptrs[i] = IntPtr.Zero;
            }
        }
    }
}
