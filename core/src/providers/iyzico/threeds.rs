//! iyzico 3-D Secure: `init_3ds` (`POST /payment/3dsecure/initialize`), `verify_3ds_callback`
//! (the form iyzico posts to `callbackUrl`, checked with no I/O) and `complete_3ds`
//! (`POST /payment/v2/3dsecure/auth`, which moves the money).
//!
//! The flow: `init_3ds` answers `html` (the bank's page, `threeDSHtmlContent` base64-decoded) and
//! the `payment_id`; the payer authenticates; iyzico posts `status, paymentId, conversationData,
//! conversationId, mdStatus, signature` to `callbackUrl`; `verify_3ds_callback` checks the
//! signature (constant time) and says `authenticated` only for `status=success` and `mdStatus=1`;
//! only then does `complete_3ds` capture the payment.
//!
//! `complete_3ds`'s reply is the payment resource, signed over `paymentId, currency, basketId,
//! conversationId, paidPrice, price` as `/payment/auth`'s (iyzico's "response signature" page
//! lists this order for the v2 3-D auth).
//!
//! The reply signatures' field orders are the ones the official iyzipay Python SDK's samples
//! (v1.0.46) verify with the SDK's own `verify_signature`: `samples/initialize_threeds.py` and
//! `initialize_threeds_preauth.py` over `[paymentId, conversationId]`,
//! `samples/create_threeds_v2_payment.py` (and the v1 `create_threeds_payment.py`) over
//! `[paymentId, currency, basketId, conversationId, paidPrice, price]`.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::reply::{iyzico_reply, Answer as _};
use super::wire::{create_payment_body, CreatePaymentRequest, Locale};
use super::{create_payment_reply, reply, secret, send};
use crate::config::IyzicoConfig;
use crate::error::{self, signature_error, Error};
use crate::json::Scalar;
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Callback, CallbackState, Outcome, Response};
use crate::providers::{json_body, Call, Text};
use crate::sign;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request, Input};

pub const INIT_3DS_PATH: &str = "/payment/3dsecure/initialize";
pub const COMPLETE_3DS_PATH: &str = "/payment/v2/3dsecure/auth";

pub(crate) const INIT_3DS: OperationDef = OperationDef {
    name: "iyzico.init_3ds",
    summary: "Start 3-D Secure: create_payment's request plus callbackUrl; reply signed over paymentId:conversationId, threeDSHtmlContent decoded",
    method: Some("POST"),
    path: Some("/payment/3dsecure/initialize"),
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
        run: |call, req| init_3ds(call, req),
        reply: |call, _, reply| init_3ds_reply(call, reply),
    }),
};

pub(crate) const VERIFY_3DS_CALLBACK: OperationDef = OperationDef {
    name: "iyzico.verify_3ds_callback",
    summary: "Check the form iyzico posts to callbackUrl: signature over conversationData:conversationId:mdStatus:paymentId:status, constant time",
    method: None,
    path: None,
    outcome: &["callback"],
    example: r#"{"status":"success","paymentId":"1","conversationData":"","conversationId":"c-1","mdStatus":"1","signature":"0000"}"#,
    sends: Sends::Local,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| verify_3ds_callback(call, req),
        reply: |call, req, _| verify_3ds_callback(call, req),
    }),
};

pub(crate) const COMPLETE_3DS: OperationDef = OperationDef {
    name: "iyzico.complete_3ds",
    summary: "Complete an authenticated 3-D Secure payment: the money moves",
    method: Some("POST"),
    path: Some("/payment/v2/3dsecure/auth"),
    outcome: &["completed", "review"],
    example: r#"{"paymentId":"1","paidPrice":"1","basketId":"B1","currency":"TRY"}"#,
    sends: Sends::AtMostOnce,
    // The paymentId is required here (conversationId is optional), and it names exactly the
    // payment this call captures.
    reconcile: Reconcile::With {
        operation: "iyzico.payment_details",
        by: "paymentId",
        as_field: "paymentId",
    },
    journal: Journaled {
        reference: Some("paymentId"),
        amount: Some("paidPrice"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| complete_3ds(call, parse_request(req)?),
        reply: |call, _, reply| create_payment_reply(call, reply),
    }),
};

// ---- init_3ds -------------------------------------------------------------------------------

/// Split an `init_3ds` request into the create-payment request and the `callbackUrl`.
pub fn init_3ds_request(req: &Value) -> Result<(CreatePaymentRequest, String), Error> {
    let Some(obj) = req.as_object() else {
        return Err(Error::invalid_field("(request)", "must be a JSON object"));
    };
    let mut rest = obj.clone();
    let callback = match rest.remove("callbackUrl") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(Error::invalid_field(
                "callbackUrl",
                "must be a string (the https URL iyzico posts the 3-D Secure result to)",
            ))
        }
        None => {
            return Err(Error::invalid_field(
                "callbackUrl",
                "is required for 3-D Secure",
            ))
        }
    };
    // The copy holds the card too: wipe it whatever the parse says.
    let mut rest = Value::Object(rest);
    let payment = parse_request::<CreatePaymentRequest>(&rest);
    validate::scrub(&mut rest);
    let payment = payment?;
    check_url("callbackUrl", &callback)?;
    Ok((payment, callback))
}

pub(crate) fn check_url(field: &str, url: &str) -> Result<(), Error> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "http://".len() + 1
        && !url.chars().any(char::is_whitespace);
    if !ok {
        return Err(Error::invalid_field(
            field,
            "must be an absolute http(s) URL without spaces",
        ));
    }
    Ok(())
}

/// Validate an `init_3ds` request and serialize the exact body: the create-payment body (same
/// validation, same field order) with `callbackUrl` last, as the SDKs send it.
pub fn init_3ds_body(req: &Value) -> Result<crate::secret::WipingBuf, Error> {
    let (payment, callback) = init_3ds_request(req)?;
    let mut body = create_payment_body(&payment)?;
    let url = serde_json::to_vec(&callback).map_err(|_| {
        Error::new(
            crate::error::ErrorKind::Internal,
            "could not serialize callbackUrl",
        )
    })?;
    // `create_payment_body` writes one JSON object: replace its closing brace.
    if body.last() != Some(&b'}') {
        return Err(Error::new(
            crate::error::ErrorKind::Internal,
            "the payment body is not a JSON object",
        ));
    }
    // Through the buffer's own writes: a buffer outgrown here is wiped, card number and all.
    body.truncate(body.len() - 1);
    body.push(b",\"callbackUrl\":");
    body.push(&url);
    body.push(b"}");
    Ok(body)
}

fn init_3ds(call: &Call<'_, IyzicoConfig>, req: &Input<'_>) -> Result<Response, Error> {
    init_3ds_at(call, req, INIT_3DS_PATH)
}

/// `init_3ds`'s call at `path` (`/payment/3dsecure/initialize`, or its `/preauth` twin): the same
/// body, the same reply.
pub(crate) fn init_3ds_at(
    call: &Call<'_, IyzicoConfig>,
    req: &Input<'_>,
    path: &str,
) -> Result<Response, Error> {
    let body = match req {
        Input::Value(v) => init_3ds_body(v)?,
        Input::Text(_) => {
            // The parsed copy holds the card: wipe it whatever the body says.
            let mut v = req.to_value()?;
            let body = init_3ds_body(&v);
            validate::scrub(&mut v);
            body?
        }
    };
    let reply = send(call, Method::Post, path, "", Body::Json(body))?;
    init_3ds_reply(call, &reply)
}

/// Interpret the reply to `POST /payment/3dsecure/initialize`: signed over
/// `paymentId:conversationId`; `threeDSHtmlContent` is base64.
pub(crate) fn init_3ds_reply(
    call: &Call<'_, IyzicoConfig>,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: Init3dsReply = reply.typed(lost)?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let missing = |what: &str| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            &format!("iyzico reported success without {what}"),
        )
    };
    let payment_id = raw
        .payment_id
        .as_deref()
        .ok_or_else(|| missing("paymentId"))?;
    let conversation_id = raw.conversation_id.as_deref().unwrap_or_default();
    let encoded = raw
        .three_ds_html_content
        .as_deref()
        .ok_or_else(|| missing("threeDSHtmlContent"))?;
    reply::verify_fields(
        secret(call),
        raw.signature.as_deref(),
        &[
            ("paymentId", payment_id),
            ("conversationId", conversation_id),
        ],
        "the iyzico 3-D Secure initialize reply",
    )?;
    let html = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| missing("a base64 threeDSHtmlContent"))?;
    let outcome = Outcome::Html {
        html,
        order_id: Some(conversation_id.to_owned()).filter(|c| !c.is_empty()),
        provider_order_id: Some(payment_id.to_owned()),
        payment_id: Some(payment_id.to_owned()),
    };
    Ok(call.response(outcome, Some(payment_id.to_owned()), reply.raw()))
}

iyzico_reply! {
    /// The reply to `POST /payment/3dsecure/initialize` (and its `/preauth` twin).
    struct Init3dsReply<'a> {
        signature: Option<Scalar<'a>>,
        payment_id: Option<Scalar<'a>>,
        conversation_id: Option<Scalar<'a>>,
        #[serde(rename = "threeDSHtmlContent")]
        three_ds_html_content: Option<Scalar<'a>>,
    }
}

// ---- verify_3ds_callback ----------------------------------------------------------------------

/// The fields of iyzico's callback form, as posted (form-decoded). Other fields are ignored:
/// iyzico may add some, and the signature covers only these.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackRequest {
    #[serde(default)]
    pub status: Option<Text>,
    #[serde(default)]
    pub payment_id: Option<Text>,
    #[serde(default)]
    pub conversation_data: Option<Text>,
    #[serde(default)]
    pub conversation_id: Option<Text>,
    #[serde(default)]
    pub md_status: Option<Text>,
    #[serde(default)]
    pub signature: Option<String>,
}

/// Verify a 3-D Secure callback with `secret_key`: the signature over
/// `conversationData:conversationId:mdStatus:paymentId:status` (absent fields are empty and keep
/// their `:`), compared in constant time. No I/O.
pub fn verify_3ds_callback_with(
    secret_key: &str,
    req: &CallbackRequest,
) -> Result<Callback, Error> {
    let field = |t: &Option<Text>| t.as_ref().map(|t| t.0.clone()).unwrap_or_default();
    let data = field(&req.conversation_data);
    let conversation = field(&req.conversation_id);
    let md = field(&req.md_status);
    let payment = field(&req.payment_id);
    let status = field(&req.status);
    let Some(signature) = req.signature.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Err(signature_error(
            "the iyzico 3-D Secure callback (no signature)",
        ));
    };
    let fields = [
        data.as_str(),
        conversation.as_str(),
        md.as_str(),
        payment.as_str(),
        status.as_str(),
    ];
    if !sign::iyzico_verify(secret_key, &fields, signature) {
        return Err(signature_error("the iyzico 3-D Secure callback").with_message_suffix(
            "signed over conversationData:conversationId:mdStatus:paymentId:status with the secret key",
        ));
    }
    let state = if status == "success" && md.trim() == "1" {
        CallbackState::Authenticated
    } else {
        CallbackState::Failed
    };
    let some = |s: String| Some(s).filter(|s| !s.is_empty());
    Ok(Callback {
        state,
        md_status: some(md),
        payment_id: some(payment),
        conversation_id: some(conversation),
        conversation_data: some(data),
    })
}

fn verify_3ds_callback(call: &Call<'_, IyzicoConfig>, req: &Input<'_>) -> Result<Response, Error> {
    let parsed: CallbackRequest = parse_request(req)?;
    let cb = verify_3ds_callback_with(secret(call), &parsed)?;
    let reference = cb.payment_id.clone();
    // `raw` is what was posted, without the signature.
    let mut raw = req.to_value()?;
    if let Some(o) = raw.as_object_mut() {
        o.remove("signature");
    }
    Ok(call.response(Outcome::Callback(cb), reference, raw))
}

// ---- complete_3ds -----------------------------------------------------------------------------

/// `iyzico.complete_3ds` request (`CreateThreedsV2PaymentRequest` in the SDKs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Complete3dsRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub payment_id: Text,
    /// From the callback; passed through only when non-empty.
    #[serde(default)]
    pub conversation_data: Option<String>,
    pub paid_price: Amount,
    pub basket_id: String,
    pub currency: Currency,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireComplete<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    payment_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_data: Option<&'a str>,
    paid_price: String,
    basket_id: &'a str,
    currency: Currency,
}

/// Validate a `complete_3ds` request and serialize its body.
pub fn complete_3ds_body(req: &Complete3dsRequest) -> Result<crate::secret::WipingBuf, Error> {
    validate::required("paymentId", req.payment_id.as_str())?;
    validate::positive("paidPrice", req.paid_price)?;
    validate::required("basketId", &req.basket_id)?;
    validate::not_blank("conversationId", &req.conversation_id)?;
    json_body(&WireComplete {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_str(),
        conversation_data: req.conversation_data.as_deref().filter(|d| !d.is_empty()),
        paid_price: req.paid_price.iyzico(),
        basket_id: &req.basket_id,
        currency: req.currency,
    })
}

fn complete_3ds(call: &Call<'_, IyzicoConfig>, req: Complete3dsRequest) -> Result<Response, Error> {
    let body = complete_3ds_body(&req)?;
    let reply = send(call, Method::Post, COMPLETE_3DS_PATH, "", Body::Json(body))?;
    create_payment_reply(call, &reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pairs: &[(&str, &str)]) -> CallbackRequest {
        let mut m = serde_json::Map::new();
        for (k, v) in pairs {
            m.insert((*k).into(), Value::from(*v));
        }
        parse_request(&Value::Object(m)).unwrap()
    }

    #[test]
    fn the_published_callback_vector_verifies() {
        // iyzico/iyzipay-php samples/callbackUrl_Signature_Validation.php: `::1:22484292:success`.
        let cb = verify_3ds_callback_with(
            "jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl",
            &req(&[
                ("status", "success"),
                ("paymentId", "22484292"),
                ("conversationData", ""),
                ("conversationId", ""),
                ("mdStatus", "1"),
                (
                    "signature",
                    "a4f73b80bb32a6ef8358090bbd8609a49a7b53f463048f8ef147496e236d04f0",
                ),
            ]),
        )
        .unwrap();
        assert_eq!(cb.state, CallbackState::Authenticated);
        assert_eq!(cb.payment_id.as_deref(), Some("22484292"));
        assert_eq!(cb.md_status.as_deref(), Some("1"));
        assert_eq!(cb.conversation_data, None);
    }

    #[test]
    fn a_tampered_or_unsigned_callback_is_a_signature_error() {
        let base = [
            ("status", "success"),
            ("paymentId", "22484292"),
            ("conversationData", ""),
            ("conversationId", ""),
            ("mdStatus", "0"),
            (
                "signature",
                "a4f73b80bb32a6ef8358090bbd8609a49a7b53f463048f8ef147496e236d04f0",
            ),
        ];
        let e =
            verify_3ds_callback_with("jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl", &req(&base)).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Signature);
        let e = verify_3ds_callback_with("jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl", &req(&base[..5]))
            .unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Signature);
    }

    #[test]
    fn only_md_status_1_with_success_is_authenticated() {
        let secret = "s";
        for (status, md, want) in [
            ("success", "1", CallbackState::Authenticated),
            ("success", "0", CallbackState::Failed),
            ("failure", "1", CallbackState::Failed),
            ("failure", "4", CallbackState::Failed),
            ("success", "", CallbackState::Failed),
        ] {
            let sig = sign::iyzico_signature(secret, &["", "c1", md, "42", status]);
            let cb = verify_3ds_callback_with(
                secret,
                &req(&[
                    ("status", status),
                    ("paymentId", "42"),
                    ("conversationId", "c1"),
                    ("mdStatus", md),
                    ("signature", &sig),
                ]),
            )
            .unwrap();
            assert_eq!(cb.state, want, "{status} {md}");
            assert_eq!(cb.md_status.as_deref(), Some(md).filter(|m| !m.is_empty()));
        }
    }

    #[test]
    fn callback_url_is_spliced_last() {
        let v: Value = serde_json::json!({"callbackUrl": "https://shop.example/cb"});
        let e = init_3ds_body(&v).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::InvalidRequest);
        let e = init_3ds_body(&serde_json::json!({})).unwrap_err();
        assert_eq!(e.field(), Some("callbackUrl"));
    }
}
