//! Refunds and cancels, across providers: what remains refundable, and the check that refuses
//! a refund larger than that **before any I/O**.
//!
//! odeme knows what remains only when the caller tells it: a refund or cancel request may carry
//!
//! * `refundable`: the amount that remains refundable, as the merchant's books or a previous
//!   query say (any provider), or
//! * `details` (iyzico): the response (or just its `outcome`) of an `iyzico.payment_details` call
//!   for the same payment; odeme computes paid price − refunds (0 once cancelled).
//!
//! Without either, the provider's own error comes back (`provider`, with its code). The payment
//! journal plugs in here too: [`check_refundable`] is the one place that refuses an over-refund,
//! whatever told odeme the remaining amount.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;
use crate::json::Scalar;
use crate::money::Amount;
use crate::outcome::State;

/// What remains refundable of a payment, and where odeme learnt it (for the error message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refundable {
    pub remaining: Decimal,
    pub source: &'static str,
}

/// Refuse `amount` (the request's `field`) when it is larger than what remains.
pub fn check_refundable(
    field: &str,
    amount: Amount,
    known: Option<Refundable>,
) -> Result<(), Error> {
    let Some(k) = known else { return Ok(()) };
    if k.remaining <= Decimal::ZERO {
        return Err(Error::invalid_field(
            field,
            format!(
                "nothing remains refundable of this payment (per {}); it was already refunded or cancelled",
                k.source
            ),
        ));
    }
    if amount.decimal() > k.remaining {
        return Err(Error::invalid_field(
            field,
            format!(
                "is more than the {} that remains refundable (per {}); refund at most that",
                k.remaining.normalize(),
                k.source
            ),
        ));
    }
    Ok(())
}

/// The state a successful amount-based refund leaves the payment in, as far as odeme can tell:
/// `partially_refunded` when money is known to remain afterwards, otherwise `refunded`.
pub fn state_after(amount: Amount, known: Option<Refundable>) -> State {
    match known {
        Some(k) if amount.decimal() < k.remaining => State::PartiallyRefunded,
        _ => State::Refunded,
    }
}

/// A caller's `refundable` amount.
pub fn from_refundable(refundable: Option<Amount>) -> Option<Refundable> {
    refundable.map(|a| Refundable {
        remaining: a.decimal(),
        source: "the request's refundable",
    })
}

/// The fields of an `iyzico.payment_details` response (or of its `outcome`) that say what remains:
/// a `status` outcome, its payment (or one of several, `payments[]`), the paid price, the refunds
/// and whether it was cancelled. The rest of the response (its `raw`, ...) is not read.
#[derive(Deserialize)]
struct Reported<'a> {
    /// The response's outcome (absent when `details` is the outcome itself).
    #[serde(borrow)]
    outcome: Option<Box<Reported<'a>>>,
    #[serde(borrow, rename = "type")]
    kind: Option<Scalar<'a>>,
    #[serde(borrow)]
    payment_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    paid_price: Option<Scalar<'a>>,
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
    #[serde(borrow)]
    cancelled: Option<Scalar<'a>>,
    #[serde(borrow)]
    refunds: Option<Vec<ReportedRefund<'a>>>,
    #[serde(borrow)]
    payments: Option<Vec<Reported<'a>>>,
}

#[derive(Deserialize)]
struct ReportedRefund<'a> {
    #[serde(borrow)]
    amount: Option<Scalar<'a>>,
}

/// What remains of `payment_id` according to an `iyzico.payment_details` response (or its
/// `outcome`): paid price minus every refund, 0 once cancelled. `field` names the request field
/// for errors (`details`).
pub fn from_iyzico_details(
    field: &str,
    details: &Value,
    payment_id: &str,
) -> Result<Refundable, Error> {
    const NOT_DETAILS: &str =
        "must be the response (or the outcome) of an iyzico.payment_details call";
    let bad = |why: &str| Error::invalid_field(field, why);
    // Read from the text: a `Value` hands some numbers (`0.05`) over as binary floats.
    let text = details.to_string();
    let details: Reported<'_> = crate::json::read_shape(text.as_bytes()).map_err(|e| {
        bad(&format!(
            "{NOT_DETAILS} (it holds a value of the wrong kind at `{}`)",
            e.path
        ))
    })?;
    let outcome = details.outcome.as_deref().unwrap_or(&details);
    if outcome.kind.as_deref() != Some("status") {
        return Err(bad(NOT_DETAILS));
    }
    let decimal = |v: &Option<Scalar<'_>>| -> Result<Option<Decimal>, Error> {
        match v.as_deref() {
            None => Ok(None),
            Some(t) => Decimal::from_str(t)
                .map(Some)
                .map_err(|_| bad("has an amount that is not a decimal")),
        }
    };
    // The reported payment whose id matches (several may share one conversationId).
    let p = std::iter::once(outcome)
        .chain(outcome.payments.iter().flatten())
        .find(|p| p.payment_id.as_deref() == Some(payment_id))
        .ok_or_else(|| bad("reports another payment than paymentId"))?;
    if p.cancelled.as_deref() == Some("true") {
        return Ok(Refundable {
            remaining: Decimal::ZERO,
            source: "the details passed",
        });
    }
    let paid = decimal(&p.paid_price)?
        .or(decimal(&p.amount)?)
        .ok_or_else(|| bad("has no paid_price"))?;
    let mut refunded = Decimal::ZERO;
    for r in p.refunds.iter().flatten() {
        refunded += decimal(&r.amount)?.unwrap_or_default();
    }
    Ok(Refundable {
        remaining: (paid - refunded).max(Decimal::ZERO),
        source: "the details passed",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn amount(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn over_refunds_are_refused_naming_the_field() {
        let k = from_refundable(Some(amount("10")));
        assert!(check_refundable("price", amount("10"), k).is_ok());
        let e = check_refundable("price", amount("10.01"), k).unwrap_err();
        assert_eq!(e.field(), Some("price"));
        assert!(e.message().contains("10"), "{e}");
        assert!(check_refundable("price", amount("99"), None).is_ok());
        let none_left = from_refundable(Some(amount("0")));
        assert!(check_refundable("price", amount("1"), none_left).is_err());
    }

    #[test]
    fn state_after_a_refund() {
        let k = from_refundable(Some(amount("10")));
        assert_eq!(state_after(amount("4"), k), State::PartiallyRefunded);
        assert_eq!(state_after(amount("10"), k), State::Refunded);
        assert_eq!(state_after(amount("4"), None), State::Refunded);
    }

    #[test]
    fn remaining_from_iyzico_details() {
        let details = json!({"operation": "iyzico.payment_details", "outcome": {
            "type": "status", "state": "partially_refunded", "payment_id": "7", "paid_price": "1.2",
            "refunds": [{"amount": "0.5", "currency": "TRY"}, {"amount": "0.2"}], "cancelled": false}});
        let k = from_iyzico_details("details", &details, "7").unwrap();
        assert_eq!(k.remaining, Decimal::from_str("0.5").unwrap());
        // The outcome alone works too; another payment id is refused.
        let k2 = from_iyzico_details("details", &details["outcome"], "7").unwrap();
        assert_eq!(k, k2);
        let e = from_iyzico_details("details", &details, "8").unwrap_err();
        assert_eq!(e.field(), Some("details"));
        let cancelled = json!({"type": "status", "payment_id": "7", "paid_price": "1.2",
                               "refunds": [], "cancelled": true});
        assert_eq!(
            from_iyzico_details("details", &cancelled, "7")
                .unwrap()
                .remaining,
            Decimal::ZERO
        );
        // One of several payments under one conversationId.
        let several = json!({"type": "status", "payment_id": "9", "paid_price": "5", "refunds": [],
            "cancelled": false, "payments": [{"payment_id": "7", "paid_price": "3", "refunds": [], "cancelled": false}]});
        assert_eq!(
            from_iyzico_details("details", &several, "7")
                .unwrap()
                .remaining,
            Decimal::from(3)
        );
        assert!(from_iyzico_details("details", &json!({"type": "completed"}), "7").is_err());
        // Numbers are read as their exact digits; an object where an amount belongs is refused,
        // naming where.
        let numeric: Value = serde_json::from_str(
            r#"{"type": "status", "payment_id": 7, "paid_price": 1.20, "refunds": [{"amount": 0.05}]}"#,
        )
        .unwrap();
        assert_eq!(
            from_iyzico_details("details", &numeric, "7")
                .unwrap()
                .remaining,
            Decimal::from_str("1.15").unwrap()
        );
        let odd = json!({"type": "status", "payment_id": "7", "paid_price": {"v": "1"}});
        let e = from_iyzico_details("details", &odd, "7").unwrap_err();
        assert_eq!(e.field(), Some("details"));
        assert!(e.message().contains("paid_price"), "{e}");
    }
}
