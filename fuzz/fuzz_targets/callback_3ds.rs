//! The iyzico 3-D Secure callback verifier: arbitrary posted fields (as JSON). Must never panic,
//! must never accept a callback whose signature it did not compute, and says `authenticated`
//! only for status=success and mdStatus=1.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odeme::outcome::CallbackState;
use odeme::providers::iyzico::threeds::{verify_3ds_callback_with, CallbackRequest};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(req) = odeme::validate::parse_request::<CallbackRequest>(&value) else { return };
    if let Ok(cb) = verify_3ds_callback_with("fuzz-secret", &req) {
        let f = |t: &Option<odeme::providers::Text>| t.as_ref().map(|t| t.0.clone()).unwrap_or_default();
        let fields = [
            f(&req.conversation_data),
            f(&req.conversation_id),
            f(&req.md_status),
            f(&req.payment_id),
            f(&req.status),
        ];
        let sig = req.signature.clone().unwrap_or_default();
        assert!(odeme::sign::iyzico_verify("fuzz-secret", &fields, &sig));
        if cb.state == CallbackState::Authenticated {
            assert_eq!(fields[4], "success");
            assert_eq!(fields[2].trim(), "1");
        }
    }
});
