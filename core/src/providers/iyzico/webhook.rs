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
//! the message as their digits. `SUCCESS` is `paid`, `FAILURE` `failed`, anything else
//! `pending`.

use serde_json::Value;
use zeroize::Zeroizing;

use crate::config::IyzicoConfig;
use crate::error::Error;
use crate::outcome::{text, Notification, State};
use crate::sign;
use crate::webhook::{bad_signature, delivery_key, json_object, missing_header, Headers, Verified};

pub const SIGNATURE_HEADER: &str = "X-IYZ-SIGNATURE-V3";

const WHAT: &str = "the iyzico webhook";

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
    let status = text(&raw, "status");
    let state = match status.as_deref() {
        Some("SUCCESS") => State::Paid,
        Some("FAILURE") => State::Failed,
        _ => State::Pending,
    };
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
            event: text(&raw, "iyziEventType"),
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
