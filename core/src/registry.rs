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

use serde::Serialize;
use serde_json::Value;

use crate::config::{
    Config, EsnekposConfig, IyzicoConfig, PaymagoConfig, PaymesConfig, PaytrConfig,
};
use crate::error::Error;
use crate::journal::{Intent, Journal};
use crate::outcome::Response;
use crate::providers::{esnekpos, iyzico, paymago, paymes, paytr, Call};
use crate::transport::{Reply, Transport};
use crate::validate::Input;

/// Whether a call may be resent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sends {
    /// Creates an order, moves money or changes a payment: handed to the socket at most once;
    /// a failure after a byte may have left is `outcome_unknown`.
    AtMostOnce,
    /// Read-only: retried a bounded number of times after transport failures and 502–504.
    Retryable,
    /// No I/O at all (a signature check).
    Local,
}

impl Sends {
    pub fn as_str(self) -> &'static str {
        match self {
            Sends::AtMostOnce => "at_most_once",
            Sends::Retryable => "retryable",
            Sends::Local => "local",
        }
    }
}

/// How to find out whether an `at_most_once` call happened after its reply was lost.
#[derive(Clone, Copy)]
pub enum Reconcile {
    /// Read-only or local: nothing to reconcile.
    NotNeeded,
    /// The provider's API cannot answer; `advice` says where to look instead.
    Unavailable { advice: &'static str },
    /// Ask `operation` with `{as_field: <the original request's `by` field>}`; `by` is a
    /// top-level key or a dotted path into nested objects (`"Config.ORDER_REF_NUMBER"`).
    With {
        operation: &'static str,
        by: &'static str,
        as_field: &'static str,
    },
}

impl Reconcile {
    /// The request for the reconciling operation, built from what was sent (`None` when the
    /// identifying field is absent or not text).
    pub fn request(&self, sent: &Value) -> Option<Value> {
        match self {
            Reconcile::With { by, as_field, .. } => {
                // Ids such as iyzico's paymentId are often sent as JSON numbers: keep their text.
                let id = crate::json::id_at_path(sent, by)?;
                let mut m = serde_json::Map::new();
                m.insert((*as_field).to_owned(), Value::from(id));
                Some(Value::Object(m))
            }
            _ => None,
        }
    }
}

/// The two steps of an operation, for one provider's configuration type.
pub(crate) struct StepFns<C: 'static> {
    /// Validate, build, send (as the declaration's policy allows) and interpret.
    pub run: fn(&Call<'_, C>, &Input<'_>) -> Result<Response, Error>,
    /// Interpret `reply` as the answer to the request, with no I/O.
    pub reply: fn(&Call<'_, C>, &Input<'_>, &Reply) -> Result<Response, Error>,
}

/// The steps, tagged with the provider whose configuration they receive.
pub(crate) enum Steps {
    Iyzico(StepFns<IyzicoConfig>),
    Paymes(StepFns<PaymesConfig>),
    Paymago(StepFns<PaymagoConfig>),
    Esnekpos(StepFns<EsnekposConfig>),
    Paytr(StepFns<PaytrConfig>),
}

/// Which fields of an operation's request the payment journal records (`crate::journal`).
///
/// Each is the name of a field of the request as the merchant passes it: a top-level key
/// (`"conversationId"`) or a dotted path into nested objects (`"Config.ORDER_REF_NUMBER"`).
/// `reference` is the merchant's own identifier of the order or payment: with a journal, a
/// second `at_most_once` call of the same operation with the same reference is refused before
/// any I/O while the first is `sending`, `outcome_unknown`, `needs_manual_check` or `done`.
/// `None` means the request has no such field (the row then records null). Only identifiers,
/// amounts and currency codes may be named here: never a card field, key or token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Journaled {
    pub reference: Option<&'static str>,
    pub amount: Option<&'static str>,
    pub currency: Option<&'static str>,
}

impl Journaled {
    /// Nothing to record (read-only and local operations).
    pub const NONE: Journaled = Journaled {
        reference: None,
        amount: None,
        currency: None,
    };
}

/// One operation's declaration.
pub struct OperationDef {
    pub name: &'static str,
    /// One line saying what it does (the docs and the generated bindings' doc comments).
    pub summary: &'static str,
    /// The provider call's HTTP method and path (`None` for a `local` operation).
    pub method: Option<&'static str>,
    pub path: Option<&'static str>,
    /// The outcome `type`s it can answer ([`crate::outcome::SHAPES`] describes each).
    pub outcome: &'static [&'static str],
    /// A request it accepts, as JSON text: the docs' example, and what the send-policy test
    /// (`core/tests/at_most_once.rs`) sends.
    pub example: &'static str,
    pub sends: Sends,
    pub reconcile: Reconcile,
    /// The request fields the journal records (`Journaled::NONE` unless `sends` is
    /// `AtMostOnce`).
    pub journal: Journaled,
    pub(crate) steps: Steps,
}

impl OperationDef {
    pub fn provider(&self) -> &'static str {
        match self.steps {
            Steps::Iyzico(_) => "iyzico",
            Steps::Paymes(_) => "paymes",
            Steps::Paymago(_) => "paymago",
            Steps::Esnekpos(_) => "esnekpos",
            Steps::Paytr(_) => "paytr",
        }
    }

    /// The operation to reconcile with, and the field of the original request it uses.
    pub fn reconcile_with(&self) -> (Option<&'static str>, Option<&'static str>) {
        match self.reconcile {
            Reconcile::With { operation, by, .. } => (Some(operation), Some(by)),
            _ => (None, None),
        }
    }

    /// The published entry: `{"name", "provider", "sends", "reconcile_with", "reconcile_by",
    /// "summary", "method", "path", "outcome"}`.
    pub fn info(&self) -> OperationInfo {
        let (reconcile_with, reconcile_by) = self.reconcile_with();
        OperationInfo {
            name: self.name,
            provider: self.provider(),
            sends: self.sends,
            reconcile_with,
            reconcile_by,
            summary: self.summary,
            method: self.method,
            path: self.path,
            outcome: self.outcome,
        }
    }

    /// Run the declared steps with the provider's own configuration; `reply` replays a reply
    /// instead of sending.
    ///
    /// With a journal (`intent`), an `at_most_once` call commits its intent row in
    /// [`Call::send`], just before the socket, and its outcome here, once the steps return: the
    /// one place every operation passes through. A `local` call gets the journal itself
    /// (`journal`): a callback check records its delivery there.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute(
        &'static self,
        config: &Config,
        transport: &Transport,
        request: &Input<'_>,
        reply: Option<&Reply>,
        intent: Option<&Intent<'_>>,
        journal: Option<&Journal>,
        log: Option<&crate::log::CallLog<'_>>,
    ) -> Result<Response, Error> {
        #[allow(clippy::too_many_arguments)]
        fn go<C>(
            op: &'static OperationDef,
            cfg: Option<&C>,
            f: &StepFns<C>,
            transport: &Transport,
            request: &Input<'_>,
            reply: Option<&Reply>,
            intent: Option<&Intent<'_>>,
            journal: Option<&Journal>,
            log: Option<&crate::log::CallLog<'_>>,
        ) -> Result<Response, Error> {
            let cfg = cfg.ok_or_else(|| {
                Error::config_field(
                    op.provider(),
                    "is not configured; add its section to the client config to call it",
                )
            })?;
            let intent = if reply.is_none() && op.sends == Sends::AtMostOnce {
                intent
            } else {
                None
            };
            let journal = journal.filter(|_| op.sends == Sends::Local && reply.is_none());
            let call = Call {
                op,
                cfg,
                transport,
                intent,
                journal,
                log,
            };
            let result = match reply {
                Some(r) => (f.reply)(&call, request, r),
                None => (f.run)(&call, request),
            };
            if let Some(intent) = intent {
                intent.finish(&result);
                if let Some(log) = log {
                    log.journal_outcome(&result);
                }
            }
            result
        }
        match &self.steps {
            Steps::Iyzico(f) => go(
                self,
                config.iyzico.as_ref(),
                f,
                transport,
                request,
                reply,
                intent,
                journal,
                log,
            ),
            Steps::Paymes(f) => go(
                self,
                config.paymes.as_ref(),
                f,
                transport,
                request,
                reply,
                intent,
                journal,
                log,
            ),
            Steps::Paymago(f) => go(
                self,
                config.paymago.as_ref(),
                f,
                transport,
                request,
                reply,
                intent,
                journal,
                log,
            ),
            Steps::Esnekpos(f) => go(
                self,
                config.esnekpos.as_ref(),
                f,
                transport,
                request,
                reply,
                intent,
                journal,
                log,
            ),
            Steps::Paytr(f) => go(
                self,
                config.paytr.as_ref(),
                f,
                transport,
                request,
                reply,
                intent,
                journal,
                log,
            ),
        }
    }
}

/// One entry of the published operation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OperationInfo {
    pub name: &'static str,
    pub provider: &'static str,
    pub sends: Sends,
    pub reconcile_with: Option<&'static str>,
    pub reconcile_by: Option<&'static str>,
    pub summary: &'static str,
    pub method: Option<&'static str>,
    pub path: Option<&'static str>,
    pub outcome: &'static [&'static str],
}

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
            let example: Value = serde_json::from_str(d.example)
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
