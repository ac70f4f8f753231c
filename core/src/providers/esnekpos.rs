//! EsnekPOS (Hoppa) pay-by-link: `SendPaymentRequest` creates a payment request (SMS, e-mail or
//! link only) and `SendPaymentRequestQuery` reports its payments.
//!
//! Credentials travel in the JSON body (`MERCHANT`, `MERCHANT_KEY`). Amounts are sent with a
//! comma (`"10,56"`), as the Hoppa documentation shows. Success requires both
//! `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`.

pub mod threed;

use crate::secret::WipingBuf;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{json_body, Call, Count, Flag, Text};
use crate::config::EsnekposConfig;
use crate::error::{self, provider_error, Error, ProviderFailure};
use crate::money::Amount;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{text, Outcome, PaymentReport, ReportedPayment, Response, State, Status};
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

/// EsnekPOS' operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    OperationDef {
        name: "esnekpos.send_payment_request",
        summary: "Send a pay-by-link request (SMS or e-mail)",
        method: Some("POST"),
        path: Some("/api/services/SendPaymentRequest"),
        outcome: &["payment_link"],
        example: r#"{"AMOUNT":"1","PHONE_NUMBER":"5554443322","MAIL":"a@b.co","TYPE":3,"PRODUCT":"P"}"#,
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
        summary: "A payment link's state with every payment made through it",
        method: Some("POST"),
        path: Some("/api/services/SendPaymentRequestQuery"),
        outcome: &["status"],
        example: r#"{"SEND_PAYMENT_REQUEST_ID":"1"}"#,
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
    RETURN_ORDER,
    // 3-D card payment and its query (issue 11): declared in `threed`.
    threed::PAY_3D,
    threed::PROCESS_QUERY,
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
) -> Result<WipingBuf, Error> {
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

fn post(call: &Call<'_, EsnekposConfig>, path: &str, body: WipingBuf) -> Result<Reply, Error> {
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

/// Whether a reply says the order or request does not exist: `RETURN_CODE` 400 is the query
/// services' code for *any* of their errors ("İşlem durum sorgulama servisinde oluşan hatalarda
/// bu mesaj dönmektedir", the vendor's error-code table), so only a 400 whose message says the
/// reference was not found ("... bulunamadı", "... not found") is one (UNVERIFIED.md: the
/// vendor publishes no such reply). Every other 400 is the provider's error, and a
/// reconciliation leaves its row pending.
pub(crate) fn says_not_found(raw: &Value) -> bool {
    if text(raw, "RETURN_CODE").as_deref() != Some("400") {
        return false;
    }
    ["RETURN_MESSAGE", "RETURN_MESSAGE_TR"]
        .iter()
        .filter_map(|k| text(raw, k))
        .any(|m| {
            let m = m.to_lowercase();
            m.contains("bulunamad") || m.contains("not found")
        })
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
    Ok(call.response(
        Outcome::PaymentLink { url, request_id },
        reference,
        reply.raw_of(&raw),
    ))
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
        if says_not_found(&raw) {
            let outcome = Outcome::Status(Status::not_found(None, Some(id_text.to_owned())));
            return Ok(call.response(outcome, None, reply.raw_of(&raw)));
        }
        return Err(failure(&raw, reply));
    }
    let payments: Vec<ReportedPayment> = raw
        .get("PAYMENTS")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(link_payment).collect())
        .unwrap_or_default();
    let paid: Vec<&ReportedPayment> = payments.iter().filter(|p| p.state == State::Paid).collect();
    let state = if !paid.is_empty() {
        State::Paid
    } else if payments.iter().any(|p| p.state == State::Refunded) {
        State::Refunded
    } else if payments.iter().any(|p| p.state == State::Cancelled) {
        State::Cancelled
    } else {
        // No successful payment yet: the link stays payable, failed attempts included.
        State::Pending
    };
    // What the payer paid through the link: the successful payment's amount in EsnekPOS's own
    // digits, or the amounts of several added exactly (written with EsnekPOS's decimal comma
    // when it used one).
    let amount = match paid.as_slice() {
        [] => None,
        [one] => one.paid_price.clone(),
        several => several
            .iter()
            .map(|p| p.paid_price.as_deref().and_then(decimal))
            .sum::<Option<Decimal>>()
            .map(|d| {
                let comma = several
                    .iter()
                    .any(|p| p.paid_price.as_deref().is_some_and(|a| a.contains(',')));
                let d = d.to_string();
                if comma {
                    d.replace('.', ",")
                } else {
                    d
                }
            }),
    };
    let message =
        match paid.len() {
            0 | 1 => payments
                .iter()
                .rev()
                .find(|p| p.state == state)
                .or(payments.last())
                .and_then(|p| p.message.clone())
                .or_else(|| text(&raw, "RETURN_MESSAGE")),
            n => {
                Some(format!(
            "the link was paid {n} times ({}): refund the extra payments by their ORDER_REF_NO",
            paid.iter()
                .map(|p| format!("{} {}", p.payment_id, p.paid_price.as_deref().unwrap_or("?")))
                .collect::<Vec<_>>()
                .join(", ")
        ))
            }
        };
    let report = paid.first().map(|first| PaymentReport {
        payment_id: first.payment_id.clone(),
        paid_price: amount.clone(),
        refunds: Vec::new(),
        cancelled: false,
        payments: payments.clone(),
    });
    Ok(Response {
        operation: call.op.name.into(),
        provider_reference: Some(id_text.to_owned()),
        outcome: Outcome::Status(Status {
            state,
            order_id: None,
            provider_order_id: Some(id_text.to_owned()),
            amount,
            currency: None,
            message,
            report,
        }),
        raw: reply.raw_of(&raw),
    })
}

/// One `PAYMENTS[]` item of a link query: `ORDER_REF_NO` (the key that `ProcessQuery` and
/// `OrderReturn` need; `REFNO` when absent), `AMOUNT`, `SUCCESS_TRANSACTION_ID`, and the state
/// from `PAYMENT_STATUS` (`Ödeme - Başarılı` paid, `Ödeme - Başarısız` failed, `İade...` refunded,
/// `İptal...` cancelled).
fn link_payment(p: &Value) -> ReportedPayment {
    let status = text(p, "PAYMENT_STATUS").unwrap_or_default();
    let state = if status.starts_with("Ödeme") && status.contains("Başarılı") {
        State::Paid
    } else if status.starts_with("Ödeme") && status.contains("Başarısız") {
        State::Failed
    } else if status.starts_with("İade") {
        State::Refunded
    } else if status.starts_with("İptal") {
        State::Cancelled
    } else {
        State::Pending
    };
    ReportedPayment {
        payment_id: text(p, "ORDER_REF_NO")
            .filter(|r| !r.is_empty())
            .or_else(|| text(p, "REFNO"))
            .unwrap_or_default(),
        state,
        paid_price: text(p, "AMOUNT"),
        currency: None,
        refunds: Vec::new(),
        cancelled: state == State::Cancelled,
        transaction_id: text(p, "SUCCESS_TRANSACTION_ID"),
        message: Some(status).filter(|s| !s.is_empty()),
    }
}

/// An EsnekPOS amount (`10.56`, or `10,56` as its replies sometimes write it), exactly.
fn decimal(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.replace(',', ".")).ok()
}

// ---- returns (cancel or refund) --------------------------------------------------------------

pub const ORDER_RETURN_PATH: &str = "/api/services/OrderReturn";

/// `esnekpos.return_order`: `POST /api/services/OrderReturn` (the full amount cancels, less
/// refunds; returns accumulate). `ProcessQuery` by the same `ORDER_REF_NUMBER` shows returns as
/// `TRANSACTIONS[]` entries (STATUS_ID 5 cancel, 7 refund): the declared reconciliation.
pub(crate) const RETURN_ORDER: OperationDef = OperationDef {
    name: "esnekpos.return_order",
    summary: "Return an order by ORDER_REF_NUMBER (the full amount cancels, less refunds)",
    method: Some("POST"),
    path: Some("/api/services/OrderReturn"),
    outcome: &["refund"],
    example: r#"{"ORDER_REF_NUMBER":"o-1","AMOUNT":"1.50"}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "esnekpos.process_query",
        by: "ORDER_REF_NUMBER",
        as_field: "ORDER_REF_NUMBER",
    },
    journal: Journaled {
        reference: None,
        amount: Some("AMOUNT"),
        currency: None,
    },
    steps: Steps::Esnekpos(StepFns {
        run: |call, req| return_order(call, parse_request(req)?),
        reply: |call, req, reply| return_order_reply(call, &parse_request(req)?, reply),
    }),
};

/// `esnekpos.return_order` request: `{ORDER_REF_NUMBER, AMOUNT, SYNC_WITH_POS?}` and odeme's
/// optional `refundable` (what remains, if the caller knows; never sent). odeme adds
/// `MERCHANT` and `MERCHANT_KEY`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnOrderRequest {
    #[serde(rename = "ORDER_REF_NUMBER")]
    pub order_ref_number: Text,
    #[serde(rename = "AMOUNT")]
    pub amount: Amount,
    /// true (odeme's default): ask the bank now; false: EsnekPOS may queue the return for its
    /// operations team, and only `ProcessQuery` shows the result later.
    #[serde(rename = "SYNC_WITH_POS", default)]
    pub sync_with_pos: Option<Flag>,
    #[serde(default)]
    pub refundable: Option<Amount>,
}

#[derive(Serialize)]
struct WireReturn<'a> {
    #[serde(rename = "MERCHANT")]
    merchant: &'a str,
    #[serde(rename = "MERCHANT_KEY")]
    merchant_key: &'a str,
    #[serde(rename = "ORDER_REF_NUMBER")]
    order_ref_number: &'a str,
    /// A JSON number with two decimals, as the documentation's example (`29.99`).
    #[serde(rename = "AMOUNT")]
    amount: Value,
    #[serde(rename = "SYNC_WITH_POS")]
    sync_with_pos: bool,
}

/// Validate a return (over-returns included, when odeme knows what remains) and serialize it
/// with the merchant's credentials.
pub fn return_order_body(
    cfg: &EsnekposConfig,
    req: &ReturnOrderRequest,
) -> Result<WipingBuf, Error> {
    validate::required("ORDER_REF_NUMBER", req.order_ref_number.as_str())?;
    validate::max_chars("ORDER_REF_NUMBER", req.order_ref_number.as_str(), 64)?;
    validate::positive("AMOUNT", req.amount)?;
    crate::refund::check_refundable(
        "AMOUNT",
        req.amount,
        crate::refund::from_refundable(req.refundable),
    )?;
    // Exact digits: serde_json keeps a number's text (arbitrary_precision), no f64 involved.
    let amount: Value = serde_json::from_str(&req.amount.dot2()).map_err(|_| {
        Error::new(
            crate::error::ErrorKind::Internal,
            "could not render the amount",
        )
    })?;
    json_body(&WireReturn {
        merchant: &cfg.merchant,
        merchant_key: cfg.merchant_key.expose(),
        order_ref_number: req.order_ref_number.as_str(),
        amount,
        sync_with_pos: req.sync_with_pos.map(|f| f.0).unwrap_or(true),
    })
}

fn return_order(
    call: &Call<'_, EsnekposConfig>,
    req: ReturnOrderRequest,
) -> Result<Response, Error> {
    let body = return_order_body(call.cfg, &req)?;
    let reply = post(call, ORDER_RETURN_PATH, body)?;
    return_order_reply(call, &req, &reply)
}

/// Interpret the reply to `OrderReturn`: `RETURN_CODE, RETURN_MESSAGE, STATUS, ORDER_REF_NUMBER,
/// REFNO` (the return's reference) and `TRANSACTION_ID` (when the bank approved at once). The
/// reply carries no amount, so the outcome repeats what was sent.
fn return_order_reply(
    call: &Call<'_, EsnekposConfig>,
    req: &ReturnOrderRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw = reply.json(lost)?;
    if !check(&raw, reply, lost)? {
        return Err(failure(&raw, reply));
    }
    let order_ref = text(&raw, "ORDER_REF_NUMBER")
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| req.order_ref_number.0.clone());
    let refund_id = text(&raw, "REFNO").filter(|r| !r.is_empty());
    let outcome = Outcome::Refund(crate::outcome::RefundOutcome {
        state: crate::refund::state_after(
            req.amount,
            crate::refund::from_refundable(req.refundable),
        ),
        amount: req.amount.dot2(),
        currency: None,
        payment_id: order_ref.clone(),
        refund_id: refund_id.clone(),
    });
    Ok(call.response(outcome, refund_id.or(Some(order_ref)), reply.raw_of(&raw)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn a_return_is_sent_with_an_exact_numeric_amount() {
        let cfg = EsnekposConfig {
            merchant: "TEST1234".into(),
            merchant_key: Secret::new("k"),
            base_url: "https://x".into(),
        };
        let req: ReturnOrderRequest =
            parse_request(&serde_json::json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "29.9"}))
                .unwrap();
        let body = return_order_body(&cfg, &req).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"MERCHANT":"TEST1234","MERCHANT_KEY":"k","ORDER_REF_NUMBER":"o-1","AMOUNT":29.90,"SYNC_WITH_POS":true}"#
        );
        let over: ReturnOrderRequest = parse_request(
            &serde_json::json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "5", "refundable": "4.99"}),
        )
        .unwrap();
        assert_eq!(
            return_order_body(&cfg, &over).unwrap_err().field(),
            Some("AMOUNT")
        );
    }
}
