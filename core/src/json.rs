//! Reading providers' JSON without building a tree, and keeping their replies as they came.
//!
//! A reply is read once, field by field, from its bytes ([`Doc`]); what the merchant gets back as
//! `raw` is the reply's own text ([`Raw`]): numbers exactly as written, keys in the provider's
//! order, no second (de)serialisation. [`Fields`] is what reply parsing needs from either a
//! [`Doc`] or a parsed [`Value`] (requests, callbacks and webhooks are still `Value`s).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// The top level of a JSON object, read by key.
pub trait Fields {
    /// A scalar as text: strings as they are, numbers as their exact digits, booleans as
    /// `true`/`false`. Absent, null, objects and arrays are `None`.
    fn text(&self, key: &str) -> Option<String> {
        self.text_ref(key).map(Cow::into_owned)
    }

    /// [`Fields::text`], borrowed from the reply where it can be (a string without escapes, a
    /// number's digits).
    fn text_ref(&self, key: &str) -> Option<Cow<'_, str>>;

    /// The objects of the array at `key`; items that are not objects read as empty objects,
    /// and anything but an array as no items.
    fn objects(&self, key: &str) -> Vec<Doc<'_>>;
}

impl<T: Fields + ?Sized> Fields for &T {
    fn text_ref(&self, key: &str) -> Option<Cow<'_, str>> {
        (**self).text_ref(key)
    }

    fn objects(&self, key: &str) -> Vec<Doc<'_>> {
        (**self).objects(key)
    }
}

impl Fields for Value {
    fn text_ref(&self, key: &str) -> Option<Cow<'_, str>> {
        scalar_text(self.get(key)?)
    }

    fn objects(&self, key: &str) -> Vec<Doc<'_>> {
        match self.get(key) {
            Some(Value::Array(items)) => items.iter().map(Doc::of_value).collect(),
            _ => Vec::new(),
        }
    }
}

fn scalar_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

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

/// One JSON object's top-level fields, borrowed from the text they were read from (a key is
/// copied only when it holds an escape). Every value is checked to be valid JSON and kept as
/// its own text; scalars are read on demand. With a repeated key the last one counts, as in a
/// parsed [`Value`].
pub struct Doc<'a> {
    fields: DocFields<'a>,
}

/// A field: its key and its value's text.
type Member<'a> = (Cow<'a, str>, &'a RawValue);

/// A list of objects read with the object that holds it: its key and each item's fields
/// (`None` when the value is not a list: such a doc is read again without lists).
type List<'a> = (Cow<'a, str>, Option<Vec<Vec<Member<'a>>>>);

enum DocFields<'a> {
    /// The object's whole text (`None` for an object read out of an array), its fields, and the
    /// lists read in the same pass (see [`Doc::parse_with_lists`]).
    Text(Option<&'a str>, Vec<Member<'a>>, Vec<List<'a>>),
    /// An item of such a list.
    Item(&'a [Member<'a>]),
    Value(Option<&'a serde_json::Map<String, Value>>),
}

impl<'a> Doc<'a> {
    /// Read `bytes` as one JSON object (`Err` when they are not JSON, `Ok(None)` when they are
    /// JSON but not an object).
    pub fn parse(bytes: &'a [u8]) -> serde_json::Result<Option<Doc<'a>>> {
        Doc::parse_with_lists(bytes, &[])
    }

    /// [`Doc::parse`], with the lists of objects at the top-level keys `lists` read in the same
    /// pass (so [`Fields::objects`] does not read their text a second time). Only a speed-up:
    /// every field reads the same either way (a text where such a key holds something else than
    /// a list is read again without lists, so that its value keeps its own text).
    pub fn parse_with_lists(
        bytes: &'a [u8],
        lists: &[&str],
    ) -> serde_json::Result<Option<Doc<'a>>> {
        // One UTF-8 check for the whole text: read from a `str`, serde_json does not check each
        // value's text again.
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(de::Error::custom("the text is not UTF-8"));
        };
        let mut reader = serde_json::Deserializer::from_str(text);
        let top = ObjectSeed { lists }.deserialize(&mut reader)?;
        reader.end()?;
        if text.contains("\\u") {
            // Skipping a value does not decode its `\u` escapes: read every string once, so a
            // lone surrogate is refused here as a parsed value would refuse it.
            serde_json::from_str::<Strict>(text)?;
        }
        match top {
            Some((_, lists)) if lists.iter().any(|(_, items)| items.is_none()) => {
                Doc::parse_with_lists(bytes, &[])
            }
            top => Ok(top.map(|(fields, lists)| Doc {
                fields: DocFields::Text(Some(text.trim()), fields, lists),
            })),
        }
    }

    /// A view of a parsed value (an empty object unless `v` is an object).
    pub fn of_value(v: &'a Value) -> Doc<'a> {
        Doc {
            fields: DocFields::Value(v.as_object()),
        }
    }

    fn raw(&self, key: &str) -> Option<&'a RawValue> {
        let fields = match &self.fields {
            DocFields::Text(_, fields, _) => fields.as_slice(),
            DocFields::Item(fields) => fields,
            DocFields::Value(_) => return None,
        };
        fields.iter().rev().find(|(k, _)| k == key).map(|f| f.1)
    }
}

impl Fields for Doc<'_> {
    fn text_ref(&self, key: &str) -> Option<Cow<'_, str>> {
        if let DocFields::Value(map) = &self.fields {
            return scalar_text(map.and_then(|m| m.get(key))?);
        }
        let text = self.raw(key)?.get();
        match text.as_bytes().first()? {
            // Without an escape the text between the quotes is the string itself.
            b'"' if !text.contains('\\') => Some(Cow::Borrowed(&text[1..text.len() - 1])),
            b'"' => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
            b'-' | b'0'..=b'9' => Some(Cow::Borrowed(text)),
            b't' => Some(Cow::Borrowed("true")),
            b'f' => Some(Cow::Borrowed("false")),
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
        if let DocFields::Text(_, _, lists) = &self.fields {
            if let Some((_, list)) = lists.iter().rev().find(|(k, _)| k == key) {
                return list
                    .iter()
                    .flatten()
                    .map(|fields| Doc {
                        fields: DocFields::Item(fields),
                    })
                    .collect();
            }
        }
        let Some(raw) = self.raw(key) else {
            return Vec::new();
        };
        match ListSeed.deserialize(&mut serde_json::Deserializer::from_str(raw.get())) {
            Ok(Some(items)) => items
                .into_iter()
                .map(|fields| Doc {
                    fields: DocFields::Text(None, fields, Vec::new()),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The scalar arms of a visitor that reads any JSON value: every scalar gives `$value` (what a
/// reader that wants an object or a list makes of it, or nothing kept).
macro_rules! scalars_are {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// An object's fields (and the lists at `lists`, read as they come), or `None` for any other
/// JSON value.
struct ObjectSeed<'h> {
    lists: &'h [&'h str],
}

/// The fields and lists of one object.
type Object<'a> = (Vec<Member<'a>>, Vec<List<'a>>);

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = Option<Object<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = Option<Object<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(32));
        let mut lists = Vec::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == "$serde_json::private::Number" && fields.is_empty() && lists.is_empty() {
                // A bare number (serde_json's exact-number form): not an object.
                map.next_value::<de::IgnoredAny>()?;
                return Ok(None);
            }
            if self.lists.contains(&key.0.as_ref()) {
                lists.push((key.0, map.next_value_seed(ListSeed)?));
            } else {
                fields.push((key.0, map.next_value::<&'de RawValue>()?));
            }
        }
        Ok(Some((fields, lists)))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are!(None);
}

/// A list's items as objects (an item that is not an object has no fields), or `None` for any
/// other JSON value.
struct ListSeed;

impl<'de> DeserializeSeed<'de> for ListSeed {
    type Value = Option<Vec<Vec<Member<'de>>>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed {
    type Value = Option<Vec<Vec<Member<'de>>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ObjectSeed { lists: &[] })? {
            items.push(item.map(|(fields, _)| fields).unwrap_or_default());
        }
        Ok(Some(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }

    scalars_are!(None);
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
            scalars_are!(Strict);
        }
        d.deserialize_any(V)
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
    /// The text [`Doc::parse`] read (so it is not checked a second time).
    #[allow(dead_code)] // no provider reads a `Doc` since #31; removed with `Doc`
    pub(crate) fn of_doc(doc: &Doc<'_>) -> Raw {
        let fields: &[Member<'_>] = match &doc.fields {
            DocFields::Text(Some(text), ..) => return Raw((*text).into()),
            DocFields::Text(None, fields, _) => fields,
            DocFields::Item(fields) => fields,
            DocFields::Value(map) => {
                return map
                    .map(|m| Raw::from(&Value::Object(m.clone())))
                    .unwrap_or_else(|| Raw("{}".into()))
            }
        };
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

    /// What a reader sees of a doc: every key's text, and every list's items (each item's texts
    /// and `raw`), recursively one level down.
    fn seen(doc: &Doc<'_>, keys: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for k in keys {
            out.push(format!("{k}={:?}", doc.text(k)));
            for (i, item) in doc.objects(k).iter().enumerate() {
                out.push(format!("{k}[{i}] raw={}", Raw::of_doc(item).as_str()));
                for k2 in keys {
                    out.push(format!("{k}[{i}].{k2}={:?}", item.text(k2)));
                    out.push(format!("{k}[{i}].{k2} items={}", item.objects(k2).len()));
                }
            }
        }
        out
    }

    #[test]
    fn lists_read_in_the_same_pass_read_as_lists_read_later() {
        let keys = ["l", "p", "a", "m"];
        for text in [
            &br#"{"l":[{"p":"1.0","a":[{"p":1}]},3,null,{"p":7,"p":8}],"p":"x"}"#[..],
            br#"{"l":null,"p":1}"#,
            br#"{"l":"text","p":1}"#,
            br#"{"l":{"p":1},"p":1}"#,
            br#"{"l":12.50}"#,
            br#"{"l":1e2,"p":2E-1}"#,
            br#"{"l":[],"p":[1]}"#,
            br#"{"l":[{"p":1}],"l":[{"p":2},{"p":3}]}"#,
            br#"{"l":[{"p":1}],"l":null}"#,
            br#"{"m":1,"l":[[1],{"m":"\u00e7"}],"a":true}"#,
        ] {
            let plain = Doc::parse(text).unwrap().unwrap();
            let listed = Doc::parse_with_lists(text, &["l", "a"]).unwrap().unwrap();
            assert_eq!(
                seen(&listed, &keys),
                seen(&plain, &keys),
                "{}",
                String::from_utf8_lossy(text)
            );
            assert_eq!(Raw::of_doc(&listed).as_str(), Raw::of_doc(&plain).as_str());
        }
        // Errors and non-objects are the same too.
        for text in [
            &br#"{"l":[{"p":"\ud800"}]}"#[..],
            br#"{"l":[1,}"#,
            br#"{"l":[{"p":}]}"#,
        ] {
            assert!(Doc::parse(text).is_err() && Doc::parse_with_lists(text, &["l"]).is_err());
        }
        assert!(Doc::parse_with_lists(b"[{\"l\":[]}]", &["l"])
            .unwrap()
            .is_none());
        assert!(Doc::parse_with_lists(b"3", &["l"]).unwrap().is_none());
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
