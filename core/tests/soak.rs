//! Fault and soak suite: every simulator fault under concurrency (8 threads, mixed operations,
//! two rounds of 8 x 120 calls), with a sentinel card number, CVC and the credentials as canaries.
//!
//! Timing never decides a result: normal calls get a generous deadline (30 s), and only the
//! `sim:delay` calls use a short one (1 s) against a simulator delay of 120 s, so a loaded machine
//! cannot turn a normal call into a timeout, nor a delay into an answer.
//!
//! Asserts: every error has the prescribed kind; no order-creating call reached the simulator
//! twice; a delayed call ends near its own deadline, far before the simulator would answer;
//! resident memory stays bounded between rounds; every `outcome_unknown` is either reconciled
//! through the operation the registry declares (iyzico) or reported unreconcilable by the
//! registry (Paymes, Paymago, EsnekPOS payment requests), and the suite asserts which; no
//! error, Debug output or response contains the card number, the CVC or a secret.
//!
//! With ODEME_CANARY=1 every outcome and error line is also printed (and the simulator logs its
//! requests to stderr), so `scripts/canary` can search the whole captured output.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Options, Sim};
use serde_json::{json, Value};

mod common;

/// A Luhn-valid card the simulator accepts (iyzico's Denizbank sandbox debit card).
const PAN: &str = "4766620000000001";
const CVC: &str = "947";
const SECRETS: [&str; 5] = [
    "sim-iyzico-secret-key",
    "sim-paymes-secret-key",
    "sim-paymes-legacy-secret",
    "sim-paymago-token",
    "4oK26hK8MOXrIV1bzTRVPA==",
];
/// Deadline of every call but the `sim:delay` ones.
const NORMAL_TIMEOUT_MS: u64 = 30_000;
/// Deadline of the `sim:delay` calls; the simulator waits `SIM_DELAY` before answering them.
const DELAY_TIMEOUT_MS: u64 = 1_000;
const SIM_DELAY: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug)]
enum Op {
    Iyzico,
    Paymes,
    Paymago,
    Esnekpos,
    IyzicoQuery,
}

const SCENARIOS: [&str; 12] = [
    "",
    "",
    "",
    "decline",
    "sim:drop",
    "sim:truncate",
    "sim:malformed",
    "sim:http500",
    "sim:redirect",
    "sim:oversize",
    "sim:badsig",
    "sim:delay",
];

fn expected(op: Op, scenario: &str) -> Option<ErrorKind> {
    match (op, scenario) {
        (Op::IyzicoQuery, _) => None,
        (_, "") => None,
        (Op::Iyzico | Op::Paymago, "decline") => match op {
            Op::Iyzico => Some(ErrorKind::Declined),
            _ => None, // Paymago declines after 3-D Secure, not at creation
        },
        (_, "decline") => None,
        (_, "sim:redirect") => Some(ErrorKind::Provider),
        (Op::Iyzico, "sim:badsig") => Some(ErrorKind::Signature),
        (_, "sim:badsig") => None,
        _ => Some(ErrorKind::OutcomeUnknown),
    }
}

fn request(op: Op, reference: &str, scenario: &str) -> (&'static str, Value) {
    let product = if scenario.starts_with("sim:") {
        scenario
    } else {
        "Soak"
    };
    let card = if scenario == "decline" {
        cards::INSUFFICIENT_FUNDS
    } else {
        PAN
    };
    match op {
        Op::Iyzico => (
            "iyzico.create_payment",
            json!({
                "conversationId": reference, "price": "10.00", "paidPrice": "10.00", "installment": 1,
                "paymentCard": {"cardHolderName": "Soak Test", "cardNumber": card, "expireMonth": "12", "expireYear": "2031", "cvc": CVC},
                "buyer": {"id": "B", "name": "S", "surname": "T", "identityNumber": "11111111110", "email": "s@example.com",
                          "registrationAddress": "A", "city": "Istanbul", "country": "Turkey", "ip": "127.0.0.1"},
                "billingAddress": {"contactName": "S T", "city": "Istanbul", "country": "Turkey", "address": "A"},
                "basketItems": [{"id": "I", "name": product, "category1": "C", "itemType": "VIRTUAL", "price": "10.00"}]
            }),
        ),
        Op::Paymes => (
            "paymes.create_order",
            json!({
                "orderId": reference, "price": "10.00", "currency": "TRY", "productName": product, "buyerName": "S T",
                "buyerPhone": "05555555555", "buyerEmail": "s@example.com", "buyerAddress": "A"
            }),
        ),
        Op::Paymago => (
            "paymago.create_order",
            json!({
                "orderId": reference, "amount": "10.00", "currencyCode": "949", "cardHolderName": "S T", "cardNumber": card,
                "expireYear": "2031", "expireMonth": "12", "cvc": CVC, "saleProduct": product, "saleProductPrice": "10.00",
                "isSecureTransaction": true, "callbackUrl": "https://merchant.example/cb"
            }),
        ),
        Op::Esnekpos => (
            "esnekpos.send_payment_request",
            json!({
                "AMOUNT": "10.00", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "s@example.com", "TYPE": 3,
                "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": product
            }),
        ),
        Op::IyzicoQuery => (
            "iyzico.retrieve_payment",
            json!({"paymentConversationId": reference}),
        ),
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

struct Seen {
    combos: std::collections::HashSet<String>,
    texts: Vec<String>,
    creates: Vec<(&'static str, String)>,
    /// (operation, reconciled through the API) for every `outcome_unknown` seen.
    unknown: std::collections::HashSet<(&'static str, bool)>,
    slowest_normal: Duration,
    slowest_delayed: Duration,
}

struct Clients {
    normal: Client,
    /// Only for `sim:delay` calls.
    short: Client,
}

fn round(sim: &Sim, clients: &Clients, seen: &Mutex<Seen>, round_no: usize, canary: bool) {
    std::thread::scope(|scope| {
        for t in 0..8 {
            scope.spawn(move || {
                for i in 0..120 {
                    let op = [
                        Op::Iyzico,
                        Op::Paymes,
                        Op::Paymago,
                        Op::Esnekpos,
                        Op::IyzicoQuery,
                    ][(i + t) % 5];
                    let scenario = SCENARIOS[(i * 7 + t * 3) % SCENARIOS.len()];
                    let reference = format!("soak-{round_no}-{t}-{i}");
                    let (name, req) = request(op, &reference, scenario);
                    let delayed = scenario == "sim:delay" && !matches!(op, Op::IyzicoQuery);
                    let client = if delayed {
                        &clients.short
                    } else {
                        &clients.normal
                    };
                    let started = Instant::now();
                    let result = client.call(name, req);
                    let elapsed = started.elapsed();
                    let want = expected(op, scenario);
                    let text = match &result {
                        Ok(r) => serde_json::to_string(r).unwrap(),
                        Err(e) => format!("{e} | {e:?} | {}", e.to_json()),
                    };
                    if canary {
                        println!("{name} {scenario} -> {text}");
                    }
                    match (&result, want) {
                        (Ok(_), None) => {}
                        (Err(e), Some(kind)) => {
                            assert_eq!(e.kind(), kind, "{name} {scenario}: {e}")
                        }
                        (r, w) => panic!(
                            "{name} {scenario}: expected {w:?}, got {:?}",
                            r.as_ref().map(|r| &r.outcome)
                        ),
                    }
                    let reconciled = match &result {
                        Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                            Some(reconcile(sim, &clients.normal, e, name, &reference))
                        }
                        _ => None,
                    };
                    let mut s = seen.lock().unwrap();
                    if let Some(reconciled) = reconciled {
                        s.unknown.insert((name, reconciled));
                    }
                    s.combos.insert(format!("{name} {scenario}"));
                    s.texts.push(text);
                    if !matches!(op, Op::IyzicoQuery | Op::Esnekpos) {
                        s.creates.push((name, reference));
                    }
                    if delayed {
                        s.slowest_delayed = s.slowest_delayed.max(elapsed);
                    } else {
                        s.slowest_normal = s.slowest_normal.max(elapsed);
                    }
                }
            });
        }
    });
}

/// Wait (event, not time: the cap only turns a hang into a failure) until the simulator has
/// booked the request: a client that gave up early may have sent it before the simulator read it.
fn wait_until_booked(sim: &Sim, operation: &str, reference: &str) {
    let started = Instant::now();
    while sim.count(operation, reference) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{operation} {reference} never reached the simulator"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// After `outcome_unknown`: the registry either declares a reconciliation, which the error
/// carries and which finds what the simulator booked, or declares that the provider's API cannot
/// answer, and the error says so. Returns which of the two happened.
fn reconcile(sim: &Sim, client: &Client, e: &odeme::Error, name: &str, reference: &str) -> bool {
    if name != "esnekpos.send_payment_request" {
        wait_until_booked(sim, name, reference);
    }
    let decl = odeme::registry::find(name).unwrap();
    match decl.reconcile {
        odeme::registry::Reconcile::With { operation, .. } => {
            assert_eq!(e.reconcile_with(), Some(operation), "{name}: {e}");
            let request = e.reconcile_request().expect("a reconcile request").clone();
            let r = client.call(operation, request).unwrap();
            assert!(
                matches!(&r.outcome, Outcome::Status(s) if s.state == State::Paid),
                "{name} {reference}: {:?}",
                r.outcome
            );
            true
        }
        odeme::registry::Reconcile::Unavailable { advice } => {
            assert_eq!(e.reconcile_with(), None, "{name}: {e}");
            assert!(e.reconcile_request().is_none(), "{name}: {e}");
            assert!(e.message().contains(advice), "{name}: {e}");
            false
        }
        odeme::registry::Reconcile::NotNeeded => {
            panic!("{name} is not at_most_once but ended outcome_unknown: {e}")
        }
    }
}

#[test]
fn faults_under_concurrency_keep_every_promise() {
    let canary = std::env::var_os("ODEME_CANARY").is_some();
    common::canary_log();
    let sim = Sim::start(Options {
        log_requests: canary,
        delay: SIM_DELAY,
        ..Options::default()
    })
    .unwrap();
    let client = |timeout_ms: u64| {
        let mut cfg = sim.client_config();
        cfg["timeout_ms"] = json!(timeout_ms);
        cfg["connect_timeout_ms"] = json!(timeout_ms);
        // scripts/canary: journal every call too, and search the journal afterwards.
        if let Some(path) = std::env::var_os("ODEME_CANARY_JOURNAL") {
            cfg["journal"] = json!({ "path": path.to_string_lossy() });
        }
        // ... or on PostgreSQL (a database of scripts/with-postgres), which the canary dumps.
        if let Ok(url) = std::env::var("ODEME_CANARY_JOURNAL_URL") {
            cfg["journal"] = json!({ "url": url });
        }
        Client::from_json(&cfg.to_string()).unwrap()
    };
    let clients = Clients {
        normal: client(NORMAL_TIMEOUT_MS),
        short: client(DELAY_TIMEOUT_MS),
    };
    let seen = Mutex::new(Seen {
        combos: Default::default(),
        texts: Vec::new(),
        creates: Vec::new(),
        unknown: Default::default(),
        slowest_normal: Duration::ZERO,
        slowest_delayed: Duration::ZERO,
    });

    round(&sim, &clients, &seen, 1, canary);
    let after_first = rss_kib();
    round(&sim, &clients, &seen, 2, canary);
    let after_second = rss_kib();
    if let Some(path) = std::env::var_os("ODEME_CANARY_JOURNAL") {
        // The WAL is folded into the main file when the last connection closes: keep a copy of
        // it as it is now, while the clients are open, for the canary to search.
        let mut wal = path.clone();
        wal.push("-wal");
        let mut copy = path.clone();
        copy.push("-wal.copy");
        std::fs::copy(&wal, &copy).expect("the journal has a WAL while clients are open");
    }

    let s = seen.lock().unwrap();
    assert_eq!(s.texts.len(), 2 * 8 * 120);
    // Every order-creating operation met every scenario.
    for op in [Op::Iyzico, Op::Paymes, Op::Paymago, Op::Esnekpos] {
        for scenario in SCENARIOS {
            let name = request(op, "x", scenario).0;
            assert!(
                s.combos.contains(&format!("{name} {scenario}")),
                "{name} never met {scenario:?}"
            );
        }
    }
    // Every outcome_unknown was either reconciled through its declared operation or reported
    // unreconcilable by the registry, and which one is fixed per operation.
    let unknown: std::collections::BTreeSet<_> = s.unknown.iter().copied().collect();
    assert_eq!(
        unknown,
        [
            ("esnekpos.send_payment_request", false),
            ("iyzico.create_payment", true),
            ("paymago.create_order", false),
            ("paymes.create_order", false),
        ]
        .into_iter()
        .collect(),
        "(operation, reconciled through the API) of every outcome_unknown"
    );
    eprintln!(
        "soak: slowest normal call {:?} (deadline {NORMAL_TIMEOUT_MS} ms), slowest delayed call {:?} (deadline {DELAY_TIMEOUT_MS} ms, simulator delay {SIM_DELAY:?})",
        s.slowest_normal, s.slowest_delayed
    );
    // Deadlines hold: a delayed call ends near its own deadline (room for a loaded machine),
    // far before the simulator's reply would have come.
    assert!(
        s.slowest_delayed >= Duration::from_millis(DELAY_TIMEOUT_MS)
            && s.slowest_delayed
                < Duration::from_millis(DELAY_TIMEOUT_MS) + Duration::from_secs(20),
        "a delayed call took {:?} with a {DELAY_TIMEOUT_MS} ms deadline",
        s.slowest_delayed
    );
    // Every order-creating call reached the simulator exactly once.
    for (op, reference) in &s.creates {
        assert_eq!(
            sim.count(op, reference),
            1,
            "{op} {reference} was not sent exactly once"
        );
    }
    let esnekpos_sent = sim
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("esnekpos.send_payment_request"))
        .count();
    assert_eq!(
        esnekpos_sent,
        2 * 8 * 120 / 5,
        "EsnekPOS requests sent exactly once each"
    );
    // Memory is bounded: the second round (same load) does not grow the process by more than a
    // few MiB (5 MiB oversize replies are cut at 1 MiB and freed).
    assert!(after_first > 0);
    assert!(
        after_second.saturating_sub(after_first) < 24 * 1024,
        "RSS grew from {after_first} KiB to {after_second} KiB"
    );
    // The canaries never surface.
    for text in &s.texts {
        assert!(!text.contains(PAN), "card number leaked: {text}");
        assert!(
            !text.contains(&format!("\"{CVC}\"")) && !text.contains(&format!("cvc {CVC}")),
            "CVC leaked: {text}"
        );
        for secret in SECRETS {
            assert!(!text.contains(secret), "secret leaked: {text}");
        }
    }
    let debug = format!("{:?}", clients.normal);
    for secret in SECRETS {
        assert!(!debug.contains(secret));
    }
}

// ---- refunds and cancels under faults ----------------------------------------------------------

const REFUND_OPS: [&str; 4] = [
    "iyzico.refund_payment",
    "iyzico.cancel_payment",
    "paymes.cancel_order",
    "esnekpos.return_order",
];

const REFUND_SCENARIOS: [&str; 8] = [
    "",
    "sim:refund-drop",
    "sim:refund-truncate",
    "sim:refund-malformed",
    "sim:refund-http500",
    "sim:refund-redirect",
    "sim:refund-oversize",
    "sim:refund-delay",
];

fn refund_expected(scenario: &str) -> Option<ErrorKind> {
    match scenario {
        "" => None,
        "sim:refund-redirect" => Some(ErrorKind::Provider),
        _ => Some(ErrorKind::OutcomeUnknown),
    }
}

/// GET a payment page as the payer would (plain HTTP: the soak's simulator).
fn visit(url: &str) -> Value {
    let text = ureq::get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A paid payment for `op` whose product carries `scenario`; returns the refund or cancel request,
/// the key the simulator logs it under, and (EsnekPOS) the link id.
fn refundable(
    client: &Client,
    op: &str,
    reference: &str,
    scenario: &str,
) -> (Value, String, String) {
    let product = if scenario.is_empty() {
        "Soak"
    } else {
        scenario
    };
    let (name, mut req) = request(
        if op.starts_with("iyzico") {
            Op::Iyzico
        } else if op.starts_with("paymes") {
            Op::Paymes
        } else {
            Op::Esnekpos
        },
        reference,
        "",
    );
    match name {
        "iyzico.create_payment" => req["basketItems"][0]["name"] = json!(product),
        "paymes.create_order" => req["productName"] = json!(product),
        _ => req["PRODUCT"] = json!(product),
    }
    let r = client.call(name, req).unwrap();
    match (&r.outcome, op) {
        (Outcome::Completed(p), "iyzico.refund_payment") => (
            json!({"paymentId": p.payment_id, "price": "10.00", "currency": "TRY"}),
            p.payment_id.clone(),
            String::new(),
        ),
        (Outcome::Completed(p), _) => (
            json!({"paymentId": p.payment_id, "reason": "other", "description": "soak"}),
            p.payment_id.clone(),
            String::new(),
        ),
        (Outcome::Redirect { url, .. }, _) => {
            visit(url);
            let id = r.provider_reference.clone().unwrap();
            (
                json!({"paymesOrderId": id, "price": "10.00"}),
                id,
                String::new(),
            )
        }
        (Outcome::PaymentLink { url, request_id }, _) => {
            let order = visit(url)["ORDER_REF_NO"].as_str().unwrap().to_owned();
            (
                json!({"ORDER_REF_NUMBER": order, "AMOUNT": "10.00"}),
                order,
                request_id.clone(),
            )
        }
        (other, _) => panic!("{op}: {other:?}"),
    }
}

/// After `outcome_unknown`: the declared reconciliation shows the money went back. EsnekPOS
/// declares none (its error says where to look); the link query shows it instead.
fn reconcile_refund(sim: &Sim, client: &Client, op: &str, key: &str, link: &str, e: &odeme::Error) {
    wait_until_booked(sim, op, key);
    let declared = odeme::registry::find(op).unwrap().reconcile_with().0;
    assert_eq!(e.reconcile_with(), declared, "{op}");
    let (query, req) = match e.reconcile_with() {
        Some(q) => (
            q,
            e.reconcile_request().cloned().expect("a reconcile_request"),
        ),
        None => (
            "esnekpos.query_payment_request",
            json!({"SEND_PAYMENT_REQUEST_ID": link}),
        ),
    };
    let r = client.call(query, req).unwrap();
    let Outcome::Status(s) = &r.outcome else {
        panic!("{op}: {:?}", r.outcome)
    };
    let want = if op == "iyzico.refund_payment" {
        State::Refunded
    } else {
        State::Cancelled
    };
    assert_eq!(s.state, want, "{op} {key}: {:?}", r.outcome);
}

#[test]
fn refund_faults_under_concurrency_keep_every_promise() {
    common::canary_log();
    let sim = Sim::start(Options {
        delay: SIM_DELAY,
        ..Options::default()
    })
    .unwrap();
    let client = |timeout_ms: u64| {
        let mut cfg = sim.client_config();
        cfg["timeout_ms"] = json!(timeout_ms);
        Client::from_json(&cfg.to_string()).unwrap()
    };
    let (normal, short) = (client(NORMAL_TIMEOUT_MS), client(DELAY_TIMEOUT_MS));
    let sent = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (sim, normal, short, sent) = (&sim, &normal, &short, &sent);
            scope.spawn(move || {
                for i in 0..REFUND_OPS.len() * REFUND_SCENARIOS.len() {
                    let op = REFUND_OPS[(i + t) % REFUND_OPS.len()];
                    let scenario =
                        REFUND_SCENARIOS[(i / REFUND_OPS.len() + t) % REFUND_SCENARIOS.len()];
                    let reference = format!("refund-soak-{t}-{i}");
                    let (req, key, link) = refundable(normal, op, &reference, scenario);
                    let c = if scenario == "sim:refund-delay" {
                        short
                    } else {
                        normal
                    };
                    let result = c.call(op, req);
                    match (&result, refund_expected(scenario)) {
                        (Ok(r), None) => {
                            assert!(
                                matches!(r.outcome, Outcome::Refund(_)),
                                "{op}: {:?}",
                                r.outcome
                            )
                        }
                        (Err(e), Some(kind)) => assert_eq!(e.kind(), kind, "{op} {scenario}: {e}"),
                        (r, w) => panic!(
                            "{op} {scenario}: expected {w:?}, got {:?}",
                            r.as_ref().map(|r| &r.outcome)
                        ),
                    }
                    if let Err(e) = &result {
                        if e.kind() == ErrorKind::OutcomeUnknown {
                            reconcile_refund(sim, normal, op, &key, &link, e);
                        }
                    }
                    sent.lock().unwrap().push((op, scenario, key));
                }
            });
        }
    });
    let sent = sent.into_inner().unwrap();
    assert_eq!(sent.len(), 4 * REFUND_OPS.len() * REFUND_SCENARIOS.len());
    // Every operation met every scenario, and every refund or cancel was sent exactly once.
    for op in REFUND_OPS {
        for scenario in REFUND_SCENARIOS {
            assert!(
                sent.iter().any(|(o, s, _)| *o == op && *s == scenario),
                "{op} never met {scenario:?}"
            );
        }
    }
    for (op, _, key) in &sent {
        assert_eq!(
            sim.count(op, key),
            1,
            "{op} {key} was not sent exactly once"
        );
    }
}
