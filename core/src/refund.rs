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
use serde_json::Value;

use crate::error::Error;
use crate::money::Amount;
use crate::outcome::{text, State};

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

/// What remains of `payment_id` according to an `iyzico.payment_details` response (or its
/// `outcome`): paid price minus every refund, 0 once cancelled. `field` names the request field
/// for errors (`details`).
pub fn from_iyzico_details(
    field: &str,
    details: &Value,
    payment_id: &str,
) -> Result<Refundable, Error> {
    let outcome = details.get("outcome").unwrap_or(details);
    let bad = |why: &str| Error::invalid_field(field, why);
    if text(outcome, "type").as_deref() != Some("status") {
        return Err(bad(
            "must be the response (or the outcome) of an iyzico.payment_details call",
        ));
    }
    let decimal = |v: &Value, key: &str| -> Result<Option<Decimal>, Error> {
        match text(v, key) {
            None => Ok(None),
            Some(t) => Decimal::from_str(&t)
                .map(Some)
                .map_err(|_| bad("has an amount that is not a decimal")),
        }
    };
    // The reported payment whose id matches (several may share one conversationId).
    let mut candidates: Vec<&Value> = vec![outcome];
    if let Some(list) = outcome.get("payments").and_then(Value::as_array) {
        candidates.extend(list.iter());
    }
    let p = candidates
        .into_iter()
        .find(|p| text(p, "payment_id").as_deref() == Some(payment_id))
        .ok_or_else(|| bad("reports another payment than paymentId"))?;
    if p.get("cancelled").and_then(Value::as_bool) == Some(true) {
        return Ok(Refundable {
            remaining: Decimal::ZERO,
            source: "the details passed",
        });
    }
    let paid = decimal(p, "paid_price")?
        .or(decimal(p, "amount")?)
        .ok_or_else(|| bad("has no paid_price"))?;
    let mut refunded = Decimal::ZERO;
    for r in p
        .get("refunds")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        refunded += decimal(r, "amount")?.unwrap_or_default();
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
    }
}
