//! Paymes: v4.6 order creation (hosted page or kiosk), the legacy unversioned order creation,
//! the status query, and verification of result notifications.
//!
//! Requests are `application/x-www-form-urlencoded`. v4.6 signs
//! `base64(sha512(orderId + price + currency + productName + buyerName + buyerPhone + buyerEmail +
//! buyerAddress + secretKey))` over the exact strings sent (price as `"10.00"`); the status query
//! signs `paymesOrderId + secretKey`; notifications sign
//! `paymesOrderId + orderId + type + message + price + currency + secretKey`. The secret key is
//! never sent. Errors come back as `{"status":"error","message":...}` with HTTP 400 (or 302 in
//! Paymes' older docs); redirects are read, never followed.

use serde::Deserialize;
use serde_json::Value;

use super::{form_body, Call, Text};
use crate::config::PaymesConfig;
use crate::error::{self, provider_error, signature_error, Error, ProviderFailure};
use crate::json::owned;
use crate::json::Scalar;
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, Response, State, Status};
use crate::sign;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

/// After a lost create reply the merchant has no `paymesOrderId`, and `/v4.6/status` takes
/// nothing else.
const NO_RECONCILIATION: &str = "Paymes' status query needs the paymesOrderId that only the lost reply carried: wait for the Paymes notification (webhook) for this orderId, or look the order up in the Paymes merchant panel, before creating it again";

/// Paymes' operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    OperationDef {
        name: "paymes.create_order",
        summary: "A hosted payment page, sha512 hash",
        method: Some("POST"),
        path: Some("/v4.6/order_create"),
        outcome: &["redirect"],
        example: r#"{"orderId":"o-1","price":"10.00","currency":"TRY","productName":"P","buyerName":"B","buyerPhone":"05555555555","buyerEmail":"a@b.co","buyerAddress":"A"}"#,
        sends: Sends::AtMostOnce,
        reconcile: Reconcile::Unavailable {
            advice: NO_RECONCILIATION,
        },
        journal: Journaled {
            reference: Some("orderId"),
            amount: Some("price"),
            currency: Some("currency"),
        },
        steps: Steps::Paymes(StepFns {
            run: |call, req| create_order(call, parse_request(req)?, Flavor::Hosted),
            reply: |call, req, reply| {
                let r: CreateOrderRequest = parse_request(req)?;
                create_order_reply(call, Flavor::Hosted, r.order_id.as_str(), reply)
            },
        }),
    },
    OperationDef {
        name: "paymes.create_kiosk_order",
        summary:
            "A kiosk order (create_order_by_kiosk=true): pay at a terminal with the invoice code",
        method: Some("POST"),
        path: Some("/v4.6/order_create"),
        outcome: &["terminal"],
        example: r#"{"orderId":"o-1","price":"10.00","currency":"TRY","productName":"P","buyerName":"B","buyerPhone":"05555555555","buyerEmail":"a@b.co","buyerAddress":"A"}"#,
        sends: Sends::AtMostOnce,
        reconcile: Reconcile::Unavailable {
            advice: NO_RECONCILIATION,
        },
        journal: Journaled {
            reference: Some("orderId"),
            amount: Some("price"),
            currency: Some("currency"),
        },
        steps: Steps::Paymes(StepFns {
            run: |call, req| create_order(call, parse_request(req)?, Flavor::Kiosk),
            reply: |call, req, reply| {
                let r: CreateOrderRequest = parse_request(req)?;
                create_order_reply(call, Flavor::Kiosk, r.order_id.as_str(), reply)
            },
        }),
    },
    OperationDef {
        name: "paymes.create_order_legacy",
        summary: "A hosted payment page through the unversioned API (secret)",
        method: Some("POST"),
        path: Some("/order_create"),
        outcome: &["redirect"],
        example: r#"{"orderId":"o-1","price":"10.00","currency":"TRY","productName":"P","buyerName":"B","buyerPhone":"05555555555","buyerEmail":"a@b.co","buyerAddress":"A"}"#,
        sends: Sends::AtMostOnce,
        reconcile: Reconcile::Unavailable {
            advice: NO_RECONCILIATION,
        },
        journal: Journaled {
            reference: Some("orderId"),
            amount: Some("price"),
            currency: Some("currency"),
        },
        steps: Steps::Paymes(StepFns {
            run: |call, req| create_order(call, parse_request(req)?, Flavor::Legacy),
            reply: |call, req, reply| {
                let r: CreateOrderRequest = parse_request(req)?;
                create_order_reply(call, Flavor::Legacy, r.order_id.as_str(), reply)
            },
        }),
    },
    OperationDef {
        name: "paymes.query_order",
        summary: "An order's state by paymesOrderId",
        method: Some("POST"),
        path: Some("/v4.6/status"),
        outcome: &["status"],
        example: r#"{"paymesOrderId":"1"}"#,
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Paymes(StepFns {
            run: |call, req| query_order(call, parse_request(req)?),
            reply: |call, req, reply| {
                let r: QueryOrderRequest = parse_request(req)?;
                query_order_reply(call, r.paymes_order_id.as_str(), reply)
            },
        }),
    },
    OperationDef {
        name: "paymes.verify_notification",
        summary: "Check a posted Paymes result or notification hash, constant time",
        method: None,
        path: None,
        outcome: &["notification"],
        example: r#"{"paymesOrderId":"1","orderId":"o-1","type":"success","price":"10.00","currency":"TRY","hash":"0000"}"#,
        sends: Sends::Local,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Paymes(StepFns {
            run: |call, req| verify_notification(call, req.to_value()?, parse_request(req)?),
            reply: |call, req, _| verify_notification(call, req.to_value()?, parse_request(req)?),
        }),
    },
    CANCEL_ORDER,
];

pub const ORDER_CREATE_PATH: &str = "/v4.6/order_create";
pub const STATUS_PATH: &str = "/v4.6/status";
pub const LEGACY_ORDER_CREATE_PATH: &str = "/order_create";

/// `paymes.create_order`, `paymes.create_kiosk_order` and `paymes.create_order_legacy` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateOrderRequest {
    pub order_id: Text,
    pub price: Amount,
    pub currency: Currency,
    pub product_name: String,
    pub buyer_name: String,
    pub buyer_phone: String,
    pub buyer_email: String,
    pub buyer_address: String,
}

/// `paymes.query_order` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QueryOrderRequest {
    pub paymes_order_id: Text,
}

/// `paymes.verify_notification` request: the fields Paymes posted, as received (form-decoded).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NotificationRequest {
    pub paymes_order_id: Text,
    pub order_id: Text,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub message: Option<String>,
    pub price: Text,
    pub currency: String,
    pub hash: String,
}

/// The strings of an order, formatted once: these are hashed and sent.
pub struct OrderFields {
    pub order_id: String,
    pub price: String,
    pub currency: &'static str,
    pub product_name: String,
    pub buyer_name: String,
    pub buyer_phone: String,
    pub buyer_email: String,
    pub buyer_address: String,
}

impl OrderFields {
    /// The form fields of the order, in the documented order (also the hash order).
    pub fn named(&self) -> [(&'static str, &str); 8] {
        [
            ("orderId", &self.order_id),
            ("price", &self.price),
            ("currency", self.currency),
            ("productName", &self.product_name),
            ("buyerName", &self.buyer_name),
            ("buyerPhone", &self.buyer_phone),
            ("buyerEmail", &self.buyer_email),
            ("buyerAddress", &self.buyer_address),
        ]
    }

    /// The hashed parts, in the documented order.
    pub fn parts(&self) -> [&str; 8] {
        self.named().map(|(_, v)| v)
    }
}

/// Validate an order and render its wire strings.
pub fn order_fields(req: &CreateOrderRequest, legacy: bool) -> Result<OrderFields, Error> {
    validate::required("orderId", req.order_id.as_str())?;
    validate::max_chars("orderId", req.order_id.as_str(), 64)?;
    validate::positive("price", req.price)?;
    if req.currency == Currency::Gbp || (legacy && req.currency != Currency::Try) {
        return Err(Error::invalid_field(
            "currency",
            if legacy {
                "the legacy Paymes API takes TRY only"
            } else {
                "Paymes takes TRY, USD or EUR"
            },
        ));
    }
    validate::required("productName", &req.product_name)?;
    validate::required("buyerName", &req.buyer_name)?;
    validate::phone("buyerPhone", &req.buyer_phone)?;
    validate::email("buyerEmail", &req.buyer_email)?;
    validate::required("buyerAddress", &req.buyer_address)?;
    Ok(OrderFields {
        order_id: req.order_id.0.clone(),
        price: req.price.dot2(),
        currency: req.currency.alpha(),
        product_name: req.product_name.clone(),
        buyer_name: req.buyer_name.clone(),
        buyer_phone: req.buyer_phone.clone(),
        buyer_email: req.buyer_email.clone(),
        buyer_address: req.buyer_address.clone(),
    })
}

fn v46_keys(cfg: &PaymesConfig) -> Result<(&str, &str), Error> {
    match (&cfg.public_key, &cfg.secret_key) {
        (Some(p), Some(s)) => Ok((p.expose(), s.expose())),
        _ => Err(Error::config_field(
            "paymes.public_key",
            "public_key and secret_key are needed for the v4.6 API",
        )),
    }
}

fn post_form(
    call: &Call<'_, PaymesConfig>,
    path: &str,
    pairs: &[(&str, &str)],
) -> Result<Reply, Error> {
    call.send(
        Method::Post,
        format!("{}{path}", call.cfg.base_url),
        Body::Form(form_body(pairs)),
        &|_| Vec::new(),
    )
}

/// Kinds of order creation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Hosted,
    Kiosk,
    Legacy,
}

fn create_order(
    call: &Call<'_, PaymesConfig>,
    req: CreateOrderRequest,
    flavor: Flavor,
) -> Result<Response, Error> {
    let f = order_fields(&req, flavor == Flavor::Legacy)?;
    let cfg = call.cfg;
    let reply = if flavor == Flavor::Legacy {
        let secret = cfg
            .secret
            .as_ref()
            .ok_or_else(|| Error::config_field("paymes.secret", "is needed for the legacy API"))?;
        let mut pairs = vec![("secret", secret.expose())];
        pairs.extend(f.named());
        post_form(call, LEGACY_ORDER_CREATE_PATH, &pairs)?
    } else {
        let (public_key, secret_key) = v46_keys(cfg)?;
        let hash = sign::paymes_hash(&f.parts(), secret_key);
        let mut pairs = vec![("publicKey", public_key)];
        pairs.extend(f.named());
        pairs.push(("hash", &hash));
        if flavor == Flavor::Kiosk {
            pairs.push(("create_order_by_kiosk", "true"));
        }
        post_form(call, ORDER_CREATE_PATH, &pairs)?
    };
    create_order_reply(call, flavor, &f.order_id, &reply)
}

// ---- replies ------------------------------------------------------------------------------------

/// Declares a Paymes reply shape: `status` and the error texts every reply may carry (`message`,
/// `error`: see [`failure`]) and the operation's own fields, camelCase (serde reads them all in
/// one pass, borrowed).
macro_rules! paymes_reply {
    ($(#[$meta:meta])* $name:ident<$a:lifetime> { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct $name<$a> {
            #[serde(borrow)]
            status: Option<Scalar<$a>>,
            #[serde(borrow)]
            message: Option<Scalar<$a>>,
            #[serde(borrow)]
            error: Option<Scalar<$a>>,
            $($(#[$fmeta])* $field: $ty,)*
        }

        impl $name<'_> {
            fn failure(&self, reply: &Reply) -> Error {
                failure(&self.message, &self.error, reply)
            }
        }
    };
}

paymes_reply! {
    /// The order creation reply: `{"status": "return_url", "message", "returnUrl", "paymesOrderId",
    /// "invoiceCode"?}` (the kiosk order adds `invoiceCode`), or an error (see [`failure`]).
    OrderReply<'a> {
        #[serde(borrow)]
        paymes_order_id: Option<Scalar<'a>>,
        #[serde(borrow)]
        return_url: Option<Scalar<'a>>,
        #[serde(borrow)]
        invoice_code: Option<Scalar<'a>>,
    }
}

paymes_reply! {
    /// The status reply: `{"status": true, "results": {currency, price, type, message, orderId,
    /// paymesOrderId, ...}}`, or an error.
    StatusReply<'a> {
        #[serde(borrow)]
        results: Option<StatusResults<'a>>,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusResults<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Scalar<'a>>,
    #[serde(borrow)]
    order_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    paymes_order_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    price: Option<Scalar<'a>>,
    #[serde(borrow)]
    currency: Option<Scalar<'a>>,
    #[serde(borrow)]
    message: Option<Scalar<'a>>,
}

paymes_reply! {
    /// The order_cancel reply: `{"status": true, "message": ...}` (or `error` for the text), or
    /// an error: no fields of its own.
    CancelReply<'a> {}
}

/// The notification fields odeme reads from a webhook body (others are ignored).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NotificationFields<'a> {
    #[serde(borrow)]
    paymes_order_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    order_id: Option<Scalar<'a>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Scalar<'a>>,
    #[serde(borrow)]
    message: Option<Scalar<'a>>,
    #[serde(borrow)]
    price: Option<Scalar<'a>>,
    #[serde(borrow)]
    currency: Option<Scalar<'a>>,
    #[serde(borrow)]
    hash: Option<Scalar<'a>>,
}

/// Interpret the reply to an order creation.
fn create_order_reply(
    call: &Call<'_, PaymesConfig>,
    flavor: Flavor,
    order_id: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: OrderReply<'_> = reply.typed(lost)?;
    match raw.status.as_deref() {
        Some("return_url") => {}
        Some("error") | Some("false") => return Err(raw.failure(reply)),
        _ => {
            return Err(error::unreadable_reply(
                lost,
                Some(reply.status),
                "the Paymes reply is neither an order nor an error",
            ))
        }
    }
    let paymes_order_id = owned(&raw.paymes_order_id).ok_or_else(|| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            "Paymes accepted the order without a paymesOrderId",
        )
    })?;
    let url = owned(&raw.return_url);
    let outcome = if flavor == Flavor::Kiosk {
        let invoice_code = owned(&raw.invoice_code).ok_or_else(|| {
            error::unreadable_reply(
                lost,
                Some(reply.status),
                "Paymes accepted the kiosk order without an invoiceCode",
            )
        })?;
        Outcome::Terminal {
            invoice_code,
            url,
            order_id: Some(order_id.to_owned()),
            provider_order_id: Some(paymes_order_id.clone()),
        }
    } else {
        Outcome::Redirect {
            url: url.ok_or_else(|| {
                error::unreadable_reply(
                    lost,
                    Some(reply.status),
                    "Paymes accepted the order without a returnUrl",
                )
            })?,
            order_id: Some(order_id.to_owned()),
            provider_order_id: Some(paymes_order_id.clone()),
        }
    };
    Ok(call.response(outcome, Some(paymes_order_id), reply.raw()))
}

fn query_order(call: &Call<'_, PaymesConfig>, req: QueryOrderRequest) -> Result<Response, Error> {
    validate::required("paymesOrderId", req.paymes_order_id.as_str())?;
    let cfg = call.cfg;
    let (public_key, secret_key) = v46_keys(cfg)?;
    let id = req.paymes_order_id.as_str();
    let hash = sign::paymes_hash(&[id], secret_key);
    let reply = post_form(
        call,
        STATUS_PATH,
        &[
            ("publicKey", public_key),
            ("paymesOrderId", id),
            ("hash", &hash),
        ],
    )?;
    query_order_reply(call, id, &reply)
}

/// Interpret the reply to `POST /v4.6/status`.
fn query_order_reply(
    call: &Call<'_, PaymesConfig>,
    id: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: StatusReply<'_> = reply.typed(lost)?;
    let status_text = raw.status.as_deref();
    let ok = matches!(status_text, Some("true") | Some("success"));
    if !ok {
        if !matches!(status_text, Some("false") | Some("error")) {
            return Err(error::unreadable_reply(
                lost,
                Some(reply.status),
                "the Paymes status reply is neither a result nor an error",
            ));
        }
        if reply.status == 404 {
            let outcome = Outcome::Status(Status::not_found(None, Some(id.to_owned())));
            return Ok(call.response(outcome, None, reply.raw()));
        }
        return Err(raw.failure(reply));
    }
    let results = raw.results.as_ref().ok_or_else(|| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            "Paymes status reply has no results",
        )
    })?;
    let state = match results.kind.as_deref() {
        Some("success") => State::Paid,
        Some("error") | Some("failed") | Some("fail") => State::Failed,
        Some("cancelled") | Some("canceled") | Some("cancel") => State::Cancelled,
        Some("refunded") | Some("refund") => State::Refunded,
        Some("partially_refunded") | Some("partial_refund") => State::PartiallyRefunded,
        _ => State::Pending,
    };
    let status = Status {
        state,
        order_id: owned(&results.order_id),
        provider_order_id: owned(&results.paymes_order_id).or_else(|| Some(id.to_owned())),
        amount: owned(&results.price),
        currency: owned(&results.currency),
        message: owned(&results.message),
        report: None,
    };
    Ok(call.response(Outcome::Status(status), Some(id.to_owned()), reply.raw()))
}

/// Check a notification's hash against the configured secret key. No I/O.
pub fn verify_notification_with(
    secret_key: &str,
    req: &NotificationRequest,
) -> Result<Status, Error> {
    validate::required("paymesOrderId", req.paymes_order_id.as_str())?;
    validate::required("orderId", req.order_id.as_str())?;
    validate::required("type", &req.kind)?;
    validate::required("hash", &req.hash)?;
    let message = req.message.as_deref().unwrap_or("");
    let parts = [
        req.paymes_order_id.as_str(),
        req.order_id.as_str(),
        req.kind.as_str(),
        message,
        req.price.as_str(),
        req.currency.as_str(),
    ];
    if !sign::paymes_verify(&parts, secret_key, &req.hash) {
        return Err(signature_error("the Paymes notification"));
    }
    Ok(Status {
        // `type` "gets success or error" (en.docs.paym.es/webhook); `pending`/`waiting` are
        // assumed to be an unfinished payment (UNVERIFIED.md, Paymes webhooks); any other type
        // is not documented and says nothing about the payment (`unknown`: it resolves nothing).
        state: match req.kind.as_str() {
            "success" => State::Paid,
            "error" => State::Failed,
            "pending" | "waiting" => State::Pending,
            _ => State::Unknown,
        },
        order_id: Some(req.order_id.0.clone()),
        provider_order_id: Some(req.paymes_order_id.0.clone()),
        amount: Some(req.price.0.clone()),
        currency: Some(req.currency.clone()),
        message: req.message.clone(),
        report: None,
    })
}

fn verify_notification(
    call: &Call<'_, PaymesConfig>,
    raw: Value,
    req: NotificationRequest,
) -> Result<Response, Error> {
    let (_, secret_key) = v46_keys(call.cfg)?;
    let status = verify_notification_with(secret_key, &req)?;
    let reference = status.provider_order_id.clone();
    Ok(call.response(Outcome::Notification(status), reference, raw))
}

/// A Paymes error, in either of its two shapes: `{"status": "error", "message": ...}` (the
/// order documents) or `{"status": false, "error": ...}` (a captured 401, and the order_cancel
/// document). The text is the provider's message.
fn failure(message: &Option<Scalar<'_>>, error: &Option<Scalar<'_>>, reply: &Reply) -> Error {
    let message = message
        .as_deref()
        .filter(|m| !m.is_empty())
        .or(error.as_deref());
    let failure = classify(message, reply.status);
    provider_error(failure, None, message, reply.status)
}

/// Paymes publishes no error codes: free-text messages, HTTP 400 (or 302 in its older docs).
/// A 401/403, or a message about the hash or the keys, is a credential failure.
pub(crate) fn classify(message: Option<&str>, http_status: u16) -> ProviderFailure {
    let m = message.unwrap_or("").to_lowercase();
    if http_status == 401
        || http_status == 403
        || m.contains("hash")
        || m.contains("publickey")
        || m.contains("public key")
        || m.contains("secret")
    {
        ProviderFailure::Auth
    } else {
        ProviderFailure::Other
    }
}

// ---- cancel and refund -----------------------------------------------------------------------

pub const ORDER_CANCEL_PATH: &str = "/v4.6/order_cancel";

/// `paymes.cancel_order`: `POST /v4.6/order_cancel`, one endpoint for cancels and (partial)
/// refunds; reconciled with `paymes.query_order` (the merchant has the `paymesOrderId`).
pub(crate) const CANCEL_ORDER: OperationDef = OperationDef {
    name: "paymes.cancel_order",
    summary: "Cancel or partly refund an order, sha512 hash over paymesOrderId + price",
    method: Some("POST"),
    path: Some("/v4.6/order_cancel"),
    outcome: &["refund"],
    example: r#"{"paymesOrderId":"1","price":"10.00"}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "paymes.query_order",
        by: "paymesOrderId",
        as_field: "paymesOrderId",
    },
    journal: Journaled {
        reference: None,
        amount: Some("price"),
        currency: None,
    },
    steps: Steps::Paymes(StepFns {
        run: |call, req| cancel_order(call, parse_request(req)?),
        reply: |call, req, reply| cancel_order_reply(call, &parse_request(req)?, reply),
    }),
};

/// `paymes.cancel_order` request: `{paymesOrderId, price}` (the amount to give back) and
/// odeme's optional `refundable` (what remains, if the caller knows; never sent). odeme adds
/// `publicKey` and `hash`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CancelOrderRequest {
    pub paymes_order_id: Text,
    pub price: Amount,
    #[serde(default)]
    pub refundable: Option<Amount>,
}

/// Validate a cancel and return the form fields to send (`publicKey, paymesOrderId, price,
/// hash`), the hash being `base64(sha512(paymesOrderId + price + secretKey))` over the exact
/// strings sent.
pub fn cancel_order_form(
    public_key: &str,
    secret_key: &str,
    req: &CancelOrderRequest,
) -> Result<[(&'static str, String); 4], Error> {
    validate::required("paymesOrderId", req.paymes_order_id.as_str())?;
    validate::positive("price", req.price)?;
    crate::refund::check_refundable(
        "price",
        req.price,
        crate::refund::from_refundable(req.refundable),
    )?;
    let id = req.paymes_order_id.0.clone();
    let price = req.price.dot2();
    let hash = sign::paymes_hash(&[id.as_str(), price.as_str()], secret_key);
    Ok([
        ("publicKey", public_key.to_owned()),
        ("paymesOrderId", id),
        ("price", price),
        ("hash", hash),
    ])
}

fn cancel_order(call: &Call<'_, PaymesConfig>, req: CancelOrderRequest) -> Result<Response, Error> {
    let (public_key, secret_key) = v46_keys(call.cfg)?;
    let form = cancel_order_form(public_key, secret_key, &req)?;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = post_form(call, ORDER_CANCEL_PATH, &pairs)?;
    cancel_order_reply(call, &req, &reply)
}

/// Interpret the reply to `POST /v4.6/order_cancel`: `{"status": true, "message": ...}` (the
/// Turkish page puts the text under `error`). The reply carries no amount or id, so the outcome
/// repeats what was sent.
fn cancel_order_reply(
    call: &Call<'_, PaymesConfig>,
    req: &CancelOrderRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: CancelReply<'_> = reply.typed(lost)?;
    match raw.status.as_deref() {
        Some("true") | Some("success") => {}
        Some("false") | Some("error") => return Err(raw.failure(reply)),
        _ => {
            return Err(error::unreadable_reply(
                lost,
                Some(reply.status),
                "the Paymes cancel reply is neither a result nor an error",
            ))
        }
    }
    let id = req.paymes_order_id.0.clone();
    let outcome = Outcome::Refund(crate::outcome::RefundOutcome {
        state: crate::refund::state_after(
            req.price,
            crate::refund::from_refundable(req.refundable),
        ),
        amount: req.price.dot2(),
        currency: None,
        payment_id: id.clone(),
        refund_id: None,
    });
    Ok(call.response(outcome, Some(id), reply.raw()))
}

// ---- webhooks ----------------------------------------------------------------------------

/// Verify a Paymes webhook delivery: the notification fields, form-encoded or JSON (chosen by
/// `Content-Type`), with the hash of [`verify_notification_with`]. A missing hash is a
/// `signature` error.
pub(crate) fn verify_webhook(
    cfg: &PaymesConfig,
    headers: &crate::webhook::Headers<'_>,
    body: &[u8],
) -> Result<crate::webhook::Verified, Error> {
    use crate::webhook::{delivery_key, form_or_json, Verified};
    const WHAT: &str = "the Paymes webhook";
    let (_, secret_key) = v46_keys(cfg)?;
    let raw = form_or_json(headers, body, WHAT)?;
    let text = crate::webhook::fields_json(&raw);
    let f: NotificationFields<'_> = crate::webhook::read_fields(&text, WHAT)?;
    if f.hash.as_deref().is_none_or(|h| h.trim().is_empty()) {
        return Err(Error::new(
            crate::error::ErrorKind::Signature,
            format!("{WHAT} has no hash, so it cannot be verified; do not trust it"),
        ));
    }
    // The signed fields are all required (the hash is over them); the message may be absent.
    let required = |name: &str, v: Option<Scalar<'_>>| -> Result<String, Error> {
        v.map(Scalar::into_string)
            .ok_or_else(|| Error::invalid_field(name, "is required"))
    };
    let req = NotificationRequest {
        paymes_order_id: Text(required("paymesOrderId", f.paymes_order_id)?),
        order_id: Text(required("orderId", f.order_id)?),
        kind: required("type", f.kind)?,
        message: f.message.map(Scalar::into_string),
        price: Text(required("price", f.price)?),
        currency: required("currency", f.currency)?,
        hash: required("hash", f.hash)?,
    };
    let status = verify_notification_with(secret_key, &req)?;
    let message = req.message.as_deref().unwrap_or("");
    let delivery = delivery_key(
        "paymes",
        &[
            req.paymes_order_id.as_str(),
            req.order_id.as_str(),
            &req.kind,
            message,
            req.price.as_str(),
            &req.currency,
        ],
    );
    let state = status.state;
    Ok(Verified {
        notification: crate::outcome::Notification {
            provider: "paymes".to_owned(),
            event: Some(req.kind.clone()),
            subject: crate::outcome::Subject::Payment,
            state,
            payment_id: Some(req.paymes_order_id.0.clone()),
            order_id: Some(req.order_id.0.clone()),
            duplicate: false,
            reply: None,
        },
        delivery,
        reference: Some(req.order_id.0.clone()),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn client() -> crate::Client {
        crate::Client::from_json(r#"{"paymes": {"public_key": "p", "secret_key": "s"}}"#).unwrap()
    }

    fn order() -> Value {
        serde_json::json!({"orderId": "o-1", "price": "10", "currency": "TRY", "productName": "P",
            "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"})
    }

    /// Numbers where Paymes documents strings (`price`, `paymesOrderId`, `status: true`) are read
    /// as their exact digits; a key the shape reads, given twice, refuses the reply:
    /// `outcome_unknown` for an order creation, `decode` for the status query.
    #[test]
    fn typed_replies_read_numbers_exactly_and_refuse_a_repeated_key() {
        let c = client();
        let status = br#"{"status":true,"results":{"currency":"TRY","price":10.10,"type":"success","orderId":123321,"paymesOrderId":"x"}}"#;
        let q = serde_json::json!({"paymesOrderId": "x"});
        let r = c
            .interpret_reply("paymes.query_order", q.clone(), 200, status.to_vec())
            .unwrap();
        let Outcome::Status(s) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(
            (s.state, s.amount.as_deref(), s.order_id.as_deref()),
            (State::Paid, Some("10.10"), Some("123321"))
        );
        let twice =
            br#"{"status":true,"results":{"price":"0.10","type":"error","type":"success"}}"#;
        let e = c
            .interpret_reply("paymes.query_order", q, 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("results.type"), "{e}");
        let twice = br#"{"status":"error","status":"return_url","returnUrl":"https://x/1","paymesOrderId":"1"}"#;
        let e = c
            .interpret_reply("paymes.create_order", order(), 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    }

    /// A JSON notification's numbers keep their digits through the decoded body: the hash is
    /// over the digits as sent.
    #[test]
    fn json_webhooks_keep_exact_digits() {
        let c = client();
        // Both numbers are ones serde_json would not hand over as their digits from a `Value`
        // (a float, an integer beyond u64).
        let id = "123456789012345678901234";
        let hash = sign::paymes_hash(&[id, "o-1", "success", "", "10.05", "TRY"], "s");
        let body = format!(
            r#"{{"paymesOrderId":{id},"orderId":"o-1","type":"success","price":10.05,"currency":"TRY","hash":"{hash}"}}"#
        );
        let json = [("Content-Type", "application/json")];
        let r = c.verify_webhook("paymes", &json, body.as_bytes()).unwrap();
        assert_eq!(r.provider_reference.as_deref(), Some(id));
        let e = c
            .verify_webhook("paymes", &json, body.replace("10.05", "10.050").as_bytes())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        let e = c
            .verify_webhook(
                "paymes",
                &json,
                body.replace("\"TRY\"", "[\"TRY\"]").as_bytes(),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        assert!(e.message().contains("currency"), "{e}");
    }

    #[test]
    fn cancel_hashes_the_exact_strings_sent() {
        let req: CancelOrderRequest =
            parse_request(&serde_json::json!({"paymesOrderId": "abc", "price": 10})).unwrap();
        let form = cancel_order_form("pk", "sk", &req).unwrap();
        assert_eq!(form[2], ("price", "10.00".to_owned()));
        assert_eq!(form[3].1, sign::paymes_hash(&["abc", "10.00"], "sk"));
        assert!(
            !form.iter().any(|(_, v)| v == "sk"),
            "the secret is never sent"
        );
    }
}
