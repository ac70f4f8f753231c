//! iyzico cancels and refunds: `iyzico.cancel_payment` (`POST /payment/cancel`, the whole
//! payment, same day) and `iyzico.refund_payment` (`POST /v2/payment/refund`, amount-based).
//!
//! Both move money back to the payer, so both are `at_most_once` and reconciled with
//! `iyzico.payment_details` by `paymentId` (the report lists `cancels[]` and the refunds).
//! The v2 refund reply is signed over `paymentId:price:currency:conversationId` (amounts
//! normalised; iyzico's Java SDK `Refund.verifySignature`, which serves both refund endpoints);
//! no SDK verifies a signature on the cancel reply and iyzico documents none.
//!
//! Over-refunds are refused before any I/O when the request says what remains ([`crate::refund`]:
//! `refundable`, or `details` holding an `iyzico.payment_details` response).

use crate::secret::WipingBuf;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::str::FromStr;

use super::reply::{flag, iyzico_reply, owned, Answer as _};
use super::{reply, secret, send, Locale};
use crate::config::IyzicoConfig;
use crate::error::{self, Error};
use crate::json::Scalar;
use crate::money::{signed_amount, Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, RefundOutcome, Response, State};
use crate::providers::{json_body, Call, Text};
use crate::refund::{self, Refundable};
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

pub const CANCEL_PATH: &str = "/payment/cancel";
pub const REFUND_V2_PATH: &str = "/v2/payment/refund";

/// The report of the payment answers whether a lost cancel or refund happened.
const RECONCILE: Reconcile = Reconcile::With {
    operation: "iyzico.payment_details",
    by: "paymentId",
    as_field: "paymentId",
};

pub(crate) const CANCEL_PAYMENT: OperationDef = OperationDef {
    name: "iyzico.cancel_payment",
    summary:
        "Cancel a whole payment the same day (reason double_payment, buyer_request, fraud or other)",
    method: Some("POST"),
    path: Some("/payment/cancel"),
    outcome: &["refund"],
    example: r#"{"paymentId":"1","ip":"127.0.0.1"}"#,
    sends: Sends::AtMostOnce,
    reconcile: RECONCILE,
    journal: Journaled {
        reference: Some("paymentId"),
        amount: None,
        currency: None,
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| cancel_payment(call, parse_request(req)?),
        reply: |call, req, reply| cancel_payment_reply(call, &parse_request(req)?, reply),
    }),
};

pub(crate) const REFUND_PAYMENT: OperationDef = OperationDef {
    name: "iyzico.refund_payment",
    summary: "Refund an amount of a payment (reply signature over paymentId:price:currency:conversationId verified)",
    method: Some("POST"),
    path: Some("/v2/payment/refund"),
    outcome: &["refund"],
    example: r#"{"paymentId":"1","price":"0.5","currency":"TRY"}"#,
    sends: Sends::AtMostOnce,
    reconcile: RECONCILE,
    journal: Journaled {
        reference: Some("conversationId"),
        amount: Some("price"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| refund_payment(call, parse_request(req)?),
        reply: |call, req, reply| {
            let r: RefundPaymentRequest = parse_request(req)?;
            let known = known_refundable(&r.payment_id, r.refundable, r.details.as_ref())?;
            refund_payment_reply(call, &r, known, reply)
        },
    }),
};

/// iyzico's refund and cancel reasons (docs: `OTHER, FRAUD, BUYER_REQUEST, DOUBLE_PAYMENT`).
/// Accepted in either case; sent in lower case as every official SDK but Java's sends them
/// (iyzipay-php's test `CreateCancelRequestTest` expects `"reason":"other"`; the Python, .NET,
/// Node and Ruby SDKs' samples send lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundReason {
    #[serde(alias = "DOUBLE_PAYMENT")]
    DoublePayment,
    #[serde(alias = "BUYER_REQUEST")]
    BuyerRequest,
    #[serde(alias = "FRAUD")]
    Fraud,
    #[serde(alias = "OTHER")]
    Other,
}

/// `iyzico.cancel_payment` request: `{paymentId, ip?, reason?, description?, conversationId?,
/// locale?}` plus odeme's optional `refundable` / `details` (never sent).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CancelPaymentRequest {
    pub payment_id: Text,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub reason: Option<RefundReason>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// What remains refundable, if the caller knows (not sent).
    #[serde(default)]
    pub refundable: Option<Amount>,
    /// An `iyzico.payment_details` response for this payment (not sent).
    #[serde(default)]
    pub details: Option<Value>,
}

/// `iyzico.refund_payment` request: `{paymentId, price, ip?, currency?, conversationId?,
/// locale?}` plus odeme's optional `refundable` / `details` (never sent).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RefundPaymentRequest {
    pub payment_id: Text,
    pub price: Amount,
    #[serde(default)]
    pub ip: Option<String>,
    #[serde(default)]
    pub currency: Option<Currency>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub refundable: Option<Amount>,
    #[serde(default)]
    pub details: Option<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireCancel<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    payment_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<RefundReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRefund<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    payment_id: &'a str,
    price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<Currency>,
}

/// What remains refundable of `payment_id`, from the request's `refundable` or `details`.
fn known_refundable(
    payment_id: &Text,
    refundable: Option<Amount>,
    details: Option<&Value>,
) -> Result<Option<Refundable>, Error> {
    if refundable.is_some() && details.is_some() {
        return Err(Error::invalid_field(
            "refundable",
            "pass refundable or details, not both",
        ));
    }
    match details {
        Some(d) => from_details("details", d, payment_id.as_str()).map(Some),
        None => Ok(refund::from_refundable(refundable)),
    }
}

/// An `iyzico.payment_details` response (or its `outcome`) as a request's `details` holds it:
/// what [`from_details`] reads of it (the names odeme writes).
#[derive(Deserialize)]
struct Details<'a> {
    /// Set when `details` is the whole response.
    #[serde(borrow)]
    outcome: Option<Box<Details<'a>>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Scalar<'a>>,
    #[serde(borrow)]
    payment_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    paid_price: Option<Scalar<'a>>,
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
    cancelled: Option<bool>,
    #[serde(borrow)]
    refunds: Option<Vec<DetailsRefund<'a>>>,
    /// Every payment under one conversationId, each in this shape.
    #[serde(borrow)]
    payments: Option<Vec<Details<'a>>>,
}

#[derive(Deserialize)]
struct DetailsRefund<'a> {
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
}

/// What remains of `payment_id` according to an `iyzico.payment_details` response (or its
/// `outcome`): paid price minus every refund, 0 once cancelled. `field` names the request field
/// for errors (`details`).
pub fn from_details(field: &str, details: &Value, payment_id: &str) -> Result<Refundable, Error> {
    let bad = |why: &str| Error::invalid_field(field, why);
    let not_details =
        || bad("must be the response (or the outcome) of an iyzico.payment_details call");
    // Read from its text, not through the `Value`: serde_json hands a `Value`'s number whose
    // digits a binary float happens to reproduce (`0.1`) to a deserializer as that float, and a
    // `Scalar` refuses floats; written out, the number is its exact digits again.
    let text = serde_json::to_string(details).map_err(|_| not_details())?;
    let read: Details = crate::json::read_shape(text.as_bytes()).map_err(|_| not_details())?;
    let outcome = match read.outcome {
        Some(outcome) => *outcome,
        None => read,
    };
    if outcome.kind.as_deref() != Some("status") {
        return Err(not_details());
    }
    let decimal = |v: &Option<Scalar<'_>>| -> Result<Option<Decimal>, Error> {
        match v.as_deref() {
            None => Ok(None),
            Some(t) => Decimal::from_str(t)
                .map(Some)
                .map_err(|_| bad("has an amount that is not a decimal")),
        }
    };
    // The reported payment whose id matches (several may share one conversationId).
    let p = std::iter::once(&outcome)
        .chain(reply::items(&outcome.payments))
        .find(|p| p.payment_id.as_deref() == Some(payment_id))
        .ok_or_else(|| bad("reports another payment than paymentId"))?;
    if p.cancelled == Some(true) {
        return Ok(Refundable {
            remaining: Decimal::ZERO,
            source: "the details passed",
        });
    }
    let paid = decimal(&p.paid_price)?
        .or(decimal(&p.amount)?)
        .ok_or_else(|| bad("has no paid_price"))?;
    let mut refunded = Decimal::ZERO;
    for r in reply::items(&p.refunds) {
        refunded += decimal(&r.amount)?.unwrap_or_default();
    }
    Ok(Refundable {
        remaining: (paid - refunded).max(Decimal::ZERO),
        source: "the details passed",
    })
}

fn common_checks(
    payment_id: &Text,
    ip: &Option<String>,
    conversation_id: &Option<String>,
) -> Result<(), Error> {
    validate::required("paymentId", payment_id.as_str())?;
    validate::not_blank("ip", ip)?;
    validate::not_blank("conversationId", conversation_id)
}

/// Validate a cancel request and serialize the exact body to send.
pub fn cancel_payment_body(req: &CancelPaymentRequest) -> Result<WipingBuf, Error> {
    common_checks(&req.payment_id, &req.ip, &req.conversation_id)?;
    validate::not_blank("description", &req.description)?;
    if req.description.is_some() && req.reason.is_none() {
        return Err(Error::invalid_field(
            "reason",
            "is required when a description is sent (one of double_payment, buyer_request, fraud, other)",
        ));
    }
    if let Some(k) = known_refundable(&req.payment_id, req.refundable, req.details.as_ref())? {
        if k.remaining <= rust_decimal::Decimal::ZERO {
            return Err(Error::invalid_field(
                "paymentId",
                format!(
                    "this payment was already cancelled or fully refunded (per {}); nothing remains to cancel",
                    k.source
                ),
            ));
        }
    }
    json_body(&WireCancel {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_str(),
        ip: req.ip.as_deref(),
        reason: req.reason,
        description: req.description.as_deref(),
    })
}

/// Validate a refund request (over-refunds included, when odeme knows what remains) and
/// serialize the exact body to send.
pub fn refund_payment_body(
    req: &RefundPaymentRequest,
) -> Result<(WipingBuf, Option<Refundable>), Error> {
    common_checks(&req.payment_id, &req.ip, &req.conversation_id)?;
    validate::positive("price", req.price)?;
    let known = known_refundable(&req.payment_id, req.refundable, req.details.as_ref())?;
    refund::check_refundable("price", req.price, known)?;
    let body = json_body(&WireRefund {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_str(),
        price: req.price.iyzico(),
        ip: req.ip.as_deref(),
        currency: req.currency,
    })?;
    Ok((body, known))
}

fn cancel_payment(
    call: &Call<'_, IyzicoConfig>,
    req: CancelPaymentRequest,
) -> Result<Response, Error> {
    let body = cancel_payment_body(&req)?;
    if req.refundable.is_none() && req.details.is_none() {
        if let Some(intent) = call.intent {
            let known = intent
                .journal()
                .refundable(req.payment_id.as_str(), journal_ops())?;
            if known.is_some_and(|k| k.remaining <= rust_decimal::Decimal::ZERO) {
                return Err(Error::invalid_field(
                    "paymentId",
                    "this payment was already cancelled or fully refunded (per the payment journal); nothing remains to cancel",
                ));
            }
        }
    }
    let reply = send(call, Method::Post, CANCEL_PATH, "", Body::Json(body))?;
    cancel_payment_reply(call, &req, &reply)
}

fn missing(call: &Call<'_, IyzicoConfig>, reply: &Reply, what: &str) -> Error {
    error::unreadable_reply(
        call.at_most_once(),
        Some(reply.status),
        &format!("iyzico reported success without {what}"),
    )
}

/// Interpret the reply to `POST /payment/cancel` (`paymentId, price, currency, authCode,
/// hostReference`; no signature).
fn cancel_payment_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &CancelPaymentRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: RefundReply = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let payment_id = owned(&raw.payment_id).unwrap_or_else(|| req.payment_id.0.clone());
    let amount = owned(&raw.price).ok_or_else(|| missing(call, reply, "price"))?;
    let outcome = Outcome::Refund(RefundOutcome {
        state: State::Cancelled,
        amount,
        currency: owned(&raw.currency),
        payment_id: payment_id.clone(),
        refund_id: None,
    });
    Ok(call.response(outcome, Some(payment_id), reply.raw()))
}

iyzico_reply! {
    /// The reply to `POST /payment/cancel` (`paymentId, price, currency, authCode,
    /// hostReference`; no signature) and to `POST /v2/payment/refund` (the same, with
    /// `conversationId`, `refundHostReference`, `retryable` and `signature`).
    pub struct RefundReply<'a> {
        pub signature: Option<Scalar<'a>>,
        pub payment_id: Option<Scalar<'a>>,
        pub price: Option<Scalar<'a>>,
        pub currency: Option<Scalar<'a>>,
        pub conversation_id: Option<Scalar<'a>>,
        pub retryable: Option<Scalar<'a>>,
    }
}

/// The operations whose journal rows tell what remains of an iyzico payment.
fn journal_ops() -> crate::journal::RefundOps {
    crate::journal::RefundOps {
        paid_by_provider_reference: super::CREATE_PAYMENT.name,
        paid_by_reference: super::threeds::COMPLETE_3DS.name,
        cancel: CANCEL_PAYMENT.name,
        refund: REFUND_PAYMENT.name,
    }
}

fn refund_payment(
    call: &Call<'_, IyzicoConfig>,
    req: RefundPaymentRequest,
) -> Result<Response, Error> {
    let (body, mut known) = refund_payment_body(&req)?;
    if known.is_none() {
        // With a journal that recorded the payment, what remains is known before sending.
        if let Some(intent) = call.intent {
            known = intent
                .journal()
                .refundable(req.payment_id.as_str(), journal_ops())?;
            refund::check_refundable("price", req.price, known)?;
        }
    }
    let reply = send(call, Method::Post, REFUND_V2_PATH, "", Body::Json(body))?;
    refund_payment_reply(call, &req, known, &reply)
}

/// The fields the refund reply signs, in order, the amount normalised.
pub fn refund_signature_fields(raw: &RefundReply<'_>) -> [String; 4] {
    refund_signature_texts(raw).map(str::to_owned)
}

/// [`refund_signature_fields`], borrowed from the reply.
fn refund_signature_texts<'r>(raw: &'r RefundReply<'_>) -> [&'r str; 4] {
    let t = |s: &'r Option<Scalar<'_>>| s.as_deref().unwrap_or_default();
    [
        t(&raw.payment_id),
        signed_amount(t(&raw.price)),
        t(&raw.currency),
        t(&raw.conversation_id),
    ]
}

/// The names of the fields `refund_signature_fields` returns, in order.
const REFUND_SIGNED: [&str; 4] = ["paymentId", "price", "currency", "conversationId"];

fn verify_refund_signature(secret: &str, raw: &RefundReply<'_>) -> Result<(), Error> {
    let fields = reply::named(&REFUND_SIGNED, refund_signature_texts(raw));
    reply::verify_fields(
        secret,
        raw.signature.as_deref(),
        &fields,
        "the iyzico refund reply",
    )
}

/// Interpret the reply to `POST /v2/payment/refund` (`paymentId, price, currency, authCode,
/// hostReference, refundHostReference, retryable, signature`).
fn refund_payment_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &RefundPaymentRequest,
    known: Option<Refundable>,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: RefundReply = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(retryable_refund(&raw, reply::failure(&raw, reply.status)));
    }
    let payment_id = owned(&raw.payment_id).ok_or_else(|| missing(call, reply, "paymentId"))?;
    let amount = owned(&raw.price).ok_or_else(|| missing(call, reply, "price"))?;
    verify_refund_signature(secret(call), &raw)?;
    let outcome = Outcome::Refund(RefundOutcome {
        state: refund::state_after(req.price, known),
        amount,
        currency: owned(&raw.currency),
        payment_id: payment_id.clone(),
        refund_id: None,
    });
    Ok(call.response(outcome, Some(payment_id), reply.raw()))
}

/// A failed refund iyzico marks `retryable` (a field of its current refund replies): iyzico
/// retries it itself and reports the result by webhook (`REFUND_RETRY_SUCCESS` /
/// `REFUND_RETRY_FAILURE`, docs.iyzico.com's webhook page), so the merchant must not send it
/// again: the error says so and is never retry-safe.
fn retryable_refund(raw: &RefundReply<'_>, e: Error) -> Error {
    if flag(&raw.retryable) {
        e.with_message_suffix(
            "iyzico marked this refund retryable: it retries the refund itself and reports the result in a REFUND_RETRY_SUCCESS or REFUND_RETRY_FAILURE webhook; do not send it again",
        )
        .not_retry_safe()
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_retryable_refund_failure_says_iyzico_retries_it() {
        let text = r#"{"status": "failure", "errorCode": "10051", "errorMessage": "Kart limiti yetersiz",
                       "retryable": true}"#;
        let raw: RefundReply = crate::json::read_shape(text.as_bytes()).unwrap();
        let e = retryable_refund(&raw, reply::failure(&raw, 200));
        assert!(e.message().contains("REFUND_RETRY_SUCCESS"), "{e}");
        assert!(!e.retry_safe());
        let text = r#"{"status": "failure", "errorCode": "10051", "retryable": false}"#;
        let raw: RefundReply = crate::json::read_shape(text.as_bytes()).unwrap();
        let e = retryable_refund(&raw, reply::failure(&raw, 200));
        assert!(!e.message().contains("REFUND_RETRY"), "{e}");
    }

    #[test]
    fn bodies_in_the_sdk_order_without_odeme_fields() {
        let r: RefundPaymentRequest = parse_request(&json!({
            "paymentId": 10851937, "price": "0.50", "ip": "85.34.78.112", "currency": "TRY",
            "conversationId": "r-1", "refundable": "1.2"}))
        .unwrap();
        let (body, known) = refund_payment_body(&r).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"locale":"tr","conversationId":"r-1","paymentId":"10851937","price":"0.5","ip":"85.34.78.112","currency":"TRY"}"#
        );
        assert!(known.is_some());
        let c: CancelPaymentRequest = parse_request(&json!({
            "paymentId": "1", "ip": "85.34.78.112", "reason": "BUYER_REQUEST", "description": "d"}))
        .unwrap();
        assert_eq!(
            std::str::from_utf8(&cancel_payment_body(&c).unwrap()).unwrap(),
            r#"{"locale":"tr","paymentId":"1","ip":"85.34.78.112","reason":"buyer_request","description":"d"}"#
        );
    }

    #[test]
    fn refused_before_io() {
        let over: RefundPaymentRequest =
            parse_request(&json!({"paymentId": "1", "price": "2", "refundable": "1.99"})).unwrap();
        assert_eq!(
            refund_payment_body(&over).unwrap_err().field(),
            Some("price")
        );
        let zero: RefundPaymentRequest =
            parse_request(&json!({"paymentId": "1", "price": "0"})).unwrap();
        assert_eq!(
            refund_payment_body(&zero).unwrap_err().field(),
            Some("price")
        );
        assert!(parse_request::<RefundPaymentRequest>(
            &json!({"paymentId": "1", "price": "1.001"})
        )
        .is_err());
        let no_reason: CancelPaymentRequest =
            parse_request(&json!({"paymentId": "1", "description": "d"})).unwrap();
        assert_eq!(
            cancel_payment_body(&no_reason).unwrap_err().field(),
            Some("reason")
        );
        let cancelled = json!({"outcome": {"type": "status", "payment_id": "1", "paid_price": "1",
                                           "refunds": [], "cancelled": true}});
        let twice: CancelPaymentRequest =
            parse_request(&json!({"paymentId": "1", "details": cancelled})).unwrap();
        assert_eq!(
            cancel_payment_body(&twice).unwrap_err().field(),
            Some("paymentId")
        );
    }

    #[test]
    fn remaining_from_details() {
        let details = json!({"operation": "iyzico.payment_details", "outcome": {
            "type": "status", "state": "partially_refunded", "payment_id": "7", "paid_price": "1.2",
            "refunds": [{"amount": "0.5", "currency": "TRY"}, {"amount": "0.2"}], "cancelled": false}});
        let k = from_details("details", &details, "7").unwrap();
        assert_eq!(k.remaining, Decimal::from_str("0.5").unwrap());
        // The outcome alone works too; another payment id is refused.
        let k2 = from_details("details", &details["outcome"], "7").unwrap();
        assert_eq!(k, k2);
        let e = from_details("details", &details, "8").unwrap_err();
        assert_eq!(e.field(), Some("details"));
        let cancelled = json!({"type": "status", "payment_id": "7", "paid_price": "1.2",
                               "refunds": [], "cancelled": true});
        assert_eq!(
            from_details("details", &cancelled, "7").unwrap().remaining,
            Decimal::ZERO
        );
        // One of several payments under one conversationId.
        let several = json!({"type": "status", "payment_id": "9", "paid_price": "5", "refunds": [],
            "cancelled": false, "payments": [{"payment_id": "7", "paid_price": "3", "refunds": [], "cancelled": false}]});
        assert_eq!(
            from_details("details", &several, "7").unwrap().remaining,
            Decimal::from(3)
        );
        assert!(from_details("details", &json!({"type": "completed"}), "7").is_err());
        // A number where odeme writes a string reads as its exact digits (a `Value` parsed with
        // arbitrary precision keeps them): 100000000000000000.10 - 0.1 leaves exactly
        // 100000000000000000, which no binary float holds.
        let numbers: Value = serde_json::from_str(
            r#"{"type": "status", "payment_id": 7, "paid_price": 100000000000000000.10,
                "refunds": [{"amount": 0.1}], "cancelled": false}"#,
        )
        .unwrap();
        assert_eq!(
            from_details("details", &numbers, "7").unwrap().remaining,
            Decimal::from(100_000_000_000_000_000u64)
        );
        // A value of the wrong kind is refused, never read as absent.
        let e = from_details(
            "details",
            &json!({"type": "status", "payment_id": "7",
            "paid_price": "2", "refunds": [{"amount": {"v": 1}}]}),
            "7",
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("details"));
    }

    #[test]
    fn refund_signature_fields_are_normalised() {
        let text = r#"{"paymentId": "25180208", "price": 15.50, "currency": "TRY", "conversationId": "123456789"}"#;
        let raw: RefundReply = crate::json::read_shape(text.as_bytes()).unwrap();
        assert_eq!(
            refund_signature_fields(&raw),
            ["25180208", "15.5", "TRY", "123456789"].map(String::from)
        );
    }
}
