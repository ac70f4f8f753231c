//! Paymago: `POST /pos/createOrder` (JSON, bearer token) starts a 3-D Secure payment; after the
//! payer returns, `POST /pos/orderResult?paymentId=&orderId=` tells how it ended.
//!
//! `createOrder` answers `{success, message, resultCode, data: {returnType, returnUrl,
//! paymentData, paymentId, ...}}` with `success` as a boolean or a string and `returnType` as a
//! string or an integer whose documented meaning contradicts itself, so the outcome is chosen by
//! content: a URL is a `redirect`, HTML is `html`. `orderResult` answers in a different envelope,
//! `{succeeded, data, errorInfo, messages[]}`.

use crate::secret::WipingBuf;
use serde::{Deserialize, Serialize};

use super::{json_body, url_encode, Call, Count, Flag, Text};
use crate::config::PaymagoConfig;
use crate::error::{self, provider_error, Error, ErrorKind, ProviderFailure};
use crate::json::owned;
use crate::json::Scalar;
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, Response, State, Status};
use crate::secret::{CardNumber, Cvc};
use crate::sign;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

/// Paymago's operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    OperationDef {
        name: "paymago.create_order",
        summary: "A card payment (3-D Secure as a URL or an HTML page), bearer token",
        method: Some("POST"),
        path: Some("/pos/createOrder"),
        outcome: &["redirect", "html"],
        example: r#"{"orderId":"o-1","amount":"1","currencyCode":"949","cardHolderName":"A B","cardNumber":"5528790000000008","expireYear":"2031","expireMonth":"12","cvc":"123","saleProduct":"P","saleProductPrice":"1","callbackUrl":"https://merchant.example/cb"}"#,
        sends: Sends::AtMostOnce,
        reconcile: Reconcile::Unavailable {
            advice: "Paymago documents orderResult with a required paymentId, which only the lost reply or the callback to callbackUrl carries: wait for the callback for this orderId, or check the Paymago merchant panel, before creating it again",
        },
        journal: Journaled {
            reference: Some("orderId"),
            amount: Some("amount"),
            currency: Some("currencyCode"),
        },
        steps: Steps::Paymago(StepFns {
            run: |call, req| create_order(call, parse_request(req)?),
            reply: |call, req, reply| {
                let req: OrderIdOf = parse_request(req)?;
                let order_id = req.order_id.as_ref().map_or("generated", Text::as_str);
                create_order_reply(call, order_id, reply)
            },
        }),
    },
    OperationDef {
        name: "paymago.order_result",
        summary: "An order's result by paymentId and orderId (both required, as documented)",
        method: Some("POST"),
        path: Some("/pos/orderResult"),
        outcome: &["status"],
        example: r#"{"orderId":"o-1","paymentId":"p-1"}"#,
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Paymago(StepFns {
            run: |call, req| order_result(call, parse_request(req)?),
            reply: |call, req, reply| order_result_reply(call, &parse_request(req)?, reply),
        }),
    },
];

pub const CREATE_ORDER_PATH: &str = "/pos/createOrder";
pub const ORDER_RESULT_PATH: &str = "/pos/orderResult";

/// `paymago.create_order` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateOrderRequest {
    pub amount: Amount,
    /// `"949"` or `"TRY"`; sent as the numeric code.
    pub currency_code: Text,
    /// Unique per order; a GUID is generated when absent (it is in the outcome).
    #[serde(default)]
    pub order_id: Option<String>,
    /// Empty or absent for a single payment.
    #[serde(default)]
    pub installment: Option<Count>,
    pub card_holder_name: String,
    pub card_number: CardNumber,
    pub expire_year: Text,
    pub expire_month: Text,
    pub cvc: Cvc,
    pub sale_product: String,
    pub sale_product_price: Amount,
    #[serde(default)]
    pub sale_description: Option<String>,
    #[serde(default)]
    pub is_secure_transaction: Option<Flag>,
    pub callback_url: String,
}

/// What interpreting a `paymago.create_order` reply needs of its request: the `orderId`, if
/// it had one (the rest is not read).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderIdOf {
    #[serde(default)]
    order_id: Option<Text>,
}

/// `paymago.order_result` request. Paymago documents both fields as required: `paymentId` comes
/// from the create reply or the callback to `callbackUrl`. Without it the API answers
/// "İşlem Bulunamadı" even for an order that exists, so odeme refuses the call instead of
/// reporting a real order as not found.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OrderResultRequest {
    pub order_id: String,
    pub payment_id: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireOrder<'a> {
    amount: String,
    currency_code: &'static str,
    order_id: &'a str,
    installment: String,
    card_holder_name: &'a str,
    card_number: &'a CardNumber,
    expire_year: String,
    expire_month: String,
    cvc: &'a Cvc,
    sale_product: &'a str,
    sale_product_price: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sale_description: Option<&'a str>,
    is_secure_transaction: bool,
    callback_url: &'a str,
}

/// Validate an order and serialize the exact body; returns the body and the order id used.
pub fn create_order_body(req: &CreateOrderRequest) -> Result<(WipingBuf, String), Error> {
    validate::positive("amount", req.amount)?;
    let currency = Currency::parse(req.currency_code.as_str()).ok_or_else(|| {
        Error::invalid_field(
            "currencyCode",
            "must be 949, 840, 978 or 826 (or TRY, USD, EUR, GBP)",
        )
    })?;
    let order_id = match &req.order_id {
        Some(id) => {
            validate::required("orderId", id)?;
            validate::max_chars("orderId", id, 64)?;
            id.clone()
        }
        None => sign::uuid_v4(),
    };
    let installment = match req.installment {
        None | Some(Count(0)) | Some(Count(1)) => String::new(),
        Some(Count(n)) if n <= 12 => n.to_string(),
        Some(_) => {
            return Err(Error::invalid_field(
                "installment",
                "must be between 1 and 12 (empty for a single payment)",
            ))
        }
    };
    validate::required("cardHolderName", &req.card_holder_name)?;
    let (month, year) = validate::card(
        "",
        &req.card_number,
        req.expire_month.as_str(),
        req.expire_year.as_str(),
        &req.cvc,
    )?;
    validate::required("saleProduct", &req.sale_product)?;
    validate::positive("saleProductPrice", req.sale_product_price)?;
    if !(req.callback_url.starts_with("https://") || req.callback_url.starts_with("http://")) {
        return Err(Error::invalid_field(
            "callbackUrl",
            "must be an http(s) URL",
        ));
    }
    let wire = WireOrder {
        amount: req.amount.dot2(),
        currency_code: currency.numeric(),
        order_id: &order_id,
        installment,
        card_holder_name: &req.card_holder_name,
        card_number: &req.card_number,
        expire_year: year,
        expire_month: month,
        cvc: &req.cvc,
        sale_product: &req.sale_product,
        sale_product_price: req.sale_product_price.dot2(),
        sale_description: req.sale_description.as_deref(),
        is_secure_transaction: req.is_secure_transaction.map(|f| f.0).unwrap_or(true),
        callback_url: &req.callback_url,
    };
    Ok((json_body(&wire)?, order_id))
}

fn post(call: &Call<'_, PaymagoConfig>, url: String, body: Body) -> Result<Reply, Error> {
    let token = call.cfg.token.expose();
    call.send(Method::Post, url, body, &|_| {
        vec![("Authorization", format!("Bearer {token}"))]
    })
}

fn create_order(
    call: &Call<'_, PaymagoConfig>,
    req: CreateOrderRequest,
) -> Result<Response, Error> {
    let (body, order_id) = create_order_body(&req)?;
    let url = format!("{}{}", call.cfg.base_url, CREATE_ORDER_PATH);
    let reply = post(call, url, Body::Json(body)).map_err(|e| mention_order(e, &order_id))?;
    create_order_reply(call, &order_id, &reply)
}

// ---- replies ------------------------------------------------------------------------------------

/// The `createOrder` reply: `{success, message, resultCode, data: {responseMessage, orderId,
/// returnUrl, errorCode, status, paymentId, paymentData, returnType}}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrderReply<'a> {
    /// `Some(None)` when the reply says `"success": null` (a flag that is there, and not true).
    #[serde(borrow, default, deserialize_with = "present")]
    success: Option<Option<Scalar<'a>>>,
    #[serde(borrow)]
    message: Option<Scalar<'a>>,
    #[serde(borrow)]
    result_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    data: Option<CreateOrderData<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateOrderData<'a> {
    #[serde(borrow)]
    response_message: Option<Scalar<'a>>,
    #[serde(borrow)]
    return_url: Option<Scalar<'a>>,
    #[serde(borrow)]
    error_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    payment_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    payment_data: Option<Scalar<'a>>,
}

/// The `orderResult` reply: `{succeeded, data: {status, paymentId, amount, currencyCode,
/// errorCode, ...}, errorInfo, messages[]}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderResultReply<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    succeeded: Option<Option<Scalar<'a>>>,
    #[serde(borrow)]
    data: Option<OrderResultData<'a>>,
    #[serde(borrow)]
    error_info: Option<Scalar<'a>>,
    #[serde(borrow)]
    messages: Option<Vec<Option<Scalar<'a>>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderResultData<'a> {
    #[serde(borrow)]
    status: Option<Scalar<'a>>,
    #[serde(borrow)]
    payment_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
    #[serde(borrow)]
    currency_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    error_code: Option<Scalar<'a>>,
}

/// A field that is there, `null` included (`Some(None)`); an absent one is `None` (the field's
/// `default`).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Paymago's flags: `true`, `"true"`, `1` or `"1"`.
fn says_true(flag: &Option<Option<Scalar<'_>>>) -> bool {
    flag.as_ref()
        .and_then(Option::as_deref)
        .is_some_and(|f| f.eq_ignore_ascii_case("true") || f == "1")
}

/// Interpret the reply to `POST /pos/createOrder`.
fn create_order_reply(
    call: &Call<'_, PaymagoConfig>,
    order_id: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let order_id = order_id.to_owned();
    let lost = call.at_most_once();
    let raw: CreateOrderReply<'_> = reply.typed(lost).map_err(|e| mention_order(e, &order_id))?;
    let data = raw.data.as_ref();
    let success = says_true(&raw.success);
    if !success {
        if raw.success.is_none() {
            return Err(mention_order(
                error::unreadable_reply(
                    lost,
                    Some(reply.status),
                    "the Paymago reply has no success flag",
                ),
                &order_id,
            ));
        }
        let code = raw
            .result_code
            .as_deref()
            .or_else(|| data.and_then(|d| d.error_code.as_deref()));
        let message = raw
            .message
            .as_deref()
            .or_else(|| data.and_then(|d| d.response_message.as_deref()));
        let failure = classify(false, reply.status);
        return Err(provider_error(failure, code, message, reply.status));
    }
    let data = data.ok_or_else(|| {
        mention_order(
            error::unreadable_reply(
                lost,
                Some(reply.status),
                "Paymago reported success without data",
            ),
            &order_id,
        )
    })?;
    let payment_id = owned(data.payment_id.as_ref());
    let url = owned(data.return_url.as_ref())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let html = owned(data.payment_data.as_ref()).filter(|h| h.contains('<'));
    let outcome = match (url, html) {
        (Some(url), _) => Outcome::Redirect {
            url,
            order_id: Some(order_id.clone()),
            provider_order_id: payment_id.clone(),
        },
        (None, Some(html)) => Outcome::Html {
            html,
            order_id: Some(order_id.clone()),
            provider_order_id: payment_id.clone(),
            payment_id: payment_id.clone(),
        },
        (None, None) => {
            return Err(mention_order(
                error::unreadable_reply(
                    lost,
                    Some(reply.status),
                    "Paymago reported success with neither a returnUrl nor HTML paymentData",
                ),
                &order_id,
            ))
        }
    };
    Ok(call.response(outcome, payment_id, reply.raw()))
}

/// Put the order id in an `outcome_unknown` message: when odeme generated it, this is the only
/// place the merchant learns the id to reconcile with.
fn mention_order(e: Error, order_id: &str) -> Error {
    if e.kind() == ErrorKind::OutcomeUnknown {
        e.with_message_suffix(&format!(
            "orderId {order_id}: the order's reference (generated by odeme when the request had none)"
        ))
    } else {
        e
    }
}

fn order_result(
    call: &Call<'_, PaymagoConfig>,
    req: OrderResultRequest,
) -> Result<Response, Error> {
    validate::required("orderId", &req.order_id)?;
    validate::required("paymentId", req.payment_id.as_str())?;
    let mut url = format!("{}{}?paymentId=", call.cfg.base_url, ORDER_RESULT_PATH);
    url_encode(req.payment_id.as_str(), &mut url);
    url.push_str("&orderId=");
    url_encode(&req.order_id, &mut url);
    let reply = post(call, url, Body::Empty)?;
    order_result_reply(call, &req, &reply)
}

/// Interpret the reply to `POST /pos/orderResult`.
fn order_result_reply(
    call: &Call<'_, PaymagoConfig>,
    req: &OrderResultRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: OrderResultReply<'_> = reply.typed(call.at_most_once())?;
    if raw.succeeded.is_none() {
        return Err(error::unreadable_reply(
            call.at_most_once(),
            Some(reply.status),
            "the Paymago reply has no succeeded flag",
        ));
    }
    let data = raw.data.as_ref();
    let messages: Vec<&str> = raw
        .messages
        .iter()
        .flatten()
        .filter_map(Option::as_deref)
        .collect();
    let message = messages.first().map(|m| (*m).to_owned());
    let payment_status = data
        .and_then(|d| d.status.as_deref())
        .map(str::to_ascii_uppercase);
    let payment_id = || {
        owned(data.and_then(|d| d.payment_id.as_ref())).or_else(|| Some(req.payment_id.0.clone()))
    };
    let response = |state: State| Response {
        operation: call.op.name.into(),
        provider_reference: payment_id(),
        outcome: Outcome::Status(Status {
            state,
            order_id: Some(req.order_id.clone()),
            provider_order_id: payment_id(),
            amount: owned(data.and_then(|d| d.amount.as_ref())),
            currency: data.and_then(|d| d.currency_code.as_deref()).map(|c| {
                Currency::parse(c)
                    .map(|c| c.alpha())
                    .unwrap_or(c)
                    .to_owned()
            }),
            message: message.clone(),
            report: None,
        }),
        raw: reply.raw(),
    };
    if says_true(&raw.succeeded) {
        let state = match payment_status.as_deref() {
            Some("SUCCESS") | Some("PAID") | Some("COMPLETED") => State::Paid,
            Some("CANCELLED") | Some("CANCELED") => State::Cancelled,
            Some("REFUNDED") => State::Refunded,
            Some("FAILED") | Some("FAILURE") | Some("DECLINED") => State::Failed,
            _ => State::Pending,
        };
        return Ok(response(state));
    }
    let not_found = messages.iter().any(|m| {
        let m = m.to_lowercase();
        m.contains("bulunamad") || m.contains("not found")
    });
    if not_found {
        let mut r = response(State::NotFound);
        if let Outcome::Status(s) = &mut r.outcome {
            s.amount = None;
        }
        return Ok(r);
    }
    let declined = matches!(payment_status.as_deref(), Some("FAILED") | Some("DECLINED"));
    let failure = classify(declined, reply.status);
    let code = data
        .and_then(|d| d.error_code.as_deref())
        .or(raw.error_info.as_deref());
    Err(provider_error(
        failure,
        code,
        message.as_deref(),
        reply.status,
    ))
}

/// Paymago publishes no error-code list: a 401/403 is the bearer token; a payment whose
/// `data.status` is `FAILED` after 3-D Secure was declined by the bank; anything else is a
/// provider error.
pub(crate) fn classify(payment_failed: bool, http_status: u16) -> ProviderFailure {
    if http_status == 401 || http_status == 403 {
        ProviderFailure::Auth
    } else if payment_failed {
        ProviderFailure::Declined
    } else {
        ProviderFailure::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> crate::Client {
        crate::Client::from_json(r#"{"paymago": {"token": "t"}}"#).unwrap()
    }

    /// `success` as a boolean or a string, `paymentId` as a number: read as their text. A
    /// `success` that is there but `null` is Paymago's refusal (as before typed replies); one
    /// that is absent is no Paymago answer (`outcome_unknown`); one given twice is ambiguous
    /// (`outcome_unknown`).
    #[test]
    fn typed_replies_read_flags_and_refuse_a_repeated_key() {
        let c = client();
        let req = serde_json::json!({});
        let ok = br#"{"data":{"returnUrl":"https://bank.example/3ds","paymentId":5555,"paymentData":null,"returnType":2},"success":true,"message":null}"#;
        let r = c
            .interpret_reply("paymago.create_order", req.clone(), 200, ok.to_vec())
            .unwrap();
        assert_eq!(r.provider_reference.as_deref(), Some("5555"));
        let kind = |body: &[u8]| {
            c.interpret_reply("paymago.create_order", req.clone(), 200, body.to_vec())
                .unwrap_err()
                .kind()
        };
        assert_eq!(
            kind(br#"{"success":null,"message":"Hata","resultCode":"99"}"#),
            ErrorKind::Provider
        );
        assert_eq!(kind(br#"{"message":"Hata"}"#), ErrorKind::OutcomeUnknown);
        assert_eq!(
            kind(br#"{"success":"false","success":"true","data":{"returnUrl":"https://x"}}"#),
            ErrorKind::OutcomeUnknown
        );
        let q = serde_json::json!({"orderId": "o-1", "paymentId": "p-1"});
        let paid = br#"{"succeeded":1,"data":{"status":"success","paymentId":"p-1","amount":10.10,"currencyCode":949},"messages":[]}"#;
        let r = c
            .interpret_reply("paymago.order_result", q.clone(), 200, paid.to_vec())
            .unwrap();
        let Outcome::Status(s) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(
            (s.state, s.amount.as_deref(), s.currency.as_deref()),
            (State::Paid, Some("10.10"), Some("TRY"))
        );
        let twice = br#"{"succeeded":true,"data":{"status":"FAILED","status":"SUCCESS"}}"#;
        let e = c
            .interpret_reply("paymago.order_result", q, 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
