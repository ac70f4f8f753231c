//! The normalized answer of every operation (README, "What it does").
//!
//! Amounts are strings with the provider's own digits; `raw` is the provider's parsed reply, whole.

use serde::Serialize;
use serde_json::Value;

pub use crate::json::Raw;
pub use crate::secret::Bearer;

/// One operation's response: `{"operation", "outcome", "provider_reference", "raw"}`.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub operation: String,
    pub outcome: Outcome,
    pub provider_reference: Option<String>,
    /// The provider's reply as it came (JSON text; [`Raw::to_value`] parses it).
    pub raw: Raw,
}

impl Response {
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The response as JSON text, `raw` written as it came (one allocation: `raw` is most of
    /// it). `None` only if serialisation fails, which a response built by odeme never does.
    pub fn to_json_text(&self) -> Option<String> {
        let mut text = Vec::with_capacity(self.raw.as_str().len() + 1024);
        serde_json::to_writer(&mut text, self).ok()?;
        // SAFETY: serde_json writes only UTF-8 (strings escaped from `str`s, `raw` a `str` of its
        // own); `serde_json::to_string` relies on the same. Checking it again was a fifth of the
        // time spent writing it (profiled in place).
        Some(unsafe { String::from_utf8_unchecked(text) })
    }
}

/// How a response is written as JSON text for a caller (the C ABI's `odeme_client_set_render`).
/// The default writes the provider's own digits as JSON numbers and `raw` as a JSON value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Render {
    /// Every non-integer number (outcome and `raw`) as a JSON string of its exact digits, for
    /// decoders that would read it into a binary float (PHP, .NET). Integers stay numbers.
    pub numbers_as_strings: bool,
    /// `raw` as a JSON string holding the provider's reply text, for decoders that map the
    /// response onto typed classes (.NET) and keep `raw` as text.
    pub raw_as_text: bool,
}

impl Response {
    /// The response as JSON text, written as `render` says. `None` only if serialisation fails,
    /// which a response built by odeme never does.
    pub fn to_json_text_with(&self, render: Render) -> Option<String> {
        let text = if render.raw_as_text {
            #[derive(Serialize)]
            struct WithRawText<'a> {
                operation: &'a str,
                outcome: &'a Outcome,
                provider_reference: &'a Option<String>,
                raw: &'a str,
            }
            serde_json::to_string(&WithRawText {
                operation: &self.operation,
                outcome: &self.outcome,
                provider_reference: &self.provider_reference,
                raw: self.raw.as_str(),
            })
            .ok()?
        } else {
            self.to_json_text()?
        };
        Some(if render.numbers_as_strings {
            crate::json::numbers_as_strings(&text)
        } else {
            text
        })
    }
}

/// What happened, normalized across providers. A declined payment is an error, never an outcome.
///
/// `#[non_exhaustive]`: new operations bring new outcome types; match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Send the payer to `url` (a hosted page or the bank's 3-D Secure page).
    Redirect {
        url: String,
        order_id: Option<String>,
        provider_order_id: Option<String>,
    },
    /// Show `html` to the payer (the bank's 3-D Secure form).
    Html {
        html: String,
        order_id: Option<String>,
        provider_order_id: Option<String>,
        /// The provider's payment id when the page belongs to a payment already created
        /// (`iyzico.init_3ds`: keep it for `iyzico.complete_3ds`); null otherwise.
        payment_id: Option<String>,
    },
    /// Pay at a terminal with `invoice_code` (Paymes kiosk).
    Terminal {
        invoice_code: String,
        url: Option<String>,
        order_id: Option<String>,
        provider_order_id: Option<String>,
    },
    /// A pay-by-link request was sent or generated.
    PaymentLink { url: String, request_id: String },
    /// The money moved. After `iyzico.capture_payment`, `paid_price` is the amount captured.
    Completed(Payment),
    /// The card's bank holds the amount for this merchant; nothing moved yet
    /// (`iyzico.preauth_payment`, or `iyzico.complete_3ds` of a 3-D pre-authorization): capture
    /// it (`iyzico.capture_payment`) or release it (`iyzico.cancel_payment`).
    Authorized(Payment),
    /// Accepted but held for fraud review: do not ship until the provider confirms.
    Review(Payment),
    /// The state of an order or payment as a query reports it.
    Status(Status),
    /// A provider notification whose hash verified.
    Notification(Status),
    /// Money went back to the payer: a refund or a cancel (`iyzico.cancel_payment`,
    /// `iyzico.refund_payment`, `paymes.cancel_order`, `esnekpos.return_order`).
    Refund(RefundOutcome),
    /// A 3-D Secure callback whose signature verified (`iyzico.verify_3ds_callback`).
    Callback(Callback),
    /// Show PayTR's hosted payment page: `url` (`BASE/odeme/guvenli/TOKEN`) in an iframe
    /// (`paytr.create_iframe_token`).
    Iframe { token: String, url: String },
    /// A hosted payment form was opened (`iyzico.init_checkout_form`).
    CheckoutForm {
        token: String,
        url: Option<String>,
        html: Option<String>,
    },
    /// What a card's BIN says (`iyzico.bin_check`).
    CardInfo(CardInfo),
    /// The installment table (`iyzico.installments`).
    Installments { options: Vec<InstallmentOption> },
    /// A card stored with the provider (`iyzico.store_card`).
    Card(StoredCard),
    /// The cards stored for one card user (`iyzico.list_cards`).
    Cards {
        card_user_key: Option<Bearer>,
        cards: Vec<StoredCard>,
    },
    /// A stored card was deleted (`iyzico.delete_card`).
    CardDeleted {
        card_user_key: Option<Bearer>,
        card_token: Option<Bearer>,
    },
    /// A webhook delivery whose signature verified (`Client::verify_webhook`). Its JSON `type`
    /// is `notification` too: `{provider, event, state, payment_id, order_id, duplicate}`.
    #[serde(rename = "notification")]
    Webhook(Notification),
}

/// The answer to a refund or cancel: `{state, amount, currency, payment_id, refund_id?}`.
///
/// `state` is `cancelled` for a cancel; for an amount-based refund it is `partially_refunded`
/// when odeme knows that money remains refundable (the request carried `refundable` or
/// `details`), otherwise `refunded`. `amount` is what goes back to the payer (for a cancel:
/// the paid price), with the provider's own digits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefundOutcome {
    pub state: State,
    pub amount: String,
    pub currency: Option<String>,
    pub payment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
}

/// The result of the payer's 3-D Secure authentication, as the provider posted it back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    /// `authenticated` only for `status=success` and `mdStatus=1`; anything else `failed`.
    pub state: CallbackState,
    /// The bank's 3-D Secure result (`1` authenticated; `0`, `2`–`8` not), as posted.
    pub md_status: Option<String>,
    pub payment_id: Option<String>,
    /// Your `conversationId`, as posted back.
    pub conversation_id: Option<String>,
    /// Pass to the completion call when present.
    pub conversation_data: Option<String>,
}

/// Whether 3-D Secure authenticated the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallbackState {
    /// Go on and complete the payment.
    Authenticated,
    /// Do not complete: show the payer the failure.
    Failed,
}

/// A card's BIN information.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardInfo {
    pub bin: String,
    /// `CREDIT_CARD`, `DEBIT_CARD`, `PREPAID_CARD`.
    pub card_type: Option<String>,
    /// `VISA`, `MASTER_CARD`, `AMERICAN_EXPRESS`, `TROY`.
    pub association: Option<String>,
    /// The card programme (`Bonus`, `Axess`, `Maximum`, ...).
    pub family: Option<String>,
    pub bank_name: Option<String>,
    /// A business card.
    pub commercial: bool,
}

/// The installments one card family offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstallmentOption {
    pub bin: Option<String>,
    pub bank_name: Option<String>,
    pub family: Option<String>,
    pub card_type: Option<String>,
    pub association: Option<String>,
    pub installments: Vec<InstallmentPrice>,
}

/// One installment count and what the payer pays with it (decimal strings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstallmentPrice {
    pub count: u32,
    pub total_price: String,
    pub installment_price: String,
}

/// A verified webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub provider: String,
    /// The provider's event name (iyzico `iyziEventType`, Paymes `type`).
    pub event: Option<String>,
    /// What the delivery is about: the payment itself, or a refund of it. Only a `payment`
    /// delivery says anything about whether the payment went through (and resolves journal rows).
    pub subject: Subject,
    /// `paid`/`failed`/`pending` for a payment; `refunded`/`refund_failed` for a refund;
    /// `unknown` for an event odeme does not know (never read it as the payment's fate).
    pub state: State,
    /// The provider's payment id (iyzico `paymentId` / `iyziPaymentId`, Paymes `paymesOrderId`).
    pub payment_id: Option<String>,
    /// The merchant's reference (iyzico `paymentConversationId`, Paymes `orderId`).
    pub order_id: Option<String>,
    /// With a journal: this delivery was verified and recorded before (always false without).
    pub duplicate: bool,
    /// What to answer the provider's HTTP request with, when it expects a particular body
    /// (PayTR: plain `OK`, or it sends the callback again every minute). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// A card the provider stores for the merchant. `card_user_key` and `card_token` are bearer
/// credentials (shown by length in `Debug`); keep them as you would a card number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCard {
    pub card_user_key: Option<Bearer>,
    pub card_token: Option<Bearer>,
    pub alias: Option<String>,
    pub bin: Option<String>,
    pub last_four: Option<String>,
    pub card_type: Option<String>,
    pub association: Option<String>,
    pub family: Option<String>,
    pub bank_name: Option<String>,
}

/// A completed (or in-review, or authorized) card payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    pub payment_id: String,
    pub conversation_id: Option<String>,
    pub basket_id: Option<String>,
    pub price: String,
    pub paid_price: String,
    pub currency: Option<String>,
    pub installment: Option<String>,
    pub fraud_status: Option<String>,
    pub bin_number: Option<String>,
    pub last_four_digits: Option<String>,
    pub card_association: Option<String>,
    pub card_family: Option<String>,
    pub card_type: Option<String>,
    pub auth_code: Option<String>,
    pub item_transactions: Vec<ItemTransaction>,
    /// The card user and card stored while paying (`paymentCard.registerCard: 1`): bearer
    /// credentials, shown by length in `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_user_key: Option<Bearer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_token: Option<Bearer>,
}

/// One basket line of an iyzico payment; keep `payment_transaction_id` for refunds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemTransaction {
    pub item_id: Option<String>,
    pub payment_transaction_id: Option<String>,
    pub price: Option<String>,
    pub paid_price: Option<String>,
}

/// The state of an order, payment or link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Paid,
    Pending,
    Failed,
    Cancelled,
    Refunded,
    PartiallyRefunded,
    NotFound,
    /// Money moved without the expected final step: the message says what to check.
    NeedsAttention,
    /// A refund the provider tried and could not make (webhooks about refunds only): the
    /// payment itself is untouched.
    RefundFailed,
    /// A webhook event odeme does not know: it says nothing about the payment's fate.
    Unknown,
    /// A pre-authorization not yet captured or released: the bank holds the amount.
    Authorized,
}

/// What a webhook delivery is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// The payment: its state is the payment's (`paid`, `failed`, `pending`).
    Payment,
    /// A refund of the payment: its state is the refund's (`refunded`, `refund_failed`).
    Refund,
}

/// A status report (`status` and `notification` outcomes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub state: State,
    pub order_id: Option<String>,
    pub provider_order_id: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub message: Option<String>,
    /// The reporting API's view of a payment (`iyzico.payment_details`): its refunds and cancels.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub report: Option<PaymentReport>,
}

/// A payment as a provider's report shows it, refunds and cancels included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaymentReport {
    pub payment_id: String,
    pub paid_price: Option<String>,
    pub refunds: Vec<Refund>,
    pub cancelled: bool,
    /// Every payment under the merchant's reference, when it matched more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<ReportedPayment>,
}

/// One payment of several under one merchant reference (iyzico), or of a payment link (EsnekPOS).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedPayment {
    pub payment_id: String,
    pub state: State,
    pub paid_price: Option<String>,
    pub currency: Option<String>,
    pub refunds: Vec<Refund>,
    pub cancelled: bool,
    /// The provider's id of the successful transaction (EsnekPOS `SUCCESS_TRANSACTION_ID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// The provider's own words for this payment's state (EsnekPOS `PAYMENT_STATUS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Money that went back to the payer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refund {
    pub amount: String,
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Status {
    pub(crate) fn not_found(order_id: Option<String>, provider_order_id: Option<String>) -> Status {
        Status {
            state: State::NotFound,
            order_id,
            provider_order_id,
            amount: None,
            currency: None,
            message: None,
            report: None,
        }
    }
}

// ---- the shapes the bindings are generated from -------------------------------------------

/// The JSON type of an outcome field, as the generated bindings declare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    Text,
    /// An amount: a string of the provider's exact digits (never a float).
    Amount,
    /// A whole number.
    Int,
    Bool,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A list of objects of the named item shape.
    List(&'static str),
}

/// One field of a shape. `optional`: it may be null or absent.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub optional: bool,
}

/// The JSON shape of one outcome `type` (or, with `item`, of the objects in an outcome's lists).
/// The generated bindings (Python's `TypedDict`s, C#'s classes) come from these; a test below
/// checks them against what [`Outcome`] serialises.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub summary: &'static str,
    pub item: bool,
    pub fields: &'static [Field],
}

/// [`State`]'s names.
pub const STATES: &[&str] = &[
    "paid",
    "pending",
    "failed",
    "cancelled",
    "refunded",
    "partially_refunded",
    "not_found",
    "needs_attention",
    "refund_failed",
    "unknown",
    "authorized",
];

const fn req(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        optional: false,
    }
}

const fn opt(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        optional: true,
    }
}

use FieldType::{Amount, Bool, Int, List, OneOf, Text};

const STATE: FieldType = OneOf(STATES);

const PAYMENT: &[Field] = &[
    req("payment_id", Text),
    opt("conversation_id", Text),
    opt("basket_id", Text),
    req("price", Amount),
    req("paid_price", Amount),
    opt("currency", Text),
    opt("installment", Text),
    opt("fraud_status", Text),
    opt("bin_number", Text),
    opt("last_four_digits", Text),
    opt("card_association", Text),
    opt("card_family", Text),
    opt("card_type", Text),
    opt("auth_code", Text),
    req("item_transactions", List("item_transaction")),
    opt("card_user_key", Text),
    opt("card_token", Text),
];

/// A stored card (`card` outcomes and the items of `cards`).
const STORED_CARD: &[Field] = &[
    opt("card_user_key", Text),
    opt("card_token", Text),
    opt("alias", Text),
    opt("bin", Text),
    opt("last_four", Text),
    opt("card_type", Text),
    opt("association", Text),
    opt("family", Text),
    opt("bank_name", Text),
];

/// A status report, with the reporting API's fields (`iyzico.payment_details`) when present.
const STATUS: &[Field] = &[
    req("state", STATE),
    opt("order_id", Text),
    opt("provider_order_id", Text),
    opt("amount", Amount),
    opt("currency", Text),
    opt("message", Text),
    opt("payment_id", Text),
    opt("paid_price", Amount),
    opt("refunds", List("refund_entry")),
    opt("cancelled", Bool),
    opt("payments", List("reported_payment")),
];

/// Every outcome type and list item, in the order the generated files list them.
pub const SHAPES: &[Shape] = &[
    Shape {
        name: "redirect",
        summary: "Send the payer to url (a hosted page or the bank's 3-D Secure page).",
        item: false,
        fields: &[
            req("url", Text),
            opt("order_id", Text),
            opt("provider_order_id", Text),
        ],
    },
    Shape {
        name: "html",
        summary: "Show html to the payer; keep payment_id (when present) to complete the payment.",
        item: false,
        fields: &[
            req("html", Text),
            opt("order_id", Text),
            opt("provider_order_id", Text),
            opt("payment_id", Text),
        ],
    },
    Shape {
        name: "terminal",
        summary: "Pay at a terminal with invoice_code (Paymes kiosk).",
        item: false,
        fields: &[
            req("invoice_code", Text),
            opt("url", Text),
            opt("order_id", Text),
            opt("provider_order_id", Text),
        ],
    },
    Shape {
        name: "payment_link",
        summary: "A pay-by-link request was sent.",
        item: false,
        fields: &[req("url", Text), req("request_id", Text)],
    },
    Shape {
        name: "completed",
        summary: "The money moved.",
        item: false,
        fields: PAYMENT,
    },
    Shape {
        name: "review",
        summary: "Accepted but held for fraud review: do not ship until the provider confirms.",
        item: false,
        fields: PAYMENT,
    },
    Shape {
        name: "authorized",
        summary: "The bank holds the amount; nothing moved yet: capture it or release it (cancel).",
        item: false,
        fields: PAYMENT,
    },
    Shape {
        name: "card",
        summary:
            "A card stored with the provider; card_user_key and card_token are bearer credentials.",
        item: false,
        fields: STORED_CARD,
    },
    Shape {
        name: "cards",
        summary: "The cards stored for one card user.",
        item: false,
        fields: &[
            opt("card_user_key", Text),
            req("cards", List("stored_card")),
        ],
    },
    Shape {
        name: "card_deleted",
        summary: "A stored card was deleted.",
        item: false,
        fields: &[opt("card_user_key", Text), opt("card_token", Text)],
    },
    Shape {
        name: "status",
        summary: "The state of an order or payment as a query reports it.",
        item: false,
        fields: STATUS,
    },
    Shape {
        name: "notification",
        summary: "A notification or webhook whose signature verified.",
        item: false,
        fields: &[
            req("state", STATE),
            opt("order_id", Text),
            opt("provider_order_id", Text),
            opt("amount", Amount),
            opt("currency", Text),
            opt("message", Text),
            opt("payment_id", Text),
            opt("provider", Text),
            opt("event", Text),
            opt("subject", OneOf(&["payment", "refund"])),
            opt("duplicate", Bool),
            opt("reply", Text),
        ],
    },
    Shape {
        name: "refund",
        summary: "Money went back to the payer (a refund or a cancel).",
        item: false,
        fields: &[
            req("state", STATE),
            req("amount", Amount),
            opt("currency", Text),
            req("payment_id", Text),
            opt("refund_id", Text),
        ],
    },
    Shape {
        name: "callback",
        summary:
            "A 3-D Secure callback whose signature verified: complete only when authenticated.",
        item: false,
        fields: &[
            req("state", OneOf(&["authenticated", "failed"])),
            opt("md_status", Text),
            opt("payment_id", Text),
            opt("conversation_id", Text),
            opt("conversation_data", Text),
        ],
    },
    Shape {
        name: "iframe",
        summary: "Show the provider's hosted payment page: url in an iframe (PayTR).",
        item: false,
        fields: &[req("token", Text), req("url", Text)],
    },
    Shape {
        name: "checkout_form",
        summary: "A hosted payment form was opened.",
        item: false,
        fields: &[req("token", Text), opt("url", Text), opt("html", Text)],
    },
    Shape {
        name: "card_info",
        summary: "What a card's BIN says.",
        item: false,
        fields: &[
            req("bin", Text),
            opt("card_type", Text),
            opt("association", Text),
            opt("family", Text),
            opt("bank_name", Text),
            req("commercial", Bool),
        ],
    },
    Shape {
        name: "installments",
        summary: "The installment table.",
        item: false,
        fields: &[req("options", List("installment_option"))],
    },
    Shape {
        name: "item_transaction",
        summary: "One basket line of a payment; keep payment_transaction_id for refunds.",
        item: true,
        fields: &[
            opt("item_id", Text),
            opt("payment_transaction_id", Text),
            opt("price", Amount),
            opt("paid_price", Amount),
        ],
    },
    Shape {
        name: "refund_entry",
        summary: "Money that went back to the payer.",
        item: true,
        fields: &[
            req("amount", Amount),
            opt("currency", Text),
            opt("refund_id", Text),
            opt("date", Text),
        ],
    },
    Shape {
        name: "reported_payment",
        summary: "One payment of several under one reference, or of a payment link.",
        item: true,
        fields: &[
            req("payment_id", Text),
            req("state", STATE),
            opt("paid_price", Amount),
            opt("currency", Text),
            req("refunds", List("refund_entry")),
            req("cancelled", Bool),
            opt("transaction_id", Text),
            opt("message", Text),
        ],
    },
    Shape {
        name: "installment_option",
        summary: "The installments one card family offers.",
        item: true,
        fields: &[
            opt("bin", Text),
            opt("bank_name", Text),
            opt("family", Text),
            opt("card_type", Text),
            opt("association", Text),
            req("installments", List("installment_price")),
        ],
    },
    Shape {
        name: "stored_card",
        summary: "One stored card of a card user.",
        item: true,
        fields: STORED_CARD,
    },
    Shape {
        name: "installment_price",
        summary: "One installment count and what the payer pays with it.",
        item: true,
        fields: &[
            req("count", Int),
            req("total_price", Amount),
            req("installment_price", Amount),
        ],
    },
];

/// The shape named `name`.
pub fn shape(name: &str) -> Option<&'static Shape> {
    SHAPES.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of `v` is a field of `shape` with a value of its type, and every required
    /// field is there; lists are checked item by item.
    fn conforms(v: &Value, shape: &Shape, what: &str) {
        let obj = v
            .as_object()
            .unwrap_or_else(|| panic!("{what}: not an object"));
        for (k, val) in obj {
            if k == "type" && !shape.item {
                assert_eq!(val, shape.name, "{what}");
                continue;
            }
            let f = shape
                .fields
                .iter()
                .find(|f| f.name == k)
                .unwrap_or_else(|| panic!("{what}: {k} is not in the shape {}", shape.name));
            if val.is_null() {
                assert!(f.optional, "{what}.{k} is null but required");
                continue;
            }
            match f.ty {
                Text | Amount => assert!(val.is_string(), "{what}.{k}: {val}"),
                Int => assert!(val.is_u64() || val.is_i64(), "{what}.{k}: {val}"),
                Bool => assert!(val.is_boolean(), "{what}.{k}: {val}"),
                OneOf(names) => assert!(
                    names.contains(&val.as_str().unwrap_or("")),
                    "{what}.{k}: {val}"
                ),
                List(item) => {
                    let items = val.as_array().unwrap_or_else(|| panic!("{what}.{k}"));
                    assert!(!items.is_empty(), "{what}.{k}: give the sample an item");
                    for (i, it) in items.iter().enumerate() {
                        conforms(it, super::shape(item).unwrap(), &format!("{what}.{k}[{i}]"));
                    }
                }
            }
        }
        for f in shape.fields.iter().filter(|f| !f.optional) {
            assert!(
                obj.contains_key(f.name),
                "{what}: required {} absent",
                f.name
            );
        }
    }

    fn s(v: &str) -> String {
        v.to_owned()
    }

    fn refund() -> Refund {
        Refund {
            amount: s("1.5"),
            currency: Some(s("TRY")),
            refund_id: Some(s("r")),
            date: Some(s("d")),
        }
    }

    fn status(report: bool) -> Status {
        Status {
            state: State::PartiallyRefunded,
            order_id: Some(s("o")),
            provider_order_id: Some(s("p")),
            amount: Some(s("1.0")),
            currency: Some(s("TRY")),
            message: Some(s("m")),
            report: report.then(|| PaymentReport {
                payment_id: s("1"),
                paid_price: Some(s("1.1")),
                refunds: vec![refund()],
                cancelled: false,
                payments: vec![ReportedPayment {
                    payment_id: s("2"),
                    state: State::Paid,
                    paid_price: Some(s("1")),
                    currency: None,
                    refunds: vec![refund()],
                    cancelled: true,
                    transaction_id: Some(s("t")),
                    message: Some(s("m")),
                }],
            }),
        }
    }

    fn payment() -> Payment {
        Payment {
            payment_id: s("1"),
            conversation_id: Some(s("c")),
            basket_id: None,
            price: s("1.0"),
            paid_price: s("1.20"),
            currency: Some(s("TRY")),
            installment: Some(s("1")),
            fraud_status: Some(s("1")),
            bin_number: Some(s("552879")),
            last_four_digits: Some(s("0008")),
            card_association: Some(s("MASTER_CARD")),
            card_family: Some(s("Bonus")),
            card_type: Some(s("CREDIT_CARD")),
            auth_code: Some(s("a")),
            item_transactions: vec![ItemTransaction {
                item_id: Some(s("i")),
                payment_transaction_id: Some(s("t")),
                price: Some(s("1")),
                paid_price: None,
            }],
            card_user_key: Some(Bearer::new("u")),
            card_token: Some(Bearer::new("t")),
        }
    }

    fn stored_card() -> StoredCard {
        let o = Some(s("x"));
        StoredCard {
            card_user_key: Some(Bearer::new("u")),
            card_token: Some(Bearer::new("t")),
            alias: o.clone(),
            bin: o.clone(),
            last_four: o.clone(),
            card_type: o.clone(),
            association: o.clone(),
            family: o.clone(),
            bank_name: o,
        }
    }

    /// One of every outcome variant, every optional field filled and every list non-empty.
    fn every_outcome() -> Vec<Outcome> {
        let o = Some(s("x"));
        vec![
            Outcome::Redirect {
                url: s("u"),
                order_id: o.clone(),
                provider_order_id: o.clone(),
            },
            Outcome::Html {
                html: s("h"),
                order_id: o.clone(),
                provider_order_id: o.clone(),
                payment_id: o.clone(),
            },
            Outcome::Terminal {
                invoice_code: s("i"),
                url: o.clone(),
                order_id: o.clone(),
                provider_order_id: o.clone(),
            },
            Outcome::PaymentLink {
                url: s("u"),
                request_id: s("r"),
            },
            Outcome::Completed(payment()),
            Outcome::Review(payment()),
            Outcome::Authorized(payment()),
            Outcome::Card(stored_card()),
            Outcome::Cards {
                card_user_key: Some(Bearer::new("u")),
                cards: vec![stored_card()],
            },
            Outcome::CardDeleted {
                card_user_key: Some(Bearer::new("u")),
                card_token: Some(Bearer::new("t")),
            },
            Outcome::Status(status(true)),
            Outcome::Status(status(false)),
            Outcome::Notification(status(false)),
            Outcome::Refund(RefundOutcome {
                state: State::Cancelled,
                amount: s("1"),
                currency: o.clone(),
                payment_id: s("p"),
                refund_id: o.clone(),
            }),
            Outcome::Callback(Callback {
                state: CallbackState::Authenticated,
                md_status: o.clone(),
                payment_id: o.clone(),
                conversation_id: o.clone(),
                conversation_data: o.clone(),
            }),
            Outcome::CheckoutForm {
                token: s("t"),
                url: o.clone(),
                html: o.clone(),
            },
            Outcome::CardInfo(CardInfo {
                bin: s("552879"),
                card_type: o.clone(),
                association: o.clone(),
                family: o.clone(),
                bank_name: o.clone(),
                commercial: false,
            }),
            Outcome::Installments {
                options: vec![InstallmentOption {
                    bin: o.clone(),
                    bank_name: o.clone(),
                    family: o.clone(),
                    card_type: o.clone(),
                    association: o.clone(),
                    installments: vec![InstallmentPrice {
                        count: 3,
                        total_price: s("3.30"),
                        installment_price: s("1.10"),
                    }],
                }],
            },
            Outcome::Webhook(Notification {
                provider: s("iyzico"),
                event: o.clone(),
                subject: Subject::Refund,
                state: State::Paid,
                payment_id: o.clone(),
                order_id: o,
                duplicate: true,
                reply: Some(s("OK")),
            }),
            Outcome::Iframe {
                token: s("t"),
                url: s("u"),
            },
        ]
    }

    #[test]
    fn every_outcome_serialises_in_its_declared_shape() {
        for outcome in every_outcome() {
            let v = serde_json::to_value(&outcome).unwrap();
            let t = v["type"].as_str().unwrap().to_owned();
            let sh = shape(&t).unwrap_or_else(|| panic!("no shape for {t}"));
            assert!(!sh.item);
            conforms(&v, sh, &t);
        }
        // Every state name is one `State` serialises to (and the match keeps the list whole).
        for name in STATES {
            let state: State = match *name {
                "paid" => State::Paid,
                "pending" => State::Pending,
                "failed" => State::Failed,
                "cancelled" => State::Cancelled,
                "refunded" => State::Refunded,
                "partially_refunded" => State::PartiallyRefunded,
                "not_found" => State::NotFound,
                "needs_attention" => State::NeedsAttention,
                "refund_failed" => State::RefundFailed,
                "unknown" => State::Unknown,
                "authorized" => State::Authorized,
                other => panic!("{other}"),
            };
            assert_eq!(serde_json::to_value(state).unwrap(), *name);
            match state {
                State::Paid
                | State::Pending
                | State::Failed
                | State::Cancelled
                | State::Refunded
                | State::PartiallyRefunded
                | State::NotFound
                | State::NeedsAttention
                | State::RefundFailed
                | State::Unknown
                | State::Authorized => {}
            }
        }
        // Lists name item shapes; names are unique.
        for sh in SHAPES {
            assert_eq!(SHAPES.iter().filter(|x| x.name == sh.name).count(), 1);
            for f in sh.fields {
                if let List(item) = f.ty {
                    assert!(
                        shape(item).is_some_and(|s| s.item),
                        "{}.{}",
                        sh.name,
                        f.name
                    );
                }
            }
        }
    }
}
