//! iyzico webhooks (V3): header `X-IYZ-SIGNATURE-V3`, lowercase hex HMAC-SHA256 keyed by the
//! secret key over a message that starts with the secret key itself, parts concatenated with no
//! separator:
//!
//! * direct API payments: `secretKey + iyziEventType + paymentId + paymentConversationId + status`
//! * checkout form / pay with iyzico (the body has a `token`):
//!   `secretKey + iyziEventType + iyziPaymentId + token + paymentConversationId + status`
//!
//! (iyzico/iyzipay-php `samples/webhook_Signature_Validation.php`, iyzico/iyzipay-dotnet
//! `Iyzipay.Samples/Webhooks/WebhookSignatureValidation.cs`). JSON numbers (`paymentId`) enter
//! the message as their digits.
//!
//! `iyziEventType` says what a delivery is about ([`EVENTS`], from iyzico's webhook page): a
//! payment event's `status` is the payment's (`SUCCESS` paid, `FAILURE` failed, the documented
//! in-between statuses pending); a refund event (`REFUND_RETRY_SUCCESS`/`_FAILURE`,
//! `CONTACTLESS_REFUND`) is about a refund of a payment that *was* paid, and never reads as the
//! payment's fate; an event odeme does not know answers `unknown`. Only payment events resolve
//! journal rows.

use serde_json::Value;
use zeroize::Zeroizing;

use super::reply::iyzico_shape;
use crate::config::IyzicoConfig;
use crate::error::Error;
use crate::json::Scalar;
use crate::outcome::{Notification, State, Subject};
use crate::sign;
use crate::webhook::{bad_signature, delivery_key, json_object, missing_header, Headers, Verified};

pub const SIGNATURE_HEADER: &str = "X-IYZ-SIGNATURE-V3";

const WHAT: &str = "the iyzico webhook";

/// What an `iyziEventType` is about, and how its `status` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A payment attempt's result: `status` is the payment's.
    Payment,
    /// A refund: `status` is the refund's.
    Refund,
    /// A refund retried by iyzico that went through (whatever `status` says).
    RefundSucceeded,
    /// A refund retried by iyzico that failed for good: the payment stays paid.
    RefundFailed,
}

/// Every `iyziEventType` iyzico documents, with what it is about. Sources: docs.iyzico.com
/// "Webhook" (Turkish page, `ek-servisler/webhook`, direct format: `PAYMENT_API, API_AUTH,
/// THREE_DS_AUTH, THREE_DS_CALLBACK, BKM_AUTH, BALANCE, CONTACTLESS_AUTH, CONTACTLESS_REFUND,
/// REFUND_RETRY_FAILURE, REFUND_RETRY_SUCCESS`; the page's earlier version lists
/// `CHECKOUTFORM_AUTH` for the hosted page, which odeme's simulator and the SDK samples spell
/// `CHECKOUT_FORM_AUTH`: both are listed).
pub const EVENTS: &[(&str, Event)] = &[
    ("PAYMENT_API", Event::Payment),
    ("API_AUTH", Event::Payment),
    ("THREE_DS_AUTH", Event::Payment),
    ("THREE_DS_CALLBACK", Event::Payment),
    ("BKM_AUTH", Event::Payment),
    ("BALANCE", Event::Payment),
    ("CONTACTLESS_AUTH", Event::Payment),
    ("CHECKOUTFORM_AUTH", Event::Payment),
    ("CHECKOUT_FORM_AUTH", Event::Payment),
    ("CONTACTLESS_REFUND", Event::Refund),
    ("REFUND_RETRY_SUCCESS", Event::RefundSucceeded),
    ("REFUND_RETRY_FAILURE", Event::RefundFailed),
];

/// The payment statuses the webhook page documents that are neither success nor failure.
const IN_PROGRESS: &[&str] = &[
    "INIT_THREEDS",
    "CALLBACK_THREEDS",
    "BKM_POS_SELECTED",
    "INIT_APM",
    "INIT_CONTACTLESS",
];

/// What a delivery with `event` and `status` is about, and its state.
pub fn classify(event: Option<&str>, status: Option<&str>) -> (Subject, State) {
    let kind = event.and_then(|e| EVENTS.iter().find(|(name, _)| *name == e).map(|(_, k)| *k));
    match (kind, status) {
        (Some(Event::Payment), Some("SUCCESS")) => (Subject::Payment, State::Paid),
        (Some(Event::Payment), Some("FAILURE")) => (Subject::Payment, State::Failed),
        (Some(Event::Payment), Some(s)) if IN_PROGRESS.contains(&s) => {
            (Subject::Payment, State::Pending)
        }
        (Some(Event::Payment), _) => (Subject::Payment, State::Unknown),
        (Some(Event::RefundSucceeded), _) | (Some(Event::Refund), Some("SUCCESS")) => {
            (Subject::Refund, State::Refunded)
        }
        (Some(Event::RefundFailed), _) | (Some(Event::Refund), Some("FAILURE")) => {
            (Subject::Refund, State::RefundFailed)
        }
        (Some(Event::Refund), _) => (Subject::Refund, State::Unknown),
        // Not an event odeme knows: it may be about anything, so it says nothing. Refund-like
        // names still say what they are about.
        (None, _) => {
            let refund = event.is_some_and(|e| e.contains("REFUND"));
            let subject = if refund {
                Subject::Refund
            } else {
                Subject::Payment
            };
            (subject, State::Unknown)
        }
    }
}

iyzico_shape! {
    /// A webhook delivery's body: the fields odeme reads (iyzico's webhook page). Its `Debug` is
    /// not derived: `token` is a bearer handle on a checkout form's payment.
    struct Body<'a> {
        iyzi_event_type: Option<Scalar<'a>>,
        payment_id: Option<Scalar<'a>>,
        iyzi_payment_id: Option<Scalar<'a>>,
        token: Option<Scalar<'a>>,
        payment_conversation_id: Option<Scalar<'a>>,
        status: Option<Scalar<'a>>,
        iyzi_reference_code: Option<Scalar<'a>>,
    }
}

/// A body that is not the documented shape cannot be verified.
fn unverifiable(why: &str) -> Error {
    Error::new(
        crate::error::ErrorKind::Signature,
        format!("{WHAT} {why}, so it cannot be verified; do not trust it"),
    )
}

impl<'a> Body<'a> {
    /// The delivery's bytes (already known to be a JSON object) read as a delivery: a field of
    /// the wrong kind (an object where a scalar belongs), or a field odeme reads given twice
    /// (which of the two did iyzico sign?), is a body that cannot be verified.
    fn read(body: &'a [u8]) -> Result<Body<'a>, Error> {
        crate::json::read_shape(body).map_err(|e| unverifiable(&e.to_string()))
    }

    /// The signed message's parts after the secret key, in order.
    fn signed_fields(&self) -> Result<Vec<String>, Error> {
        let field = |v: &Option<Scalar<'_>>, k: &str| {
            v.as_deref()
                .map(str::to_owned)
                .ok_or_else(|| unverifiable(&format!("has no {k}")))
        };
        let event = field(&self.iyzi_event_type, "iyziEventType")?;
        let conversation = field(&self.payment_conversation_id, "paymentConversationId")?;
        let status = field(&self.status, "status")?;
        Ok(match self.token.as_deref() {
            Some(token) => vec![
                event,
                field(&self.iyzi_payment_id, "iyziPaymentId")?,
                token.to_owned(),
                conversation,
                status,
            ],
            None => vec![
                event,
                field(&self.payment_id, "paymentId")?,
                conversation,
                status,
            ],
        })
    }
}

/// The signed message's parts after the secret key, in order, for `body`.
pub fn signed_fields(body: &Value) -> Result<Vec<String>, Error> {
    // From its text (numbers as their exact digits; through the `Value` a number a float
    // reproduces would reach the reader as a float).
    let text = serde_json::to_string(body).map_err(|_| unverifiable("is not JSON"))?;
    Body::read(text.as_bytes())?.signed_fields()
}

/// The V3 signature (hex) of `body`'s fields with `secret_key`.
pub fn signature(secret_key: &str, fields: &[String]) -> String {
    let message = message(secret_key, fields);
    sign::iyzico_signature(secret_key, &[message.as_str()])
}

fn message(secret_key: &str, fields: &[String]) -> Zeroizing<String> {
    // Sized exactly: it never grows (a growing `String` frees its old buffer, key and all).
    let size = secret_key.len() + fields.iter().map(String::len).sum::<usize>();
    let mut m = Zeroizing::new(String::with_capacity(size));
    m.push_str(secret_key);
    for f in fields {
        m.push_str(f);
    }
    m
}

/// Verify one delivery.
pub(crate) fn verify(
    cfg: &IyzicoConfig,
    headers: &Headers<'_>,
    body: &[u8],
) -> Result<Verified, Error> {
    let received = headers
        .get(SIGNATURE_HEADER)
        .ok_or_else(|| missing_header(SIGNATURE_HEADER, WHAT))?;
    let raw = json_object(body, WHAT)?;
    let body = Body::read(body)?;
    let fields = body.signed_fields()?;
    let secret = cfg.secret_key.expose();
    let message = message(secret, &fields);
    if !sign::iyzico_verify(secret, &[message.as_str()], received) {
        return Err(bad_signature(WHAT));
    }
    let owned = |v: &Option<Scalar<'_>>| v.as_deref().map(str::to_owned);
    let checkout_form = body.token.is_some();
    let payment_id = if checkout_form {
        owned(&body.iyzi_payment_id)
    } else {
        owned(&body.payment_id)
    };
    let event = owned(&body.iyzi_event_type);
    let (subject, state) = classify(event.as_deref(), body.status.as_deref());
    let delivery = match body.iyzi_reference_code.as_deref() {
        Some(code) => delivery_key("iyzico", &["iyziReferenceCode", code]),
        None => {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            delivery_key("iyzico", &refs)
        }
    };
    let order_id = owned(&body.payment_conversation_id);
    Ok(Verified {
        notification: Notification {
            provider: "iyzico".to_owned(),
            event,
            subject,
            state,
            payment_id,
            order_id: order_id.clone(),
            duplicate: false,
            reply: None,
        },
        delivery,
        reference: order_id,
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_fields_of_a_value_keep_a_number_s_digits() {
        // `0.10` is a number a binary float reproduces only as `0.1`: the digits as sent are
        // what iyzico signed.
        let body: Value = serde_json::from_str(
            r#"{"iyziEventType":"API_AUTH","paymentId":10851936,"paymentConversationId":0.10,"status":"SUCCESS"}"#,
        )
        .unwrap();
        assert_eq!(
            signed_fields(&body).unwrap(),
            ["API_AUTH", "10851936", "0.10", "SUCCESS"]
        );
        let nested: Value = serde_json::from_str(
            r#"{"iyziEventType":"API_AUTH","paymentId":{"id":1},"paymentConversationId":"c","status":"SUCCESS"}"#,
        )
        .unwrap();
        let e = signed_fields(&nested).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Signature);
        assert!(e.message().contains("paymentId"), "{e}");
    }
}
