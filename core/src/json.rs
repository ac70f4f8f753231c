//! Reading providers' JSON without building a tree, and keeping their replies as they came.
//!
//! A reply is read once, from its bytes, into its operation's typed shape ([`read_shape`]: every
//! scalar a [`Scalar`] borrowed from the bytes, numbers as their exact digits); what the merchant
//! gets back as `raw` is the reply's own text ([`Raw`]): numbers exactly as written, keys in the
//! provider's order, no second (de)serialisation.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// The value at a dotted path (`"Config.ORDER_REF_NUMBER"`: key `ORDER_REF_NUMBER` of the
/// object under `Config`), if every step is an object key.
pub(crate) fn at_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// The identifier at a dotted path as text: a non-empty string as it is, a number as its exact
/// digits (ids such as iyzico's `paymentId` are often sent as numbers). Anything else is `None`.
pub(crate) fn id_at_path(value: &Value, path: &str) -> Option<String> {
    match at_path(value, path)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON string (a request's text field, a map key, or a number's digits in serde_json's exact
/// form), borrowed from the JSON text (or from a borrowed `Value`) unless it holds an escape.
/// serde's own `Cow<str>` always copies; this makes no copy. Typed requests read from text use it
/// for their strings (`CreatePaymentRequest<Str<'_>>`), so a request costs no allocation per
/// field.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Str<'a>(pub Cow<'a, str>);

/// The name [`Str`] had when it read only keys.
pub use self::Str as Key;

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Str<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A scalar field of a provider's reply, as text: a string as it is, a number as its exact digits
/// (never through a binary float), a boolean as `true`/`false`. Providers are lenient about the
/// JSON type of a scalar (iyzico sends `installment` as a number where its docs type a string,
/// `status` as a string), so a typed reply reads every scalar this way and decides what it means.
/// Borrowed from the reply's bytes unless the string holds an escape. `null` is the absent field
/// (`Option<Scalar>`); an object or a list where a scalar belongs is an error (the reply is not
/// the shape the provider documents; never silently absent).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Scalar<'a>(pub Cow<'a, str>);

impl<'a> Scalar<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl std::ops::Deref for Scalar<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Scalar<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The text itself: a reply's scalars are shown where they are shown, and a typed reply that
/// holds a bearer value (a card token) keeps it in a [`crate::secret`] type, not a `Scalar`.
impl fmt::Debug for Scalar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, a number or a boolean")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Borrowed(if v { "true" } else { "false" })))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            // A `Value`'s integers beyond 64 bits.
            fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            // Not reached with serde_json's exact numbers (below); refused rather than rounded.
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Err(E::custom("a number that is not exact"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // serde_json's exact-number form: one entry under its private key.
                match map.next_key::<Key<'de>>()? {
                    Some(k) if k.0 == NUMBER_TOKEN => {
                        let digits: Str<'de> = map.next_value()?;
                        Ok(Scalar(digits.0))
                    }
                    _ => Err(de::Error::custom(
                        "an object where a string, a number or a boolean belongs",
                    )),
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
                Err(de::Error::custom(
                    "a list where a string, a number or a boolean belongs",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// A reply's optional scalar, owned (for an outcome). Takes `&Option<Scalar>` or
/// `Option<&Scalar>`.
pub(crate) fn owned<'s, 'a: 's>(s: impl Into<Option<&'s Scalar<'a>>>) -> Option<String> {
    s.into().map(|t| t.as_str().to_owned())
}

/// [`owned`], with an empty text read as absent.
pub(crate) fn filled<'s, 'a: 's>(s: impl Into<Option<&'s Scalar<'a>>>) -> Option<String> {
    s.into()
        .filter(|t| !t.is_empty())
        .map(|t| t.as_str().to_owned())
}

/// serde_json's marker key for an exact number (feature `arbitrary_precision`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Why a reply could not be read as its typed shape: where (the field's path, e.g.
/// `itemTransactions[0].price`) and what, never the offending value (a reply can hold a card
/// token or a card number's digits where a number belongs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// The field's path, `.` at the top level.
    pub path: String,
    pub what: ShapeFault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeFault {
    /// Not JSON (or not UTF-8).
    NotJson,
    /// JSON, but the top level is not an object.
    NotAnObject,
    /// A key the reply shape reads appears twice in one object: the reply is ambiguous (two
    /// different amounts or statuses) and is refused, never read by first or last.
    DuplicateKey,
    /// A field the shape requires is absent.
    MissingField,
    /// A field holds a value of the wrong kind (an object where a scalar belongs, ...).
    WrongKind,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.what {
            ShapeFault::NotJson => f.write_str("is not JSON"),
            ShapeFault::NotAnObject => f.write_str("is JSON but not an object"),
            ShapeFault::DuplicateKey => write!(f, "holds the key `{}` twice", self.path),
            ShapeFault::MissingField => write!(f, "has no `{}`", self.path),
            ShapeFault::WrongKind => {
                write!(f, "holds a value of the wrong kind at `{}`", self.path)
            }
        }
    }
}

/// Read `bytes` as the typed shape `T` (its scalars borrowed from `bytes`), with the JSON text
/// checked whole (trailing text refused). Errors say where, never what value (see
/// [`ShapeError`]).
pub fn read_shape<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ShapeError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(ShapeError {
            path: ".".into(),
            what: ShapeFault::NotJson,
        });
    };
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        let what = match serde_json::from_str::<de::IgnoredAny>(text) {
            Ok(_) => ShapeFault::NotAnObject,
            Err(_) => ShapeFault::NotJson,
        };
        return Err(ShapeError {
            path: ".".into(),
            what,
        });
    }
    // The fast path reads without tracking where it is; only a refused reply is read again with
    // its path tracked, to say where.
    let mut reader = serde_json::Deserializer::from_str(text);
    match T::deserialize(&mut reader).and_then(|v| reader.end().map(|_| v)) {
        Ok(v) => Ok(v),
        Err(_) => Err(shape_error::<T>(text)),
    }
}

#[cold]
fn shape_error<'a, T: Deserialize<'a>>(text: &'a str) -> ShapeError {
    let mut reader = serde_json::Deserializer::from_str(text);
    let e = match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Ok(_) => {
            return ShapeError {
                path: ".".into(),
                what: ShapeFault::NotJson,
            }
        }
        Err(e) => e,
    };
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    let what = if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        ShapeFault::NotJson
    } else if message.starts_with("duplicate field") {
        ShapeFault::DuplicateKey
    } else if message.starts_with("missing field") {
        ShapeFault::MissingField
    } else {
        ShapeFault::WrongKind
    };
    // serde names a duplicated or missing key in its message (which holds no value), not in the
    // path (which stops at the object that holds it).
    let path = match what {
        ShapeFault::DuplicateKey | ShapeFault::MissingField => {
            let key = message.split('`').nth(1).unwrap_or("?");
            if path == "." {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        }
        _ => path,
    };
    ShapeError { path, what }
}

/// A provider's reply (or, for local operations and webhooks, what was received) as JSON text:
/// numbers exactly as written, keys in the order they came. Serialises as that JSON, verbatim,
/// through serde_json (other serializers see a one-field struct).
#[derive(Clone)]
pub struct Raw(Box<str>);

/// serde_json's marker for raw JSON text (`serde_json::value::RawValue` serialises this way).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

impl Raw {
    /// Text a JSON parser has already accepted (a reply read as a `Value`); never caller text.
    pub(crate) fn accepted(text: &str) -> Raw {
        Raw(text.into())
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text parsed into a value (exact numbers, order kept).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl From<Value> for Raw {
    fn from(v: Value) -> Raw {
        Raw::from(&v)
    }
}

impl From<&Value> for Raw {
    fn from(v: &Value) -> Raw {
        Raw(serde_json::to_string(v)
            .unwrap_or_else(|_| "null".to_owned())
            .into())
    }
}

/// By length only: a reply can carry bearer credentials (iyzico's `cardToken`, `cardUserKey`)
/// that must never reach a log through `{:?}`. [`Raw::as_str`] gives the text.
impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Raw(<{} bytes>)", self.0.len())
    }
}

impl PartialEq<Value> for Raw {
    fn eq(&self, other: &Value) -> bool {
        self.to_value() == *other
    }
}

impl Serialize for Raw {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct(RAW_TOKEN, 1)?;
        st.serialize_field(RAW_TOKEN, &*self.0)?;
        st.end()
    }
}

/// `json` (JSON text, as odeme writes it) with every number that is not an integer (a fraction or
/// an exponent: `10.10`, `1e2`) written as a JSON string of the same digits (`"10.10"`);
/// integers, strings and everything else unchanged. For callers whose JSON decoder would turn
/// such a number into a binary float (PHP, .NET): they read the exact digits as a string.
///
/// The text must be valid JSON (every caller passes text serde_json wrote or accepted): the
/// scan only tells string tokens from number tokens.
pub(crate) fn numbers_as_strings(json: &str) -> String {
    let b = json.as_bytes();
    let mut out = String::with_capacity(json.len() + 64);
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Skip the string: to its closing quote, stepping over escapes.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                let mut integer = true;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    integer &= !matches!(b[i], b'.' | b'e' | b'E');
                    i += 1;
                }
                if !integer {
                    out.push_str(&json[copied..start]);
                    out.push('"');
                    out.push_str(&json[start..i]);
                    out.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&json[copied.min(json.len())..]);
    out
}

/// An `application/x-www-form-urlencoded` body as a JSON object of strings (the first value of a
/// repeated name wins); `None` for bad percent-encoding or UTF-8. One decoder for the webhook
/// verifiers and the log's redactor.
pub(crate) fn form_object(body: &[u8]) -> Option<Value> {
    let mut map = serde_json::Map::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let k = percent_decode(k)?;
        let v = percent_decode(v)?;
        map.entry(k).or_insert(Value::String(v));
    }
    Some(Value::Object(map))
}

fn percent_decode(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let h = |c: u8| (c as char).to_digit(16);
                let hi = h(*s.get(i + 1)?)?;
                let lo = h(*s.get(i + 2)?)?;
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Shape<'a> {
        #[serde(borrow)]
        payment_id: Scalar<'a>,
        #[serde(borrow)]
        paid_price: Option<Scalar<'a>>,
        #[serde(borrow, default)]
        items: Vec<Item<'a>>,
    }

    #[derive(Deserialize, Debug)]
    struct Item<'a> {
        #[serde(borrow)]
        price: Option<Scalar<'a>>,
    }

    #[test]
    fn a_typed_reply_reads_scalars_exactly_and_borrowed() {
        let text = br#"{"paymentId":12345678901234567890123,"paidPrice":"1.10","x":{"y":[1]},"items":[{"price":10.100},{"price":null}]}"#;
        let r: Shape<'_> = read_shape(text).unwrap();
        assert_eq!(r.payment_id.as_str(), "12345678901234567890123");
        assert!(matches!(
            r.paid_price.as_ref().unwrap().0,
            Cow::Borrowed("1.10")
        ));
        assert_eq!(r.items[0].price.as_deref(), Some("10.100"));
        assert_eq!(r.items[1].price, None);
        let r: Shape<'_> = read_shape(br#"{"paymentId":true,"paidPrice":"a\u00e7"}"#).unwrap();
        assert_eq!(r.payment_id.as_str(), "true");
        assert_eq!(r.paid_price.unwrap().as_str(), "a\u{e7}");
    }

    /// A key the shape reads, given twice, makes the reply ambiguous: refused, never read by its
    /// first or last value. Keys the shape does not read may repeat.
    #[test]
    fn a_repeated_key_is_refused_where_it_is_read() {
        let e = read_shape::<Shape<'_>>(
            br#"{"paymentId":"1","paidPrice":"1.00","paidPrice":"100.00"}"#,
        )
        .unwrap_err();
        assert_eq!(e.what, ShapeFault::DuplicateKey);
        assert_eq!(e.path, "paidPrice");
        let e = read_shape::<Shape<'_>>(br#"{"paymentId":"1","items":[{"price":1,"price":2}]}"#)
            .unwrap_err();
        assert_eq!(
            (e.what, e.path.as_str()),
            (ShapeFault::DuplicateKey, "items[0].price")
        );
        assert!(read_shape::<Shape<'_>>(br#"{"paymentId":"1","x":1,"x":2}"#).is_ok());
    }

    #[test]
    fn a_refused_reply_says_where_but_never_the_value() {
        let secret = "4111111111111111";
        let text = format!(r#"{{"paymentId":"1","paidPrice":{{"n":"{secret}"}}}}"#);
        let e = read_shape::<Shape<'_>>(text.as_bytes()).unwrap_err();
        assert_eq!(
            (e.what, e.path.as_str()),
            (ShapeFault::WrongKind, "paidPrice")
        );
        assert!(!format!("{e} {e:?}").contains(secret));
        let text = format!(r#"{{"paymentId":"1","items":[{{"price":["{secret}"]}}]}}"#);
        let e = read_shape::<Shape<'_>>(text.as_bytes()).unwrap_err();
        assert_eq!(e.path, "items[0].price");
        assert!(!format!("{e} {e:?}").contains(secret));
        let e = read_shape::<Shape<'_>>(br#"{"paidPrice":"1"}"#).unwrap_err();
        assert_eq!(
            (e.what, e.path.as_str()),
            (ShapeFault::MissingField, "paymentId")
        );
        let what = |t: &[u8]| read_shape::<Shape<'_>>(t).unwrap_err().what;
        assert_eq!(what(b"[1]"), ShapeFault::NotAnObject);
        assert_eq!(what(b"<html>"), ShapeFault::NotJson);
        assert_eq!(what(br#"{"paymentId":"1"} x"#), ShapeFault::NotJson);
        assert_eq!(what(b"\xff"), ShapeFault::NotJson);
    }

    #[test]
    fn raw_keeps_the_text_and_serialises_verbatim() {
        let text = br#"{"b":1.10,"a":[1e2]}"#;
        let raw = Raw::accepted(std::str::from_utf8(text).unwrap());
        assert_eq!(raw.as_str(), r#"{"b":1.10,"a":[1e2]}"#);
        #[derive(Serialize)]
        struct R {
            raw: Raw,
        }
        assert_eq!(
            serde_json::to_string(&R { raw: raw.clone() }).unwrap(),
            r#"{"raw":{"b":1.10,"a":[1e2]}}"#
        );
        assert_eq!(
            serde_json::to_value(R { raw }).unwrap()["raw"]["b"].to_string(),
            "1.10"
        );
    }

    #[test]
    fn numbers_as_strings_quotes_only_non_integers_outside_strings() {
        let text = r#"{"a":10.10,"b":-3,"c":"x 1.5 \\\" 2.5","d":[1e2,-0.5,0,12345678901234567890123],"e":{"f":2E-1,"g":true,"h":null},"i":"\\","j":7.0}"#;
        let got = numbers_as_strings(text);
        assert_eq!(
            got,
            r#"{"a":"10.10","b":-3,"c":"x 1.5 \\\" 2.5","d":["1e2","-0.5",0,12345678901234567890123],"e":{"f":"2E-1","g":true,"h":null},"i":"\\","j":"7.0"}"#
        );
        // Still JSON, and every value but the quoted numbers is what it was.
        let before: Value = serde_json::from_str(text).unwrap();
        let after: Value = serde_json::from_str(&got).unwrap();
        assert_eq!(after["c"], before["c"]);
        assert_eq!(after["i"], before["i"]);
        assert_eq!(after["d"][3], before["d"][3]);
        assert_eq!(numbers_as_strings("[]"), "[]");
        assert_eq!(numbers_as_strings("1.5"), "\"1.5\"");
        let long = format!(
            r#"{{"page":"{}","price":"1.0","paidPrice":1.10}}"#,
            "<p>9.99</p>".repeat(10_000)
        );
        let got: Value = serde_json::from_str(&numbers_as_strings(&long)).unwrap();
        assert_eq!(got["paidPrice"], Value::from("1.10"));
        assert_eq!(got["page"].as_str().unwrap().len(), 110_000);
    }
}
