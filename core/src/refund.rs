//! Refunds and cancels, across providers: what remains refundable, and the check that refuses
//! a refund larger than that **before any I/O**.
//!
//! odeme knows what remains only when the caller tells it: a refund or cancel request may carry
//!
//! * `refundable`: the amount that remains refundable, as the merchant's books or a previous
//!   query say (any provider), or
//! * `details` (iyzico): the response (or just its `outcome`) of an `iyzico.payment_details` call
//!   for the same payment; odeme computes paid price − refunds (0 once cancelled)
//!   (`providers::iyzico::refund::from_details`).
//!
//! Without either, the provider's own error comes back (`provider`, with its code). The payment
//! journal plugs in here too: [`check_refundable`] is the one place that refuses an over-refund,
//! whatever told odeme the remaining amount.

use rust_decimal::Decimal;

use crate::error::Error;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
