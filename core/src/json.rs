//! Reading providers' JSON without building a tree, and keeping their replies as they came.
//!
//! A reply is read once, field by field, from its bytes ([`Doc`]); what the merchant gets back as
//! `raw` is the reply's own text ([`Raw`]): numbers exactly as written, keys in the provider's
//! order, no second (de)serialisation. [`Fields`] is what reply parsing needs from either a
//! [`Doc`] or a parsed [`Value`] (requests, callbacks and webhooks are still `Value`s).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// The top level of a JSON object, read by key.
pub trait Fields {
    /// A scalar as text: strings as they are, numbers as their exact digits, booleans as
    /// `true`/`false`. Absent, null, objects and arrays are `None`.
    fn text(&self, key: &str) -> Option<String>;

    /// The objects of the array at `key`; items that are not objects read as empty objects,
    /// and anything but an array as no items.
    fn objects(&self, key: &str) -> Vec<Doc<'_>>;
}

impl<T: Fields + ?Sized> Fields for &T {
    fn text(&self, key: &str) -> Option<String> {
        (**self).text(key)
    }

    fn objects(&self, key: &str) -> Vec<Doc<'_>> {
        (**self).objects(key)
    }
}

impl Fields for Value {
    fn text(&self, key: &str) -> Option<String> {
        scalar_text(self.get(key)?)
    }

    fn objects(&self, key: &str) -> Vec<Doc<'_>> {
        match self.get(key) {
            Some(Value::Array(items)) => items.iter().map(Doc::of_value).collect(),
            _ => Vec::new(),
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One JSON object's top-level fields, borrowed from the text they were read from (a key is
/// copied only when it holds an escape). Every value is checked to be valid JSON and kept as
/// its own text; scalars are read on demand. With a repeated key the last one counts, as in a
/// parsed [`Value`].
pub struct Doc<'a> {
    fields: DocFields<'a>,
}

enum DocFields<'a> {
    /// The object's whole text (`None` for an object read out of an array) and its fields.
    Text(Option<&'a str>, Vec<(Cow<'a, str>, &'a RawValue)>),
    Value(Option<&'a serde_json::Map<String, Value>>),
}

impl<'a> Doc<'a> {
    /// Read `bytes` as one JSON object (`Err` when they are not JSON, `Ok(None)` when they are
    /// JSON but not an object).
    pub fn parse(bytes: &'a [u8]) -> serde_json::Result<Option<Doc<'a>>> {
        // One UTF-8 check for the whole text: read from a `str`, serde_json does not check each
        // value's text again.
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(de::Error::custom("the text is not UTF-8"));
        };
        Doc::parse_str(text)
    }

    fn parse_str(text: &'a str) -> serde_json::Result<Option<Doc<'a>>> {
        let top: MaybeObject<'a> = serde_json::from_str(text)?;
        if text.contains("\\u") {
            // Skipping a value does not decode its `\u` escapes: read every string once, so a
            // lone surrogate is refused here as a parsed value would refuse it.
            serde_json::from_str::<Strict>(text)?;
        }
        Ok(top.0.map(|fields| Doc {
            fields: DocFields::Text(Some(text.trim()), fields),
        }))
    }

    /// A view of a parsed value (an empty object unless `v` is an object).
    pub fn of_value(v: &'a Value) -> Doc<'a> {
        Doc {
            fields: DocFields::Value(v.as_object()),
        }
    }

    fn raw(&self, key: &str) -> Option<&'a RawValue> {
        match &self.fields {
            DocFields::Text(_, fields) => fields.iter().rev().find(|(k, _)| k == key).map(|f| f.1),
            DocFields::Value(_) => None,
        }
    }
}

impl Fields for Doc<'_> {
    fn text(&self, key: &str) -> Option<String> {
        if let DocFields::Value(map) = &self.fields {
            return scalar_text(map.and_then(|m| m.get(key))?);
        }
        let text = self.raw(key)?.get();
        match text.as_bytes().first()? {
            // Without an escape the text between the quotes is the string itself.
            b'"' if !text.contains('\\') => Some(text[1..text.len() - 1].to_owned()),
            b'"' => serde_json::from_str::<String>(text).ok(),
            b'-' | b'0'..=b'9' => Some(text.to_owned()),
            b't' => Some("true".to_owned()),
            b'f' => Some("false".to_owned()),
            _ => None,
        }
    }

    fn objects(&self, key: &str) -> Vec<Doc<'_>> {
        if let DocFields::Value(map) = &self.fields {
            return match map.and_then(|m| m.get(key)) {
                Some(Value::Array(items)) => items.iter().map(Doc::of_value).collect(),
                _ => Vec::new(),
            };
        }
        let Some(raw) = self.raw(key) else {
            return Vec::new();
        };
        match serde_json::from_str::<Vec<MaybeObject<'_>>>(raw.get()) {
            Ok(items) => items
                .into_iter()
                .map(|o| Doc {
                    fields: DocFields::Text(None, o.0.unwrap_or_default()),
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// An object's fields, or `None` for any other JSON value.
struct MaybeObject<'a>(Option<Vec<(Cow<'a, str>, &'a RawValue)>>);

impl<'de> Deserialize<'de> for MaybeObject<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeObject<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if key.0 == "$serde_json::private::Number" && fields.is_empty() {
                        // A bare number (serde_json's exact-number form): not an object.
                        map.next_value::<de::IgnoredAny>()?;
                        return Ok(MaybeObject(None));
                    }
                    fields.push((key.0, map.next_value::<&'de RawValue>()?));
                }
                Ok(MaybeObject(Some(fields)))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(MaybeObject(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Any JSON value, every string decoded (and so checked) and nothing kept.
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strict;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
                while map.next_key::<Strict>()?.is_some() {
                    map.next_value::<Strict>()?;
                }
                Ok(Strict)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
                while seq.next_element::<Strict>()?.is_some() {}
                Ok(Strict)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
                Ok(Strict)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
                Ok(Strict)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
                Ok(Strict)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
                Ok(Strict)
            }
            fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
                Ok(Strict)
            }
            fn visit_unit<E>(self) -> Result<Strict, E> {
                Ok(Strict)
            }
        }
        d.deserialize_any(V)
    }
}

/// A map key, borrowed from the JSON text unless it holds an escape (no copy per key).
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A provider's reply (or, for local operations and webhooks, what was received) as JSON text:
/// numbers exactly as written, keys in the order they came. Serialises as that JSON, verbatim,
/// through serde_json (other serializers see a one-field struct).
#[derive(Clone)]
pub struct Raw(Box<str>);

/// serde_json's marker for raw JSON text (`serde_json::value::RawValue` serialises this way).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

impl Raw {
    /// The text [`Doc::parse`] read (so it is not checked a second time).
    pub(crate) fn of_doc(doc: &Doc<'_>) -> Raw {
        match &doc.fields {
            DocFields::Text(Some(text), _) => Raw((*text).into()),
            DocFields::Text(None, fields) => {
                let mut text = String::from("{");
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    text.push_str(&serde_json::to_string(k).unwrap_or_default());
                    text.push(':');
                    text.push_str(v.get());
                }
                text.push('}');
                Raw(text.into())
            }
            DocFields::Value(map) => map
                .map(|m| Raw::from(&Value::Object(m.clone())))
                .unwrap_or_else(|| Raw("{}".into())),
        }
    }

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

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doc_reads_scalars_exactly_and_the_last_repeated_key() {
        let text = br#"{"a":"x\"y","n":1.10,"b":true,"z":null,"o":{"k":1},"a2":"\u00e7","n":2.50,
            "items":[{"p":"1.0"},3,{"p":7}]}"#;
        let doc = Doc::parse(text).unwrap().unwrap();
        assert_eq!(doc.text("a").as_deref(), Some("x\"y"));
        assert_eq!(doc.text("a2").as_deref(), Some("ç"));
        assert_eq!(doc.text("n").as_deref(), Some("2.50"), "last key wins");
        assert_eq!(doc.text("b").as_deref(), Some("true"));
        assert_eq!(doc.text("z"), None);
        assert_eq!(doc.text("o"), None);
        assert_eq!(doc.text("missing"), None);
        let items = doc.objects("items");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].text("p").as_deref(), Some("1.0"));
        assert_eq!(items[1].text("p"), None);
        assert_eq!(items[2].text("p").as_deref(), Some("7"));
        assert_eq!(Raw::of_doc(&items[0]).as_str(), r#"{"p":"1.0"}"#);
        assert_eq!(Raw::of_doc(&items[1]).as_str(), "{}");
        assert!(doc.objects("a").is_empty());
        // The same answers as the parsed value gives.
        let v: Value = serde_json::from_slice(text).unwrap();
        for k in ["a", "a2", "n", "b", "z", "o", "missing"] {
            assert_eq!(doc.text(k), v.text(k), "{k}");
        }
        assert_eq!(v.objects("items")[2].text("p").as_deref(), Some("7"));
    }

    #[test]
    fn only_an_object_is_a_doc_and_bad_json_is_an_error() {
        let pair = br#"{"a":{"b":["\ud83d\ude00 \u015f"]}}"#;
        assert!(
            Doc::parse(pair).unwrap().is_some(),
            "a surrogate pair is fine"
        );
        for t in [&b"[1,2]"[..], b"1.5", b"\"s\"", b"null", b"true"] {
            assert!(Doc::parse(t).unwrap().is_none(), "{t:?}");
        }
        for t in [
            &b"{"[..],
            b"{\"a\":}",
            b"{} x",
            b"",
            b"{\"a\":1,}",
            br#"{"a":{"b":["\ud800"]}}"#,
            br#"{"\udc00":1}"#,
        ] {
            assert!(Doc::parse(t).is_err(), "{t:?}");
        }
    }

    #[test]
    fn raw_keeps_the_text_and_serialises_verbatim() {
        let text = br#"{"b":1.10,"a":[1e2]}"#;
        let raw = Raw::of_doc(&Doc::parse(text).unwrap().unwrap());
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
        let bytes = b" {\"x\": 1e2}\n";
        let doc = Doc::parse(bytes).unwrap().unwrap();
        let raw = Raw::of_doc(&doc);
        assert_eq!(serde_json::to_string(&raw).unwrap(), r#"{"x": 1e2}"#);
    }
}
