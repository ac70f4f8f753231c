//! PayTR end to end against the simulator (which recomputes every token with its own HMAC and
//! refuses any that differs): the iFrame token, the hosted page, the callback (verified, and its
//! tampered copy refused), the status query, partial and excessive refunds, the Direct API's 3-D
//! page, a lost get-token reply and its reconciliation, and the journal's duplicate callbacks.

mod common;

use common::{client, client_with, unique, visit};
use odeme::{ErrorKind, Outcome};
use odeme_sim::Sim;
use serde_json::{json, Value};

fn iframe_request(oid: &str, first_item: &str, kurus: u64) -> Value {
    json!({
        "user_ip": "85.34.78.112", "merchant_oid": oid, "email": "ayşe.yılmaz@example.com",
        "payment_amount": kurus,
        "user_basket": [[first_item, "18.00", 1], ["Çay bardağı (6'lı)", "16.56", 1]],
        "no_installment": 0, "max_installment": 0,
        "user_name": "Ayşe Yılmaz", "user_address": "İstiklal Cd. No:1 Beyoğlu/İstanbul",
        "user_phone": "05555555555", "merchant_ok_url": "https://shop.example/ok",
        "merchant_fail_url": "https://shop.example/fail"
    })
}

fn new_oid(prefix: &str) -> String {
    unique(prefix).replace(['-'], "x")
}

fn iframe(r: &odeme::Response) -> (String, String) {
    match &r.outcome {
        Outcome::Iframe { token, url } => (token.clone(), url.clone()),
        other => panic!("expected iframe, got {other:?}"),
    }
}

fn notification(r: &odeme::Response) -> &odeme::Notification {
    match &r.outcome {
        Outcome::Webhook(n) => n,
        other => panic!("expected a notification, got {other:?}"),
    }
}

fn status(r: &odeme::Response) -> &odeme::outcome::Status {
    match &r.outcome {
        Outcome::Status(s) => s,
        other => panic!("expected a status, got {other:?}"),
    }
}

#[test]
fn iframe_token_hosted_page_callback_status_and_refunds() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let oid = new_oid("ifr");
    let r = c
        .call(
            "paytr.create_iframe_token",
            iframe_request(&oid, "Örnek ürün ĞÜŞİÖÇ", 3456),
        )
        .unwrap();
    let (token, url) = iframe(&r);
    assert_eq!(url, format!("{}/odeme/guvenli/{token}", sim.base_url()));
    assert_eq!(r.raw.to_value()["status"], "success");

    // The payer pays on the hosted page; PayTR then posts these fields to the notification URL.
    let fields = visit(&sim, &url);
    assert_eq!(fields["status"], "success");
    assert_eq!(fields["total_amount"], "3456");
    let v = c.call("paytr.verify_callback", fields.clone()).unwrap();
    let n = notification(&v);
    assert_eq!(n.state, odeme::State::Paid);
    assert_eq!(n.order_id.as_deref(), Some(oid.as_str()));
    assert_eq!(n.reply.as_deref(), Some("OK"));
    assert!(!n.duplicate, "no journal: never a duplicate");
    assert_eq!(v.to_json()["outcome"]["reply"], "OK");

    let mut tampered = fields.clone();
    tampered["total_amount"] = json!("345600");
    let e = c.call("paytr.verify_callback", tampered).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let mut tampered = fields;
    tampered["status"] = json!("failed");
    assert_eq!(
        c.call("paytr.verify_callback", tampered)
            .unwrap_err()
            .kind(),
        ErrorKind::Signature
    );

    let q = c
        .call("paytr.query_order", json!({"merchant_oid": oid}))
        .unwrap();
    let s = status(&q);
    assert_eq!(s.state, odeme::State::Paid);
    assert_eq!(s.amount.as_deref(), Some("34.56"));

    let refund = c
        .call(
            "paytr.refund",
            json!({"merchant_oid": oid, "return_amount": "10.5", "reference_no": "iade1"}),
        )
        .unwrap();
    let Outcome::Refund(ro) = &refund.outcome else {
        panic!("{:?}", refund.outcome)
    };
    assert_eq!(ro.amount, "10.50");
    assert_eq!(ro.payment_id, oid);
    assert_eq!(ro.refund_id.as_deref(), Some("iade1"));

    let q = c
        .call("paytr.query_order", json!({"merchant_oid": oid}))
        .unwrap();
    let s = status(&q);
    assert_eq!(s.state, odeme::State::PartiallyRefunded);
    let report = s.report.as_ref().unwrap();
    assert_eq!(report.refunds.len(), 1);
    assert_eq!(report.refunds[0].amount, "10.50");
    assert_eq!(report.refunds[0].refund_id.as_deref(), Some("iade1"));

    // 24.06 remain. PayTR refuses more (009); with `refundable` odeme refuses before sending.
    let e = c
        .call(
            "paytr.refund",
            json!({"merchant_oid": oid, "return_amount": "24.07"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    assert_eq!(e.provider_code(), Some("009"));
    let sent = sim.count("paytr.refund", &oid);
    let e = c
        .call(
            "paytr.refund",
            json!({"merchant_oid": oid, "return_amount": "24.07", "refundable": "24.06"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("return_amount"));
    assert_eq!(sim.count("paytr.refund", &oid), sent, "nothing sent");

    let last = c
        .call(
            "paytr.refund",
            json!({"merchant_oid": oid, "return_amount": "24.06"}),
        )
        .unwrap();
    assert!(matches!(last.outcome, Outcome::Refund(_)));
    let q = c
        .call("paytr.query_order", json!({"merchant_oid": oid}))
        .unwrap();
    assert_eq!(status(&q).state, odeme::State::Refunded);
}

/// Tokens over random Turkish inputs: the simulator recomputes each with its own HMAC-SHA256
/// (RustCrypto) and books the order only when they are equal.
#[test]
fn tokens_over_turkish_inputs_are_accepted_by_an_independent_check() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let names = [
        "Işıklı Çiçek Vazo",
        "ĞÜŞİÖÇ ğüşıöç",
        "Kahve & Çay \"özel\" + %50",
        "Ürün/İsmi=1&x",
        "日本茶 ve lokum",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for (i, name) in names.iter().enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kurus = 1 + seed % 1_000_000;
        let oid = new_oid(&format!("tok{i}"));
        let mut req = iframe_request(&oid, name, kurus);
        req["email"] = json!(format!("müşteri{i}@örnek.com.tr"));
        req["user_basket"][1][1] = json!(format!("{}.{:02}", seed % 997 + 1, seed % 100));
        req["max_installment"] = json!(seed % 13);
        req["no_installment"] = json!(seed % 2);
        let r = c.call("paytr.create_iframe_token", req).unwrap();
        iframe(&r);
    }
    // The same check refuses a token made with another key.
    let other = client_with(&sim, |cfg| {
        cfg["paytr"]["merchant_key"] = json!("another-key")
    });
    let e = other
        .call(
            "paytr.create_iframe_token",
            iframe_request(&new_oid("bad"), "x", 100),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(
        e.provider_message(),
        Some("paytr_token gonderilmedi veya gecersiz")
    );
}

#[test]
fn direct_api_3d_page_callback_and_decline() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let direct = |oid: &str, card: &str| {
        json!({
            "user_ip": "85.34.78.112", "merchant_oid": oid, "email": "ali@example.com",
            "payment_amount": "100.99", "installment_count": 0, "currency": "TL",
            "cc_owner": "Ali Çelik", "card_number": card, "expiry_month": "12",
            "expiry_year": "2030", "cvv": "000",
            "merchant_ok_url": "https://shop.example/ok", "merchant_fail_url": "https://shop.example/fail",
            "user_name": "Ali Çelik", "user_address": "Kızılay, Ankara", "user_phone": "05321234567",
            "user_basket": [["Şemsiye", "100.99", 1]]
        })
    };
    let oid = new_oid("dir");
    let r = c
        .call("paytr.pay_direct", direct(&oid, "5528790000000008"))
        .unwrap();
    let Outcome::Html { html, order_id, .. } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(order_id.as_deref(), Some(oid.as_str()));
    let action = format!("{}/pay/paytr3d/{oid}", sim.base_url());
    assert!(html.contains(&action), "{html}");
    let fields = visit(&sim, &action);
    assert_eq!(fields["total_amount"], "10099");
    let v = c.call("paytr.verify_callback", fields).unwrap();
    assert_eq!(notification(&v).state, odeme::State::Paid);
    let q = c
        .call("paytr.query_order", json!({"merchant_oid": oid}))
        .unwrap();
    assert_eq!(status(&q).amount.as_deref(), Some("100.99"));

    let declined = new_oid("dec");
    c.call("paytr.pay_direct", direct(&declined, "4111111111111129"))
        .unwrap();
    let fields = visit(&sim, &format!("{}/pay/paytr3d/{declined}", sim.base_url()));
    let v = c.call("paytr.verify_callback", fields).unwrap();
    assert_eq!(notification(&v).state, odeme::State::Failed);
    assert_eq!(notification(&v).reply.as_deref(), Some("OK"));
    // No successful payment: pending at the query (only the callback says it failed).
    let q = c
        .call("paytr.query_order", json!({"merchant_oid": declined}))
        .unwrap();
    assert_eq!(status(&q).state, odeme::State::Pending);

    // Bad card data never leaves: refused before any I/O, naming PayTR's field.
    let before = sim.requests().len();
    let e = c
        .call(
            "paytr.pay_direct",
            direct(&new_oid("luhn"), "5528790000000009"),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("card_number"));
    assert!(!e.message().contains("5528790000000009"));
    assert_eq!(sim.requests().len(), before);
}

#[test]
fn query_not_found_only_for_an_unknown_order() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let q = c
        .call("paytr.query_order", json!({"merchant_oid": "neverseen1"}))
        .unwrap();
    assert_eq!(status(&q).state, odeme::State::NotFound);
    // Any other refusal of the query is an error, never not_found.
    let wrong = client_with(&sim, |cfg| cfg["paytr"]["merchant_salt"] = json!("wrong"));
    let e = wrong
        .call("paytr.query_order", json!({"merchant_oid": "neverseen1"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.provider_code(), Some("003"));
}

#[test]
fn lost_iframe_reply_is_outcome_unknown_sent_once_and_reconciled() {
    let sim = Sim::start_http().unwrap();
    let dir = std::env::temp_dir().join(unique("odeme-paytr-journal"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.sqlite3");
    let c = client_with(&sim, |cfg| cfg["journal"] = json!({"path": path}));
    let oid = new_oid("drop");
    let req = iframe_request(&oid, "sim:drop", 2500);
    let e = c
        .call("paytr.create_iframe_token", req.clone())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.reconcile_with(), Some("paytr.query_order"));
    assert_eq!(e.reconcile_request(), Some(&json!({"merchant_oid": oid})));
    assert_eq!(sim.count("paytr.create_iframe_token", &oid), 1, "sent once");

    // The journal refuses to send it again, before any I/O.
    let e = c.call("paytr.create_iframe_token", req).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.field(), Some("merchant_oid"));
    assert_eq!(sim.count("paytr.create_iframe_token", &oid), 1);

    // PayTR booked the token, and nobody paid: the query says so, and the row stays open.
    let rows = c.reconcile().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, "outcome_unknown");
    assert_eq!(
        rows[0].resolved.as_deref(),
        Some("pending"),
        "{:?}",
        rows[0]
    );
    // The payer completes (the simulator's webhook endpoint pays first); reconcile again.
    let delivery = sim.webhook("paytr", &oid).unwrap();
    let rows = c.reconcile().unwrap();
    assert_eq!(rows[0].state, "done");
    assert_eq!(rows[0].resolved.as_deref(), Some("paid"));
    assert!(c.pending().unwrap().is_empty());

    // The same callback twice: duplicate the second time, by either door.
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let body = delivery["body"].as_str().unwrap().as_bytes();
    let first = c.verify_webhook("paytr", &headers, body).unwrap();
    assert!(!notification(&first).duplicate);
    assert_eq!(notification(&first).reply.as_deref(), Some("OK"));
    let again = c.verify_webhook("paytr", &headers, body).unwrap();
    assert!(notification(&again).duplicate);
    let fields: Value = form_fields(body);
    let by_call = c.call("paytr.verify_callback", fields).unwrap();
    assert!(notification(&by_call).duplicate);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_callback_resolves_the_journal_row() {
    let sim = Sim::start_http().unwrap();
    let dir = std::env::temp_dir().join(unique("odeme-paytr-journal"));
    std::fs::create_dir_all(&dir).unwrap();
    let c = client_with(&sim, |cfg| {
        cfg["journal"] = json!({"path": dir.join("j.sqlite3")})
    });
    let oid = new_oid("trunc");
    let e = c
        .call(
            "paytr.create_iframe_token",
            iframe_request(&oid, "sim:truncate", 990),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(c.pending().unwrap().len(), 1);
    let delivery = sim.webhook("paytr", &oid).unwrap();
    let fields = form_fields(delivery["body"].as_str().unwrap().as_bytes());
    let first = c.call("paytr.verify_callback", fields.clone()).unwrap();
    assert!(!notification(&first).duplicate);
    assert!(
        c.pending().unwrap().is_empty(),
        "the callback resolved the row"
    );
    let second = c.call("paytr.verify_callback", fields).unwrap();
    assert!(notification(&second).duplicate);
    let _ = std::fs::remove_dir_all(&dir);
}

fn form_fields(body: &[u8]) -> Value {
    let mut m = serde_json::Map::new();
    for pair in std::str::from_utf8(body).unwrap().split('&') {
        let (k, v) = pair.split_once('=').unwrap();
        let dec = |s: &str| {
            let s = s.replace('+', " ");
            let bytes = s.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        };
        m.insert(dec(k), Value::from(dec(v)));
    }
    Value::Object(m)
}

/// Values computed by another PayTR client from PayTR's formulas (productdevbook/kasapay @
/// 0f0005a, `crates/kasapay-paytr/tests/notice.rs` and `tests/payments.rs`: credentials
/// `merchant-1` / `merchant-key` / `merchant-salt`). No PayTR document publishes a token with its
/// inputs (UNVERIFIED.md, PayTR).
#[test]
fn third_party_vectors() {
    use odeme::config::PaytrConfig;
    use odeme::providers::paytr::{iframe_form, IframeTokenRequest};
    use odeme::secret::Secret;
    use odeme::sign::{paytr_callback_hash, paytr_callback_verify, paytr_token};
    for (status, total, want) in [
        (
            "success",
            "14990",
            "bGOjbiyL0EfGqNehYd/+AxWSZyvFgfp4Uc+KUiqnfsc=",
        ),
        (
            "failed",
            "14990",
            "zOqgVKwSDLdfdAnVubkNJHYEWoG+mIdveLQjgYSya3E=",
        ),
        (
            "success",
            "16489",
            "aD+ZIzxqzmpU1kYARUpnm5qOxzk/xW92Prf39O1tfbQ=",
        ),
    ] {
        assert_eq!(
            paytr_callback_hash("merchant-key", "merchant-salt", "ord-1", status, total),
            want
        );
        assert!(paytr_callback_verify(
            "merchant-key",
            "merchant-salt",
            "ord-1",
            status,
            total,
            want
        ));
    }
    assert_eq!(
        paytr_token("merchant-key", &["merchant-1", "ord-1"], "merchant-salt"),
        "S/fQPpCh73HbzZKzjIYGi8Cp7IBtQ0uAP0VjUA+l2ho="
    );
    let cfg = PaytrConfig {
        merchant_id: "merchant-1".into(),
        merchant_key: Secret::new("merchant-key"),
        merchant_salt: Secret::new("merchant-salt"),
        base_url: "https://www.paytr.com".into(),
        test_mode: true,
    };
    let req: IframeTokenRequest = odeme::validate::parse_request(&json!({
        "user_ip": "203.0.113.7", "merchant_oid": "ord-1", "email": "ayse@example.test",
        "payment_amount": 14990, "user_basket": [["Kahve", "149.90", 1]],
        "user_name": "Ayse Yilmaz", "user_address": "Bagdat Cad. 1", "user_phone": "+905350000000",
        "merchant_ok_url": "https://merchant.test/ok", "merchant_fail_url": "https://merchant.test/no"
    }))
    .unwrap();
    let form = iframe_form(&cfg, &req).unwrap();
    let token = &form.iter().find(|(k, _)| *k == "paytr_token").unwrap().1;
    assert_eq!(token, "fYtW58G/x2bj+w89dUrab6MyxiTd9WMUHZC/cN6fP1o=");
}

/// The sentinel card and CVC of the canary (`scripts/canary`, shared with the other suites).
const CANARY_PAN: &str = "4766620000000001";
const CANARY_CVC: &str = "947";

/// Every PayTR flow with the sentinel card and CVC, faults included: no response, error, `Debug`
/// output, simulator log line or journal byte may contain them, the merchant key or the salt.
/// With ODEME_CANARY=1 everything is printed (and the simulator logs to stderr) for
/// `scripts/canary` to search.
#[test]
fn canary_paytr_flows_leak_no_card_data_or_secret() {
    let canary = std::env::var_os("ODEME_CANARY").is_some();
    let sim = Sim::start(odeme_sim::Options {
        log_requests: canary,
        ..odeme_sim::Options::default()
    })
    .unwrap();
    let dir = std::env::temp_dir().join(unique("odeme-paytr-canary"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.sqlite3");
    let c = client_with(&sim, |cfg| cfg["journal"] = json!({"path": path}));
    let mut texts: Vec<String> = Vec::new();
    let mut record = |name: &str, r: &Result<odeme::Response, odeme::Error>| {
        let text = match r {
            Ok(r) => format!("{} | {r:?}", serde_json::to_string(r).unwrap()),
            Err(e) => format!("{e} | {e:?} | {}", e.to_json()),
        };
        if canary {
            println!("paytr {name} -> {text}");
        }
        texts.push(text);
    };
    let direct = |oid: &str, card: &str| {
        json!({
            "user_ip": "85.34.78.112", "merchant_oid": oid, "email": "ali@example.com",
            "payment_amount": "12.34", "cc_owner": "Ali Çelik", "card_number": card,
            "expiry_month": "12", "expiry_year": "2030", "cvv": CANARY_CVC,
            "merchant_ok_url": "https://shop.example/ok", "merchant_fail_url": "https://shop.example/fail",
            "user_name": "Ali Çelik", "user_address": "Kızılay, Ankara", "user_phone": "05321234567",
            "user_basket": [["Şemsiye", "12.34", 1]]
        })
    };
    let base = new_oid("can");
    for (suffix, scenario, card) in [
        ("a", "", CANARY_PAN),
        ("b", "sim-drop-", CANARY_PAN),
        ("c", "sim-http500-", CANARY_PAN),
        ("d", "sim-malformed-", CANARY_PAN),
        ("e", "", "4766620000000002"),
    ] {
        let oid = format!("{scenario}{base}{suffix}");
        let r = c.call("paytr.pay_direct", direct(&oid, card));
        record("pay_direct", &r);
        if r.is_ok() {
            let fields = visit(&sim, &format!("{}/pay/paytr3d/{oid}", sim.base_url()));
            record(
                "verify_callback",
                &c.call("paytr.verify_callback", fields.clone()),
            );
            record(
                "verify_callback (again)",
                &c.call("paytr.verify_callback", fields),
            );
            let q = json!({"merchant_oid": oid});
            record("query_order", &c.call("paytr.query_order", q));
            let refund =
                json!({"merchant_oid": oid, "return_amount": "1.00", "reference_no": "ref1"});
            record("refund", &c.call("paytr.refund", refund));
        }
    }
    let drop = new_oid("candrop");
    record(
        "create_iframe_token (dropped)",
        &c.call(
            "paytr.create_iframe_token",
            iframe_request(&drop, "sim:drop", 100),
        ),
    );
    let delivery = sim.webhook("paytr", &drop).unwrap();
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let body = delivery["body"].as_str().unwrap().as_bytes();
    record("verify_webhook", &c.verify_webhook("paytr", &headers, body));
    texts.push(format!("{:?}", c.pending().unwrap()));
    texts.push(format!("{:?}", c.reconcile().unwrap()));
    texts.push(sim.requests_json().to_string());
    assert!(texts.len() >= 12, "{}", texts.len());
    let secrets = [
        odeme_sim::credentials::PAYTR_MERCHANT_KEY,
        odeme_sim::credentials::PAYTR_MERCHANT_SALT,
    ];
    let cvc_token = |t: &str| {
        t.match_indices(CANARY_CVC).any(|(i, _)| {
            let ok = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '.');
            ok(t[..i].chars().next_back()) && ok(t[i + 3..].chars().next())
        })
    };
    let journal = std::fs::read(&path).unwrap();
    let journal = String::from_utf8_lossy(&journal).into_owned();
    for t in texts.iter().chain(std::iter::once(&journal)) {
        assert!(
            !t.contains(CANARY_PAN) && !t.contains("4766620000000002"),
            "card in {t}"
        );
        assert!(!cvc_token(t), "CVC in {t}");
        for s in secrets {
            assert!(!t.contains(s), "secret in {t}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
