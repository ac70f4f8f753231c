//! `odeme_client_set_log`: a client's log events (README, "Logs") to a C callback.

use std::ffi::{c_char, c_void, CString};
use std::sync::Arc;

use odeme_core::{Error, ErrorKind, LogEvent, LogLevel};

use crate::{arg, bad_arg, boundary, OdemeClient, OdemeStatus};

/// Receives one log event as a line of JSON (`{"ts", "level", "event", "operation", ...}`),
/// borrowed for the duration of the call. Called on the thread making the odeme call, possibly
/// from several threads at once.
pub type OdemeLogFn =
    Option<unsafe extern "C" fn(userdata: *mut c_void, event_json: *const c_char)>;

/// The callback and its userdata, called from any thread (the caller's promise in
/// `odeme_client_set_log`).
struct Callback {
    callback: unsafe extern "C" fn(*mut c_void, *const c_char),
    userdata: *mut c_void,
}

impl Callback {
    fn call(&self, event_json: &CString) {
        // SAFETY: the caller's callback, with its own userdata and a string that lives until it
        // returns.
        unsafe { (self.callback)(self.userdata, event_json.as_ptr()) };
    }
}

// SAFETY: the caller of `odeme_client_set_log` promises that the callback may be called with
// `userdata` from any thread.
unsafe impl Send for Callback {}
// SAFETY: as above.
unsafe impl Sync for Callback {}

/// Send `client`'s log events to `callback` with `userdata`, at `level` (`"error"`, `"warn"`,
/// `"info"`, `"debug"` or `"off"`); `debug` adds the request and reply bodies, redacted. A NULL
/// `callback` or `"off"` stops the events. Once this returns, the previous callback is never
/// called again (it waits for events being delivered to it). Safe to call while other threads
/// make calls on the client; not from inside the callback (ODEME_STATUS_INVALID_ARGUMENT). The
/// callback must not unwind into odeme; its time is added to the call's, never to its result.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_set_log(
    client: *mut OdemeClient,
    level: *const c_char,
    callback: OdemeLogFn,
    userdata: *mut c_void,
) -> OdemeStatus {
    boundary(std::ptr::null_mut(), || unsafe {
        if client.is_null() {
            return Err(bad_arg("client", "is NULL"));
        }
        let level = arg(level, "level")?;
        let level = LogLevel::parse(level).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "level must be error, warn, info, debug or off",
            )
        })?;
        let sink = match callback {
            Some(callback) if level != LogLevel::Off => {
                let cb = Callback { callback, userdata };
                Some(Arc::new(move |e: &LogEvent| {
                    let text = CString::new(e.to_json()).unwrap_or_default();
                    cb.call(&text);
                }) as odeme_core::LogSink)
            }
            _ => None,
        };
        // SAFETY: non-NULL and created by `odeme_client_new`.
        (*client).inner.set_log(level, sink)
    })
}
