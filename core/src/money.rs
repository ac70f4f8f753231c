//! Money: exact decimal amounts, currencies, and each provider's wire format.
//!
//! An [`Amount`] never passes through a float. It is read from a JSON string (`"10.50"`) or a JSON
//! number (`10.50`, read from its text thanks to serde_json's `arbitrary_precision`), must be a
//! plain decimal (no exponent, no sign other than `-`, no separators), and may carry at most two
//! decimals: more is an error, never silently rounded. Providers then get their own rendering:
//!
//! | provider | rule | `1` | `1.20` | `10.56` |
//! |---|---|---|---|---|
//! | iyzico (SDK rule) | shortest, at least one decimal | `1.0` | `1.2` | `10.56` |
//! | Paymes, Paymago | dot, two decimals | `1.00` | `1.20` | `10.56` |
//! | EsnekPOS Hoppa | comma, two decimals | `1,00` | `1,20` | `10,56` |
//!
//! The string that is hashed is always the string that is sent: callers format once and use the
//! result for both.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The key serde_json uses to hand an `arbitrary_precision` number to a visitor.
const SERDE_JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The currencies odeme supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Currency {
    #[serde(rename = "TRY")]
    Try,
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "EUR")]
    Eur,
    #[serde(rename = "GBP")]
    Gbp,
}

impl Currency {
    pub const ALL: [Currency; 4] = [Currency::Try, Currency::Usd, Currency::Eur, Currency::Gbp];

    /// ISO 4217 alphabetic code.
    pub fn alpha(self) -> &'static str {
        match self {
            Currency::Try => "TRY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }

    /// ISO 4217 numeric code, as Paymago wants it.
    pub fn numeric(self) -> &'static str {
        match self {
            Currency::Try => "949",
            Currency::Usd => "840",
            Currency::Eur => "978",
            Currency::Gbp => "826",
        }
    }

    /// Parse an alphabetic (`TRY`) or numeric (`949`) code.
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.alpha() == code || c.numeric() == code)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| {
            de::Error::custom(
                "unsupported currency; expected one of TRY, USD, EUR, GBP (or 949, 840, 978, 826)",
            )
        })
    }
}

/// Why an amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    NotDecimal,
    TooManyDecimals,
    Negative,
    Float,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::NotDecimal => {
                "must be a plain decimal amount such as \"10.50\" (no exponent, no thousands separator)"
            }
            AmountError::TooManyDecimals => {
                "has more than 2 decimals; odeme never rounds money, round it yourself"
            }
            AmountError::Negative => "must not be negative",
            AmountError::Float => {
                "is a binary float, which cannot hold money exactly; pass a string or a decimal"
            }
        })
    }
}

/// An amount written by iyzico's SDK rule ([`Amount::iyzico`]); serialises as that string with
/// no text made in between.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IyzicoAmount(pub Amount);

impl std::fmt::Display for IyzicoAmount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0 .0.normalize();
        if d.scale() == 0 {
            write!(f, "{d}.0")
        } else {
            write!(f, "{d}")
        }
    }
}

impl serde::Serialize for IyzicoAmount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An exact, non-negative amount with at most two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

impl Amount {
    /// Parse the text of a JSON string or number.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let body = text.strip_prefix('-').unwrap_or(text);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok(int) || !frac.is_none_or(digits_ok) || int.len() > 20 {
            return Err(AmountError::NotDecimal);
        }
        let value = Decimal::from_str(text).map_err(|_| AmountError::NotDecimal)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(AmountError::Negative);
        }
        if value.normalize().scale() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        Ok(Amount(value.normalize()))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// iyzico's SDK rule: `1` → `1.0`, `1.20` → `1.2`, `0` → `0.0`.
    pub fn iyzico(self) -> String {
        IyzicoAmount(self).to_string()
    }

    /// Dot with exactly two decimals (Paymes, Paymago): `1` → `1.00`.
    pub fn dot2(self) -> String {
        let mut d = self.0;
        d.rescale(2);
        d.to_string()
    }

    /// Comma with exactly two decimals (EsnekPOS Hoppa): `10.56` → `10,56`.
    pub fn comma2(self) -> String {
        self.dot2().replace('.', ",")
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl<'de> Visitor<'de> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal amount as a string or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                // serde_json (arbitrary_precision) only hands a number from a `Value` over as
                // f64 when the float's shortest text *is* the number's text, so printing it
                // back recovers the exact digits. Floats that do not print back exactly never
                // arrive here; NaN and infinities are refused.
                if !v.is_finite() {
                    return Err(E::custom(AmountError::Float));
                }
                Amount::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
                // serde_json with `arbitrary_precision` hands numbers over as a one-entry map
                // whose value is the number's exact text.
                match map.next_key::<String>()? {
                    Some(k) if k == SERDE_JSON_NUMBER_TOKEN => {
                        let text: String = map.next_value()?;
                        Amount::parse(&text).map_err(de::Error::custom)
                    }
                    _ => Err(de::Error::custom(
                        "expected a decimal amount, got an object",
                    )),
                }
            }
        }
        d.deserialize_any(AmountVisitor)
    }
}

/// serde_json with `arbitrary_precision` hands a number to `visit_map` as a one-entry map whose
/// value is the number's exact text; `None` when the map is a real JSON object.
pub(crate) fn number_text<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<String>, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == SERDE_JSON_NUMBER_TOKEN => Ok(Some(map.next_value()?)),
        _ => Ok(None),
    }
}

/// iyzico's response-signature normalisation (reference §3.2): when the text has a `.`, strip
/// trailing zeros and then a trailing dot. `1.0` → `1`, `10.50` → `10.5`, `10` stays `10`.
pub fn normalize_signed_amount(text: &str) -> String {
    signed_amount(text).to_owned()
}

/// [`normalize_signed_amount`] as a part of `text` (trailing zeros and a bare point dropped).
pub(crate) fn signed_amount(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn iyzico_sdk_rule() {
        // Vectors from the Java RequestFormatterTest and Node UtilsTest (reference §3.1), limited
        // to the amounts odeme accepts (at most two decimals, not negative).
        for (input, want) in [
            ("1", "1.0"),
            ("1.0", "1.0"),
            ("1.20", "1.2"),
            ("22", "22.0"),
            ("23.0", "23.0"),
            ("22.00", "22.0"),
            ("0", "0.0"),
            ("10000", "10000.0"),
            ("0033001.00", "33001.0"),
            ("15.340000", "15.34"),
        ] {
            assert_eq!(a(input).iyzico(), want, "{input}");
        }
    }

    #[test]
    fn dot_and_comma() {
        assert_eq!(a("1050").dot2(), "1050.00");
        assert_eq!(a("10.5").dot2(), "10.50");
        assert_eq!(a("0.1").dot2(), "0.10");
        assert_eq!(a("10.56").comma2(), "10,56");
        assert_eq!(a("150").comma2(), "150,00");
    }

    #[test]
    fn refuses_bad_amounts() {
        assert_eq!(Amount::parse("1.005"), Err(AmountError::TooManyDecimals));
        assert_eq!(Amount::parse("0.12345"), Err(AmountError::TooManyDecimals));
        assert_eq!(Amount::parse("-1"), Err(AmountError::Negative));
        assert_eq!(Amount::parse("1e3"), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse("10,56"), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse(" 1"), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse("+1"), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse("1."), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse(".5"), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse(""), Err(AmountError::NotDecimal));
        assert_eq!(Amount::parse("abc"), Err(AmountError::NotDecimal));
        assert!(Amount::parse("0.00").unwrap().is_zero());
        // Trailing zeros beyond two places are not extra precision.
        assert_eq!(a("1.200").dot2(), "1.20");
    }

    #[test]
    fn json_numbers_never_go_through_f64() {
        // 0.1 + 0.2 style: a float would print 0.30000000000000004 somewhere along the way.
        let v: Amount = serde_json::from_str("0.30").unwrap();
        assert_eq!(v.dot2(), "0.30");
        let big: Amount = serde_json::from_str("12345678901234567.89").unwrap();
        assert_eq!(big.dot2(), "12345678901234567.89");
        let s: Amount = serde_json::from_str("\"10.56\"").unwrap();
        assert_eq!(s.comma2(), "10,56");
        let via_value: Amount =
            serde_json::from_value(serde_json::from_str::<serde_json::Value>("99.99").unwrap())
                .unwrap();
        assert_eq!(via_value.dot2(), "99.99");
        assert!(serde_json::from_str::<Amount>("1.001").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
    }

    #[test]
    fn response_normalisation() {
        for (input, want) in [
            ("1.0", "1"),
            ("1.20", "1.2"),
            ("10.50", "10.5"),
            ("100.00", "100"),
            ("0.30", "0.3"),
            ("0.0", "0"),
            ("149.90", "149.9"),
            ("10", "10"),
        ] {
            assert_eq!(normalize_signed_amount(input), want, "{input}");
        }
    }

    #[test]
    fn currencies() {
        assert_eq!(Currency::parse("949"), Some(Currency::Try));
        assert_eq!(Currency::parse("GBP").unwrap().numeric(), "826");
        assert_eq!(Currency::parse("978").unwrap().alpha(), "EUR");
        assert_eq!(Currency::Usd.numeric(), "840");
        assert_eq!(Currency::parse("try"), None);
    }
}
