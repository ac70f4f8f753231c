//! The webhook verifier (`Client::verify_webhook`) over arbitrary bytes: the first byte picks
//! the provider and the Content-Type, the text up to the first newline is the signature header,
//! the rest is the body. Must never panic, and must never accept a delivery whose signature it
//! did not compute.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use odeme::providers::iyzico::webhook::{signature, signed_fields};
use odeme::{Client, Outcome};

const IYZICO_SECRET: &str = "fuzz-iyzico-secret";
const PAYMES_SECRET: &str = "fuzz-paymes-secret";

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::from_json(&format!(
            r#"{{"iyzico": {{"api_key": "k", "secret_key": "{IYZICO_SECRET}"}},
                "paymes": {{"public_key": "p", "secret_key": "{PAYMES_SECRET}"}}}}"#
        ))
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let header = String::from_utf8_lossy(&rest[..split]).into_owned();
    let body = rest.get(split + 1..).unwrap_or(&[]);
    let provider = if selector & 1 == 0 { "iyzico" } else { "paymes" };
    let content_type = if selector & 2 == 0 { "application/json" } else { "application/x-www-form-urlencoded" };
    let headers = [("X-IYZ-SIGNATURE-V3", header.as_str()), ("Content-Type", content_type)];
    let Ok(response) = client().verify_webhook(provider, &headers, body) else { return };
    let Outcome::Webhook(n) = &response.outcome else { panic!("not a webhook outcome") };
    assert_eq!(n.provider, provider);
    assert!(!n.duplicate, "no journal: never a duplicate");
    let raw = response.raw.to_value();
    if provider == "iyzico" {
        // Accepted: the header really is the signature over the body's fields.
        let fields = signed_fields(&raw).expect("verified body has its fields");
        assert_eq!(signature(IYZICO_SECRET, &fields), header.trim().to_ascii_lowercase());
    } else {
        let text = |k: &str| match raw.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let parts = [
            text("paymesOrderId"),
            text("orderId"),
            text("type"),
            text("message"),
            text("price"),
            text("currency"),
        ];
        assert_eq!(odeme::sign::paymes_hash(&parts, PAYMES_SECRET), text("hash").trim());
    }
});
