//! Every provider's reply parser: arbitrary bytes as the reply (with an arbitrary HTTP status)
//! to each operation. Must never panic; every result is a response or a typed error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn client() -> &'static odeme::Client {
    static CLIENT: OnceLock<odeme::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        odeme::Client::from_json(
            r#"{"iyzico": {"api_key": "k", "secret_key": "s"}, "paymes": {"public_key": "p", "secret_key": "s"},
                "paymago": {"token": "t"}, "esnekpos": {"merchant": "m", "merchant_key": "k"}}"#,
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
    let order = json!({"orderId": "o-1", "price": "10.00", "currency": "TRY", "productName": "P", "buyerName": "B",
                       "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"});
    let (operation, request) = match data[2] % 11 {
        0 => ("iyzico.create_payment", json!({})),
        1 => ("iyzico.retrieve_payment", json!({"paymentConversationId": "c-1"})),
        2 => ("paymes.create_order", order),
        3 => ("paymes.create_kiosk_order", order),
        4 => ("paymes.create_order_legacy", order),
        5 => ("paymes.query_order", json!({"paymesOrderId": "p-1"})),
        6 => ("paymago.create_order", json!({"orderId": "o-1"})),
        7 => ("paymago.order_result", json!({"orderId": "o-1", "paymentId": "p-1"})),
        8 => ("esnekpos.send_payment_request", json!({})),
        9 => ("iyzico.payment_details", json!({"paymentConversationId": "c-1"})),
        _ => ("esnekpos.query_payment_request", json!({"SEND_PAYMENT_REQUEST_ID": "2482"})),
    };
    match client().interpret_reply(operation, request, status, body) {
        Ok(r) => {
            let _ = serde_json::to_string(&r).expect("responses serialize");
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
});
