//! iyzico: the operations' declarations and their calls.
//!
//! Requests are JSON, serialized once in the SDKs' field order with prices as strings by the SDK
//! rule ([`wire`]), signed with `IYZWSv2` over exactly those bytes and the path without query,
//! and sent unchanged. Success replies carry a `signature` (hex HMAC-SHA256 over
//! `paymentId:currency:basketId:conversationId:paidPrice:price`, amounts normalised), which is
//! checked in constant time ([`reply`]); a success without a valid signature is a `signature`
//! error. Error codes are classified in [`codes`].

pub mod cards;
pub mod checkout;
pub(crate) mod codes;
pub mod lookup;
pub mod preauth;
pub mod refund;
pub(crate) mod reply;
pub mod threeds;
pub mod webhook;
pub mod wire;

use serde::Deserialize;

pub use reply::{payment_signature_fields, ItemTx, PaymentReply};
pub use wire::*;

use super::{url_encode, Call, Text};
use crate::config::IyzicoConfig;
use crate::error::{provider_error, Error, ProviderFailure};
use crate::json::{Scalar, Str};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, PaymentReport, Refund, ReportedPayment, Response, State, Status};
use crate::sign;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};
use reply::{items, iyzico_shape, owned, Answer as _};

pub const PAYMENT_DETAILS_PATH: &str = "/v2/reporting/payment/details";

/// `iyzico.create_payment`: `POST /payment/auth`.
pub(crate) const CREATE_PAYMENT: OperationDef = OperationDef {
    name: "iyzico.create_payment",
    summary: "Pay by card (no 3-D Secure), IYZWSv2 over the exact body bytes",
    method: Some("POST"),
    path: Some("/payment/auth"),
    outcome: &["completed", "review"],
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
        run: |call, req| match validate::parse_borrowed::<CreatePaymentRequest<Str>>(req) {
            Some(borrowed) => create_payment(call, borrowed),
            None => create_payment(call, parse_request::<CreatePaymentRequest>(req)?),
        },
        reply: |call, _, reply| create_payment_reply(call, reply),
    }),
};

/// iyzico's operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    CREATE_PAYMENT,
    OperationDef {
        name: "iyzico.retrieve_payment",
        summary: "A payment's state by paymentId or paymentConversationId (refunds and cancels are not in this reply: use iyzico.payment_details)",
        method: Some("POST"),
        path: Some("/payment/detail"),
        outcome: &["status"],
        example: r#"{"paymentConversationId":"c-1"}"#,
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Iyzico(StepFns {
            run: |call, req| retrieve_payment(call, parse_request(req)?),
            reply: |call, req, reply| retrieve_payment_reply(call, &parse_request(req)?, reply),
        }),
    },
    OperationDef {
        name: "iyzico.payment_details",
        summary: "A payment with its refunds and cancels, and every payment under a reused conversationId (IYZWSv2 over the path without the query)",
        method: Some("GET"),
        path: Some("/v2/reporting/payment/details"),
        outcome: &["status"],
        example: r#"{"paymentConversationId":"c-1"}"#,
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Iyzico(StepFns {
            run: |call, req| payment_details(call, parse_request(req)?),
            reply: |call, req, reply| payment_details_reply(call, &parse_request(req)?, reply),
        }),
    },
    refund::CANCEL_PAYMENT,
    refund::REFUND_PAYMENT,
    // 3-D Secure, the checkout form and the lookups (issue 11): declared in their modules.
    threeds::INIT_3DS,
    threeds::VERIFY_3DS_CALLBACK,
    threeds::COMPLETE_3DS,
    checkout::INIT_CHECKOUT_FORM,
    checkout::RETRIEVE_CHECKOUT_FORM,
    lookup::BIN_CHECK,
    lookup::INSTALLMENTS,
    // Authorize now, capture later; stored cards (issue 33).
    preauth::PREAUTH_PAYMENT,
    preauth::INIT_3DS_PREAUTH,
    preauth::CAPTURE_PAYMENT,
    cards::STORE_CARD,
    cards::LIST_CARDS,
    cards::DELETE_CARD,
];

/// Send a signed request: `IYZWSv2` over the path (without query) and the exact body bytes.
fn send(
    call: &Call<'_, IyzicoConfig>,
    method: Method,
    path: &str,
    query: &str,
    body: Body,
) -> Result<Reply, Error> {
    let cfg = call.cfg;
    let headers = |body: &[u8]| {
        let random_key = sign::iyzico_random_key();
        let auth = sign::iyzico_auth_header(
            cfg.api_key.expose(),
            cfg.secret_key.expose(),
            &random_key,
            path,
            body,
        );
        vec![
            ("Authorization", auth),
            ("x-iyzi-rnd", random_key),
            (
                "x-iyzi-client-version",
                concat!("odeme-", env!("CARGO_PKG_VERSION")).to_owned(),
            ),
        ]
    };
    call.send(
        method,
        format!("{}{}{}", cfg.base_url, path, query),
        body,
        &headers,
    )
}

fn secret<'a>(call: &Call<'a, IyzicoConfig>) -> &'a str {
    call.cfg.secret_key.expose()
}

// ---- create and retrieve ------------------------------------------------------------------

fn create_payment<S: AsRef<str> + serde::Serialize>(
    call: &Call<'_, IyzicoConfig>,
    req: CreatePaymentRequest<S>,
) -> Result<Response, Error> {
    create_payment_at(call, req, CREATE_PAYMENT_PATH)
}

/// The create-payment call at `path` (`/payment/auth`, or `/payment/preauth`: the same body).
pub(crate) fn create_payment_at<S: AsRef<str> + serde::Serialize>(
    call: &Call<'_, IyzicoConfig>,
    req: CreatePaymentRequest<S>,
    path: &str,
) -> Result<Response, Error> {
    let body = create_payment_body(&req)?;
    let reply = send(call, Method::Post, path, "", Body::Json(body))?;
    create_payment_reply(call, &reply)
}

/// Interpret the reply to `POST /payment/auth` (and to everything that answers the payment
/// resource: `/payment/preauth`, `/payment/postauth`, the 3-D completion): `authorized` when its
/// `phase` is `PRE_AUTH`.
pub(crate) fn create_payment_reply(
    call: &Call<'_, IyzicoConfig>,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: PaymentReply = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let payment = reply::parse_payment(&raw, call.at_most_once())?;
    reply::verify_payment_signature(secret(call), &raw, "the iyzico payment reply")?;
    let reference = Some(payment.payment_id.clone());
    let outcome = if payment.fraud_status.as_deref() == Some("0") {
        Outcome::Review(payment)
    } else if raw.is_preauth() && payment.fraud_status.as_deref() != Some("-1") {
        Outcome::Authorized(payment)
    } else if payment.fraud_status.as_deref() == Some("-1") {
        return Err(provider_error(
            ProviderFailure::Declined,
            Some("FRAUD"),
            Some("iyzico's fraud check rejected the payment (fraudStatus -1)"),
            reply.status,
        ));
    } else {
        Outcome::Completed(payment)
    };
    Ok(call.response(outcome, reference, reply.raw()))
}

fn retrieve_payment(
    call: &Call<'_, IyzicoConfig>,
    req: RetrievePaymentRequest,
) -> Result<Response, Error> {
    let body = retrieve_payment_body(&req)?;
    let reply = send(
        call,
        Method::Post,
        RETRIEVE_PAYMENT_PATH,
        "",
        Body::Json(body),
    )?;
    retrieve_payment_reply(call, &req, &reply)
}

/// Interpret the reply to `POST /payment/detail`.
fn retrieve_payment_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &RetrievePaymentRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: PaymentReply = reply.typed(call.at_most_once())?;
    let order_id = req.payment_conversation_id.clone();
    if !raw.is_success() {
        return not_found_or_failure(call, &raw, order_id, req.payment_id.as_ref(), reply);
    }
    let payment = reply::parse_payment(&raw, call.at_most_once())?;
    reply::verify_payment_signature(secret(call), &raw, "the iyzico payment detail reply")?;
    let state = match raw.payment_status.as_deref() {
        None | Some("SUCCESS") => match payment.fraud_status.as_deref() {
            Some("0") => State::Pending,
            Some("-1") => State::Failed,
            _ if raw.is_preauth() => State::Authorized,
            _ => State::Paid,
        },
        Some("FAILURE") => State::Failed,
        // iyzico documents no refund or cancel value here (they are in the reporting API:
        // `iyzico.payment_details`); anything else is a payment still on its way
        // (`INIT_THREEDS`, `CALLBACK_THREEDS`, ...), with the value in `message`.
        Some(_) => State::Pending,
    };
    let outcome = Outcome::Status(Status {
        state,
        order_id: payment.conversation_id.clone().or(order_id),
        provider_order_id: Some(payment.payment_id.clone()),
        amount: Some(payment.paid_price.clone()),
        currency: payment.currency.clone(),
        message: raw.payment_status.as_deref().map(str::to_owned),
        report: None,
    });
    Ok(call.response(outcome, Some(payment.payment_id.clone()), reply.raw()))
}

/// An unsuccessful reply: iyzico's 5087 ("payment record not found") is a `not_found` status,
/// anything else the provider's error.
fn not_found_or_failure<A: reply::Answer>(
    call: &Call<'_, IyzicoConfig>,
    raw: &A,
    order_id: Option<String>,
    payment_id: Option<&Text>,
    reply: &Reply,
) -> Result<Response, Error> {
    if raw.head().error_code == Some("5087") {
        let outcome = Outcome::Status(Status::not_found(order_id, payment_id.map(|t| t.0.clone())));
        return Ok(call.response(outcome, None, reply.raw()));
    }
    Err(reply::failure(raw, reply.status))
}

// ---- payment details (the reporting API) ---------------------------------------------------

/// `iyzico.payment_details` request: one of `paymentConversationId` (your `conversationId`) or
/// `paymentId`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaymentDetailsRequest {
    #[serde(default)]
    pub payment_conversation_id: Option<String>,
    #[serde(default)]
    pub payment_id: Option<Text>,
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
}

fn payment_details_query(req: &PaymentDetailsRequest) -> Result<String, Error> {
    validate::not_blank("paymentConversationId", &req.payment_conversation_id)?;
    let mut q = String::from("?");
    match (&req.payment_id, &req.payment_conversation_id) {
        (Some(id), _) => {
            validate::required("paymentId", id.as_str())?;
            q.push_str("paymentId=");
            url_encode(id.as_str(), &mut q);
        }
        (None, Some(c)) => {
            q.push_str("paymentConversationId=");
            url_encode(c, &mut q);
        }
        (None, None) => {
            return Err(Error::invalid_field(
                "paymentConversationId",
                "paymentConversationId or paymentId is required",
            ))
        }
    }
    if let Some(l) = req.locale {
        q.push_str(if l == Locale::En {
            "&locale=en"
        } else {
            "&locale=tr"
        });
    }
    if let Some(c) = &req.conversation_id {
        q.push_str("&conversationId=");
        url_encode(c, &mut q);
    }
    Ok(q)
}

fn payment_details(
    call: &Call<'_, IyzicoConfig>,
    req: PaymentDetailsRequest,
) -> Result<Response, Error> {
    let query = payment_details_query(&req)?;
    // IYZWSv2 over the path without the query and an empty body (iyzico's reporting API).
    let reply = send(call, Method::Get, PAYMENT_DETAILS_PATH, &query, Body::Empty)?;
    payment_details_reply(call, &req, &reply)
}

reply::iyzico_reply! {
    /// The reply to `GET /v2/reporting/payment/details`.
    struct DetailsReply<'a> {
        payments: Option<Vec<ReportedShape<'a>>>,
    }
}

iyzico_shape! {
    /// One payment of the reporting reply (docs.iyzico.com "reporting service").
    struct ReportedShape<'a> {
        payment_id: Option<Scalar<'a>>,
        payment_conversation_id: Option<Scalar<'a>>,
        payment_status: Option<Scalar<'a>>,
        payment_refund_status: Option<Scalar<'a>>,
        paid_price: Option<Scalar<'a>>,
        currency: Option<Scalar<'a>>,
        phase: Option<Scalar<'a>>,
        cancels: Option<Vec<Attempt<'a>>>,
        item_transactions: Option<Vec<ReportedItem<'a>>>,
    }
}

iyzico_shape! {
    /// A cancel of a reported payment (only whether it failed is read).
    struct Attempt<'a> {
        error_code: Option<Scalar<'a>>,
    }
}

iyzico_shape! {
    struct ReportedItem<'a> {
        refunds: Option<Vec<ReportedRefund<'a>>>,
    }
}

iyzico_shape! {
    struct ReportedRefund<'a> {
        error_code: Option<Scalar<'a>>,
        refund_price: Option<Scalar<'a>>,
        currency_code: Option<Scalar<'a>>,
        refund_tx_id: Option<Scalar<'a>>,
        created_date: Option<Scalar<'a>>,
    }
}

/// No `errorCode`, or a blank one: an attempt that went through.
fn went_through(error_code: &Option<Scalar<'_>>) -> bool {
    error_code.as_deref().is_none_or(|c| c.trim().is_empty())
}

/// One payment of the reporting reply (docs.iyzico.com "reporting service": `payments[]` with
/// `paymentStatus` FAILURE 0, SUCCESS 1, INIT_THREEDS 2, CALLBACK_THREEDS 3 (read as `pending`);
/// `paymentRefundStatus` NOT_REFUNDED / PARTIALLY_REFUNDED / TOTALLY_REFUNDED (the page writes
/// `TOTALLY_REFUNDED ` with a trailing space: values are trimmed); `cancels[]`;
/// `itemTransactions[].refunds[]`). Entries carrying an `errorCode` are failed attempts.
fn reported_payment(p: &ReportedShape<'_>) -> ReportedPayment {
    let cancelled = items(&p.cancels)
        .iter()
        .any(|c| went_through(&c.error_code));
    let mut refunds = Vec::new();
    for item in items(&p.item_transactions) {
        for r in items(&item.refunds)
            .iter()
            .filter(|r| went_through(&r.error_code))
        {
            if let Some(amount) = owned(&r.refund_price) {
                refunds.push(Refund {
                    amount,
                    currency: owned(&r.currency_code).or_else(|| owned(&p.currency)),
                    refund_id: owned(&r.refund_tx_id),
                    date: owned(&r.created_date),
                });
            }
        }
    }
    let refund_status = p
        .payment_refund_status
        .as_deref()
        .map(|s| s.trim().to_ascii_uppercase());
    let state = match p.payment_status.as_deref() {
        Some("1") | Some("SUCCESS") => {
            if cancelled {
                State::Cancelled
            } else {
                match refund_status.as_deref() {
                    Some("TOTALLY_REFUNDED") => State::Refunded,
                    Some("PARTIALLY_REFUNDED") => State::PartiallyRefunded,
                    _ if !refunds.is_empty() => State::PartiallyRefunded,
                    // A pre-authorization not yet captured (`phase` PRE_AUTH; the documented
                    // reply shows `"phase": "AUTH"` for a sale): the bank holds the amount.
                    _ if p.phase.as_deref() == Some("PRE_AUTH") => State::Authorized,
                    _ => State::Paid,
                }
            }
        }
        Some("0") | Some("FAILURE") => State::Failed,
        _ => State::Pending,
    };
    ReportedPayment {
        payment_id: owned(&p.payment_id).unwrap_or_default(),
        state,
        paid_price: owned(&p.paid_price),
        currency: owned(&p.currency),
        refunds,
        cancelled,
        transaction_id: None,
        message: None,
    }
}

/// Interpret the reply to `GET /v2/reporting/payment/details`. Several payments under one
/// `conversationId` (a reused reference) are all reported; the state is the successful one's.
fn payment_details_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &PaymentDetailsRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: DetailsReply = reply.typed(call.at_most_once())?;
    let order_id = req.payment_conversation_id.clone();
    if !raw.is_success() {
        return not_found_or_failure(call, &raw, order_id, req.payment_id.as_ref(), reply);
    }
    let listed = items(&raw.payments);
    let payments: Vec<ReportedPayment> = listed.iter().map(reported_payment).collect();
    // The successful payment decides (a paid one that was later refunded or cancelled counts).
    let chosen = payments
        .iter()
        .rev()
        .find(|p| p.state != State::Failed && p.state != State::Pending)
        .or_else(|| payments.iter().rev().find(|p| p.state == State::Pending))
        .or_else(|| payments.last());
    let Some(chosen) = chosen.cloned() else {
        let outcome = Outcome::Status(Status::not_found(
            order_id,
            req.payment_id.as_ref().map(|t| t.0.clone()),
        ));
        return Ok(call.response(outcome, None, reply.raw()));
    };
    let paid_count = payments
        .iter()
        .filter(|p| !matches!(p.state, State::Failed | State::Pending))
        .count();
    let message = (paid_count > 1).then(|| {
        format!(
            "{paid_count} successful payments share this conversationId: check every entry of payments"
        )
    });
    let report = PaymentReport {
        payment_id: chosen.payment_id.clone(),
        paid_price: chosen.paid_price.clone(),
        refunds: chosen.refunds.clone(),
        cancelled: chosen.cancelled,
        payments: if payments.len() > 1 {
            payments.clone()
        } else {
            Vec::new()
        },
    };
    let outcome = Outcome::Status(Status {
        state: chosen.state,
        order_id: order_id.or_else(|| {
            listed
                .first()
                .and_then(|p| owned(&p.payment_conversation_id))
        }),
        provider_order_id: Some(chosen.payment_id.clone()),
        amount: chosen.paid_price.clone(),
        currency: chosen.currency.clone(),
        message,
        report: Some(report),
    });
    Ok(call.response(outcome, Some(chosen.payment_id), reply.raw()))
}
