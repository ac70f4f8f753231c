//! End-to-end: every operation through the public API against the simulator, over plain HTTP and
//! over TLS with the simulator's generated CA; every error kind that can occur; every fault.

use std::sync::Arc;
use std::time::{Duration, Instant};

use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

mod common;
use common::{client, client_with, short_deadline, unique, visit, wait_until_booked};

fn iyzico_payment(conversation_id: &str, card: &str, first_item: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [
            {"id": "BI101", "name": first_item, "category1": "Collectibles", "category2": "Accessories", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": 0.5},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "category2": "Usb / Cable", "itemType": "PHYSICAL", "price": "0.20"}
        ]
    })
}

fn paymes_order(order_id: &str, product: &str) -> Value {
    json!({"orderId": order_id, "price": "1050", "currency": "TRY", "productName": product,
           "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
           "buyerAddress": "Örnek adres bilgisi"})
}

fn paymago_order(order_id: Option<&str>, card: &str, product: &str) -> Value {
    let mut v = json!({"amount": "150", "currencyCode": "949", "installment": "", "cardHolderName": "John Doe",
           "cardNumber": card, "expireYear": "30", "expireMonth": "1", "cvc": "123", "saleProduct": product,
           "saleProductPrice": 150, "saleDescription": "Latest model", "isSecureTransaction": true,
           "callbackUrl": "https://merchant.example/callback"});
    if let Some(id) = order_id {
        v["orderId"] = json!(id);
    }
    v
}

fn esnekpos_request(product: &str) -> Value {
    json!({"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "test@mail.com",
           "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": product})
}

// ---- happy paths ---------------------------------------------------------------------------

fn happy_paths(sim: &Sim) {
    let c = client(sim);

    // iyzico: pay, then retrieve by id and by conversation id.
    let conv = unique("conv");
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::SUCCESS, "Binocular"),
        )
        .unwrap();
    let Outcome::Completed(p) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(p.paid_price, "1.2");
    assert_eq!(p.price, "1.0");
    assert_eq!(p.item_transactions.len(), 3);
    assert_eq!(r.provider_reference.as_deref(), Some(p.payment_id.as_str()));
    assert_eq!(r.raw.to_value()["conversationId"], conv.as_str());
    let got = c
        .call(
            "iyzico.retrieve_payment",
            json!({"paymentId": p.payment_id}),
        )
        .unwrap();
    let Outcome::Status(s) = &got.outcome else {
        panic!()
    };
    assert_eq!(s.state, State::Paid);
    let got = c
        .call(
            "iyzico.retrieve_payment",
            json!({"paymentConversationId": conv}),
        )
        .unwrap();
    assert!(matches!(&got.outcome, Outcome::Status(s) if s.state == State::Paid));
    let missing = c
        .call(
            "iyzico.retrieve_payment",
            json!({"paymentConversationId": unique("nope")}),
        )
        .unwrap();
    assert!(matches!(&missing.outcome, Outcome::Status(s) if s.state == State::NotFound));

    // iyzico fraud review.
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("conv"), cards::SUCCESS, "sim:review"),
        )
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Review(_)), "{:?}", r.outcome);

    // Paymes: hosted order, payer pays, notification verifies, query says paid.
    let order_id = unique("pm");
    let r = c
        .call("paymes.create_order", paymes_order(&order_id, "Ürün İsmi"))
        .unwrap();
    let Outcome::Redirect {
        url,
        provider_order_id,
        ..
    } = &r.outcome
    else {
        panic!("{:?}", r.outcome)
    };
    let paymes_id = provider_order_id.clone().unwrap();
    let q = c
        .call("paymes.query_order", json!({"paymesOrderId": paymes_id}))
        .unwrap();
    assert!(
        matches!(&q.outcome, Outcome::Status(s) if s.state == State::Pending),
        "{:?}",
        q.outcome
    );
    let notification = visit(sim, url);
    let n = c
        .call("paymes.verify_notification", notification.clone())
        .unwrap();
    let Outcome::Notification(s) = &n.outcome else {
        panic!()
    };
    assert_eq!(
        (s.state, s.order_id.as_deref()),
        (State::Paid, Some(order_id.as_str()))
    );
    assert_eq!(s.amount.as_deref(), Some("1050.00"));
    let q = c
        .call("paymes.query_order", json!({"paymesOrderId": paymes_id}))
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::Paid));
    let q = c
        .call(
            "paymes.query_order",
            json!({"paymesOrderId": "no-such-order"}),
        )
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::NotFound));
    // A tampered notification is a signature error.
    let mut tampered = notification;
    tampered["price"] = json!("1.00");
    let e = c.call("paymes.verify_notification", tampered).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);

    // Paymes kiosk and legacy.
    let r = c
        .call(
            "paymes.create_kiosk_order",
            paymes_order(&unique("pk"), "Kiosk"),
        )
        .unwrap();
    assert!(
        matches!(&r.outcome, Outcome::Terminal { invoice_code, .. } if invoice_code.len() == 7),
        "{:?}",
        r.outcome
    );
    let r = c
        .call(
            "paymes.create_order_legacy",
            paymes_order(&unique("pl"), "Legacy"),
        )
        .unwrap();
    assert!(matches!(&r.outcome, Outcome::Redirect { .. }));

    // Paymago: generated order id, 3-D Secure, result.
    let r = c
        .call(
            "paymago.create_order",
            paymago_order(None, cards::SUCCESS, "Phone"),
        )
        .unwrap();
    let Outcome::Redirect {
        url,
        order_id,
        provider_order_id,
    } = &r.outcome
    else {
        panic!("{:?}", r.outcome)
    };
    let order_id = order_id.clone().unwrap();
    assert_eq!(order_id.len(), 36, "a GUID is generated");
    let q = c
        .call(
            "paymago.order_result",
            json!({"orderId": order_id, "paymentId": provider_order_id}),
        )
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::Pending));
    let callback = visit(sim, url);
    assert_eq!(callback["orderId"], order_id.as_str());
    let q = c
        .call(
            "paymago.order_result",
            json!({"orderId": order_id, "paymentId": callback["paymentId"]}),
        )
        .unwrap();
    let Outcome::Status(s) = &q.outcome else {
        panic!()
    };
    assert_eq!(
        (s.state, s.amount.as_deref(), s.currency.as_deref()),
        (State::Paid, Some("150.00"), Some("TRY"))
    );
    let q = c
        .call(
            "paymago.order_result",
            json!({"orderId": unique("none"), "paymentId": "no-such-payment"}),
        )
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::NotFound));
    // Paymago documents paymentId as required: without it a real order would read "İşlem
    // Bulunamadı", so odeme refuses the query before any I/O.
    let before = sim.requests().len();
    let e = c
        .call("paymago.order_result", json!({"orderId": order_id}))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("paymentId"))
    );
    let e = c
        .call(
            "paymago.order_result",
            json!({"orderId": order_id, "paymentId": ""}),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("paymentId"))
    );
    assert_eq!(sim.requests().len(), before, "refused before any I/O");
    let r = c
        .call(
            "paymago.create_order",
            paymago_order(Some(&unique("pg")), cards::SUCCESS, "sim:html"),
        )
        .unwrap();
    assert!(
        matches!(&r.outcome, Outcome::Html { html, .. } if html.contains("<form")),
        "{:?}",
        r.outcome
    );

    // EsnekPOS: link, payer pays, query.
    let r = c
        .call(
            "esnekpos.send_payment_request",
            esnekpos_request("Test Ürün"),
        )
        .unwrap();
    let Outcome::PaymentLink { url, request_id } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    let q = c
        .call(
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": request_id}),
        )
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::Pending));
    visit(sim, url);
    let q = c
        .call(
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": request_id.parse::<u64>().unwrap()}),
        )
        .unwrap();
    let Outcome::Status(s) = &q.outcome else {
        panic!("{:?}", q.outcome)
    };
    assert_eq!((s.state, s.amount.as_deref()), (State::Paid, Some("10,56")));
    let report = s.report.as_ref().expect("the link's payments");
    assert_eq!(report.payments.len(), 1);
    let first_ref = report.payments[0].payment_id.clone();
    assert!(!first_ref.is_empty(), "ORDER_REF_NO is kept");
    assert!(report.payments[0].transaction_id.is_some());
    // Paid twice (a payer who pressed "pay" again): both payments, each with its amount and its
    // ORDER_REF_NO, the total, and a message that says what to refund.
    visit(sim, url);
    let q = c
        .call(
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": request_id}),
        )
        .unwrap();
    let Outcome::Status(s) = &q.outcome else {
        panic!("{:?}", q.outcome)
    };
    assert_eq!((s.state, s.amount.as_deref()), (State::Paid, Some("21,12")));
    let report = s.report.as_ref().unwrap();
    let payments: Vec<_> = report
        .payments
        .iter()
        .map(|p| (p.state, p.paid_price.as_deref()))
        .collect();
    assert_eq!(
        payments,
        [(State::Paid, Some("10,56")), (State::Paid, Some("10,56"))]
    );
    assert_eq!(report.payments[0].payment_id, first_ref);
    assert_ne!(report.payments[1].payment_id, first_ref);
    let message = s.message.as_deref().unwrap();
    assert!(
        message.contains("paid 2 times") && message.contains(&first_ref),
        "{message}"
    );
    assert!(
        q.raw.to_value().get("AMOUNT").is_none(),
        "no top-level AMOUNT in the documented reply"
    );
    let q = c
        .call(
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": "999999999"}),
        )
        .unwrap();
    assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::NotFound));

    // The JSON layer gives the documented response shape.
    let text = c
        .call_json(
            "iyzico.create_payment",
            &iyzico_payment(&unique("conv"), cards::SUCCESS, "Binocular").to_string(),
        )
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["operation"], "iyzico.create_payment");
    assert_eq!(v["outcome"]["type"], "completed");
    assert!(v["provider_reference"].is_string());
    assert_eq!(v["raw"]["status"], "success");
}

#[test]
fn every_operation_over_http() {
    happy_paths(&Sim::start_http().unwrap());
}

#[test]
fn every_operation_over_tls_with_the_generated_ca() {
    let sim = Sim::start_https().unwrap();
    assert!(sim.base_url().starts_with("https://"));
    happy_paths(&sim);
}

// ---- error kinds ---------------------------------------------------------------------------

fn error_kinds(sim: &Sim) {
    let c = client(sim);
    // Declines, with iyzico's codes and groups.
    for (card, code) in [
        (cards::INSUFFICIENT_FUNDS, "10051"),
        (cards::DO_NOT_HONOUR, "10005"),
        (cards::INVALID_CVC, "10084"),
    ] {
        let conv = unique("dec");
        let e = c
            .call(
                "iyzico.create_payment",
                iyzico_payment(&conv, card, "Binocular"),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Declined, "{e}");
        assert_eq!(e.provider_code(), Some(code));
        assert!(!e.retry_safe());
        assert!(!e.message().contains(card));
        // A declined payment is recorded as failed.
        let q = c
            .call(
                "iyzico.retrieve_payment",
                json!({"paymentConversationId": conv}),
            )
            .unwrap();
        assert!(matches!(&q.outcome, Outcome::Status(s) if s.state == State::Failed));
    }
    // Paymago declines after 3-D Secure, in order_result.
    let r = c
        .call(
            "paymago.create_order",
            paymago_order(None, cards::INSUFFICIENT_FUNDS, "Phone"),
        )
        .unwrap();
    let Outcome::Redirect { url, order_id, .. } = &r.outcome else {
        panic!()
    };
    let callback = visit(sim, url);
    let e = c
        .call(
            "paymago.order_result",
            json!({"orderId": order_id, "paymentId": callback["paymentId"]}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined, "{e}");
    assert_eq!(e.provider_code(), Some("10051"));

    // Wrong credentials, per provider.
    let bad = client_with(sim, |cfg| {
        cfg["iyzico"]["secret_key"] = json!("wrong-secret");
        cfg["paymes"]["secret_key"] = json!("wrong-secret");
        cfg["paymes"]["secret"] = json!("wrong-secret");
        cfg["paymago"]["token"] = json!("wrong-token");
        cfg["esnekpos"]["merchant_key"] = json!("wrong-key");
    });
    let e = bad
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("c"), cards::SUCCESS, "x"),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.provider_code()),
        (ErrorKind::Auth, Some("1000")),
        "{e}"
    );
    assert!(
        e.message().contains("randomKey + the request path"),
        "the message says what was signed: {e}"
    );
    assert!(!e.message().contains("wrong-secret"), "{e}");
    let e = bad
        .call("iyzico.retrieve_payment", json!({"paymentId": "1"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    for (op, req) in [
        ("paymes.create_order", paymes_order(&unique("a"), "P")),
        (
            "paymes.create_order_legacy",
            paymes_order(&unique("a"), "P"),
        ),
        ("paymes.query_order", json!({"paymesOrderId": "x"})),
        (
            "paymago.create_order",
            paymago_order(None, cards::SUCCESS, "P"),
        ),
        (
            "paymago.order_result",
            json!({"orderId": "x", "paymentId": "y"}),
        ),
        ("esnekpos.send_payment_request", esnekpos_request("P")),
        (
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": 1}),
        ),
    ] {
        let e = bad.call(op, req).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{op}: {e}");
        assert!(!e.message().contains("wrong-"), "{op}: {e}");
    }
    let wrong_api_key = client_with(sim, |cfg| cfg["iyzico"]["api_key"] = json!("other-key"));
    let e = wrong_api_key
        .call("iyzico.retrieve_payment", json!({"paymentId": "1"}))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.provider_code()),
        (ErrorKind::Auth, Some("1001"))
    );

    // Any other provider error: a reused Paymago order id.
    let id = unique("dup");
    c.call(
        "paymago.create_order",
        paymago_order(Some(&id), cards::SUCCESS, "P"),
    )
    .unwrap();
    let e = c
        .call(
            "paymago.create_order",
            paymago_order(Some(&id), cards::SUCCESS, "P"),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.provider_code()),
        (ErrorKind::Provider, Some("1005")),
        "{e}"
    );

    // A success reply with a wrong signature.
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("c"), cards::SUCCESS, "sim:badsig"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature, "{e}");

    // A read-only call whose reply cannot be understood: decode (and retried, then reported).
    let lost = client_with(sim, |cfg| {
        cfg["paymes"]["base_url"] = json!(format!("{}/elsewhere", sim.base_url()));
        cfg["read_retries"] = json!(1);
    });
    let before = sim.requests().len();
    let e = lost
        .call("paymes.query_order", json!({"paymesOrderId": "x"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert!(e.retry_safe());
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(
        sim.requests().len(),
        before,
        "the wrong path is not an operation the simulator serves"
    );
}

#[test]
fn error_kinds_over_http() {
    error_kinds(&Sim::start_http().unwrap());
}

#[test]
fn error_kinds_over_tls() {
    error_kinds(&Sim::start_https().unwrap());
}

#[test]
fn connection_refused_is_transport_and_retry_safe() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let c = Client::from_json(
        &json!({"allow_http": true, "read_retries": 1,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": base},
                "paymes": {"public_key": "p", "secret_key": "s", "base_url": base}})
        .to_string(),
    )
    .unwrap();
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment("c", cards::SUCCESS, "x"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.retry_safe());
    let e = c
        .call("paymes.query_order", json!({"paymesOrderId": "x"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
}

#[test]
fn an_untrusted_certificate_is_transport() {
    let sim = Sim::start_https().unwrap();
    let c = client_with(&sim, |cfg| cfg["ca_pem"] = Value::Null);
    let e = c
        .call("iyzico.retrieve_payment", json!({"paymentId": "1"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.message().contains("TLS"), "{e}");
    assert_eq!(sim.requests().len(), 0, "nothing was delivered");
}

#[test]
fn plain_http_is_refused_without_allow_http() {
    let sim = Sim::start_http().unwrap();
    let mut cfg = sim.client_config();
    cfg["allow_http"] = json!(false);
    let e = Client::from_json(&cfg.to_string()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

// ---- faults --------------------------------------------------------------------------------

/// Every fault on every order-creating call: the prescribed kind, and the order was sent once.
fn faults(sim: &Sim) {
    let c = client(sim);
    let quick = short_deadline(sim);
    type Make = fn(&str) -> (Value, String);
    let makers: Vec<(&str, Make)> = vec![
        ("iyzico.create_payment", |s| {
            let conv = unique("f");
            (iyzico_payment(&conv, cards::SUCCESS, s), conv)
        }),
        ("paymes.create_order", |s| {
            let id = unique("f");
            (paymes_order(&id, s), id)
        }),
        ("paymes.create_kiosk_order", |s| {
            let id = unique("f");
            (paymes_order(&id, s), id)
        }),
        ("paymes.create_order_legacy", |s| {
            let id = unique("f");
            (paymes_order(&id, s), id)
        }),
        ("paymago.create_order", |s| {
            let id = unique("f");
            (paymago_order(Some(&id), cards::SUCCESS, s), id)
        }),
    ];
    for (op, make) in &makers {
        for (scenario, want) in [
            ("sim:delay", ErrorKind::OutcomeUnknown),
            ("sim:drop", ErrorKind::OutcomeUnknown),
            ("sim:truncate", ErrorKind::OutcomeUnknown),
            ("sim:malformed", ErrorKind::OutcomeUnknown),
            ("sim:http500", ErrorKind::OutcomeUnknown),
            ("sim:oversize", ErrorKind::OutcomeUnknown),
            ("sim:redirect", ErrorKind::Provider),
        ] {
            let (req, order_ref) = make(scenario);
            let started = Instant::now();
            let delayed = scenario == "sim:delay";
            let e = if delayed { &quick } else { &c }.call(op, req).unwrap_err();
            assert_eq!(e.kind(), want, "{op} {scenario}: {e}");
            assert!(!e.retry_safe(), "{op} {scenario}");
            // A fault ends the call well before the client's deadline (30 s), and a delayed call
            // ends at its 1 s deadline, well before the simulator's 30 s reply.
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{op} {scenario} took {:?}",
                started.elapsed()
            );
            if delayed {
                wait_until_booked(sim, op, &order_ref);
            }
            assert_eq!(
                sim.count(op, &order_ref),
                1,
                "{op} {scenario}: sent exactly once"
            );
            if scenario == "sim:http500" {
                assert_eq!(e.http_status(), Some(500));
            }
            if scenario == "sim:redirect" {
                assert_eq!(
                    e.http_status(),
                    Some(302),
                    "{op}: the 302 is read, not followed"
                );
            }
        }
    }
    // EsnekPOS has no merchant order reference in its payment request: count by operation.
    for scenario in [
        "sim:delay",
        "sim:drop",
        "sim:truncate",
        "sim:malformed",
        "sim:http500",
        "sim:oversize",
    ] {
        let before = sim
            .requests()
            .iter()
            .filter(|r| r.operation.as_deref() == Some("esnekpos.send_payment_request"))
            .count();
        let e = if scenario == "sim:delay" { &quick } else { &c }
            .call("esnekpos.send_payment_request", esnekpos_request(scenario))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{scenario}: {e}");
        let sent = || {
            sim.requests()
                .iter()
                .filter(|r| r.operation.as_deref() == Some("esnekpos.send_payment_request"))
                .count()
        };
        let started = Instant::now();
        while sent() == before && started.elapsed() < Duration::from_secs(120) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(sent() - before, 1, "{scenario}");
    }
    // slow is latency, not a fault.
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("s"), cards::SUCCESS, "sim:slow"),
        )
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Completed(_)));
}

#[test]
fn faults_over_http() {
    faults(&Sim::start_http().unwrap());
}

#[test]
fn faults_over_tls() {
    faults(&Sim::start_https().unwrap());
}

#[test]
fn outcome_unknown_then_reconcile_finds_the_payment() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let conv = unique("recon");
    let e = short_deadline(&sim)
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::SUCCESS, "sim:delay"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.message().contains("reconcile"), "{e}");
    wait_until_booked(&sim, "iyzico.create_payment", &conv);
    // The declared reconciliation, exactly as the error carries it.
    assert_eq!(e.reconcile_with(), Some("iyzico.payment_details"));
    let q = c
        .call(
            e.reconcile_with().unwrap(),
            e.reconcile_request().unwrap().clone(),
        )
        .unwrap();
    assert!(
        matches!(&q.outcome, Outcome::Status(s) if s.state == State::Paid),
        "{:?}",
        q.outcome
    );
    assert_eq!(sim.count("iyzico.create_payment", &conv), 1);

    // Paymago without a merchant order id: the generated id is in the message. Its paymentId was
    // in the lost reply, and Paymago's orderResult needs it, so the registry says the API cannot
    // answer (no reconcile_with) and the query by orderId alone is refused, never "not found".
    let e = c
        .call(
            "paymago.create_order",
            paymago_order(None, cards::SUCCESS, "sim:drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.reconcile_with(), None);
    assert!(e.message().contains("callback"), "{e}");
    let id = e
        .message()
        .split("orderId ")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .to_owned();
    wait_until_booked(&sim, "paymago.create_order", &id);
    assert_eq!(sim.count("paymago.create_order", &id), 1);
    let e = c
        .call("paymago.order_result", json!({"orderId": id}))
        .unwrap_err();
    assert_eq!(e.field(), Some("paymentId"), "{e}");

    // Paymes: the order was booked although the reply was lost; the status query finds it once
    // the merchant has the paymesOrderId, and the log shows one creation.
    let order_id = unique("pmrecon");
    let e = c
        .call(
            "paymes.create_order",
            paymes_order(&order_id, "sim:truncate"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(sim.count("paymes.create_order", &order_id), 1);
}

#[test]
fn oversized_replies_are_bounded() {
    let sim = Sim::start_http().unwrap();
    let c = client_with(&sim, |cfg| cfg["max_response_bytes"] = json!(64 * 1024));
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("o"), cards::SUCCESS, "sim:oversize"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.message().contains("max_response_bytes"), "{e}");
}

#[test]
fn one_client_shared_by_threads_matches_every_reply_to_its_request() {
    let sim = Sim::start_https().unwrap();
    let c = Arc::new(client(&sim));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let c = c.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let conv = format!("thread-{t}-{i}");
                    let r = c
                        .call(
                            "iyzico.create_payment",
                            iyzico_payment(&conv, cards::SUCCESS, "Binocular"),
                        )
                        .unwrap();
                    assert_eq!(r.raw.to_value()["conversationId"], conv.as_str());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(sim.requests().len(), 200);
    assert!(
        sim.tls_handshakes() <= 16,
        "connections are reused: {} handshakes",
        sim.tls_handshakes()
    );
}

#[test]
fn simulator_control_endpoints() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    c.call("paymes.create_order", paymes_order("ctl-1", "P"))
        .unwrap();
    let log = visit(&sim, &format!("{}/__sim/requests", sim.base_url()));
    assert_eq!(log[0]["operation"], "paymes.create_order");
    assert_eq!(log[0]["order_ref"], "ctl-1");
    assert_eq!(log[0]["path"], "/v4.6/order_create");
    let text = log.to_string();
    assert!(
        !text.contains("sim-paymes") && !text.contains("hash"),
        "no secrets in the log: {text}"
    );
}

#[test]
fn a_configured_proxy_is_used_and_its_credentials_never_shown() {
    let sim = Sim::start_http().unwrap();
    let c = client_with(&sim, |cfg| {
        cfg["proxy"] = json!("http://merchant:proxy-pass-7@127.0.0.1:1");
        cfg["read_retries"] = json!(0);
    });
    assert!(!format!("{c:?}").contains("proxy-pass-7"));
    let e = c
        .call("iyzico.retrieve_payment", json!({"paymentId": "1"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(!e.to_string().contains("proxy-pass-7"));
    assert_eq!(
        sim.requests().len(),
        0,
        "the call went to the (dead) proxy, not straight to the simulator"
    );
}

/// A CONNECT proxy on loopback for one client: answers `200` to each `CONNECT host:port` and
/// pipes the tunnel both ways; counts the tunnels it opened.
fn connect_proxy() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tunnels = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let opened = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mut reader = BufReader::new(client.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let target = line.split(' ').nth(1).unwrap().to_owned();
            assert!(line.starts_with("CONNECT "), "{line}");
            // The rest of the head, up to its blank line.
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header == "\r\n" {
                    break;
                }
            }
            let upstream = TcpStream::connect(&target).unwrap();
            opened.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (&client)
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .unwrap();
            let (mut up_r, mut down_w) = (upstream.try_clone().unwrap(), client);
            let mut up_w = upstream;
            std::thread::spawn(move || std::io::copy(&mut up_r, &mut down_w));
            std::thread::spawn(move || std::io::copy(&mut reader, &mut up_w));
        }
    });
    (url, tunnels)
}

#[test]
fn calls_go_through_a_connect_proxy_over_tls() {
    let sim = Sim::start_https().unwrap();
    let (proxy, tunnels) = connect_proxy();
    let c = client_with(&sim, |cfg| cfg["proxy"] = json!(proxy));
    for i in 0..3 {
        let conv = unique(&format!("proxied-{i}"));
        let r = c
            .call(
                "iyzico.create_payment",
                iyzico_payment(&conv, cards::SUCCESS, "Binocular"),
            )
            .unwrap();
        assert!(matches!(r.outcome, Outcome::Completed(_)), "{r:?}");
    }
    assert_eq!(sim.requests().len(), 3);
    // One tunnel, kept open and reused by the pool.
    assert_eq!(tunnels.load(std::sync::atomic::Ordering::SeqCst), 1);
}

// ---- the registry: reconciliation carried by the error --------------------------------------

fn reconcile_request_finds_the_payment(sim: &Sim) {
    let c = client(sim);
    let conv = unique("rr");
    let e = short_deadline(sim)
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::SUCCESS, "sim:delay"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.reconcile_with(), Some("iyzico.payment_details"));
    let req = e.reconcile_request().cloned().expect("a reconcile_request");
    assert_eq!(req, json!({"paymentConversationId": conv}));
    let j = e.to_json();
    assert_eq!(j["reconcile_with"], "iyzico.payment_details");
    assert_eq!(j["reconcile_request"], req);
    wait_until_booked(sim, "iyzico.create_payment", &conv);
    let r = c.call(e.reconcile_with().unwrap(), req).unwrap();
    let Outcome::Status(s) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(s.state, State::Paid);
    assert_eq!(s.order_id.as_deref(), Some(conv.as_str()));
    let report = s.report.as_ref().expect("a report");
    assert!(!report.cancelled && report.refunds.is_empty());
    assert_eq!(report.paid_price.as_deref(), Some("1.2"));
    assert_eq!(sim.count("iyzico.create_payment", &conv), 1);
}

#[test]
fn outcome_unknown_carries_the_reconcile_request_over_http() {
    reconcile_request_finds_the_payment(&Sim::start_http().unwrap());
}

#[test]
fn outcome_unknown_carries_the_reconcile_request_over_tls() {
    reconcile_request_finds_the_payment(&Sim::start_https().unwrap());
}

#[test]
fn providers_without_a_query_say_where_to_look() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let e = c
        .call(
            "paymes.create_order",
            paymes_order(&unique("pl"), "sim:drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.reconcile_with(), None);
    assert!(e.reconcile_request().is_none());
    assert!(e.message().contains("notification"), "{e}");
    assert!(e.to_json()["reconcile_with"].is_null());
}

#[test]
fn payment_details_reports_every_payment_under_a_reused_conversation_id() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let conv = unique("reuse");
    let declined = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::INSUFFICIENT_FUNDS, "Binocular"),
        )
        .unwrap_err();
    assert_eq!(declined.kind(), ErrorKind::Declined);
    let paid = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::SUCCESS, "Binocular"),
        )
        .unwrap();
    let r = c
        .call(
            "iyzico.payment_details",
            json!({"paymentConversationId": conv}),
        )
        .unwrap();
    let Outcome::Status(s) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(s.state, State::Paid, "the successful payment decides");
    assert_eq!(r.provider_reference, paid.provider_reference);
    let report = s.report.as_ref().unwrap();
    assert_eq!(report.payments.len(), 2);
    assert_eq!(report.payments[0].state, State::Failed);
    assert_eq!(report.payments[1].state, State::Paid);
    // By payment id, and an unknown reference.
    let by_id = c
        .call(
            "iyzico.payment_details",
            json!({"paymentId": paid.provider_reference.clone().unwrap()}),
        )
        .unwrap();
    assert!(matches!(&by_id.outcome, Outcome::Status(s) if s.state == State::Paid));
    let none = c
        .call(
            "iyzico.payment_details",
            json!({"paymentConversationId": unique("none")}),
        )
        .unwrap();
    assert!(matches!(&none.outcome, Outcome::Status(s) if s.state == State::NotFound));
    let bad = c.call("iyzico.payment_details", json!({})).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidRequest);
    assert_eq!(bad.field(), Some("paymentConversationId"));
}
