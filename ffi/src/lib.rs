//! The C ABI of odeme: `libodeme` and `include/odeme.h` (generated from this file by cbindgen).
//!
//! Conventions (also in the header and the README):
//! * every fallible function returns an [`OdemeStatus`] and takes `OdemeError **out_error` last
//!   (may be NULL); outputs are set to NULL on entry and stay NULL on error;
//! * owned strings are `char *` and are freed with [`odeme_string_free`]; `const char *` results
//!   are borrowed (static, or valid as long as the object they came from);
//! * every exported body runs inside [`boundary`]: a panic becomes `ODEME_STATUS_INTERNAL`, a NULL
//!   or non-UTF-8 argument `ODEME_STATUS_INVALID_ARGUMENT`; nothing unwinds into C;
//! * an `OdemeClient` is immutable and thread-safe: share one between threads.

#![allow(clippy::missing_safety_doc)]

use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

use odeme_core::{Client, Error, ErrorKind, Render, Response};

mod logging;
pub use logging::{odeme_client_set_log, OdemeLogFn};

/// ABI version: major << 16 | minor. A major change breaks callers; a minor one only adds, and
/// rises by one with every added function (`ABI_HISTORY`; `tests/header.rs` checks the header
/// against it).
pub const ODEME_ABI_MAJOR: u32 = 1;
pub const ODEME_ABI_MINOR: u32 = 12;

/// Which ABI minor version brought each exported function (1.0: the first ABI; 1.1: the error
/// accessors and `odeme_operations`, as released; then one function per minor version).
#[doc(hidden)]
pub const ABI_HISTORY: &[(u32, &[&str])] = &[
    (
        0,
        &[
            "odeme_version",
            "odeme_abi_version",
            "odeme_client_new",
            "odeme_client_free",
            "odeme_call",
            "odeme_paymes_hash",
            "odeme_iyzico_auth_header",
            "odeme_iyzico_signature",
            "odeme_error_status",
            "odeme_error_message",
            "odeme_error_json",
            "odeme_error_free",
            "odeme_string_free",
        ],
    ),
    (
        1,
        &[
            "odeme_error_kind",
            "odeme_error_field",
            "odeme_error_provider_code",
            "odeme_error_provider_message",
            "odeme_error_http_status",
            "odeme_error_retry_safe",
            "odeme_operations",
        ],
    ),
    // Added with 1.1 without raising it (issue 13); counted now.
    (2, &["odeme_verify_webhook"]),
    (3, &["odeme_client_pending"]),
    (4, &["odeme_client_reconcile"]),
    // Exact data across the C ABI (issue 30).
    (5, &["odeme_error_operation"]),
    (6, &["odeme_error_provider"]),
    (7, &["odeme_error_reconcile_with"]),
    (8, &["odeme_error_reconcile_request"]),
    (9, &["odeme_verify_webhook_headers"]),
    (10, &["odeme_client_set_render"]),
    (11, &["odeme_call_ex"]),
    // Logs (issue 36).
    (12, &["odeme_client_set_log"]),
];

/// Render flag: every non-integer JSON number of a response (outcome and `raw`) is written as a
/// JSON string of its exact digits (`"paidPrice": "10.10"`); integers stay numbers. For callers
/// whose JSON decoder would read such a number into a binary float (PHP, .NET).
pub const ODEME_RENDER_NUMBERS_AS_STRINGS: u32 = 1;
/// Render flag: `raw` is a JSON string holding the provider's reply text (for decoders that map
/// the response onto classes and keep `raw` as text).
pub const ODEME_RENDER_RAW_AS_TEXT: u32 = 2;

/// The library version at compile time, the numbers of `odeme_version()` (the workspace version;
/// `tests/header.rs` fails when they disagree). The shared object's SONAME is
/// `libodeme.so.ODEME_VERSION_MAJOR`.
pub const ODEME_VERSION_MAJOR: u32 = 0;
pub const ODEME_VERSION_MINOR: u32 = 1;
pub const ODEME_VERSION_PATCH: u32 = 0;

/// Result of every fallible call. The numbers are fixed and shared by every binding.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OdemeStatus {
    Ok = 0,
    /// NULL pointer, bad UTF-8, request or config not valid JSON.
    InvalidArgument = 1,
    /// The request failed validation before any I/O; the error's `field` names the culprit.
    InvalidRequest = 2,
    /// Bad or missing configuration.
    Config = 3,
    /// The request provably never reached the provider: safe to retry.
    Transport = 10,
    /// The call may have been processed: do not resend, reconcile with the query operation.
    OutcomeUnknown = 11,
    /// Credentials or signature rejected by the provider.
    Auth = 20,
    /// The payment was refused (card declined, insufficient funds, fraud).
    Declined = 21,
    /// Any other provider-reported error.
    Provider = 22,
    /// A provider response failed signature verification.
    Signature = 23,
    /// A reply to a read-only call could not be understood: safe to retry.
    Decode = 30,
    /// A bug in odeme, including a caught panic.
    Internal = 99,
}

impl From<ErrorKind> for OdemeStatus {
    fn from(k: ErrorKind) -> OdemeStatus {
        match k {
            ErrorKind::InvalidArgument => OdemeStatus::InvalidArgument,
            ErrorKind::InvalidRequest => OdemeStatus::InvalidRequest,
            ErrorKind::Config => OdemeStatus::Config,
            ErrorKind::Transport => OdemeStatus::Transport,
            ErrorKind::OutcomeUnknown => OdemeStatus::OutcomeUnknown,
            ErrorKind::Auth => OdemeStatus::Auth,
            ErrorKind::Declined => OdemeStatus::Declined,
            ErrorKind::Provider => OdemeStatus::Provider,
            ErrorKind::Signature => OdemeStatus::Signature,
            ErrorKind::Decode => OdemeStatus::Decode,
            ErrorKind::Internal => OdemeStatus::Internal,
            // `ErrorKind` is non-exhaustive; a kind without a status of its own is a bug here.
            _ => OdemeStatus::Internal,
        }
    }
}

/// A client: configuration plus one connection pool. Opaque; thread-safe.
pub struct OdemeClient {
    inner: Client,
    /// `ODEME_RENDER_*` flags for the JSON answers (`odeme_client_set_render`); 0: the
    /// provider's digits as numbers, `raw` as a JSON value.
    render: AtomicU32,
}

impl OdemeClient {
    fn render(&self) -> u32 {
        self.render.load(Ordering::Relaxed)
    }
}

/// `flags` as a [`Render`]; unknown bits are an invalid argument.
fn render_of(flags: u32) -> Result<Render, Error> {
    if flags & !(ODEME_RENDER_NUMBERS_AS_STRINGS | ODEME_RENDER_RAW_AS_TEXT) != 0 {
        return Err(bad_arg(
            "render",
            "has unknown bits (ODEME_RENDER_NUMBERS_AS_STRINGS | ODEME_RENDER_RAW_AS_TEXT)",
        ));
    }
    Ok(Render {
        numbers_as_strings: flags & ODEME_RENDER_NUMBERS_AS_STRINGS != 0,
        raw_as_text: flags & ODEME_RENDER_RAW_AS_TEXT != 0,
    })
}

/// A response as owned JSON text, written as `flags` say.
fn rendered(response: &Response, flags: u32) -> Result<*mut c_char, Error> {
    let text = response
        .to_json_text_with(render_of(flags)?)
        .ok_or_else(|| Error::new(ErrorKind::Internal, "could not serialize the response"))?;
    Ok(owned_text(text))
}

/// A webhook header for `odeme_verify_webhook_headers`: name and value as NUL-terminated UTF-8
/// (names case-insensitive).
#[repr(C)]
pub struct OdemeHeader {
    pub name: *const c_char,
    pub value: *const c_char,
}

/// An error: status, message, each field as a C string, and the full JSON. Opaque.
pub struct OdemeError {
    status: OdemeStatus,
    message: CString,
    kind: CString,
    field: Option<CString>,
    provider_code: Option<CString>,
    provider_message: Option<CString>,
    operation: Option<CString>,
    provider: Option<CString>,
    reconcile_with: Option<CString>,
    reconcile_request: Option<String>,
    http_status: u16,
    retry_safe: bool,
    json: String,
}

impl OdemeError {
    fn from_error(e: &Error) -> OdemeError {
        OdemeError {
            operation: e.operation().map(to_cstring),
            provider: e.provider().map(to_cstring),
            reconcile_with: e.reconcile_with().map(to_cstring),
            reconcile_request: e.reconcile_request().map(|v| v.to_string()),
            status: e.kind().into(),
            message: to_cstring(e.message()),
            kind: to_cstring(e.kind().as_str()),
            field: e.field().map(to_cstring),
            provider_code: e.provider_code().map(to_cstring),
            provider_message: e.provider_message().map(to_cstring),
            http_status: e.http_status().unwrap_or(0),
            retry_safe: e.retry_safe(),
            json: e.to_json().to_string(),
        }
    }
}

fn to_cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

/// Hand an owned string to C.
fn owned(s: &str) -> *mut c_char {
    to_cstring(s).into_raw()
}

/// [`owned`] for a string already ours: handed over in its own buffer (no copy) unless it holds
/// a NUL, which is replaced as [`owned`] does.
fn owned_text(s: String) -> *mut c_char {
    match CString::new(s) {
        Ok(c) => c.into_raw(),
        Err(e) => owned(&String::from_utf8_lossy(&e.into_vec())),
    }
}

/// The one FFI boundary: clears `out_error`, runs `body`, turns its error or panic into a status
/// and (when asked for) an `OdemeError`.
fn boundary(
    out_error: *mut *mut OdemeError,
    body: impl FnOnce() -> Result<(), Error>,
) -> OdemeStatus {
    if !out_error.is_null() {
        // SAFETY: the caller passes NULL or a valid `OdemeError **`.
        unsafe { *out_error = ptr::null_mut() };
    }
    let result = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(_) => Err(Error::new(
            ErrorKind::Internal,
            "odeme caught an internal panic; this is a bug, please report it",
        )),
    };
    match result {
        Ok(()) => OdemeStatus::Ok,
        Err(e) => {
            let status = e.kind().into();
            if !out_error.is_null() {
                let boxed = catch_unwind(AssertUnwindSafe(|| {
                    Box::into_raw(Box::new(OdemeError::from_error(&e)))
                }));
                // SAFETY: as above.
                unsafe { *out_error = boxed.unwrap_or(ptr::null_mut()) };
            }
            status
        }
    }
}

/// Run an infallible body without letting a panic cross into C.
fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn bad_arg(name: &str, problem: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("{name} {problem}"))
}

/// Borrow a C string argument as UTF-8.
unsafe fn arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return Err(bad_arg(name, "is NULL"));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| bad_arg(name, "is not valid UTF-8"))
}

/// Borrow an array of `n` C strings.
unsafe fn arg_list<'a>(
    p: *const *const c_char,
    n: usize,
    name: &str,
) -> Result<Vec<&'a str>, Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(bad_arg(name, "is NULL"));
    }
    // SAFETY: the caller passes an array of `n` pointers.
    let items = unsafe { std::slice::from_raw_parts(p, n) };
    items
        .iter()
        .enumerate()
        // SAFETY: each element is a NUL-terminated string (checked for NULL by `arg`).
        .map(|(i, s)| unsafe { arg(*s, &format!("{name}[{i}]")) })
        .collect()
}

/// Clear an output pointer on entry; a NULL output pointer is an invalid argument.
unsafe fn clear<T>(out: *mut *mut T, name: &str) -> Result<(), Error> {
    if out.is_null() {
        return Err(bad_arg(name, "is NULL"));
    }
    // SAFETY: non-NULL and, per the contract, writable.
    unsafe { *out = ptr::null_mut() };
    Ok(())
}

/// Borrow `n` items at `p` (`p` may be NULL when `n` is 0).
unsafe fn slice_arg<'a, T>(
    p: *const T,
    n: usize,
    name: &str,
    n_name: &str,
) -> Result<&'a [T], Error> {
    if n == 0 {
        Ok(&[])
    } else if p.is_null() {
        Err(bad_arg(name, &format!("is NULL but {n_name} is not 0")))
    } else {
        // SAFETY: the caller passes `n` readable items.
        Ok(unsafe { std::slice::from_raw_parts(p, n) })
    }
}

/// Borrow the client argument.
unsafe fn client_arg<'a>(client: *const OdemeClient) -> Result<&'a OdemeClient, Error> {
    if client.is_null() {
        return Err(bad_arg("client", "is NULL"));
    }
    // SAFETY: non-NULL and, per the contract, created by `odeme_client_new` and not yet freed.
    Ok(unsafe { &*client })
}

/// The library version, e.g. `"0.1.0"`. Static; never free it.
#[no_mangle]
pub extern "C" fn odeme_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The ABI version, `major << 16 | minor`. Bindings refuse a different major.
#[no_mangle]
pub extern "C" fn odeme_abi_version() -> u32 {
    (ODEME_ABI_MAJOR << 16) | ODEME_ABI_MINOR
}

/// Build a client from the JSON configuration. On success `*out_client` owns a client; free it
/// with `odeme_client_free`. Thread safety: the new client may be shared by any number of
/// threads.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_new(
    config_json: *const c_char,
    out_client: *mut *mut OdemeClient,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_client, "out_client")?;
        let config = arg(config_json, "config_json")?;
        let client = Client::from_json(config)?;
        *out_client = Box::into_raw(Box::new(OdemeClient {
            inner: client,
            render: AtomicU32::new(0),
        }));
        Ok(())
    })
}

/// Free a client (NULL is accepted). No call may be running on it.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_free(client: *mut OdemeClient) {
    guard((), || {
        if !client.is_null() {
            // SAFETY: `client` came from `odeme_client_new` and is freed once.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

/// Run `operation` (e.g. `"iyzico.create_payment"`) with a JSON request. On success
/// `*out_response_json` is an owned JSON string: free it with `odeme_string_free`. Blocks for
/// the network call; safe to call from many threads on one client.
#[no_mangle]
pub unsafe extern "C" fn odeme_call(
    client: *const OdemeClient,
    operation: *const c_char,
    request_json: *const c_char,
    out_response_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    // SAFETY: the caller's pointers, as documented.
    unsafe {
        call_with(
            client,
            operation,
            request_json,
            None,
            out_response_json,
            out_error,
        )
    }
}

/// `odeme_call` and `odeme_call_ex`: `render` is the call's own, or `None` for the client's.
unsafe fn call_with(
    client: *const OdemeClient,
    operation: *const c_char,
    request_json: *const c_char,
    render: Option<u32>,
    out_response_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_response_json, "out_response_json")?;
        let client = client_arg(client)?;
        let render = render.unwrap_or_else(|| client.render());
        render_of(render)?;
        let operation = arg(operation, "operation")?;
        let request = arg(request_json, "request_json")?;
        let response = client.inner.call_text(operation, request)?;
        *out_response_json = rendered(&response, render)?;
        Ok(())
    })
}

/// `odeme_call` with this call's own `render` flags (`ODEME_RENDER_NUMBERS_AS_STRINGS`,
/// `ODEME_RENDER_RAW_AS_TEXT`, or 0 for the provider's digits as numbers and `raw` as a JSON
/// value) instead of the client's. Unknown bits are ODEME_STATUS_INVALID_ARGUMENT, before any
/// I/O.
#[no_mangle]
pub unsafe extern "C" fn odeme_call_ex(
    client: *const OdemeClient,
    operation: *const c_char,
    request_json: *const c_char,
    render: u32,
    out_response_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    // SAFETY: the caller's pointers, as documented.
    unsafe {
        call_with(
            client,
            operation,
            request_json,
            Some(render),
            out_response_json,
            out_error,
        )
    }
}

/// How this client writes its JSON answers (`odeme_call`, `odeme_verify_webhook`,
/// `odeme_verify_webhook_headers`): `ODEME_RENDER_*` flags, 0 (the default) for the provider's
/// digits as JSON numbers and `raw` as a JSON value. Set it before sharing the client between
/// threads. Unknown bits are ODEME_STATUS_INVALID_ARGUMENT and change nothing.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_set_render(
    client: *mut OdemeClient,
    render: u32,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        let client = client_arg(client)?;
        render_of(render)?;
        client.render.store(render, Ordering::Relaxed);
        Ok(())
    })
}

/// Paymes hash: `base64(sha512(parts[0] + ... + parts[n-1] + secret_key))`. Owned result.
#[no_mangle]
pub unsafe extern "C" fn odeme_paymes_hash(
    parts: *const *const c_char,
    n_parts: usize,
    secret_key: *const c_char,
    out_hash: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_hash, "out_hash")?;
        let parts = arg_list(parts, n_parts, "parts")?;
        let secret = arg(secret_key, "secret_key")?;
        *out_hash = owned(&odeme_core::sign::paymes_hash(&parts, secret));
        Ok(())
    })
}

/// iyzico `IYZWSv2` Authorization header value over `random_key + uri_path + body`. `uri_path`
/// is signed as given (pass the path without query string); `body` may be NULL when
/// `body_len` is 0. Owned result.
#[no_mangle]
pub unsafe extern "C" fn odeme_iyzico_auth_header(
    api_key: *const c_char,
    secret_key: *const c_char,
    random_key: *const c_char,
    uri_path: *const c_char,
    body: *const u8,
    body_len: usize,
    out_header: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_header, "out_header")?;
        let api_key = arg(api_key, "api_key")?;
        let secret = arg(secret_key, "secret_key")?;
        let random_key = arg(random_key, "random_key")?;
        let path = arg(uri_path, "uri_path")?;
        let body = slice_arg(body, body_len, "body", "body_len")?;
        *out_header = owned(&odeme_core::sign::iyzico_auth_header(
            api_key, secret, random_key, path, body,
        ));
        Ok(())
    })
}

/// iyzico response signature: lowercase hex HMAC-SHA256 of the fields joined by `:`, exactly as
/// given (amounts already normalised). Owned result.
#[no_mangle]
pub unsafe extern "C" fn odeme_iyzico_signature(
    secret_key: *const c_char,
    fields: *const *const c_char,
    n_fields: usize,
    out_hex: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_hex, "out_hex")?;
        let secret = arg(secret_key, "secret_key")?;
        let fields = arg_list(fields, n_fields, "fields")?;
        *out_hex = owned(&odeme_core::sign::iyzico_signature(secret, &fields));
        Ok(())
    })
}

/// The status of an error (`ODEME_STATUS_INVALID_ARGUMENT` for NULL).
#[no_mangle]
pub unsafe extern "C" fn odeme_error_status(error: *const OdemeError) -> OdemeStatus {
    guard(OdemeStatus::Internal, || {
        if error.is_null() {
            OdemeStatus::InvalidArgument
        } else {
            // SAFETY: created by odeme and not yet freed.
            unsafe { (*error).status }
        }
    })
}

/// The error's message. Borrowed: valid until `odeme_error_free(error)`. Never NULL.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_message(error: *const OdemeError) -> *const c_char {
    const NULL_ERROR: &str = "(NULL OdemeError)\0";
    guard(NULL_ERROR.as_ptr().cast(), || {
        if error.is_null() {
            NULL_ERROR.as_ptr().cast()
        } else {
            // SAFETY: as above.
            unsafe { (*error).message.as_ptr() }
        }
    })
}

/// Read one field of an error; `absent` for a NULL error.
fn error_field<T>(error: *const OdemeError, absent: T, f: impl FnOnce(&OdemeError) -> T) -> T
where
    T: Copy,
{
    guard(absent, || {
        if error.is_null() {
            absent
        } else {
            // SAFETY: created by odeme and not yet freed.
            f(unsafe { &*error })
        }
    })
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// The error's kind (`"outcome_unknown"`, ...). Borrowed (static). NULL when `error` is NULL.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_kind(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| e.kind.as_ptr())
}

/// The request field or config key at fault. Borrowed, like the message; NULL when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_field(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.field))
}

/// The provider's error code. Borrowed, like the message; NULL when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_provider_code(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.provider_code))
}

/// The provider's error message. Borrowed, like the message; NULL when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_provider_message(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.provider_message))
}

/// The HTTP status of the provider's reply; 0 when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_http_status(error: *const OdemeError) -> u16 {
    error_field(error, 0, |e| e.http_status)
}

/// Whether the same call may simply be retried (false for a NULL error).
#[no_mangle]
pub unsafe extern "C" fn odeme_error_retry_safe(error: *const OdemeError) -> bool {
    error_field(error, false, |e| e.retry_safe)
}

/// The operation the error came from (`"iyzico.create_payment"`, `"webhook.iyzico"`). Borrowed,
/// like the message; NULL when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_operation(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.operation))
}

/// The provider the error concerns (`"iyzico"`, ...). Borrowed, like the message; NULL when
/// absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_provider(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.provider))
}

/// After ODEME_STATUS_OUTCOME_UNKNOWN: the operation to call before anything else (e.g.
/// `"iyzico.payment_details"`). Borrowed, like the message; NULL when the operation declares
/// none (the message then says where to look).
#[no_mangle]
pub unsafe extern "C" fn odeme_error_reconcile_with(error: *const OdemeError) -> *const c_char {
    error_field(error, ptr::null(), |e| opt_ptr(&e.reconcile_with))
}

/// The request (JSON object text) to pass to `odeme_error_reconcile_with`'s operation. Owned:
/// free with `odeme_string_free`. NULL when absent.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_reconcile_request(error: *const OdemeError) -> *mut c_char {
    guard(ptr::null_mut(), || {
        if error.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: created by odeme and not yet freed.
        match unsafe { &(*error).reconcile_request } {
            Some(text) => owned(text),
            None => ptr::null_mut(),
        }
    })
}

/// The declared operations as a JSON array of `{"name", "provider", "sends", "reconcile_with",
/// "reconcile_by", "summary", "method", "path", "outcome"}` (`method` and `path` null for a
/// local operation; `outcome` the list of outcome types it can answer). Owned: free with
/// `odeme_string_free`.
#[no_mangle]
pub extern "C" fn odeme_operations() -> *mut c_char {
    guard(ptr::null_mut(), || {
        owned(&odeme_core::registry::operations_json())
    })
}

/// All error fields as a JSON object (`status`, `kind`, `message`, `operation`, `provider`,
/// `provider_code`, `provider_message`, `http_status`, `field`, `retry_safe`, `reconcile_with`,
/// `reconcile_request`). Owned: free with `odeme_string_free`. NULL when `error` is NULL.
#[no_mangle]
pub unsafe extern "C" fn odeme_error_json(error: *const OdemeError) -> *mut c_char {
    guard(ptr::null_mut(), || {
        if error.is_null() {
            ptr::null_mut()
        } else {
            // SAFETY: as above.
            owned(unsafe { &(*error).json })
        }
    })
}

/// Free an error (NULL is accepted).
#[no_mangle]
pub unsafe extern "C" fn odeme_error_free(error: *mut OdemeError) {
    guard((), || {
        if !error.is_null() {
            // SAFETY: created by odeme, freed once.
            drop(unsafe { Box::from_raw(error) });
        }
    })
}

/// Free a string returned by odeme (NULL is accepted).
#[no_mangle]
pub unsafe extern "C" fn odeme_string_free(s: *mut c_char) {
    guard((), || {
        if !s.is_null() {
            // SAFETY: created by `CString::into_raw` in this library, freed once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

// ---- webhooks and the payment journal (issue 13) ------------------------------------------

/// Verify a webhook delivery of `provider` (`"iyzico"`, `"paymes"` or `"paytr"`) over the raw
/// `body` (`body_len` bytes, exactly as received; may be NULL when `body_len` is 0) and the HTTP
/// headers as a JSON object of strings (`{"X-IYZ-SIGNATURE-V3": "...", "Content-Type": ...}`,
/// names case-insensitive). On success `*out_json` is an owned JSON response
/// `{"operation": "webhook.PROVIDER", "outcome": {"type": "notification", "provider", "event",
/// "state", "payment_id", "order_id", "duplicate"}, ...}`: free it with `odeme_string_free`.
/// A missing or bad signature is ODEME_STATUS_SIGNATURE and nothing is recorded.
#[no_mangle]
pub unsafe extern "C" fn odeme_verify_webhook(
    client: *const OdemeClient,
    provider: *const c_char,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_json, "out_json")?;
        let client = client_arg(client)?;
        let provider = arg(provider, "provider")?;
        let headers = arg(headers_json, "headers_json")?;
        let body = slice_arg(body, body_len, "body", "body_len")?;
        let response = client
            .inner
            .verify_webhook_headers_json(provider, headers, body)?;
        *out_json = rendered(&response, client.render())?;
        Ok(())
    })
}

/// `odeme_verify_webhook` with the headers as `n_headers` name/value pairs (`headers` may be
/// NULL when `n_headers` is 0): no JSON to build. A NULL name or value, or one that is not
/// UTF-8, is ODEME_STATUS_INVALID_ARGUMENT naming it (`headers[2].value`).
#[no_mangle]
pub unsafe extern "C" fn odeme_verify_webhook_headers(
    client: *const OdemeClient,
    provider: *const c_char,
    headers: *const OdemeHeader,
    n_headers: usize,
    body: *const u8,
    body_len: usize,
    out_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_json, "out_json")?;
        let client = client_arg(client)?;
        let provider = arg(provider, "provider")?;
        let pairs = slice_arg(headers, n_headers, "headers", "n_headers")?;
        let mut list = Vec::with_capacity(pairs.len());
        for (i, h) in pairs.iter().enumerate() {
            list.push((
                arg(h.name, &format!("headers[{i}].name"))?,
                arg(h.value, &format!("headers[{i}].value"))?,
            ));
        }
        let body = slice_arg(body, body_len, "body", "body_len")?;
        let response = client.inner.verify_webhook(provider, &list, body)?;
        *out_json = rendered(&response, client.render())?;
        Ok(())
    })
}

/// The payment journal's unresolved rows (`sending`, `outcome_unknown`, `needs_manual_check`)
/// as a JSON array of `{id, operation, provider, reference, amount, currency, state,
/// provider_reference, created_at, updated_at, resolved}`. Owned: free with
/// `odeme_string_free`. ODEME_STATUS_CONFIG when the client has no journal.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_pending(
    client: *const OdemeClient,
    out_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    // SAFETY: the caller's pointers, as documented.
    unsafe { client_text(client, out_json, out_error, Client::pending_json) }
}

/// Run each unresolved journal row's reconciliation (network I/O) and answer every such row as
/// it now is (JSON array, rows as in `odeme_client_pending` with `resolved` set, or state
/// `needs_manual_check` where the provider offers no query). Owned: free with
/// `odeme_string_free`. ODEME_STATUS_CONFIG when the client has no journal.
#[no_mangle]
pub unsafe extern "C" fn odeme_client_reconcile(
    client: *const OdemeClient,
    out_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
) -> OdemeStatus {
    // SAFETY: the caller's pointers, as documented.
    unsafe { client_text(client, out_json, out_error, Client::reconcile_json) }
}

/// A client's JSON text answer into `*out_json` (or the error into `*out_error`).
unsafe fn client_text(
    client: *const OdemeClient,
    out_json: *mut *mut c_char,
    out_error: *mut *mut OdemeError,
    answer: fn(&Client) -> Result<String, Error>,
) -> OdemeStatus {
    boundary(out_error, || unsafe {
        clear(out_json, "out_json")?;
        *out_json = owned(&answer(&client_arg(client)?.inner)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal_with_an_error_object() {
        let mut err: *mut OdemeError = ptr::null_mut();
        let status = boundary(&mut err, || panic!("boom"));
        assert_eq!(status, OdemeStatus::Internal);
        assert!(!err.is_null());
        unsafe {
            assert_eq!(odeme_error_status(err), OdemeStatus::Internal);
            let msg = CStr::from_ptr(odeme_error_message(err)).to_str().unwrap();
            assert!(msg.contains("panic"), "{msg}");
            odeme_error_free(err);
        }
        // Without an error slot, the status alone comes back.
        assert_eq!(
            boundary(ptr::null_mut(), || panic!("boom")),
            OdemeStatus::Internal
        );
    }

    #[test]
    fn error_accessors_read_each_field() {
        let e = Error::invalid_field("basketItems[0].price", "must be greater than zero");
        let boxed = Box::into_raw(Box::new(OdemeError::from_error(&e)));
        unsafe {
            let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
            assert_eq!(s(odeme_error_kind(boxed)), "invalid_request");
            assert_eq!(s(odeme_error_field(boxed)), "basketItems[0].price");
            assert!(odeme_error_provider_code(boxed).is_null());
            assert!(odeme_error_provider_message(boxed).is_null());
            assert_eq!(odeme_error_http_status(boxed), 0);
            assert!(!odeme_error_retry_safe(boxed));
            odeme_error_free(boxed);
            assert!(odeme_error_kind(ptr::null()).is_null());
            assert!(!odeme_error_retry_safe(ptr::null()));
        }
        let ops = odeme_operations();
        let text = unsafe { CStr::from_ptr(ops) }.to_str().unwrap().to_owned();
        unsafe { odeme_string_free(ops) };
        assert_eq!(text, odeme_core::registry::operations_json());
    }

    #[test]
    fn error_accessors_read_the_operation_provider_and_reconciliation() {
        let c = Client::from_json(
            r#"{"allow_http": true, "timeout_ms": 2000, "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:1"}}"#,
        )
        .unwrap();
        let e = c
            .interpret_reply(
                "iyzico.complete_3ds",
                serde_json::json!({"paymentId": "42", "paidPrice": "1", "basketId": "B", "currency": "TRY"}),
                502,
                b"<html>bad gateway</html>".to_vec(),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
        let boxed = Box::into_raw(Box::new(OdemeError::from_error(&e)));
        unsafe {
            let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
            assert_eq!(s(odeme_error_operation(boxed)), "iyzico.complete_3ds");
            assert_eq!(s(odeme_error_provider(boxed)), "iyzico");
            assert_eq!(
                s(odeme_error_reconcile_with(boxed)),
                "iyzico.payment_details"
            );
            let req = odeme_error_reconcile_request(boxed);
            assert_eq!(s(req), r#"{"paymentId":"42"}"#);
            odeme_string_free(req);
            odeme_error_free(boxed);
            assert!(odeme_error_operation(ptr::null()).is_null());
            assert!(odeme_error_reconcile_request(ptr::null()).is_null());
        }
        // Absent fields are NULL.
        let e = Error::invalid_field("price", "bad");
        let boxed = Box::into_raw(Box::new(OdemeError::from_error(&e)));
        unsafe {
            assert!(odeme_error_operation(boxed).is_null());
            assert!(odeme_error_provider(boxed).is_null());
            assert!(odeme_error_reconcile_with(boxed).is_null());
            assert!(odeme_error_reconcile_request(boxed).is_null());
            odeme_error_free(boxed);
        }
    }

    #[test]
    fn render_flags_are_checked() {
        assert!(render_of(0).is_ok());
        assert!(render_of(ODEME_RENDER_NUMBERS_AS_STRINGS | ODEME_RENDER_RAW_AS_TEXT).is_ok());
        assert_eq!(render_of(4).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn statuses_match_the_core_numbers() {
        for k in ErrorKind::ALL {
            assert_eq!(OdemeStatus::from(k) as u32, k.status());
        }
    }

    #[test]
    fn version_constants_are_the_package_version() {
        let consts = format!("{ODEME_VERSION_MAJOR}.{ODEME_VERSION_MINOR}.{ODEME_VERSION_PATCH}");
        assert_eq!(
            consts,
            env!("CARGO_PKG_VERSION"),
            "update ODEME_VERSION_* and re-bless the header"
        );
        // SAFETY: odeme_version returns a static NUL-terminated string.
        let runtime = unsafe { CStr::from_ptr(odeme_version()) };
        assert_eq!(runtime.to_str().unwrap(), consts);
    }
}
