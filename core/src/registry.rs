//! The registry: every operation, declared once, in its provider's module
//! (`providers::*::OPERATIONS`).
//!
//! A declaration states the operation's name, its **send policy** ([`Sends`]), its
//! **reconciliation** ([`Reconcile`]) and its two steps: `run` (validate, build, send once or with
//! bounded retries as the policy says, interpret) and `reply` (interpret a reply without I/O).
//! The provider is the variant of [`Steps`], so it cannot disagree with the module that declares
//! it. Dispatch, [`crate::Client::interpret_reply`], `Response.operation`, the configured-provider
//! check, the published list ([`operations`]) and the advice carried by `outcome_unknown` errors
//! all come from here; the transport takes the policy from the declaration, never from a literal
//! at a call site.

pub use crate::operation::{OperationDef, OperationInfo};
pub use crate::policy::{Journaled, Reconcile, Sends};
use crate::providers::{esnekpos, iyzico, paymago, paymes, paytr};

/// Every declared operation, provider by provider.
pub fn all() -> impl Iterator<Item = &'static OperationDef> {
    [
        iyzico::OPERATIONS,
        paymes::OPERATIONS,
        paymago::OPERATIONS,
        esnekpos::OPERATIONS,
        paytr::OPERATIONS,
    ]
    .into_iter()
    .flatten()
}

/// The declaration of `name`, if there is one.
pub fn find(name: &str) -> Option<&'static OperationDef> {
    all().find(|d| d.name == name)
}

/// The published list (what `odeme_operations()` and every binding return).
pub fn operations() -> Vec<OperationInfo> {
    all().map(OperationDef::info).collect()
}

/// The published list as JSON text.
pub fn operations_json() -> String {
    serde_json::to_string(&operations()).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_prefixed_by_their_provider() {
        let mut seen = HashSet::new();
        for d in all() {
            assert!(seen.insert(d.name), "{} declared twice", d.name);
            assert_eq!(d.name.split('.').next(), Some(d.provider()), "{}", d.name);
        }
    }

    #[test]
    fn every_declaration_describes_itself() {
        for d in all() {
            assert!(
                !d.summary.is_empty() && !d.summary.contains('\n'),
                "{}: summary is one line",
                d.name
            );
            assert_eq!(
                d.method.is_none() && d.path.is_none(),
                d.sends == Sends::Local,
                "{}: a method and a path exactly when it does I/O",
                d.name
            );
            if let Some(p) = d.path {
                assert!(p.starts_with('/'), "{}: path {p}", d.name);
            }
            assert!(!d.outcome.is_empty(), "{}", d.name);
            for t in d.outcome {
                assert!(
                    crate::outcome::SHAPES.iter().any(|s| s.name == *t),
                    "{}: outcome {t} has no shape in outcome::SHAPES",
                    d.name
                );
            }
            let example: serde_json::Value = serde_json::from_str(d.example)
                .unwrap_or_else(|e| panic!("{}: example is not JSON: {e}", d.name));
            assert!(example.is_object(), "{}: example is an object", d.name);
        }
    }

    #[test]
    fn reconciliation_points_at_a_read_only_operation() {
        for d in all() {
            match d.reconcile {
                Reconcile::With { operation, .. } => {
                    let target = find(operation).unwrap_or_else(|| panic!("{operation}"));
                    assert_eq!(target.sends, Sends::Retryable, "{}", d.name);
                    assert_eq!(target.provider(), d.provider(), "{}", d.name);
                    assert_eq!(d.sends, Sends::AtMostOnce, "{}", d.name);
                }
                Reconcile::Unavailable { advice } => {
                    assert_eq!(d.sends, Sends::AtMostOnce, "{}", d.name);
                    assert!(!advice.is_empty());
                }
                Reconcile::NotNeeded => assert_ne!(d.sends, Sends::AtMostOnce, "{}", d.name),
            }
        }
    }

    #[test]
    fn every_at_most_once_operation_declares_what_the_journal_records() {
        for d in all() {
            if d.sends == Sends::AtMostOnce {
                // Something to tell the row apart by (a cancel has no amount, a payment link no
                // merchant reference).
                assert!(
                    d.journal.reference.is_some() || d.journal.amount.is_some(),
                    "{}: journal records neither a reference nor an amount",
                    d.name
                );
            } else {
                assert_eq!(d.journal, Journaled::NONE, "{}", d.name);
            }
            for f in [d.journal.reference, d.journal.amount, d.journal.currency]
                .into_iter()
                .flatten()
            {
                let lower = f.to_ascii_lowercase();
                for secret in ["card", "cvc", "cvv", "key", "token", "secret", "hash"] {
                    assert!(!lower.contains(secret), "{}: journal field {f}", d.name);
                }
            }
        }
        let d = find("iyzico.create_payment").unwrap();
        assert_eq!(d.journal.reference, Some("conversationId"));
    }

    #[test]
    fn the_reconcile_request_is_built_from_the_declared_field() {
        let d = find("iyzico.create_payment").unwrap();
        let sent = serde_json::json!({"conversationId": "order-42", "price": "1"});
        assert_eq!(
            d.reconcile.request(&sent),
            Some(serde_json::json!({"paymentConversationId": "order-42"}))
        );
        assert_eq!(
            d.reconcile.request(&serde_json::json!({"price": "1"})),
            None
        );
        let c = find("iyzico.complete_3ds").unwrap();
        assert_eq!(
            c.reconcile
                .request(&serde_json::json!({"paymentId": 22484292})),
            Some(serde_json::json!({"paymentId": "22484292"}))
        );
        assert_eq!(
            find("iyzico.refund_payment")
                .unwrap()
                .reconcile
                .request(&serde_json::json!({"paymentId": 10851937, "price": "1"})),
            Some(serde_json::json!({"paymentId": "10851937"}))
        );
        // A dotted path: EsnekPOS pay_3d carries the merchant's reference under Config.
        let p = find("esnekpos.pay_3d").unwrap();
        assert_eq!(
            p.reconcile
                .request(&serde_json::json!({"Config": {"ORDER_REF_NUMBER": "R-1"}})),
            Some(serde_json::json!({"ORDER_REF_NUMBER": "R-1"}))
        );
        assert_eq!(
            p.reconcile
                .request(&serde_json::json!({"ORDER_REF_NUMBER": "R-1", "Config": {}})),
            None
        );
        assert_eq!(
            find("paymes.create_order")
                .unwrap()
                .reconcile
                .request(&sent),
            None
        );
    }

    #[test]
    fn the_published_list_matches_the_contract() {
        let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = operations()
            .iter()
            .map(|o| (o.name, o.sends.as_str(), o.reconcile_with, o.reconcile_by))
            .collect();
        let want = vec![
            (
                "iyzico.create_payment",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("conversationId"),
            ),
            ("iyzico.retrieve_payment", "retryable", None, None),
            ("iyzico.payment_details", "retryable", None, None),
            (
                "iyzico.cancel_payment",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("paymentId"),
            ),
            (
                "iyzico.refund_payment",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("paymentId"),
            ),
            (
                "iyzico.init_3ds",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("conversationId"),
            ),
            ("iyzico.verify_3ds_callback", "local", None, None),
            (
                "iyzico.complete_3ds",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("paymentId"),
            ),
            ("iyzico.init_checkout_form", "at_most_once", None, None),
            ("iyzico.retrieve_checkout_form", "retryable", None, None),
            ("iyzico.bin_check", "retryable", None, None),
            ("iyzico.installments", "retryable", None, None),
            (
                "iyzico.preauth_payment",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("conversationId"),
            ),
            (
                "iyzico.init_3ds_preauth",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("conversationId"),
            ),
            (
                "iyzico.capture_payment",
                "at_most_once",
                Some("iyzico.payment_details"),
                Some("paymentId"),
            ),
            ("iyzico.store_card", "at_most_once", None, None),
            ("iyzico.list_cards", "retryable", None, None),
            ("iyzico.delete_card", "retryable", None, None),
            ("paymes.create_order", "at_most_once", None, None),
            ("paymes.create_kiosk_order", "at_most_once", None, None),
            ("paymes.create_order_legacy", "at_most_once", None, None),
            ("paymes.query_order", "retryable", None, None),
            ("paymes.verify_notification", "local", None, None),
            (
                "paymes.cancel_order",
                "at_most_once",
                Some("paymes.query_order"),
                Some("paymesOrderId"),
            ),
            ("paymago.create_order", "at_most_once", None, None),
            ("paymago.order_result", "retryable", None, None),
            ("esnekpos.send_payment_request", "at_most_once", None, None),
            ("esnekpos.query_payment_request", "retryable", None, None),
            (
                "esnekpos.return_order",
                "at_most_once",
                Some("esnekpos.process_query"),
                Some("ORDER_REF_NUMBER"),
            ),
            (
                "esnekpos.pay_3d",
                "at_most_once",
                Some("esnekpos.process_query"),
                Some("Config.ORDER_REF_NUMBER"),
            ),
            ("esnekpos.process_query", "retryable", None, None),
            (
                "paytr.create_iframe_token",
                "at_most_once",
                Some("paytr.query_order"),
                Some("merchant_oid"),
            ),
            (
                "paytr.pay_direct",
                "at_most_once",
                Some("paytr.query_order"),
                Some("merchant_oid"),
            ),
            (
                "paytr.refund",
                "at_most_once",
                Some("paytr.query_order"),
                Some("merchant_oid"),
            ),
            ("paytr.query_order", "retryable", None, None),
            ("paytr.verify_callback", "local", None, None),
        ];
        assert_eq!(got, want);
    }
}
