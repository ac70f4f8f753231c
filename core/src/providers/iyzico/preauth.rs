//! Authorize now, capture later (iyzico): `preauth_payment` (`POST /payment/preauth`, the
//! create-payment body), `init_3ds_preauth` (`POST /payment/3dsecure/initialize/preauth`, the
//! `init_3ds` body; `complete_3ds` then answers `authorized`) and `capture_payment`
//! (`POST /payment/postauth`). An authorization is released with `iyzico.cancel_payment`.
//!
//! Sources: iyzico/iyzipay-php `Model/PaymentPreAuth.php` (`/payment/preauth`, a
//! `CreatePaymentRequest`), `Model/ThreedsInitializePreAuth.php`, `Model/PaymentPostAuth.php` and
//! `Request/CreatePaymentPostAuthRequest.php` (`locale, conversationId, paymentId, ip, paidPrice,
//! currency`, in that order), `samples/create_payment_postauth.php` (the reply is the payment
//! resource, its signature over `paymentId, currency, basketId, conversationId, paidPrice,
//! price`); docs.iyzico.com "Ön Provizyon Entegrasyonu" (a successful preauth answers `"phase":
//! "PRE_AUTH"`; the capture may be less than the authorization) and "Create PostAuth Payment".

use serde::{Deserialize, Serialize};

use super::wire::{CreatePaymentRequest, Locale};
use super::{create_payment_reply, send};
use crate::config::IyzicoConfig;
use crate::error::Error;
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::Response;
use crate::providers::{json_body, Call, Text};
use crate::refund::{check_refundable, Refundable};
use crate::transport::{Body, Method};
use crate::validate::{self, parse_request};

pub const PREAUTH_PATH: &str = "/payment/preauth";
pub const INIT_3DS_PREAUTH_PATH: &str = "/payment/3dsecure/initialize/preauth";
pub const POSTAUTH_PATH: &str = "/payment/postauth";

/// `iyzico.preauth_payment`: the create-payment request, answered `authorized`.
pub(crate) const PREAUTH_PAYMENT: OperationDef = OperationDef {
    name: "iyzico.preauth_payment",
    summary: "Authorize a card payment now and capture it later (the create-payment body; the bank holds the amount)",
    method: Some("POST"),
    path: Some(PREAUTH_PATH),
    outcome: &["authorized", "review"],
    example: r#"{"conversationId":"c-1","price":"1","paidPrice":"1","installment":1,"paymentCard":{"cardHolderName":"A B","cardNumber":"5528790000000008","expireMonth":"12","expireYear":"2031","cvc":"123"},"buyer":{"id":"B","name":"A","surname":"B","identityNumber":"11111111110","email":"a@b.co","registrationAddress":"A","city":"I","country":"T","ip":"127.0.0.1"},"billingAddress":{"contactName":"A B","city":"I","country":"T","address":"A"},"basketItems":[{"id":"I","name":"N","category1":"C","itemType":"VIRTUAL","price":"1"}]}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "iyzico.payment_details",
        by: "conversationId",
        as_field: "paymentConversationId",
    },
    journal: Journaled {
        reference: Some("conversationId"),
        amount: Some("paidPrice"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| {
            super::create_payment_at(
                call,
                parse_request::<CreatePaymentRequest>(req)?,
                PREAUTH_PATH,
            )
        },
        reply: |call, _, reply| create_payment_reply(call, reply),
    }),
};

/// `iyzico.init_3ds_preauth`: `init_3ds` at the pre-authorization path.
pub(crate) const INIT_3DS_PREAUTH: OperationDef = OperationDef {
    name: "iyzico.init_3ds_preauth",
    summary: "Start a 3-D Secure pre-authorization: init_3ds's request; complete_3ds then answers authorized",
    method: Some("POST"),
    path: Some(INIT_3DS_PREAUTH_PATH),
    outcome: &["html"],
    example: r#"{"conversationId":"c-1","price":"1","paidPrice":"1","installment":1,"paymentCard":{"cardHolderName":"A B","cardNumber":"5528790000000008","expireMonth":"12","expireYear":"2031","cvc":"123"},"buyer":{"id":"B","name":"A","surname":"B","identityNumber":"11111111110","email":"a@b.co","registrationAddress":"A","city":"I","country":"T","ip":"127.0.0.1"},"billingAddress":{"contactName":"A B","city":"I","country":"T","address":"A"},"basketItems":[{"id":"I","name":"N","category1":"C","itemType":"VIRTUAL","price":"1"}],"callbackUrl":"https://merchant.example/cb"}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "iyzico.payment_details",
        by: "conversationId",
        as_field: "paymentConversationId",
    },
    journal: Journaled {
        reference: Some("conversationId"),
        amount: Some("paidPrice"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| super::threeds::init_3ds_at(call, req, INIT_3DS_PREAUTH_PATH),
        reply: |call, _, reply| super::threeds::init_3ds_reply(call, reply),
    }),
};

/// `iyzico.capture_payment`: close an authorization for up to its amount.
pub(crate) const CAPTURE_PAYMENT: OperationDef = OperationDef {
    name: "iyzico.capture_payment",
    summary:
        "Capture an authorization: up to the authorized amount, once (less captures part of it)",
    method: Some("POST"),
    path: Some(POSTAUTH_PATH),
    outcome: &["completed"],
    example: r#"{"paymentId":"1","paidPrice":"1","ip":"127.0.0.1","currency":"TRY"}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "iyzico.payment_details",
        by: "paymentId",
        as_field: "paymentId",
    },
    // One capture per authorization: a second one with the same paymentId is refused by the
    // journal before any I/O, like any at-most-once call with a journaled reference.
    journal: Journaled {
        reference: Some("paymentId"),
        amount: Some("paidPrice"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| capture_payment(call, parse_request(req)?),
        reply: |call, _, reply| create_payment_reply(call, reply),
    }),
};

/// `iyzico.capture_payment` request (`CreatePaymentPostAuthRequest` in the SDKs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CaptureRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub payment_id: Text,
    /// What to capture: up to the authorized amount (less captures part of it).
    pub paid_price: Amount,
    pub ip: String,
    pub currency: Currency,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireCapture<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    payment_id: &'a str,
    ip: &'a str,
    paid_price: String,
    currency: Currency,
}

/// Validate a capture request and serialize its body in the SDK's order.
pub fn capture_body(req: &CaptureRequest) -> Result<crate::secret::WipingBuf, Error> {
    validate::required("paymentId", req.payment_id.as_str())?;
    validate::positive("paidPrice", req.paid_price)?;
    validate::required("ip", &req.ip)?;
    validate::not_blank("conversationId", &req.conversation_id)?;
    json_body(&WireCapture {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_str(),
        ip: &req.ip,
        paid_price: req.paid_price.iyzico(),
        currency: req.currency,
    })
}

/// The operations whose journal rows say what an authorization holds, by their declared names:
/// the amount of the `preauth_payment` whose reply gave the id, or of the `complete_3ds` sent
/// with it (a 3-D pre-authorization), less every capture of it that is not `failed`, nothing
/// once it was released (cancelled).
fn journal_ops() -> crate::journal::RefundOps {
    crate::journal::RefundOps {
        paid_by_provider_reference: PREAUTH_PAYMENT.name,
        paid_by_reference: super::threeds::COMPLETE_3DS.name,
        cancel: super::refund::CANCEL_PAYMENT.name,
        refund: CAPTURE_PAYMENT.name,
    }
}

/// Refuse a capture of more than the journal says the authorization holds.
fn check_capturable(req: &CaptureRequest, known: Option<Refundable>) -> Result<(), Error> {
    let Some(k) = known else { return Ok(()) };
    check_refundable("paidPrice", req.paid_price, Some(k)).map_err(|_| {
        let what = if k.remaining <= rust_decimal::Decimal::ZERO {
            "nothing remains of this authorization (per the payment journal): it was captured or released".to_owned()
        } else {
            format!(
                "is more than the {} this authorization holds (per the payment journal); capture at most that",
                k.remaining.normalize()
            )
        };
        Error::invalid_field("paidPrice", what)
    })
}

fn capture_payment(call: &Call<'_, IyzicoConfig>, req: CaptureRequest) -> Result<Response, Error> {
    let body = capture_body(&req)?;
    if let Some(intent) = call.intent {
        let known = intent
            .journal()
            .refundable(req.payment_id.as_str(), journal_ops())?;
        check_capturable(&req, known)?;
    }
    let reply = send(call, Method::Post, POSTAUTH_PATH, "", Body::Json(body))?;
    create_payment_reply(call, &reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn capture_bodies_in_the_sdk_order() {
        let r: CaptureRequest = parse_request(&json!({
            "paymentId": 10851937, "paidPrice": "1.20", "ip": "85.34.78.112", "currency": "TRY",
            "conversationId": "c-1"}))
        .unwrap();
        let body = capture_body(&r).unwrap();
        assert_eq!(
            std::str::from_utf8(body.as_bytes()).unwrap(),
            r#"{"locale":"tr","conversationId":"c-1","paymentId":"10851937","ip":"85.34.78.112","paidPrice":"1.2","currency":"TRY"}"#
        );
        let e = parse_request::<CaptureRequest>(
            &json!({"paymentId": "1", "paidPrice": "1", "currency": "TRY"}),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("ip"));
    }

    #[test]
    fn a_capture_above_the_authorization_is_refused() {
        let r: CaptureRequest = parse_request(&json!({
            "paymentId": "1", "paidPrice": "10.01", "ip": "1.2.3.4", "currency": "TRY"}))
        .unwrap();
        let held = |d: i64| Refundable {
            remaining: rust_decimal::Decimal::new(d, 2),
            source: "the payment journal",
        };
        let e = check_capturable(&r, Some(held(1000))).unwrap_err();
        assert_eq!(e.field(), Some("paidPrice"));
        assert!(e.message().contains("more than the 10"), "{e}");
        assert!(check_capturable(&r, Some(held(1001))).is_ok());
        let e = check_capturable(&r, Some(held(0))).unwrap_err();
        assert!(e.message().contains("captured or released"), "{e}");
        assert!(check_capturable(&r, None).is_ok());
    }
}
