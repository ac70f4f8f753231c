//! `GET /__sim/webhook/PROVIDER/ID`: the exact webhook delivery the provider would POST for a
//! payment or order, as `{"headers": {...}, "body": "..."}`, so tests can feed it to a verifier
//! byte for byte. ID is the provider's id (iyzico `paymentId`, Paymes `paymesOrderId`) or the
//! merchant's reference (`conversationId`, `orderId`). An order not yet paid is first completed
//! as the payer would (so an order whose create reply was lost can still be finished).
//!
//! * iyzico (webhook V3, direct API shape of iyzico/iyzipay-php
//!   `samples/webhook_Signature_Validation.php`): JSON body `{paymentConversationId, merchantId,
//!   paymentId, status, iyziReferenceCode, iyziEventType: "API_AUTH", iyziEventTime,
//!   iyziPaymentId}`, header `X-IYZ-SIGNATURE-V3` = hex HMAC-SHA256 (key = secret key) over
//!   `secretKey + iyziEventType + paymentId + paymentConversationId + status`.
//!   `GET /__sim/webhook/iyzico/ID/REFUND_RETRY_SUCCESS` (or `_FAILURE`) gives the delivery of a
//!   refund iyzico retried (docs.iyzico.com's webhook page lists both event types), same shape.
//! * Paymes: the signed notification fields, form-encoded, as the hosted page's result.
//!
//! The delivery of one payment is the same every time (same `iyziReferenceCode` and event
//! time), as a provider's retry of one event is.

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::credentials::IYZICO_SECRET_KEY;
use crate::Shared;

/// The merchant id in iyzico's published webhook examples.
const IYZICO_MERCHANT_ID: u64 = 3382172;

/// `(status, body)` for `GET /__sim/webhook/PROVIDER/ID`.
pub(crate) fn delivery(shared: &Shared, rest: &str) -> (u16, Value) {
    let (provider, id) = rest.split_once('/').unwrap_or((rest, ""));
    if id.is_empty() {
        return (404, json!({"error": "use /__sim/webhook/PROVIDER/ID"}));
    }
    let found = match provider {
        "iyzico" => {
            // `ID/EVENT`: the delivery of another documented event of that payment
            // (`REFUND_RETRY_SUCCESS`, `REFUND_RETRY_FAILURE`: a refund iyzico retried).
            let (id, event) = match id.split_once('/') {
                Some((id, event)) if IYZICO_EVENTS.contains(&event) => (id, event),
                Some(_) => return (404, json!({"error": "unknown iyzico event", "id": id})),
                None => (id, "API_AUTH"),
            };
            iyzico(shared, id, event)
        }
        "paymes" => paymes(shared, id),
        _ => {
            return (
                404,
                json!({"error": "no webhooks for this provider in odeme-sim"}),
            )
        }
    };
    match found {
        Some(v) => (200, v),
        None => (404, json!({"error": "no such payment or order", "id": id})),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A number when the id is all digits (as iyzico sends ids), else a string.
fn id_value(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(n) if !id.starts_with('0') => json!(n),
        _ => json!(id),
    }
}

/// The `iyziEventType`s this simulator delivers (docs.iyzico.com, Webhook, direct format).
const IYZICO_EVENTS: &[&str] = &["API_AUTH", "REFUND_RETRY_SUCCESS", "REFUND_RETRY_FAILURE"];

fn iyzico(shared: &Shared, id: &str, event: &str) -> Option<Value> {
    let st = shared.lock();
    let store = &st.iyzico;
    let payment = match store.payments.get(id) {
        Some(p) => p.clone(),
        None => {
            let ids = store.by_conversation.get(id)?;
            let all: Vec<_> = ids.iter().filter_map(|i| store.payments.get(i)).collect();
            (*all
                .iter()
                .rev()
                .find(|p| p.success)
                .or_else(|| all.last())?)
            .clone()
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
    let mut mac =
        Hmac::<Sha256>::new_from_slice(IYZICO_SECRET_KEY.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    Some(json!({
        "headers": {"Content-Type": "application/json", "X-IYZ-SIGNATURE-V3": signature},
        "body": body,
    }))
}

fn paymes(shared: &Shared, id: &str) -> Option<Value> {
    let mut st = shared.lock();
    let key = if st.paymes.orders.contains_key(id) {
        id.to_owned()
    } else {
        st.paymes
            .orders
            .values()
            .find(|o| o.order_id == id)?
            .paymes_order_id
            .clone()
    };
    let order = st.paymes.orders.get_mut(&key)?;
    order.paid = true;
    let fields = crate::paymes::notification(order);
    drop(st);
    let mut form = form_urlencoded::Serializer::new(String::new());
    if let Value::Object(m) = &fields {
        for (k, v) in m {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            form.append_pair(k, &text);
        }
    }
    Some(json!({
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "body": form.finish(),
    }))
}
