//! EsnekPOS (Hoppa) pay-by-link: `SendPaymentRequest` creates a payment request (SMS, e-mail or
//! link only) and `SendPaymentRequestQuery` reports its payments.
//!
//! Credentials travel in the JSON body (`MERCHANT`, `MERCHANT_KEY`). Amounts are sent with a
//! comma (`"10,56"`), as the Hoppa documentation shows. Success requires both
//! `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{Count, Ctx, Flag, Text};
use crate::config::EsnekposConfig;
use crate::error::{self, provider_error, Error, ErrorKind};
use crate::money::Amount;
use crate::outcome::{text, Outcome, Response, State, Status};
use crate::transport::{Body, Reply, Request};
use crate::validate;

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
    if req.amount.is_zero() {
        return Err(Error::invalid_field("AMOUNT", "must be greater than zero"));
    }
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
    to_body(&wire)
}

fn to_body<T: Serialize>(wire: &T) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut buf = Zeroizing::new(Vec::with_capacity(512));
    serde_json::to_writer(&mut *buf, wire).map_err(|_| {
        Error::new(
            ErrorKind::Internal,
            "could not serialize the EsnekPOS request",
        )
    })?;
    Ok(buf)
}

fn config<'a>(ctx: &Ctx<'a>) -> Result<&'a EsnekposConfig, Error> {
    ctx.config
        .esnekpos
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Config, "esnekpos is not configured"))
}

fn post(
    ctx: &Ctx<'_>,
    cfg: &EsnekposConfig,
    path: &str,
    body: Zeroizing<Vec<u8>>,
    creates_order: bool,
) -> Result<Reply, Error> {
    let no_headers = |_: &[u8]| Vec::new();
    ctx.transport.send(&Request {
        url: format!("{}{}", cfg.base_url, path),
        body: Body::Json(body),
        headers: &no_headers,
        creates_order,
    })
}

/// Success needs `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`; a reply with neither field is
/// not an EsnekPOS answer at all.
fn check(raw: &Value, reply: &Reply, creates_order: bool) -> Result<bool, Error> {
    let status = text(raw, "STATUS");
    let code = text(raw, "RETURN_CODE");
    if status.is_none() && code.is_none() {
        return Err(error::unreadable_reply(
            creates_order,
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
    let failure = error::esnekpos_failure(code.as_deref(), reply.status);
    provider_error(failure, code.as_deref(), message.as_deref(), reply.status)
}

pub(crate) fn send_payment_request(
    ctx: &Ctx<'_>,
    req: SendPaymentRequest,
) -> Result<Response, Error> {
    let cfg = config(ctx)?;
    let body = send_payment_request_body(cfg, &req)?;
    let reply = post(ctx, cfg, SEND_PAYMENT_REQUEST_PATH, body, true)?;
    send_payment_request_reply(&reply)
}

/// Interpret the reply to `SendPaymentRequest`.
pub(crate) fn send_payment_request_reply(reply: &Reply) -> Result<Response, Error> {
    let raw = reply.json(true)?;
    if !check(&raw, reply, true)? {
        return Err(failure(&raw, reply));
    }
    let missing = |what: &str| {
        error::unreadable_reply(
            true,
            Some(reply.status),
            &format!("EsnekPOS reported success without {what}"),
        )
    };
    let url = text(&raw, "URL").ok_or_else(|| missing("URL"))?;
    let request_id = text(&raw, "SendPaymentRequestId")
        .or_else(|| text(&raw, "SEND_PAYMENT_REQUEST_ID"))
        .ok_or_else(|| missing("SendPaymentRequestId"))?;
    Ok(Response {
        operation: "esnekpos.send_payment_request".into(),
        provider_reference: Some(request_id.clone()),
        outcome: Outcome::PaymentLink { url, request_id },
        raw,
    })
}

pub(crate) fn query_payment_request(
    ctx: &Ctx<'_>,
    req: QueryPaymentRequest,
) -> Result<Response, Error> {
    validate::required(
        "SEND_PAYMENT_REQUEST_ID",
        req.send_payment_request_id.as_str(),
    )?;
    let cfg = config(ctx)?;
    let id_text = req.send_payment_request_id.as_str();
    // The documentation's example sends the id as a JSON number.
    let id = match id_text.parse::<u64>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::from(id_text),
    };
    let body = to_body(&WireQuery {
        merchant: &cfg.merchant,
        merchant_key: cfg.merchant_key.expose(),
        id,
    })?;
    let reply = post(ctx, cfg, QUERY_PAYMENT_REQUEST_PATH, body, false)?;
    query_payment_request_reply(id_text, &reply)
}

/// Interpret the reply to `SendPaymentRequestQuery`.
pub(crate) fn query_payment_request_reply(id_text: &str, reply: &Reply) -> Result<Response, Error> {
    let raw = reply.json(false)?;
    if !check(&raw, reply, false)? {
        if text(&raw, "RETURN_CODE").as_deref() == Some("400") {
            return Ok(Response {
                operation: "esnekpos.query_payment_request".into(),
                outcome: Outcome::Status(Status::not_found(None, Some(id_text.to_owned()))),
                provider_reference: None,
                raw,
            });
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
        operation: "esnekpos.query_payment_request".into(),
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
        }),
        raw,
    })
}
