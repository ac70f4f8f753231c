//! Money states true to the providers' documents (the second pass): a webhook about a refund
//! never reads as the payment's fate, a query error never reads as "not found", a "not found"
//! too soon after the send is no proof, EsnekPOS 3-D orders carrying the merchant's own
//! reference are reconciled, and Paymes' second error shape is read.

use std::path::PathBuf;
use std::time::Duration;

use odeme::{Client, ErrorKind, Outcome, State, Subject};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

mod common;
use common::{unique, visit};

fn temp_journal(name: &str) -> PathBuf {
    common::journal::Store::new(common::journal::Kind::Sqlite, name)
        .path()
        .to_owned()
}

/// A client with a journal whose settle window is `settle_s`.
fn journaled(sim: &Sim, name: &str, settle_s: u64) -> Client {
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({"path": temp_journal(name), "settle_s": settle_s});
    Client::from_json(&cfg.to_string()).unwrap()
}

fn iyzico_payment(conversation_id: &str, first_item: &str) -> Value {
    common::journal::iyzico_payment(conversation_id, cards::SUCCESS, first_item)
}

fn esnekpos_3d(reference: Option<&str>, product: &str) -> Value {
    let mut v = json!({
        "Config": {"BACK_URL": "https://shop.example/esnekpos/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150"},
        "CreditCard": {"CC_NUMBER": cards::SUCCESS, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                     "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez Mah.", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": product, "PRODUCT_CATEGORY": "Genel",
                     "PRODUCT_DESCRIPTION": "Açıklama", "PRODUCT_AMOUNT": "150"}]
    });
    if let Some(r) = reference {
        v["Config"]["ORDER_REF_NUMBER"] = json!(r);
    }
    v
}

/// The simulator's delivery of `event` for `id`, verified by `c`.
fn deliver(c: &Client, sim: &Sim, id: &str) -> odeme::Response {
    let d = sim.webhook("iyzico", id).unwrap();
    let headers: Vec<(String, String)> = d["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    c.verify_webhook("iyzico", &headers, d["body"].as_str().unwrap().as_bytes())
        .unwrap()
}

fn notification(r: &odeme::Response) -> &odeme::Notification {
    match &r.outcome {
        Outcome::Webhook(n) => n,
        other => panic!("not a notification: {other:?}"),
    }
}

/// A signed REFUND_RETRY_FAILURE delivery (docs.iyzico.com's webhook page lists it) for a
/// payment whose create reply was lost: it reads as a failed *refund*, leaves the payment's
/// journal row pending and the resend refused; REFUND_RETRY_SUCCESS reads as a refund; only the
/// payment's own event resolves the row.
#[test]
fn a_refund_webhook_never_settles_the_payment() {
    let sim = Sim::start_http().unwrap();
    let c = journaled(&sim, "refund-webhook", 0);
    let reference = unique("refund-webhook");
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&reference, "sim:drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");

    let failed = deliver(&c, &sim, &format!("{reference}/REFUND_RETRY_FAILURE"));
    let n = notification(&failed);
    assert_eq!(n.event.as_deref(), Some("REFUND_RETRY_FAILURE"));
    assert_eq!(n.subject, Subject::Refund);
    assert_eq!(n.state, State::RefundFailed);
    assert_eq!(n.order_id.as_deref(), Some(reference.as_str()));
    assert!(!n.duplicate);
    let text = serde_json::to_value(&failed).unwrap();
    assert_eq!(text["outcome"]["subject"], "refund");
    assert_eq!(text["outcome"]["state"], "refund_failed");

    let pending = c.pending().unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].state, "outcome_unknown");
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&reference, "Binocular"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(sim.count("iyzico.create_payment", &reference), 1);

    let succeeded = deliver(&c, &sim, &format!("{reference}/REFUND_RETRY_SUCCESS"));
    let n = notification(&succeeded);
    assert_eq!((n.subject, n.state), (Subject::Refund, State::Refunded));
    assert_eq!(c.pending().unwrap().len(), 1, "a refund resolves nothing");

    // The payment's own delivery (API_AUTH, SUCCESS) resolves the row.
    let paid = deliver(&c, &sim, &reference);
    let n = notification(&paid);
    assert_eq!((n.subject, n.state), (Subject::Payment, State::Paid));
    assert!(c.pending().unwrap().is_empty());
    // The same refund delivery again is a duplicate.
    let again = deliver(&c, &sim, &format!("{reference}/REFUND_RETRY_FAILURE"));
    assert!(notification(&again).duplicate);
}

/// A lost `pay_3d`, then ProcessQuery answering 400 with a query-service error (the vendor's
/// table: 400 is "any error of the query service"): the row stays pending with the error in its
/// message, and a resend is still refused.
#[test]
fn a_query_service_error_leaves_the_row_pending() {
    let sim = Sim::start_http().unwrap();
    let c = journaled(&sim, "query-error", 0);
    let reference = unique("QE").replace('-', "");
    let e = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d(Some(&reference), "sim:query-error"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(
        e.reconcile_request(),
        Some(&json!({"ORDER_REF_NUMBER": reference}))
    );
    let rows = c.reconcile().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].state, "outcome_unknown", "{rows:?}");
    assert_eq!(rows[0].resolved, None, "{rows:?}");
    let message = rows[0].message.as_deref().unwrap();
    assert!(
        message.contains("esnekpos.process_query failed"),
        "{message}"
    );
    assert!(message.contains("sorgulama servisinde"), "{message}");
    assert_eq!(sim.count("esnekpos.process_query", &reference), 1);
    let e = c
        .call("esnekpos.pay_3d", esnekpos_3d(Some(&reference), "Kalem"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(sim.count("esnekpos.pay_3d", &reference), 1);
}

/// A `pay_3d` lost before EsnekPOS booked it: ProcessQuery's "reference not found" reply marks
/// the row `failed` (with a settle window of 0), so the order may be sent again — once.
#[test]
fn a_reference_not_found_fails_the_row() {
    let sim = Sim::start_http().unwrap();
    let c = journaled(&sim, "not-found", 0);
    let reference = unique("NF").replace('-', "");
    let e = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d(Some(&reference), "sim:unbooked-drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let rows = c.reconcile().unwrap();
    assert_eq!(rows[0].state, "failed", "{rows:?}");
    assert_eq!(rows[0].resolved.as_deref(), Some("not_found"), "{rows:?}");
    let r = c
        .call("esnekpos.pay_3d", esnekpos_3d(Some(&reference), "Kalem"))
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Redirect { .. }), "{r:?}");
    assert_eq!(sim.count("esnekpos.pay_3d", &reference), 2);
}

/// `journal.settle_s` on both sides of its boundary, with the clock passed in (no sleeping):
/// a `not_found` one second before the window ends leaves the row pending and says when to ask
/// again; at the boundary it marks the row `failed`.
#[test]
fn not_found_is_proof_only_after_the_settle_window() {
    let sim = Sim::start_http().unwrap();
    let c = journaled(&sim, "settle", 600);
    let reference = unique("ST").replace('-', "");
    c.call(
        "esnekpos.pay_3d",
        esnekpos_3d(Some(&reference), "sim:unbooked-drop"),
    )
    .unwrap_err();
    let row = c.pending().unwrap().remove(0);
    let sent = parse_row_time(&row.created_at);
    let early = c
        .reconcile_at(sent + Duration::from_secs(599))
        .unwrap()
        .remove(0);
    assert_eq!(early.state, "outcome_unknown", "{early:?}");
    assert_eq!(early.resolved, None, "{early:?}");
    let message = early.message.unwrap();
    assert!(message.contains("settle_s (600 s)"), "{message}");
    assert!(message.contains("reconcile again after"), "{message}");
    let e = c
        .call("esnekpos.pay_3d", esnekpos_3d(Some(&reference), "Kalem"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");

    let late = c
        .reconcile_at(sent + Duration::from_secs(600))
        .unwrap()
        .remove(0);
    assert_eq!(late.state, "failed", "{late:?}");
    assert_eq!(late.resolved.as_deref(), Some("not_found"));
    assert_eq!(sim.count("esnekpos.process_query", &reference), 2);
}

/// The default window is not zero: a fresh `not_found` never unblocks a resend by itself.
#[test]
fn the_default_settle_window_keeps_a_fresh_not_found_pending() {
    let sim = Sim::start_http().unwrap();
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({"path": temp_journal("default-settle")});
    let c = Client::from_json(&cfg.to_string()).unwrap();
    let reference = unique("DS").replace('-', "");
    c.call(
        "esnekpos.pay_3d",
        esnekpos_3d(Some(&reference), "sim:unbooked-drop"),
    )
    .unwrap_err();
    let rows = c.reconcile().unwrap();
    assert_eq!(rows[0].state, "outcome_unknown", "{rows:?}");
    assert!(
        rows[0]
            .message
            .as_deref()
            .unwrap()
            .contains("settle_s (900 s)"),
        "{rows:?}"
    );
}

/// A lost `pay_3d` carrying the merchant's own `Config.ORDER_REF_NUMBER` is reconciled through
/// ProcessQuery (the declaration's dotted `by` path), like one whose reference odeme generated.
#[test]
fn a_lost_pay_3d_is_reconciled_by_the_merchants_reference_and_by_a_generated_one() {
    let sim = Sim::start_http().unwrap();
    let c = journaled(&sim, "own-reference", 0);
    let own = unique("OWN").replace('-', "");
    let e = c
        .call("esnekpos.pay_3d", esnekpos_3d(Some(&own), "sim:drop"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(
        e.reconcile_request(),
        Some(&json!({"ORDER_REF_NUMBER": own}))
    );
    let e = c
        .call("esnekpos.pay_3d", esnekpos_3d(None, "sim:drop"))
        .unwrap_err();
    let generated = e.reconcile_request().unwrap()["ORDER_REF_NUMBER"]
        .as_str()
        .unwrap()
        .to_owned();
    // Both payers finish 3-D Secure; then reconcile() asks ProcessQuery for each row.
    for reference in [&own, &generated] {
        visit(
            &sim,
            &format!("{}/pay/esnekpos3d/{reference}", sim.base_url()),
        );
    }
    let rows = c.reconcile().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (row, reference) in rows.iter().zip([&own, &generated]) {
        assert_eq!(row.reference.as_deref(), Some(reference.as_str()));
        assert_eq!(row.state, "done", "{row:?}");
        assert_eq!(row.resolved.as_deref(), Some("paid"), "{row:?}");
        assert_eq!(sim.count("esnekpos.process_query", reference), 1);
    }
    assert!(c.pending().unwrap().is_empty());
}

fn paymes_order(order_id: &str) -> Value {
    json!({"orderId": order_id, "price": "1050", "currency": "TRY", "productName": "Kalem",
           "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
           "buyerAddress": "Örnek adres bilgisi"})
}

/// Paymes' second error shape, `{"status": false, "error": ...}`: a 401 with it (the captured
/// reply) is an `auth` error carrying the provider's text, never `outcome_unknown`; an
/// order_cancel refusal in it (the cancel document's shape) is a `provider` error.
#[test]
fn paymes_errors_in_the_status_false_shape() {
    let sim = Sim::start_http().unwrap();
    let mut cfg = sim.client_config();
    cfg["paymes"]["public_key"] = json!("not-the-key");
    let wrong = Client::from_json(&cfg.to_string()).unwrap();
    let order = unique("pm-auth");
    let e = wrong
        .call("paymes.create_order", paymes_order(&order))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(
        e.provider_message(),
        Some("This action is unauthorized."),
        "{e}"
    );

    let c = common::client(&sim);
    let r = c
        .call("paymes.create_order", paymes_order(&unique("pm-cancel")))
        .unwrap();
    let id = r.provider_reference.clone().unwrap();
    let Outcome::Redirect { url, .. } = &r.outcome else {
        panic!("{r:?}")
    };
    visit(&sim, url);
    c.call(
        "paymes.cancel_order",
        json!({"paymesOrderId": id, "price": "1050"}),
    )
    .unwrap();
    let e = c
        .call(
            "paymes.cancel_order",
            json!({"paymesOrderId": id, "price": "1050"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(
        e.provider_message(),
        Some("Sipariş daha önce iptal edilmiştir"),
        "{e}"
    );
}

fn parse_row_time(t: &str) -> std::time::SystemTime {
    // `2026-11-26T13:45:07.123Z`: days from the civil date (Howard Hinnant), independently of
    // the journal's own reader.
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19);
    std::time::UNIX_EPOCH
        + Duration::from_secs(secs as u64)
        + Duration::from_millis(n(20, 23) as u64)
}

/// A refund row is settled by the refund, never by its payment being `paid`: a refund that never
/// reached the provider (a peer that reads the request and closes) stays pending within the
/// settle window and is `failed` after it, because the payment shows no refund; a refund whose
/// reply was lost after the provider booked it is `done`.
#[test]
fn a_refund_row_is_settled_by_the_refund_not_by_its_payment() {
    use std::io::Read;
    let sim = Sim::start_http().unwrap();
    let path = temp_journal("refund-row");
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({"path": path, "settle_s": 600});
    let c = Client::from_json(&cfg.to_string()).unwrap();
    let paid = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("RR"), "Kalem"),
        )
        .unwrap();
    let id = paid.provider_reference.clone().unwrap();

    let hole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = hole.local_addr().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut s, _) = hole.accept().unwrap();
        let mut buf = [0u8; 1024];
        let mut got = Vec::new();
        // Read the whole request head and body (the peer then closes without answering).
        while !String::from_utf8_lossy(&got).contains("\"price\"") {
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
    });
    let mut lost_cfg = cfg.clone();
    lost_cfg["iyzico"]["base_url"] = json!(format!("http://{addr}"));
    let lost = Client::from_json(&lost_cfg.to_string()).unwrap();
    let refund_ref = unique("RF");
    let e = lost
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.4", "currency": "TRY", "conversationId": refund_ref}),
        )
        .unwrap_err();
    peer.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(sim.count("iyzico.refund_payment", &id), 0);

    let row = c
        .pending()
        .unwrap()
        .into_iter()
        .find(|r| r.operation == "iyzico.refund_payment")
        .unwrap();
    let sent = parse_row_time(&row.created_at);
    let rows = c.reconcile_at(sent + Duration::from_secs(599)).unwrap();
    let early = rows.iter().find(|r| r.id == row.id).unwrap();
    assert_eq!(early.state, "outcome_unknown", "{early:?}");
    let message = early.message.as_deref().unwrap();
    assert!(message.contains("without this refund"), "{message}");
    let rows = c.reconcile_at(sent + Duration::from_secs(600)).unwrap();
    let late = rows.iter().find(|r| r.id == row.id).unwrap();
    assert_eq!(late.state, "failed", "{late:?}");
    assert_eq!(late.resolved.as_deref(), Some("not_refunded"), "{late:?}");

    // The same refund, now booked but its reply dropped: done, by the refund the report shows.
    let id = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&unique("RR"), "sim:refund-drop"),
        )
        .unwrap()
        .provider_reference
        .unwrap();
    let e = c
        .call(
            "iyzico.refund_payment",
            json!({"paymentId": id, "price": "0.4", "currency": "TRY", "conversationId": unique("RF")}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let rows = c.reconcile_at(sent + Duration::from_secs(600)).unwrap();
    let done = rows
        .iter()
        .find(|r| r.operation == "iyzico.refund_payment")
        .unwrap();
    assert_eq!(done.state, "done", "{done:?}");
    assert_eq!(
        done.resolved.as_deref(),
        Some("partially_refunded"),
        "{done:?}"
    );
}
