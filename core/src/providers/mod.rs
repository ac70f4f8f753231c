//! One module per provider: its operations' declarations (`OPERATIONS`), wire types,
//! validation, signing calls, reply parsing and error codes.

pub mod esnekpos;
pub mod iyzico;
pub mod paymago;
pub mod paymes;
pub mod paytr;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::error::Error;
use crate::money::number_text;
/// One call of a declared operation (declared in [`crate::operation`]).
pub(crate) use crate::operation::Call;

/// Serialize a wire type into the exact, zeroizing body that is signed and sent.
pub(crate) fn json_body<T: serde::Serialize>(wire: &T) -> Result<crate::secret::WipingBuf, Error> {
    let mut buf = crate::secret::WipingBuf::with_capacity(2048);
    serde_json::to_writer(&mut buf, wire).map_err(|_| {
        Error::new(
            crate::error::ErrorKind::Internal,
            "could not serialize the request",
        )
    })?;
    Ok(buf)
}

/// A scalar the providers' docs type as a string but merchants (and the docs' own examples)
/// send as a number too: kept as text, exactly.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                match map.next_key::<String>()? {
                    Some(k) if k == "$serde_json::private::Number" => Ok(Text(map.next_value()?)),
                    _ => Err(de::Error::custom(
                        "expected a string or a number, got an object",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A small whole number sent as a JSON number or a numeric string (`1` or `"1"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let t = Text::deserialize(d)?;
        let s = t.0.trim();
        if s.is_empty() {
            return Ok(Count(0));
        }
        s.parse::<u32>()
            .map(Count)
            .map_err(|_| de::Error::custom("must be a whole number"))
    }
}

/// A flag sent as a JSON boolean or as `"true"`/`"false"`/`1`/`0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                match v {
                    "true" | "1" => Ok(Flag(true)),
                    "false" | "0" => Ok(Flag(false)),
                    _ => Err(E::custom("must be true or false")),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
                match v {
                    1 => Ok(Flag(true)),
                    0 => Ok(Flag(false)),
                    _ => Err(E::custom("must be true or false")),
                }
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Flag, A::Error> {
                match number_text(map)? {
                    Some(t) => self.visit_str(&t),
                    None => Err(de::Error::custom("must be true or false")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Percent-encode a query or form value (RFC 3986 unreserved characters stay as they are).
pub(crate) fn url_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// `application/x-www-form-urlencoded` body from ordered pairs.
pub(crate) fn form_body(pairs: &[(&str, &str)]) -> crate::secret::WipingBuf {
    // Sized for the worst case (every byte escaped), so the text never grows: a `String` that
    // grows frees its old buffer unwiped, and a form may carry the card.
    let worst: usize = pairs.iter().map(|(k, v)| 3 * (k.len() + v.len()) + 2).sum();
    let mut s = String::with_capacity(worst);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        url_encode(k, &mut s);
        s.push('=');
        url_encode(v, &mut s);
    }
    s.into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_is_utf8_percent() {
        let b = form_body(&[("productName", "Ürün İsmi"), ("a", "x&y=z+1")]);
        assert_eq!(
            std::str::from_utf8(&b).unwrap(),
            "productName=%C3%9Cr%C3%BCn%20%C4%B0smi&a=x%26y%3Dz%2B1"
        );
    }

    #[test]
    fn text_count_flag() {
        let t: Text = serde_json::from_str("2482").unwrap();
        assert_eq!(t.as_str(), "2482");
        let c: Count = serde_json::from_str("\"3\"").unwrap();
        assert_eq!(c, Count(3));
        assert!(serde_json::from_str::<Count>("\"x\"").is_err());
        let f: Flag = serde_json::from_str("\"true\"").unwrap();
        assert!(f.0);
        assert!(serde_json::from_str::<Flag>("\"maybe\"").is_err());
    }
}
