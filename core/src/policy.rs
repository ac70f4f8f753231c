//! The policies an operation declares (the leaf of the core's layers: it knows no operation,
//! transport or journal): whether a call may be resent ([`Sends`]), how to find out whether an
//! `at_most_once` call happened after its reply was lost ([`Reconcile`]), which request fields
//! the journal records ([`Journaled`]), and [`Declared`], what the journal, the log and errors
//! need to know of a declaration.

use serde::Serialize;
use serde_json::Value;

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
#[derive(Clone, Copy, Debug)]
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

/// What the journal, the log and errors know of an operation: its names and its policies (the
/// operation itself, with its steps, is [`crate::operation::OperationDef`]).
#[derive(Clone, Copy, Debug)]
pub struct Declared {
    pub name: &'static str,
    pub provider: &'static str,
    pub sends: Sends,
    pub reconcile: Reconcile,
    pub journal: Journaled,
}
