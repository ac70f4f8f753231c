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

use crate::config::IyzicoConfig;
use crate::error::Error;
use crate::outcome::{text, Notification, State, Subject};
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

/// The signed message's parts after the secret key, in order, for `body`.
pub fn signed_fields(body: &Value) -> Result<Vec<String>, Error> {
    let field = |k: &str| {
        text(body, k).ok_or_else(|| {
            Error::new(
                crate::error::ErrorKind::Signature,
                format!("{WHAT} has no {k}, so it cannot be verified; do not trust it"),
            )
        })
    };
    let event = field("iyziEventType")?;
    let conversation = field("paymentConversationId")?;
    let status = field("status")?;
    Ok(match text(body, "token") {
        Some(token) => vec![event, field("iyziPaymentId")?, token, conversation, status],
        None => vec![event, field("paymentId")?, conversation, status],
    })
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
    let fields = signed_fields(&raw)?;
    let secret = cfg.secret_key.expose();
    let message = message(secret, &fields);
    if !sign::iyzico_verify(secret, &[message.as_str()], received) {
        return Err(bad_signature(WHAT));
    }
    let checkout_form = text(&raw, "token").is_some();
    let payment_id = if checkout_form {
        text(&raw, "iyziPaymentId")
    } else {
        text(&raw, "paymentId")
    };
    let event = text(&raw, "iyziEventType");
    let (subject, state) = classify(event.as_deref(), text(&raw, "status").as_deref());
    let delivery = match text(&raw, "iyziReferenceCode") {
        Some(code) => delivery_key("iyzico", &["iyziReferenceCode", &code]),
        None => {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            delivery_key("iyzico", &refs)
        }
    };
    let order_id = text(&raw, "paymentConversationId");
    Ok(Verified {
        notification: Notification {
            provider: "iyzico".to_owned(),
            event,
            subject,
            state,
            payment_id,
            order_id: order_id.clone(),
            duplicate: false,
        },
        delivery,
        reference: order_id,
        raw,
    })
}
