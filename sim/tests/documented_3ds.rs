//! The simulator's 3-D Secure, checkout-form, lookup and EsnekPOS 3-D replies have the shape of
//! the providers' documented examples (`sim/tests/documented/`, sources in `SOURCES_3ds.md`):
//! every documented key is there with the same JSON type and nesting, and every extra key is one
//! today's documentation adds (listed per case, with the reason).
//!
//! The simulator is driven over raw HTTP with its own IYZWSv2 signing here: no odeme code.

use std::io::{Read, Write};
use std::net::TcpStream;

use base64::Engine;
use hmac::{Hmac, Mac};
use odeme_sim::{cards, credentials, Sim};
use serde_json::{json, Value};
use sha2::Sha256;

fn documented(name: &str) -> Value {
    let path = format!("{}/tests/documented/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[path = "support/shape.rs"]
mod shape;

/// `got` has `doc`'s shape (`support/shape.rs`); extra keys only from `extra`, documented keys
/// left out only from `missing_ok`.
fn same_shape(what: &str, doc: &Value, got: &Value, extra: &[&str], missing_ok: &[&str]) {
    let diffs = shape::differences(doc, got, extra, missing_ok);
    assert!(diffs.is_empty(), "{what}: {diffs:#?}\nsimulator: {got}");
}

fn http(sim: &Sim, method: &str, path: &str, headers: &[(String, String)], body: &[u8]) -> Value {
    let addr = sim.base_url().trim_start_matches("http://").to_owned();
    let mut s = TcpStream::connect(&addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn hex_hmac(key: &str, data: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// POST to iyzico with IYZWSv2 over the random key, the path and the body.
fn iyzico(sim: &Sim, path: &str, body: &Value) -> Value {
    let body = body.to_string();
    let rnd = "123456789";
    let sig = hex_hmac(
        credentials::IYZICO_SECRET_KEY,
        format!("{rnd}{path}{body}").as_bytes(),
    );
    let auth = base64::engine::general_purpose::STANDARD.encode(format!(
        "apiKey:{}&randomKey:{rnd}&signature:{sig}",
        credentials::IYZICO_API_KEY
    ));
    let headers = [
        ("Authorization".to_owned(), format!("IYZWSv2 {auth}")),
        ("x-iyzi-rnd".to_owned(), rnd.to_owned()),
    ];
    http(sim, "POST", path, &headers, body.as_bytes())
}

fn get(sim: &Sim, url: &str) -> Value {
    let path = url.strip_prefix(sim.base_url()).unwrap();
    http(sim, "GET", path, &[], b"")
}

fn payment(conv: &str, card: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conv, "price": "1.0", "paidPrice": "1.2", "installment": 1,
        "basketId": "B67832", "currency": "TRY",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "identityNumber": "74300864791", "email": "email@email.com",
                  "registrationAddress": "Nidakule Göztepe", "city": "Istanbul", "country": "Turkey", "ip": "85.34.78.112"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "basketItems": [{"id": "BI101", "price": "1.0", "name": "Binocular", "category1": "Collectibles", "itemType": "VIRTUAL"}],
        "callbackUrl": "https://www.merchant.com/callback"
    })
}

/// Fields the documented payments carry only for a stored card or a marketplace sub-merchant.
const STORED_CARD_AND_SUB_MERCHANT: &[&str] = &["cardToken", "cardUserKey", "subMerchantKey"];

#[test]
fn iyzico_3ds_replies_have_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let init = iyzico(
        &sim,
        "/payment/3dsecure/initialize",
        &payment("c-3ds", cards::SUCCESS),
    );
    // paymentId and signature: today's docs (ThreeDSInitializeResponse).
    same_shape(
        "init",
        &documented("iyzico_threeds_initialize.json"),
        &init,
        &["paymentId", "signature"],
        &[],
    );
    let payment_id = init["paymentId"].as_str().unwrap().to_owned();
    let html = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(init["threeDSHtmlContent"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let url = format!("{}/pay/iyzico3ds/{payment_id}", sim.base_url());
    assert!(html.contains(&format!("action=\"{url}\"")), "{html}");

    // The callback: the documented form's fields, all text, signed as iyzico signs them.
    let callback = get(&sim, &url);
    let form = std::fs::read_to_string(format!(
        "{}/tests/documented/iyzico_threeds_callback_form.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let doc: serde_json::Map<String, Value> = form
        .trim()
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), Value::from(v))
        })
        .collect();
    same_shape("callback", &Value::Object(doc), &callback, &[], &[]);
    let signed = format!(
        "{}:{}:{}:{}:{}",
        callback["conversationData"].as_str().unwrap(),
        callback["conversationId"].as_str().unwrap(),
        callback["mdStatus"].as_str().unwrap(),
        callback["paymentId"].as_str().unwrap(),
        callback["status"].as_str().unwrap()
    );
    assert_eq!(signed, format!(":c-3ds:1:{payment_id}:success"));
    assert_eq!(
        callback["signature"],
        hex_hmac(credentials::IYZICO_SECRET_KEY, signed.as_bytes())
    );

    let auth = iyzico(
        &sim,
        "/payment/v2/3dsecure/auth",
        &json!({"locale": "tr", "conversationId": "c-3ds", "paymentId": payment_id,
                "paidPrice": "1.2", "basketId": "B67832", "currency": "TRY"}),
    );
    same_shape(
        "auth",
        &documented("iyzico_threeds_auth_v1.json"),
        &auth,
        &["signature"],
        STORED_CARD_AND_SUB_MERCHANT,
    );
    // Once only.
    let again = iyzico(
        &sim,
        "/payment/v2/3dsecure/auth",
        &json!({"locale": "tr", "conversationId": "c-3ds", "paymentId": payment_id,
                "paidPrice": "1.2", "basketId": "B67832", "currency": "TRY"}),
    );
    assert_eq!(again["status"], "failure");
}

#[test]
fn md_status_cards() {
    let sim = Sim::start_http().unwrap();
    for (card, md, status) in [
        ("4131111111111117", "0", "failure"),
        ("4141111111111115", "4", "failure"),
        (cards::SUCCESS, "1", "success"),
    ] {
        let init = iyzico(&sim, "/payment/3dsecure/initialize", &payment("c-md", card));
        let id = init["paymentId"].as_str().unwrap();
        let cb = get(&sim, &format!("{}/pay/iyzico3ds/{id}", sim.base_url()));
        assert_eq!(
            (cb["mdStatus"].as_str(), cb["status"].as_str()),
            (Some(md), Some(status))
        );
    }
}

#[test]
fn checkout_form_replies_have_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let mut req = payment("c-cf", cards::SUCCESS);
    req.as_object_mut().unwrap().remove("paymentCard");
    req.as_object_mut().unwrap().remove("installment");
    let init = iyzico(
        &sim,
        "/payment/iyzipos/checkoutform/initialize/auth/ecom",
        &req,
    );
    same_shape(
        "cf init",
        &documented("iyzico_checkout_form_initialize.json"),
        &init,
        &["signature"],
        &[],
    );
    let token = init["token"].as_str().unwrap().to_owned();
    assert_eq!(
        init["signature"],
        hex_hmac(
            credentials::IYZICO_SECRET_KEY,
            format!("c-cf:{token}").as_bytes()
        )
    );
    // The documented paymentPageUrl carries the token in the query
    // (`https://sandbox-cpp.iyzipay.com?token=...&lang=tr`), never in the path.
    let page = init["paymentPageUrl"].as_str().unwrap();
    let doc_page = documented("iyzico_checkout_form_initialize.json")["paymentPageUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(doc_page.contains("?token="), "{doc_page}");
    let (page_path, page_query) = page.split_once('?').unwrap();
    assert!(!page_path.contains(&token), "{page}");
    assert_eq!(page_query, format!("token={token}&lang=tr"));
    assert_eq!(get(&sim, page), json!({"token": token}));
    // Paying again answers the same; an unknown token, or the token in the path, is no page.
    assert_eq!(get(&sim, page), json!({"token": token}));
    let base = sim.base_url();
    assert_eq!(
        get(&sim, &format!("{base}/pay/iyzicocf?token=nope&lang=tr"))["error"],
        "no such checkout form token"
    );
    assert_eq!(
        get(&sim, &format!("{base}/pay/iyzicocf/{token}"))["error"],
        "no such endpoint in odeme-sim"
    );
    let detail = iyzico(
        &sim,
        "/payment/iyzipos/checkoutform/auth/ecom/detail",
        &json!({"locale": "tr", "conversationId": "c-cf", "token": token}),
    );
    same_shape(
        "cf detail",
        &documented("iyzico_checkout_form_retrieve.json"),
        &detail,
        &["signature", "mdStatus"],
        STORED_CARD_AND_SUB_MERCHANT,
    );
    assert_eq!(detail["paymentStatus"], "SUCCESS");
    let missing = iyzico(
        &sim,
        "/payment/iyzipos/checkoutform/auth/ecom/detail",
        &json!({"locale": "tr", "conversationId": "123456789", "token": "nope"}),
    );
    same_shape(
        "cf 5124",
        &documented("iyzico_error_5124_checkout_form_retrieve.json"),
        &missing,
        &[],
        &[],
    );
    assert_eq!(missing["errorCode"], "5124");
}

#[test]
fn lookups_have_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let r = iyzico(
        &sim,
        "/payment/iyzipos/installment",
        &json!({"locale": "tr", "conversationId": "123456789", "binNumber": "454359", "price": "100"}),
    );
    // `commercial`: today's docs (installmentDetails[].commercial).
    same_shape(
        "installment",
        &documented("iyzico_installment_with_bin.json"),
        &r,
        &["commercial"],
        &[],
    );
    let prices = &r["installmentDetails"][0]["installmentPrices"];
    assert_eq!(prices[1]["totalPrice"].to_string(), "101.36");
    let r = iyzico(
        &sim,
        "/payment/iyzipos/installment",
        &json!({"locale": "tr", "conversationId": "123456789", "binNumber": "540001", "price": "100"}),
    );
    same_shape(
        "foreign",
        &documented("iyzico_installment_foreign_bin.json"),
        &r,
        &[],
        &[],
    );
    let r = iyzico(
        &sim,
        "/payment/bin/check",
        &json!({"locale": "tr", "conversationId": "123456", "binNumber": "552879"}),
    );
    // The mock mixes a failure envelope with the success fields and types systemTime as text;
    // the success fields are compared.
    let mut doc = documented("iyzico_bin_check.sdk-mock.json");
    for k in ["errorCode", "errorMessage", "errorGroup", "systemTime"] {
        doc.as_object_mut().unwrap().remove(k);
    }
    same_shape("bin", &doc, &r, &["systemTime"], &[]);
    assert_eq!(r["status"], "success");
    assert_eq!(r["cardAssociation"], "MASTER_CARD");
}

fn esnekpos(sim: &Sim, path: &str, mut body: Value, config: bool) -> Value {
    let creds = json!({"MERCHANT": credentials::ESNEKPOS_MERCHANT,
                       "MERCHANT_KEY": credentials::ESNEKPOS_MERCHANT_KEY});
    let target = if config {
        &mut body["Config"]
    } else {
        &mut body
    };
    for (k, v) in creds.as_object().unwrap() {
        target[k] = v.clone();
    }
    http(sim, "POST", path, &[], body.to_string().as_bytes())
}

fn eyv3dpay(reference: &str, card: &str) -> Value {
    json!({
        "Config": {"BACK_URL": "https://shop.example/back", "PRICES_CURRENCY": "TRY",
                   "ORDER_REF_NUMBER": reference, "ORDER_AMOUNT": "151.25"},
        "CreditCard": {"CC_NUMBER": card, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Firstname", "LAST_NAME": "Lastname", "MAIL": "a@example.com",
                     "PHONE": "05435434343", "CITY": "İstanbul", "STATE": "Kağıthane",
                     "ADDRESS": "Merkez Mahallesi", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "Kalem", "PRODUCT_CATEGORY": "Genel",
                     "PRODUCT_DESCRIPTION": "-", "PRODUCT_AMOUNT": "151.25"}]
    })
}

#[test]
fn esnekpos_3d_replies_have_the_documented_shape() {
    let sim = Sim::start_http().unwrap();
    let pay = esnekpos(
        &sim,
        "/api/pay/EYV3DPay",
        eyv3dpay("PRB6AB115E04889", cards::SUCCESS),
        true,
    );
    same_shape(
        "EYV3DPay",
        &documented("esnekpos_eyv3dpay.fixture.json"),
        &pay,
        &[],
        &[],
    );
    assert_eq!(pay["CUSTOMER_CC_NUMBER"], "552879******0008");
    let query = |r: &str| {
        esnekpos(
            &sim,
            "/api/services/ProcessQuery",
            json!({"ORDER_REF_NUMBER": r}),
            false,
        )
    };
    get(&sim, pay["URL_3DS"].as_str().unwrap());
    let paid = query("PRB6AB115E04889");
    same_shape(
        "paid",
        &documented("esnekpos_process_query_paid.json"),
        &paid,
        &[],
        &[],
    );
    assert_eq!(paid["TRANSACTIONS"][0]["STATUS_ID"], 3);
    assert_eq!(paid["AMOUNT"], "151,25");

    let declined = esnekpos(
        &sim,
        "/api/pay/EYV3DPay",
        eyv3dpay("PRB473855AF38A4", cards::INSUFFICIENT_FUNDS),
        true,
    );
    get(&sim, declined["URL_3DS"].as_str().unwrap());
    let declined = query("PRB473855AF38A4");
    // The captured decline lists only id, name, status and amount per transaction; the paid
    // capture shows the rest, which the simulator always sends.
    same_shape(
        "declined",
        &documented("esnekpos_process_query_declined.json"),
        &declined,
        &[
            "DATE",
            "PLANNED_TRANSFER_DATE",
            "MERCHANT_AMOUNT_TRANSFER_DETAIL",
            "SUB_MERCHANT_DETAILS",
        ],
        &[],
    );
    let ids: Vec<i64> = declined["TRANSACTIONS"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["STATUS_ID"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 4]);
    assert_eq!(declined["RETURN_MESSAGE"], "51-Limit Yetersiz");
    same_shape(
        "not found",
        &documented("esnekpos_process_query_not_found.json"),
        &query("nope"),
        &[],
        &[],
    );
    // A reused reference is refused.
    let again = esnekpos(
        &sim,
        "/api/pay/EYV3DPay",
        eyv3dpay("PRB6AB115E04889", cards::SUCCESS),
        true,
    );
    assert_eq!(again["RETURN_CODE"], "101");
}

/// One check of the payment body: `/payment/auth`, `/payment/preauth`,
/// `/payment/3dsecure/initialize` and its `/preauth` twin refuse the same malformed body with the
/// same code and text, each field with its own code (not 5019 for every buyer error); the
/// checkout form (both paths) refuses the same body errors alike, and the card errors are the
/// same on every path that takes a card.
#[test]
fn malformed_payment_bodies_are_refused_alike_on_every_path() {
    let sim = Sim::start_http().unwrap();
    let base = payment("same-check", cards::SUCCESS);
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut b = base.clone();
        f(&mut b);
        b
    };
    let body_errors: Vec<(&str, &str, Value)> = vec![
        (
            "no registrationAddress",
            "5022",
            edit(&|b| {
                b["buyer"]
                    .as_object_mut()
                    .unwrap()
                    .remove("registrationAddress");
            }),
        ),
        (
            "an unknown itemType",
            "5013",
            edit(&|b| b["basketItems"][0]["itemType"] = json!("SERVICE")),
        ),
        (
            "a physical item without shippingAddress",
            "5016",
            edit(&|b| {
                b["basketItems"][0]["itemType"] = json!("PHYSICAL");
                b.as_object_mut().unwrap().remove("shippingAddress");
            }),
        ),
        (
            "a basket that does not add up",
            "5062",
            edit(&|b| b["price"] = json!("9.99")),
        ),
        (
            "no buyer.name",
            "5020",
            edit(&|b| {
                b["buyer"].as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "no buyer.ip",
            "5025",
            edit(&|b| {
                b["buyer"].as_object_mut().unwrap().remove("ip");
            }),
        ),
        (
            "no billingAddress",
            "5015",
            edit(&|b| {
                b.as_object_mut().unwrap().remove("billingAddress");
            }),
        ),
        (
            "a basket item without category1",
            "5012",
            edit(&|b| {
                b["basketItems"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("category1");
            }),
        ),
    ];
    let card_errors: Vec<(&str, &str, Value)> = vec![
        (
            "a card number that fails Luhn",
            "12",
            edit(&|b| b["paymentCard"]["cardNumber"] = json!("5528790000000009")),
        ),
        (
            "an expiry month 13",
            "15",
            edit(&|b| b["paymentCard"]["expireMonth"] = json!("13")),
        ),
        (
            "a two-digit CVC",
            "14",
            edit(&|b| b["paymentCard"]["cvc"] = json!("12")),
        ),
    ];
    let card_paths = [
        "/payment/auth",
        "/payment/preauth",
        "/payment/3dsecure/initialize",
        "/payment/3dsecure/initialize/preauth",
    ];
    let form_paths = [
        "/payment/iyzipos/checkoutform/initialize/auth/ecom",
        "/payment/iyzipos/checkoutform/initialize/ecom",
    ];
    let refusal = |path: &str, body: &Value, what: &str| {
        let r = iyzico(&sim, path, body);
        assert_eq!(r["status"], "failure", "{what} on {path}: {r}");
        (
            r["errorCode"].as_str().unwrap_or_default().to_owned(),
            r["errorMessage"].as_str().unwrap_or_default().to_owned(),
        )
    };
    for (what, code, body) in &body_errors {
        let mut answers: Vec<(String, String)> = card_paths
            .iter()
            .map(|path| refusal(path, body, what))
            .collect();
        let mut form = body.clone();
        form.as_object_mut().unwrap().remove("paymentCard");
        answers.extend(form_paths.iter().map(|path| refusal(path, &form, what)));
        assert_eq!(answers[0].0, *code, "{what}: {answers:?}");
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{what}: {answers:?}"
        );
    }
    for (what, code, body) in &card_errors {
        let answers: Vec<(String, String)> = card_paths
            .iter()
            .map(|path| refusal(path, body, what))
            .collect();
        assert_eq!(answers[0].0, *code, "{what}: {answers:?}");
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{what}: {answers:?}"
        );
    }
    // Nothing refused was booked: no payment of that conversation has a webhook delivery.
    assert_eq!(sim.webhook("iyzico", "same-check"), None);
}
