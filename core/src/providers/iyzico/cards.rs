//! Stored cards (iyzico card storage): `store_card` (`POST /cardstorage/card`), `list_cards`
//! (`POST /cardstorage/cards`) and `delete_card` (`DELETE /cardstorage/card`, with a body).
//! A stored card is then paid with `paymentCard: {cardUserKey, cardToken}` on `create_payment`,
//! `init_3ds` or `preauth_payment`.
//!
//! Sources: iyzico/iyzipay-php `Model/Card.php` (create and delete at `/cardstorage/card`, the
//! delete as HTTP DELETE with a JSON body), `Model/CardList.php` (`/cardstorage/cards`),
//! `Request/CreateCardRequest.php` (`locale, conversationId, externalId, email, cardUserKey,
//! card`), `Model/CardInformation.php` (`cardAlias, cardNumber, expireYear, expireMonth,
//! cardHolderName`), `Request/DeleteCardRequest.php` (`cardUserKey, cardToken`),
//! `Model/Mapper/CardMapper.php` / `CardListMapper.php` (the reply fields: `cardUserKey,
//! cardToken, cardAlias, binNumber, lastFourDigits, cardType, cardAssociation, cardFamily,
//! cardBankCode, cardBankName`, the list under `cardDetails`).
//!
//! `cardUserKey` and `cardToken` are bearer credentials: requests show them by presence only in
//! `Debug`, outcomes hold them as [`Bearer`] (length only in `Debug`), and no declaration names
//! them as a journal field. A lost `store_card` reply is not reconciled through the journal: the
//! only query takes the `cardUserKey`, which odeme never writes to a journal or an error.

use serde::{Deserialize, Serialize};

use super::reply::{items, iyzico_reply, owned};
use super::wire::Locale;
use super::{reply, send};
use crate::config::IyzicoConfig;
use crate::error::{self, Error};
use crate::json::Scalar;
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Bearer, Outcome, Response, StoredCard};
use crate::providers::{json_body, Call};
use crate::secret::{presence, CardNumber};
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

pub const CARD_PATH: &str = "/cardstorage/card";
pub const CARDS_PATH: &str = "/cardstorage/cards";

pub(crate) const STORE_CARD: OperationDef = OperationDef {
    name: "iyzico.store_card",
    summary: "Store a card with iyzico for a new or an existing card user (cardUserKey and cardToken are bearer credentials)",
    method: Some("POST"),
    path: Some(CARD_PATH),
    outcome: &["card"],
    example: r#"{"email":"a@b.co","externalId":"customer-1","card":{"cardAlias":"A","cardNumber":"5528790000000008","expireYear":"2031","expireMonth":"12","cardHolderName":"A B"}}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::Unavailable {
        advice: "the only query, iyzico.list_cards, takes the cardUserKey, which odeme never keeps in an error or the journal: call iyzico.list_cards with the cardUserKey you sent (if you sent none, a new card user may exist: look in iyzico's merchant panel by externalId/email) and look for the card by its last four digits before storing it again",
    },
    journal: Journaled {
        reference: Some("externalId"),
        amount: None,
        currency: None,
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| store_card(call, parse_request(req)?),
        reply: |call, _, reply| store_card_reply(call, reply),
    }),
};

pub(crate) const LIST_CARDS: OperationDef = OperationDef {
    name: "iyzico.list_cards",
    summary: "The cards stored for a card user",
    method: Some("POST"),
    path: Some(CARDS_PATH),
    outcome: &["cards"],
    example: r#"{"cardUserKey":"u-1"}"#,
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| list_cards(call, parse_request(req)?),
        reply: |call, _, reply| list_cards_reply(call, reply),
    }),
};

pub(crate) const DELETE_CARD: OperationDef = OperationDef {
    name: "iyzico.delete_card",
    summary: "Delete a stored card",
    method: Some("DELETE"),
    path: Some(CARD_PATH),
    outcome: &["card_deleted"],
    example: r#"{"cardUserKey":"u-1","cardToken":"t-1"}"#,
    // Deleting a deleted card changes nothing (iyzico answers an error the second time).
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| delete_card(call, parse_request(req)?),
        reply: |call, req, reply| delete_card_reply(call, &parse_request(req)?, reply),
    }),
};

/// The card to store (`CardInformation` in the SDKs).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CardInput {
    #[serde(default)]
    pub card_alias: Option<String>,
    pub card_number: CardNumber,
    pub expire_year: crate::providers::Text,
    pub expire_month: crate::providers::Text,
    pub card_holder_name: String,
}

impl std::fmt::Debug for CardInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardInput")
            .field("card_alias", &self.card_alias)
            .field("card_number", &self.card_number)
            .field("expire_year", &presence(&Some(&self.expire_year)))
            .field("expire_month", &presence(&Some(&self.expire_month)))
            .finish_non_exhaustive()
    }
}

/// `iyzico.store_card` request (`CreateCardRequest`).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoreCardRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    pub email: String,
    /// Add the card to this card user; without it iyzico creates a new card user.
    #[serde(default)]
    pub card_user_key: Option<String>,
    pub card: CardInput,
}

impl std::fmt::Debug for StoreCardRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreCardRequest")
            .field("external_id", &self.external_id)
            .field("card_user_key", &presence(&self.card_user_key))
            .field("card", &self.card)
            .finish_non_exhaustive()
    }
}

/// `iyzico.list_cards` request (`RetrieveCardListRequest`).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListCardsRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub card_user_key: String,
}

impl std::fmt::Debug for ListCardsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListCardsRequest")
            .field("card_user_key", &presence(&Some(&self.card_user_key)))
            .finish_non_exhaustive()
    }
}

/// `iyzico.delete_card` request (`DeleteCardRequest`).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteCardRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub card_user_key: String,
    pub card_token: String,
}

impl std::fmt::Debug for DeleteCardRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeleteCardRequest")
            .field("card_user_key", &presence(&Some(&self.card_user_key)))
            .field("card_token", &presence(&Some(&self.card_token)))
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireCard<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    card_alias: Option<&'a str>,
    card_number: &'a CardNumber,
    expire_year: &'a str,
    expire_month: &'a str,
    card_holder_name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireStore<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_user_key: Option<&'a str>,
    card: WireCard<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireKeys<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    card_user_key: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_token: Option<&'a str>,
}

/// Validate a `store_card` request and serialize its body in the SDK's order.
pub fn store_card_body(req: &StoreCardRequest) -> Result<crate::secret::WipingBuf, Error> {
    validate::not_blank("conversationId", &req.conversation_id)?;
    validate::not_blank("externalId", &req.external_id)?;
    validate::required("email", &req.email)?;
    validate::not_blank("cardUserKey", &req.card_user_key)?;
    let c = &req.card;
    let (month, year) = validate::card_to_store(
        "card",
        &c.card_number,
        c.expire_month.as_str(),
        c.expire_year.as_str(),
    )?;
    validate::required("card.cardHolderName", &c.card_holder_name)?;
    validate::not_blank("card.cardAlias", &c.card_alias)?;
    json_body(&WireStore {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        external_id: req.external_id.as_deref(),
        email: &req.email,
        card_user_key: req.card_user_key.as_deref(),
        card: WireCard {
            card_alias: c.card_alias.as_deref(),
            card_number: &c.card_number,
            expire_year: &year,
            expire_month: &month,
            card_holder_name: &c.card_holder_name,
        },
    })
}

fn keys_body(
    locale: Option<Locale>,
    conversation_id: &Option<String>,
    card_user_key: &str,
    card_token: Option<&str>,
) -> Result<crate::secret::WipingBuf, Error> {
    validate::not_blank("conversationId", conversation_id)?;
    validate::required("cardUserKey", card_user_key)?;
    if let Some(t) = card_token {
        validate::required("cardToken", t)?;
    }
    json_body(&WireKeys {
        locale: locale.unwrap_or(Locale::Tr),
        conversation_id: conversation_id.as_deref(),
        card_user_key,
        card_token,
    })
}

fn store_card(call: &Call<'_, IyzicoConfig>, req: StoreCardRequest) -> Result<Response, Error> {
    let body = store_card_body(&req)?;
    let reply = send(call, Method::Post, CARD_PATH, "", Body::Json(body))?;
    store_card_reply(call, &reply)
}

fn list_cards(call: &Call<'_, IyzicoConfig>, req: ListCardsRequest) -> Result<Response, Error> {
    let body = keys_body(req.locale, &req.conversation_id, &req.card_user_key, None)?;
    let reply = send(call, Method::Post, CARDS_PATH, "", Body::Json(body))?;
    list_cards_reply(call, &reply)
}

fn delete_card(call: &Call<'_, IyzicoConfig>, req: DeleteCardRequest) -> Result<Response, Error> {
    let body = keys_body(
        req.locale,
        &req.conversation_id,
        &req.card_user_key,
        Some(&req.card_token),
    )?;
    let reply = send(call, Method::Delete, CARD_PATH, "", Body::Json(body))?;
    delete_card_reply(call, &req, &reply)
}

iyzico_reply! {
    /// A card-storage reply: storing a card (`POST /cardstorage/card`) and deleting one answer
    /// the card's fields at the top level, listing a card user's cards (`POST
    /// /cardstorage/cards`) answers `cardUserKey` and `cardDetails`, each entry the card's
    /// fields again. Its `Debug` is not derived: it holds the cards' keys.
    struct CardReply<'a> {
        card_user_key: Option<Scalar<'a>>,
        card_token: Option<Scalar<'a>>,
        card_alias: Option<Scalar<'a>>,
        bin_number: Option<Scalar<'a>>,
        last_four_digits: Option<Scalar<'a>>,
        card_type: Option<Scalar<'a>>,
        card_association: Option<Scalar<'a>>,
        card_family: Option<Scalar<'a>>,
        card_bank_name: Option<Scalar<'a>>,
        card_details: Option<Vec<CardReply<'a>>>,
    }
}

/// One stored card of a reply (the card itself, or an entry of `cardDetails`); `user_key` is the
/// reply's `cardUserKey` when the entry has none of its own.
fn stored_card(v: &CardReply<'_>, user_key: Option<&str>) -> StoredCard {
    StoredCard {
        card_user_key: v
            .card_user_key
            .as_deref()
            .or(user_key)
            .map(|k| Bearer::new(k.to_owned())),
        card_token: owned(&v.card_token).map(Bearer::new),
        alias: owned(&v.card_alias),
        bin: owned(&v.bin_number),
        last_four: owned(&v.last_four_digits),
        card_type: owned(&v.card_type),
        association: owned(&v.card_association),
        family: owned(&v.card_family),
        bank_name: owned(&v.card_bank_name),
    }
}

/// A success reply read as `T`, or iyzico's error.
fn success<'r, T: Deserialize<'r> + reply::Answer>(
    call: &Call<'_, IyzicoConfig>,
    reply: &'r Reply,
) -> Result<T, Error> {
    let raw: T = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    Ok(raw)
}

fn store_card_reply(call: &Call<'_, IyzicoConfig>, reply: &Reply) -> Result<Response, Error> {
    let raw: CardReply = success(call, reply)?;
    let card = stored_card(&raw, None);
    if card.card_token.is_none() || card.card_user_key.is_none() {
        return Err(error::unreadable_reply(
            call.at_most_once(),
            Some(reply.status),
            "iyzico reported success without cardUserKey and cardToken",
        ));
    }
    Ok(call.response(Outcome::Card(card), None, reply.raw()))
}

fn list_cards_reply(call: &Call<'_, IyzicoConfig>, reply: &Reply) -> Result<Response, Error> {
    let raw: CardReply = success(call, reply)?;
    let user_key = raw.card_user_key.as_deref();
    let cards = items(&raw.card_details)
        .iter()
        .map(|c| stored_card(c, user_key))
        .collect();
    let outcome = Outcome::Cards {
        card_user_key: owned(&raw.card_user_key).map(Bearer::new),
        cards,
    };
    Ok(call.response(outcome, None, reply.raw()))
}

/// The delete reply carries no card fields of its own: the outcome names the card deleted.
fn delete_card_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &DeleteCardRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: CardReply = success(call, reply)?;
    let outcome = Outcome::CardDeleted {
        card_user_key: Some(Bearer::new(
            owned(&raw.card_user_key).unwrap_or_else(|| req.card_user_key.clone()),
        )),
        card_token: Some(Bearer::new(
            owned(&raw.card_token).unwrap_or_else(|| req.card_token.clone()),
        )),
    };
    Ok(call.response(outcome, None, reply.raw()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn store_bodies_in_the_sdk_order_and_debug_hides_the_keys() {
        let r: StoreCardRequest = parse_request(&json!({
            "conversationId": "c-1", "externalId": "ext-1", "email": "a@b.co",
            "cardUserKey": "user-key-secret",
            "card": {"cardAlias": "iş kartı", "cardNumber": "5528 7900 0000 0008",
                     "expireYear": "2030", "expireMonth": "12", "cardHolderName": "John Doe"}}))
        .unwrap();
        let body = store_card_body(&r).unwrap();
        assert_eq!(
            std::str::from_utf8(body.as_bytes()).unwrap(),
            r#"{"locale":"tr","conversationId":"c-1","externalId":"ext-1","email":"a@b.co","cardUserKey":"user-key-secret","card":{"cardAlias":"iş kartı","cardNumber":"5528790000000008","expireYear":"2030","expireMonth":"12","cardHolderName":"John Doe"}}"#
        );
        let shown = format!("{r:?}");
        assert!(!shown.contains("user-key-secret"), "{shown}");
        assert!(!shown.contains("5528790000000008"), "{shown}");
        let d: DeleteCardRequest =
            parse_request(&json!({"cardUserKey": "user-key-secret", "cardToken": "token-secret"}))
                .unwrap();
        let shown = format!("{d:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn bad_cards_are_refused_naming_the_field() {
        let mut v = json!({"email": "a@b.co", "card": {"cardNumber": "5528790000000009",
            "expireYear": "2030", "expireMonth": "12", "cardHolderName": "John Doe"}});
        let r: StoreCardRequest = parse_request(&v).unwrap();
        assert_eq!(
            store_card_body(&r).unwrap_err().field(),
            Some("card.cardNumber")
        );
        v["card"]["cardNumber"] = json!("5528790000000008");
        v["card"]["expireMonth"] = json!("13");
        let r: StoreCardRequest = parse_request(&v).unwrap();
        assert_eq!(
            store_card_body(&r).unwrap_err().field(),
            Some("card.expireMonth")
        );
    }

    #[test]
    fn outcomes_show_tokens_by_length_only_in_debug() {
        let shape: CardReply = crate::json::read_shape(
            br#"{"cardUserKey": "ukey-123456", "cardToken": "ctok-654321", "lastFourDigits": "0008"}"#,
        )
        .unwrap();
        let card = stored_card(&shape, None);
        let shown = format!("{:?}", Outcome::Card(card.clone()));
        assert!(
            !shown.contains("ukey-123456") && !shown.contains("ctok-654321"),
            "{shown}"
        );
        // ... and as themselves in the response the merchant stores.
        let v = serde_json::to_value(Outcome::Card(card)).unwrap();
        assert_eq!(v["card_token"], "ctok-654321");
        assert_eq!(v["type"], "card");
    }
}
