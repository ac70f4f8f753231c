//! End-to-end (issue 11): iyzico 3-D Secure, the checkout form, BIN and installment lookups, and
//! EsnekPOS' 3-D card payment, against the simulator over plain HTTP and over TLS.

use odeme::outcome::{CallbackState, InstallmentOption};
use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

mod common;
use common::{client, unique, visit};

const MD_STATUS_0: &str = "4131111111111117";
const MD_STATUS_4: &str = "4141111111111115";

fn buyer_and_basket(conversation_id: &str, first_item: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "basketId": "B67832", "paymentGroup": "PRODUCT",
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [
            {"id": "BI101", "name": first_item, "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": "0.7"}
        ],
        "callbackUrl": "https://shop.example/iyzico/3ds-callback"
    })
}

fn init_3ds_request(conversation_id: &str, card: &str, first_item: &str) -> Value {
    let mut v = buyer_and_basket(conversation_id, first_item);
    v["installment"] = json!(1);
    v["paymentChannel"] = json!("WEB");
    v["paymentCard"] = json!({"cardHolderName": "John Doe", "cardNumber": card,
                              "expireMonth": "12", "expireYear": "2030", "cvc": "123"});
    v
}

/// `action="..."` of the bank page's form.
fn form_action(html: &str) -> String {
    let start = html.find("action=\"").expect("a form action") + "action=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// init → the bank's page → the callback, verified. Returns (payment_id, callback response).
fn authenticate(sim: &Sim, c: &Client, conv: &str, card: &str, item: &str) -> (String, Value) {
    let r = c
        .call("iyzico.init_3ds", init_3ds_request(conv, card, item))
        .unwrap();
    let Outcome::Html {
        html, payment_id, ..
    } = &r.outcome
    else {
        panic!("{:?}", r.outcome)
    };
    let payment_id = payment_id.clone().expect("init_3ds answers the payment id");
    assert_eq!(r.provider_reference.as_deref(), Some(payment_id.as_str()));
    let action = form_action(html);
    assert!(
        action.ends_with(&format!("/pay/iyzico3ds/{payment_id}")),
        "{action}"
    );
    let posted = visit(sim, &action);
    assert_eq!(posted["paymentId"], payment_id.as_str());
    (payment_id, posted)
}

fn complete_request(payment_id: &str, conv: &str) -> Value {
    json!({"paymentId": payment_id, "paidPrice": "1.2", "basketId": "B67832", "currency": "TRY",
           "conversationId": conv})
}

fn details_state(c: &Client, req: Value) -> State {
    let r = c.call("iyzico.payment_details", req).unwrap();
    let Outcome::Status(s) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    s.state
}

fn three_ds(sim: &Sim) {
    let c = client(sim);

    // Success: authenticated, completed once, paid.
    let conv = unique("3ds");
    let (payment_id, posted) = authenticate(sim, &c, &conv, cards::SUCCESS, "Binocular");
    let cb = c.call("iyzico.verify_3ds_callback", posted).unwrap();
    let Outcome::Callback(cb) = &cb.outcome else {
        panic!("{:?}", cb.outcome)
    };
    assert_eq!(cb.state, CallbackState::Authenticated);
    assert_eq!(cb.md_status.as_deref(), Some("1"));
    assert_eq!(cb.payment_id.as_deref(), Some(payment_id.as_str()));
    assert_eq!(cb.conversation_id.as_deref(), Some(conv.as_str()));
    assert_eq!(
        details_state(&c, json!({"paymentConversationId": conv})),
        State::NotFound,
        "nothing is paid before complete_3ds"
    );
    let done = c
        .call("iyzico.complete_3ds", complete_request(&payment_id, &conv))
        .unwrap();
    let Outcome::Completed(p) = &done.outcome else {
        panic!("{:?}", done.outcome)
    };
    assert_eq!(p.payment_id, payment_id);
    assert_eq!(p.paid_price, "1.2");
    assert_eq!(
        details_state(&c, json!({"paymentConversationId": conv})),
        State::Paid
    );

    // A second completion is iyzico's error, and nothing moves twice.
    let e = c
        .call("iyzico.complete_3ds", complete_request(&payment_id, &conv))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert!(e.provider_code().is_some());
    assert_eq!(sim.count("iyzico.complete_3ds", &conv), 2);

    // mdStatus 0 and 4: failed, with the value kept; the merchant does not complete, and iyzico
    // would refuse if it did.
    for (card, md) in [(MD_STATUS_0, "0"), (MD_STATUS_4, "4")] {
        let conv = unique("md");
        let (payment_id, posted) = authenticate(sim, &c, &conv, card, "Binocular");
        let cb = c.call("iyzico.verify_3ds_callback", posted).unwrap();
        let Outcome::Callback(cb) = &cb.outcome else {
            panic!()
        };
        assert_eq!(cb.state, CallbackState::Failed, "{card}");
        assert_eq!(cb.md_status.as_deref(), Some(md));
        assert_eq!(sim.count("iyzico.complete_3ds", &conv), 0);
        assert_ne!(
            details_state(&c, json!({"paymentId": payment_id})),
            State::Paid
        );
        let e = c
            .call("iyzico.complete_3ds", complete_request(&payment_id, &conv))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
        assert_ne!(
            details_state(&c, json!({"paymentConversationId": conv})),
            State::Paid
        );
    }

    // A tampered callback: any signed field changed is a signature error.
    let conv = unique("tamper");
    let (_, posted) = authenticate(sim, &c, &conv, MD_STATUS_0, "Binocular");
    for (field, value) in [
        ("mdStatus", "1"),
        ("status", "success"),
        ("paymentId", "1"),
        ("conversationId", "x"),
    ] {
        let mut forged = posted.clone();
        forged[field] = json!(value);
        let e = c.call("iyzico.verify_3ds_callback", forged).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature, "{field}");
    }
    let mut unsigned = posted.clone();
    unsigned.as_object_mut().unwrap().remove("signature");
    assert_eq!(
        c.call("iyzico.verify_3ds_callback", unsigned)
            .unwrap_err()
            .kind(),
        ErrorKind::Signature
    );

    // The completion's reply is lost: outcome_unknown, reconciled through payment_details.
    let conv = unique("lost");
    let (payment_id, posted) = authenticate(sim, &c, &conv, cards::SUCCESS, "sim:complete-drop");
    c.call("iyzico.verify_3ds_callback", posted).unwrap();
    let e = c
        .call("iyzico.complete_3ds", complete_request(&payment_id, &conv))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_with(), Some("iyzico.payment_details"));
    let again = e.reconcile_request().cloned().expect("a reconcile request");
    assert_eq!(again, json!({"paymentId": payment_id}));
    assert_eq!(
        sim.count("iyzico.complete_3ds", &conv),
        1,
        "sent once, never retried"
    );
    assert_eq!(details_state(&c, again), State::Paid);

    // Invalid before any I/O.
    let before = sim.requests().len();
    let mut no_callback = init_3ds_request(&unique("bad"), cards::SUCCESS, "x");
    no_callback.as_object_mut().unwrap().remove("callbackUrl");
    let e = c.call("iyzico.init_3ds", no_callback).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, Some("callbackUrl"))
    );
    let mut bad_card = init_3ds_request(&unique("bad"), "5528790000000009", "x");
    bad_card["callbackUrl"] = json!("https://shop.example/cb");
    let e = c.call("iyzico.init_3ds", bad_card).unwrap_err();
    assert_eq!(e.field(), Some("paymentCard.cardNumber"));
    assert!(!e.to_string().contains("5528790000000009"));
    assert_eq!(sim.requests().len(), before);
}

fn checkout_form(sim: &Sim) {
    let c = client(sim);
    let conv = unique("cf");
    let r = c
        .call(
            "iyzico.init_checkout_form",
            buyer_and_basket(&conv, "Binocular"),
        )
        .unwrap();
    let Outcome::CheckoutForm { token, url, html } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(html.as_deref().is_some_and(|h| h.contains(token.as_str())));
    let retrieve = |c: &Client| {
        let r = c
            .call("iyzico.retrieve_checkout_form", json!({"token": token}))
            .unwrap();
        let Outcome::Status(s) = r.outcome else {
            panic!()
        };
        s
    };
    assert_eq!(
        retrieve(&c).state,
        State::Pending,
        "not paid before the payer pays"
    );
    let posted = visit(sim, url.as_deref().unwrap());
    assert_eq!(posted["token"], token.as_str());
    let s = retrieve(&c);
    assert_eq!(s.state, State::Paid);
    assert_eq!(s.order_id.as_deref(), Some(conv.as_str()));
    assert_eq!(s.amount.as_deref(), Some("1.2"));
    assert_eq!(
        details_state(&c, json!({"paymentConversationId": conv})),
        State::Paid
    );
    let gone = c
        .call(
            "iyzico.retrieve_checkout_form",
            json!({"token": "no-such-token"}),
        )
        .unwrap();
    assert!(matches!(&gone.outcome, Outcome::Status(s) if s.state == State::NotFound));
}

fn lookups(sim: &Sim) {
    let c = client(sim);
    let r = c
        .call("iyzico.bin_check", json!({"binNumber": "552879"}))
        .unwrap();
    let Outcome::CardInfo(info) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(info.bin, "552879");
    assert_eq!(info.association.as_deref(), Some("MASTER_CARD"));
    assert_eq!(info.card_type.as_deref(), Some("CREDIT_CARD"));
    assert_eq!(info.bank_name.as_deref(), Some("Halkbank"));
    assert!(!info.commercial);
    let e = c
        .call("iyzico.bin_check", json!({"binNumber": "999999"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);

    let options = |req: Value| -> Vec<InstallmentOption> {
        let r = c.call("iyzico.installments", req).unwrap();
        let Outcome::Installments { options } = r.outcome else {
            panic!()
        };
        options
    };
    let one = options(json!({"binNumber": "552879", "price": "100"}));
    assert_eq!(one.len(), 1);
    let counts: Vec<u32> = one[0].installments.iter().map(|i| i.count).collect();
    assert_eq!(counts, [1, 2, 3, 6, 9, 12]);
    assert_eq!(one[0].installments[1].total_price, "101.36");
    assert_eq!(one[0].installments[1].installment_price, "50.68");
    assert_eq!(one[0].family.as_deref(), Some("Paraf"));
    let all = options(json!({"price": "250.50"}));
    assert!(all.len() > 1, "{all:?}");
    assert!(all.iter().all(|o| o.installments[0].total_price == "250.5"));
    let foreign = options(json!({"binNumber": "540001", "price": 10}));
    assert_eq!(foreign[0].installments.len(), 1);
    let e = c
        .call("iyzico.installments", json!({"price": "1.005"}))
        .unwrap_err();
    assert_eq!(e.field(), Some("price"));
}

fn esnekpos_3d_request(reference: Option<&str>, card: &str, product: &str) -> Value {
    let mut v = json!({
        "Config": {"BACK_URL": "https://shop.example/esnekpos/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150"},
        "CreditCard": {"CC_NUMBER": card, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
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

fn process_state(c: &Client, reference: &str) -> (State, Option<String>) {
    let r = c
        .call(
            "esnekpos.process_query",
            json!({"ORDER_REF_NUMBER": reference}),
        )
        .unwrap();
    let Outcome::Status(s) = r.outcome else {
        panic!()
    };
    (s.state, s.message)
}

fn esnekpos_3d(sim: &Sim) {
    let c = client(sim);
    // Paid, with a generated ORDER_REF_NUMBER kept in the outcome.
    let r = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(None, cards::SUCCESS, "Kalem"),
        )
        .unwrap();
    let Outcome::Redirect { url, order_id, .. } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    let reference = order_id.clone().expect("the generated ORDER_REF_NUMBER");
    assert!(reference.len() <= 24);
    assert_eq!(sim.count("esnekpos.pay_3d", &reference), 1);
    assert_eq!(process_state(&c, &reference).0, State::Pending);
    let back = visit(sim, url);
    assert_eq!(back["STATUS"], "SUCCESS");
    assert_eq!(process_state(&c, &reference).0, State::Paid);

    // Declined by the bank after 3-D Secure: ProcessQuery says failed, with the bank's words.
    let reference = unique("E3D");
    let r = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(Some(&reference), cards::INSUFFICIENT_FUNDS, "Kalem"),
        )
        .unwrap();
    let Outcome::Redirect { url, order_id, .. } = &r.outcome else {
        panic!()
    };
    assert_eq!(order_id.as_deref(), Some(reference.as_str()));
    visit(sim, url);
    let (state, message) = process_state(&c, &reference);
    assert_eq!(state, State::Failed);
    assert!(message.unwrap_or_default().contains("Limit"));

    // Unknown reference.
    assert_eq!(process_state(&c, &unique("none")).0, State::NotFound);

    // The reply is lost: the generated reference is in reconcile_request.
    let e = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(None, cards::SUCCESS, "sim:drop"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_with(), Some("esnekpos.process_query"));
    let req = e.reconcile_request().cloned().unwrap();
    let reference = req["ORDER_REF_NUMBER"].as_str().unwrap().to_owned();
    assert_eq!(sim.count("esnekpos.pay_3d", &reference), 1);
    let r = c.call("esnekpos.process_query", req).unwrap();
    assert!(matches!(&r.outcome, Outcome::Status(s) if s.state == State::Pending));

    // Invalid before any I/O; no card digits in the message.
    let before = sim.requests().len();
    let e = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(Some("x"), "5528790000000009", "Kalem"),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("CreditCard.CC_NUMBER"));
    assert!(!e.to_string().contains("5528790000000009"));
    let e = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(Some("0123456789012345678901234"), cards::SUCCESS, "Kalem"),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("Config.ORDER_REF_NUMBER"));
    assert_eq!(sim.requests().len(), before);
}

#[test]
fn three_ds_over_http() {
    let sim = Sim::start_http().unwrap();
    three_ds(&sim);
}

#[test]
fn three_ds_over_tls() {
    let sim = Sim::start_https().unwrap();
    three_ds(&sim);
}

#[test]
fn checkout_form_over_http_and_tls() {
    checkout_form(&Sim::start_http().unwrap());
    checkout_form(&Sim::start_https().unwrap());
}

#[test]
fn lookups_over_http_and_tls() {
    lookups(&Sim::start_http().unwrap());
    lookups(&Sim::start_https().unwrap());
}

/// A paid 3-D order is returned through `esnekpos.return_order` by its ORDER_REF_NUMBER: a partial
/// return, then the rest; `ProcessQuery` (the declared reconciliation) shows each step.
#[test]
fn esnekpos_3d_orders_are_returned_and_queried() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let reference = unique("R3D");
    let r = c
        .call(
            "esnekpos.pay_3d",
            esnekpos_3d_request(Some(&reference), cards::SUCCESS, "Kalem"),
        )
        .unwrap();
    let Outcome::Redirect { url, .. } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    visit(&sim, url);
    assert_eq!(process_state(&c, &reference).0, State::Paid);
    c.call(
        "esnekpos.return_order",
        json!({"ORDER_REF_NUMBER": reference, "AMOUNT": "50.00"}),
    )
    .unwrap();
    assert_eq!(process_state(&c, &reference).0, State::PartiallyRefunded);
    c.call(
        "esnekpos.return_order",
        json!({"ORDER_REF_NUMBER": reference, "AMOUNT": "100.00"}),
    )
    .unwrap();
    assert_eq!(process_state(&c, &reference).0, State::Refunded);
    let e = c
        .call(
            "esnekpos.return_order",
            json!({"ORDER_REF_NUMBER": reference, "AMOUNT": "1.00"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(sim.count("esnekpos.return_order", &reference), 3);
}

#[test]
fn esnekpos_3d_over_http_and_tls() {
    esnekpos_3d(&Sim::start_http().unwrap());
    esnekpos_3d(&Sim::start_https().unwrap());
}

/// The sentinel card and CVC of the canary (`scripts/canary`, shared with the soak suite).
const CANARY_PAN: &str = "4766620000000001";
const CANARY_CVC: &str = "947";

/// Every new flow with a sentinel card number and CVC: no response, error, `Debug` output or
/// simulator log line may contain them or a secret. With ODEME_CANARY=1 everything is printed
/// (and the simulator logs to stderr) for `scripts/canary` to search.
#[test]
fn canary_3ds_flows_leak_no_card_data_or_secret() {
    let canary = std::env::var_os("ODEME_CANARY").is_some();
    common::canary_log();
    let sim = Sim::start(odeme_sim::Options {
        log_requests: canary,
        ..odeme_sim::Options::default()
    })
    .unwrap();
    let c = client(&sim);
    let mut texts: Vec<String> = Vec::new();
    let mut record = |name: &str, r: &Result<odeme::Response, odeme::Error>| {
        let text = match r {
            Ok(r) => serde_json::to_string(r).unwrap(),
            Err(e) => format!("{e} | {e:?} | {}", e.to_json()),
        };
        if canary {
            println!("{name} -> {text}");
        }
        texts.push(text);
    };
    let with_cvc = |mut v: Value, pointer: &str| {
        *v.pointer_mut(pointer).unwrap() = json!(CANARY_CVC);
        v
    };
    for (item, conv) in [
        ("Binocular", "canary-3ds-1"),
        ("sim:complete-drop", "canary-3ds-2"),
    ] {
        let req = with_cvc(init_3ds_request(conv, CANARY_PAN, item), "/paymentCard/cvc");
        let r = c.call("iyzico.init_3ds", req);
        record("init_3ds", &r);
        let Ok(Outcome::Html {
            html, payment_id, ..
        }) = r.map(|r| r.outcome)
        else {
            panic!("init_3ds failed")
        };
        let posted = visit(&sim, &form_action(&html));
        let mut forged = posted.clone();
        forged["mdStatus"] = json!("9");
        record(
            "verify_3ds_callback (forged)",
            &c.call("iyzico.verify_3ds_callback", forged),
        );
        record(
            "verify_3ds_callback",
            &c.call("iyzico.verify_3ds_callback", posted),
        );
        let done = complete_request(payment_id.as_deref().unwrap(), conv);
        record("complete_3ds", &c.call("iyzico.complete_3ds", done.clone()));
        record("complete_3ds (again)", &c.call("iyzico.complete_3ds", done));
    }
    let bad = with_cvc(
        init_3ds_request("canary-bad", "4766620000000002", "x"),
        "/paymentCard/cvc",
    );
    record("init_3ds (Luhn)", &c.call("iyzico.init_3ds", bad));
    let r = c.call(
        "iyzico.init_checkout_form",
        buyer_and_basket("canary-cf", "Binocular"),
    );
    record("init_checkout_form", &r);
    let Ok(Outcome::CheckoutForm { token, url, .. }) = r.map(|r| r.outcome) else {
        panic!("init_checkout_form must succeed for the canary to reach the retrieve");
    };
    visit(&sim, url.as_deref().unwrap());
    record(
        "retrieve_checkout_form",
        &c.call("iyzico.retrieve_checkout_form", json!({"token": token})),
    );
    record(
        "bin_check",
        &c.call("iyzico.bin_check", json!({"binNumber": &CANARY_PAN[..6]})),
    );
    record(
        "bin_check (whole card)",
        &c.call("iyzico.bin_check", json!({"binNumber": CANARY_PAN})),
    );
    record(
        "installments",
        &c.call(
            "iyzico.installments",
            json!({"binNumber": "552879", "price": "10"}),
        ),
    );
    for (product, card) in [
        ("Kalem", CANARY_PAN),
        ("sim:drop", CANARY_PAN),
        ("Kalem", "4766620000000002"),
    ] {
        let req = with_cvc(
            esnekpos_3d_request(None, card, product),
            "/CreditCard/CC_CVV",
        );
        let r = c.call("esnekpos.pay_3d", req);
        record("pay_3d", &r);
        // A valid card succeeds (its ProcessQuery is recorded too); the dropped reply and the
        // Luhn-invalid card are errors, recorded above.
        let expect_ok = product != "sim:drop" && card == CANARY_PAN;
        assert_eq!(
            r.is_ok(),
            expect_ok,
            "pay_3d {product}: {:?}",
            r.as_ref().err()
        );
        if let Ok(Outcome::Redirect { url, order_id, .. }) = r.map(|r| r.outcome) {
            visit(&sim, &url);
            record(
                "process_query",
                &c.call(
                    "esnekpos.process_query",
                    json!({"ORDER_REF_NUMBER": order_id}),
                ),
            );
        }
    }
    texts.push(sim.requests_json().to_string());
    let secrets = [
        odeme_sim::credentials::IYZICO_SECRET_KEY,
        odeme_sim::credentials::ESNEKPOS_MERCHANT_KEY,
    ];
    let cvc_token = |t: &str| {
        t.match_indices(CANARY_CVC).any(|(i, _)| {
            let ok = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != '.');
            ok(t[..i].chars().next_back()) && ok(t[i + 3..].chars().next())
        })
    };
    assert!(texts.len() >= 20, "{}", texts.len());
    for t in &texts {
        assert!(
            !t.contains(CANARY_PAN) && !t.contains("4766620000000002"),
            "{t}"
        );
        assert!(!cvc_token(t), "CVC in {t}");
        for s in secrets {
            assert!(!t.contains(s), "secret in {t}");
        }
    }
}
