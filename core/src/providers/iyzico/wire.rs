//! iyzico request types (iyzico's own field names), validation, and the exact bodies in the SDKs'
//! field order with prices as strings by the SDK rule.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::Error;
use crate::money::{Amount, Currency};
use crate::providers::{json_body, Count, Text};
use crate::secret::{CardNumber, Cvc};
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

/// The installment counts iyzico accepts (1 = a single payment).
pub(crate) const INSTALLMENTS: [u32; 6] = [1, 2, 3, 6, 9, 12];

/// The order checks shared by every iyzico payment request (`create_payment`, `init_3ds`,
/// `init_checkout_form`): basket items present, complete and adding up to `price` exactly;
/// a shipping address when anything is physical; the buyer and the addresses complete.
pub(crate) fn check_order(
    price: Amount,
    items: &[BasketItem],
    buyer: &Buyer,
    billing: &Address,
    shipping: Option<&Address>,
) -> Result<(), Error> {
    if items.is_empty() {
        return Err(Error::invalid_field(
            "basketItems",
            "must have at least one item",
        ));
    }
    let mut sum: Option<Amount> = None;
    for (i, item) in items.iter().enumerate() {
        // The field's path is only written out for an item that fails.
        let f = |name: &str| format!("basketItems[{i}].{name}");
        for (name, value) in [
            ("id", &item.id),
            ("name", &item.name),
            ("category1", &item.category1),
        ] {
            if value.trim().is_empty() {
                validate::required(&f(name), value)?;
            }
        }
        if item.price.is_zero() {
            validate::positive(&f("price"), item.price)?;
        }
        sum = Some(match sum {
            Some(s) => s + item.price,
            None => item.price,
        });
    }
    if sum != Some(price) {
        return Err(Error::invalid_field(
            "basketItems",
            format!(
                "prices add up to {} but price is {}; they must be equal exactly (iyzico error 5062)",
                sum.map(|s| s.iyzico()).unwrap_or_default(),
                price.iyzico()
            ),
        ));
    }
    let any_physical = items.iter().any(|i| i.item_type == ItemType::Physical);
    if any_physical && shipping.is_none() {
        return Err(Error::invalid_field(
            "shippingAddress",
            "is required when any basket item is PHYSICAL",
        ));
    }
    let b = buyer;
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
    check_address("billingAddress", billing)?;
    if let Some(a) = shipping {
        check_address("shippingAddress", a)?;
    }
    Ok(())
}

/// Validate a create-payment request and serialize the exact body to send.
pub fn create_payment_body(req: &CreatePaymentRequest) -> Result<Zeroizing<Vec<u8>>, Error> {
    validate::required("conversationId", &req.conversation_id)?;
    validate::positive("price", req.price)?;
    validate::positive("paidPrice", req.paid_price)?;
    if !INSTALLMENTS.contains(&req.installment.0) {
        return Err(Error::invalid_field(
            "installment",
            "must be one of 1, 2, 3, 6, 9, 12 (1 = single payment)",
        ));
    }
    check_order(
        req.price,
        &req.basket_items,
        &req.buyer,
        &req.billing_address,
        req.shipping_address.as_ref(),
    )?;
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
    json_body(&wire)
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
    json_body(&WireRetrieve {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        payment_id: req.payment_id.as_ref().map(Text::as_str),
        payment_conversation_id: req.payment_conversation_id.as_deref(),
    })
}
