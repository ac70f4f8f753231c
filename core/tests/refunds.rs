//! Refunds and cancels end to end against the simulator, over plain HTTP and over TLS: full and
//! partial refunds and cancels on iyzico, the Paymes cancel, EsnekPOS returns (full and partial),
//! over-refunds refused before any I/O, a second cancel as the provider's error, and the
//! `sim:refund-drop` / `sim:refund-delay` faults: `outcome_unknown`, reconciled through the
//! operation the registry declares, and exactly one send in the simulator's log.

use odeme::{Client, ErrorKind, Outcome, RefundOutcome, Response, State};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

mod common;
use common::{client, short_deadline, unique, visit, wait_until_booked};

/// An iyzico payment of 1.20 (price 1.0), paid; returns its paymentId.
fn iyzico_paid(c: &Client, product: &str) -> String {
    let conv = unique("rf");
    let r = c
        .call(
            "iyzico.create_payment",
            json!({
                "conversationId": conv, "price": "1.0", "paidPrice": "1.20", "installment": 1, "currency": "TRY",
                "paymentCard": {"cardHolderName": "John Doe", "cardNumber": cards::SUCCESS, "expireMonth": "12",
                                "expireYear": "2030", "cvc": "123"},
                "buyer": {"id": "B", "name": "John", "surname": "Doe", "identityNumber": "74300864791",
                          "email": "email@email.com", "registrationAddress": "A", "city": "Istanbul",
                          "country": "Turkey", "ip": "85.34.78.112"},
                "billingAddress": {"contactName": "J D", "city": "Istanbul", "country": "Turkey", "address": "A"},
                "basketItems": [
                    {"id": "I1", "name": product, "category1": "C", "itemType": "VIRTUAL", "price": "0.7"},
                    {"id": "I2", "name": "Usb", "category1": "C", "itemType": "VIRTUAL", "price": "0.3"}]
            }),
        )
        .unwrap();
    let Outcome::Completed(p) = r.outcome else {
        panic!("{:?}", r.outcome)
    };
    p.payment_id
}

fn refund_of(r: &Response) -> &RefundOutcome {
    match &r.outcome {
        Outcome::Refund(x) => x,
        other => panic!("not a refund: {other:?}"),
    }
}

fn details(c: &Client, payment_id: &str) -> Response {
    c.call("iyzico.payment_details", json!({"paymentId": payment_id}))
        .unwrap()
}

fn state_and_refunded(r: &Response) -> (State, Vec<String>, bool) {
    let Outcome::Status(s) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    let report = s.report.as_ref().expect("a report");
    (
        s.state,
        report.refunds.iter().map(|x| x.amount.clone()).collect(),
        report.cancelled,
    )
}

fn sum(amounts: &[String]) -> rust_decimal::Decimal {
    amounts
        .iter()
        .map(|a| a.parse::<rust_decimal::Decimal>().unwrap())
        .sum()
}

fn iyzico_refunds(sim: &Sim) {
    let c = client(sim);

    // Full refund: the whole paid price goes back; the report says refunded.
    let id = iyzico_paid(&c, "Book");
    let r = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "1.20", "currency": "TRY", "ip": "85.34.78.112", "conversationId": "full-1"}),
        )
        .unwrap();
    let x = refund_of(&r);
    assert_eq!(
        (
            x.state,
            x.amount.as_str(),
            x.currency.as_deref(),
            x.payment_id.as_str()
        ),
        (State::Refunded, "1.2", Some("TRY"), id.as_str())
    );
    assert_eq!(r.operation, "iyzico.refund_payment");
    let (state, refunds, cancelled) = state_and_refunded(&details(&c, &id));
    assert_eq!(state, State::Refunded);
    assert_eq!(sum(&refunds), "1.2".parse().unwrap());
    assert!(!cancelled);

    // Partial refund with the details result passed: partially_refunded, and the report agrees.
    let id = iyzico_paid(&c, "Book");
    let d = details(&c, &id).to_json();
    let r = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.5", "details": d}),
        )
        .unwrap();
    assert_eq!(refund_of(&r).state, State::PartiallyRefunded);
    assert_eq!(refund_of(&r).amount, "0.5");
    let after = details(&c, &id);
    let (state, refunds, _) = state_and_refunded(&after);
    assert_eq!(state, State::PartiallyRefunded);
    assert_eq!(sum(&refunds), "0.5".parse().unwrap());

    // Over-refund with the details passed: refused before any I/O, naming the field.
    let sent_before = sim.count("iyzico.refund_payment", &id);
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.71", "details": after.to_json()}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(e.field(), Some("price"));
    assert!(e.message().contains("0.7"), "{e}");
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.71", "refundable": "0.70"}),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("price"), "{e}");
    assert_eq!(sim.count("iyzico.refund_payment", &id), sent_before);
    // Without them, iyzico itself refuses (its error, with its code).
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.71"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(e.provider_code(), Some("5094"));
    assert_eq!(sim.count("iyzico.refund_payment", &id), sent_before + 1);
    // The rest refunds it totally.
    let r = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.7", "refundable": "0.7"}),
        )
        .unwrap();
    assert_eq!(refund_of(&r).state, State::Refunded);
    assert_eq!(state_and_refunded(&details(&c, &id)).0, State::Refunded);

    // Bad amounts never leave the machine.
    for (price, why) in [
        ("0", "zero"),
        ("-1", "negative"),
        ("1.001", "three decimals"),
    ] {
        let e = c
            .call(
                "iyzico.refund_payment",
                json!({"paymentId": id, "price": price}),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{why}: {e}");
        assert_eq!(e.field(), Some("price"), "{why}");
    }
}

fn iyzico_cancels(sim: &Sim) {
    let c = client(sim);
    let id = iyzico_paid(&c, "Book");
    let r = c
        .call(
            "iyzico.cancel_payment",
            json!({"paymentId": id, "ip": "85.34.78.112", "reason": "buyer_request", "description": "changed mind"}),
        )
        .unwrap();
    let x = refund_of(&r);
    assert_eq!(x.state, State::Cancelled);
    assert_eq!(x.amount, "1.2");
    assert_eq!(x.payment_id, id);
    let after = details(&c, &id);
    let (state, _, cancelled) = state_and_refunded(&after);
    assert_eq!(state, State::Cancelled);
    assert!(cancelled);

    // A second cancel: iyzico's error, with its code.
    let e = c
        .call("iyzico.cancel_payment", json!({"paymentId": id}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(e.provider_code(), Some("5093"));
    assert_eq!(sim.count("iyzico.cancel_payment", &id), 2);
    // With the details passed, odeme knows and does not send it.
    let e = c
        .call(
            "iyzico.cancel_payment",
            json!({"paymentId": id, "details": after.to_json()}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("paymentId"));
    // A refund after the cancel: nothing remains.
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.1", "details": after.to_json()}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(sim.count("iyzico.cancel_payment", &id), 2);
    assert_eq!(sim.count("iyzico.refund_payment", &id), 0);
}

fn paymes_order(c: &Client, sim: &Sim, product: &str) -> String {
    let r = c
        .call(
            "paymes.create_order",
            json!({"orderId": unique("pm"), "price": "10.00", "currency": "TRY", "productName": product,
                   "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
                   "buyerAddress": "Örnek adres"}),
        )
        .unwrap();
    let Outcome::Redirect { url, .. } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    visit(sim, url);
    r.provider_reference.unwrap()
}

fn query_state(c: &Client, op: &str, request: Value) -> State {
    match c.call(op, request).unwrap().outcome {
        Outcome::Status(s) => s.state,
        other => panic!("{other:?}"),
    }
}

fn paymes_cancels(sim: &Sim) {
    let c = client(sim);
    let id = paymes_order(&c, sim, "Book");
    let r = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "10"}),
        )
        .unwrap();
    let x = refund_of(&r);
    assert_eq!(
        (x.amount.as_str(), x.payment_id.as_str()),
        ("10.00", id.as_str())
    );
    assert_eq!(
        query_state(&c, "paymes.query_order", json!({"paymesOrderId": id})),
        State::Cancelled
    );
    // Twice: Paymes' error.
    let e = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "10.00"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(sim.count("paymes.cancel_order", &id), 2);

    // Partial, with what remains known: partially_refunded; then more than remains is refused.
    let id = paymes_order(&c, sim, "Book");
    let r = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "4.50", "refundable": "10.00"}),
        )
        .unwrap();
    assert_eq!(refund_of(&r).state, State::PartiallyRefunded);
    assert_eq!(
        query_state(&c, "paymes.query_order", json!({"paymesOrderId": id})),
        State::PartiallyRefunded
    );
    let e = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "5.51", "refundable": "5.50"}),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("price"))
    );
    assert_eq!(sim.count("paymes.cancel_order", &id), 1);
}

/// A paid EsnekPOS link payment of 10.56; returns its ORDER_REF_NO.
fn esnekpos_paid(c: &Client, sim: &Sim, product: &str) -> (String, String) {
    let r = c
        .call(
            "esnekpos.send_payment_request",
            json!({"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "test@mail.com",
                   "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": product}),
        )
        .unwrap();
    let Outcome::PaymentLink { url, request_id } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    let paid = visit(sim, url);
    (
        paid["ORDER_REF_NO"].as_str().unwrap().to_owned(),
        request_id.clone(),
    )
}

fn esnekpos_returns(sim: &Sim) {
    let c = client(sim);
    // Full: a cancel, which the link query reports.
    let (order, link) = esnekpos_paid(&c, sim, "Book");
    let r = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "10.56"}),
        )
        .unwrap();
    let x = refund_of(&r);
    assert_eq!(
        (x.amount.as_str(), x.payment_id.as_str()),
        ("10.56", order.as_str())
    );
    assert!(x.refund_id.is_some());
    assert_eq!(
        query_state(
            &c,
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": link})
        ),
        State::Cancelled
    );
    let e = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "1"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(e.provider_code(), Some("100"));

    // Partial, then the rest.
    let (order, link) = esnekpos_paid(&c, sim, "Book");
    let r = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": 4, "refundable": "10.56"}),
        )
        .unwrap();
    assert_eq!(refund_of(&r).state, State::PartiallyRefunded);
    assert_eq!(refund_of(&r).amount, "4.00");
    let e = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "6.57", "refundable": "6.56"}),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("AMOUNT"))
    );
    let e = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "6.57"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    let r = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "6.56", "refundable": "6.56"}),
        )
        .unwrap();
    assert_eq!(refund_of(&r).state, State::Refunded);
    assert_eq!(
        query_state(
            &c,
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": link})
        ),
        State::Refunded
    );
    assert_eq!(sim.count("esnekpos.return_order", &order), 3);
}

/// `sim:refund-drop` on each operation, `sim:refund-delay` on the iyzico refund: outcome_unknown,
/// reconciled through the declared operation, sent once.
fn refund_faults(sim: &Sim) {
    let c = client(sim);

    // iyzico refund, reply dropped.
    let id = iyzico_paid(&c, "sim:refund-drop");
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.4"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert!(!e.retry_safe());
    assert_eq!(e.reconcile_with(), Some("iyzico.payment_details"));
    let req = e.reconcile_request().cloned().unwrap();
    assert_eq!(req, json!({"paymentId": id}));
    let r = c.call(e.reconcile_with().unwrap(), req).unwrap();
    let (state, refunds, _) = state_and_refunded(&r);
    assert_eq!(state, State::PartiallyRefunded);
    assert_eq!(sum(&refunds), "0.4".parse().unwrap());
    assert_eq!(sim.count("iyzico.refund_payment", &id), 1);

    // iyzico refund, reply delayed past the deadline.
    let id = iyzico_paid(&c, "sim:refund-delay");
    let e = short_deadline(sim)
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "1.2"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    wait_until_booked(sim, "iyzico.refund_payment", &id);
    let r = c
        .call(
            e.reconcile_with().unwrap(),
            e.reconcile_request().cloned().unwrap(),
        )
        .unwrap();
    assert_eq!(state_and_refunded(&r).0, State::Refunded);
    assert_eq!(sim.count("iyzico.refund_payment", &id), 1);

    // iyzico cancel, reply dropped (the paymentId sent as a JSON number).
    let id = iyzico_paid(&c, "sim:refund-drop");
    let numeric: u64 = id.parse().unwrap();
    let e = c
        .call("iyzico.cancel_payment", json!({"paymentId": numeric}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_request(), Some(&json!({"paymentId": id})));
    let r = c
        .call(
            e.reconcile_with().unwrap(),
            e.reconcile_request().cloned().unwrap(),
        )
        .unwrap();
    assert_eq!(state_and_refunded(&r).0, State::Cancelled);
    assert_eq!(sim.count("iyzico.cancel_payment", &id), 1);

    // Paymes cancel, reply dropped: the status query shows it.
    let id = paymes_order(&c, sim, "sim:refund-drop");
    let e = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "10.00"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_with(), Some("paymes.query_order"));
    let req = e.reconcile_request().cloned().unwrap();
    assert_eq!(req, json!({"paymesOrderId": id}));
    assert_eq!(
        query_state(&c, e.reconcile_with().unwrap(), req),
        State::Cancelled
    );
    assert_eq!(sim.count("paymes.cancel_order", &id), 1);

    // EsnekPOS return, reply dropped: reconciled through ProcessQuery by ORDER_REF_NUMBER.
    let (order, link) = esnekpos_paid(&c, sim, "sim:refund-drop");
    let e = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": order, "AMOUNT": "10.56"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_with(), Some("esnekpos.process_query"));
    let req = e.reconcile_request().cloned().unwrap();
    assert_eq!(req, json!({"ORDER_REF_NUMBER": order}));
    wait_until_booked(sim, "esnekpos.return_order", &order);
    assert_eq!(
        query_state(&c, e.reconcile_with().unwrap(), req),
        State::Cancelled
    );
    assert_eq!(sim.count("esnekpos.return_order", &order), 1);
    // The return was booked all the same.
    assert_eq!(
        query_state(
            &c,
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": link})
        ),
        State::Cancelled
    );
}

fn suite(sim: &Sim) {
    iyzico_refunds(sim);
    iyzico_cancels(sim);
    paymes_cancels(sim);
    esnekpos_returns(sim);
    refund_faults(sim);
}

#[test]
fn refunds_and_cancels_over_http() {
    suite(&Sim::start_http().unwrap());
}

#[test]
fn refunds_and_cancels_over_tls() {
    suite(&Sim::start_https().unwrap());
}

#[test]
fn refund_requests_are_checked_before_any_io() {
    // No simulator at all: every one of these fails validation first.
    let c = Client::from_json(
        &json!({"allow_http": true,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:9"},
                "paymes": {"public_key": "p", "secret_key": "s", "base_url": "http://127.0.0.1:9"},
                "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": "http://127.0.0.1:9"}})
        .to_string(),
    )
    .unwrap();
    for (op, req, field) in [
        ("iyzico.refund_payment", json!({"price": "1"}), "paymentId"),
        (
            "iyzico.refund_payment",
            json!({"paymentId": "1", "price": "1", "refundable": "1", "details": {}}),
            "refundable",
        ),
        (
            "iyzico.refund_payment",
            json!({"paymentId": "1", "price": "1", "details": {"type": "completed"}}),
            "details",
        ),
        (
            "iyzico.cancel_payment",
            json!({"paymentId": " "}),
            "paymentId",
        ),
        (
            "iyzico.cancel_payment",
            json!({"paymentId": "1", "reason": "bored"}),
            "reason",
        ),
        (
            "paymes.cancel_order",
            json!({"paymesOrderId": "1", "price": "0"}),
            "price",
        ),
        (
            "paymes.cancel_order",
            json!({"paymesOrderId": "1", "price": "1.234"}),
            "price",
        ),
        (
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": "1", "AMOUNT": "-2"}),
            "AMOUNT",
        ),
        (
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": "", "AMOUNT": "2"}),
            "ORDER_REF_NUMBER",
        ),
    ] {
        let e = c.call(op, req.clone()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{op} {req}: {e}");
        assert_eq!(e.field(), Some(field), "{op} {req}: {e}");
    }
}
