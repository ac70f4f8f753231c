//! The redacted log of every call (README, "Logs") against the simulator: the events and their
//! fields for a payment, each attempt of a retried read, the error kind of a declined card, the
//! journal's events, bodies at `debug` with nothing secret in them (one call per provider), the
//! `log` facade under target `odeme`, and a sink that panics.

mod common;

use std::sync::{Arc, Mutex};

use common::{client, client_with, unique};
use odeme::{Client, ErrorKind, LogEvent, LogLevel, Outcome};
use odeme_sim::{cards, credentials, Sim};
use serde_json::{json, Value};

const CARD: &str = "4766620000000001";
const CVC: &str = "947";

fn iyzico_payment(conversation_id: &str, card: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": CVC, "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe", "ip": "85.34.78.112",
                  "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "basketItems": [{"id": "BI101", "name": "Binocular", "category1": "Collectibles", "itemType": "PHYSICAL", "price": "1.0"}]
    })
}

type Events = Arc<Mutex<Vec<LogEvent>>>;

/// Capture `client`'s events at `level`.
fn capture(client: &Client, level: LogLevel) -> Events {
    let events: Events = Arc::default();
    let sink = events.clone();
    client
        .set_log(
            level,
            Some(Arc::new(move |e: &LogEvent| {
                sink.lock().unwrap().push(e.clone())
            })),
        )
        .unwrap();
    events
}

fn take(events: &Events) -> Vec<LogEvent> {
    std::mem::take(&mut *events.lock().unwrap())
}

fn names(events: &[LogEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.event).collect()
}

/// Every secret the simulator's clients hold, and the sentinel card data.
fn assert_clean(events: &[LogEvent]) {
    for e in events {
        let text = e.to_json();
        for needle in [
            CARD,
            "4766-6200",
            credentials::IYZICO_API_KEY,
            credentials::IYZICO_SECRET_KEY,
            credentials::PAYMES_PUBLIC_KEY,
            credentials::PAYMES_SECRET_KEY,
            credentials::PAYMES_LEGACY_SECRET,
            credentials::PAYMAGO_TOKEN,
            credentials::ESNEKPOS_MERCHANT_KEY,
            "\"cvc\"",
            "\"cvv\"",
            "CC_CVV",
            "signature",
            "\"hash\"",
            "cardToken",
            "cardUserKey",
            "IYZWS",
        ] {
            assert!(!text.contains(needle), "{needle} in {text}");
        }
        assert!(!text.contains(&format!("\"{CVC}\"")), "the CVC in {text}");
    }
}

#[test]
fn a_payment_logs_its_start_attempt_and_end() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let events = capture(&c, LogLevel::Info);
    let reference = unique("log-pay");
    let r = c
        .call("iyzico.create_payment", iyzico_payment(&reference, CARD))
        .unwrap();
    let got = take(&events);
    assert_eq!(names(&got), ["call.start", "call.attempt", "call.end"]);
    for e in &got {
        assert_eq!(e.operation, "iyzico.create_payment");
        assert_eq!(e.provider, "iyzico");
        assert_eq!(e.reference.as_deref(), Some(reference.as_str()));
        assert!(e.ts.ends_with('Z') && e.ts.len() == 24, "{}", e.ts);
        assert!(
            e.request_body.is_none() && e.response_body.is_none(),
            "info has no bodies"
        );
    }
    let attempt = &got[1];
    assert_eq!(attempt.level, LogLevel::Info);
    assert_eq!(attempt.method, Some("POST"));
    assert_eq!(attempt.path.as_deref(), Some("/payment/auth"));
    assert_eq!(attempt.attempt, Some(1));
    assert_eq!(attempt.http_status, Some(200));
    assert!(attempt.duration_ms.unwrap() > 0.0);
    let end = &got[2];
    assert_eq!(end.outcome, Some("completed"));
    assert_eq!(end.error_kind, None);
    assert_eq!(end.provider_reference, r.provider_reference);
    assert!(end.provider_reference.is_some());
    assert!(end.duration_ms.unwrap() >= attempt.duration_ms.unwrap());
    // The JSON form: the contract's names, absent fields left out.
    let j: Value = serde_json::from_str(&end.to_json()).unwrap();
    assert_eq!(j["event"], "call.end");
    assert_eq!(j["level"], "info");
    assert_eq!(j["outcome"], "completed");
    assert!(j.get("error_kind").is_none() && j.get("request_body").is_none());

    // Off: nothing, and the same answer.
    c.set_log_level(LogLevel::Off);
    c.call(
        "iyzico.create_payment",
        iyzico_payment(&unique("log-off"), CARD),
    )
    .unwrap();
    assert!(take(&events).is_empty());
    // Warn: only what went wrong.
    c.set_log_level(LogLevel::Warn);
    c.call(
        "iyzico.create_payment",
        iyzico_payment(&unique("log-warn"), CARD),
    )
    .unwrap();
    assert!(take(&events).is_empty());
}

#[test]
fn a_retried_read_shows_each_attempt() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let reference = unique("sim:flaky");
    c.call("iyzico.create_payment", iyzico_payment(&reference, CARD))
        .unwrap();
    let events = capture(&c, LogLevel::Info);
    let r = c
        .call(
            "iyzico.payment_details",
            json!({ "paymentConversationId": reference }),
        )
        .unwrap();
    let got = take(&events);
    assert_eq!(
        names(&got),
        ["call.start", "call.attempt", "call.attempt", "call.end"]
    );
    let (first, second) = (&got[1], &got[2]);
    assert_eq!(first.attempt, Some(1));
    assert_eq!(first.http_status, Some(503));
    assert_eq!(first.level, LogLevel::Warn);
    assert_eq!(first.method, Some("GET"));
    assert_eq!(
        first.path.as_deref(),
        Some("/v2/reporting/payment/details"),
        "the query is not logged"
    );
    assert_eq!(second.attempt, Some(2));
    assert_eq!(second.http_status, Some(200));
    assert_eq!(got[3].outcome, Some("status"));
    assert_eq!(got[3].provider_reference, r.provider_reference);
}

#[test]
fn a_transport_failure_is_an_attempt_with_its_error_kind() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::from_json(
        &json!({"allow_http": true, "read_retries": 1,
                "paymes": {"public_key": "p", "secret_key": "s", "base_url": format!("http://127.0.0.1:{port}")}})
        .to_string(),
    )
    .unwrap();
    let events = capture(&c, LogLevel::Debug);
    let e = c
        .call("paymes.query_order", json!({"paymesOrderId": "x"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    let got = take(&events);
    assert_eq!(
        names(&got),
        ["call.start", "call.attempt", "call.attempt", "call.end"]
    );
    for a in &got[1..3] {
        assert_eq!(a.error_kind, Some("transport"));
        assert_eq!(a.http_status, None);
        assert_eq!(a.level, LogLevel::Warn);
        assert!(a.response_body.is_none());
        // The form body sent, redacted: the hash is gone.
        let body: Value = serde_json::from_str(a.request_body.as_deref().unwrap()).unwrap();
        assert_eq!(body["paymesOrderId"], "x");
        assert!(
            body.get("hash").is_none() && body.get("publicKey").is_none(),
            "{body}"
        );
    }
    assert_eq!(got[3].error_kind, Some("transport"));
    assert_eq!(got[3].level, LogLevel::Warn);
}

#[test]
fn a_declined_card_shows_its_error_kind() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let events = capture(&c, LogLevel::Info);
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("log-declined"), cards::INSUFFICIENT_FUNDS),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined);
    let got = take(&events);
    assert_eq!(names(&got), ["call.start", "call.attempt", "call.end"]);
    let end = &got[2];
    assert_eq!(end.error_kind, Some("declined"));
    assert_eq!(end.outcome, None);
    assert_eq!(end.level, LogLevel::Warn);
    assert_eq!(end.http_status, e.http_status());
    // An error before any I/O: start and end, no attempt.
    let e = c
        .call("iyzico.create_payment", json!({"price": "1"}))
        .unwrap_err();
    let got = take(&events);
    assert_eq!(names(&got), ["call.start", "call.end"]);
    assert_eq!(got[1].error_kind, Some(e.kind().as_str()));
}

#[test]
fn a_journal_logs_its_intent_and_outcome() {
    let sim = Sim::start_http().unwrap();
    let store = common::journal::Store::new(common::journal::Kind::Sqlite, "logs");
    let path = store.path().to_owned();
    let c = client_with(&sim, |cfg| cfg["journal"] = json!({ "path": path }));
    let events = capture(&c, LogLevel::Info);
    let reference = unique("log-journal");
    c.call("iyzico.create_payment", iyzico_payment(&reference, CARD))
        .unwrap();
    let got = take(&events);
    assert_eq!(
        names(&got),
        [
            "call.start",
            "journal.intent",
            "call.attempt",
            "journal.outcome",
            "call.end"
        ]
    );
    assert_eq!(got[3].outcome, Some("completed"));
    assert!(got[3].provider_reference.is_some());
    assert_eq!(got[1].reference.as_deref(), Some(reference.as_str()));
    // The second send of the same reference is refused before the journal writes anything.
    let e = c
        .call("iyzico.create_payment", iyzico_payment(&reference, CARD))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(names(&take(&events)), ["call.start", "call.end"]);
    // A declined payment: the row is failed, the event says why.
    c.call(
        "iyzico.create_payment",
        iyzico_payment(&unique("log-journal-d"), cards::DO_NOT_HONOUR),
    )
    .unwrap_err();
    let got = take(&events);
    assert_eq!(got[3].event, "journal.outcome");
    assert_eq!(got[3].error_kind, Some("declined"));
    drop(c);
}

/// One call per provider at `debug`: the bodies are there, and hold nothing secret.
#[test]
fn debug_bodies_are_redacted_for_every_provider() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let events = capture(&c, LogLevel::Debug);

    c.call(
        "iyzico.create_payment",
        iyzico_payment(&unique("log-dbg"), CARD),
    )
    .unwrap();
    let got = take(&events);
    assert_clean(&got);
    let sent: Value = serde_json::from_str(got[1].request_body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["paymentCard"]["cardNumber"], "476662******0001");
    assert_eq!(sent["paymentCard"]["cardHolderName"], "John Doe");
    assert!(sent["paymentCard"].get("cvc").is_none());
    let received: Value = serde_json::from_str(got[1].response_body.as_deref().unwrap()).unwrap();
    assert_eq!(received["status"], "success");
    assert!(received.get("paymentId").is_some());

    let order = unique("log-dbg-paymes");
    c.call(
        "paymes.create_order",
        json!({"orderId": order, "price": "1050", "currency": "TRY", "productName": "Kalem",
               "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
               "buyerAddress": "Örnek adres bilgisi"}),
    )
    .unwrap();
    let got = take(&events);
    assert_clean(&got);
    let sent: Value = serde_json::from_str(got[1].request_body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["orderId"], order.as_str());

    c.call(
        "paymago.create_order",
        json!({"amount": "150", "currencyCode": "949", "installment": "", "cardHolderName": "John Doe",
               "cardNumber": CARD, "expireYear": "30", "expireMonth": "1", "cvc": CVC, "saleProduct": "Kalem",
               "saleProductPrice": 150, "saleDescription": "x", "isSecureTransaction": true,
               "callbackUrl": "https://merchant.example/callback"}),
    )
    .unwrap();
    let got = take(&events);
    assert_clean(&got);
    assert!(got[1]
        .request_body
        .as_deref()
        .unwrap()
        .contains("476662******0001"));

    c.call(
        "esnekpos.pay_3d",
        json!({
            "Config": {"BACK_URL": "https://shop.example/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150"},
            "CreditCard": {"CC_NUMBER": CARD, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": CVC,
                           "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
            "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                         "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez Mah.", "CLIENT_IP": "123.44.66.38"},
            "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "Kalem", "PRODUCT_CATEGORY": "Genel",
                         "PRODUCT_DESCRIPTION": "x", "PRODUCT_AMOUNT": "150"}]
        }),
    )
    .unwrap();
    let got = take(&events);
    assert_clean(&got);
    let sent: Value = serde_json::from_str(got[1].request_body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["CreditCard"]["CC_NUMBER"], "476662******0001");
    assert_eq!(
        sent["Config"]["MERCHANT"],
        credentials::ESNEKPOS_MERCHANT,
        "not a secret"
    );
    assert!(sent["Config"].get("MERCHANT_KEY").is_none());
}

#[test]
fn a_panicking_sink_does_not_change_the_result() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let calls = Arc::new(Mutex::new(0));
    let n = calls.clone();
    c.set_log(
        LogLevel::Debug,
        Some(Arc::new(move |_: &LogEvent| {
            *n.lock().unwrap() += 1;
            panic!("a logger that panics");
        })),
    )
    .unwrap();
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("log-panic"), CARD),
        )
        .unwrap();
    assert_eq!(odeme::log::outcome_type(&r.outcome), "completed");
    assert_eq!(*calls.lock().unwrap(), 3, "every event was offered");
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("log-panic"), cards::INSUFFICIENT_FUNDS),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined);
}

#[test]
fn a_sink_cannot_replace_itself_and_a_call_inside_it_is_not_logged() {
    let sim = Sim::start_http().unwrap();
    let c = Arc::new(client(&sim));
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let (inner, s) = (Arc::downgrade(&c), seen.clone());
    c.set_log(
        LogLevel::Info,
        Some(Arc::new(move |e: &LogEvent| {
            s.lock().unwrap().push(e.event.to_owned());
            if e.event == "call.start" {
                let c = inner.upgrade().unwrap();
                let refused = c.set_log(LogLevel::Off, None).unwrap_err();
                s.lock().unwrap().push(refused.kind().as_str().to_owned());
                // A call made by the sink itself: answered, not logged.
                let r = c.call(
                    "iyzico.bin_check",
                    json!({"binNumber": "552879", "conversationId": "in-sink"}),
                );
                s.lock().unwrap().push(format!("inner ok: {}", r.is_ok()));
            }
        })),
    )
    .unwrap();
    c.call("iyzico.bin_check", json!({"binNumber": "552879"}))
        .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "call.start",
            "invalid_argument",
            "inner ok: true",
            "call.attempt",
            "call.end"
        ]
    );
}

/// Without a sink the events go to the `log` facade, target `odeme`, as one line of JSON each.
#[test]
fn the_log_facade_gets_the_events_under_target_odeme() {
    struct Capture;
    static LINES: Mutex<Vec<(log::Level, String, String)>> = Mutex::new(Vec::new());
    impl log::Log for Capture {
        fn enabled(&self, m: &log::Metadata) -> bool {
            m.level() <= log::Level::Info
        }
        fn log(&self, r: &log::Record) {
            LINES
                .lock()
                .unwrap()
                .push((r.level(), r.target().to_owned(), r.args().to_string()));
        }
        fn flush(&self) {}
    }
    log::set_logger(&Capture).unwrap();
    log::set_max_level(log::LevelFilter::Info);
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let reference = unique("log-facade");
    c.call("iyzico.create_payment", iyzico_payment(&reference, CARD))
        .unwrap();
    let lines: Vec<Value> = LINES
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, target, text)| target == "odeme" && text.contains(&reference))
        .map(|(level, _, text)| {
            assert_eq!(*level, log::Level::Info);
            serde_json::from_str(text).unwrap()
        })
        .collect();
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["call.start", "call.attempt", "call.end"]);
    assert!(lines.iter().all(|l| l.get("request_body").is_none()));
}

/// A hosted checkout form's token reaches the merchant in the response, never the info log (it
/// was `provider_reference` of `call.end`).
#[test]
fn a_checkout_form_token_is_not_the_logged_provider_reference() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let events = capture(&c, LogLevel::Info);
    let mut request = iyzico_payment(&unique("log-cf"), CARD);
    if let Some(o) = request.as_object_mut() {
        for card_field in ["paymentCard", "installment", "paymentChannel"] {
            o.remove(card_field);
        }
    }
    request["callbackUrl"] = json!("https://shop.example/cf");
    let r = c.call("iyzico.init_checkout_form", request).unwrap();
    let Outcome::CheckoutForm { token, .. } = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(r.provider_reference.as_deref(), Some(token.as_str()));
    let got = take(&events);
    assert!(names(&got).contains(&"call.end"));
    for e in &got {
        assert!(!e.to_json().contains(token.as_str()), "{}", e.to_json());
    }
}
