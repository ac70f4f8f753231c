//! The Paymes notification verifier: arbitrary posted fields (as JSON). Must never panic, and
//! must never accept a notification whose hash it did not compute.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odeme::providers::paymes::{verify_notification_with, NotificationRequest};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(req) = odeme::validate::parse_request::<NotificationRequest>(&value) else { return };
    if let Ok(status) = verify_notification_with("fuzz-secret", &req) {
        // Accepted: the hash really is the one over these fields.
        let parts = [
            req.paymes_order_id.as_str(),
            req.order_id.as_str(),
            req.kind.as_str(),
            req.message.as_deref().unwrap_or(""),
            req.price.as_str(),
            req.currency.as_str(),
        ];
        assert_eq!(odeme::sign::paymes_hash(&parts, "fuzz-secret"), req.hash.trim());
        assert_eq!(status.amount.as_deref(), Some(req.price.as_str()));
    }
});
