//! iyzico's hosted checkout form: `init_checkout_form`
//! (`POST /payment/iyzipos/checkoutform/initialize/auth/ecom`, reply signed over
//! `conversationId:token`) and `retrieve_checkout_form`
//! (`POST /payment/iyzipos/checkoutform/auth/ecom/detail`, reply signed over
//! `paymentStatus:paymentId:currency:basketId:conversationId:paidPrice:price:token`): the orders
//! the official iyzipay Python SDK's samples (v1.0.46) verify with the SDK's own
//! `verify_signature` (`samples/initialize_checkout_form.py`: `[conversationId, token]`;
//! `samples/retrieve_checkout_form_result.py`: `[paymentStatus, paymentId, currency, basketId,
//! conversationId, paidPrice, price, token]`).
//!
//! The card never passes through the merchant: the payer types it on iyzico's page, iyzico posts
//! `token` to `callbackUrl`, and the merchant asks `retrieve_checkout_form` what happened. Only
//! `paymentStatus` `SUCCESS` (with a verified signature) is `paid`.

use serde::{Deserialize, Serialize};

use super::reply::{iyzico_reply, owned, verify_fields, Answer as _};
use super::threeds::check_url;
use super::wire::{Address, BasketItem, Buyer, Locale, PaymentGroup, WireItem};
use super::{reply, secret, send};
use crate::config::IyzicoConfig;
use crate::error::{self, Error};
use crate::json::Scalar;
use crate::money::{signed_amount, Amount, Currency, IyzicoAmount};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{Outcome, Response, State, Status};
use crate::providers::{json_body, Call, Count};
use crate::secret::presence;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

pub const CHECKOUT_FORM_INITIALIZE_PATH: &str =
    "/payment/iyzipos/checkoutform/initialize/auth/ecom";
pub const CHECKOUT_FORM_RETRIEVE_PATH: &str = "/payment/iyzipos/checkoutform/auth/ecom/detail";

pub(crate) const INIT_CHECKOUT_FORM: OperationDef = OperationDef {
    name: "iyzico.init_checkout_form",
    summary: "Open iyzico's hosted checkout form; reply signed over conversationId:token",
    method: Some("POST"),
    path: Some("/payment/iyzipos/checkoutform/initialize/auth/ecom"),
    outcome: &["checkout_form"],
    example: r#"{"conversationId":"c-1","price":"1","paidPrice":"1","callbackUrl":"https://merchant.example/cb","buyer":{"id":"B","name":"A","surname":"B","identityNumber":"11111111110","email":"a@b.co","registrationAddress":"A","city":"I","country":"T","ip":"127.0.0.1"},"billingAddress":{"contactName":"A B","city":"I","country":"T","address":"A"},"basketItems":[{"id":"I","name":"N","category1":"C","itemType":"VIRTUAL","price":"1"}]}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::Unavailable {
        advice: "no money moves before the payer completes the form, and only the lost reply had its token: start a new checkout form (a new conversationId) and let the old one expire",
    },
    journal: Journaled {
        reference: Some("conversationId"),
        amount: Some("paidPrice"),
        currency: Some("currency"),
    },
    steps: Steps::Iyzico(StepFns {
        run: |call, req| init_checkout_form(call, parse_request(req)?),
        reply: |call, _, reply| init_checkout_form_reply(call, reply),
    }),
};

pub(crate) const RETRIEVE_CHECKOUT_FORM: OperationDef = OperationDef {
    name: "iyzico.retrieve_checkout_form",
    summary: "A checkout form's result by token; reply signature checked (paid only for paymentStatus SUCCESS)",
    method: Some("POST"),
    path: Some("/payment/iyzipos/checkoutform/auth/ecom/detail"),
    outcome: &["status"],
    example: r#"{"token":"t-1"}"#,
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| retrieve_checkout_form(call, parse_request(req)?),
        reply: |call, req, reply| {
            let r: RetrieveCheckoutFormRequest = parse_request(req)?;
            retrieve_checkout_form_reply(call, &r, reply)
        },
    }),
};

/// `iyzico.init_checkout_form` request (iyzico's field names; no card: the payer types it on
/// iyzico's page). Its `Debug` does not show `cardUserKey` (the payer's stored cards).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InitCheckoutFormRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Your order reference (required by odeme).
    pub conversation_id: String,
    pub price: Amount,
    pub paid_price: Amount,
    #[serde(default)]
    pub currency: Option<Currency>,
    #[serde(default)]
    pub basket_id: Option<String>,
    #[serde(default)]
    pub payment_group: Option<PaymentGroup>,
    /// Where iyzico posts `token` once the payer is done.
    pub callback_url: String,
    #[serde(default)]
    pub enabled_installments: Option<Vec<u32>>,
    pub buyer: Buyer,
    #[serde(default)]
    pub shipping_address: Option<Address>,
    pub billing_address: Address,
    pub basket_items: Vec<BasketItem>,
    #[serde(default)]
    pub payment_source: Option<String>,
    #[serde(default)]
    pub pos_order_id: Option<String>,
    #[serde(default, rename = "forceThreeDS")]
    pub force_three_ds: Option<Count>,
    #[serde(default)]
    pub card_user_key: Option<String>,
}

impl std::fmt::Debug for InitCheckoutFormRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitCheckoutFormRequest")
            .field("locale", &self.locale)
            .field("conversation_id", &self.conversation_id)
            .field("price", &self.price)
            .field("paid_price", &self.paid_price)
            .field("currency", &self.currency)
            .field("basket_id", &self.basket_id)
            .field("payment_group", &self.payment_group)
            .field("callback_url", &self.callback_url)
            .field("enabled_installments", &self.enabled_installments)
            .field("buyer", &self.buyer)
            .field("shipping_address", &self.shipping_address)
            .field("billing_address", &self.billing_address)
            .field("basket_items", &self.basket_items)
            .field("payment_source", &self.payment_source)
            .field("pos_order_id", &self.pos_order_id)
            .field("force_three_ds", &self.force_three_ds)
            .field("card_user_key", &presence(&self.card_user_key))
            .finish()
    }
}

/// In the SDKs' field order (iyzipay-php `CreateCheckoutFormInitializeRequest`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireInit<'a> {
    locale: Locale,
    conversation_id: &'a str,
    price: IyzicoAmount,
    #[serde(skip_serializing_if = "Option::is_none")]
    basket_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_group: Option<PaymentGroup>,
    buyer: &'a Buyer,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_address: Option<&'a Address>,
    billing_address: &'a Address,
    basket_items: Vec<WireItem<'a>>,
    callback_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_source: Option<&'a str>,
    currency: Currency,
    #[serde(skip_serializing_if = "Option::is_none")]
    pos_order_id: Option<&'a str>,
    paid_price: IyzicoAmount,
    #[serde(rename = "forceThreeDS", skip_serializing_if = "Option::is_none")]
    force_three_ds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_user_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled_installments: Option<&'a [u32]>,
}

/// Validate a checkout-form request and serialize the exact body.
pub fn init_checkout_form_body(
    req: &InitCheckoutFormRequest,
) -> Result<crate::secret::WipingBuf, Error> {
    validate::required("conversationId", &req.conversation_id)?;
    validate::positive("price", req.price)?;
    validate::positive("paidPrice", req.paid_price)?;
    check_url("callbackUrl", &req.callback_url)?;
    if let Some(list) = &req.enabled_installments {
        if list.is_empty() || list.iter().any(|n| !super::wire::INSTALLMENTS.contains(n)) {
            return Err(Error::invalid_field(
                "enabledInstallments",
                "must list some of 1, 2, 3, 6, 9, 12",
            ));
        }
    }
    if let Some(Count(v)) = req.force_three_ds {
        if v > 1 {
            return Err(Error::invalid_field("forceThreeDS", "must be 0 or 1"));
        }
    }
    super::wire::check_order(
        req.price,
        &req.basket_items,
        &req.buyer,
        &req.billing_address,
        req.shipping_address.as_ref(),
    )?;
    json_body(&WireInit {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: &req.conversation_id,
        price: IyzicoAmount(req.price),
        basket_id: req.basket_id.as_deref(),
        payment_group: req.payment_group,
        buyer: &req.buyer,
        shipping_address: req.shipping_address.as_ref(),
        billing_address: &req.billing_address,
        basket_items: super::wire::wire_items(&req.basket_items),
        callback_url: &req.callback_url,
        payment_source: req.payment_source.as_deref(),
        currency: req.currency.unwrap_or(Currency::Try),
        pos_order_id: req.pos_order_id.as_deref(),
        paid_price: IyzicoAmount(req.paid_price),
        force_three_ds: req.force_three_ds.map(|c| c.0),
        card_user_key: req.card_user_key.as_deref(),
        enabled_installments: req.enabled_installments.as_deref(),
    })
}

fn init_checkout_form(
    call: &Call<'_, IyzicoConfig>,
    req: InitCheckoutFormRequest,
) -> Result<Response, Error> {
    let body = init_checkout_form_body(&req)?;
    let reply = send(
        call,
        Method::Post,
        CHECKOUT_FORM_INITIALIZE_PATH,
        "",
        Body::Json(body),
    )?;
    init_checkout_form_reply(call, &reply)
}

fn init_checkout_form_reply(
    call: &Call<'_, IyzicoConfig>,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: InitReply = reply.typed(lost)?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let token = raw
        .token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            error::unreadable_reply(
                lost,
                Some(reply.status),
                "iyzico reported success without token",
            )
        })?;
    verify_fields(
        secret(call),
        raw.signature.as_deref(),
        &[
            (
                "conversationId",
                raw.conversation_id.as_deref().unwrap_or_default(),
            ),
            ("token", token),
        ],
        "the iyzico checkout form initialize reply",
    )?;
    let outcome = Outcome::CheckoutForm {
        token: token.to_owned(),
        url: owned(&raw.payment_page_url),
        html: owned(&raw.checkout_form_content),
    };
    Ok(call.response(outcome, Some(token.to_owned()), reply.raw()))
}

iyzico_reply! {
    /// The reply to the checkout-form initialize (signed over `conversationId:token`).
    struct InitReply<'a> {
        signature: Option<Scalar<'a>>,
        conversation_id: Option<Scalar<'a>>,
        token: Option<Scalar<'a>>,
        payment_page_url: Option<Scalar<'a>>,
        checkout_form_content: Option<Scalar<'a>>,
    }
}

iyzico_reply! {
    /// A checkout form's result (`/payment/iyzipos/checkoutform/auth/ecom/detail`): the payment
    /// resource with `paymentStatus` and `token`, signed over
    /// `paymentStatus:paymentId:currency:basketId:conversationId:paidPrice:price:token`. Its
    /// `Debug` is not derived: `token` is a bearer handle on the payment.
    pub struct CheckoutFormResult<'a> {
        pub signature: Option<Scalar<'a>>,
        pub payment_status: Option<Scalar<'a>>,
        pub payment_id: Option<Scalar<'a>>,
        pub currency: Option<Scalar<'a>>,
        pub basket_id: Option<Scalar<'a>>,
        pub conversation_id: Option<Scalar<'a>>,
        pub paid_price: Option<Scalar<'a>>,
        pub price: Option<Scalar<'a>>,
        pub token: Option<Scalar<'a>>,
        pub fraud_status: Option<Scalar<'a>>,
    }
}

/// `iyzico.retrieve_checkout_form` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetrieveCheckoutFormRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub token: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireRetrieve<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    token: &'a str,
}

fn retrieve_checkout_form(
    call: &Call<'_, IyzicoConfig>,
    req: RetrieveCheckoutFormRequest,
) -> Result<Response, Error> {
    validate::required("token", &req.token)?;
    validate::not_blank("conversationId", &req.conversation_id)?;
    let body = json_body(&WireRetrieve {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        token: &req.token,
    })?;
    let reply = send(
        call,
        Method::Post,
        CHECKOUT_FORM_RETRIEVE_PATH,
        "",
        Body::Json(body),
    )?;
    retrieve_checkout_form_reply(call, &req, &reply)
}

/// The fields a checkout-form result signs, in order, amounts normalised.
pub fn checkout_form_signature_fields(raw: &CheckoutFormResult<'_>) -> Vec<(&'static str, String)> {
    checkout_form_signature_texts(raw)
        .into_iter()
        .map(|(n, v)| (n, v.to_owned()))
        .collect()
}

/// [`checkout_form_signature_fields`], borrowed from the reply.
fn checkout_form_signature_texts<'r>(
    raw: &'r CheckoutFormResult<'_>,
) -> [(&'static str, &'r str); 8] {
    let t = |s: &'r Option<Scalar<'_>>| s.as_deref().unwrap_or_default();
    [
        ("paymentStatus", t(&raw.payment_status)),
        ("paymentId", t(&raw.payment_id)),
        ("currency", t(&raw.currency)),
        ("basketId", t(&raw.basket_id)),
        ("conversationId", t(&raw.conversation_id)),
        ("paidPrice", signed_amount(t(&raw.paid_price))),
        ("price", signed_amount(t(&raw.price))),
        ("token", t(&raw.token)),
    ]
}

/// Interpret a checkout-form result. `SUCCESS` must be signed (it is the one answer that ships
/// goods); other states are checked when signed. 5124 (token not found) is `not_found`, 5122
/// (no payment for the token) `pending`.
fn retrieve_checkout_form_reply(
    call: &Call<'_, IyzicoConfig>,
    req: &RetrieveCheckoutFormRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: CheckoutFormResult = reply.typed(call.at_most_once())?;
    let order_id = req.conversation_id.clone();
    if !raw.is_success() {
        if raw.error_code.as_deref() == Some("5124") {
            let mut status = Status::not_found(order_id, None);
            status.message = owned(&raw.error_message);
            return Ok(call.response(Outcome::Status(status), None, reply.raw()));
        }
        if raw.error_code.as_deref() == Some("5122") {
            // "No payment for the token sent": the payer has not paid (yet).
            let mut status = Status::not_found(order_id, None);
            status.state = State::Pending;
            status.message = owned(&raw.error_message);
            return Ok(call.response(Outcome::Status(status), None, reply.raw()));
        }
        return Err(reply::failure(&raw, reply.status));
    }
    let payment_status = raw.payment_status.as_deref();
    let paid_claimed = payment_status == Some("SUCCESS");
    if paid_claimed || raw.signature.is_some() {
        verify_fields(
            secret(call),
            raw.signature.as_deref(),
            &checkout_form_signature_texts(&raw),
            "the iyzico checkout form result",
        )?;
    }
    let state = match payment_status {
        Some("SUCCESS") => {
            if raw.payment_id.as_deref().is_none_or(|p| p.is_empty()) {
                return Err(error::unreadable_reply(
                    call.at_most_once(),
                    Some(reply.status),
                    "iyzico reported paymentStatus SUCCESS without paymentId",
                ));
            }
            match raw.fraud_status.as_deref() {
                Some("0") => State::Pending,
                Some("-1") => State::Failed,
                _ => State::Paid,
            }
        }
        Some("FAILURE") => State::Failed,
        // INIT_THREEDS, CALLBACK_THREEDS, an absent status: the payer is not done.
        _ => State::Pending,
    };
    let message = match (payment_status, raw.fraud_status.as_deref()) {
        (Some("SUCCESS"), Some("0")) => {
            Some("SUCCESS, held for fraud review (fraudStatus 0): do not ship yet".to_owned())
        }
        _ => payment_status
            .map(str::to_owned)
            .or_else(|| owned(&raw.error_message)),
    };
    let payment_id = owned(&raw.payment_id).filter(|p| !p.is_empty());
    let outcome = Outcome::Status(Status {
        state,
        order_id: owned(&raw.conversation_id)
            .filter(|c| !c.is_empty())
            .or(order_id),
        provider_order_id: payment_id.clone(),
        amount: owned(&raw.paid_price),
        currency: owned(&raw.currency),
        message,
        report: None,
    });
    Ok(call.response(outcome, payment_id, reply.raw()))
}

#[cfg(test)]
mod debug_tests {
    use super::InitCheckoutFormRequest;

    #[test]
    fn a_checkout_request_debug_does_not_show_the_card_user_key() {
        let req: InitCheckoutFormRequest = serde_json::from_value(serde_json::json!({
            "conversationId": "c-1", "price": "1.0", "paidPrice": "1.0",
            "callbackUrl": "https://shop.example/cb", "cardUserKey": "usr-4d81a0",
            "buyer": {"id": "B1", "name": "John", "surname": "Doe", "identityNumber": "74300864791",
                      "email": "a@b.co", "registrationAddress": "Addr", "city": "Istanbul",
                      "country": "Turkey", "ip": "85.34.78.112"},
            "billingAddress": {"contactName": "Jane", "city": "Istanbul", "country": "Turkey",
                               "address": "Addr"},
            "basketItems": [{"id": "BI1", "name": "Usb", "category1": "Electronics",
                             "itemType": "VIRTUAL", "price": "1.0"}]
        }))
        .unwrap();
        let shown = format!("{req:?}");
        assert!(!shown.contains("usr-4d81a0"), "{shown}");
        assert!(
            shown.contains("card_user_key: Some(\"<not shown>\")"),
            "{shown}"
        );
        assert!(shown.contains("conversation_id: \"c-1\""), "{shown}");
    }
}
