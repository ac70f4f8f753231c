//! `Client::verify_webhook`: iyzico V3 and Paymes deliveries over raw bytes, the published
//! vectors, tampering, missing headers, and the simulator's deliveries.

use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

/// The published V3 examples: bodies in `vectors/webhooks/` from iyzico/iyzipay-php
/// `samples/webhook_Signature_Validation.php` (the comment block; see SOURCES there), with the
/// sample's secret key and header values.
const PUBLISHED_SECRET: &str = "sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs";
const DIRECT_BODY: &[u8] = include_bytes!("vectors/webhooks/webhook_v3_direct_api.json");
const DIRECT_SIG: &str = "92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae";
const CF_BODY: &[u8] = include_bytes!("vectors/webhooks/webhook_v3_checkout_form.json");
const CF_SIG: &str = "4031c575763486a2d2bf3f7ace0baebfcd6bed65393ab4df3fe80c00d5fd6878";

fn iyzico_client(secret: &str) -> Client {
    Client::from_json(
        &json!({"iyzico": {"api_key": "k", "secret_key": secret}, "paymes": {"public_key": "p", "secret_key": "sim-paymes-secret-key"}})
            .to_string(),
    )
    .unwrap()
}

fn notification(r: &odeme::Response) -> &odeme::Notification {
    match &r.outcome {
        Outcome::Webhook(n) => n,
        other => panic!("not a webhook notification: {other:?}"),
    }
}

#[test]
fn published_direct_api_delivery_verifies() {
    let c = iyzico_client(PUBLISHED_SECRET);
    let r = c
        .verify_webhook("iyzico", &[("X-Iyz-Signature-V3", DIRECT_SIG)], DIRECT_BODY)
        .unwrap();
    assert_eq!(r.operation, "webhook.iyzico");
    let n = notification(&r);
    assert_eq!(n.event.as_deref(), Some("API_AUTH"));
    assert_eq!(n.state, State::Paid);
    assert_eq!(n.payment_id.as_deref(), Some("22484059"));
    assert_eq!(n.order_id.as_deref(), Some("conversationId"));
    assert!(!n.duplicate);
    let j = r.to_json();
    assert_eq!(j["outcome"]["type"], "notification");
    assert_eq!(j["outcome"]["provider"], "iyzico");
    assert_eq!(j["outcome"]["duplicate"], false);
}

#[test]
fn published_checkout_form_delivery_verifies_with_its_own_field_order() {
    let c = iyzico_client(PUBLISHED_SECRET);
    let r = c
        .verify_webhook("iyzico", &[("x-iyz-signature-v3", CF_SIG)], CF_BODY)
        .unwrap();
    let n = notification(&r);
    assert_eq!(n.event.as_deref(), Some("CHECKOUT_FORM_AUTH"));
    assert_eq!(n.payment_id.as_deref(), Some("22483975"));
    assert_eq!(n.state, State::Paid);
    // The other order's signature does not verify this body.
    let e = c
        .verify_webhook("iyzico", &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)], CF_BODY)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
}

#[test]
fn reference_vectors_of_both_orders() {
    // core/tests/vectors/iyzico_vectors.json `response_signatures.webhook_v3_*` (secret `_meta`).
    let v: Value = serde_json::from_str(include_str!("vectors/iyzico_vectors.json")).unwrap();
    let secret = v["_meta"]["secretKey"].as_str().unwrap();
    let c = iyzico_client(secret);
    let direct = br#"{"iyziEventType":"API_AUTH","paymentId":10851936,"paymentConversationId":"123456789","status":"SUCCESS"}"#;
    let sig = v["response_signatures"]["webhook_v3_direct"]["signature_hex"]
        .as_str()
        .unwrap();
    c.verify_webhook("iyzico", &[("X-IYZ-SIGNATURE-V3", sig)], direct)
        .unwrap();
    let hpp = br#"{"iyziEventType":"CHECKOUT_FORM_AUTH","iyziPaymentId":"10851936","token":"a1b2c3d4-0000-4000-8000-000000000001","paymentConversationId":"123456789","status":"SUCCESS"}"#;
    let sig = v["response_signatures"]["webhook_v3_hpp"]["signature_hex"]
        .as_str()
        .unwrap();
    // Upper-case hex is the same signature.
    c.verify_webhook(
        "iyzico",
        &[("X-IYZ-SIGNATURE-V3", sig.to_uppercase().as_str())],
        hpp,
    )
    .unwrap();
}

#[test]
fn tampered_body_missing_header_and_garbage_are_signature_errors() {
    let c = iyzico_client(PUBLISHED_SECRET);
    let tampered = String::from_utf8(DIRECT_BODY.to_vec())
        .unwrap()
        .replace("SUCCESS", "FAILURE");
    let e = c
        .verify_webhook(
            "iyzico",
            &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)],
            tampered.as_bytes(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert_eq!(e.operation(), Some("webhook.iyzico"));
    let none: [(&str, &str); 0] = [];
    let e = c.verify_webhook("iyzico", &none, DIRECT_BODY).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("X-IYZ-SIGNATURE-V3"), "{e}");
    for body in [&b"not json"[..], b"[]", b"{}", b""] {
        let e = c
            .verify_webhook("iyzico", &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)], body)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature, "{body:?}");
    }
    // A signature of the right length but wrong value, and a non-hex one.
    for sig in ["0".repeat(64), "zz".to_owned()] {
        let e = c
            .verify_webhook(
                "iyzico",
                &[("X-IYZ-SIGNATURE-V3", sig.as_str())],
                DIRECT_BODY,
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
    }
    // The secret never shows in the message.
    assert!(!format!("{e:?}").contains(PUBLISHED_SECRET));
}

#[test]
fn unknown_and_unconfigured_providers() {
    let c = Client::from_json(r#"{"paymes": {"public_key": "p", "secret_key": "s"}}"#).unwrap();
    let e = c
        .verify_webhook("iyzico", &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)], DIRECT_BODY)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = c
        .verify_webhook("paymago", &[("a", "b")], b"{}")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c.verify_webhook_json("paymes", "[1]", b"a=b").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

fn sim_client(sim: &Sim) -> Client {
    Client::from_json(&sim.client_config().to_string()).unwrap()
}

fn headers(delivery: &Value) -> Vec<(String, String)> {
    delivery["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn body(delivery: &Value) -> Vec<u8> {
    delivery["body"].as_str().unwrap().as_bytes().to_vec()
}

fn iyzico_payment(conversation_id: &str, card: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [{"id": "BI101", "name": "Binocular", "category1": "Collectibles", "itemType": "PHYSICAL", "price": "1.0"}]
    })
}

#[test]
fn simulator_iyzico_deliveries() {
    let sim = Sim::start_http().unwrap();
    let c = sim_client(&sim);
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment("wh-iyz-1", cards::SUCCESS),
        )
        .unwrap();
    let payment_id = r.provider_reference.clone().unwrap();
    let before = sim.requests().len();
    for id in [payment_id.as_str(), "wh-iyz-1"] {
        let d = sim.webhook("iyzico", id).unwrap();
        let r = c.verify_webhook("iyzico", &headers(&d), &body(&d)).unwrap();
        let n = notification(&r);
        assert_eq!(n.state, State::Paid);
        assert_eq!(n.payment_id.as_deref(), Some(payment_id.as_str()));
        assert_eq!(n.order_id.as_deref(), Some("wh-iyz-1"));
        assert!(!n.duplicate, "no journal: never a duplicate");
    }
    // Over HTTP, as other languages fetch it: the same delivery, and not in the request log.
    let url = format!("{}/__sim/webhook/iyzico/wh-iyz-1", sim.base_url());
    let text = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let over_http: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(Some(over_http), sim.webhook("iyzico", "wh-iyz-1"));
    assert_eq!(sim.requests().len(), before);
    assert_eq!(
        ureq::get(&format!("{}/__sim/webhook/iyzico/nope", sim.base_url()))
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|e| match e {
                ureq::Error::StatusCode(c) => c,
                other => panic!("{other}"),
            }),
        404
    );
    assert_eq!(sim.requests().len(), before);
    // A declined payment's delivery says FAILURE.
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment("wh-iyz-2", cards::INSUFFICIENT_FUNDS),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined);
    let d = sim.webhook("iyzico", "wh-iyz-2").unwrap();
    let r = c.verify_webhook("iyzico", &headers(&d), &body(&d)).unwrap();
    assert_eq!(notification(&r).state, State::Failed);
    assert!(sim.webhook("iyzico", "no-such-payment").is_none());
}

fn paymes_order(order_id: &str, product: &str) -> Value {
    json!({"orderId": order_id, "price": "1050", "currency": "TRY", "productName": product,
           "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
           "buyerAddress": "Örnek adres bilgisi"})
}

#[test]
fn simulator_paymes_deliveries_form_and_json() {
    let sim = Sim::start_http().unwrap();
    let c = sim_client(&sim);
    let r = c
        .call("paymes.create_order", paymes_order("wh-pm-1", "Kalem"))
        .unwrap();
    let paymes_id = r.provider_reference.clone().unwrap();
    let d = sim.webhook("paymes", "wh-pm-1").unwrap();
    assert!(headers(&d)[0].1.contains("x-www-form-urlencoded"));
    let r = c.verify_webhook("paymes", &headers(&d), &body(&d)).unwrap();
    assert_eq!(r.operation, "webhook.paymes");
    let n = notification(&r);
    assert_eq!(n.state, State::Paid, "the GET completed the unpaid order");
    assert_eq!(n.payment_id.as_deref(), Some(paymes_id.as_str()));
    assert_eq!(n.order_id.as_deref(), Some("wh-pm-1"));
    assert_eq!(n.event.as_deref(), Some("success"));

    // The same fields as JSON, chosen by Content-Type.
    let fields: serde_json::Map<String, Value> = form_fields(&body(&d))
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let json_body = Value::Object(fields.clone()).to_string();
    let r = c
        .verify_webhook(
            "paymes",
            &[("content-type", "application/json; charset=utf-8")],
            json_body.as_bytes(),
        )
        .unwrap();
    assert_eq!(notification(&r).state, State::Paid);

    // Tampered price, missing hash: signature errors.
    let mut t = fields.clone();
    t.insert("price".into(), json!("1.00"));
    let e = c
        .verify_webhook(
            "paymes",
            &[("Content-Type", "application/json")],
            Value::Object(t).to_string().as_bytes(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let mut t = fields;
    t.remove("hash");
    let e = c
        .verify_webhook(
            "paymes",
            &[("Content-Type", "application/json")],
            Value::Object(t).to_string().as_bytes(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("hash"), "{e}");
    let tampered = String::from_utf8(body(&d))
        .unwrap()
        .replace("wh-pm-1", "wh-pm-2");
    let e = c
        .verify_webhook("paymes", &headers(&d), tampered.as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
}

fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    // Minimal decoder for the test (the simulator encodes with `form_urlencoded`).
    String::from_utf8(body.to_vec())
        .unwrap()
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (dec(k), dec(v))
        })
        .collect()
}

fn dec(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_signed_field_given_twice_is_refused() {
    // Which `status` did iyzico sign? The delivery is refused, whichever the signature covers.
    let c = iyzico_client(PUBLISHED_SECRET);
    let body = String::from_utf8(DIRECT_BODY.to_vec()).unwrap();
    let twice = body.replace(
        "\"status\":\"SUCCESS\"",
        "\"status\":\"SUCCESS\",\"status\":\"FAILURE\"",
    );
    assert_ne!(twice, body);
    let e = c
        .verify_webhook(
            "iyzico",
            &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)],
            twice.as_bytes(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    assert!(e.message().contains("`status` twice"), "{e}");
    // A field odeme does not read may repeat: the signed message is unambiguous.
    let merchant = body.replace(
        "\"merchantId\":3382172",
        "\"merchantId\":3382172,\"merchantId\":1",
    );
    assert_ne!(merchant, body);
    c.verify_webhook(
        "iyzico",
        &[("X-IYZ-SIGNATURE-V3", DIRECT_SIG)],
        merchant.as_bytes(),
    )
    .unwrap();
}
