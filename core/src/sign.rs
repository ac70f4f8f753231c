//! Signing and verification, as pure functions with no I/O.
//!
//! These are what the operations use, and what the C ABI and the bindings expose to merchants
//! who keep their own HTTP code. Every published vector is a test (`tests/vectors.rs`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::rand::SecureRandom;
use ring::{digest, hmac};
use subtle::ConstantTimeEq;

/// Paymes: `base64(sha512(parts[0] + parts[1] + ... + secret))` over UTF-8, raw 64-byte digest.
///
/// Order creation signs `orderId, price, currency, productName, buyerName, buyerPhone,
/// buyerEmail, buyerAddress`; the status query signs `paymesOrderId`; the result notification
/// signs `paymesOrderId, orderId, type, message, price, currency`. The secret is the v4.6
/// `secretKey`.
pub fn paymes_hash<S: AsRef<str>>(parts: &[S], secret: &str) -> String {
    let mut ctx = digest::Context::new(&digest::SHA512);
    for p in parts {
        ctx.update(p.as_ref().as_bytes());
    }
    ctx.update(secret.as_bytes());
    B64.encode(ctx.finish().as_ref())
}

/// Check a Paymes hash in constant time.
pub fn paymes_verify<S: AsRef<str>>(parts: &[S], secret: &str, received: &str) -> bool {
    let expected = paymes_hash(parts, secret);
    bool::from(expected.as_bytes().ct_eq(received.trim().as_bytes()))
}

/// PayTR: `base64(HMAC-SHA256(key = merchant_key, parts[0] + parts[1] + ... + merchant_salt))`,
/// over UTF-8 with no separators (every `paytr_token`: the iFrame token, the Direct API, refunds
/// and status queries, each with its own documented field order).
pub fn paytr_token<S: AsRef<str>>(merchant_key: &str, parts: &[S], merchant_salt: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, merchant_key.as_bytes());
    let mut ctx = hmac::Context::with_key(&key);
    for p in parts {
        ctx.update(p.as_ref().as_bytes());
    }
    ctx.update(merchant_salt.as_bytes());
    B64.encode(ctx.sign().as_ref())
}

/// PayTR's callback hash: `base64(HMAC-SHA256(merchant_key, merchant_oid + merchant_salt +
/// status + total_amount))` (the salt sits second, unlike the tokens).
pub fn paytr_callback_hash(
    merchant_key: &str,
    merchant_salt: &str,
    merchant_oid: &str,
    status: &str,
    total_amount: &str,
) -> String {
    paytr_token(
        merchant_key,
        &[merchant_oid, merchant_salt, status, total_amount],
        "",
    )
}

/// Check a PayTR callback hash in constant time.
pub fn paytr_callback_verify(
    merchant_key: &str,
    merchant_salt: &str,
    merchant_oid: &str,
    status: &str,
    total_amount: &str,
    received: &str,
) -> bool {
    let expected = paytr_callback_hash(
        merchant_key,
        merchant_salt,
        merchant_oid,
        status,
        total_amount,
    );
    bool::from(expected.as_bytes().ct_eq(received.trim().as_bytes()))
}

/// iyzico `IYZWSv2` authorization header value:
/// `IYZWSv2 base64("apiKey:{k}&randomKey:{r}&signature:{hex(HMAC_SHA256(secret, r + path + body))}")`.
///
/// `uri_path` is signed exactly as given: pass the request path without scheme, host or query
/// string (odeme's own calls do). `body` must be the exact bytes sent; empty when there is none.
pub fn iyzico_auth_header(
    api_key: &str,
    secret_key: &str,
    random_key: &str,
    uri_path: &str,
    body: &[u8],
) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret_key.as_bytes());
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(random_key.as_bytes());
    ctx.update(uri_path.as_bytes());
    ctx.update(body);
    let signature = hex(ctx.sign().as_ref());
    let plain = format!("apiKey:{api_key}&randomKey:{random_key}&signature:{signature}");
    format!("IYZWSv2 {}", B64.encode(plain.as_bytes()))
}

/// A fresh per-request random key for IYZWSv2: 24 characters of `[A-Za-z0-9]` (never `&` or `:`,
/// which delimit the decoded header).
pub fn iyzico_random_key() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(24);
    let rng = ring::rand::SystemRandom::new();
    while out.len() < 24 {
        let mut buf = [0u8; 32];
        if rng.fill(&mut buf).is_err() {
            // The OS RNG failing is not recoverable in a meaningful way; a key built from the
            // clock would still be unique per request, which is all the scheme needs.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            return format!("t{nanos}");
        }
        // Rejection sampling keeps the distribution uniform (248 = 4 * 62).
        for b in buf {
            if b < 248 && out.len() < 24 {
                out.push(ALPHABET[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// iyzico response signature: lowercase hex HMAC-SHA256 (key = secret) of the fields joined by
/// `:`, exactly as given (amounts already normalised with [`crate::money::normalize_signed_amount`]).
pub fn iyzico_signature<S: AsRef<str>>(secret_key: &str, fields: &[S]) -> String {
    hex(iyzico_signature_raw(secret_key, fields.iter().map(AsRef::as_ref)).as_ref())
}

fn iyzico_signature_raw<'a>(
    secret_key: &str,
    fields: impl IntoIterator<Item = &'a str>,
) -> hmac::Tag {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret_key.as_bytes());
    let mut ctx = hmac::Context::with_key(&key);
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            ctx.update(b":");
        }
        ctx.update(f.as_bytes());
    }
    ctx.sign()
}

/// Check an iyzico response signature (hex, either case) in constant time.
pub fn iyzico_verify<S: AsRef<str>>(secret_key: &str, fields: &[S], received_hex: &str) -> bool {
    iyzico_verify_iter(secret_key, fields.iter().map(AsRef::as_ref), received_hex)
}

/// [`iyzico_verify`] over fields given one by one.
pub(crate) fn iyzico_verify_iter<'a>(
    secret_key: &str,
    fields: impl IntoIterator<Item = &'a str>,
    received_hex: &str,
) -> bool {
    let Some(received) = unhex_sha256(received_hex.trim()) else {
        return false;
    };
    let expected = iyzico_signature_raw(secret_key, fields);
    bool::from(expected.as_ref().ct_eq(&received))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A SHA-256 digest from its hex (either case): `None` unless exactly 64 hex digits.
fn unhex_sha256(s: &str) -> Option<[u8; 32]> {
    let val = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let digits = s.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = val(pair[0])? << 4 | val(pair[1])?;
    }
    Some(out)
}

/// A random UUID v4 string (Paymago `orderId` when the merchant gives none).
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        b = nanos.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paymes_verify_is_exact() {
        let h = paymes_hash(&["a", "b"], "k");
        assert!(paymes_verify(&["a", "b"], "k", &h));
        assert!(
            paymes_verify(&["ab"], "k", &h),
            "plain concatenation, as Paymes documents"
        );
        assert!(!paymes_verify(&["a", "b"], "k2", &h));
        assert!(!paymes_verify(&["a", "c"], "k", &h));
        assert!(!paymes_verify(&["a", "b"], "k", ""));
    }

    #[test]
    fn paytr_token_is_hmac_over_the_plain_concatenation() {
        let t = paytr_token("k", &["100000", "1.2.3.4"], "salt");
        assert_eq!(t, paytr_token("k", &["1000001.2.3.4salt"], ""));
        assert_ne!(t, paytr_token("k2", &["100000", "1.2.3.4"], "salt"));
        let h = paytr_callback_hash("k", "salt", "oid1", "success", "3456");
        assert_eq!(h, paytr_token("k", &["oid1saltsuccess3456"], ""));
        assert!(paytr_callback_verify(
            "k", "salt", "oid1", "success", "3456", &h
        ));
        assert!(!paytr_callback_verify(
            "k", "salt", "oid1", "success", "3457", &h
        ));
        assert!(!paytr_callback_verify(
            "k", "salt", "oid1", "failed", "3456", &h
        ));
        assert!(!paytr_callback_verify(
            "k", "salt", "oid1", "success", "3456", ""
        ));
    }

    #[test]
    fn random_keys_are_fresh_and_safe() {
        let a = iyzico_random_key();
        let b = iyzico_random_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 24);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid_v4());
    }

    #[test]
    fn verify_rejects_tampering() {
        let sig = iyzico_signature("k", &["a", "b"]);
        assert!(iyzico_verify("k", &["a", "b"], &sig));
        assert!(iyzico_verify("k", &["a", "b"], &sig.to_uppercase()));
        assert!(!iyzico_verify("k", &["a", "c"], &sig));
        assert!(!iyzico_verify("k", &["a:b"][..0], &sig));
        assert!(!iyzico_verify("k", &["a", "b"], "zz"));
        assert!(!iyzico_verify("k", &["a", "b"], ""));
        // A digest cut short, one digit too many, or a non-hex digit is refused, not padded.
        assert!(!iyzico_verify("k", &["a", "b"], &sig[..62]));
        assert!(!iyzico_verify("k", &["a", "b"], &format!("{sig}0")));
        assert!(!iyzico_verify(
            "k",
            &["a", "b"],
            &format!("{}g", &sig[..63])
        ));
        assert!(
            iyzico_verify("k", &["a", "b"], &format!(" {sig} ")),
            "spaces around are trimmed"
        );
    }
}
