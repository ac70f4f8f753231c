//! The normalized answer of every operation (README, "What it does").
//!
//! Amounts are strings with the provider's own digits; `raw` is the provider's parsed reply, whole.

use serde::Serialize;
use serde_json::Value;

use crate::json::Fields;
pub use crate::json::Raw;

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

/// What happened, normalized across providers. A declined payment is an error, never an outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The money moved.
    Completed(Payment),
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

/// A completed (or in-review) card payment.
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

/// Read a JSON field as text: strings as they are, numbers as their exact digits, booleans as
/// `true`/`false`. Absent, null and other shapes are `None`.
pub(crate) fn text<F: Fields + ?Sized>(v: &F, key: &str) -> Option<String> {
    v.text(key)
}

/// A JSON flag that providers send as `true`, `"true"`, `1` or `"1"`.
pub(crate) fn truthy<F: Fields + ?Sized>(v: &F, key: &str) -> bool {
    matches!(
        text(v, key)
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("true") | Some("1")
    )
}
