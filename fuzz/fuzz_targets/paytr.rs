//! PayTR (issue 34): arbitrary bytes as the reply to each PayTR operation (any HTTP status), and
//! as the callback body given to `verify_webhook("paytr", ...)` (form or JSON by the selector).
//! Must never panic; a reply is a response or a typed error; an accepted callback carries the
//! hash PayTR's formula gives for its signed fields.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use odeme::Outcome;
use serde_json::{json, Value};

const KEY: &str = "fuzz-paytr-key";
const SALT: &str = "fuzz-paytr-salt";

fn client() -> &'static odeme::Client {
    static CLIENT: OnceLock<odeme::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        odeme::Client::from_json(&format!(
            r#"{{"paytr": {{"merchant_id": "100000", "merchant_key": "{KEY}", "merchant_salt": "{SALT}"}}}}"#
        ))
        .expect("fuzz config")
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = 100 + (u16::from_le_bytes([data[0], data[1]]) % 500);
    let body = data[3..].to_vec();
    let buyer = json!({
        "user_ip": "1.2.3.4", "merchant_oid": "o1", "email": "a@b.co", "user_name": "A B",
        "user_address": "A", "user_phone": "05555555555", "merchant_ok_url": "https://m/ok",
        "merchant_fail_url": "https://m/fail", "user_basket": [["P", "1.00", 1]]
    });
    let with = |extra: Value| {
        let mut v = buyer.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    let (operation, request) = match data[2] % 5 {
        0 => ("paytr.create_iframe_token", with(json!({"payment_amount": 100}))),
        1 => ("paytr.pay_direct", with(json!({"payment_amount": "1", "cc_owner": "A B",
              "card_number": "5528790000000008", "expiry_month": "12", "expiry_year": "2031", "cvv": "123"}))),
        2 => ("paytr.refund", json!({"merchant_oid": "o1", "return_amount": "1", "refundable": "5"})),
        3 => ("paytr.query_order", json!({"merchant_oid": "o1"})),
        _ => {
            let content_type = if data[0] & 1 == 0 { "application/x-www-form-urlencoded" } else { "application/json" };
            let headers = [("Content-Type", content_type)];
            let Ok(r) = client().verify_webhook("paytr", &headers, &body) else { return };
            let Outcome::Webhook(n) = &r.outcome else { panic!("not a notification") };
            assert_eq!(n.reply.as_deref(), Some("OK"));
            let raw = r.raw.to_value();
            let text = |k: &str| match raw.get(k) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(x)) => x.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                _ => panic!("accepted without {k}"),
            };
            let want = odeme::sign::paytr_callback_hash(KEY, SALT, &text("merchant_oid"), &text("status"), &text("total_amount"));
            assert_eq!(want, text("hash").trim());
            return;
        }
    };
    match client().interpret_reply(operation, request, status, body) {
        Ok(r) => {
            let _ = serde_json::to_string(&r).expect("responses serialize");
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
});
