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

use super::{form_body, Ctx, Text};
use crate::config::PaymesConfig;
use crate::error::{self, provider_error, signature_error, Error, ErrorKind};
use crate::money::{Amount, Currency};
use crate::outcome::{text, Outcome, Response, State, Status};
use crate::sign;
use crate::transport::{Body, Reply, Request};
use crate::validate;

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
    if req.price.is_zero() {
        return Err(Error::invalid_field("price", "must be greater than zero"));
    }
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

fn config<'a>(ctx: &Ctx<'a>) -> Result<&'a PaymesConfig, Error> {
    ctx.config
        .paymes
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Config, "paymes is not configured"))
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
    ctx: &Ctx<'_>,
    base: &str,
    path: &str,
    pairs: &[(&str, &str)],
    creates_order: bool,
) -> Result<Reply, Error> {
    let no_headers = |_: &[u8]| Vec::new();
    ctx.transport.send(&Request {
        url: format!("{base}{path}"),
        body: Body::Form(form_body(pairs)),
        headers: &no_headers,
        creates_order,
    })
}

/// Kinds of order creation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Hosted,
    Kiosk,
    Legacy,
}

pub(crate) fn create_order(
    ctx: &Ctx<'_>,
    req: CreateOrderRequest,
    flavor: Flavor,
) -> Result<Response, Error> {
    let f = order_fields(&req, flavor == Flavor::Legacy)?;
    let cfg = config(ctx)?;
    let reply = if flavor == Flavor::Legacy {
        let secret = cfg
            .secret
            .as_ref()
            .ok_or_else(|| Error::config_field("paymes.secret", "is needed for the legacy API"))?;
        let mut pairs = vec![("secret", secret.expose())];
        pairs.extend(f.named());
        post_form(ctx, &cfg.base_url, LEGACY_ORDER_CREATE_PATH, &pairs, true)?
    } else {
        let (public_key, secret_key) = v46_keys(cfg)?;
        let hash = sign::paymes_hash(&f.parts(), secret_key);
        let mut pairs = vec![("publicKey", public_key)];
        pairs.extend(f.named());
        pairs.push(("hash", &hash));
        if flavor == Flavor::Kiosk {
            pairs.push(("create_order_by_kiosk", "true"));
        }
        post_form(ctx, &cfg.base_url, ORDER_CREATE_PATH, &pairs, true)?
    };
    create_order_reply(flavor, &f.order_id, &reply)
}

/// Interpret the reply to an order creation.
pub(crate) fn create_order_reply(
    flavor: Flavor,
    order_id: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let operation = match flavor {
        Flavor::Hosted => "paymes.create_order",
        Flavor::Kiosk => "paymes.create_kiosk_order",
        Flavor::Legacy => "paymes.create_order_legacy",
    };
    let raw = reply.json(true)?;
    match text(&raw, "status").as_deref() {
        Some("return_url") => {}
        Some("error") => return Err(failure(&raw, reply)),
        _ => {
            return Err(error::unreadable_reply(
                true,
                Some(reply.status),
                "the Paymes reply is neither an order nor an error",
            ))
        }
    }
    let paymes_order_id = text(&raw, "paymesOrderId").ok_or_else(|| {
        error::unreadable_reply(
            true,
            Some(reply.status),
            "Paymes accepted the order without a paymesOrderId",
        )
    })?;
    let url = text(&raw, "returnUrl");
    let outcome = if flavor == Flavor::Kiosk {
        let invoice_code = text(&raw, "invoiceCode").ok_or_else(|| {
            error::unreadable_reply(
                true,
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
                    true,
                    Some(reply.status),
                    "Paymes accepted the order without a returnUrl",
                )
            })?,
            order_id: Some(order_id.to_owned()),
            provider_order_id: Some(paymes_order_id.clone()),
        }
    };
    Ok(Response {
        operation: operation.into(),
        outcome,
        provider_reference: Some(paymes_order_id),
        raw,
    })
}

pub(crate) fn query_order(ctx: &Ctx<'_>, req: QueryOrderRequest) -> Result<Response, Error> {
    validate::required("paymesOrderId", req.paymes_order_id.as_str())?;
    let cfg = config(ctx)?;
    let (public_key, secret_key) = v46_keys(cfg)?;
    let id = req.paymes_order_id.as_str();
    let hash = sign::paymes_hash(&[id], secret_key);
    let reply = post_form(
        ctx,
        &cfg.base_url,
        STATUS_PATH,
        &[
            ("publicKey", public_key),
            ("paymesOrderId", id),
            ("hash", &hash),
        ],
        false,
    )?;
    query_order_reply(id, &reply)
}

/// Interpret the reply to `POST /v4.6/status`.
pub(crate) fn query_order_reply(id: &str, reply: &Reply) -> Result<Response, Error> {
    let raw = reply.json(false)?;
    let status_text = text(&raw, "status");
    let ok = matches!(status_text.as_deref(), Some("true") | Some("success"));
    if !ok {
        if !matches!(status_text.as_deref(), Some("false") | Some("error")) {
            return Err(error::unreadable_reply(
                false,
                Some(reply.status),
                "the Paymes status reply is neither a result nor an error",
            ));
        }
        if reply.status == 404 {
            return Ok(Response {
                operation: "paymes.query_order".into(),
                outcome: Outcome::Status(Status::not_found(None, Some(id.to_owned()))),
                provider_reference: None,
                raw,
            });
        }
        return Err(failure(&raw, reply));
    }
    let results = raw
        .get("results")
        .filter(|r| r.is_object())
        .ok_or_else(|| {
            error::unreadable_reply(
                false,
                Some(reply.status),
                "Paymes status reply has no results",
            )
        })?;
    let state = match text(results, "type").as_deref() {
        Some("success") => State::Paid,
        Some("error") | Some("failed") | Some("fail") => State::Failed,
        Some("cancelled") | Some("canceled") | Some("cancel") => State::Cancelled,
        Some("refunded") | Some("refund") => State::Refunded,
        _ => State::Pending,
    };
    let status = Status {
        state,
        order_id: text(results, "orderId"),
        provider_order_id: text(results, "paymesOrderId").or_else(|| Some(id.to_owned())),
        amount: text(results, "price"),
        currency: text(results, "currency"),
        message: text(results, "message"),
    };
    Ok(Response {
        operation: "paymes.query_order".into(),
        outcome: Outcome::Status(status),
        provider_reference: Some(id.to_owned()),
        raw,
    })
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
        state: if req.kind == "success" {
            State::Paid
        } else {
            State::Failed
        },
        order_id: Some(req.order_id.0.clone()),
        provider_order_id: Some(req.paymes_order_id.0.clone()),
        amount: Some(req.price.0.clone()),
        currency: Some(req.currency.clone()),
        message: req.message.clone(),
    })
}

pub(crate) fn verify_notification(
    ctx: &Ctx<'_>,
    raw: Value,
    req: NotificationRequest,
) -> Result<Response, Error> {
    let cfg = config(ctx)?;
    let (_, secret_key) = v46_keys(cfg)?;
    let status = verify_notification_with(secret_key, &req)?;
    Ok(Response {
        operation: "paymes.verify_notification".into(),
        provider_reference: status.provider_order_id.clone(),
        outcome: Outcome::Notification(status),
        raw,
    })
}

fn failure(raw: &Value, reply: &Reply) -> Error {
    let message = text(raw, "message").or_else(|| text(raw, "error"));
    let failure = error::paymes_failure(message.as_deref(), reply.status);
    provider_error(failure, None, message.as_deref(), reply.status)
}
