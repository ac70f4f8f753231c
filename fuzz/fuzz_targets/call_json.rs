//! The JSON operation layer (what `odeme_call` runs): arbitrary operation names and request
//! texts. Every provider points at a closed loopback port, so a request that passes validation
//! fails fast with `transport` instead of reaching a network.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const OPERATIONS: [&str; 12] = [
    "iyzico.create_payment", "iyzico.retrieve_payment", "paymes.create_order", "paymes.create_kiosk_order",
    "paymes.create_order_legacy", "paymes.query_order", "paymes.verify_notification", "paymago.create_order",
    "paymago.order_result", "esnekpos.send_payment_request", "esnekpos.query_payment_request", "nope.nothing",
];

fn client() -> &'static odeme::Client {
    static CLIENT: OnceLock<odeme::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        odeme::Client::from_json(
            r#"{"allow_http": true, "timeout_ms": 200, "connect_timeout_ms": 100, "read_retries": 0,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:1"},
                "paymes": {"public_key": "p", "secret_key": "s", "secret": "x", "base_url": "http://127.0.0.1:1"},
                "paymago": {"token": "t", "base_url": "http://127.0.0.1:1/api"},
                "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": "http://127.0.0.1:1"}}"#,
        )
        .expect("fuzz config")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    // Either a known operation (to reach the validators) or the text itself as the name.
    let (operation, request) = if selector < 240 {
        (OPERATIONS[selector as usize % OPERATIONS.len()], text)
    } else {
        text.split_once('\n').unwrap_or((text, "{}"))
    };
    match client().call_json(operation, request) {
        Ok(json) => assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok()),
        Err(e) => {
            assert!(!e.message().is_empty());
            let _ = e.to_json();
        }
    }
});
