//! iyzico's webhook delivery (`GET /__sim/webhook/iyzico/ID`), webhook V3 in the direct API
//! shape of iyzico/iyzipay-php `samples/webhook_Signature_Validation.php`: JSON body
//! `{paymentConversationId, merchantId, paymentId, status, iyziReferenceCode, iyziEventType:
//! "API_AUTH", iyziEventTime, iyziPaymentId}`, header `X-IYZ-SIGNATURE-V3` = hex HMAC-SHA256
//! (key = secret key) over `secretKey + iyziEventType + paymentId + paymentConversationId +
//! status`. `ID/REFUND_RETRY_SUCCESS` (or `_FAILURE`) gives the delivery of a refund iyzico
//! retried (docs.iyzico.com's webhook page lists both event types), same shape. ID is the
//! `paymentId` or the merchant's `conversationId` (its latest successful payment, else its
//! latest).
//!
//! The delivery of one payment is the same every time (same `iyziReferenceCode` and event
//! time), as a provider's retry of one event is.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::Ctx;
use crate::credentials::IYZICO_SECRET_KEY;
use crate::sign::{hex, hmac_hex};

/// The merchant id in iyzico's published webhook examples.
const IYZICO_MERCHANT_ID: u64 = 3382172;

/// The `iyziEventType`s this simulator delivers (docs.iyzico.com, Webhook, direct format).
const IYZICO_EVENTS: &[&str] = &["API_AUTH", "REFUND_RETRY_SUCCESS", "REFUND_RETRY_FAILURE"];

/// A number when the id is all digits (as iyzico sends ids), else a string.
fn id_value(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(n) if !id.starts_with('0') => json!(n),
        _ => json!(id),
    }
}

/// The delivery for `ID` or `ID/EVENT`: `Ok(None)` when there is no such payment, `Err` (the
/// body of a 404) for an event this simulator does not deliver.
pub(crate) fn webhook(cx: &Ctx, id: &str) -> Result<Option<Value>, Value> {
    // `ID/EVENT`: the delivery of another documented event of that payment.
    let (id, event) = match id.split_once('/') {
        Some((id, event)) if IYZICO_EVENTS.contains(&event) => (id, event),
        Some(_) => return Err(json!({"error": "unknown iyzico event", "id": id})),
        None => (id, "API_AUTH"),
    };
    let st = cx.lock();
    let payment = match st.payments.get(id) {
        Some(p) => p.clone(),
        None => {
            let Some(ids) = st.by_conversation.get(id) else {
                return Ok(None);
            };
            let all: Vec<_> = ids.iter().filter_map(|i| st.payments.get(i)).collect();
            match all.iter().rev().find(|p| p.success).or_else(|| all.last()) {
                Some(p) => (*p).clone(),
                None => return Ok(None),
            }
        }
    };
    drop(st);
    let status = match event {
        "REFUND_RETRY_SUCCESS" => "SUCCESS",
        "REFUND_RETRY_FAILURE" => "FAILURE",
        _ if payment.success => "SUCCESS",
        _ => "FAILURE",
    };
    // A stable reference code per payment and event (UUID-shaped), as one event's retries
    // share it.
    let digest = Sha256::digest(format!("iyziReferenceCode:{}:{event}", payment.payment_id));
    let h = hex(&digest);
    let reference_code = format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    );
    let body = json!({
        "paymentConversationId": payment.conversation_id,
        "merchantId": IYZICO_MERCHANT_ID,
        "paymentId": id_value(&payment.payment_id),
        "status": status,
        "iyziReferenceCode": reference_code,
        "iyziEventType": event,
        "iyziEventTime": payment.created_ms + 1000,
        "iyziPaymentId": id_value(&payment.payment_id),
    })
    .to_string();
    let message = format!(
        "{IYZICO_SECRET_KEY}{event}{}{}{status}",
        payment.payment_id, payment.conversation_id
    );
    let signature = hmac_hex(IYZICO_SECRET_KEY, message.as_bytes());
    Ok(Some(json!({
        "headers": {"Content-Type": "application/json", "X-IYZ-SIGNATURE-V3": signature},
        "body": body,
    })))
}
