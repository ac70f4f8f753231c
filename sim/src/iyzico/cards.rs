//! iyzico card storage, as the independent peer: `POST /cardstorage/card` stores a card (for a
//! new card user, or the `cardUserKey` given), `POST /cardstorage/cards` lists a user's cards,
//! `DELETE /cardstorage/card` deletes one. Paying with `paymentCard: {cardUserKey, cardToken}`
//! charges the stored number (a stored decline card still declines); `registerCard: 1` while
//! paying stores the card and the reply carries `cardUserKey` and `cardToken`.
//!
//! Shapes: iyzico/iyzipay-php `Model/Card.php`, `CardList.php` and their mappers (the reply
//! fields `externalId, email, cardUserKey, cardToken, cardAlias, binNumber, lastFourDigits,
//! cardType, cardAssociation, cardFamily, cardBankCode, cardBankName`; the list under
//! `cardDetails`). The error codes for an unknown card user or token are not published: the
//! simulator's are assumptions (UNVERIFIED.md). The request log never holds a key or a token.

use std::collections::HashMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{
    authenticate, failure, now_ms, str_field, text, Answer, Ctx, Incoming, Store as State,
};

/// Unknown card user (assumed code).
pub const UNKNOWN_CARD_USER: (&str, &str) = ("5206", "Kart kullanıcısı bulunamadı");
/// Unknown card token for that user (assumed code).
pub const UNKNOWN_CARD: (&str, &str) = ("5207", "Kayıtlı kart bulunamadı");

#[derive(Clone)]
struct StoredCard {
    token: String,
    /// The number itself: the provider keeps it, so that paying by token charges it.
    pan: String,
    alias: Option<String>,
}

struct CardUser {
    external_id: Option<String>,
    email: Option<String>,
    cards: Vec<StoredCard>,
}

#[derive(Default)]
pub(crate) struct Store {
    users: HashMap<String, CardUser>,
}

/// A key or token: 28 hex digits from a hash of `label` and `id` (unique per simulator run).
fn key(label: &str, id: u64) -> String {
    let d = Sha256::digest(format!("odeme-sim:{label}:{id}"));
    d.iter().take(14).map(|b| format!("{b:02x}")).collect()
}

/// A card to store, once the payment it came with is accepted.
struct Register {
    user_key: Option<String>,
    alias: Option<String>,
    email: Option<String>,
    id: u64,
}

/// The card a payment uses: its number (stored or given) and, with `registerCard: 1`, what to
/// store.
pub(crate) struct CardUse {
    pub pan: String,
    register: Option<Register>,
}

impl CardUse {
    /// Store the card if the payment asked to (call once the payment is accepted); its card
    /// user was checked by [`card_of`], so storing cannot fail.
    pub(crate) fn register(&self, st: &mut State) -> Option<(String, String)> {
        let r = self.register.as_ref()?;
        store(
            st,
            r.user_key.clone(),
            r.email.clone(),
            None,
            &self.pan,
            r.alias.clone(),
            r.id,
        )
        .ok()
    }
}

/// Store `pan` for `user_key` (a new card user when `None`); (card user key, card token).
fn store(
    st: &mut State,
    user_key: Option<String>,
    email: Option<String>,
    external_id: Option<String>,
    pan: &str,
    alias: Option<String>,
    id: u64,
) -> Result<(String, String), (&'static str, &'static str)> {
    let users = &mut st.cards.users;
    let user_key = match user_key {
        Some(k) if users.contains_key(&k) => k,
        Some(_) => return Err(UNKNOWN_CARD_USER),
        None => {
            let k = key("cardUserKey", id);
            users.insert(
                k.clone(),
                CardUser {
                    external_id,
                    email,
                    cards: Vec::new(),
                },
            );
            k
        }
    };
    let token = key("cardToken", id);
    if let Some(u) = users.get_mut(&user_key) {
        u.cards.push(StoredCard {
            token: token.clone(),
            pan: pan.to_owned(),
            alias,
        });
    }
    Ok((user_key, token))
}

/// A card number with its expiry (and CVC when `cvc_required`), checked as iyzico checks them
/// (`paymentCard` of a payment, `card` of card storage): its number, or iyzico's error.
fn checked_card(card: &Value, cvc_required: bool) -> Result<String, (&'static str, &'static str)> {
    let pan = str_field(card, "cardNumber").unwrap_or_default();
    if !crate::cards::number_ok(&pan) {
        return Err(("12", "Kart numarası geçersizdir"));
    }
    let month = text(card, "expireMonth").unwrap_or_default();
    let year = text(card, "expireYear").unwrap_or_default();
    if !crate::cards::expiry_ok(&month, &year) {
        return Err(("15", "Son kullanma tarihi geçersiz"));
    }
    if cvc_required && !crate::cards::cvc_ok(&str_field(card, "cvc").unwrap_or_default()) {
        return Err(("14", "CVC geçersiz"));
    }
    Ok(pan)
}

/// The card of a payment body's `paymentCard`: a stored one (`cardUserKey` + `cardToken`) or a
/// number checked as iyzico checks it (Luhn, expiry, and the CVC when `cvc_required`).
pub(crate) fn card_of(
    st: &mut State,
    body: &Value,
    cvc_required: bool,
    id: u64,
) -> Result<CardUse, (&'static str, &'static str)> {
    let card = body.get("paymentCard").cloned().unwrap_or(Value::Null);
    if let Some(token) = str_field(&card, "cardToken") {
        let user = str_field(&card, "cardUserKey")
            .and_then(|k| st.cards.users.get(&k))
            .ok_or(UNKNOWN_CARD_USER)?;
        let stored = user
            .cards
            .iter()
            .find(|c| c.token == token)
            .ok_or(UNKNOWN_CARD)?;
        return Ok(CardUse {
            pan: stored.pan.clone(),
            register: None,
        });
    }
    let pan = checked_card(&card, cvc_required)?;
    let user_key = str_field(&card, "cardUserKey");
    let registering = matches!(text(&card, "registerCard").as_deref(), Some("1"));
    if registering
        && user_key
            .as_ref()
            .is_some_and(|k| !st.cards.users.contains_key(k))
    {
        // Checked before the payment is booked: a card that cannot be stored is refused with the
        // payment, never stored silently elsewhere.
        return Err(UNKNOWN_CARD_USER);
    }
    let register = registering.then(|| Register {
        user_key,
        alias: str_field(&card, "cardAlias"),
        email: body
            .pointer("/buyer/email")
            .and_then(Value::as_str)
            .map(str::to_owned),
        id,
    });
    Ok(CardUse { pan, register })
}

/// A stored card in the reply shape (`CardMapper`).
fn card_json(user_key: &str, c: &StoredCard) -> Value {
    json!({
        "cardUserKey": user_key, "cardToken": c.token, "cardAlias": c.alias,
        "binNumber": &c.pan[..6], "lastFourDigits": &c.pan[c.pan.len() - 4..],
        "cardType": "CREDIT_CARD", "cardAssociation": "MASTER_CARD", "cardFamily": "Bonus",
        "cardBankCode": 62, "cardBankName": "Garanti Bankası",
    })
}

fn answer(op: &'static str, body: &Value, v: Value) -> Answer {
    Answer::new(200, v, op).order_ref(str_field(body, "conversationId"))
}

/// `POST /cardstorage/card`.
pub(crate) fn store_card(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.store_card";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    let fail =
        |(code, msg): (&str, &str)| answer(OP, &body, failure(code, msg, None, conv.as_deref()));
    if let Err(e) = authenticate(req) {
        return answer(OP, &body, e);
    }
    let user_key = str_field(&body, "cardUserKey");
    let email = str_field(&body, "email");
    if user_key.is_none() && email.is_none() {
        return fail(("3", "Email gönderilmesi zorunludur"));
    }
    let card = body.get("card").cloned().unwrap_or(Value::Null);
    let pan = match checked_card(&card, false) {
        Ok(pan) => pan,
        Err(e) => return fail(e),
    };
    if str_field(&card, "cardHolderName").is_none() {
        return fail(("11", "cardHolderName gönderilmesi zorunludur"));
    }
    let id = cx.next_id();
    let mut st = cx.lock();
    let external_id = str_field(&body, "externalId");
    let (user_key, token) = match store(
        &mut st,
        user_key,
        email.clone(),
        external_id.clone(),
        &pan,
        str_field(&card, "cardAlias"),
        id,
    ) {
        Ok(k) => k,
        Err(e) => {
            drop(st);
            return fail(e);
        }
    };
    let user = &st.cards.users[&user_key];
    let Some(stored) = user.cards.iter().find(|c| c.token == token).cloned() else {
        drop(st);
        return fail(UNKNOWN_CARD);
    };
    let mut v = card_json(&user_key, &stored);
    v["status"] = json!("success");
    v["locale"] = json!("tr");
    v["systemTime"] = json!(now_ms());
    v["conversationId"] = json!(conv);
    v["externalId"] = json!(user.external_id.clone().or(external_id));
    v["email"] = json!(user.email.clone().or(email));
    drop(st);
    answer(OP, &body, v)
}

/// `POST /cardstorage/cards`.
pub(crate) fn list_cards(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.list_cards";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    if let Err(e) = authenticate(req) {
        return answer(OP, &body, e);
    }
    let st = cx.lock();
    let key = str_field(&body, "cardUserKey").unwrap_or_default();
    let Some(user) = st.cards.users.get(&key) else {
        let (code, msg) = UNKNOWN_CARD_USER;
        drop(st);
        return answer(OP, &body, failure(code, msg, None, conv.as_deref()));
    };
    let details: Vec<Value> = user.cards.iter().map(|c| card_json(&key, c)).collect();
    let v = json!({"status": "success", "locale": "tr", "systemTime": now_ms(),
                   "conversationId": conv, "cardUserKey": key, "cardDetails": details});
    drop(st);
    answer(OP, &body, v)
}

/// `DELETE /cardstorage/card`.
pub(crate) fn delete_card(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.delete_card";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    if let Err(e) = authenticate(req) {
        return answer(OP, &body, e);
    }
    let key = str_field(&body, "cardUserKey").unwrap_or_default();
    let token = str_field(&body, "cardToken").unwrap_or_default();
    let mut st = cx.lock();
    let result = match st.cards.users.get_mut(&key) {
        None => Err(UNKNOWN_CARD_USER),
        Some(u) => match u.cards.iter().position(|c| c.token == token) {
            None => Err(UNKNOWN_CARD),
            Some(i) => {
                u.cards.remove(i);
                Ok(())
            }
        },
    };
    drop(st);
    let v = match result {
        Ok(()) => json!({"status": "success", "locale": "tr", "systemTime": now_ms(),
                         "conversationId": conv}),
        Err((code, msg)) => failure(code, msg, None, conv.as_deref()),
    };
    answer(OP, &body, v)
}
