//! EsnekPOS (Hoppa) pay-by-link: `SendPaymentRequest` creates a payment request (SMS, e-mail or
//! link only) and `SendPaymentRequestQuery` reports its payments.
//!
//! Credentials travel in the JSON body (`MERCHANT`, `MERCHANT_KEY`). Amounts are sent with a
//! comma (`"10,56"`), as the Hoppa documentation shows. Success requires both
//! `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`.

/// Declares an EsnekPOS reply shape: the fields every reply has (`STATUS`, `RETURN_CODE`,
/// `RETURN_MESSAGE`, `RETURN_MESSAGE_TR`, seen through [`Head`]) and the operation's own, every
/// key the field's name in capitals (serde reads them all in one pass, borrowed).
macro_rules! esnekpos_reply {
    ($(#[$meta:meta])* $name:ident<$a:lifetime> { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        struct $name<$a> {
            #[serde(borrow)]
            status: Option<$crate::json::Scalar<$a>>,
            #[serde(borrow)]
            return_code: Option<$crate::json::Scalar<$a>>,
            #[serde(borrow)]
            return_message: Option<$crate::json::Scalar<$a>>,
            #[serde(borrow)]
            return_message_tr: Option<$crate::json::Scalar<$a>>,
            $($(#[$fmeta])* $field: $ty,)*
        }

        impl $name<'_> {
            fn head(&self) -> $crate::providers::esnekpos::Head<'_> {
                $crate::providers::esnekpos::Head {
                    status: self.status.as_deref(),
                    code: self.return_code.as_deref(),
                    message: self.return_message.as_deref(),
                    message_tr: self.return_message_tr.as_deref(),
                }
            }
        }
    };
}

pub mod threed;

use crate::secret::WipingBuf;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{json_body, Call, Count, Flag, Text};
use crate::config::EsnekposConfig;
use crate::error::{self, provider_error, Error, ProviderFailure};
use crate::json::{filled, owned};
use crate::money::Amount;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::json::Scalar;
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, PaymentReport, ReportedPayment, Response, State, Status};
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

// ---- replies ------------------------------------------------------------------------------------

/// What every EsnekPOS reply says of itself: `STATUS`, `RETURN_CODE` and its messages
/// (`RETURN_MESSAGE`, `RETURN_MESSAGE_TR`); see [`head_of`].
pub(crate) struct Head<'r> {
    pub status: Option<&'r str>,
    pub code: Option<&'r str>,
    pub message: Option<&'r str>,
    pub message_tr: Option<&'r str>,
}

esnekpos_reply! {
    /// The `SendPaymentRequest` reply: `{RETURN_CODE, RETURN_MESSAGE, STATUS, URL,
    /// SendPaymentRequestId}`.
    LinkReply<'a> {
        #[serde(borrow)]
        url: Option<Scalar<'a>>,
        /// As the documentation's example writes it.
        #[serde(borrow, rename = "SendPaymentRequestId")]
        send_payment_request_id: Option<Scalar<'a>>,
        /// As the query service names it.
        #[serde(borrow, rename = "SEND_PAYMENT_REQUEST_ID")]
        send_payment_request_id_upper: Option<Scalar<'a>>,
    }
}

esnekpos_reply! {
    /// The `SendPaymentRequestQuery` reply: the common fields and `PAYMENTS[]`.
    LinkQueryReply<'a> {
        #[serde(borrow)]
        payments: Option<Vec<LinkPayment<'a>>>,
    }
}

/// One `PAYMENTS[]` item of a link query (see [`link_payment`]).
#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct LinkPayment<'a> {
    #[serde(borrow)]
    payment_status: Option<Scalar<'a>>,
    #[serde(borrow)]
    order_ref_no: Option<Scalar<'a>>,
    #[serde(borrow)]
    refno: Option<Scalar<'a>>,
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
    #[serde(borrow)]
    success_transaction_id: Option<Scalar<'a>>,
}

esnekpos_reply! {
    /// The `OrderReturn` reply: `RETURN_CODE, RETURN_MESSAGE, STATUS, ORDER_REF_NUMBER, REFNO,
    /// TRANSACTION_ID`.
    ReturnReply<'a> {
        #[serde(borrow)]
        order_ref_number: Option<Scalar<'a>>,
        #[serde(borrow)]
        refno: Option<Scalar<'a>>,
    }
}

/// Success needs `STATUS == "SUCCESS"` and `RETURN_CODE == "0"`; a reply with neither field is
/// not an EsnekPOS answer at all.
fn check(head: &Head<'_>, reply: &Reply, at_most_once: bool) -> Result<bool, Error> {
    if head.status.is_none() && head.code.is_none() {
        return Err(error::unreadable_reply(
            at_most_once,
            Some(reply.status),
            "the EsnekPOS reply has no STATUS or RETURN_CODE",
        ));
    }
    Ok(head.status == Some("SUCCESS") && head.code == Some("0"))
}

/// Whether a reply says the order or request does not exist: `RETURN_CODE` 400 is the query
/// services' code for *any* of their errors ("İşlem durum sorgulama servisinde oluşan hatalarda
/// bu mesaj dönmektedir", the vendor's error-code table), so only a 400 whose message says the
/// reference was not found ("... bulunamadı", "... not found") is one (UNVERIFIED.md: the
/// vendor publishes no such reply). Every other 400 is the provider's error, and a
/// reconciliation leaves its row pending.
pub(crate) fn says_not_found(head: &Head<'_>) -> bool {
    if head.code != Some("400") {
        return false;
    }
    [head.message, head.message_tr]
        .into_iter()
        .flatten()
        .any(|m| {
            let m = m.to_lowercase();
            m.contains("bulunamad") || m.contains("not found")
        })
}

fn failure(head: &Head<'_>, reply: &Reply) -> Error {
    let code = head.code;
    let message = head
        .message_tr
        .filter(|m| !m.trim().is_empty())
        .or(head.message);
    let failure = classify(code, reply.status);
    provider_error(failure, code, message, reply.status)
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
    let raw: LinkReply<'_> = reply.typed(lost)?;
    let head = raw.head();
    if !check(&head, reply, lost)? {
        return Err(failure(&head, reply));
    }
    let missing = |what: &str| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            &format!("EsnekPOS reported success without {what}"),
        )
    };
    let url = owned(raw.url.as_ref()).ok_or_else(|| missing("URL"))?;
    let request_id = owned(
        raw.send_payment_request_id
            .as_ref()
            .or(raw.send_payment_request_id_upper.as_ref()),
    )
    .ok_or_else(|| missing("SendPaymentRequestId"))?;
    let reference = Some(request_id.clone());
    Ok(call.response(
        Outcome::PaymentLink { url, request_id },
        reference,
        reply.raw(),
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
    let raw: LinkQueryReply<'_> = reply.typed(call.at_most_once())?;
    let head = raw.head();
    if !check(&head, reply, call.at_most_once())? {
        if says_not_found(&head) {
            let outcome = Outcome::Status(Status::not_found(None, Some(id_text.to_owned())));
            return Ok(call.response(outcome, None, reply.raw()));
        }
        return Err(failure(&head, reply));
    }
    let payments: Vec<ReportedPayment> = raw.payments.iter().flatten().map(link_payment).collect();
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
                .or_else(|| head.message.map(str::to_owned)),
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
        raw: reply.raw(),
    })
}

/// One `PAYMENTS[]` item of a link query: `ORDER_REF_NO` (the key that `ProcessQuery` and
/// `OrderReturn` need; `REFNO` when absent), `AMOUNT`, `SUCCESS_TRANSACTION_ID`, and the state
/// from `PAYMENT_STATUS` (`Ödeme - Başarılı` paid, `Ödeme - Başarısız` failed, `İade...` refunded,
/// `İptal...` cancelled).
fn link_payment(p: &LinkPayment<'_>) -> ReportedPayment {
    let status = owned(p.payment_status.as_ref()).unwrap_or_default();
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
        payment_id: filled(p.order_ref_no.as_ref())
            .or_else(|| owned(p.refno.as_ref()))
            .unwrap_or_default(),
        state,
        paid_price: owned(p.amount.as_ref()),
        currency: None,
        refunds: Vec::new(),
        cancelled: state == State::Cancelled,
        transaction_id: owned(p.success_transaction_id.as_ref()),
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
    let raw: ReturnReply<'_> = reply.typed(lost)?;
    let head = raw.head();
    if !check(&head, reply, lost)? {
        return Err(failure(&head, reply));
    }
    let order_ref =
        filled(raw.order_ref_number.as_ref()).unwrap_or_else(|| req.order_ref_number.0.clone());
    let refund_id = filled(raw.refno.as_ref());
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
    Ok(call.response(outcome, refund_id.or(Some(order_ref)), reply.raw()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::secret::Secret;

    fn client() -> crate::Client {
        crate::Client::from_json(r#"{"esnekpos": {"merchant": "TEST1234", "merchant_key": "k"}}"#)
            .unwrap()
    }

    /// Numbers where EsnekPOS documents strings (`AMOUNT`, `STATUS_ID`, `RETURN_CODE`) are read
    /// as their exact digits; a key the shape reads, given twice, refuses the reply:
    /// `outcome_unknown` for a return or a 3-D payment, `decode` for a query.
    #[test]
    fn typed_replies_read_numbers_exactly_and_refuse_a_repeated_key() {
        let c = client();
        let q = serde_json::json!({"ORDER_REF_NUMBER": "o-1"});
        let paid = br#"{"STATUS":"SUCCESS","RETURN_CODE":0,"RETURN_MESSAGE":"SUCCESS","REFNO":403998,"AMOUNT":151.250,"ORDER_REF_NO":"o-1","TRANSACTIONS":[{"STATUS_ID":"3","AMOUNT":151.250}]}"#;
        let r = c
            .interpret_reply("esnekpos.process_query", q.clone(), 200, paid.to_vec())
            .unwrap();
        let Outcome::Status(s) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(
            (s.state, s.amount.as_deref(), s.provider_order_id.as_deref()),
            (State::Paid, Some("151.250"), Some("403998"))
        );
        let twice = br#"{"STATUS":"SUCCESS","RETURN_CODE":"0","TRANSACTIONS":[{"STATUS_ID":4,"STATUS_ID":3}]}"#;
        let e = c
            .interpret_reply("esnekpos.process_query", q, 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("TRANSACTIONS[0].STATUS_ID"), "{e}");

        let ret = serde_json::json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "1.50"});
        let twice = br#"{"STATUS":"SUCCESS","RETURN_CODE":"201","RETURN_CODE":"0","REFNO":"9"}"#;
        let e = c
            .interpret_reply("esnekpos.return_order", ret.clone(), 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        let ok = br#"{"STATUS":"SUCCESS","RETURN_CODE":"0","ORDER_REF_NUMBER":"o-1","REFNO":9}"#;
        let r = c
            .interpret_reply("esnekpos.return_order", ret, 200, ok.to_vec())
            .unwrap();
        assert_eq!(r.provider_reference.as_deref(), Some("9"));
    }

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
