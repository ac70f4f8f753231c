//! The simulator answers in the providers' documented shapes: each file in `tests/documented/`
//! holds a published example reply (`reply`, with its `_source`) or, where none is published,
//! the documented field list (`fields`). Each test drives the simulator as a merchant would
//! (its own IYZWSv2 and Paymes hashing, raw HTTP) and compares the structure of its reply with
//! the document: the same keys, the same nesting, the same JSON types.

use std::io::{Read, Write};
use std::net::TcpStream;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use odeme_sim::{credentials, Sim};
use serde_json::{json, Value};
use sha2::{Digest, Sha256, Sha512};

#[path = "support/shape.rs"]
mod shape;

fn documented(name: &str) -> Value {
    let path = format!("{}/tests/documented/{name}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        doc["_source"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://")),
        "{name} names its source"
    );
    doc
}

fn assert_same_shape(name: &str, got: &Value) {
    let doc = documented(name);
    let diffs = shape::differences(&doc["reply"], got, &[], &[]);
    assert!(diffs.is_empty(), "{name}: {diffs:#?}\nsimulator: {got}");
}

/// One HTTP/1.1 request over a fresh connection; returns (status, body).
fn http(
    sim: &Sim,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, String) {
    let addr = sim.base_url().trim_start_matches("http://").to_owned();
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn iyzico(sim: &Sim, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let random = "123456789";
    let mut mac =
        Hmac::<Sha256>::new_from_slice(credentials::IYZICO_SECRET_KEY.as_bytes()).unwrap();
    mac.update(format!("{random}{path}{body}").as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let auth = B64.encode(format!(
        "apiKey:{}&randomKey:{random}&signature:{sig}",
        credentials::IYZICO_API_KEY
    ));
    let headers = [
        ("Authorization", format!("IYZWSv2 {auth}")),
        ("x-iyzi-rnd", random.to_owned()),
        ("Content-Type", "application/json".to_owned()),
    ];
    let (_, text) = http(sim, "POST", path, &headers, body.as_bytes());
    serde_json::from_str(&text).unwrap()
}

fn iyzico_paid(sim: &Sim, conversation_id: &str) -> String {
    let r = iyzico(
        sim,
        "/payment/auth",
        &json!({
            "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.2",
            "installment": 1, "currency": "TRY", "basketId": "B1",
            "paymentCard": {"cardHolderName": "John Doe", "cardNumber": odeme_sim::cards::SUCCESS,
                            "expireMonth": "12", "expireYear": "2030", "cvc": "123"},
            "buyer": {"id": "B", "name": "J", "surname": "D", "identityNumber": "74300864791",
                      "email": "a@b.co", "registrationAddress": "A", "city": "I", "country": "T", "ip": "1.2.3.4"},
            "billingAddress": {"contactName": "J D", "city": "I", "country": "T", "address": "A"},
            "basketItems": [{"id": "I1", "name": "N", "category1": "C", "itemType": "VIRTUAL", "price": "1.0"}]
        }),
    );
    assert_eq!(r["status"], "success", "{r}");
    r["paymentId"].as_str().unwrap().to_owned()
}

#[test]
fn iyzico_cancel_reply_has_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let id = iyzico_paid(&sim, "doc-cancel");
    let r = iyzico(
        &sim,
        "/payment/cancel",
        &json!({
        "locale": "tr", "conversationId": "c-1", "paymentId": id, "ip": "85.34.78.112"}),
    );
    assert_eq!(r["status"], "success", "{r}");
    assert_same_shape("iyzico_cancel.json", &r);
    // A second cancel is iyzico's error, in its error shape.
    let again = iyzico(
        &sim,
        "/payment/cancel",
        &json!({"locale": "tr", "paymentId": id}),
    );
    assert_eq!(again["status"], "failure");
    assert!(again["errorCode"].is_string() && again["errorMessage"].is_string());
}

#[test]
fn iyzico_refund_v2_reply_has_the_documented_shape_and_signature() {
    let sim = Sim::start_http().unwrap();
    let id = iyzico_paid(&sim, "doc-refund");
    let r = iyzico(
        &sim,
        "/v2/payment/refund",
        &json!({
        "locale": "tr", "conversationId": "r-1", "paymentId": id, "price": "0.50", "currency": "TRY"}),
    );
    assert_eq!(r["status"], "success", "{r}");
    assert_same_shape("iyzico_refund_v2.json", &r);
    // Signed over paymentId:price:currency:conversationId, the price without trailing zeros.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(credentials::IYZICO_SECRET_KEY.as_bytes()).unwrap();
    mac.update(format!("{id}:0.5:TRY:r-1").as_bytes());
    let want: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(r["signature"], want.as_str());
    // More than remains (1.2 paid, 0.5 refunded) is iyzico's error.
    let over = iyzico(
        &sim,
        "/v2/payment/refund",
        &json!({"paymentId": id, "price": "0.71"}),
    );
    assert_eq!(over["status"], "failure", "{over}");
}

#[test]
fn paymes_cancel_reply_has_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let hash = |parts: &[&str]| {
        let mut h = Sha512::new();
        for p in parts {
            h.update(p.as_bytes());
        }
        h.update(credentials::PAYMES_SECRET_KEY.as_bytes());
        B64.encode(h.finalize())
    };
    let fields = [
        "doc-p1",
        "10.00",
        "TRY",
        "P",
        "B N",
        "05555555555",
        "a@b.co",
        "A",
    ];
    let names = [
        "orderId",
        "price",
        "currency",
        "productName",
        "buyerName",
        "buyerPhone",
        "buyerEmail",
        "buyerAddress",
    ];
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("publicKey", credentials::PAYMES_PUBLIC_KEY);
    for (n, v) in names.iter().zip(fields) {
        form.append_pair(n, v);
    }
    form.append_pair("hash", &hash(&fields));
    let ct = [(
        "Content-Type",
        "application/x-www-form-urlencoded".to_owned(),
    )];
    let (_, created) = http(
        &sim,
        "POST",
        "/v4.6/order_create",
        &ct,
        form.finish().as_bytes(),
    );
    let created: Value = serde_json::from_str(&created).unwrap();
    let id = created["paymesOrderId"].as_str().unwrap().to_owned();
    let (paid, _) = http(&sim, "GET", &format!("/pay/paymes/{id}"), &[], b"");
    assert_eq!(paid, 200);
    let cancel = form_urlencoded::Serializer::new(String::new())
        .append_pair("publicKey", credentials::PAYMES_PUBLIC_KEY)
        .append_pair("paymesOrderId", &id)
        .append_pair("price", "10.00")
        .append_pair("hash", &hash(&[&id, "10.00"]))
        .finish();
    let (status, body) = http(&sim, "POST", "/v4.6/order_cancel", &ct, cancel.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert_same_shape(
        "paymes_order_cancel.json",
        &serde_json::from_str(&body).unwrap(),
    );
}

#[test]
fn esnekpos_order_return_reply_has_the_documented_fields() {
    let sim = Sim::start_http().unwrap();
    let creds = json!({"MERCHANT": credentials::ESNEKPOS_MERCHANT, "MERCHANT_KEY": credentials::ESNEKPOS_MERCHANT_KEY});
    let mut link = json!({"AMOUNT": "10,00", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322",
                          "MAIL": "a@b.co", "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": "P"});
    link.as_object_mut()
        .unwrap()
        .extend(creds.as_object().unwrap().clone());
    let ct = [("Content-Type", "application/json".to_owned())];
    let (_, sent) = http(
        &sim,
        "POST",
        "/api/services/SendPaymentRequest",
        &ct,
        link.to_string().as_bytes(),
    );
    let sent: Value = serde_json::from_str(&sent).unwrap();
    let id = sent["SendPaymentRequestId"].as_str().unwrap();
    let (_, paid) = http(&sim, "GET", &format!("/pay/esnekpos/{id}"), &[], b"");
    let paid: Value = serde_json::from_str(&paid).unwrap();
    let order_ref = paid["ORDER_REF_NO"].as_str().unwrap();
    let mut ret = json!({"ORDER_REF_NUMBER": order_ref, "AMOUNT": 4.00, "SYNC_WITH_POS": true});
    ret.as_object_mut()
        .unwrap()
        .extend(creds.as_object().unwrap().clone());
    let (_, body) = http(
        &sim,
        "POST",
        "/api/services/OrderReturn",
        &ct,
        ret.to_string().as_bytes(),
    );
    let got: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(got["STATUS"], "SUCCESS", "{got}");
    let doc = documented("esnekpos_order_return.json");
    let mut want: Vec<&str> = doc["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let mut keys: Vec<&str> = got
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    want.sort();
    keys.sort();
    assert_eq!(keys, want);
    // ProcessQuery shows the refund (STATUS_ID 7) after the payment (3).
    let mut q = json!({"ORDER_REF_NUMBER": order_ref});
    q.as_object_mut()
        .unwrap()
        .extend(creds.as_object().unwrap().clone());
    let (_, body) = http(
        &sim,
        "POST",
        "/api/services/ProcessQuery",
        &ct,
        q.to_string().as_bytes(),
    );
    let q: Value = serde_json::from_str(&body).unwrap();
    // A link payment's ProcessQuery has the captured reply's shape (esnekpos_process_query_paid.json,
    // a real posservicetest reply; sources in SOURCES_3ds.md), its return entries included.
    let paid: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/documented/esnekpos_process_query_paid.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let diffs = shape::differences(&paid, &q, &[], &[]);
    assert!(diffs.is_empty(), "{diffs:#?}\nsimulator: {q}");
    let ids: Vec<i64> = q["TRANSACTIONS"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["STATUS_ID"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![3, 7], "{q}");
}

#[test]
fn the_shape_comparison_can_fail() {
    let diffs = shape::differences(
        &json!({"a": 1, "b": [{"c": "x"}], "n": null, "o": {"p": true}}),
        &json!({"a": "1", "b": [{"d": "x"}], "n": "anything", "o": {"p": false, "q": 1}}),
        &["q"],
        &[],
    );
    assert_eq!(
        diffs,
        [
            ".a: number in the example, string here",
            ".b[0].c: documented, missing here",
            ".b[0].d: not in the documented example",
        ],
    );
    assert!(
        shape::differences(&json!({"a": [1]}), &json!({"a": []}), &[], &[])
            .contains(&".a: empty, the example has items".to_owned())
    );
}
