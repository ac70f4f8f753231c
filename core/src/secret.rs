//! Secrets and card data: types that never print themselves, and the text redactor.
//!
//! * [`Secret`] holds keys, tokens and merchant secrets: `Debug` prints `Secret(***)`, the bytes are
//!   zeroized on drop, and the value is only reachable through [`Secret::expose`], which is easy
//!   to audit.
//! * [`CardNumber`] and [`Cvc`] do the same for card data; a card number shows as first 6 + last 4.
//! * [`redact_text`] masks anything in free text that looks like a card number (13–19 digits,
//!   optionally grouped by spaces or dashes, passing Luhn). Every error message goes through it.
//!
//! Residual risk (documented in the README): the serialized request body that carries the card
//! number is built in a zeroizing buffer, but copies made by the TLS stack and the kernel are
//! outside odeme's control, and strings owned by Python, PHP or .NET cannot be wiped.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::{Zeroize, Zeroizing};

/// A secret string (API key, secret key, token, merchant key).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }
    /// The secret itself. Call sites are the signing and wire code only.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// A bearer credential a provider hands back to the merchant (iyzico's `cardToken` and
/// `cardUserKey`: with them a stored card is charged like its number would be). It serialises
/// as itself, because the merchant must store it, but `Debug` shows only its length, and it is
/// wiped on drop; odeme never writes it to a message, a log or the journal.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Bearer(Zeroizing<String>);

impl Bearer {
    pub fn new(value: impl Into<String>) -> Bearer {
        Bearer(Zeroizing::new(value.into()))
    }
    /// The credential itself (to store it, or to send it back to the provider).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bearer(<{} chars, not shown>)", self.0.chars().count())
    }
}

impl Serialize for Bearer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A primary account number. Deserializes from a string of digits (spaces and dashes removed);
/// serializes (only into a provider request) as the bare digits.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(Zeroizing<String>);

impl CardNumber {
    /// Digits only; spaces and dashes a payer typed are removed.
    pub fn new(raw: &str) -> CardNumber {
        CardNumber(Zeroizing::new(
            raw.chars().filter(|c| *c != ' ' && *c != '-').collect(),
        ))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// First 6 and last 4 digits, the rest as `*` (PCI DSS 3.4.1).
    pub fn masked(&self) -> String {
        mask_pan(&self.0)
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl Serialize for CardNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CardNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut raw = String::deserialize(d)?;
        let card = CardNumber::new(&raw);
        raw.zeroize();
        Ok(card)
    }
}

/// A card security code. Never printed, not even masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Cvc(Zeroizing<String>);

impl Cvc {
    pub fn new(raw: &str) -> Cvc {
        Cvc(Zeroizing::new(raw.trim().to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Cvc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cvc(***)")
    }
}

impl Serialize for Cvc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Cvc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut raw = String::deserialize(d)?;
        let cvc = Cvc::new(&raw);
        raw.zeroize();
        Ok(cvc)
    }
}

/// Wipe a byte buffer's whole allocation, what it holds and its spare capacity alike, and leave
/// it empty.
///
/// One bulk fill behind an optimisation barrier: `Vec::zeroize` writes the elements a `Vec` holds
/// one volatile byte at a time, but wipes spare capacity in bulk (zeroize 1.9.2 and later), and
/// after `clear` all of the allocation is spare capacity. (`clear` only sets the length: the
/// bytes stay where they are until the fill.)
pub fn wipe(buf: &mut Vec<u8>) {
    buf.clear();
    buf.zeroize();
}

/// A byte buffer for text that may hold card data or keys (a request body, a signing message):
/// wiped when dropped ([`wipe`]), and every buffer it outgrows is wiped before it is freed (a `Vec` that
/// grows by itself frees the old buffer as it is, card number and all).
#[derive(Default, PartialEq, Eq)]
pub struct WipingBuf(Vec<u8>);

impl Drop for WipingBuf {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl WipingBuf {
    pub fn with_capacity(capacity: usize) -> WipingBuf {
        WipingBuf(Vec::with_capacity(capacity))
    }

    #[inline]
    pub fn push(&mut self, bytes: &[u8]) {
        if self.0.capacity() - self.0.len() < bytes.len() {
            self.grow(bytes.len());
        }
        self.0.extend_from_slice(bytes);
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, more: usize) {
        let needed = self.0.len() + more;
        let mut grown = Vec::with_capacity(needed.max(2 * self.0.capacity()).max(256));
        grown.extend_from_slice(&self.0);
        let mut old = std::mem::replace(&mut self.0, grown);
        wipe(&mut old);
    }

    /// Keep the first `len` bytes (the rest stay in the allocation until it is wiped).
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// The bytes as a plain `Vec`, with no copy: wiping them is the caller's from here.
    pub fn into_vec(mut self) -> Vec<u8> {
        std::mem::take(&mut self.0)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Its length only: it may hold a card number.
impl fmt::Debug for WipingBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WipingBuf(<{} bytes, not shown>)", self.0.len())
    }
}

impl std::ops::Deref for WipingBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// Takes `bytes` over as they are (no copy), to be wiped when dropped.
impl From<Vec<u8>> for WipingBuf {
    fn from(bytes: Vec<u8>) -> WipingBuf {
        WipingBuf(bytes)
    }
}

impl std::io::Write for WipingBuf {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.push(bytes);
        Ok(bytes.len())
    }

    // A serializer writes many small pieces: each one is a capacity check and a copy, never
    // the default loop around `write`.
    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.push(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How a `Debug` shows an optional field that must not be shown (a stored card's token, an
/// expiry): whether it is there, never what it holds.
pub(crate) fn presence<T>(value: &Option<T>) -> Option<&'static str> {
    value.as_ref().map(|_| "<not shown>")
}

/// Mask a card number to first 6 + last 4. Shorter strings are masked whole.
pub fn mask_pan(pan: &str) -> String {
    let digits: Vec<char> = pan.chars().collect();
    let n = digits.len();
    if n < 12 {
        return "*".repeat(n);
    }
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 6 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// The Luhn check over a string of ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Mask everything in `text` that looks like a card number: runs of 13–19 digits (single spaces
/// or dashes between digits allowed) that pass Luhn become first 6 + `*` + last 4.
pub fn redact_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend the run: digits, with single separators between digits.
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                j += 1;
                end = j;
            } else if (chars[j] == ' ' || chars[j] == '-')
                && j + 1 < chars.len()
                && chars[j + 1].is_ascii_digit()
                && j > start
            {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[start..end].iter().collect();
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        if (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
            out.push_str(&mask_pan(&digits));
        } else if digits.len() > 19 {
            // A long digit run may hide a card number inside it: scan its windows.
            out.push_str(&redact_long_run(&digits));
        } else {
            out.push_str(&run);
        }
        i = end;
    }
    out
}

fn redact_long_run(digits: &str) -> String {
    let bytes = digits.as_bytes();
    let mut masked = bytes.to_vec();
    for len in 13..=19 {
        for start in 0..=bytes.len() - len {
            if luhn_valid(&digits[start..start + len]) {
                for b in masked.iter_mut().take(start + len - 4).skip(start + 6) {
                    *b = b'*';
                }
            }
        }
    }
    String::from_utf8(masked).unwrap_or_default()
}

/// What the body redactor does with a field, by its name (case, `_` and `-` ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldRule {
    /// CVC, keys, tokens, hashes, signatures, secrets, passwords, `Authorization`: removed.
    Remove,
    /// A card number: first 6 + last 4, whatever its digits.
    Pan,
    /// HTML or a script the provider hands back for the payer (it may carry a token): its size
    /// only.
    Markup,
    /// Anything else: card numbers in the text masked ([`redact_text`]), secret query
    /// parameters of a URL removed.
    Keep,
}

fn field_rule(name: &str) -> FieldRule {
    let key: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if has(&[
        "cvc",
        "cvv",
        "cvn",
        "securitycode",
        "key",
        "token",
        "hash",
        "signature",
        "secret",
        "password",
        "authorization",
    ]) {
        FieldRule::Remove
    } else if has(&["cardnumber", "ccnumber", "cardno"]) || key == "pan" {
        FieldRule::Pan
    } else if has(&["html", "content", "script"]) || key == "paymentdata" {
        FieldRule::Markup
    } else {
        FieldRule::Keep
    }
}

/// A string value through the redactor: card numbers masked, and when it is a URL, the values
/// of its query parameters whose names are secret (`token=`, `key=`, ...) removed.
fn redact_string(name: &str, s: &str) -> String {
    match field_rule(name) {
        FieldRule::Pan => mask_pan(&s.chars().filter(|c| c.is_ascii_digit()).collect::<String>()),
        FieldRule::Markup => format!("<{} bytes, not shown>", s.len()),
        _ => {
            let text = redact_text(s);
            match text.split_once('?') {
                Some((base, query)) if base.contains("://") => {
                    let kept: Vec<String> = query
                        .split('&')
                        .map(|pair| match pair.split_once('=') {
                            Some((k, _)) if field_rule(k) == FieldRule::Remove => {
                                format!("{k}=***")
                            }
                            _ => pair.to_owned(),
                        })
                        .collect();
                    format!("{base}?{}", kept.join("&"))
                }
                _ => text,
            }
        }
    }
}

/// Redact a JSON document in place for a log: fields named like a CVC, a key, a token, a hash,
/// a signature or a secret are removed, and their values (of 8 characters or more) wherever
/// else they appear in the document (a hosted form's token in its URL's path) replaced by
/// `***`; card numbers masked to first 6 + last 4 (by field name, and anywhere in text or
/// numbers by [`redact_text`]), markup replaced by its size.
pub fn redact_json(value: &mut serde_json::Value) {
    let mut removed = Vec::new();
    removed_values(value, &mut removed);
    redact_json_named("", value, &removed);
    removed.iter_mut().for_each(|s| s.zeroize());
}

/// The string values of the fields [`redact_json`] removes, long enough (8 characters) not to
/// be any word.
fn removed_values(value: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if field_rule(k) == FieldRule::Remove => {
                        if s.chars().count() >= 8 {
                            out.push(s.clone());
                        }
                    }
                    _ => removed_values(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| removed_values(v, out)),
        _ => {}
    }
}

fn redact_json_named(name: &str, value: &mut serde_json::Value, removed: &[String]) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            // A removed field (a CVC, a key, a token) is wiped before its memory is freed.
            map.iter_mut()
                .filter(|(k, _)| field_rule(k) == FieldRule::Remove)
                .for_each(|(_, v)| wipe_json(v));
            map.retain(|k, _| field_rule(k) != FieldRule::Remove);
            for (k, v) in map.iter_mut() {
                redact_json_named(k, v, removed);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| redact_json_named(name, v, removed)),
        Value::String(s) => {
            let mut redacted = redact_string(name, s);
            for r in removed {
                if redacted.contains(r.as_str()) {
                    let next = redacted.replace(r.as_str(), "***");
                    redacted.zeroize();
                    redacted = next;
                }
            }
            s.zeroize();
            *s = redacted;
        }
        Value::Number(n) => {
            let mut text = n.to_string();
            let redacted = redact_string(name, &text);
            let changed = redacted != text;
            text.zeroize();
            if changed {
                *value = Value::String(redacted);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

/// Overwrite every string in a JSON value (a document that carried card data or secrets), keys
/// left as they are. Iterative: any depth is fine.
pub fn wipe_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => s.zeroize(),
            Value::Array(a) => stack.extend(a.iter_mut()),
            Value::Object(o) => stack.extend(o.values_mut()),
            _ => {}
        }
    }
}

/// A request or reply body as a log may show it: JSON (or, with `form`, an
/// `application/x-www-form-urlencoded` body, shown as a JSON object of its fields,
/// [`crate::json::form_object`]) through [`redact_json`]; anything else only by its size, since
/// what it holds cannot be told apart.
pub fn redact_body(body: &[u8], form: bool) -> String {
    use serde_json::Value;
    if body.is_empty() {
        return String::new();
    }
    let parsed = if form {
        crate::json::form_object(body)
    } else {
        serde_json::from_slice::<Value>(body).ok()
    };
    match parsed {
        Some(mut v) => {
            redact_json(&mut v);
            v.to_string()
        }
        None => format!("<{} bytes, not JSON: not shown>", body.len()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wipe_zeroes_the_whole_allocation() {
        let mut v = Vec::with_capacity(4096);
        v.resize(4096, 0xA5u8);
        v.truncate(2600);
        super::wipe(&mut v);
        assert!(v.is_empty());
        assert_eq!(v.capacity(), 4096);
        // SAFETY: `wipe` wrote every byte of the allocation (with zeros).
        let all = unsafe { std::slice::from_raw_parts(v.as_ptr(), v.capacity()) };
        assert!(all.iter().all(|&b| b == 0));
    }

    #[test]
    fn a_wiping_buffers_debug_shows_its_length_only() {
        let b = super::WipingBuf::from(br#"{"cardNumber":"5528790000000008"}"#.to_vec());
        let shown = format!("{b:?}");
        assert_eq!(shown, "WipingBuf(<33 bytes, not shown>)");
        assert!(!shown.contains("5528"), "{shown}");
    }

    #[test]
    fn a_wiping_buffer_keeps_every_byte_across_growth() {
        use std::io::Write;
        let mut b = WipingBuf::with_capacity(4);
        b.push(b"5528");
        b.write_all(b"7900000000008").unwrap();
        for _ in 0..100 {
            b.push(b"x");
        }
        assert!(b.as_bytes().starts_with(b"55287900000000008x"));
        assert_eq!(b.len(), 17 + 100);
    }

    use super::*;

    #[test]
    fn masks_first_six_last_four() {
        assert_eq!(mask_pan("5528790000000008"), "552879******0008");
        assert_eq!(
            CardNumber::new("5528 7900 0000 0008").masked(),
            "552879******0008"
        );
        assert_eq!(mask_pan("123"), "***");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let s = Secret::new("sim-iyzico-secret-key");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        let c = Cvc::new("123");
        assert!(!format!("{c:?}").contains("123"));
        let p = CardNumber::new("5528790000000008");
        assert_eq!(format!("{p:?}"), "CardNumber(552879******0008)");
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("5528790000000008"));
        assert!(luhn_valid("4111111111111129"));
        assert!(!luhn_valid("5528790000000009"));
        assert!(!luhn_valid("55287900000000a8"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn redacts_card_numbers_in_text() {
        assert_eq!(
            redact_text("card 5528790000000008 refused"),
            "card 552879******0008 refused"
        );
        assert_eq!(
            redact_text("card 5528-7900-0000-0008."),
            "card 552879******0008."
        );
        assert_eq!(redact_text("x5528790000000008x99"), "x552879******0008x99");
        // Not Luhn-valid or too short: left alone (payment ids, amounts).
        assert_eq!(
            redact_text("paymentId 10851936, 1.20 TRY"),
            "paymentId 10851936, 1.20 TRY"
        );
        let long = redact_text("00005528790000000008000");
        assert!(!long.contains("5528790000000008"), "{long}");
    }

    /// The body redactor's rules, provider by provider, on the bodies each one sends and answers.
    #[test]
    fn bodies_are_redacted_per_provider() {
        let show = |body: &str, form: bool| -> serde_json::Value {
            serde_json::from_str(&redact_body(body.as_bytes(), form)).unwrap()
        };
        // iyzico: the card masked, CVC, stored-card token and key removed; the reply's signature,
        // cardToken and cardUserKey removed, the checkout form's markup and token URL hidden.
        let sent = show(
            r#"{"conversationId":"c-1","paymentCard":{"cardHolderName":"John Doe","cardNumber":"5528 7900 0000 0008",
                "expireMonth":"12","cvc":"123","cardToken":"tok-1","cardUserKey":"cuk-1"},"price":"1.0"}"#,
            false,
        );
        assert_eq!(
            sent,
            serde_json::json!({"conversationId":"c-1","paymentCard":{"cardHolderName":"John Doe",
                "cardNumber":"552879******0008","expireMonth":"12"},"price":"1.0"})
        );
        let reply = show(
            r#"{"status":"success","paymentId":"22416035","signature":"ab12","cardToken":"t","cardUserKey":"k",
                "binNumber":"552879","lastFourDigits":"0008","token":"cf-token-1",
                "checkoutFormContent":"<script>var t='cf-token-1'</script>",
                "paymentPageUrl":"https://cpp.example/?token=cf-token-1&lang=tr",
                "threeDSHtmlContent":"PGh0bWw+"}"#,
            false,
        );
        let text = reply.to_string();
        for gone in [
            "signature",
            "cardToken",
            "cardUserKey",
            "cf-token-1",
            "PGh0bWw+",
        ] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        assert_eq!(reply["paymentId"], "22416035");
        assert_eq!(
            reply["paymentPageUrl"],
            "https://cpp.example/?token=***&lang=tr"
        );
        assert_eq!(reply["checkoutFormContent"], "<35 bytes, not shown>");
        // A removed token elsewhere in the reply, in a URL's path (the simulator's checkout
        // form page; scripts/canary-log found it in the C and C# events): replaced.
        let reply = show(
            r#"{"status":"success","token":"4ec4418e-014f-4014-818e-00000000014f",
                "paymentPageUrl":"http://127.0.0.1:1/pay/iyzicocf/4ec4418e-014f-4014-818e-00000000014f",
                "hash":"ab12","note":"ab12 stays: too short to be told from a word"}"#,
            false,
        );
        assert_eq!(
            reply,
            serde_json::json!({"status":"success","paymentPageUrl":"http://127.0.0.1:1/pay/iyzicocf/***",
                "note":"ab12 stays: too short to be told from a word"})
        );
        // Paymes: a form; its hash, secret and public key removed, the rest decoded.
        let form = show(
            "publicKey=pk&secret=s3&orderId=o%2D1&productName=%C3%9Cr%C3%BCn+A&hash=qq%3D%3D&price=10.50",
            true,
        );
        assert_eq!(
            form,
            serde_json::json!({"orderId":"o-1","productName":"Ürün A","price":"10.50"})
        );
        // Paymago: card number, CVV and bearer token.
        let sent = show(
            r#"{"cardNumber":"4766620000000001","cvv":"947","token":"sim-paymago-token","amount":"150"}"#,
            false,
        );
        assert_eq!(
            sent,
            serde_json::json!({"cardNumber":"476662******0001","amount":"150"})
        );
        // EsnekPOS: MERCHANT_KEY and CC_CVV removed, CC_NUMBER masked (even as a JSON number).
        let sent = show(
            r#"{"Config":{"MERCHANT":"TEST1234","MERCHANT_KEY":"4oK26hK8MOXrIV1bzTRVPA=="},
                "CreditCard":{"CC_NUMBER":4766620000000001,"CC_CVV":"947","CC_OWNER":"A B"},
                "Note":"card 4766 6200 0000 0001"}"#,
            false,
        );
        assert_eq!(
            sent,
            serde_json::json!({"Config":{"MERCHANT":"TEST1234"},
                "CreditCard":{"CC_NUMBER":"476662******0001","CC_OWNER":"A B"},
                "Note":"card 476662******0001"})
        );
        // A body that is neither: its size only.
        assert_eq!(
            redact_body(b"<html>4766620000000001</html>", false),
            "<29 bytes, not JSON: not shown>"
        );
        assert_eq!(redact_body(b"", false), "");
    }
}
