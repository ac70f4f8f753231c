//! The hash doctor: shows, field by field, the exact bytes a provider hash is computed over,
//! with secrets masked, card-number-like digit runs masked to first 6 + last 4, CVC values
//! hidden, control characters escaped and every non-ASCII character annotated with its code
//! point and UTF-8 bytes (the usual culprits: `İ`/`ı`, a no-break space, a BOM, a trailing
//! newline from a file).

use std::fmt::Write as _;

use odeme::money::normalize_signed_amount;
use odeme::secret::redact_text;

/// How a secret key is shown: its length only.
pub fn mask_secret(secret: &str) -> String {
    format!("***({} bytes)", secret.len())
}

/// How an API key is shown: a long one keeps its first four characters (enough to tell a
/// `sandbox-` key from a live one), a short one only its length.
pub fn mask_api_key(key: &str) -> String {
    let n = key.len();
    if n >= 16 {
        let prefix: String = key.chars().take(4).collect();
        format!("{prefix}…({n} bytes)")
    } else {
        mask_secret(key)
    }
}

/// One input of a hash, as shown.
pub struct Field<'a> {
    pub name: Option<&'a str>,
    pub bytes: &'a [u8],
    /// A secret: its value is never shown.
    pub secret: bool,
}

impl<'a> Field<'a> {
    pub fn plain(name: Option<&'a str>, value: &'a str) -> Field<'a> {
        Field {
            name,
            bytes: value.as_bytes(),
            secret: false,
        }
    }
    pub fn secret(name: &'a str, value: &'a str) -> Field<'a> {
        Field {
            name: Some(name),
            bytes: value.as_bytes(),
            secret: true,
        }
    }

    fn shown(&self) -> String {
        if self.secret {
            match std::str::from_utf8(self.bytes) {
                Ok(s) => mask_secret(s),
                Err(_) => format!("***({} bytes)", self.bytes.len()),
            }
        } else {
            show_bytes(self.bytes)
        }
    }
}

/// The bytes as one safe line: control characters and invalid UTF-8 escaped, card numbers
/// masked, CVC values hidden.
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut escaped = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => escaped.push_str("\\n"),
                '\r' => escaped.push_str("\\r"),
                '\t' => escaped.push_str("\\t"),
                '\\' => escaped.push_str("\\\\"),
                c if c.is_control() => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(escaped, "\\x{b:02x}");
                    }
                }
                c => escaped.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(escaped, "\\x{b:02x}");
        }
    }
    mask_cvc(&redact_text(&escaped))
}

/// Hide the value of any JSON or form member whose name contains `cvc` or `cvv` (any case):
/// `"cvc":"123"`, `"cardCvc": 123`, `CVV=123`.
fn mask_cvc(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some(pos) = ["cvc", "cvv"]
        .iter()
        .filter_map(|k| lower[search..].find(k).map(|p| p + search))
        .min()
    {
        // Skip the rest of the member name, then `"`, spaces, and `:` or `=`.
        let mut i = pos + 3;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'"' {
            i += 1;
        }
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len() && (bytes[i] == b':' || bytes[i] == b'=') {
            i += 1;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            let quoted = i < bytes.len() && bytes[i] == b'"';
            if quoted {
                i += 1;
            }
            let start = i;
            while i < bytes.len()
                && !matches!(bytes[i], b'"' | b',' | b'&' | b'}' | b' ')
                && !(quoted && bytes[i] == b'\\')
            {
                i += 1;
            }
            if i > start {
                out.push_str(&text[copied..start]);
                out.push_str("***");
                copied = i;
            }
        }
        search = i.max(pos + 3);
    }
    out.push_str(&text[copied..]);
    out
}

/// `Ü U+00DC \xc3\x9c, ı U+0131 \xc4\xb1` for every distinct non-ASCII character.
fn non_ascii_notes(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut seen = Vec::new();
    let mut notes = Vec::new();
    for c in text.chars().filter(|c| !c.is_ascii()) {
        if seen.contains(&c) {
            continue;
        }
        seen.push(c);
        let mut buf = [0u8; 4];
        let utf8: String = c
            .encode_utf8(&mut buf)
            .bytes()
            .map(|b| format!("\\x{b:02x}"))
            .collect();
        let special = match c {
            '\u{a0}' => Some("no-break space"),
            '\u{200b}' => Some("zero-width space"),
            '\u{feff}' => Some("byte order mark"),
            '\u{fffd}' => Some("replacement: invalid UTF-8"),
            '\u{130}' => Some("capital I with dot"),
            '\u{131}' => Some("dotless i"),
            _ => None,
        };
        let glyph = if c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}' | '\u{feff}') {
            String::new()
        } else {
            format!("{c} ")
        };
        match special {
            Some(what) => notes.push(format!("{glyph}U+{:04X} {utf8} ({what})", c as u32)),
            None => notes.push(format!("{glyph}U+{:04X} {utf8}", c as u32)),
        }
    }
    (!notes.is_empty()).then(|| notes.join(", "))
}

/// The field table: index, name, length in bytes, value (quoted), and a note line for non-ASCII
/// characters and surrounding whitespace.
pub fn table(out: &mut String, fields: &[Field<'_>]) {
    let name_width = fields
        .iter()
        .map(|f| f.name.map_or(1, |n| n.chars().count()))
        .max()
        .unwrap_or(1)
        .max(4);
    let _ = writeln!(
        out,
        "  {:>2}  {:<name_width$}  {:>5}  value",
        "#", "name", "bytes"
    );
    for (i, f) in fields.iter().enumerate() {
        let value = if f.secret {
            f.shown()
        } else {
            format!("\"{}\"", f.shown())
        };
        let _ = writeln!(
            out,
            "  {:>2}  {:<name_width$}  {:>5}  {}",
            i,
            f.name.unwrap_or("-"),
            f.bytes.len(),
            value
        );
        if f.secret {
            continue;
        }
        if let Some(notes) = non_ascii_notes(f.bytes) {
            let _ = writeln!(
                out,
                "  {:>2}  {:<name_width$}  {:>5}  non-ASCII: {notes}",
                "", "", ""
            );
        }
        let text = String::from_utf8_lossy(f.bytes);
        if text.trim() != text {
            let _ = writeln!(
                out,
                "  {:>2}  {:<name_width$}  {:>5}  note: leading or trailing whitespace is hashed as is",
                "", "", ""
            );
        }
    }
}

/// The hashed string as one line, secrets masked (`<secret_key ***(9 bytes)>`).
pub fn joined(fields: &[Field<'_>], separator: &str) -> String {
    let total: usize = fields.iter().map(|f| f.bytes.len()).sum::<usize>()
        + separator.len() * fields.len().saturating_sub(1);
    let shown: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.secret {
                format!("<{} {}>", f.name.unwrap_or("secret"), f.shown())
            } else {
                f.shown()
            }
        })
        .collect();
    let masked = if fields.iter().any(|f| f.secret) {
        ", secret masked"
    } else {
        ""
    };
    format!(
        "hashed string ({total} bytes{masked}):\n{}\n",
        shown.join(separator)
    )
}

/// Paymes hash layouts, by number of parts (the field order odeme signs).
pub fn paymes_names(n: usize) -> Option<(&'static str, &'static [&'static str])> {
    match n {
        8 => Some((
            "order_create",
            &[
                "orderId",
                "price",
                "currency",
                "productName",
                "buyerName",
                "buyerPhone",
                "buyerEmail",
                "buyerAddress",
            ],
        )),
        6 => Some((
            "result notification",
            &[
                "paymesOrderId",
                "orderId",
                "type",
                "message",
                "price",
                "currency",
            ],
        )),
        2 => Some(("order_cancel", &["paymesOrderId", "price"])),
        1 => Some(("status query", &["paymesOrderId"])),
        _ => None,
    }
}

/// iyzico response-signature layouts, by number of fields. Two fields are ambiguous (3-D Secure
/// initialize `paymentId:conversationId`, checkout form `conversationId:token`): no names.
pub fn iyzico_signature_names(n: usize) -> Option<(&'static str, &'static [&'static str])> {
    match n {
        6 => Some((
            "payment reply",
            &[
                "paymentId",
                "currency",
                "basketId",
                "conversationId",
                "paidPrice",
                "price",
            ],
        )),
        8 => Some((
            "checkout form retrieve",
            &[
                "paymentStatus",
                "paymentId",
                "currency",
                "basketId",
                "conversationId",
                "paidPrice",
                "price",
                "token",
            ],
        )),
        5 => Some((
            "3-D Secure callback",
            &[
                "conversationData",
                "conversationId",
                "mdStatus",
                "paymentId",
                "status",
            ],
        )),
        4 => Some((
            "refund reply",
            &["paymentId", "price", "currency", "conversationId"],
        )),
        _ => None,
    }
}

fn layout_line(out: &mut String, layout: Option<(&str, &[&str])>, n: usize, what: &str) {
    match layout {
        Some((name, _)) => {
            let _ = writeln!(out, "names: the {name} layout ({n} {what})");
        }
        None => {
            let _ = writeln!(out, "names: no known layout has {n} {what}");
        }
    }
}

/// `odeme hash paymes --explain`.
pub fn paymes(parts: &[String], secret: &str, hash: &str) -> String {
    let layout = paymes_names(parts.len());
    let mut fields: Vec<Field<'_>> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| Field::plain(layout.map(|(_, names)| names[i]), p))
        .collect();
    fields.push(Field::secret("secret_key", secret));
    let mut out = String::new();
    out.push_str(
        "paymes: hash = base64(sha512(part 0 + part 1 + ... + secret_key)), UTF-8, no separators\n",
    );
    layout_line(&mut out, layout, parts.len(), "parts");
    table(&mut out, &fields);
    out.push_str(&joined(&fields, ""));
    let _ = writeln!(out, "hash: {hash}");
    out
}

/// `odeme hash iyzico-signature --explain`.
pub fn iyzico_signature(fields_in: &[String], secret: &str, signature: &str) -> String {
    let layout = iyzico_signature_names(fields_in.len());
    let fields: Vec<Field<'_>> = fields_in
        .iter()
        .enumerate()
        .map(|(i, f)| Field::plain(layout.map(|(_, names)| names[i]), f))
        .collect();
    let mut out = String::new();
    out.push_str("iyzico: signature = hex(HMAC-SHA256(key = secret_key, fields joined by ':'))\n");
    let _ = writeln!(out, "key: secret_key {}", mask_secret(secret));
    layout_line(&mut out, layout, fields_in.len(), "fields");
    table(&mut out, &fields);
    for (i, f) in fields_in.iter().enumerate() {
        if f.contains(':') {
            let _ = writeln!(
                out,
                "note: field {i} contains ':', the separator: the joined string is ambiguous"
            );
        }
        let amount_like = f.contains('.') && f.chars().all(|c| c.is_ascii_digit() || c == '.');
        if amount_like && normalize_signed_amount(f) != *f {
            let _ = writeln!(
                out,
                "note: field {i} looks like an amount; iyzico signs amounts without trailing zeros: {}",
                normalize_signed_amount(f)
            );
        }
    }
    out.push_str(&joined(&fields, ":"));
    let _ = writeln!(out, "signature: {signature}");
    out
}

/// PayTR token layouts: by number of fields, the Direct API told from the iFrame by its sixth
/// field (`payment_type`, `card`).
pub fn paytr_names(
    fields: &[String],
    callback: bool,
) -> Option<(&'static str, &'static [&'static str])> {
    if callback {
        return Some((
            "callback hash",
            &["merchant_oid", "merchant_salt", "status", "total_amount"],
        ));
    }
    match fields.len() {
        10 if fields[5] == "card" => {
            Some(("Direct API", &odeme::providers::paytr::DIRECT_TOKEN_FIELDS))
        }
        10 => Some((
            "iFrame get-token",
            &odeme::providers::paytr::IFRAME_TOKEN_FIELDS,
        )),
        3 => Some(("refund", &["merchant_id", "merchant_oid", "return_amount"])),
        2 => Some(("status query", &["merchant_id", "merchant_oid"])),
        _ => None,
    }
}

/// `odeme hash paytr-token --explain`.
pub fn paytr_token(
    fields_in: &[String],
    callback: bool,
    key: &str,
    salt: &str,
    token: &str,
) -> String {
    use base64::Engine;
    let layout = paytr_names(fields_in, callback);
    let name = |i: usize| layout.map(|(_, names)| names[i]);
    let mut fields: Vec<Field<'_>> = Vec::with_capacity(fields_in.len() + 1);
    let mut out = String::new();
    if callback {
        out.push_str(
            "paytr: callback hash = base64(HMAC-SHA256(key = merchant_key, merchant_oid + merchant_salt + status + total_amount))\n",
        );
        fields.push(Field::plain(name(0), &fields_in[0]));
        fields.push(Field::secret("merchant_salt", salt));
        fields.push(Field::plain(name(2), &fields_in[1]));
        fields.push(Field::plain(name(3), &fields_in[2]));
    } else {
        out.push_str(
            "paytr: paytr_token = base64(HMAC-SHA256(key = merchant_key, field 0 + field 1 + ... + merchant_salt)), UTF-8, no separators\n",
        );
        for (i, f) in fields_in.iter().enumerate() {
            fields.push(Field::plain(name(i), f));
        }
        fields.push(Field::secret("merchant_salt", salt));
    }
    let _ = writeln!(out, "key: merchant_key {}", mask_secret(key));
    layout_line(&mut out, layout, fields_in.len(), "fields");
    table(&mut out, &fields);
    if let Some((layout_name, names)) = layout.filter(|_| !callback) {
        let value = |n: &str| {
            names
                .iter()
                .position(|x| *x == n)
                .map(|i| fields_in[i].as_str())
        };
        if layout_name.starts_with("iFrame") {
            if let Some(a) = value("payment_amount").filter(|a| a.contains(['.', ','])) {
                let _ = writeln!(
                    out,
                    "note: payment_amount {a:?} has a decimal point: the iFrame API takes kuruş (34.56 TL is 3456)"
                );
            }
            if let Some(b) = value("user_basket") {
                match base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .ok()
                    .and_then(|d| String::from_utf8(d).ok())
                    .filter(|d| {
                        serde_json::from_str::<serde_json::Value>(d).is_ok_and(|v| v.is_array())
                    }) {
                    Some(json) => {
                        let _ = writeln!(
                            out,
                            "user_basket decodes to: {}",
                            show_bytes(json.as_bytes())
                        );
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "note: user_basket is not base64 of a JSON list: PayTR hashes and decodes the base64 text"
                        );
                    }
                }
            }
        }
        for flag in ["no_installment", "test_mode", "non_3d"] {
            if let Some(v) = value(flag).filter(|v| !matches!(*v, "0" | "1")) {
                let _ = writeln!(out, "note: {flag} is {v:?}; PayTR expects 0 or 1");
            }
        }
        if value("currency") == Some("") {
            let _ = writeln!(
                out,
                "note: currency is empty: PayTR assumes TL, but the token hashes what is sent"
            );
        }
        if layout_name == "refund" || layout_name == "Direct API" {
            let n = if layout_name == "refund" {
                "return_amount"
            } else {
                "payment_amount"
            };
            if let Some(a) = value(n).filter(|a| a.contains(',')) {
                let _ = writeln!(
                    out,
                    "note: {n} {a:?} has a comma: PayTR takes a dot (10.25)"
                );
            }
        }
    }
    out.push_str(&joined(&fields, ""));
    let _ = writeln!(out, "paytr_token: {token}");
    out
}

/// `odeme hash iyzico-header --explain`.
pub fn iyzico_header(
    api_key: &str,
    secret: &str,
    random_key: &str,
    path: &str,
    body: &[u8],
    header: &str,
) -> String {
    let fields = [
        Field::plain(Some("randomKey"), random_key),
        Field::plain(Some("path"), path),
        Field {
            name: Some("body"),
            bytes: body,
            secret: false,
        },
    ];
    let signature = header_signature(header).unwrap_or_default();
    let mut out = String::new();
    out.push_str(
        "iyzico IYZWSv2: signature = hex(HMAC-SHA256(key = secret_key, randomKey + path + body))\n\
         header = \"IYZWSv2 \" + base64(\"apiKey:\" + api_key + \"&randomKey:\" + randomKey + \"&signature:\" + signature)\n",
    );
    let _ = writeln!(out, "key: secret_key {}", mask_secret(secret));
    table(&mut out, &fields);
    if path.contains("://") {
        out.push_str("note: path is a URL; iyzico signs the path only (no scheme or host)\n");
    }
    if path.contains('?') {
        out.push_str("note: path has a query string; odeme signs the path without it\n");
    }
    if body.ends_with(b"\n") {
        out.push_str("note: the body ends with a newline: it is hashed, so it must also be sent\n");
    }
    out.push_str(&joined(&fields, ""));
    let _ = writeln!(out, "signature: {signature}");
    let _ = writeln!(
        out,
        "header plain: apiKey:{}&randomKey:{}&signature:{signature}",
        mask_api_key(api_key),
        show_bytes(random_key.as_bytes())
    );
    // The header itself is not repeated: its base64 carries the API key in clear.
    out
}

/// The hex signature inside an `IYZWSv2 base64(...)` header (computed by odeme, so well formed).
fn header_signature(header: &str) -> Option<String> {
    use base64::Engine;
    let b64 = header.strip_prefix("IYZWSv2 ")?;
    let plain = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    let plain = String::from_utf8(plain).ok()?;
    plain
        .rsplit_once("&signature:")
        .map(|(_, sig)| sig.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_show_only_their_length_and_api_keys_a_short_prefix() {
        assert_eq!(mask_secret("111111111"), "***(9 bytes)");
        assert_eq!(mask_secret("sandbox-abcdefghijkl"), "***(20 bytes)");
        assert_eq!(mask_api_key("sandbox-abcdefghijkl"), "sand…(20 bytes)");
        assert_eq!(mask_api_key("short"), "***(5 bytes)");
    }

    #[test]
    fn control_characters_and_bad_utf8_are_escaped() {
        assert_eq!(show_bytes(b"a\r\n\t\\\x01\xff"), "a\\r\\n\\t\\\\\\x01\\xff");
    }

    #[test]
    fn card_numbers_and_cvcs_are_masked() {
        let body = br#"{"cardNumber":"5528790000000008","cvc":"123","CVV": 456,"x":"1"}"#;
        assert_eq!(
            show_bytes(body),
            r#"{"cardNumber":"552879******0008","cvc":"***","CVV": ***,"x":"1"}"#
        );
        assert_eq!(show_bytes(b"cardCvc=123&a=1"), "cardCvc=***&a=1");
    }

    #[test]
    fn non_ascii_is_annotated() {
        assert_eq!(
            non_ascii_notes("Ürün\u{a0}ı".as_bytes()).unwrap(),
            "Ü U+00DC \\xc3\\x9c, ü U+00FC \\xc3\\xbc, U+00A0 \\xc2\\xa0 (no-break space), ı U+0131 \\xc4\\xb1 (dotless i)"
        );
        assert_eq!(non_ascii_notes(b"plain"), None);
    }

    #[test]
    fn header_signature_is_read_back() {
        let h = odeme::sign::iyzico_auth_header("a", "s", "r", "/p", b"");
        let sig = header_signature(&h).unwrap();
        assert_eq!(sig.len(), 64);
        assert!(h.len() > sig.len());
    }
}
