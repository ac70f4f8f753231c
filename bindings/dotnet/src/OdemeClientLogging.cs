// OdemeClient.Log: the log events of every call (README, "Logs") over odeme_client_set_log.
using System;
using System.Runtime.InteropServices;

namespace Odeme
{
    internal static class LogNative
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void LogFn(IntPtr userdata, IntPtr eventJson);

        [DllImport(NativeMethods.Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int odeme_client_set_log(ClientHandle client, byte[] level, LogFn callback, IntPtr userdata);
    }

    public sealed partial class OdemeClient
    {
        private readonly object logLock = new object();
        private EventHandler<OdemeLogEvent> log;
        private string logLevel = "info";
        // Held for as long as libodeme may call it (the client's lifetime).
        private LogNative.LogFn logCallback;

        /// <summary>
        /// Every call's events (<see cref="OdemeLogEvent"/>), at <see cref="LogLevel"/>, on the
        /// thread making the call. A handler that throws is caught (its exception is kept in
        /// <see cref="LastLogHandlerError"/>) and the call goes on with its result unchanged.
        /// </summary>
        public event EventHandler<OdemeLogEvent> Log
        {
            add { lock (logLock) { log += value; Install(); } }
            remove { lock (logLock) { log -= value; Install(); } }
        }

        /// <summary>"error", "warn", "info" (the default) or "debug" (adds the redacted bodies).</summary>
        public string LogLevel
        {
            get { return logLevel; }
            set
            {
                if (value != "error" && value != "warn" && value != "info" && value != "debug")
                    throw new ArgumentException("LogLevel must be error, warn, info or debug", "value");
                lock (logLock) { logLevel = value; Install(); }
            }
        }

        /// <summary>What a Log handler last threw (caught so that the call could go on), or null.</summary>
        public Exception LastLogHandlerError { get; private set; }

        private void Install()
        {
            if (handle.IsClosed)
            {
                if (log == null) return;
                throw new ObjectDisposedException("OdemeClient");
            }
            if (logCallback == null) logCallback = Deliver;
            handle.LogCallback = logCallback;
            int status = log == null
                ? LogNative.odeme_client_set_log(handle, Utf8.Z("off", "level"), null, IntPtr.Zero)
                : LogNative.odeme_client_set_log(handle, Utf8.Z(logLevel, "level"), logCallback, IntPtr.Zero);
            if (status != 0) throw new InvalidOperationException("odeme_client_set_log failed with status " + status);
        }

        // Called by libodeme: nothing may escape into native code.
        private void Deliver(IntPtr userdata, IntPtr eventJson)
        {
            try
            {
                EventHandler<OdemeLogEvent> handlers = log;
                if (handlers == null) return;
                OdemeLogEvent e = OdemeLogEvent.Parse(Utf8.Read(eventJson));
                foreach (EventHandler<OdemeLogEvent> h in handlers.GetInvocationList())
                {
                    try { h(this, e); }
                    catch (Exception ex) { LastLogHandlerError = ex; }
                }
            }
            catch (Exception ex)
            {
                LastLogHandlerError = ex;
            }
        }
    }
}
