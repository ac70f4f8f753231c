//! The payment journal against the simulator: a process killed (SIGKILL) mid-payment, two
//! processes sharing one journal, a lost Paymes reply resolved by its webhook, the refusal of a
//! second send with the same reference, and what the journal file may contain.
//!
//! Child processes are this test binary run again with `ODEME_JOURNAL_CHILD` set: the `child`
//! test then does the child's part (one payment, or N payments) and exits.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Options, Sim};
use serde_json::{json, Value};

mod common;
use common::journal::{iyzico_payment, Kind, Store};
use common::wait_until_booked;

fn config(sim: &Sim, store: &Store) -> Value {
    let mut cfg = sim.client_config();
    cfg["journal"] = store.config();
    cfg
}

fn client(sim: &Sim, store: &Store) -> Client {
    Client::from_json(&config(sim, store).to_string()).unwrap()
}

fn paymes_order(order_id: &str, product: &str) -> Value {
    json!({"orderId": order_id, "price": "1050", "currency": "TRY", "productName": product,
           "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
           "buyerAddress": "Örnek adres bilgisi"})
}

/// Run this test binary again as a child doing `mode`.
fn spawn_child(cfg: &Value, mode: &str, arg: &str) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["child", "--exact", "--nocapture", "--test-threads=1"])
        .env("ODEME_JOURNAL_CHILD", mode)
        .env("ODEME_JOURNAL_CHILD_ARG", arg)
        .env("ODEME_JOURNAL_CHILD_CONFIG", cfg.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// The child's part; does nothing in a normal test run.
#[test]
fn child() {
    let Ok(mode) = std::env::var("ODEME_JOURNAL_CHILD") else {
        return;
    };
    let arg = std::env::var("ODEME_JOURNAL_CHILD_ARG").unwrap();
    let cfg = std::env::var("ODEME_JOURNAL_CHILD_CONFIG").unwrap();
    let c = Client::from_json(&cfg).unwrap();
    match mode.as_str() {
        // One payment that the simulator delays for 30 s: the parent kills us meanwhile.
        "pay-delayed" => {
            let _ = c.call(
                "iyzico.create_payment",
                iyzico_payment(&arg, cards::SUCCESS, "sim:delay"),
            );
            panic!("the parent should have killed this process during the call");
        }
        // `PREFIX:N` payments, one after another.
        "pay-many" => {
            let (prefix, n) = arg.split_once(':').unwrap();
            for i in 0..n.parse::<usize>().unwrap() {
                c.call(
                    "iyzico.create_payment",
                    iyzico_payment(&format!("{prefix}-{i}"), cards::SUCCESS, "Binocular"),
                )
                .unwrap();
            }
        }
        // `PREFIX:N:DIR:ROLE`: N payments PREFIX-0..N, each sent at the same moment as the other
        // child's (both wait for the other at DIR before each); the results go to DIR/ROLE.
        "race" => {
            let mut parts = arg.splitn(4, ':');
            let (prefix, n, dir, role) = (
                parts.next().unwrap(),
                parts.next().unwrap().parse::<usize>().unwrap(),
                Path::new(parts.next().unwrap()),
                parts.next().unwrap(),
            );
            let other = if role == "a" { "b" } else { "a" };
            let mut results = String::new();
            for i in 0..n {
                std::fs::write(dir.join(format!("{role}-{i}")), "").unwrap();
                wait_for_file(&dir.join(format!("{other}-{i}")));
                let r = c.call(
                    "iyzico.create_payment",
                    iyzico_payment(&format!("{prefix}-{i}"), cards::SUCCESS, "Binocular"),
                );
                results += &match r {
                    Ok(_) => format!("{i} sent\n"),
                    Err(e)
                        if e.kind() == ErrorKind::InvalidRequest
                            && e.field() == Some("conversationId") =>
                    {
                        format!("{i} refused\n")
                    }
                    Err(e) => format!("{i} {e}\n"),
                };
            }
            std::fs::write(dir.join(role), results).unwrap();
        }
        other => panic!("unknown child mode {other}"),
    }
}

fn a_payment_killed_in_flight_is_pending_then_reconciled_and_never_resent(kind: Kind) {
    // The simulator holds the reply for 10 minutes and the child's deadline is as long, so on a
    // loaded machine the child is still waiting when it is killed, however late the kill comes.
    let sim = Sim::start(Options {
        delay: std::time::Duration::from_secs(600),
        ..Options::default()
    })
    .unwrap();
    let store = Store::new(kind, "sigkill");
    let mut cfg = config(&sim, &store);
    cfg["timeout_ms"] = json!(600_000);
    let reference = format!("kill-{}", std::process::id());

    let mut child = spawn_child(&cfg, "pay-delayed", &reference);
    // The simulator has booked the payment and is holding the reply (sim:delay).
    wait_until_booked(&sim, "iyzico.create_payment", &reference);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());

    // "Restart": a new client on the same journal.
    let c = client(&sim, &store);
    let pending = c.pending().unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    let row = &pending[0];
    assert_eq!(row.operation, "iyzico.create_payment");
    assert_eq!(row.provider, "iyzico");
    assert_eq!(row.reference.as_deref(), Some(reference.as_str()));
    assert_eq!(row.amount.as_deref(), Some("1.20"));
    assert_eq!(row.currency.as_deref(), Some("TRY"));
    assert_eq!(row.state, "sending");
    assert_eq!(row.resolved, None);

    // A resend before reconciling is refused before any I/O.
    let resend = || {
        c.call(
            "iyzico.create_payment",
            iyzico_payment(&reference, cards::SUCCESS, "Binocular"),
        )
        .unwrap_err()
    };
    let e = resend();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("conversationId"));
    assert!(e.message().contains("reconcile"), "{e}");

    // reconcile() asks iyzico.payment_details and records what the simulator booked.
    let rows = c.reconcile().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, "done");
    assert_eq!(rows[0].resolved.as_deref(), Some("paid"));
    let booked = sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("iyzico.create_payment"))
        .count();
    assert_eq!(booked, 1);
    assert!(rows[0].provider_reference.is_some());
    assert!(c.pending().unwrap().is_empty());
    let j = serde_json::to_value(&rows[0]).unwrap();
    for key in [
        "id",
        "operation",
        "provider",
        "reference",
        "amount",
        "currency",
        "state",
        "provider_reference",
        "created_at",
        "updated_at",
        "resolved",
    ] {
        assert!(j.get(key).is_some(), "{key} in {j}");
    }

    // Still refused once done; the simulator saw exactly one payment request.
    let e = resend();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(sim.count("iyzico.create_payment", &reference), 1);
    store.assert_card_data_absent();
}

fn two_processes_fifty_payments_each_on_one_journal(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "two");
    let cfg = config(&sim, &store);
    let tag = std::process::id();
    let a = spawn_child(&cfg, "pay-many", &format!("A{tag}:50"));
    let b = spawn_child(&cfg, "pay-many", &format!("B{tag}:50"));
    for mut child in [a, b] {
        assert!(child.wait().unwrap().success());
    }
    let c = client(&sim, &store);
    let rows = c.journal().unwrap().rows().unwrap();
    assert_eq!(rows.len(), 100, "none lost, none doubled");
    let mut refs: Vec<&str> = rows
        .iter()
        .map(|r| r.reference.as_deref().unwrap())
        .collect();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), 100);
    for r in &rows {
        assert_eq!(r.state, "done", "{r:?}");
        assert!(r.provider_reference.is_some());
        assert_eq!(
            sim.count("iyzico.create_payment", r.reference.as_deref().unwrap()),
            1
        );
    }
    assert!(c.pending().unwrap().is_empty());
    store.assert_card_data_absent();
}

fn a_lost_paymes_reply_is_resolved_by_its_verified_webhook_once(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "paymes");
    let c = client(&sim, &store);
    let order = format!("pm-drop-{}", std::process::id());
    let e = c
        .call("paymes.create_order", paymes_order(&order, "sim:drop"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    let pending = c.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state, "outcome_unknown");
    assert_eq!(pending[0].amount.as_deref(), Some("1050"));

    // Paymes has no query for a lost create reply: reconcile says so.
    let rows = c.reconcile().unwrap();
    assert_eq!(rows[0].state, "needs_manual_check");
    assert!(rows[0].message.as_deref().unwrap().contains("notification"));
    assert_eq!(c.pending().unwrap().len(), 1, "still listed");

    // The webhook resolves it.
    let d = sim.webhook("paymes", &order).unwrap();
    let headers: Vec<(String, String)> = d["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let body = d["body"].as_str().unwrap().as_bytes();
    let r = c.verify_webhook("paymes", &headers, body).unwrap();
    let Outcome::Webhook(n) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(n.state, State::Paid);
    assert!(!n.duplicate);
    assert!(c.pending().unwrap().is_empty());
    let row = &c.journal().unwrap().rows().unwrap()[0];
    assert_eq!(row.state, "done");
    assert_eq!(row.resolved.as_deref(), Some("paid"));
    assert_eq!(row.provider_reference, n.payment_id);

    // The same delivery again is a duplicate; a tampered one records nothing.
    let r = c.verify_webhook("paymes", &headers, body).unwrap();
    let Outcome::Webhook(n) = &r.outcome else {
        panic!()
    };
    assert!(n.duplicate);
    assert_eq!(r.to_json()["outcome"]["duplicate"], true);

    // Another client (process) on the same journal sees the duplicate too.
    let other = client(&sim, &store);
    let r = other.verify_webhook("paymes", &headers, body).unwrap();
    assert_eq!(r.to_json()["outcome"]["duplicate"], true);

    // The order is never created twice.
    let e = c
        .call("paymes.create_order", paymes_order(&order, "Kalem"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("orderId"));
    assert_eq!(sim.count("paymes.create_order", &order), 1);
}

fn a_bad_signature_records_nothing(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "badsig");
    let c = client(&sim, &store);
    let order = format!("pm-bad-{}", std::process::id());
    c.call("paymes.create_order", paymes_order(&order, "Kalem"))
        .unwrap();
    let d = sim.webhook("paymes", &order).unwrap();
    let body = d["body"].as_str().unwrap().replace("success", "failed");
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let e = c
        .verify_webhook("paymes", &headers, body.as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let row = &c.journal().unwrap().rows().unwrap()[0];
    assert_eq!(row.state, "done");
    assert_eq!(row.resolved, None);
    // The genuine delivery is then not a duplicate.
    let r = c
        .verify_webhook("paymes", &headers, d["body"].as_str().unwrap().as_bytes())
        .unwrap();
    assert_eq!(r.to_json()["outcome"]["duplicate"], false);
}

fn declined_payments_do_not_block_and_errors_before_io_write_nothing(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "declined");
    let c = client(&sim, &store);
    let conv = format!("decl-{}", std::process::id());
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::INSUFFICIENT_FUNDS, "Binocular"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined);
    let rows = c.journal().unwrap().rows().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, "failed");
    // A failed row does not block: the same reference may be paid with another card.
    c.call(
        "iyzico.create_payment",
        iyzico_payment(&conv, cards::SUCCESS, "Binocular"),
    )
    .unwrap();
    let rows = c.journal().unwrap().rows().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].state, "done");
    // Invalid requests never reach the journal (nor the socket).
    let mut bad = iyzico_payment("decl-bad", cards::SUCCESS, "Binocular");
    bad["paidPrice"] = json!("1.234");
    assert_eq!(
        c.call("iyzico.create_payment", bad).unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    // Read-only calls are not journaled.
    c.call(
        "iyzico.payment_details",
        json!({"paymentConversationId": conv}),
    )
    .unwrap();
    assert_eq!(c.journal().unwrap().rows().unwrap().len(), 2);
}

#[test]
fn without_a_journal_pending_and_reconcile_are_config_errors() {
    let sim = Sim::start_http().unwrap();
    let c = Client::from_json(&sim.client_config().to_string()).unwrap();
    for e in [c.pending().unwrap_err(), c.reconcile().unwrap_err()] {
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("journal"));
    }
}

#[test]
fn a_journal_from_a_newer_odeme_is_refused_by_the_client() {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(Kind::Sqlite, "newer");
    drop(client(&sim, &store));
    // A newer odeme migrated the file.
    bump_user_version(store.path(), 999);
    let e = Client::from_json(&config(&sim, &store).to_string()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("newer odeme"), "{e}");
}

/// Set `PRAGMA user_version` by editing the database header (bytes 60..64, big-endian), as
/// SQLite documents it, so the test needs no SQLite of its own. The file is checkpointed (the
/// client closed it), so the header in the main file is current.
fn bump_user_version(path: &Path, v: u32) {
    let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
    let _ = std::fs::remove_file(path.with_extension("sqlite3-shm"));
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&v.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

fn an_iyzico_webhook_resolves_a_lost_payment_once(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "iyzico-webhook");
    let c = client(&sim, &store);
    let conv = format!("iyz-drop-{}", std::process::id());
    let e = c
        .call(
            "iyzico.create_payment",
            iyzico_payment(&conv, cards::SUCCESS, "sim:drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(c.pending().unwrap()[0].state, "outcome_unknown");
    let d = sim.webhook("iyzico", &conv).unwrap();
    let headers: Vec<(String, String)> = d["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    let body = d["body"].as_str().unwrap().as_bytes();
    let first = c.verify_webhook("iyzico", &headers, body).unwrap();
    assert_eq!(first.to_json()["outcome"]["duplicate"], false);
    assert!(c.pending().unwrap().is_empty());
    let row = &c.journal().unwrap().rows().unwrap()[0];
    assert_eq!(
        (row.state.as_str(), row.resolved.as_deref()),
        ("done", Some("paid"))
    );
    assert_eq!(row.provider_reference, first.provider_reference);
    let again = c.verify_webhook("iyzico", &headers, body).unwrap();
    assert_eq!(again.to_json()["outcome"]["duplicate"], true);
    assert_eq!(sim.count("iyzico.create_payment", &conv), 1);
}

fn eight_threads_racing_with_one_reference_send_it_once(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "race");
    let c = client(&sim, &store);
    let conv = format!("race-{}", std::process::id());
    let results: Vec<Result<odeme::Response, odeme::Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    c.call(
                        "iyzico.create_payment",
                        iyzico_payment(&conv, cards::SUCCESS, "sim:slow"),
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        assert_eq!(e.field(), Some("conversationId"));
    }
    assert_eq!(sim.count("iyzico.create_payment", &conv), 1);
    assert_eq!(c.journal().unwrap().rows().unwrap().len(), 1);
}

fn a_generated_reference_is_recorded_from_the_outcome(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "generated");
    let c = client(&sim, &store);
    let order = json!({"amount": "150", "currencyCode": "949", "installment": "", "cardHolderName": "John Doe",
           "cardNumber": cards::SUCCESS, "expireYear": "30", "expireMonth": "1", "cvc": "123", "saleProduct": "Phone",
           "saleProductPrice": 150, "saleDescription": "Latest model", "isSecureTransaction": true,
           "callbackUrl": "https://merchant.example/callback"});
    let r = c.call("paymago.create_order", order.clone()).unwrap();
    let generated = r.to_json()["outcome"]["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let row = &c.journal().unwrap().rows().unwrap()[0];
    assert_eq!(row.reference.as_deref(), Some(generated.as_str()));
    assert_eq!(
        (row.amount.as_deref(), row.currency.as_deref()),
        (Some("150"), Some("949"))
    );
    // Sending that order id again is refused before any I/O.
    let mut again = order;
    again["orderId"] = json!(generated);
    let e = c.call("paymago.create_order", again).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("orderId"));
    assert_eq!(sim.count("paymago.create_order", &generated), 1);
    store.assert_card_data_absent();
}

/// EsnekPOS 3-D with no ORDER_REF_NUMBER: odeme generates one, and when the reply is lost the
/// journal row still gets it (from the error's reconcile request), so the order is refused a
/// second time and `reconcile()` asks ProcessQuery with it.
fn a_generated_reference_is_recorded_when_the_reply_is_lost(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "generated-lost");
    let c = client(&sim, &store);
    let request = json!({
        "Config": {"BACK_URL": "https://shop.example/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150"},
        "CreditCard": {"CC_NUMBER": cards::SUCCESS, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                     "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez Mah.", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "sim:drop", "PRODUCT_CATEGORY": "Genel",
                     "PRODUCT_DESCRIPTION": "Açıklama", "PRODUCT_AMOUNT": "150"}]
    });
    let e = c.call("esnekpos.pay_3d", request.clone()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let generated = e.reconcile_request().unwrap()["ORDER_REF_NUMBER"]
        .as_str()
        .unwrap()
        .to_owned();
    let pending = c.pending().unwrap();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0].reference.as_deref(), Some(generated.as_str()));
    assert_eq!(pending[0].state, "outcome_unknown");
    // The same order again is refused before any I/O.
    let mut again = request;
    again["Config"]["ORDER_REF_NUMBER"] = json!(generated);
    let e = c.call("esnekpos.pay_3d", again).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(sim.count("esnekpos.pay_3d", &generated), 1);
    // reconcile() asks ProcessQuery by the generated reference: booked, not yet paid.
    let rows = c.reconcile().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].resolved.as_deref(), Some("pending"), "{rows:?}");
    store.assert_card_data_absent();
}

/// With a journal that recorded the payment, a refund beyond what remains (paid price less the
/// refunds the journal holds) and a cancel after a full refund are refused before any I/O.
fn the_journal_refuses_an_over_refund_before_sending(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "over-refund");
    let c = client(&sim, &store);
    let r = c
        .call(
            "iyzico.create_payment",
            iyzico_payment("jr-over-1", cards::SUCCESS, "Binocular"),
        )
        .unwrap();
    let payment_id = r.provider_reference.clone().unwrap();
    let refund = |price: &str, conv: &str| {
        c.call(
            "iyzico.refund_payment",
            json!({"paymentId": payment_id, "price": price, "currency": "TRY", "conversationId": conv}),
        )
    };
    let refunds_sent = || {
        sim.requests()
            .iter()
            .filter(|e| e.operation.as_deref() == Some("iyzico.refund_payment"))
            .count()
    };
    // 1.20 paid: 0.50 back, then 0.71 is more than the 0.70 left.
    let first = refund("0.5", "jr-over-r1").unwrap();
    assert_eq!(first.to_json()["outcome"]["state"], "partially_refunded");
    let e = refund("0.71", "jr-over-r2").unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("price")),
        "{e}"
    );
    assert!(e.message().contains("journal"), "{e}");
    assert_eq!(refunds_sent(), 1, "refused before any I/O");
    // The rest is allowed, and then the payment reads fully refunded.
    let last = refund("0.70", "jr-over-r3").unwrap();
    assert_eq!(last.to_json()["outcome"]["state"], "refunded");
    assert!(refund("0.01", "jr-over-r4").is_err());
    assert_eq!(refunds_sent(), 2);
    let e = c
        .call(
            "iyzico.cancel_payment",
            json!({"paymentId": payment_id, "ip": "127.0.0.1"}),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("paymentId")),
        "{e}"
    );
    assert_eq!(sim.count("iyzico.cancel_payment", &payment_id), 0);
    store.assert_card_data_absent();
}

on_both_stores! {
    a_payment_killed_in_flight_is_pending_then_reconciled_and_never_resent,
    two_processes_fifty_payments_each_on_one_journal,
    a_lost_paymes_reply_is_resolved_by_its_verified_webhook_once,
    a_bad_signature_records_nothing,
    declined_payments_do_not_block_and_errors_before_io_write_nothing,
    an_iyzico_webhook_resolves_a_lost_payment_once,
    eight_threads_racing_with_one_reference_send_it_once,
    a_generated_reference_is_recorded_from_the_outcome,
    a_generated_reference_is_recorded_when_the_reply_is_lost,
    the_journal_refuses_an_over_refund_before_sending,
}

/// Wait for an event (the other child reached the same payment), not for a time: the cap only
/// turns a hang into a failure.
fn wait_for_file(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Two processes (two app servers) send the same reference at the same moment, 20 times over:
/// each time exactly one sends it and the other is refused before any I/O.
fn two_processes_sending_one_reference_at_once_send_it_once(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "same-moment");
    let cfg = config(&sim, &store);
    let dir = std::env::temp_dir().join(format!(
        "odeme-race-{}-{}",
        std::process::id(),
        common::unique("d")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let prefix = common::unique("same");
    let children: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|role| {
            spawn_child(
                &cfg,
                "race",
                &format!("{prefix}:20:{}:{role}", dir.display()),
            )
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let results: Vec<Vec<String>> = ["a", "b"]
        .iter()
        .map(|role| {
            std::fs::read_to_string(dir.join(role))
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    assert_eq!((results[0].len(), results[1].len()), (20, 20));
    for (i, (a, b)) in results[0].iter().zip(&results[1]).enumerate() {
        assert_eq!(a.split_once(' ').unwrap().0, i.to_string());
        assert_eq!(b.split_once(' ').unwrap().0, i.to_string());
        let mut outcomes = [a.split_once(' ').unwrap().1, b.split_once(' ').unwrap().1];
        outcomes.sort();
        assert_eq!(outcomes, ["refused", "sent"], "payment {i}");
        assert_eq!(
            sim.count("iyzico.create_payment", &format!("{prefix}-{i}")),
            1,
            "payment {i} reached the simulator once"
        );
    }
    let c = client(&sim, &store);
    assert_eq!(c.journal().unwrap().rows().unwrap().len(), 20);
}

/// Two workers (processes, hosts) run `reconcile()` at the same moment over ten pending rows:
/// each row's query reaches the simulator once, and each row is resolved by one of them.
fn two_workers_reconciling_ten_rows_ask_each_once(kind: Kind) {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(kind, "workers");
    let c = client(&sim, &store);
    let refs: Vec<String> = (0..10).map(|_| common::unique("worker")).collect();
    for r in &refs {
        let e = c
            .call(
                "iyzico.create_payment",
                iyzico_payment(r, cards::SUCCESS, "sim:drop"),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    }
    assert_eq!(c.pending().unwrap().len(), 10);
    let workers = [client(&sim, &store), client(&sim, &store)];
    let barrier = std::sync::Barrier::new(2);
    let answers: Vec<Vec<odeme::journal::Row>> = std::thread::scope(|s| {
        let handles: Vec<_> = workers
            .iter()
            .map(|w| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    w.reconcile().unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &refs {
        assert_eq!(sim.count("iyzico.payment_details", r), 1, "{r} asked once");
    }
    let mut resolved: Vec<i64> = answers
        .iter()
        .flatten()
        .filter(|row| row.state == "done")
        .map(|row| row.id)
        .collect();
    resolved.sort();
    assert_eq!(resolved.len(), 10, "{answers:?}");
    resolved.dedup();
    assert_eq!(
        resolved.len(),
        10,
        "each row resolved by one worker: {answers:?}"
    );
    for row in answers.iter().flatten().filter(|row| row.state != "done") {
        assert!(
            row.message.as_deref().unwrap().contains("another worker"),
            "{row:?}"
        );
    }
    assert!(c.pending().unwrap().is_empty());
}

on_both_stores! {
    two_processes_sending_one_reference_at_once_send_it_once,
    two_workers_reconciling_ten_rows_ask_each_once,
}

#[cfg(feature = "journal-postgres")]
#[test]
fn a_postgres_journal_from_a_newer_odeme_is_refused_and_left_alone() {
    use common::journal::{pg_dump, pg_execute};
    let sim = Sim::start_http().unwrap();
    let store = Store::new(Kind::Postgres, "newer-pg");
    drop(client(&sim, &store));
    let Store::Postgres { url, .. } = &store else {
        unreachable!()
    };
    // A newer odeme migrated the database.
    pg_execute(url, "UPDATE odeme_schema SET version = 999");
    let before = pg_dump(url);
    let e = Client::from_json(&config(&sim, &store).to_string()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.field(), Some("journal.url"));
    assert!(e.message().contains("newer odeme"), "{e}");
    assert!(e.message().contains("999"), "{e}");
    assert_eq!(pg_dump(url), before, "left alone");
}
