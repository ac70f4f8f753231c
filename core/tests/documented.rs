//! The simulator answers in the providers' documented shapes.
//!
//! Every reply example that a provider's public document shows for an operation odeme implements
//! is committed under `sim/tests/documented/` (sources in `SOURCES.md` there). Each test drives
//! the simulator through that operation and compares the structure of its reply with the
//! example: every key of the example present with the same JSON type (an example's `null` says
//! nothing about the type), the same nesting, array items shaped like the example's first item.
//! Keys the simulator adds beyond the example are allowed only where listed below, each with the
//! newer document that adds it. A reply that drifts from the documents fails here, not in
//! production.

use std::io::{Read, Write};
use std::net::TcpStream;

use odeme::{Client, Response};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

fn documented(file: &str) -> Value {
    let path = format!(
        "{}/../sim/tests/documented/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[path = "../../sim/tests/support/shape.rs"]
mod shape;

fn assert_shape(file: &str, got: &Value, extra_ok: &[&str]) {
    let out = shape::differences(&documented(file), got, extra_ok, &[]);
    assert!(
        out.is_empty(),
        "the simulator's reply differs from {file}:\n  {}\nreply: {got}",
        out.join("\n  ")
    );
}

fn client(sim: &Sim) -> Client {
    Client::from_json(&sim.client_config().to_string()).unwrap()
}

fn call(c: &Client, op: &str, req: Value) -> Response {
    c.call(op, req).unwrap_or_else(|e| panic!("{op}: {e}"))
}

/// One raw HTTP/1.1 exchange (for error replies, which odeme turns into errors): the status and
/// the parsed JSON body.
fn raw(sim: &Sim, head: &str, body: &str) -> (u16, Value) {
    let addr = sim.base_url().trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap())
}

fn iyzico_payment(conversation_id: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.2",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": cards::SUCCESS, "expireMonth": "12", "expireYear": "2030", "cvc": "123"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "email": "email@email.com", "identityNumber": "74300864791",
                  "registrationAddress": "Nidakule Göztepe", "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "basketItems": [
            {"id": "BI101", "name": "Binocular", "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": "0.5"},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "itemType": "PHYSICAL", "price": "0.2"}
        ]
    })
}

/// Response `signature` was added to iyzico's payment replies after the 2018 examples
/// (docs.iyzico.com, "Response signature validation"); every other key is in the example.
const IYZICO_SIGNED: &[&str] = &[".signature"];

#[test]
fn iyzico_payment_auth_and_detail() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let r = call(&c, "iyzico.create_payment", iyzico_payment("doc-auth"));
    assert_shape("iyzico_payment_auth.json", &r.raw.to_value(), IYZICO_SIGNED);
    let r = call(
        &c,
        "iyzico.retrieve_payment",
        json!({"paymentConversationId": "doc-auth"}),
    );
    assert_shape(
        "iyzico_payment_detail.json",
        &r.raw.to_value(),
        IYZICO_SIGNED,
    );
}

#[test]
fn iyzico_wrong_signature() {
    let sim = Sim::start_http().unwrap();
    let (_, reply) = raw(
        &sim,
        "POST /payment/auth HTTP/1.1\r\nContent-Type: application/json\r\nx-iyzi-rnd: 123\r\nAuthorization: IYZWSv2 YXBpS2V5OnNpbS1peXppY28tYXBpLWtleSZyYW5kb21LZXk6MTIzJnNpZ25hdHVyZTowMDAw",
        r#"{"locale":"tr","conversationId":"123456789"}"#,
    );
    assert_shape("iyzico_error_1000.json", &reply, &[]);
    assert_eq!(reply["errorCode"], "1000");
}

#[test]
fn paymes_create_kiosk_status_and_error() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let order = |id: &str| {
        json!({"orderId": id, "price": "10.50", "currency": "TRY", "productName": "Book",
               "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
               "buyerAddress": "Örnek adres"})
    };
    let r = call(&c, "paymes.create_order", order("doc-pm-1"));
    assert_shape("paymes_order_create_v4_6.json", &r.raw.to_value(), &[]);
    let r = call(&c, "paymes.create_kiosk_order", order("doc-pm-2"));
    assert_shape(
        "paymes_order_create_v4_6_kiosk.json",
        &r.raw.to_value(),
        &[],
    );

    // Pay the first order as the payer would, then query it.
    let created = call(&c, "paymes.create_order", order("doc-pm-3"));
    let paymes_order_id = created.provider_reference.clone().unwrap();
    let odeme::Outcome::Redirect { url, .. } = &created.outcome else {
        panic!("{:?}", created.outcome)
    };
    let path = url.strip_prefix(sim.base_url()).unwrap();
    let (status, _) = raw(&sim, &format!("GET {path} HTTP/1.1"), "");
    assert_eq!(status, 200);
    let r = call(
        &c,
        "paymes.query_order",
        json!({"paymesOrderId": paymes_order_id}),
    );
    assert_shape("paymes_status_v4_6.json", &r.raw.to_value(), &[]);

    let (status, reply) = raw(
        &sim,
        "POST /v4.6/order_create HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
        "publicKey=sim-paymes-public-key&orderId=doc-pm-4&currency=TRY",
    );
    assert_eq!(status, 400);
    assert_shape("paymes_error.json", &reply, &[]);
}

#[test]
fn paymago_create_and_unknown_order() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let r = call(
        &c,
        "paymago.create_order",
        json!({"orderId": "doc-pg-1", "amount": "150", "currencyCode": "949", "cardHolderName": "John Doe",
               "cardNumber": cards::SUCCESS, "expireYear": "30", "expireMonth": "1", "cvc": "123",
               "saleProduct": "Phone", "saleProductPrice": "150", "isSecureTransaction": true,
               "callbackUrl": "https://merchant.example/callback"}),
    );
    assert_shape("paymago_create_order_link.json", &r.raw.to_value(), &[]);
    let r = call(
        &c,
        "paymago.order_result",
        json!({"orderId": "doc-pg-none", "paymentId": "none"}),
    );
    assert_shape("paymago_order_result_error.json", &r.raw.to_value(), &[]);
}

#[test]
fn esnekpos_send_payment_request() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let r = call(
        &c,
        "esnekpos.send_payment_request",
        json!({"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "test@mail.com",
               "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": "Book"}),
    );
    assert_shape("esnekpos_send_payment_request.json", &r.raw.to_value(), &[]);
}

fn paytr_iframe(oid: &str) -> Value {
    json!({
        "user_ip": "85.34.78.112", "merchant_oid": oid, "email": "musteri@saglayici.com",
        "payment_amount": 999, "user_basket": [["Örnek ürün 1", "9.99", 1]],
        "user_name": "Ad Soyad", "user_address": "Adres", "user_phone": "05555555555",
        "merchant_ok_url": "https://site/basarili", "merchant_fail_url": "https://site/basarisiz"
    })
}

#[test]
fn paytr_get_token_refund_error_and_status_returns() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let r = call(&c, "paytr.create_iframe_token", paytr_iframe("docpaytr1"));
    let reply = r.raw.to_value();
    assert_shape("paytr_get_token_success.json", &reply, &[]);
    assert_eq!(reply["token"].as_str().unwrap().len(), 52);

    // A wrong merchant_id: the published failure, word for word.
    let (_, reply) = raw(
        &sim,
        "POST /odeme/api/get-token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
        "merchant_id=1&merchant_oid=x",
    );
    assert_eq!(reply, documented("paytr_get_token_failed.json"));

    let odeme::Outcome::Iframe { url, .. } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    let path = url.strip_prefix(sim.base_url()).unwrap();
    let (status, _) = raw(&sim, &format!("GET {path} HTTP/1.1"), "");
    assert_eq!(status, 200);
    call(
        &c,
        "paytr.refund",
        json!({"merchant_oid": "docpaytr1", "return_amount": "1.00", "reference_no": "111111111111111"}),
    );
    let q = call(
        &c,
        "paytr.query_order",
        json!({"merchant_oid": "docpaytr1"}),
    );
    let item = &q.raw.to_value()["returns"][0];
    assert_shape("paytr_status_return_item.json", item, &[]);

    let e = c
        .call(
            "paytr.refund",
            json!({"merchant_oid": "docpaytr1", "return_amount": "9.99"}),
        )
        .unwrap_err();
    let (_, refused) = {
        let tok = odeme::sign::paytr_token(
            odeme_sim::credentials::PAYTR_MERCHANT_KEY,
            &["100000", "docpaytr1", "9.99"],
            odeme_sim::credentials::PAYTR_MERCHANT_SALT,
        );
        let mut body = String::new();
        for (k, v) in [
            ("merchant_id", "100000"),
            ("merchant_oid", "docpaytr1"),
            ("return_amount", "9.99"),
            ("paytr_token", tok.as_str()),
        ] {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(k);
            body.push('=');
            body.push_str(
                &v.replace('+', "%2B")
                    .replace('/', "%2F")
                    .replace('=', "%3D"),
            );
        }
        raw(
            &sim,
            "POST /odeme/iade HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
            &body,
        )
    };
    assert_shape("paytr_refund_error.json", &refused, &[]);
    assert_eq!(e.provider_code(), refused["err_no"].as_str());
}

/// The SDK mocks pair the card fields with error fields and a string `systemTime` (they test
/// the mapper, not a reply): only the card fields are compared.
fn card_fields(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in [
            "status",
            "errorCode",
            "errorMessage",
            "errorGroup",
            "systemTime",
            "locale",
        ] {
            o.remove(k);
        }
    }
    v
}

#[test]
fn iyzico_preauth_capture_and_card_storage() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let r = call(&c, "iyzico.preauth_payment", iyzico_payment("doc-preauth"));
    assert_shape("iyzico_payment_auth.json", &r.raw.to_value(), IYZICO_SIGNED);
    assert_eq!(r.raw.to_value()["phase"], "PRE_AUTH");
    let id = r.provider_reference.clone().unwrap();
    let r = call(
        &c,
        "iyzico.capture_payment",
        json!({"paymentId": id, "paidPrice": "1.0", "ip": "85.34.78.112", "currency": "TRY"}),
    );
    assert_shape("iyzico_payment_auth.json", &r.raw.to_value(), IYZICO_SIGNED);
    assert_eq!(r.raw.to_value()["phase"], "POST_AUTH");

    let r = call(
        &c,
        "iyzico.store_card",
        json!({"conversationId": "doc-card-1", "email": "email@email.com", "externalId": "doc-card",
               "card": {"cardAlias": "alias", "cardNumber": cards::SUCCESS, "expireYear": "2030",
                        "expireMonth": "12", "cardHolderName": "John Doe"}}),
    );
    let stored = r.raw.to_value();
    let diffs = shape::differences(
        &card_fields(&documented("iyzico_card_create.sdk-mock.json")),
        &card_fields(&stored),
        &[],
        &[],
    );
    assert!(diffs.is_empty(), "{diffs:?}\n{stored}");
    let r = call(
        &c,
        "iyzico.list_cards",
        json!({"conversationId": "doc-card-2", "cardUserKey": stored["cardUserKey"]}),
    );
    let listed = r.raw.to_value();
    let diffs = shape::differences(
        &card_fields(&documented("iyzico_card_list.sdk-mock.json")),
        &card_fields(&listed),
        &[],
        &[],
    );
    assert!(diffs.is_empty(), "{diffs:?}\n{listed}");
}
