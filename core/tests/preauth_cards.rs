//! Authorize now, capture later; stored cards (iyzico), end to end against the simulator.

use std::path::PathBuf;

use odeme::{Client, ErrorKind, Outcome, State};
use odeme_sim::{cards, Sim};
use serde_json::{json, Value};

mod common;
use common::{client, unique, visit};

fn temp_journal(name: &str) -> PathBuf {
    common::journal::Store::new(common::journal::Kind::Sqlite, name)
        .path()
        .to_owned()
}

fn journaled(sim: &Sim, name: &str) -> (Client, PathBuf) {
    let path = temp_journal(name);
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({"path": path, "settle_s": 0});
    (Client::from_json(&cfg.to_string()).unwrap(), path)
}

fn payment(conversation_id: &str, card: Value, first_item: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "100.0", "paidPrice": "100.00",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": card,
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [{"id": "BI101", "name": first_item, "category1": "Rooms", "itemType": "VIRTUAL", "price": "100.0"}]
    })
}

fn card(number: &str) -> Value {
    json!({"cardHolderName": "John Doe", "cardNumber": number, "expireMonth": "12", "expireYear": "2030", "cvc": "123"})
}

fn capture(payment_id: &str, amount: &str) -> Value {
    json!({"paymentId": payment_id, "paidPrice": amount, "ip": "85.34.78.112", "currency": "TRY"})
}

fn details_state(c: &Client, payment_id: &str) -> State {
    let r = c
        .call("iyzico.payment_details", json!({"paymentId": payment_id}))
        .unwrap();
    match r.outcome {
        Outcome::Status(s) => s.state,
        other => panic!("{other:?}"),
    }
}

/// preauth → authorized; details → authorized; partial capture → completed with the captured
/// amount; details → paid; a second capture is refused (by the journal before any I/O; by the
/// provider without one).
#[test]
fn authorize_then_capture_part_of_it_once() {
    let sim = Sim::start_http().unwrap();
    let (c, _) = journaled(&sim, "capture");
    let conv = unique("hotel");
    let r = c
        .call(
            "iyzico.preauth_payment",
            payment(&conv, card(cards::SUCCESS), "Oda"),
        )
        .unwrap();
    let Outcome::Authorized(p) = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(p.paid_price, "100.0", "{p:?}");
    let id = p.payment_id.clone();
    assert_eq!(
        serde_json::to_value(&r).unwrap()["outcome"]["type"],
        "authorized"
    );
    assert_eq!(details_state(&c, &id), State::Authorized);

    let r = c
        .call("iyzico.capture_payment", capture(&id, "80.50"))
        .unwrap();
    let Outcome::Completed(p) = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(p.paid_price, "80.5");
    assert_eq!(details_state(&c, &id), State::Paid);

    // With the journal: refused before any I/O, naming the field.
    let e = c
        .call("iyzico.capture_payment", capture(&id, "10"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(e.field(), Some("paymentId"));
    assert_eq!(sim.count("iyzico.capture_payment", &id), 1);
    // Without: the provider refuses it.
    let e = client(&sim)
        .call("iyzico.capture_payment", capture(&id, "10"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    assert_eq!(sim.count("iyzico.capture_payment", &id), 2);
}

/// More than the authorization: refused before any I/O when the journal knows it, by the
/// provider otherwise.
#[test]
fn a_capture_above_the_authorization_is_refused() {
    let sim = Sim::start_http().unwrap();
    let (c, _) = journaled(&sim, "over");
    let r = c
        .call(
            "iyzico.preauth_payment",
            payment(&unique("over"), card(cards::SUCCESS), "Araç"),
        )
        .unwrap();
    let id = r.provider_reference.clone().unwrap();
    let e = c
        .call("iyzico.capture_payment", capture(&id, "100.01"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert_eq!(e.field(), Some("paidPrice"));
    assert!(e.message().contains("100"), "{e}");
    assert_eq!(sim.count("iyzico.capture_payment", &id), 0);
    let e = client(&sim)
        .call("iyzico.capture_payment", capture(&id, "100.01"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
}

/// A release: cancel of an authorization → `cancelled`; details say so; a capture after it is
/// refused (by the journal, which knows the release).
#[test]
fn an_authorization_is_released_by_cancel() {
    let sim = Sim::start_http().unwrap();
    let (c, _) = journaled(&sim, "release");
    let r = c
        .call(
            "iyzico.preauth_payment",
            payment(&unique("rel"), card(cards::SUCCESS), "Oda"),
        )
        .unwrap();
    let id = r.provider_reference.clone().unwrap();
    let r = c
        .call(
            "iyzico.cancel_payment",
            json!({"paymentId": id, "ip": "85.34.78.112", "reason": "buyer_request"}),
        )
        .unwrap();
    let Outcome::Refund(refund) = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(refund.state, State::Cancelled);
    assert_eq!(details_state(&c, &id), State::Cancelled);
    let e = c
        .call("iyzico.capture_payment", capture(&id, "1"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
    assert!(e.message().contains("released"), "{e}");
}

/// 3-D pre-authorization: init → the payer authenticates → complete answers `authorized` →
/// capture.
#[test]
fn threeds_preauth_then_capture() {
    let sim = Sim::start_http().unwrap();
    let c = client(&sim);
    let mut req = payment(&unique("3dpa"), card(cards::SUCCESS), "Oda");
    req["callbackUrl"] = json!("https://shop.example/3ds/callback");
    let r = c.call("iyzico.init_3ds_preauth", req).unwrap();
    let Outcome::Html { payment_id, .. } = &r.outcome else {
        panic!("{r:?}")
    };
    let id = payment_id.clone().unwrap();
    let cb = visit(&sim, &format!("{}/pay/iyzico3ds/{id}", sim.base_url()));
    assert_eq!(cb["mdStatus"], "1");
    let r = c
        .call(
            "iyzico.complete_3ds",
            json!({"paymentId": id, "paidPrice": "100.00", "basketId": "B67832", "currency": "TRY"}),
        )
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Authorized(_)), "{r:?}");
    assert_eq!(details_state(&c, &id), State::Authorized);
    let r = c
        .call("iyzico.capture_payment", capture(&id, "100"))
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Completed(_)), "{r:?}");
    assert_eq!(details_state(&c, &id), State::Paid);
}

/// A dropped capture (`sim:capture-drop`) is sent once, `outcome_unknown`, and reconciled
/// through `payment_details` by its paymentId.
#[test]
fn a_dropped_capture_is_sent_once_and_reconciled() {
    let sim = Sim::start_http().unwrap();
    let (c, _) = journaled(&sim, "capture-drop");
    let r = c
        .call(
            "iyzico.preauth_payment",
            payment(&unique("cdrop"), card(cards::SUCCESS), "sim:capture-drop"),
        )
        .unwrap();
    let id = r.provider_reference.clone().unwrap();
    let e = c
        .call("iyzico.capture_payment", capture(&id, "60"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.reconcile_with(), Some("iyzico.payment_details"));
    assert_eq!(e.reconcile_request(), Some(&json!({"paymentId": id})));
    assert_eq!(sim.count("iyzico.capture_payment", &id), 1);
    let rows = c.reconcile().unwrap();
    let row = rows
        .iter()
        .find(|r| r.operation == "iyzico.capture_payment")
        .unwrap();
    assert_eq!(row.state, "done", "{rows:?}");
    assert_eq!(row.resolved.as_deref(), Some("paid"));
    assert_eq!(sim.count("iyzico.capture_payment", &id), 1);
}

/// store → list → pay by token → delete → paying with the deleted token fails; a stored decline
/// card still declines; paying with `registerCard: 1` stores the card and the outcome carries
/// its keys. Tokens never appear in `Debug`, errors or the journal.
#[test]
fn stored_cards_from_store_to_delete() {
    let sim = Sim::start_http().unwrap();
    let (c, path) = journaled(&sim, "cards");
    let r = c
        .call(
            "iyzico.store_card",
            json!({"email": "email@email.com", "externalId": "customer-7",
                   "card": {"cardAlias": "iş kartım", "cardNumber": cards::SUCCESS,
                            "expireYear": "2030", "expireMonth": "12", "cardHolderName": "John Doe"}}),
        )
        .unwrap();
    let Outcome::Card(stored) = &r.outcome else {
        panic!("{r:?}")
    };
    let user_key = stored.card_user_key.clone().unwrap();
    let token = stored.card_token.clone().unwrap();
    assert_eq!(stored.last_four.as_deref(), Some("0008"));
    assert_eq!(stored.alias.as_deref(), Some("iş kartım"));
    let shown = format!("{r:?}");
    assert!(
        !shown.contains(user_key.expose()) && !shown.contains(token.expose()),
        "Debug shows no key or token"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["outcome"]["card_token"], token.expose());

    // A second card for the same user, a decline card.
    let r = c
        .call(
            "iyzico.store_card",
            json!({"email": "email@email.com", "cardUserKey": user_key.expose(),
                   "card": {"cardNumber": cards::INSUFFICIENT_FUNDS,
                            "expireYear": "2030", "expireMonth": "12", "cardHolderName": "John Doe"}}),
        )
        .unwrap();
    let Outcome::Card(declining) = &r.outcome else {
        panic!("{r:?}")
    };
    let r = c
        .call(
            "iyzico.list_cards",
            json!({"cardUserKey": user_key.expose()}),
        )
        .unwrap();
    let Outcome::Cards { cards: listed, .. } = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(listed.len(), 2, "{r:?}");
    assert_eq!(listed[0].card_token, Some(token.clone()));

    let by_token = json!({"cardUserKey": user_key.expose(), "cardToken": token.expose()});
    let r = c
        .call(
            "iyzico.create_payment",
            payment(&unique("tok"), by_token.clone(), "Kalem"),
        )
        .unwrap();
    assert!(matches!(r.outcome, Outcome::Completed(_)), "{r:?}");
    let declined = json!({"cardUserKey": user_key.expose(),
                          "cardToken": declining.card_token.clone().unwrap().expose()});
    let e = c
        .call(
            "iyzico.preauth_payment",
            payment(&unique("tokd"), declined, "Kalem"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Declined, "{e}");

    let r = c.call("iyzico.delete_card", by_token.clone()).unwrap();
    assert!(matches!(r.outcome, Outcome::CardDeleted { .. }), "{r:?}");
    let e = c
        .call(
            "iyzico.create_payment",
            payment(&unique("gone"), by_token, "Kalem"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    let text = format!("{e} {e:?} {}", serde_json::to_string(&e.to_json()).unwrap());
    assert!(
        !text.contains(token.expose()) && !text.contains(user_key.expose()),
        "{text}"
    );

    // registerCard while paying.
    let mut register = card(cards::SUCCESS);
    register["registerCard"] = json!(1);
    register["cardAlias"] = json!("yeni kart");
    let r = c
        .call(
            "iyzico.create_payment",
            payment(&unique("reg"), register, "Kalem"),
        )
        .unwrap();
    let Outcome::Completed(p) = &r.outcome else {
        panic!("{r:?}")
    };
    let new_token = p.card_token.clone().unwrap();
    let new_user = p.card_user_key.clone().unwrap();
    let r = c
        .call(
            "iyzico.list_cards",
            json!({"cardUserKey": new_user.expose()}),
        )
        .unwrap();
    let Outcome::Cards { cards: listed, .. } = &r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(listed[0].card_token, Some(new_token.clone()));

    // A card to store for a card user iyzico does not know: the payment is refused with it.
    let mut unknown_user = card(cards::SUCCESS);
    unknown_user["registerCard"] = json!(1);
    unknown_user["cardUserKey"] = json!("no-such-card-user");
    let e = c
        .call(
            "iyzico.create_payment",
            payment(&unique("reg-unknown"), unknown_user, "Kalem"),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");

    // The journal never holds a key or a token.
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("sqlite3-wal")) {
        bytes.extend(wal);
    }
    let journal = String::from_utf8_lossy(&bytes);
    for secret in [&token, &user_key, &new_token, &new_user] {
        assert!(
            !journal.contains(secret.expose()),
            "journal holds a card credential"
        );
    }
}

/// `scripts/canary` runs this with `ODEME_CANARY=1`: every outcome and error of a stored-card
/// flow is printed (`Debug`, `Display`, the error JSON), the keys and tokens it saw are written
/// to `ODEME_CANARY_TOKENS`, and the journal to `ODEME_CANARY_CARD_JOURNAL`; the script then
/// searches the output and the journal for each of them. Does nothing in a normal run.
#[test]
fn canary() {
    common::canary_log();
    if std::env::var("ODEME_CANARY").is_err() {
        return;
    }
    let sim = Sim::start_http().unwrap();
    let path = PathBuf::from(std::env::var("ODEME_CANARY_CARD_JOURNAL").unwrap());
    let mut cfg = sim.client_config();
    cfg["journal"] = json!({"path": path, "settle_s": 0});
    let c = Client::from_json(&cfg.to_string()).unwrap();
    let mut seen = Vec::new();
    let show = |what: &str, r: &Result<odeme::Response, odeme::Error>| match r {
        Ok(r) => println!("{what} -> {r:?}"),
        Err(e) => println!(
            "{what} -> {e} | {e:?} | {}",
            serde_json::to_string(&e.to_json()).unwrap()
        ),
    };
    let stored = c.call(
        "iyzico.store_card",
        json!({"email": "email@email.com", "externalId": "canary-1",
               "card": {"cardNumber": cards::SUCCESS, "expireYear": "2030", "expireMonth": "12",
                        "cardHolderName": "John Doe"}}),
    );
    show("store_card", &stored);
    let Outcome::Card(stored) = stored.unwrap().outcome else {
        panic!()
    };
    let (user, token) = (stored.card_user_key.unwrap(), stored.card_token.unwrap());
    seen.push(user.expose().to_owned());
    seen.push(token.expose().to_owned());
    let keys = json!({"cardUserKey": user.expose(), "cardToken": token.expose()});
    for (i, product) in [
        "Kalem",
        "sim:drop",
        "sim:malformed",
        "sim:http500",
        "sim:badsig",
    ]
    .iter()
    .enumerate()
    {
        let r = c.call(
            "iyzico.create_payment",
            payment(&format!("canary-tok-{i}"), keys.clone(), product),
        );
        show(product, &r);
        let r = c.call(
            "iyzico.preauth_payment",
            payment(&format!("canary-pre-{i}"), keys.clone(), product),
        );
        show(product, &r);
    }
    show(
        "list_cards",
        &c.call("iyzico.list_cards", json!({"cardUserKey": user.expose()})),
    );
    show("delete_card", &c.call("iyzico.delete_card", keys.clone()));
    show(
        "delete_card again",
        &c.call("iyzico.delete_card", keys.clone()),
    );
    show(
        "pay with a deleted token",
        &c.call(
            "iyzico.create_payment",
            payment("canary-gone", keys, "Kalem"),
        ),
    );
    let mut register = card(cards::SUCCESS);
    register["registerCard"] = json!(1);
    let r = c.call(
        "iyzico.create_payment",
        payment("canary-reg", register, "Kalem"),
    );
    show("registerCard", &r);
    if let Ok(odeme::Response {
        outcome: Outcome::Completed(p),
        ..
    }) = &r
    {
        seen.extend(p.card_user_key.iter().map(|k| k.expose().to_owned()));
        seen.extend(p.card_token.iter().map(|k| k.expose().to_owned()));
    }
    println!("pending -> {:?}", c.pending());
    println!("reconcile -> {:?}", c.reconcile());
    println!("simulator log: {}", sim.requests_json());
    assert_eq!(seen.len(), 4, "the canary saw every key and token");
    std::fs::write(
        std::env::var("ODEME_CANARY_TOKENS").unwrap(),
        seen.join("\n") + "\n",
    )
    .unwrap();
}
