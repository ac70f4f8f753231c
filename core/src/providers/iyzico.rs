//! iyzico: `POST /payment/auth` (Non-3DS payment) and `POST /payment/detail` (retrieve).
//!
//! Requests are JSON, serialized once in the SDKs' field order with prices as strings by the SDK
//! rule, signed with `IYZWSv2` over exactly those bytes and the path without query, and sent
//! unchanged. Success replies carry a `signature` (hex HMAC-SHA256 over
//! `paymentId:currency:basketId:conversationId:paidPrice:price`, amounts normalised), which is
//! checked in constant time; a success without a valid signature is a `signature` error.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{Count, Ctx, Text};
use crate::error::{self, provider_error, signature_error, Error, ErrorKind, ProviderFailure};
use crate::money::{normalize_signed_amount, Amount, Currency};
use crate::outcome::{text, ItemTransaction, Outcome, Payment, Response, State, Status};
use crate::secret::{CardNumber, Cvc};
use crate::sign;
use crate::transport::{Body, Reply, Request};
use crate::validate;

pub const CREATE_PAYMENT_PATH: &str = "/payment/auth";
pub const RETRIEVE_PAYMENT_PATH: &str = "/payment/detail";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Tr,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentChannel {
    Web,
    Mobile,
    MobileWeb,
    MobileIos,
    MobileAndroid,
    MobileWindows,
    MobileTablet,
    MobilePhone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentGroup {
    Product,
    Listing,
    Subscription,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ItemType {
    Physical,
    Virtual,
}

/// `iyzico.create_payment` request: iyzico's own field names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreatePaymentRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Your order reference. Required by odeme: it is how a payment whose outcome is unknown is
    /// found again (`iyzico.retrieve_payment` with `paymentConversationId`).
    pub conversation_id: String,
    pub price: Amount,
    pub paid_price: Amount,
    #[serde(default)]
    pub currency: Option<Currency>,
    pub installment: Count,
    #[serde(default)]
    pub basket_id: Option<String>,
    #[serde(default)]
    pub payment_channel: Option<PaymentChannel>,
    #[serde(default)]
    pub payment_group: Option<PaymentGroup>,
    pub payment_card: PaymentCard,
    pub buyer: Buyer,
    #[serde(default)]
    pub shipping_address: Option<Address>,
    pub billing_address: Address,
    pub basket_items: Vec<BasketItem>,
    #[serde(default)]
    pub payment_source: Option<String>,
    #[serde(default)]
    pub pos_order_id: Option<String>,
    #[serde(default)]
    pub connector_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaymentCard {
    #[serde(default)]
    pub card_holder_name: Option<String>,
    #[serde(default)]
    pub card_number: Option<CardNumber>,
    #[serde(default)]
    pub expire_year: Option<Text>,
    #[serde(default)]
    pub expire_month: Option<Text>,
    #[serde(default)]
    pub cvc: Option<Cvc>,
    #[serde(default)]
    pub register_card: Option<Count>,
    #[serde(default)]
    pub card_alias: Option<String>,
    #[serde(default)]
    pub card_token: Option<String>,
    #[serde(default)]
    pub card_user_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Buyer {
    pub id: String,
    pub name: String,
    pub surname: String,
    pub identity_number: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsm_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_date: Option<String>,
    pub registration_address: String,
    pub city: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    pub ip: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Address {
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    pub contact_name: String,
    pub city: String,
    pub country: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BasketItem {
    pub id: String,
    pub price: Amount,
    pub name: String,
    pub category1: String,
    #[serde(default)]
    pub category2: Option<String>,
    pub item_type: ItemType,
    #[serde(default)]
    pub sub_merchant_key: Option<String>,
    #[serde(default)]
    pub sub_merchant_price: Option<Amount>,
}

/// `iyzico.retrieve_payment` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetrievePaymentRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub payment_id: Option<Text>,
    #[serde(default)]
    pub payment_conversation_id: Option<String>,
}

// ---- wire types, in the SDKs' field order -------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WirePayment<'a> {
    locale: Locale,
    conversation_id: &'a str,
    price: String,
    paid_price: String,
    installment: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_channel: Option<PaymentChannel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basket_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_group: Option<PaymentGroup>,
    payment_card: WireCard<'a>,
    buyer: &'a Buyer,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address: Option<&'a Address>,
    billing_address: &'a Address,
    basket_items: Vec<WireItem<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_source: Option<&'a str>,
    currency: Currency,
    #[serde(skip_serializing_if = "Option::is_none")]
    pos_order_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connector_name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireCard<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    card_holder_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_number: Option<&'a CardNumber>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_year: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cvc: Option<&'a Cvc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    register_card: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_alias: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_user_key: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireItem<'a> {
    id: &'a str,
    price: String,
    name: &'a str,
    category1: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category2: Option<&'a str>,
    item_type: ItemType,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_merchant_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_merchant_price: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRetrieve<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_conversation_id: Option<&'a str>,
}

const INSTALLMENTS: [u32; 6] = [1, 2, 3, 6, 9, 12];

/// Validate a create-payment request and serialize the exact body to send.
pub fn create_payment_body(req: &CreatePaymentRequest) -> Result<Zeroizing<Vec<u8>>, Error> {
    validate::required("conversationId", &req.conversation_id)?;
    if req.price.is_zero() {
        return Err(Error::invalid_field("price", "must be greater than zero"));
    }
    if req.paid_price.is_zero() {
        return Err(Error::invalid_field(
            "paidPrice",
            "must be greater than zero",
        ));
    }
    if !INSTALLMENTS.contains(&req.installment.0) {
        return Err(Error::invalid_field(
            "installment",
            "must be one of 1, 2, 3, 6, 9, 12 (1 = single payment)",
        ));
    }
    if req.basket_items.is_empty() {
        return Err(Error::invalid_field(
            "basketItems",
            "must have at least one item",
        ));
    }
    let mut sum: Option<Amount> = None;
    for (i, item) in req.basket_items.iter().enumerate() {
        let f = |name: &str| format!("basketItems[{i}].{name}");
        validate::required(&f("id"), &item.id)?;
        validate::required(&f("name"), &item.name)?;
        validate::required(&f("category1"), &item.category1)?;
        if item.price.is_zero() {
            return Err(Error::invalid_field(
                f("price"),
                "must be greater than zero",
            ));
        }
        sum = Some(match sum {
            Some(s) => s + item.price,
            None => item.price,
        });
    }
    if sum != Some(req.price) {
        return Err(Error::invalid_field(
            "basketItems",
            format!(
                "prices add up to {} but price is {}; they must be equal exactly (iyzico error 5062)",
                sum.map(|s| s.iyzico()).unwrap_or_default(),
                req.price.iyzico()
            ),
        ));
    }
    let any_physical = req
        .basket_items
        .iter()
        .any(|i| i.item_type == ItemType::Physical);
    if any_physical && req.shipping_address.is_none() {
        return Err(Error::invalid_field(
            "shippingAddress",
            "is required when any basket item is PHYSICAL",
        ));
    }
    let b = &req.buyer;
    for (name, value) in [
        ("buyer.id", &b.id),
        ("buyer.name", &b.name),
        ("buyer.surname", &b.surname),
        ("buyer.identityNumber", &b.identity_number),
        ("buyer.registrationAddress", &b.registration_address),
        ("buyer.city", &b.city),
        ("buyer.country", &b.country),
        ("buyer.ip", &b.ip),
    ] {
        validate::required(name, value)?;
    }
    validate::email("buyer.email", &b.email)?;
    if let Some(gsm) = &b.gsm_number {
        validate::phone("buyer.gsmNumber", gsm)?;
    }
    check_address("billingAddress", &req.billing_address)?;
    if let Some(a) = &req.shipping_address {
        check_address("shippingAddress", a)?;
    }
    let card = wire_card(&req.payment_card)?;
    let wire = WirePayment {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: &req.conversation_id,
        price: req.price.iyzico(),
        paid_price: req.paid_price.iyzico(),
        installment: req.installment.0,
        payment_channel: req.payment_channel,
        basket_id: req.basket_id.as_deref(),
        payment_group: req.payment_group,
        payment_card: card,
        buyer: &req.buyer,
        shipping_address: req.shipping_address.as_ref(),
        billing_address: &req.billing_address,
        basket_items: req
            .basket_items
            .iter()
            .map(|i| WireItem {
                id: &i.id,
                price: i.price.iyzico(),
                name: &i.name,
                category1: &i.category1,
                category2: i.category2.as_deref(),
                item_type: i.item_type,
                sub_merchant_key: i.sub_merchant_key.as_deref(),
                sub_merchant_price: i.sub_merchant_price.map(Amount::iyzico),
            })
            .collect(),
        payment_source: req.payment_source.as_deref(),
        currency: req.currency.unwrap_or(Currency::Try),
        pos_order_id: req.pos_order_id.as_deref(),
        connector_name: req.connector_name.as_deref(),
    };
    to_body(&wire)
}

fn to_body<T: Serialize>(wire: &T) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut buf = Zeroizing::new(Vec::with_capacity(2048));
    serde_json::to_writer(&mut *buf, wire).map_err(|_| {
        Error::new(
            ErrorKind::Internal,
            "could not serialize the iyzico request",
        )
    })?;
    Ok(buf)
}

fn check_address(prefix: &str, a: &Address) -> Result<(), Error> {
    for (name, value) in [
        ("address", &a.address),
        ("contactName", &a.contact_name),
        ("city", &a.city),
        ("country", &a.country),
    ] {
        validate::required(&format!("{prefix}.{name}"), value)?;
    }
    Ok(())
}

fn wire_card(c: &PaymentCard) -> Result<WireCard<'_>, Error> {
    let register_card = match c.register_card {
        Some(Count(v)) if v > 1 => {
            return Err(Error::invalid_field(
                "paymentCard.registerCard",
                "must be 0 or 1",
            ))
        }
        Some(Count(v)) => Some(v.to_string()),
        None => None,
    };
    if let Some(token) = &c.card_token {
        // A stored card: token and user key instead of the card number.
        validate::required("paymentCard.cardToken", token)?;
        match &c.card_user_key {
            Some(k) => validate::required("paymentCard.cardUserKey", k)?,
            None => {
                return Err(Error::invalid_field(
                    "paymentCard.cardUserKey",
                    "is required with cardToken",
                ))
            }
        }
        if c.card_number.is_some() {
            return Err(Error::invalid_field(
                "paymentCard.cardNumber",
                "must not be sent together with cardToken",
            ));
        }
        return Ok(WireCard {
            card_holder_name: c.card_holder_name.as_deref(),
            card_number: None,
            expire_year: None,
            expire_month: None,
            cvc: c.cvc.as_ref(),
            register_card,
            card_alias: c.card_alias.as_deref(),
            card_token: Some(token),
            card_user_key: c.card_user_key.as_deref(),
        });
    }
    let holder = c.card_holder_name.as_deref().unwrap_or("");
    validate::required("paymentCard.cardHolderName", holder)?;
    let number = c.card_number.as_ref().ok_or_else(|| {
        Error::invalid_field("paymentCard.cardNumber", "is required (or cardToken)")
    })?;
    let month = c
        .expire_month
        .as_ref()
        .ok_or_else(|| Error::invalid_field("paymentCard.expireMonth", "is required"))?;
    let year = c
        .expire_year
        .as_ref()
        .ok_or_else(|| Error::invalid_field("paymentCard.expireYear", "is required"))?;
    let cvc = c
        .cvc
        .as_ref()
        .ok_or_else(|| Error::invalid_field("paymentCard.cvc", "is required"))?;
    let (m, y) = validate::card("paymentCard", number, month.as_str(), year.as_str(), cvc)?;
    Ok(WireCard {
        card_holder_name: Some(holder),
        card_number: Some(number),
        expire_year: Some(y),
        expire_month: Some(m),
        cvc: Some(cvc),
        register_card,
        card_alias: c.card_alias.as_deref(),
        card_token: None,
        card_user_key: None,
    })
}

/// Validate a retrieve request and serialize its body.
pub fn retrieve_payment_body(req: &RetrievePaymentRequest) -> Result<Zeroizing<Vec<u8>>, Error> {
    if req.payment_id.is_none() && req.payment_conversation_id.is_none() {
        return Err(Error::invalid_field(
            "paymentId",
            "paymentId or paymentConversationId is required",
        ));
    }
    if let Some(id) = &req.payment_id {
        validate::required("paymentId", id.as_str())?;
    }
    validate::not_blank("paymentConversationId", &req.payment_conversation_id)?;
    to_body(&WireRetrieve {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_ref().map(Text::as_str),
        payment_conversation_id: req.payment_conversation_id.as_deref(),
    })
}

// ---- calls -------------------------------------------------------------------------------

pub(crate) fn create_payment(ctx: &Ctx<'_>, req: CreatePaymentRequest) -> Result<Response, Error> {
    let body = create_payment_body(&req)?;
    let reply = post(ctx, CREATE_PAYMENT_PATH, body, true)?;
    create_payment_reply(secret_key(ctx)?, &reply)
}

/// Interpret the reply to `POST /payment/auth`.
pub(crate) fn create_payment_reply(secret: &str, reply: &Reply) -> Result<Response, Error> {
    let raw = reply.json(true)?;
    if !is_success(&raw) {
        return Err(failure(&raw, reply.status));
    }
    let payment = parse_payment(&raw, true)?;
    verify_payment_signature(secret, &raw, "the iyzico payment reply")?;
    let reference = Some(payment.payment_id.clone());
    let outcome = if payment.fraud_status.as_deref() == Some("0") {
        Outcome::Review(payment)
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
    Ok(Response {
        operation: "iyzico.create_payment".into(),
        outcome,
        provider_reference: reference,
        raw,
    })
}

pub(crate) fn retrieve_payment(
    ctx: &Ctx<'_>,
    req: RetrievePaymentRequest,
) -> Result<Response, Error> {
    let body = retrieve_payment_body(&req)?;
    let reply = post(ctx, RETRIEVE_PAYMENT_PATH, body, false)?;
    retrieve_payment_reply(secret_key(ctx)?, &req, &reply)
}

/// Interpret the reply to `POST /payment/detail`.
pub(crate) fn retrieve_payment_reply(
    secret: &str,
    req: &RetrievePaymentRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw = reply.json(false)?;
    let order_id = req.payment_conversation_id.clone();
    if !is_success(&raw) {
        if text(&raw, "errorCode").as_deref() == Some("5087") {
            return Ok(Response {
                operation: "iyzico.retrieve_payment".into(),
                outcome: Outcome::Status(Status::not_found(
                    order_id,
                    req.payment_id.as_ref().map(|t| t.0.clone()),
                )),
                provider_reference: None,
                raw,
            });
        }
        return Err(failure(&raw, reply.status));
    }
    let payment = parse_payment(&raw, false)?;
    verify_payment_signature(secret, &raw, "the iyzico payment detail reply")?;
    let state = match text(&raw, "paymentStatus").as_deref() {
        None | Some("SUCCESS") => match payment.fraud_status.as_deref() {
            Some("0") => State::Pending,
            Some("-1") => State::Failed,
            _ => State::Paid,
        },
        Some("FAILURE") => State::Failed,
        Some("REFUNDED") => State::Refunded,
        Some("CANCELLED") | Some("CANCELED") => State::Cancelled,
        Some(_) => State::Pending,
    };
    Ok(Response {
        operation: "iyzico.retrieve_payment".into(),
        provider_reference: Some(payment.payment_id.clone()),
        outcome: Outcome::Status(Status {
            state,
            order_id: payment.conversation_id.clone().or(order_id),
            provider_order_id: Some(payment.payment_id.clone()),
            amount: Some(payment.paid_price.clone()),
            currency: payment.currency.clone(),
            message: text(&raw, "paymentStatus"),
        }),
        raw,
    })
}

fn secret_key<'a>(ctx: &Ctx<'a>) -> Result<&'a str, Error> {
    Ok(ctx
        .config
        .iyzico
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Config, "iyzico is not configured"))?
        .secret_key
        .expose())
}

fn post(
    ctx: &Ctx<'_>,
    path: &str,
    body: Zeroizing<Vec<u8>>,
    creates_order: bool,
) -> Result<crate::transport::Reply, Error> {
    let cfg = ctx
        .config
        .iyzico
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Config, "iyzico is not configured"))?;
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
    ctx.transport.send(&Request {
        url: format!("{}{}", cfg.base_url, path),
        body: Body::Json(body),
        headers: &headers,
        creates_order,
    })
}

/// `status` arrives as a string or a number; only `"success"` is success.
fn is_success(raw: &Value) -> bool {
    text(raw, "status").as_deref() == Some("success")
}

fn failure(raw: &Value, http_status: u16) -> Error {
    let code = text(raw, "errorCode");
    let message = text(raw, "errorMessage");
    let group = text(raw, "errorGroup");
    let status = text(raw, "status");
    let failure = error::iyzico_failure(
        code.as_deref(),
        group.as_deref(),
        status.as_deref(),
        http_status,
    );
    let mut e = provider_error(failure, code.as_deref(), message.as_deref(), http_status);
    if failure == ProviderFailure::Declined {
        if let Some(g) = group {
            e = e.with_message_suffix(&format!("error group {g}"));
        }
    }
    e
}

fn parse_payment(raw: &Value, creates_order: bool) -> Result<Payment, Error> {
    let missing = |what: &str| {
        error::unreadable_reply(
            creates_order,
            None,
            &format!("iyzico reported success without {what}"),
        )
    };
    let payment_id = text(raw, "paymentId").ok_or_else(|| missing("paymentId"))?;
    let price = text(raw, "price").ok_or_else(|| missing("price"))?;
    let paid_price = text(raw, "paidPrice").ok_or_else(|| missing("paidPrice"))?;
    let items = raw
        .get("itemTransactions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| ItemTransaction {
                    item_id: text(t, "itemId"),
                    payment_transaction_id: text(t, "paymentTransactionId"),
                    price: text(t, "price"),
                    paid_price: text(t, "paidPrice"),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Payment {
        payment_id,
        conversation_id: text(raw, "conversationId"),
        basket_id: text(raw, "basketId"),
        price,
        paid_price,
        currency: text(raw, "currency"),
        installment: text(raw, "installment"),
        fraud_status: text(raw, "fraudStatus"),
        bin_number: text(raw, "binNumber"),
        last_four_digits: text(raw, "lastFourDigits"),
        card_association: text(raw, "cardAssociation"),
        card_family: text(raw, "cardFamily"),
        card_type: text(raw, "cardType"),
        auth_code: text(raw, "authCode"),
        item_transactions: items,
    })
}

/// The fields a payment reply signs, in order, amounts normalised (reference §4).
pub fn payment_signature_fields(raw: &Value) -> [String; 6] {
    let amount = |k: &str| {
        text(raw, k)
            .map(|t| normalize_signed_amount(&t))
            .unwrap_or_default()
    };
    [
        text(raw, "paymentId").unwrap_or_default(),
        text(raw, "currency").unwrap_or_default(),
        text(raw, "basketId").unwrap_or_default(),
        text(raw, "conversationId").unwrap_or_default(),
        amount("paidPrice"),
        amount("price"),
    ]
}

fn verify_payment_signature(secret: &str, raw: &Value, what: &str) -> Result<(), Error> {
    let Some(received) = text(raw, "signature") else {
        return Err(signature_error(&format!("{what} (no signature)")));
    };
    if sign::iyzico_verify(secret, &payment_signature_fields(raw), &received) {
        Ok(())
    } else {
        Err(signature_error(what))
    }
}
