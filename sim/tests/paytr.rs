//! PayTR refunds in the simulator: booked in the shared ledger, listed by the status query, and
//! faulted by the `sim:refund-SCENARIO` product name of the order's first basket item (iFrame and
//! Direct API), booked before the reply is lost, as every provider's refunds are.
//!
//! Driven over raw HTTP with the test's own `paytr_token` (HMAC-SHA256, base64): no odeme code.

use std::io::{Read, Write};
use std::net::TcpStream;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use odeme_sim::credentials::{PAYTR_MERCHANT_ID, PAYTR_MERCHANT_KEY, PAYTR_MERCHANT_SALT};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};
use sha2::Sha256;

/// One request over a fresh connection: `Some((status, body))`, or `None` when the simulator
/// closed the connection without an answer.
fn http(sim: &Sim, method: &str, path: &str, form: &[(&str, &str)]) -> Option<(u16, String)> {
    let mut body = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form {
        body.append_pair(k, v);
    }
    let body = body.finish();
    let addr = sim.base_url().trim_start_matches("http://").to_owned();
    let mut s = TcpStream::connect(&addr).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut out = Vec::new();
    // A dropped connection may end in a reset rather than an orderly close.
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8(out).unwrap();
    if text.is_empty() {
        return None;
    }
    let status = text[9..12].parse().unwrap();
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    Some((status, body.to_owned()))
}

fn json_of(answer: Option<(u16, String)>) -> Value {
    let (status, body) = answer.expect("an answer");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn token(parts: &[&str]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(PAYTR_MERCHANT_KEY.as_bytes()).unwrap();
    for p in parts {
        mac.update(p.as_bytes());
    }
    mac.update(PAYTR_MERCHANT_SALT.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// An iFrame order of 25.00 whose first basket item is `product`, paid on the hosted page.
fn iframe_paid(sim: &Sim, oid: &str, product: &str) {
    let basket = B64.encode(json!([[product, "25.00", 1]]).to_string());
    let (ip, email, amount) = ("85.34.78.112", "ali@example.com", "2500");
    let paytr_token = token(&[
        PAYTR_MERCHANT_ID,
        ip,
        oid,
        email,
        amount,
        &basket,
        "0",
        "0",
        "TL",
        "1",
    ]);
    let r = json_of(http(
        sim,
        "POST",
        "/odeme/api/get-token",
        &[
            ("merchant_id", PAYTR_MERCHANT_ID),
            ("user_ip", ip),
            ("merchant_oid", oid),
            ("email", email),
            ("payment_amount", amount),
            ("user_basket", &basket),
            ("no_installment", "0"),
            ("max_installment", "0"),
            ("currency", "TL"),
            ("test_mode", "1"),
            ("merchant_ok_url", "https://shop.example/ok"),
            ("merchant_fail_url", "https://shop.example/fail"),
            ("user_name", "Ali Çelik"),
            ("user_address", "Kızılay, Ankara"),
            ("user_phone", "05321234567"),
            ("paytr_token", &paytr_token),
        ],
    ));
    assert_eq!(r["status"], "success", "{r}");
    let page = format!("/odeme/guvenli/{}", r["token"].as_str().unwrap());
    assert_eq!(json_of(http(sim, "GET", &page, &[]))["status"], "success");
}

/// A Direct API order of 25.00 whose first basket item is `product`, paid on the 3-D page.
fn direct_paid(sim: &Sim, oid: &str, product: &str) {
    let basket = json!([[product, "25.00", 1]]).to_string();
    let (ip, email, amount) = ("85.34.78.112", "ali@example.com", "25.00");
    let paytr_token = token(&[
        PAYTR_MERCHANT_ID,
        ip,
        oid,
        email,
        amount,
        "card",
        "0",
        "TL",
        "1",
        "0",
    ]);
    let (status, html) = http(
        sim,
        "POST",
        "/odeme",
        &[
            ("merchant_id", PAYTR_MERCHANT_ID),
            ("user_ip", ip),
            ("merchant_oid", oid),
            ("email", email),
            ("payment_type", "card"),
            ("payment_amount", amount),
            ("installment_count", "0"),
            ("currency", "TL"),
            ("test_mode", "1"),
            ("non_3d", "0"),
            ("cc_owner", "Ali Çelik"),
            ("card_number", cards::SUCCESS),
            ("expiry_month", "12"),
            ("expiry_year", "2030"),
            ("cvv", "123"),
            ("merchant_ok_url", "https://shop.example/ok"),
            ("merchant_fail_url", "https://shop.example/fail"),
            ("user_name", "Ali Çelik"),
            ("user_address", "Kızılay, Ankara"),
            ("user_phone", "05321234567"),
            ("user_basket", &basket),
            ("paytr_token", &paytr_token),
        ],
    )
    .unwrap();
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/pay/paytr3d/{oid}")), "{html}");
    let page = format!("/pay/paytr3d/{oid}");
    assert_eq!(json_of(http(sim, "GET", &page, &[]))["status"], "success");
}

fn refund(sim: &Sim, oid: &str, amount: &str, reference: &str) -> Option<(u16, String)> {
    let paytr_token = token(&[PAYTR_MERCHANT_ID, oid, amount]);
    http(
        sim,
        "POST",
        "/odeme/iade",
        &[
            ("merchant_id", PAYTR_MERCHANT_ID),
            ("merchant_oid", oid),
            ("return_amount", amount),
            ("reference_no", reference),
            ("paytr_token", &paytr_token),
        ],
    )
}

fn status(sim: &Sim, oid: &str) -> Value {
    let paytr_token = token(&[PAYTR_MERCHANT_ID, oid]);
    json_of(http(
        sim,
        "POST",
        "/odeme/durum-sorgu",
        &[
            ("merchant_id", PAYTR_MERCHANT_ID),
            ("merchant_oid", oid),
            ("paytr_token", &paytr_token),
        ],
    ))
}

#[test]
fn refund_scenarios_apply_to_paytr_refunds() {
    let sim = Sim::start_http().unwrap();
    for (oid, pay) in [
        ("iframeDrop1", iframe_paid as fn(&Sim, &str, &str)),
        ("directDrop1", direct_paid),
    ] {
        pay(&sim, oid, "sim:refund-drop");
        // The refund is booked, then its reply is lost.
        assert_eq!(refund(&sim, oid, "10.00", "iade1"), None, "{oid}");
        let log = sim.requests();
        let last = log.last().unwrap();
        assert_eq!(
            (last.operation.as_deref(), last.order_ref.as_deref()),
            (Some("paytr.refund"), Some(oid))
        );
        assert_eq!(last.scenario.as_deref(), Some("drop"));
        let s = status(&sim, oid);
        assert_eq!(s["status"], "success", "{s}");
        let returns = s["returns"].as_array().unwrap();
        assert_eq!(returns.len(), 1, "{s}");
        assert_eq!(returns[0]["return_amount"], "10.00");
        assert_eq!(returns[0]["reference_no"], "iade1");
        // Above what remains (15.00): refused, in the normal error reply (nothing booked).
        let over = json_of(refund(&sim, oid, "15.01", "iade2"));
        assert_eq!(
            (over["status"].as_str(), over["err_no"].as_str()),
            (Some("error"), Some("009"))
        );
        assert_eq!(status(&sim, oid)["returns"].as_array().unwrap().len(), 1);
    }
    // Without the scenario, a refund is answered.
    iframe_paid(&sim, "iframePlain1", "Şemsiye");
    let ok = json_of(refund(&sim, "iframePlain1", "25", "iade3"));
    assert_eq!(ok["status"], "success", "{ok}");
    assert_eq!(ok["return_amount"], "25");
    let s = status(&sim, "iframePlain1");
    assert_eq!(s["returns"][0]["return_amount"], "25.00");
    let again = json_of(refund(&sim, "iframePlain1", "0.01", "iade4"));
    assert_eq!(again["err_no"], "009", "{again}");
}
