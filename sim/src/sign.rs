//! The simulator's own hashing (RustCrypto `hmac`/`sha2`, where odeme uses `ring`): one
//! HMAC-SHA256 for every provider that signs with it (iyzico hex, PayTR base64, the iyzico
//! webhook), and the hex rendering.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// HMAC-SHA256 of `parts`, concatenated, under `key`.
pub(crate) fn hmac_sha256(key: &str, parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex HMAC-SHA256 (iyzico's signatures).
pub(crate) fn hmac_hex(key: &str, data: &[u8]) -> String {
    hex(&hmac_sha256(key, &[data]))
}

/// Base64 HMAC-SHA256 of the concatenated `parts` (PayTR's tokens and hashes).
pub(crate) fn hmac_base64(key: &str, parts: &[&str]) -> String {
    let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    B64.encode(hmac_sha256(key, &parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_signature_vector() {
        // reference/iyzico.md §6.5.
        assert_eq!(
            hmac_hex(
                "sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq",
                b"10851936:TRY:B67832:123456789:1.2:1"
            ),
            "dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c"
        );
    }

    #[test]
    fn parts_are_concatenated() {
        assert_eq!(
            hmac_base64("k", &["ab", "c"]),
            hmac_base64("k", &["a", "bc"])
        );
        assert_ne!(hmac_base64("k", &["ab"]), hmac_base64("k2", &["ab"]));
    }
}
