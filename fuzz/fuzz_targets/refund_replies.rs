//! The refund and cancel reply parsers (`iyzico.cancel_payment`, `iyzico.refund_payment`,
//! `paymes.cancel_order`, `esnekpos.return_order`): arbitrary bytes as the reply, with an
//! arbitrary HTTP status; and the same bytes as the `details` an iyzico refund request carries
//! (the over-refund check reads it before any I/O). Must never panic; every result is a response
//! or a typed error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn client() -> &'static odeme::Client {
    static CLIENT: OnceLock<odeme::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        odeme::Client::from_json(
            r#"{"iyzico": {"api_key": "k", "secret_key": "s"}, "paymes": {"public_key": "p", "secret_key": "s"},
                "esnekpos": {"merchant": "m", "merchant_key": "k"}}"#,
        )
        .expect("fuzz config")
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + (u16::from_le_bytes([data[0], data[1]]) % 500);
    let body = data[3..].to_vec();
    let (operation, request) = match data[2] % 6 {
        0 => ("iyzico.cancel_payment", json!({"paymentId": "1", "conversationId": "c-1"})),
        1 => ("iyzico.refund_payment", json!({"paymentId": "1", "price": "0.5", "refundable": "1"})),
        2 => {
            let details = serde_json::from_slice::<Value>(&body).unwrap_or(Value::Null);
            ("iyzico.refund_payment", json!({"paymentId": "1", "price": "0.5", "details": details}))
        }
        3 => ("paymes.cancel_order", json!({"paymesOrderId": "p-1", "price": "10.00"})),
        4 => ("esnekpos.return_order", json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "4", "refundable": "10"})),
        _ => ("esnekpos.return_order", json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "10.56"})),
    };
    match client().interpret_reply(operation, request, status, body) {
        Ok(r) => {
            let _ = serde_json::to_string(&r).expect("responses serialize");
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
});
