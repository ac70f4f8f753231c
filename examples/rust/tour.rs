//! The tour: all four providers end to end against the embedded simulator (over TLS with its
//! generated CA), with a declined payment, an outcome-unknown reconciliation, a refund and a
//! cancel, an authorization captured later, and a stored card.
//!
//! cargo run -p odeme --example tour

use std::process::ExitCode;

use odeme::{Client, Error, ErrorKind, Outcome, Response};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

fn show(step: &str, result: &Result<Response, Error>) {
    match result {
        Ok(r) => {
            let outcome = serde_json::to_value(&r.outcome).unwrap_or_default();
            let kind = outcome["type"].as_str().unwrap_or("?").to_owned();
            let detail = match &r.outcome {
                Outcome::Status(s) | Outcome::Notification(s) => {
                    format!("state={:?}", s.state).to_lowercase()
                }
                Outcome::Completed(p) | Outcome::Review(p) | Outcome::Authorized(p) => format!(
                    "payment_id={} paid_price={} {}",
                    p.payment_id,
                    p.paid_price,
                    p.currency.as_deref().unwrap_or("")
                ),
                Outcome::Redirect { url, .. } => format!("url={url}"),
                Outcome::Html { html, .. } => format!("html={} bytes", html.len()),
                Outcome::Terminal { invoice_code, .. } => format!("invoice_code={invoice_code}"),
                Outcome::PaymentLink { url, request_id } => {
                    format!("request_id={request_id} url={url}")
                }
                Outcome::Refund(x) => format!(
                    "state={} amount={} payment_id={}",
                    serde_json::to_value(x.state)
                        .unwrap_or_default()
                        .as_str()
                        .unwrap_or("?"),
                    x.amount,
                    x.payment_id
                ),
                Outcome::Callback(cb) => format!(
                    "state={:?} mdStatus={}",
                    cb.state,
                    cb.md_status.as_deref().unwrap_or("-")
                )
                .to_lowercase(),
                Outcome::CheckoutForm { token, .. } => format!("token={token}"),
                Outcome::CardInfo(c) => format!(
                    "{} {} {}",
                    c.bank_name.as_deref().unwrap_or("?"),
                    c.association.as_deref().unwrap_or("?"),
                    c.family.as_deref().unwrap_or("?")
                ),
                Outcome::Installments { options } => format!(
                    "{} option(s), up to {} installments",
                    options.len(),
                    options
                        .iter()
                        .flat_map(|o| o.installments.iter().map(|i| i.count))
                        .max()
                        .unwrap_or(0)
                ),
                Outcome::Card(c) => format!(
                    "card ending {} (token kept, {} chars)",
                    c.last_four.as_deref().unwrap_or("?"),
                    c.card_token.as_ref().map_or(0, |t| t.expose().len())
                ),
                Outcome::Cards { cards, .. } => format!("{} stored card(s)", cards.len()),
                Outcome::CardDeleted { .. } => "deleted".to_owned(),
                Outcome::Webhook(n) => {
                    format!("state={:?} duplicate={}", n.state, n.duplicate).to_lowercase()
                }
                // `Outcome` is non-exhaustive: a newer odeme may answer a type this tour predates.
                _ => String::new(),
            };
            println!("  {step:<46} ok     {kind:<12} {detail}");
        }
        Err(e) => println!(
            "  {step:<46} error  {:<12} {}",
            e.kind().as_str(),
            e.message()
        ),
    }
}

/// What the payer's browser does with a redirect/link URL.
fn visit(sim: &Sim, url: &str) -> Value {
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(pem) = sim.ca_pem() {
        if let Ok(cert) = ureq::tls::Certificate::from_pem(pem.as_bytes()) {
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]));
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .build()
        .into();
    agent
        .get(url)
        .call()
        .ok()
        .and_then(|mut r| r.body_mut().read_to_string().ok())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

fn iyzico_request(conversation_id: &str, card: &str, product: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.2",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "identityNumber": "74300864791", "email": "email@email.com",
                  "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "ip": "85.34.78.112",
                  "city": "Istanbul", "country": "Turkey"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"},
        "basketItems": [
            {"id": "BI101", "name": product, "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": "0.7"}
        ]
    })
}

fn main() -> ExitCode {
    let sim = match Sim::start_https() {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("cannot start the simulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "odeme {} tour against odeme-sim at {}",
        odeme::VERSION,
        sim.base_url()
    );
    let mut config = sim.client_config();
    config["timeout_ms"] = json!(1500);
    let client = match Client::from_json(&config.to_string()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bad config: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut unexpected = 0;
    let mut expect = |ok: bool| {
        if !ok {
            unexpected += 1;
        }
    };

    println!("\niyzico");
    let r = client.call(
        "iyzico.create_payment",
        iyzico_request("tour-1", cards::SUCCESS, "Binocular"),
    );
    show("create_payment", &r);
    expect(matches!(
        r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::Completed(_))
    ));
    let payment_id = r
        .ok()
        .and_then(|r| r.provider_reference)
        .unwrap_or_default();
    let r = client.call("iyzico.retrieve_payment", json!({"paymentId": payment_id}));
    show("retrieve_payment", &r);
    expect(r.is_ok());
    // A partial refund: passing the payment's details lets odeme refuse an over-refund before
    // sending, and tell a partial refund from a full one.
    let details = client.call("iyzico.payment_details", json!({"paymentId": payment_id}));
    let details = details.map(|d| d.to_json()).unwrap_or_default();
    let r = client.call(
        "iyzico.refund_payment",
        json!({"paymentId": payment_id, "price": "0.50", "currency": "TRY", "details": details}),
    );
    show("refund_payment (0.50 of 1.20)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Refund(x)) if x.state == odeme::State::PartiallyRefunded),
    );
    let r = client.call(
        "iyzico.create_payment",
        iyzico_request("tour-4", cards::SUCCESS, "Binocular"),
    );
    let cancel_id = r
        .ok()
        .and_then(|r| r.provider_reference)
        .unwrap_or_default();
    let r = client.call(
        "iyzico.cancel_payment",
        json!({"paymentId": cancel_id, "reason": "buyer_request", "description": "changed their mind"}),
    );
    show("cancel_payment (same day, whole payment)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Refund(x)) if x.state == odeme::State::Cancelled),
    );
    let r = client.call(
        "iyzico.create_payment",
        iyzico_request("tour-2", cards::INSUFFICIENT_FUNDS, "Binocular"),
    );
    show("create_payment (insufficient funds card)", &r);
    expect(matches!(&r, Err(e) if e.kind() == ErrorKind::Declined));
    let r = client.call(
        "iyzico.create_payment",
        iyzico_request("tour-3", cards::SUCCESS, "sim:delay"),
    );
    show("create_payment (reply never comes)", &r);
    expect(matches!(&r, Err(e) if e.kind() == ErrorKind::OutcomeUnknown));
    let r = client.call(
        "iyzico.retrieve_payment",
        json!({"paymentConversationId": "tour-3"}),
    );
    show("  reconcile: retrieve_payment(tour-3)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Status(s)) if s.state == odeme::State::Paid),
    );

    println!("\niyzico 3-D Secure");
    let mut request = iyzico_request("tour-3ds", cards::SUCCESS, "Binocular");
    request["callbackUrl"] = json!("https://shop.example/iyzico/3ds-callback");
    let r = client.call("iyzico.init_3ds", request);
    show("init_3ds (show html to the payer)", &r);
    let (html, payment_id) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Html {
            html, payment_id, ..
        }) => (html.clone(), payment_id.clone().unwrap_or_default()),
        _ => (String::new(), String::new()),
    };
    expect(!payment_id.is_empty());
    // The bank's page posts back to callbackUrl; the simulator's page answers those fields.
    let action = html
        .split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let posted = visit(&sim, &action);
    let r = client.call("iyzico.verify_3ds_callback", posted);
    show("verify_3ds_callback (in your callback handler)", &r);
    let authenticated = matches!(r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::Callback(cb)) if cb.state == odeme::outcome::CallbackState::Authenticated);
    expect(authenticated);
    if authenticated {
        let r = client.call(
            "iyzico.complete_3ds",
            json!({"paymentId": payment_id, "paidPrice": "1.2", "basketId": "B67832",
                   "currency": "TRY", "conversationId": "tour-3ds"}),
        );
        show("complete_3ds (the money moves here)", &r);
        expect(matches!(
            r.as_ref().map(|r| &r.outcome),
            Ok(Outcome::Completed(_))
        ));
    }
    let mut request = iyzico_request("tour-3ds-md0", "4131111111111117", "Binocular");
    request["callbackUrl"] = json!("https://shop.example/iyzico/3ds-callback");
    let r = client.call("iyzico.init_3ds", request);
    let action = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Html { html, .. }) => html
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    let r = client.call("iyzico.verify_3ds_callback", visit(&sim, &action));
    show("verify_3ds_callback (mdStatus 0 card: not completed)", &r);
    expect(matches!(r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::Callback(cb)) if cb.state == odeme::outcome::CallbackState::Failed));

    println!("\niyzico checkout form and lookups");
    let mut request = iyzico_request("tour-cf", cards::SUCCESS, "Binocular");
    if let Some(o) = request.as_object_mut() {
        for card_field in ["paymentCard", "installment", "paymentChannel"] {
            o.remove(card_field);
        }
    }
    request["callbackUrl"] = json!("https://shop.example/iyzico/cf-callback");
    let r = client.call("iyzico.init_checkout_form", request);
    show("init_checkout_form", &r);
    let (token, url) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::CheckoutForm { token, url, .. }) => {
            (token.clone(), url.clone().unwrap_or_default())
        }
        _ => (String::new(), String::new()),
    };
    visit(&sim, &url);
    let r = client.call("iyzico.retrieve_checkout_form", json!({"token": token}));
    show("retrieve_checkout_form (after the payer paid)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Status(s)) if s.state == odeme::State::Paid),
    );
    let r = client.call("iyzico.bin_check", json!({"binNumber": "552879"}));
    show("bin_check", &r);
    expect(matches!(
        r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::CardInfo(_))
    ));
    let r = client.call(
        "iyzico.installments",
        json!({"binNumber": "552879", "price": "100"}),
    );
    show("installments", &r);
    expect(matches!(
        r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::Installments { .. })
    ));

    println!("\niyzico: authorize now, capture later; stored cards");
    let r = client.call(
        "iyzico.preauth_payment",
        iyzico_request("tour-hotel", cards::SUCCESS, "Room, 2 nights"),
    );
    show("preauth_payment (hold 1.2 TRY at check-in)", &r);
    let held = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Authorized(p)) => p.payment_id.clone(),
        _ => String::new(),
    };
    expect(!held.is_empty());
    let r = client.call(
        "iyzico.capture_payment",
        json!({"paymentId": held, "paidPrice": "1.00", "ip": "85.34.78.112", "currency": "TRY"}),
    );
    show("capture_payment (1.00 TRY at check-out)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Completed(p)) if matches!(p.paid_price.as_str(), "1" | "1.0")),
    );
    let r = client.call("iyzico.payment_details", json!({"paymentId": held}));
    show("payment_details (captured)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Status(s)) if s.state == odeme::State::Paid),
    );
    let r = client.call(
        "iyzico.store_card",
        json!({"email": "email@email.com", "externalId": "customer-42",
               "card": {"cardAlias": "iş kartı", "cardNumber": cards::SUCCESS, "expireYear": "2030",
                        "expireMonth": "12", "cardHolderName": "John Doe"}}),
    );
    show("store_card", &r);
    let keys = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Card(c)) => json!({
            "cardUserKey": c.card_user_key.as_ref().map(|k| k.expose()),
            "cardToken": c.card_token.as_ref().map(|k| k.expose()),
        }),
        _ => json!({}),
    };
    let mut by_token = iyzico_request("tour-token", cards::SUCCESS, "Binocular");
    by_token["paymentCard"] = keys.clone();
    let r = client.call("iyzico.create_payment", by_token);
    show("create_payment with the stored card", &r);
    expect(matches!(
        r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::Completed(_))
    ));
    let r = client.call("iyzico.delete_card", keys);
    show("delete_card", &r);
    expect(matches!(
        r.as_ref().map(|r| &r.outcome),
        Ok(Outcome::CardDeleted { .. })
    ));

    println!("\nPaymes");
    let order = json!({"orderId": "tour-pm-1", "price": "1050", "currency": "TRY", "productName": "Ürün İsmi",
                       "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
                       "buyerAddress": "Örnek adres bilgisi"});
    let r = client.call("paymes.create_order", order);
    show("create_order", &r);
    let (url, paymes_id) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Redirect {
            url,
            provider_order_id,
            ..
        }) => (url.clone(), provider_order_id.clone().unwrap_or_default()),
        _ => (String::new(), String::new()),
    };
    expect(!url.is_empty());
    let notification = visit(&sim, &url);
    let r = client.call("paymes.verify_notification", notification);
    show("verify_notification (after the payer paid)", &r);
    expect(r.is_ok());
    let r = client.call("paymes.query_order", json!({"paymesOrderId": paymes_id}));
    show("query_order", &r);
    expect(r.is_ok());

    println!("\nPaymago");
    let order = json!({"amount": "150.00", "currencyCode": "949", "cardHolderName": "John Doe",
                       "cardNumber": cards::SUCCESS, "expireYear": "2030", "expireMonth": "12", "cvc": "123",
                       "saleProduct": "Smartphone", "saleProductPrice": "150.00", "isSecureTransaction": true,
                       "callbackUrl": "https://merchant.example/callback"});
    let r = client.call("paymago.create_order", order);
    show("create_order", &r);
    let (url, order_id) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Redirect { url, order_id, .. }) => {
            (url.clone(), order_id.clone().unwrap_or_default())
        }
        _ => (String::new(), String::new()),
    };
    expect(!url.is_empty());
    let callback = visit(&sim, &url);
    let r = client.call(
        "paymago.order_result",
        json!({"orderId": order_id, "paymentId": callback["paymentId"]}),
    );
    show("order_result (after 3-D Secure)", &r);
    expect(r.is_ok());

    println!("\nEsnekPOS (Hoppa)");
    let request = json!({"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322", "MAIL": "test@mail.com",
                         "TYPE": 3, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": "Test Ürün"});
    let r = client.call("esnekpos.send_payment_request", request);
    show("send_payment_request", &r);
    let (url, id) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::PaymentLink { url, request_id }) => (url.clone(), request_id.clone()),
        _ => (String::new(), String::new()),
    };
    expect(!url.is_empty());
    visit(&sim, &url);
    let r = client.call(
        "esnekpos.query_payment_request",
        json!({"SEND_PAYMENT_REQUEST_ID": id}),
    );
    show("query_payment_request (after the payer paid)", &r);
    expect(r.is_ok());

    let request = json!({
        "Config": {"BACK_URL": "https://shop.example/esnekpos/back", "PRICES_CURRENCY": "TRY", "ORDER_AMOUNT": "150"},
        "CreditCard": {"CC_NUMBER": cards::SUCCESS, "EXP_MONTH": "12", "EXP_YEAR": "2030", "CC_CVV": "000",
                       "CC_OWNER": "TEST USER", "INSTALLMENT_NUMBER": "1"},
        "Customer": {"FIRST_NAME": "Ada", "LAST_NAME": "Yılmaz", "MAIL": "ada@example.com", "PHONE": "05435434343",
                     "CITY": "İstanbul", "STATE": "Kağıthane", "ADDRESS": "Merkez Mah.", "CLIENT_IP": "123.44.66.38"},
        "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "Kalem", "PRODUCT_CATEGORY": "Genel", "PRODUCT_AMOUNT": "150"}]
    });
    let r = client.call("esnekpos.pay_3d", request);
    show("pay_3d (ORDER_REF_NUMBER generated)", &r);
    let (url, reference) = match r.as_ref().map(|r| &r.outcome) {
        Ok(Outcome::Redirect { url, order_id, .. }) => {
            (url.clone(), order_id.clone().unwrap_or_default())
        }
        _ => (String::new(), String::new()),
    };
    expect(!reference.is_empty());
    visit(&sim, &url);
    let r = client.call(
        "esnekpos.process_query",
        json!({"ORDER_REF_NUMBER": reference}),
    );
    show("process_query (after 3-D Secure)", &r);
    expect(
        matches!(r.as_ref().map(|r| &r.outcome), Ok(Outcome::Status(s)) if s.state == odeme::State::Paid),
    );

    let creates = sim.count("iyzico.create_payment", "tour-3");
    println!(
        "\nsimulator log: {} requests; the timed-out payment was sent {creates} time(s)",
        sim.requests().len()
    );
    if unexpected > 0 || creates != 1 {
        println!("tour: {unexpected} step(s) did not end as expected");
        return ExitCode::FAILURE;
    }
    println!("tour: every step ended as expected");
    ExitCode::SUCCESS
}
