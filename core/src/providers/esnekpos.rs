//! EsnekPOS (Hoppa) pay-by-link: `SendPaymentRequest` creates a payment request (SMS, e-mail or
//! link only) and `SendPaymentRequestQuery` reports its payments.
//!
//! Credentials travel in the JSON body (`MERCHANT`, `MERCHANT_KEY`). Amounts are sent with a
//! comma (`"10,56"`), as the Hoppa documentation shows. Success requires both
//! `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{json_body, Call, Count, Flag, Text};
use crate::config::EsnekposConfig;
use crate::error::{self, provider_error, Error, ProviderFailure};
use crate::money::Amount;
use crate::outcome::{text, Outcome, Response, State, Status};
use crate::registry::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

/// EsnekPOS' operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    OperationDef {
        name: "esnekpos.send_payment_request",
        sends: Sends::AtMostOnce,
        reconcile: Reconcile::Unavailable {
            advice: "SendPaymentRequest carries no merchant reference and SendPaymentRequestQuery needs the request id that only the lost reply had: check the EsnekPOS merchant panel (or the payer's SMS/e-mail) before sending another link",
        },
        journal: Journaled {
            reference: None,
            amount: Some("AMOUNT"),
            currency: None,
        },
        steps: Steps::Esnekpos(StepFns {
            run: |call, req| send_payment_request(call, parse_request(req)?),
            reply: |call, _, reply| send_payment_request_reply(call, reply),
        }),
    },
    OperationDef {
        name: "esnekpos.query_payment_request",
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Esnekpos(StepFns {
            run: |call, req| query_payment_request(call, parse_request(req)?),
            reply: |call, req, reply| {
                let r: QueryPaymentRequest = parse_request(req)?;
                query_payment_request_reply(call, r.send_payment_request_id.as_str(), reply)
            },
        }),
    },
];

pub const SEND_PAYMENT_REQUEST_PATH: &str = "/api/services/SendPaymentRequest";
pub const QUERY_PAYMENT_REQUEST_PATH: &str = "/api/services/SendPaymentRequestQuery";

/// `esnekpos.send_payment_request` request (Hoppa field names).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendPaymentRequest {
    #[serde(rename = "AMOUNT")]
    pub amount: Amount,
    /// Installment limit; 0 means no limit.
    #[serde(rename = "INSTALLMENT", default)]
    pub installment: Option<Count>,
    #[serde(rename = "PHONE_NUMBER")]
    pub phone_number: String,
    #[serde(rename = "MAIL")]
    pub mail: String,
    /// 1: send an SMS, 2: send an e-mail, 3: only generate the link.
    #[serde(rename = "TYPE")]
    pub kind: Count,
    #[serde(rename = "LOCALE", default)]
    pub locale: Option<String>,
    /// true: AMOUNT is what the card is charged; false: what reaches the merchant's account.
    #[serde(rename = "IS_TOTAL_AMOUNT", default)]
    pub is_total_amount: Option<Flag>,
    #[serde(rename = "PRODUCT")]
    pub product: String,
}

/// `esnekpos.query_payment_request` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryPaymentRequest {
    #[serde(rename = "SEND_PAYMENT_REQUEST_ID")]
    pub send_payment_request_id: Text,
}

#[derive(Serialize)]
struct WireSend<'a> {
    #[serde(rename = "MERCHANT")]
    merchant: &'a str,
    #[serde(rename = "MERCHANT_KEY")]
    merchant_key: &'a str,
    #[serde(rename = "AMOUNT")]
    amount: String,
    #[serde(rename = "INSTALLMENT")]
    installment: u32,
    #[serde(rename = "PHONE_NUMBER")]
    phone_number: &'a str,
    #[serde(rename = "MAIL")]
    mail: &'a str,
    #[serde(rename = "TYPE")]
    kind: u32,
    #[serde(rename = "LOCALE")]
    locale: &'a str,
    #[serde(rename = "IS_TOTAL_AMOUNT")]
    is_total_amount: bool,
    #[serde(rename = "PRODUCT")]
    product: &'a str,
}

#[derive(Serialize)]
struct WireQuery<'a> {
    #[serde(rename = "MERCHANT")]
    merchant: &'a str,
    #[serde(rename = "MERCHANT_KEY")]
    merchant_key: &'a str,
    #[serde(rename = "SEND_PAYMENT_REQUEST_ID")]
    id: Value,
}

/// Validate a payment request and serialize it with the merchant's credentials.
pub fn send_payment_request_body(
    cfg: &EsnekposConfig,
    req: &SendPaymentRequest,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    validate::positive("AMOUNT", req.amount)?;
    let installment = req.installment.map(|c| c.0).unwrap_or(0);
    if installment > 12 {
        return Err(Error::invalid_field(
            "INSTALLMENT",
            "must be 0 (no limit) to 12",
        ));
    }
    if !req.phone_number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_field(
            "PHONE_NUMBER",
            "must be digits only, e.g. 5554443322",
        ));
    }
    validate::phone("PHONE_NUMBER", &req.phone_number)?;
    validate::email("MAIL", &req.mail)?;
    if !(1..=3).contains(&req.kind.0) {
        return Err(Error::invalid_field(
            "TYPE",
            "must be 1 (SMS), 2 (e-mail) or 3 (link only)",
        ));
    }
    let locale = req.locale.as_deref().unwrap_or("tr");
    if locale != "tr" && locale != "en" {
        return Err(Error::invalid_field("LOCALE", "must be \"tr\" or \"en\""));
    }
    validate::required("PRODUCT", &req.product)?;
    let wire = WireSend {
        merchant: &cfg.merchant,
        merchant_key: cfg.merchant_key.expose(),
        amount: req.amount.comma2(),
        installment,
        phone_number: &req.phone_number,
        mail: &req.mail,
        kind: req.kind.0,
        locale,
        is_total_amount: req.is_total_amount.map(|f| f.0).unwrap_or(true),
        product: &req.product,
    };
    json_body(&wire)
}

fn post(
    call: &Call<'_, EsnekposConfig>,
    path: &str,
    body: Zeroizing<Vec<u8>>,
) -> Result<Reply, Error> {
    call.send(
        Method::Post,
        format!("{}{}", call.cfg.base_url, path),
        Body::Json(body),
        &|_| Vec::new(),
    )
}

/// Success needs `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`; a reply with neither field is
/// not an EsnekPOS answer at all.
fn check(raw: &Value, reply: &Reply, at_most_once: bool) -> Result<bool, Error> {
    let status = text(raw, "STATUS");
    let code = text(raw, "RETURN_CODE");
    if status.is_none() && code.is_none() {
        return Err(error::unreadable_reply(
            at_most_once,
            Some(reply.status),
            "the EsnekPOS reply has no STATUS or RETURN_CODE",
        ));
    }
    Ok(status.as_deref() == Some("SUCCESS") && code.as_deref() == Some("0"))
}

fn failure(raw: &Value, reply: &Reply) -> Error {
    let code = text(raw, "RETURN_CODE");
    let message = text(raw, "RETURN_MESSAGE_TR")
        .filter(|m| !m.trim().is_empty())
        .or_else(|| text(raw, "RETURN_MESSAGE"));
    let failure = classify(code.as_deref(), reply.status);
    provider_error(failure, code.as_deref(), message.as_deref(), reply.status)
}

/// EsnekPOS' documented return codes: 102 (AUTHENTICATION_ERROR) is credentials; 201
/// (PAYMENT_ERROR), 206 (3-D Secure failed), 34 (blocked), 103 (limit) are declines; the rest
/// provider errors.
pub(crate) fn classify(return_code: Option<&str>, http_status: u16) -> ProviderFailure {
    match return_code {
        _ if http_status == 401 || http_status == 403 => ProviderFailure::Auth,
        Some("102") => ProviderFailure::Auth,
        Some("201" | "206" | "34" | "103") => ProviderFailure::Declined,
        _ => ProviderFailure::Other,
    }
}

fn send_payment_request(
    call: &Call<'_, EsnekposConfig>,
    req: SendPaymentRequest,
) -> Result<Response, Error> {
    let body = send_payment_request_body(call.cfg, &req)?;
    let reply = post(call, SEND_PAYMENT_REQUEST_PATH, body)?;
    send_payment_request_reply(call, &reply)
}

/// Interpret the reply to `SendPaymentRequest`.
fn send_payment_request_reply(
    call: &Call<'_, EsnekposConfig>,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw = reply.json(lost)?;
    if !check(&raw, reply, lost)? {
        return Err(failure(&raw, reply));
    }
    let missing = |what: &str| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            &format!("EsnekPOS reported success without {what}"),
        )
    };
    let url = text(&raw, "URL").ok_or_else(|| missing("URL"))?;
    let request_id = text(&raw, "SendPaymentRequestId")
        .or_else(|| text(&raw, "SEND_PAYMENT_REQUEST_ID"))
        .ok_or_else(|| missing("SendPaymentRequestId"))?;
    let reference = Some(request_id.clone());
    Ok(call.response(Outcome::PaymentLink { url, request_id }, reference, raw))
}

fn query_payment_request(
    call: &Call<'_, EsnekposConfig>,
    req: QueryPaymentRequest,
) -> Result<Response, Error> {
    validate::required(
        "SEND_PAYMENT_REQUEST_ID",
        req.send_payment_request_id.as_str(),
    )?;
    let cfg = call.cfg;
    let id_text = req.send_payment_request_id.as_str();
    // The documentation's example sends the id as a JSON number.
    let id = match id_text.parse::<u64>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(id_text),
    };
    let body = json_body(&WireQuery {
        merchant: &cfg.merchant,
        merchant_key: cfg.merchant_key.expose(),
        id,
    })?;
    let reply = post(call, QUERY_PAYMENT_REQUEST_PATH, body)?;
    query_payment_request_reply(call, id_text, &reply)
}

/// Interpret the reply to `SendPaymentRequestQuery`.
fn query_payment_request_reply(
    call: &Call<'_, EsnekposConfig>,
    id_text: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw = reply.json(call.at_most_once())?;
    if !check(&raw, reply, call.at_most_once())? {
        if text(&raw, "RETURN_CODE").as_deref() == Some("400") {
            let outcome = Outcome::Status(Status::not_found(None, Some(id_text.to_owned())));
            return Ok(call.response(outcome, None, raw));
        }
        return Err(failure(&raw, reply));
    }
    let payments: Vec<&Value> = raw
        .get("PAYMENTS")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let status_of = |p: &Value| text(p, "PAYMENT_STATUS").unwrap_or_default();
    let paid = payments.iter().find(|p| {
        let s = status_of(p);
        s.contains("Başarılı") && s.starts_with("Ödeme")
    });
    let state = if paid.is_some() {
        State::Paid
    } else if payments.iter().any(|p| status_of(p).starts_with("İade")) {
        State::Refunded
    } else if payments.iter().any(|p| status_of(p).starts_with("İptal")) {
        State::Cancelled
    } else {
        // No successful payment yet: the link stays payable, failed attempts included.
        State::Pending
    };
    let last = payments.last().map(|p| status_of(p));
    Ok(Response {
        operation: call.op.name.into(),
        provider_reference: Some(id_text.to_owned()),
        outcome: Outcome::Status(Status {
            state,
            order_id: None,
            provider_order_id: Some(id_text.to_owned()),
            amount: text(&raw, "AMOUNT"),
            currency: None,
            message: paid
                .map(|p| status_of(p))
                .or(last)
                .or_else(|| text(&raw, "RETURN_MESSAGE")),
            report: None,
        }),
        raw,
    })
}
