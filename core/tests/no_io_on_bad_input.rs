//! Bad input is refused before any I/O, naming the field; secrets and card data never leak.

use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use odeme::{Client, ErrorKind};
use serde_json::{json, Value};

const PAN: &str = "5528790000000008";
const CVC: &str = "739";
const SECRET: &str = "sentinel-secret-XyZ-9183";

/// A listener that records every connection it accepts (the peer's address), in order.
fn tripwire() -> (String, Arc<AtomicUsize>, Arc<Mutex<Vec<SocketAddr>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let peers = Arc::new(Mutex::new(Vec::new()));
    let (h, p) = (hits.clone(), peers.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            // A connection already reset has no peer address: it is recorded all the same.
            let peer = conn
                .peer_addr()
                .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
            p.lock().unwrap().push(peer);
            h.fetch_add(1, Ordering::SeqCst);
        }
    });
    (format!("http://{addr}"), hits, peers)
}

/// Every connection made before this call has been accepted once this returns: a marker
/// connection of our own queues behind them (the listener accepts in order), and we wait for
/// the listener to record it: an event, not a time. Returns the peers recorded before it.
fn connections_before_marker(base: &str, peers: &Mutex<Vec<SocketAddr>>) -> Vec<SocketAddr> {
    let marker = std::net::TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    let me = marker.local_addr().unwrap();
    let started = std::time::Instant::now();
    loop {
        {
            let seen = peers.lock().unwrap();
            if let Some(i) = seen.iter().position(|p| *p == me) {
                return seen[..i].to_vec();
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the marker connection was never accepted"
        );
        std::thread::yield_now();
    }
}

fn client(base: &str) -> Client {
    Client::from_json(
        &json!({
            "allow_http": true, "timeout_ms": 2000,
            "iyzico": {"api_key": SECRET, "secret_key": SECRET, "base_url": base},
            "paymes": {"public_key": SECRET, "secret_key": SECRET, "secret": SECRET, "base_url": base},
            "paymago": {"token": SECRET, "base_url": format!("{base}/api")},
            "esnekpos": {"merchant": "TEST1234", "merchant_key": SECRET, "base_url": base}
        })
        .to_string(),
    )
    .unwrap()
}

fn iyzico_request() -> Value {
    json!({
        "locale": "tr", "conversationId": "c-1", "price": "1.0", "paidPrice": "1.2", "currency": "TRY",
        "installment": 1, "basketId": "B1", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": PAN, "expireMonth": "12", "expireYear": "2030", "cvc": CVC},
        "buyer": {"id": "BY1", "name": "John", "surname": "Doe", "identityNumber": "74300864791", "email": "j@example.com",
                  "registrationAddress": "Nidakule Göztepe", "city": "Istanbul", "country": "Turkey", "ip": "85.34.78.112"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule"},
        "basketItems": [
            {"id": "BI1", "name": "Binocular", "category1": "C", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI2", "name": "Game", "category1": "C", "itemType": "VIRTUAL", "price": "0.7"}
        ]
    })
}

fn paymago_request() -> Value {
    json!({"amount": "150.00", "currencyCode": "949", "orderId": "o-1", "cardHolderName": "John Doe",
           "cardNumber": PAN, "expireYear": "2030", "expireMonth": "12", "cvc": CVC, "saleProduct": "Phone",
           "saleProductPrice": "150.00", "isSecureTransaction": true, "callbackUrl": "https://example.com/cb"})
}

fn set(mut v: Value, path: &[&str], new: Value) -> Value {
    let mut cur = &mut v;
    for p in &path[..path.len() - 1] {
        cur = match p.parse::<usize>() {
            Ok(i) => &mut cur[i],
            Err(_) => &mut cur[*p],
        };
    }
    let last = path[path.len() - 1];
    if new.is_null() {
        cur.as_object_mut().unwrap().remove(last);
    } else {
        cur[last] = new;
    }
    v
}

/// (operation, request, field the error must name)
fn bad_requests() -> Vec<(&'static str, Value, &'static str)> {
    let iy = iyzico_request;
    let pm = paymago_request;
    vec![
        (
            "iyzico.create_payment",
            set(iy(), &["price"], Value::Null),
            "price",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["price"], json!("1.005")),
            "price",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paidPrice"], json!("-1")),
            "paidPrice",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["price"], json!("abc")),
            "price",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["price"], json!("1.1")),
            "basketItems",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["basketItems", "0", "price"], json!("0")),
            "basketItems[0].price",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["basketItems", "1", "itemType"], json!("DIGITAL")),
            "basketItems[1].itemType",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["installment"], json!(5)),
            "installment",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["shippingAddress"], Value::Null),
            "shippingAddress",
        ),
        (
            "iyzico.create_payment",
            set(
                iy(),
                &["paymentCard", "cardNumber"],
                json!("5528790000000009"),
            ),
            "paymentCard.cardNumber",
        ),
        (
            "iyzico.create_payment",
            set(
                iy(),
                &["paymentCard", "cardNumber"],
                json!(5528790000000008u64),
            ),
            "paymentCard.cardNumber",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paymentCard", "expireYear"], json!("2001")),
            "paymentCard.expireYear",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paymentCard", "expireMonth"], json!("13")),
            "paymentCard.expireMonth",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paymentCard", "cvc"], json!("12")),
            "paymentCard.cvc",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paymentCard", "cvc"], json!(739)),
            "paymentCard.cvc",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["buyer", "email"], json!("not-an-email")),
            "buyer.email",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["buyer", "name"], Value::Null),
            "buyer.name",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["paymentChannel"], json!("FAX")),
            "paymentChannel",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["currency"], json!("JPY")),
            "currency",
        ),
        (
            "iyzico.create_payment",
            set(iy(), &["prise"], json!("1")),
            "prise",
        ),
        ("iyzico.retrieve_payment", json!({}), "paymentId"),
        (
            "paymes.create_order",
            json!({"orderId": "1", "price": "10.001", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}),
            "price",
        ),
        (
            "paymes.create_order",
            json!({"orderId": "1", "price": "10", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "555", "buyerEmail": "a@b.co", "buyerAddress": "A"}),
            "buyerPhone",
        ),
        (
            "paymes.create_order",
            json!({"orderId": "1", "price": "10", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "x", "buyerAddress": "A"}),
            "buyerEmail",
        ),
        (
            "paymes.create_kiosk_order",
            json!({"orderId": "1", "price": "10", "currency": "GBP", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}),
            "currency",
        ),
        (
            "paymes.create_order_legacy",
            json!({"orderId": "1", "price": "10", "currency": "USD", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}),
            "currency",
        ),
        (
            "paymes.query_order",
            json!({"paymesOrderId": ""}),
            "paymesOrderId",
        ),
        (
            "paymes.verify_notification",
            json!({"paymesOrderId": "p", "orderId": "o", "type": "success", "price": "1.00", "currency": "TRY"}),
            "hash",
        ),
        (
            "paymago.create_order",
            set(pm(), &["cardNumber"], json!("4111111111111112")),
            "cardNumber",
        ),
        (
            "paymago.create_order",
            set(pm(), &["cvc"], json!("12345")),
            "cvc",
        ),
        (
            "paymago.create_order",
            set(pm(), &["expireYear"], json!("19")),
            "expireYear",
        ),
        (
            "paymago.create_order",
            set(pm(), &["currencyCode"], json!("392")),
            "currencyCode",
        ),
        (
            "paymago.create_order",
            set(pm(), &["amount"], json!(150.001)),
            "amount",
        ),
        (
            "paymago.create_order",
            set(pm(), &["callbackUrl"], json!("ftp://x")),
            "callbackUrl",
        ),
        ("paymago.order_result", json!({"paymentId": "p"}), "orderId"),
        (
            "esnekpos.send_payment_request",
            json!({"AMOUNT": "10.56", "PHONE_NUMBER": "5554443322", "MAIL": "a@b.co", "TYPE": 4, "LOCALE": "tr", "PRODUCT": "P"}),
            "TYPE",
        ),
        (
            "esnekpos.send_payment_request",
            json!({"AMOUNT": "10.56", "PHONE_NUMBER": "5554443322", "MAIL": "a@b.co", "TYPE": 1, "LOCALE": "de", "PRODUCT": "P"}),
            "LOCALE",
        ),
        (
            "esnekpos.send_payment_request",
            json!({"AMOUNT": "10.56", "PHONE_NUMBER": "+905554443322", "MAIL": "a@b.co", "TYPE": 1, "LOCALE": "tr", "PRODUCT": "P"}),
            "PHONE_NUMBER",
        ),
        (
            "esnekpos.send_payment_request",
            json!({"AMOUNT": "0", "PHONE_NUMBER": "5554443322", "MAIL": "a@b.co", "TYPE": 1, "PRODUCT": "P"}),
            "AMOUNT",
        ),
        (
            "esnekpos.query_payment_request",
            json!({}),
            "SEND_PAYMENT_REQUEST_ID",
        ),
    ]
}

#[test]
fn invalid_requests_name_the_field_and_open_no_connection() {
    let (base, _, peers) = tripwire();
    let client = client(&base);
    for (op, req, field) in bad_requests() {
        let err = client.call(op, req).expect_err(op);
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{op} {field}: {err}");
        assert_eq!(err.field(), Some(field), "{op}: {err}");
        assert!(
            err.message().contains(field),
            "{op}: message should name {field}: {err}"
        );
        assert_eq!(err.operation(), Some(op));
    }
    assert_eq!(
        connections_before_marker(&base, &peers),
        Vec::<SocketAddr>::new(),
        "validation must happen before any I/O"
    );
}

#[test]
fn valid_requests_do_reach_the_network() {
    // The tripwire really trips: a valid request connects (the listener never answers, so
    // the call ends in a timeout, which for an order-creating call is outcome_unknown).
    let (base, hits, _) = tripwire();
    let client = Client::from_json(
        &json!({"allow_http": true, "timeout_ms": 300,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": base}})
        .to_string(),
    )
    .unwrap();
    let err = client
        .call("iyzico.create_payment", iyzico_request())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert!(!err.retry_safe());
    assert!(hits.load(Ordering::SeqCst) >= 1);
}

#[test]
fn unconfigured_provider_is_a_config_error_and_bad_json_is_invalid_argument() {
    let c = Client::from_json(r#"{"paymes": {"secret": "x"}}"#).unwrap();
    let e = c
        .call("iyzico.create_payment", iyzico_request())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = c.call_json("paymes.create_order", "{not json").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c.call("iyzico.refund", json!({})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn sentinel_card_data_and_secrets_never_appear_in_errors() {
    let (base, _hits, _) = tripwire();
    let client = client(&base);
    let mut outputs = Vec::new();
    for (op, req, _) in bad_requests() {
        let err = client.call(op, req).unwrap_err();
        outputs.push(format!("{err} {err:?} {}", err.to_json()));
    }
    // Config errors with the secret in the wrong place.
    for cfg in [
        json!({"iyzico": {"api_key": SECRET, "secret_key": format!(" {SECRET}")}}),
        json!({"iyzico": {"api_key": 1234, "secret_key": SECRET}}),
        json!({"iyzico": {"api_key": SECRET, "secret_key": SECRET, "base_url": format!("http://{SECRET}")}}),
        json!({"paymago": {"token": SECRET, "base_url": format!("ftp://{SECRET}")}}),
    ] {
        let e = Client::from_json(&cfg.to_string()).unwrap_err();
        outputs.push(format!("{e} {e:?} {}", e.to_json()));
    }
    // Card data in every position serde could echo.
    for req in [
        set(
            iyzico_request(),
            &["paymentCard", "cardNumber"],
            json!(5528790000000008u64),
        ),
        set(iyzico_request(), &["paymentCard", "cvc"], json!(739)),
        set(iyzico_request(), &["paymentCard", "cvc"], json!([CVC])),
        set(
            iyzico_request(),
            &["paymentCard", "cardNumber"],
            json!({"n": PAN}),
        ),
        set(
            iyzico_request(),
            &["basketItems", "0", "itemType"],
            json!(PAN),
        ),
        set(iyzico_request(), &["paymentChannel"], json!(CVC)),
        set(iyzico_request(), &["price"], json!(PAN)),
    ] {
        let e = client.call("iyzico.create_payment", req).unwrap_err();
        outputs.push(format!("{e} {e:?} {}", e.to_json()));
    }
    outputs.push(format!("{client:?}"));
    for out in &outputs {
        assert!(!out.contains(PAN), "PAN leaked: {out}");
        assert!(!out.contains(CVC), "CVC leaked: {out}");
        assert!(!out.contains(SECRET), "secret leaked: {out}");
    }
}
