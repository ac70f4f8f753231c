//! The issue-11 reply parsers: arbitrary bytes (with an arbitrary HTTP status) as the reply to
//! iyzico's 3-D Secure initialize and auth, checkout-form initialize and detail, BIN check and
//! installments, and EsnekPOS' EYV3DPay and ProcessQuery. Must never panic; every result is a
//! response or a typed error, and nothing the fuzzer did not sign is accepted as paid.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn client() -> &'static odeme::Client {
    static CLIENT: OnceLock<odeme::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        odeme::Client::from_json(
            r#"{"iyzico": {"api_key": "k", "secret_key": "s"}, "esnekpos": {"merchant": "m", "merchant_key": "k"}}"#,
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
    let pay_3d = json!({
        "Config": {"BACK_URL": "https://m.example/back", "ORDER_AMOUNT": "1", "ORDER_REF_NUMBER": "r-1"},
        "CreditCard": {"CC_NUMBER": "5528790000000008", "EXP_MONTH": "12", "EXP_YEAR": "2031",
                       "CC_CVV": "123", "CC_OWNER": "A B"},
        "Customer": {"FIRST_NAME": "A", "LAST_NAME": "B", "MAIL": "a@b.co", "PHONE": "05555555555",
                     "CITY": "I", "STATE": "K", "ADDRESS": "A", "CLIENT_IP": "127.0.0.1"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "P", "PRODUCT_CATEGORY": "C", "PRODUCT_AMOUNT": "1"}]});
    let (operation, request) = match data[2] % 8 {
        0 => ("iyzico.init_3ds", json!({})),
        1 => ("iyzico.complete_3ds", json!({})),
        2 => ("iyzico.init_checkout_form", json!({})),
        3 => ("iyzico.retrieve_checkout_form", json!({"token": "t-1"})),
        4 => ("iyzico.bin_check", json!({})),
        5 => ("iyzico.installments", json!({})),
        6 => ("esnekpos.pay_3d", pay_3d),
        _ => ("esnekpos.process_query", json!({"ORDER_REF_NUMBER": "r-1"})),
    };
    match client().interpret_reply(operation, request, status, body) {
        Ok(r) => {
            let text = serde_json::to_string(&r).expect("responses serialize");
            // A checkout form is paid only with iyzico's signature over the reply's fields.
            if operation == "iyzico.retrieve_checkout_form" && text.contains("\"state\":\"paid\"") {
                let raw: odeme::providers::iyzico::checkout::CheckoutFormResult =
                    odeme::json::read_shape(r.raw.as_str().as_bytes()).expect("a paid reply reads");
                let fields: Vec<String> = odeme::providers::iyzico::checkout::checkout_form_signature_fields(&raw)
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect();
                let sig = raw.signature.as_deref().unwrap_or_default();
                assert!(odeme::sign::iyzico_verify("s", &fields, sig));
            }
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
});
