//! The C entry points over raw bytes (issue 16): `odeme_client_new`, `odeme_call`,
//! `odeme_call_ex` (any render bits), `odeme_verify_webhook`, `odeme_verify_webhook_headers`
//! (pairs cut from the input) and the hash helpers, called exactly as C would, with arguments cut
//! from the input at NUL bytes (so any byte but NUL, invalid UTF-8 included, reaches them), NULL
//! pointers and NULL/length pairs chosen by the first byte. Checks the ABI contract on every call
//! (a known status; output set and error NULL on success, the reverse on failure; the error
//! accessors answer) and frees everything, so AddressSanitizer sees any invalid access or leak.
#![no_main]

use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use odeme_ffi::*;

const CONFIG: &CStr = cr#"{"allow_http": true, "timeout_ms": 200, "connect_timeout_ms": 100, "read_retries": 0,
    "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:1"},
    "paymes": {"public_key": "p", "secret_key": "s", "secret": "x", "base_url": "http://127.0.0.1:1"},
    "paymago": {"token": "t", "base_url": "http://127.0.0.1:1/api"},
    "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": "http://127.0.0.1:1"}}"#;

const OPERATIONS: [&CStr; 6] = [
    c"iyzico.create_payment",
    c"iyzico.retrieve_payment",
    c"paymes.create_order",
    c"paymes.verify_notification",
    c"paymago.order_result",
    c"esnekpos.query_payment_request",
];

struct Shared(*mut OdemeClient);
// SAFETY: an OdemeClient is thread-safe by contract; the pointer is never freed.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn client() -> *const OdemeClient {
    static CLIENT: OnceLock<Shared> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let mut c = ptr::null_mut();
            // SAFETY: valid C string and output pointer.
            let st = unsafe { odeme_client_new(CONFIG.as_ptr(), &mut c, ptr::null_mut()) };
            assert_eq!(st, OdemeStatus::Ok);
            Shared(c)
        })
        .0
}

/// Check the contract of one finished call and free what it returned.
fn settle(st: OdemeStatus, out: *mut c_char, error: *mut OdemeError) {
    assert_ne!(st, OdemeStatus::Internal, "a panic was caught: a bug");
    // SAFETY: pointers come from the library and are freed once.
    unsafe {
        if st == OdemeStatus::Ok {
            assert!(!out.is_null() && error.is_null());
            assert!(CStr::from_ptr(out).to_str().is_ok());
            odeme_string_free(out);
        } else {
            assert!(out.is_null() && !error.is_null());
            assert_eq!(odeme_error_status(error), st);
            assert!(!odeme_error_message(error).is_null());
            assert!(!odeme_error_kind(error).is_null());
            for borrowed in [
                odeme_error_operation(error),
                odeme_error_provider(error),
                odeme_error_reconcile_with(error),
            ] {
                assert!(borrowed.is_null() || CStr::from_ptr(borrowed).to_str().is_ok());
            }
            let request = odeme_error_reconcile_request(error);
            if !request.is_null() {
                assert!(CStr::from_ptr(request).to_str().is_ok());
                odeme_string_free(request);
            }
            let json = odeme_error_json(error);
            assert!(!json.is_null());
            odeme_string_free(json);
            odeme_error_free(error);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // The pieces: C strings cut at NUL (any other byte stays).
    let pieces: Vec<CString> = rest
        .split(|&b| b == 0)
        .map(|p| CString::new(p).expect("no NUL inside"))
        .collect();
    let arg = |i: usize| -> *const c_char {
        // bit 3 of the selector: a missing piece is NULL rather than ""
        match pieces.get(i) {
            Some(p) => p.as_ptr(),
            None if selector & 0x08 != 0 => ptr::null(),
            None => c"".as_ptr(),
        }
    };
    let ptrs: Vec<*const c_char> = pieces.iter().skip(1).map(|p| p.as_ptr()).collect();
    // bit 4: NULL array with its real length (must be refused), bit 5: a length of zero
    let (list, n) = match (selector & 0x10 != 0, selector & 0x20 != 0) {
        (true, _) => (ptr::null(), ptrs.len()),
        (false, true) => (ptrs.as_ptr(), 0),
        (false, false) => (ptrs.as_ptr(), ptrs.len()),
    };
    let mut out: *mut c_char = 1 as *mut c_char;
    let mut error: *mut OdemeError = 1 as *mut OdemeError;
    // SAFETY: every pointer is NULL or valid for the call, lengths match the arrays.
    unsafe {
        match selector % 6 {
            0 => {
                let mut c: *mut OdemeClient = 1 as *mut OdemeClient;
                let st = odeme_client_new(arg(0), &mut c, &mut error);
                assert_ne!(st, OdemeStatus::Internal);
                if st == OdemeStatus::Ok {
                    assert!(!c.is_null() && error.is_null());
                    odeme_client_free(c);
                } else {
                    assert!(c.is_null());
                    settle(st, ptr::null_mut(), error);
                }
            }
            1 => {
                let op = if selector & 0x40 != 0 {
                    arg(1)
                } else {
                    OPERATIONS[usize::from(selector >> 5) % OPERATIONS.len()].as_ptr()
                };
                // bit 7: odeme_call_ex with render bits from the second byte (4 and up: refused)
                let st = if selector & 0x80 != 0 {
                    let render = u32::from(rest.first().copied().unwrap_or(0) & 7);
                    odeme_call_ex(client(), op, arg(0), render, &mut out, &mut error)
                } else {
                    odeme_call(client(), op, arg(0), &mut out, &mut error)
                };
                settle(st, out, error);
            }
            2 => settle(
                odeme_paymes_hash(list, n, arg(0), &mut out, &mut error),
                out,
                error,
            ),
            3 => settle(
                odeme_iyzico_signature(arg(0), list, n, &mut out, &mut error),
                out,
                error,
            ),
            4 => {
                // a webhook: the provider by bit 6, headers as given, the rest as the raw body
                // (NULs included); bit 7: NULL body with the real length
                let provider = if selector & 0x40 != 0 {
                    c"paymes"
                } else {
                    c"iyzico"
                };
                let body = if selector & 0x80 != 0 {
                    ptr::null()
                } else {
                    rest.as_ptr()
                };
                // bit 5: the headers as pairs of pieces (a missing value is NULL), bit 4 with it: a
                // NULL array with its real length
                let pairs: Vec<OdemeHeader> = ptrs
                    .chunks(2)
                    .map(|p| OdemeHeader {
                        name: p[0],
                        value: p.get(1).copied().unwrap_or(ptr::null()),
                    })
                    .collect();
                let st = if selector & 0x20 != 0 {
                    let headers = if selector & 0x10 != 0 {
                        ptr::null()
                    } else {
                        pairs.as_ptr()
                    };
                    odeme_verify_webhook_headers(
                        client(),
                        provider.as_ptr(),
                        headers,
                        pairs.len(),
                        body,
                        rest.len(),
                        &mut out,
                        &mut error,
                    )
                } else {
                    odeme_verify_webhook(
                        client(),
                        provider.as_ptr(),
                        arg(0),
                        body,
                        rest.len(),
                        &mut out,
                        &mut error,
                    )
                };
                assert_ne!(st, OdemeStatus::Ok, "nothing here carries a valid signature");
                settle(st, out, error);
            }
            _ => {
                // the body is raw bytes, NULs included; bit 6: NULL body with the real length
                let body = if selector & 0x40 != 0 {
                    ptr::null()
                } else {
                    rest.as_ptr()
                };
                let st = odeme_iyzico_auth_header(
                    arg(0),
                    arg(1),
                    arg(2),
                    arg(3),
                    body,
                    rest.len(),
                    &mut out,
                    &mut error,
                );
                settle(st, out, error);
            }
        }
    }
});
