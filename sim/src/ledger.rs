//! The one refund ledger every provider books its refunds and cancels in (each provider keeps
//! its own `Ledger`, keyed by its payment's id): what was returned, whether the payment was
//! cancelled, what remains, and the `sim:refund-SCENARIO` fault a payment's product name put
//! on its refund and cancel calls (as with every fault, the refund is booked before the reply
//! is lost).

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::wire::Scenario;

/// One refund or cancel.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub id: String,
    pub amount: Decimal,
    pub cancel: bool,
    /// The merchant's reference of this return (iyzico `conversationId`, PayTR `reference_no`).
    pub reference: Option<String>,
    pub created_ms: u64,
}

/// A return to book.
pub(crate) struct Return {
    /// The provider's id of the return.
    pub id: String,
    /// How much; `None` for all that remains.
    pub amount: Option<Decimal>,
    pub cancel: bool,
    pub reference: Option<String>,
}

/// Why a return is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Nothing remains (cancelled or refunded in full).
    NothingLeft,
    /// More than remains.
    AboveRemaining,
}

#[derive(Default)]
pub(crate) struct Ledger {
    /// payment → the fault of its refund and cancel calls.
    faults: HashMap<String, Scenario>,
    /// payment → its refunds and cancels, oldest first.
    booked: HashMap<String, Vec<Entry>>,
}

impl Ledger {
    /// Remember the refund fault (`sim:refund-SCENARIO`) a payment's product name carries
    /// (called when the payment is booked).
    pub(crate) fn note_fault(&mut self, payment: &str, product: &str) {
        if let Some(s) = Scenario::after(product, "refund") {
            self.faults.insert(payment.to_owned(), s);
        }
    }

    /// The fault of a payment's refund and cancel calls.
    pub(crate) fn fault(&self, payment: &str) -> Option<Scenario> {
        self.faults.get(payment).copied()
    }

    pub(crate) fn entries(&self, payment: &str) -> &[Entry] {
        self.booked
            .get(payment)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The sum of a payment's returns.
    pub(crate) fn returned(&self, payment: &str) -> Decimal {
        self.entries(payment).iter().map(|e| e.amount).sum()
    }

    pub(crate) fn cancelled(&self, payment: &str) -> bool {
        self.entries(payment).iter().any(|e| e.cancel)
    }

    /// What remains of `total`: nothing once cancelled.
    pub(crate) fn remaining(&self, payment: &str, total: Decimal) -> Decimal {
        if self.cancelled(payment) {
            Decimal::ZERO
        } else {
            (total - self.returned(payment)).max(Decimal::ZERO)
        }
    }

    /// Book a return of a payment of `total`, if that much remains.
    pub(crate) fn book(
        &mut self,
        payment: &str,
        total: Decimal,
        r: Return,
    ) -> Result<Entry, Refusal> {
        let remaining = self.remaining(payment, total);
        if remaining <= Decimal::ZERO {
            return Err(Refusal::NothingLeft);
        }
        let amount = r.amount.unwrap_or(remaining);
        if amount > remaining {
            return Err(Refusal::AboveRemaining);
        }
        let entry = Entry {
            id: r.id,
            amount,
            cancel: r.cancel,
            reference: r.reference,
            created_ms: crate::wire::now_ms(),
        };
        self.booked
            .entry(payment.to_owned())
            .or_default()
            .push(entry.clone());
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refund(amount: u32) -> Return {
        Return {
            id: "r".into(),
            amount: Some(Decimal::from(amount)),
            cancel: false,
            reference: None,
        }
    }

    #[test]
    fn returns_accumulate_up_to_the_total() {
        let mut l = Ledger::default();
        let total = Decimal::from(10);
        assert!(l.book("p", total, refund(4)).is_ok());
        assert_eq!(l.remaining("p", total), Decimal::from(6));
        assert_eq!(
            l.book("p", total, refund(7)).unwrap_err(),
            Refusal::AboveRemaining
        );
        assert!(l.book("p", total, refund(6)).is_ok());
        assert_eq!(
            l.book("p", total, refund(1)).unwrap_err(),
            Refusal::NothingLeft
        );
        assert_eq!(l.returned("p"), total);
        assert_eq!(l.remaining("other", total), total);
    }

    #[test]
    fn a_cancel_takes_what_remains_and_ends_it() {
        let mut l = Ledger::default();
        let total = Decimal::from(10);
        l.book("p", total, refund(3)).unwrap();
        let all = Return {
            amount: None,
            cancel: true,
            ..refund(0)
        };
        assert_eq!(l.book("p", total, all).unwrap().amount, Decimal::from(7));
        assert!(l.cancelled("p"));
        assert_eq!(l.remaining("p", total), Decimal::ZERO);
    }

    #[test]
    fn refund_faults() {
        let mut l = Ledger::default();
        l.note_fault("p", "sim:refund-drop");
        l.note_fault("q", "sim:drop");
        assert_eq!(l.fault("p"), Some(Scenario::Drop));
        assert_eq!(l.fault("q"), None);
    }
}
