//! Webhooks: verify a provider's delivery over the raw bytes and headers it sent.
//!
//! Not an operation (no request object, no I/O): [`crate::Client::verify_webhook`] takes the
//! provider name, the HTTP headers (names case-insensitive) and the body exactly as received.
//! The provider modules check the signature in constant time (iyzico `X-IYZ-SIGNATURE-V3`,
//! Paymes' notification hash, PayTR's callback hash); a missing or bad signature is a `signature` error and nothing is
//! recorded. The answer is a response like `call`'s: `{"operation": "webhook.PROVIDER",
//! "outcome": {"type": "notification", "provider", "event", "subject", "state", "payment_id", "order_id",
//! "duplicate"}, "provider_reference", "raw"}`. With a journal the delivery is recorded once
//! (`duplicate: true` the next time) and resolves the rows with its merchant reference.

use serde::Deserialize;
use serde_json::Value;

use crate::error::{signature_error, Error, ErrorKind};
use crate::outcome::{Notification, Outcome, Response};

/// The providers that deliver webhooks odeme can verify.
pub const PROVIDERS: &[&str] = &["iyzico", "paymes", "paytr"];

/// HTTP headers as received; names compared case-insensitively.
pub struct Headers<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Headers<'a> {
    pub fn new<K: AsRef<str>, V: AsRef<str>>(headers: &'a [(K, V)]) -> Headers<'a> {
        Headers(
            headers
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .collect(),
        )
    }

    /// The first header called `name` (any case), trimmed.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// A delivery whose signature verified, before the journal has seen it.
pub(crate) struct Verified {
    pub notification: Notification,
    /// The provider's identity of this delivery (no secret in it): the duplicate key.
    pub delivery: String,
    /// The merchant's reference the journal rows are looked up by.
    pub reference: Option<String>,
    pub raw: Value,
}

impl Verified {
    pub(crate) fn into_response(self) -> Response {
        let provider_reference = self.notification.payment_id.clone();
        Response {
            operation: format!("webhook.{}", self.notification.provider),
            outcome: Outcome::Webhook(self.notification),
            provider_reference,
            raw: self.raw.into(),
        }
    }
}

/// The duplicate key of a delivery: SHA-256 over the provider and the identifying fields
/// (each length-prefixed, so no two field lists collide).
pub(crate) fn delivery_key(provider: &str, fields: &[&str]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for f in std::iter::once(&provider).chain(fields.iter()) {
        ctx.update(&(f.len() as u64).to_be_bytes());
        ctx.update(f.as_bytes());
    }
    format!("{provider}:{}", crate::sign::hex(ctx.finish().as_ref()))
}

/// Parse a JSON webhook body (an object); anything else cannot be verified.
pub(crate) fn json_object(body: &[u8], what: &str) -> Result<Value, Error> {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if v.is_object() => Ok(v),
        _ => Err(Error::new(
            ErrorKind::Signature,
            format!("{what} is not a JSON object, so it cannot be verified; do not trust it"),
        )),
    }
}

/// A body that is JSON when `Content-Type` says so, else a form: an object either way.
pub(crate) fn form_or_json(headers: &Headers<'_>, body: &[u8], what: &str) -> Result<Value, Error> {
    let json = headers
        .get("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    if json {
        json_object(body, what)
    } else {
        form_object(body, what)
    }
}

/// Decode an `application/x-www-form-urlencoded` body ([`crate::json::form_object`]); bad
/// percent-encoding or UTF-8 cannot be verified.
pub(crate) fn form_object(body: &[u8], what: &str) -> Result<Value, Error> {
    crate::json::form_object(body).ok_or_else(|| {
        Error::new(
            ErrorKind::Signature,
            format!("{what} is not a valid form body, so it cannot be verified; do not trust it"),
        )
    })
}

/// The fields a verifier reads from a decoded delivery ([`form_or_json`]), as the typed shape `T`
/// (its scalars borrowed from `text`, numbers as their exact digits). `text` is the delivery as
/// JSON text ([`fields_json`]): read from text, a number keeps the digits it was sent with (read
/// from a `Value`, serde_json hands over some numbers, `0.05` among them, as binary floats). A
/// field of the wrong kind (an object or a list where a scalar belongs) cannot be verified: a
/// `signature` error naming the field, never its value.
pub(crate) fn read_fields<'a, T: Deserialize<'a>>(text: &'a str, what: &str) -> Result<T, Error> {
    crate::json::read_shape(text.as_bytes()).map_err(|e| {
        Error::new(
            ErrorKind::Signature,
            format!("{what} {e}, so it cannot be verified; do not trust it"),
        )
    })
}

/// A decoded delivery as JSON text for [`read_fields`] (its numbers as they were sent).
pub(crate) fn fields_json(raw: &Value) -> String {
    raw.to_string()
}

/// A required header was absent.
pub(crate) fn missing_header(name: &str, what: &str) -> Error {
    Error::new(
        ErrorKind::Signature,
        format!("{what} has no {name} header, so it cannot be verified; do not trust it"),
    )
}

/// The signature did not verify.
pub(crate) fn bad_signature(what: &str) -> Error {
    signature_error(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_case_insensitive() {
        let h = [("x-iyz-signature-v3", " abc "), ("Content-Type", "x")];
        let h = Headers::new(&h);
        assert_eq!(h.get("X-IYZ-SIGNATURE-V3"), Some("abc"));
        assert_eq!(h.get("content-type"), Some("x"));
        assert_eq!(h.get("missing"), None);
    }

    #[test]
    fn form_bodies() {
        let v = form_object(b"a=1&b=%C3%9Cr%C3%BCn+x&a=2&c", "t").unwrap();
        assert_eq!(v, serde_json::json!({"a": "1", "b": "Ürün x", "c": ""}));
        assert!(form_object(b"a=%zz", "t").is_err());
        assert!(form_object(b"a=%ff", "t").is_err());
        assert!(form_object(b"a=%4", "t").is_err());
    }

    #[test]
    fn delivery_keys_do_not_collide_across_boundaries() {
        assert_ne!(
            delivery_key("p", &["ab", "c"]),
            delivery_key("p", &["a", "bc"])
        );
        assert_eq!(delivery_key("p", &["a"]), delivery_key("p", &["a"]));
    }
}
