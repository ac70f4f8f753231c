//! iyzico request types (iyzico's own field names), validation, and the exact bodies in the SDKs'
//! field order with prices as strings by the SDK rule.

use crate::secret::WipingBuf;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::money::{Amount, Currency, IyzicoAmount};
use crate::providers::{json_body, Count, Text};
use crate::secret::{presence, CardNumber, Cvc};
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
///
/// `S` is the type of its text fields: `String` (the default) for a request you build, or
/// [`Str`](crate::json::Str) for one read from JSON (borrowing its text, no copy per field).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreatePaymentRequest<S = String> {
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Your order reference. Required by odeme: it is how a payment whose outcome is unknown is
    /// found again (`iyzico.retrieve_payment` with `paymentConversationId`).
    pub conversation_id: S,
    pub price: Amount,
    pub paid_price: Amount,
    #[serde(default)]
    pub currency: Option<Currency>,
    pub installment: Count,
    #[serde(default)]
    pub basket_id: Option<S>,
    #[serde(default)]
    pub payment_channel: Option<PaymentChannel>,
    #[serde(default)]
    pub payment_group: Option<PaymentGroup>,
    pub payment_card: PaymentCard<S>,
    pub buyer: Buyer<S>,
    #[serde(default)]
    pub shipping_address: Option<Address<S>>,
    pub billing_address: Address<S>,
    pub basket_items: Vec<BasketItem<S>>,
    #[serde(default)]
    pub payment_source: Option<S>,
    #[serde(default)]
    pub pos_order_id: Option<S>,
    #[serde(default)]
    pub connector_name: Option<S>,
}

/// The card: a number, expiry and CVC, or a stored card's `cardToken` and `cardUserKey`. Its
/// `Debug` shows none of them (the number masked, the rest by presence only).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaymentCard<S = String> {
    #[serde(default)]
    pub card_holder_name: Option<S>,
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
    pub card_alias: Option<S>,
    #[serde(default)]
    pub card_token: Option<S>,
    #[serde(default)]
    pub card_user_key: Option<S>,
}

impl<S: std::fmt::Debug> std::fmt::Debug for PaymentCard<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A stored card's token (with its user key) charges the card like its number does.
        f.debug_struct("PaymentCard")
            .field("card_holder_name", &self.card_holder_name)
            .field("card_number", &self.card_number)
            .field("expire_year", &presence(&self.expire_year))
            .field("expire_month", &presence(&self.expire_month))
            .field("cvc", &self.cvc)
            .field("register_card", &self.register_card)
            .field("card_alias", &self.card_alias)
            .field("card_token", &presence(&self.card_token))
            .field("card_user_key", &presence(&self.card_user_key))
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Buyer<S = String> {
    pub id: S,
    pub name: S,
    pub surname: S,
    pub identity_number: S,
    pub email: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsm_number: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_date: Option<S>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_date: Option<S>,
    pub registration_address: S,
    pub city: S,
    pub country: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<S>,
    pub ip: S,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Address<S = String> {
    pub address: S,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<S>,
    pub contact_name: S,
    pub city: S,
    pub country: S,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BasketItem<S = String> {
    pub id: S,
    pub price: Amount,
    pub name: S,
    pub category1: S,
    #[serde(default)]
    pub category2: Option<S>,
    pub item_type: ItemType,
    #[serde(default)]
    pub sub_merchant_key: Option<S>,
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
struct WirePayment<'a, S> {
    locale: Locale,
    conversation_id: &'a str,
    price: IyzicoAmount,
    paid_price: IyzicoAmount,
    installment: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_channel: Option<PaymentChannel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basket_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_group: Option<PaymentGroup>,
    payment_card: WireCard<'a>,
    buyer: &'a Buyer<S>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address: Option<&'a Address<S>>,
    billing_address: &'a Address<S>,
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

/// A basket item as the SDKs send it (payments, 3-D Secure and the checkout form alike).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireItem<'a> {
    id: &'a str,
    price: IyzicoAmount,
    name: &'a str,
    category1: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category2: Option<&'a str>,
    item_type: ItemType,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_merchant_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_merchant_price: Option<IyzicoAmount>,
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
pub(crate) fn check_order<S: AsRef<str>>(
    price: Amount,
    items: &[BasketItem<S>],
    buyer: &Buyer<S>,
    billing: &Address<S>,
    shipping: Option<&Address<S>>,
) -> Result<(), Error> {
    if items.is_empty() {
        return Err(Error::invalid_field(
            "basketItems",
            "must have at least one item",
        ));
    }
    let mut sum: Option<Amount> = None;
    for (i, item) in items.iter().enumerate() {
        for (name, value) in [
            ("id", item.id.as_ref()),
            ("name", item.name.as_ref()),
            ("category1", item.category1.as_ref()),
        ] {
            validate::required_at(value, || format!("basketItems[{i}].{name}"))?;
        }
        if item.price.is_zero() {
            validate::positive(&format!("basketItems[{i}].price"), item.price)?;
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
        ("buyer.id", b.id.as_ref()),
        ("buyer.name", b.name.as_ref()),
        ("buyer.surname", b.surname.as_ref()),
        ("buyer.identityNumber", b.identity_number.as_ref()),
        ("buyer.registrationAddress", b.registration_address.as_ref()),
        ("buyer.city", b.city.as_ref()),
        ("buyer.country", b.country.as_ref()),
        ("buyer.ip", b.ip.as_ref()),
    ] {
        validate::required(name, value)?;
    }
    validate::email("buyer.email", b.email.as_ref())?;
    if let Some(gsm) = &b.gsm_number {
        validate::phone("buyer.gsmNumber", gsm.as_ref())?;
    }
    check_address("billingAddress", billing)?;
    if let Some(a) = shipping {
        check_address("shippingAddress", a)?;
    }
    Ok(())
}

/// Validate a create-payment request and serialize the exact body to send.
pub fn create_payment_body<S: AsRef<str> + Serialize>(
    req: &CreatePaymentRequest<S>,
) -> Result<WipingBuf, Error> {
    validate::required("conversationId", req.conversation_id.as_ref())?;
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
        conversation_id: req.conversation_id.as_ref(),
        price: IyzicoAmount(req.price),
        paid_price: IyzicoAmount(req.paid_price),
        installment: req.installment.0,
        payment_channel: req.payment_channel,
        basket_id: opt(&req.basket_id),
        payment_group: req.payment_group,
        payment_card: card,
        buyer: &req.buyer,
        shipping_address: req.shipping_address.as_ref(),
        billing_address: &req.billing_address,
        basket_items: wire_items(&req.basket_items),
        payment_source: opt(&req.payment_source),
        currency: req.currency.unwrap_or(Currency::Try),
        pos_order_id: opt(&req.pos_order_id),
        connector_name: opt(&req.connector_name),
    };
    json_body(&wire)
}

/// An optional text field as `&str`, whatever its text type.
fn opt<S: AsRef<str>>(v: &Option<S>) -> Option<&str> {
    v.as_ref().map(AsRef::as_ref)
}

/// The basket items in the SDKs' form.
pub(crate) fn wire_items<S: AsRef<str>>(items: &[BasketItem<S>]) -> Vec<WireItem<'_>> {
    items
        .iter()
        .map(|i| WireItem {
            id: i.id.as_ref(),
            price: IyzicoAmount(i.price),
            name: i.name.as_ref(),
            category1: i.category1.as_ref(),
            category2: opt(&i.category2),
            item_type: i.item_type,
            sub_merchant_key: opt(&i.sub_merchant_key),
            sub_merchant_price: i.sub_merchant_price.map(IyzicoAmount),
        })
        .collect()
}

fn check_address<S: AsRef<str>>(prefix: &str, a: &Address<S>) -> Result<(), Error> {
    for (name, value) in [
        ("address", a.address.as_ref()),
        ("contactName", a.contact_name.as_ref()),
        ("city", a.city.as_ref()),
        ("country", a.country.as_ref()),
    ] {
        validate::required_at(value, || format!("{prefix}.{name}"))?;
    }
    Ok(())
}

fn wire_card<S: AsRef<str>>(c: &PaymentCard<S>) -> Result<WireCard<'_>, Error> {
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
        validate::required("paymentCard.cardToken", token.as_ref())?;
        match &c.card_user_key {
            Some(k) => validate::required("paymentCard.cardUserKey", k.as_ref())?,
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
            card_holder_name: opt(&c.card_holder_name),
            card_number: None,
            expire_year: None,
            expire_month: None,
            cvc: c.cvc.as_ref(),
            register_card,
            card_alias: opt(&c.card_alias),
            card_token: Some(token.as_ref()),
            card_user_key: opt(&c.card_user_key),
        });
    }
    let holder = c.card_holder_name.as_ref().map_or("", AsRef::as_ref);
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
        card_alias: opt(&c.card_alias),
        card_token: None,
        // With registerCard, the card user to store the card for (a new one when absent).
        card_user_key: opt(&c.card_user_key),
    })
}

/// Validate a retrieve request and serialize its body.
pub fn retrieve_payment_body(req: &RetrievePaymentRequest) -> Result<WipingBuf, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Str;
    use crate::validate::{parse_borrowed, parse_request, Input};
    use std::borrow::Cow;

    fn request(name: &str, extra: &str) -> String {
        format!(
            r#"{{"conversationId":"c-1","price":"1.0","paidPrice":"1.2","installment":1,{extra}
            "paymentCard":{{"cardHolderName":"John Doe","cardNumber":"5528790000000008","expireMonth":"12","expireYear":"2030","cvc":"123"}},
            "buyer":{{"id":"BY1","name":{name},"surname":"Doe","identityNumber":"74300864791","email":"a@b.co","registrationAddress":"Addr","city":"Istanbul","country":"Turkey","ip":"85.34.78.112"}},
            "billingAddress":{{"contactName":"Jane","city":"Istanbul","country":"Turkey","address":"Addr"}},
            "basketItems":[{{"id":"BI1","name":"Usb","category1":"Electronics","itemType":"VIRTUAL","price":"1.0"}}]}}"#
        )
    }

    fn owned_body(text: &str) -> WipingBuf {
        let owned: CreatePaymentRequest = parse_request(Input::Text(text)).unwrap();
        create_payment_body(&owned).unwrap()
    }

    #[test]
    fn a_request_read_borrowed_makes_the_body_the_owned_reading_makes() {
        // Plain strings are borrowed from the text; one with an escape is unescaped into its own.
        for (name, borrowed) in [(r#""John""#, true), (r#""J\u00f6hn \"Jr\"""#, false)] {
            let text = request(name, "");
            let b: CreatePaymentRequest<Str> = parse_borrowed(&Input::Text(&text)).unwrap();
            assert_eq!(
                matches!(b.buyer.name.0, Cow::Borrowed(_)),
                borrowed,
                "{name}"
            );
            assert!(matches!(b.buyer.surname.0, Cow::Borrowed(_)));
            assert_eq!(
                create_payment_body(&b).unwrap(),
                owned_body(&text),
                "{name}"
            );
            // From a parsed value, borrowing from it.
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let b: CreatePaymentRequest<Str> = parse_borrowed(&Input::Value(&value)).unwrap();
            assert!(matches!(b.buyer.surname.0, Cow::Borrowed(_)));
            assert_eq!(
                create_payment_body(&b).unwrap(),
                owned_body(&text),
                "{name}"
            );
        }
    }

    #[test]
    fn a_request_debug_shows_no_card_data_nor_a_stored_cards_token() {
        let token = r#""cardToken":"tok-9f2c7e51","cardUserKey":"usr-4d81a0","#;
        let text = request(r#""John""#, "")
            .replace(r#""paymentCard":{"#, &format!(r#""paymentCard":{{{token}"#));
        let owned: CreatePaymentRequest = parse_request(Input::Text(&text)).unwrap();
        let b: CreatePaymentRequest<Str> = parse_borrowed(&Input::Text(&text)).unwrap();
        for shown in [
            format!("{owned:?}"),
            format!("{b:?}"),
            format!("{:#?}", b.payment_card),
        ] {
            for secret in [
                "tok-9f2c7e51",
                "usr-4d81a0",
                "5528790000000008",
                "\"123\"",
                "2030",
            ] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert_eq!(shown.matches("<not shown>").count(), 4, "{shown}");
            assert!(
                shown.contains("John Doe"),
                "the holder's name stays: {shown}"
            );
        }
    }

    #[test]
    fn what_the_borrowed_reading_cannot_read_is_left_to_parse_request() {
        // A repeated key (the value keeps the last), a wrong type, a list: no borrowed request,
        // and `parse_request` gives what it always gave.
        let repeated = request(r#""John""#, r#""basketId":"B1","basketId":"B2","#);
        assert!(parse_borrowed::<CreatePaymentRequest<Str>>(&Input::Text(&repeated)).is_none());
        let owned: CreatePaymentRequest = parse_request(Input::Text(&repeated)).unwrap();
        assert_eq!(owned.basket_id.as_deref(), Some("B2"));
        let wrong = request("5", "");
        assert!(parse_borrowed::<CreatePaymentRequest<Str>>(&Input::Text(&wrong)).is_none());
        let e = parse_request::<CreatePaymentRequest>(Input::Text(&wrong)).unwrap_err();
        assert_eq!(e.field(), Some("buyer.name"));
        assert!(parse_borrowed::<CreatePaymentRequest<Str>>(&Input::Text("[]")).is_none());
    }
}
