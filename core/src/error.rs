//! The one error type of odeme, and the one place where failures are mapped to kinds.
//!
//! Every failure a caller can see is an [`Error`] with an [`ErrorKind`]. The kind decides what
//! the merchant should do next (fix the request, retry, or reconcile before anything else); the
//! numbers are the C ABI's status codes and never change meaning.
//!
//! Messages are built from field names, provider codes and provider texts that went through
//! [`crate::secret::redact_text`]; a card number, CVC, key or token never reaches them.

use std::fmt;

use serde_json::{json, Value};

use crate::secret::redact_text;

/// What went wrong, as a stable category shared by every language binding.
///
/// `#[non_exhaustive]`: a later kind may be added (with a new status number); match with a
/// wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Null pointer, bad UTF-8, request or config not valid JSON.
    InvalidArgument,
    /// The request failed validation before any I/O; `field` names the culprit.
    InvalidRequest,
    /// Bad or missing configuration (including calling a provider that is not configured).
    Config,
    /// The request provably never reached the provider (DNS, connect, TLS handshake). Safe to retry.
    Transport,
    /// An order-creating or money-moving call may have been processed. Do not resend: reconcile
    /// with the provider's query operation first.
    OutcomeUnknown,
    /// The provider rejected the credentials or the request signature.
    Auth,
    /// The provider processed the payment and refused it (card declined, insufficient funds, fraud).
    Declined,
    /// Any other error the provider reported, with its code and message.
    Provider,
    /// A provider response (or notification) failed signature verification.
    Signature,
    /// A reply to a read-only call could not be understood. Safe to retry.
    Decode,
    /// A bug in odeme, including a caught panic.
    Internal,
}

impl ErrorKind {
    /// Every kind, in status order.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::InvalidArgument,
        ErrorKind::InvalidRequest,
        ErrorKind::Config,
        ErrorKind::Transport,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Auth,
        ErrorKind::Declined,
        ErrorKind::Provider,
        ErrorKind::Signature,
        ErrorKind::Decode,
        ErrorKind::Internal,
    ];

    /// The C ABI status number (`OdemeStatus`).
    pub fn status(self) -> u32 {
        match self {
            ErrorKind::InvalidArgument => 1,
            ErrorKind::InvalidRequest => 2,
            ErrorKind::Config => 3,
            ErrorKind::Transport => 10,
            ErrorKind::OutcomeUnknown => 11,
            ErrorKind::Auth => 20,
            ErrorKind::Declined => 21,
            ErrorKind::Provider => 22,
            ErrorKind::Signature => 23,
            ErrorKind::Decode => 30,
            ErrorKind::Internal => 99,
        }
    }

    /// The snake_case name used in JSON and by every binding.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Config => "config",
            ErrorKind::Transport => "transport",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Auth => "auth",
            ErrorKind::Declined => "declined",
            ErrorKind::Provider => "provider",
            ErrorKind::Signature => "signature",
            ErrorKind::Decode => "decode",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether sending the same call again is safe without reconciling first.
    pub fn default_retry_safe(self) -> bool {
        matches!(self, ErrorKind::Transport | ErrorKind::Decode)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An odeme error: a kind, a message that says what to do, and the context fields.
///
/// All string fields are free of card data and secrets by construction (see the module docs).
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    operation: Option<String>,
    provider: Option<String>,
    provider_code: Option<String>,
    provider_message: Option<String>,
    http_status: Option<u16>,
    field: Option<String>,
    retry_safe: bool,
    /// After `outcome_unknown`: the operation that answers "did it happen?" (from the registry).
    reconcile_with: Option<String>,
    /// ...and the complete request to pass to it, built from what was sent.
    reconcile_request: Option<Value>,
}

impl Error {
    /// A new error of `kind`; `message` is passed through the redactor.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: redact_text(&message.into()),
            operation: None,
            provider: None,
            provider_code: None,
            provider_message: None,
            http_status: None,
            field: None,
            retry_safe: kind.default_retry_safe(),
            reconcile_with: None,
            reconcile_request: None,
        }))
    }

    /// An `invalid_request` error naming `field` (a JSON path such as `basketItems[1].price`).
    #[cold]
    pub fn invalid_field(field: impl Into<String>, problem: impl fmt::Display) -> Error {
        let field = field.into();
        let mut e = Error::new(ErrorKind::InvalidRequest, format!("{field}: {problem}"));
        e.0.field = Some(field);
        e
    }

    /// An `invalid_argument` error naming the part of the argument at fault (a path such as
    /// `buyer.name` or `basketItems[3]`): nesting too deep, text that is not Unicode.
    #[cold]
    pub fn invalid_argument_field(field: impl Into<String>, problem: impl fmt::Display) -> Error {
        let field = field.into();
        let mut e = Error::new(ErrorKind::InvalidArgument, format!("{field}: {problem}"));
        e.0.field = Some(field);
        e
    }

    /// A `config` error naming the config key at fault.
    #[cold]
    pub fn config_field(field: impl Into<String>, problem: impl fmt::Display) -> Error {
        let field = field.into();
        let mut e = Error::new(ErrorKind::Config, format!("config {field}: {problem}"));
        e.0.field = Some(field);
        e
    }

    /// Name the provider (when none is named yet): for errors whose operation name does not
    /// start with it (`webhook.iyzico`).
    pub(crate) fn with_provider(mut self, provider: &str) -> Error {
        if self.0.provider.is_none() {
            self.0.provider = Some(provider.to_owned());
        }
        self
    }

    pub(crate) fn with_operation(mut self, operation: &str) -> Error {
        if self.0.operation.is_none() {
            self.0.operation = Some(operation.to_owned());
        }
        if self.0.provider.is_none() {
            if let Some((provider, _)) = operation.split_once('.') {
                self.0.provider = Some(provider.to_owned());
            }
        }
        self
    }

    /// Attach the declared reconciliation to an `outcome_unknown` error: the operation and the
    /// request to ask it with, or, where the provider's API cannot answer, where to look instead.
    pub(crate) fn with_reconcile(
        mut self,
        reconcile: &crate::policy::Reconcile,
        sent: impl FnOnce() -> Option<Value>,
    ) -> Error {
        use crate::policy::Reconcile;
        if self.0.kind != ErrorKind::OutcomeUnknown {
            return self;
        }
        match reconcile {
            // An operation that generated its own reference (EsnekPOS `pay_3d`'s
            // ORDER_REF_NUMBER) attached the request already: it is the one that was sent.
            Reconcile::With { operation, .. } => {
                match self.0.reconcile_request.take().or_else(sent) {
                    Some(req) => {
                        self.0.message = format!(
                        "{} [reconcile: call {operation} with reconcile_request before anything else]",
                        self.0.message
                    );
                        self.0.reconcile_with = Some((*operation).to_owned());
                        self.0.reconcile_request = Some(req);
                    }
                    None => {
                        self.0.message = format!(
                            "{} [reconcile: call {operation} for this order before anything else]",
                            self.0.message
                        );
                        self.0.reconcile_with = Some((*operation).to_owned());
                    }
                }
            }
            Reconcile::Unavailable { advice } => {
                self.0.message = format!(
                    "{} [the provider's API cannot answer whether it happened: {advice}]",
                    self.0.message
                );
            }
            Reconcile::NotNeeded => {}
        }
        self
    }

    /// The reconciliation request, when the operation knows better than the request it was
    /// given (a reference it generated). Only kept on `outcome_unknown` errors.
    pub(crate) fn with_reconcile_request(mut self, request: Value) -> Error {
        if self.0.kind == ErrorKind::OutcomeUnknown {
            self.0.reconcile_request = Some(request);
        }
        self
    }

    pub(crate) fn with_http_status(mut self, status: u16) -> Error {
        self.0.http_status = Some(status);
        self
    }

    /// The same error, never safe to retry (whatever its kind's default).
    pub(crate) fn not_retry_safe(mut self) -> Error {
        self.0.retry_safe = false;
        self
    }

    pub(crate) fn with_message_suffix(mut self, suffix: &str) -> Error {
        self.0.message = format!("{} [{}]", self.0.message, redact_text(suffix));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    pub fn status(&self) -> u32 {
        self.0.kind.status()
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn operation(&self) -> Option<&str> {
        self.0.operation.as_deref()
    }
    pub fn provider(&self) -> Option<&str> {
        self.0.provider.as_deref()
    }
    pub fn provider_code(&self) -> Option<&str> {
        self.0.provider_code.as_deref()
    }
    pub fn provider_message(&self) -> Option<&str> {
        self.0.provider_message.as_deref()
    }
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    pub fn retry_safe(&self) -> bool {
        self.0.retry_safe
    }
    /// After `outcome_unknown`: the operation to reconcile with (null where the provider's API
    /// cannot answer; the message then says where to look).
    pub fn reconcile_with(&self) -> Option<&str> {
        self.0.reconcile_with.as_deref()
    }
    /// After `outcome_unknown`: the request to pass to [`Error::reconcile_with`].
    pub fn reconcile_request(&self) -> Option<&Value> {
        self.0.reconcile_request.as_ref()
    }

    /// All fields as one JSON object (the shape of `odeme_error_json` and of every binding).
    pub fn to_json(&self) -> Value {
        json!({
            "status": self.status(),
            "kind": self.0.kind.as_str(),
            "message": self.0.message,
            "operation": self.0.operation,
            "provider": self.0.provider,
            "provider_code": self.0.provider_code,
            "provider_message": self.0.provider_message,
            "http_status": self.0.http_status,
            "field": self.0.field,
            "retry_safe": self.0.retry_safe,
            "reconcile_with": self.0.reconcile_with,
            "reconcile_request": self.0.reconcile_request,
        })
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("operation", &self.0.operation)
            .field("provider_code", &self.0.provider_code)
            .field("provider_message", &self.0.provider_message)
            .field("http_status", &self.0.http_status)
            .field("field", &self.0.field)
            .field("retry_safe", &self.0.retry_safe)
            .field("reconcile_with", &self.0.reconcile_with)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error", self.0.kind)?;
        if let Some(op) = &self.0.operation {
            write!(f, " in {op}")?;
        }
        write!(f, ": {}", self.0.message)
    }
}

impl std::error::Error for Error {}

/// How a provider classified a failure it reported; decided by the provider module from the
/// provider's own codes, then turned into an [`Error`] by [`provider_error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProviderFailure {
    /// Credentials, token or request signature rejected.
    Auth,
    /// The bank or the provider's fraud check refused the payment.
    Declined,
    /// The bank or the provider could not process the request (a timeout, a system error):
    /// nothing was charged, and the same request may succeed later.
    Transient,
    /// Anything else the provider said no to.
    Other,
}

/// The provider said no, in its own error shape. Codes and texts are redacted before they are kept.
#[cold]
pub fn provider_error(
    failure: ProviderFailure,
    code: Option<&str>,
    message: Option<&str>,
    http_status: u16,
) -> Error {
    let kind = match failure {
        ProviderFailure::Auth => ErrorKind::Auth,
        ProviderFailure::Declined => ErrorKind::Declined,
        ProviderFailure::Other | ProviderFailure::Transient => ErrorKind::Provider,
    };
    let advice = match failure {
        ProviderFailure::Transient => {
            "the bank or the provider could not process it; nothing was charged, retry later"
        }
        ProviderFailure::Auth => "check the credentials and the base URL of this provider",
        ProviderFailure::Declined => "the payment was refused; ask the payer for another card",
        ProviderFailure::Other => "the provider refused the request; see provider_code",
    };
    let text = match (code, message) {
        (Some(c), Some(m)) => format!("provider error {c}: {m} ({advice})"),
        (None, Some(m)) => format!("provider error: {m} ({advice})"),
        (Some(c), None) => format!("provider error {c} ({advice})"),
        (None, None) => format!("provider error ({advice})"),
    };
    let mut e = Error::new(kind, text).with_http_status(http_status);
    if failure == ProviderFailure::Transient {
        e.0.retry_safe = true;
    }
    e.0.provider_code = code.map(redact_text);
    e.0.provider_message = message.map(redact_text);
    e
}

/// A provider signature (or notification hash) did not verify.
#[cold]
pub fn signature_error(what: &str) -> Error {
    Error::new(
        ErrorKind::Signature,
        format!("{what} failed signature verification; do not trust it, query the provider for the real state"),
    )
}

/// The reply could not be understood. For a call that creates an order or moves money this is
/// `outcome_unknown`; for a read-only call it is `decode` (safe to retry).
#[cold]
pub fn unreadable_reply(creates_order: bool, http_status: Option<u16>, why: &str) -> Error {
    let e = if creates_order {
        Error::new(
            ErrorKind::OutcomeUnknown,
            format!("{why}; the provider may have processed the request: do not resend: reconcile first (see reconcile_with)"),
        )
    } else {
        Error::new(
            ErrorKind::Decode,
            format!("{why}; the call is read-only and safe to retry"),
        )
    };
    match http_status {
        Some(s) => e.with_http_status(s),
        None => e,
    }
}

/// The request was sent (or may have been) and no answer came back.
#[cold]
pub fn lost_after_send(creates_order: bool, why: &str) -> Error {
    if creates_order {
        Error::new(
            ErrorKind::OutcomeUnknown,
            format!("{why} after the request may have reached the provider; do not resend: reconcile first (see reconcile_with)"),
        )
    } else {
        Error::new(
            ErrorKind::Transport,
            format!("{why} on a read-only call; safe to retry"),
        )
    }
}

/// The request provably never left this machine.
#[cold]
pub fn not_sent(why: &str) -> Error {
    Error::new(
        ErrorKind::Transport,
        format!("{why}; the request was not delivered and is safe to retry"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_numbers_are_the_abi() {
        let got: Vec<u32> = ErrorKind::ALL.iter().map(|k| k.status()).collect();
        assert_eq!(got, vec![1, 2, 3, 10, 11, 20, 21, 22, 23, 30, 99]);
    }

    #[test]
    fn retry_safe_defaults() {
        assert!(not_sent("connect refused").retry_safe());
        assert!(!lost_after_send(true, "timeout").retry_safe());
        assert_eq!(lost_after_send(true, "t").kind(), ErrorKind::OutcomeUnknown);
        assert_eq!(lost_after_send(false, "t").kind(), ErrorKind::Transport);
        assert_eq!(unreadable_reply(false, None, "x").kind(), ErrorKind::Decode);
        assert!(unreadable_reply(false, None, "x").retry_safe());
    }

    #[test]
    fn json_has_every_field() {
        let e = provider_error(
            ProviderFailure::Declined,
            Some("10051"),
            Some("Yetersiz bakiye"),
            200,
        )
        .with_operation("iyzico.create_payment");
        let j = e.to_json();
        for key in [
            "status",
            "kind",
            "message",
            "operation",
            "provider",
            "provider_code",
            "provider_message",
            "http_status",
            "field",
            "retry_safe",
        ] {
            assert!(j.get(key).is_some(), "{key} missing");
        }
        assert_eq!(j["kind"], "declined");
        assert_eq!(j["status"], 21);
        assert_eq!(j["provider"], "iyzico");
        assert_eq!(j["http_status"], 200);
        assert_eq!(j["retry_safe"], false);
    }
}
