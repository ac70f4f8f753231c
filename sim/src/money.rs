//! The one amount parser: every provider's amount format is a [`Format`] (its decimal separator
//! and how many decimal places it takes), read by [`parse`] into an exact `Decimal`, and the
//! renderings the providers answer with.

use std::str::FromStr;

use rust_decimal::Decimal;

/// The decimal separator an amount takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sep {
    /// `10.56` (iyzico, Paymes, Paymago, PayTR).
    Dot,
    /// `10,56` (EsnekPOS' link and return amounts).
    Comma,
    /// Either (EsnekPOS 3-D `ORDER_AMOUNT`, PayTR basket prices).
    Either,
}

/// How many decimal places an amount takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Places {
    /// Any number (`1`, `1.5`, `0.30`: iyzico's BigDecimal).
    Any,
    /// No more than this many once trailing zeros are dropped (`1.500` is `1.5`).
    AtMost(u32),
    /// Exactly this many, written out (`10.00`, never `10` or `10.0`).
    Exactly(usize),
}

/// An amount format: separator and places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Format(pub Sep, pub Places);

/// Plain decimal text after a dot, any places (iyzico's BigDecimal; Paymes' cancel).
pub(crate) const DOT: Format = Format(Sep::Dot, Places::Any);
/// Two decimals after a dot, written out (Paymes, Paymago: `150.00`).
pub(crate) const DOT_2: Format = Format(Sep::Dot, Places::Exactly(2));
/// Two decimals after a comma, written out (EsnekPOS: `10,56`).
pub(crate) const COMMA_2: Format = Format(Sep::Comma, Places::Exactly(2));
/// At most two places after a dot (PayTR's refund and Direct API amounts: `100.99`, `150`).
pub(crate) const DOT_UP_TO_2: Format = Format(Sep::Dot, Places::AtMost(2));

/// `t` in format `f`: digits, at most one separator with digits on both sides, the places `f`
/// takes. Zero is an amount here; callers that need more than zero use [`positive`].
pub(crate) fn parse(t: &str, f: Format) -> Option<Decimal> {
    let Format(sep, places) = f;
    let (int, frac) = match t.find([',', '.']) {
        Some(i) => {
            let c = t.as_bytes()[i];
            let allowed = match sep {
                Sep::Dot => c == b'.',
                Sep::Comma => c == b',',
                Sep::Either => true,
            };
            if !allowed {
                return None;
            }
            (&t[..i], Some(&t[i + 1..]))
        }
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let d = match frac {
        Some(f) => Decimal::from_str(&format!("{int}.{f}")).ok()?,
        None => Decimal::from_str(int).ok()?,
    };
    let ok = match places {
        Places::Any => true,
        Places::AtMost(n) => d.normalize().scale() <= n,
        Places::Exactly(n) => frac.is_some_and(|f| f.len() == n),
    };
    ok.then_some(d)
}

/// A positive amount in format `f`.
pub(crate) fn positive(t: &str, f: Format) -> Option<Decimal> {
    parse(t, f).filter(|d| *d > Decimal::ZERO)
}

/// The amount without trailing zeros (`10.50` → `10.5`, `100.00` → `100`).
pub(crate) fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The amount with two decimals after `sep` (`5` → `5.00` or `5,00`).
pub(crate) fn two_places(d: Decimal, sep: char) -> String {
    let mut d = d;
    d.rescale(2);
    d.to_string().replace('.', &sep.to_string())
}

/// An amount of at most two places in its hundredths (kuruş, cents).
pub(crate) fn hundredths(d: Decimal) -> Option<u64> {
    (d.normalize().scale() <= 2)
        .then(|| u64::try_from((d * Decimal::from(100)).normalize().mantissa()).ok())
        .flatten()
}

/// Hundredths back to an amount (`3456` → `34.56`).
pub(crate) fn from_hundredths(n: u64) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(n), 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(t: &str) -> Decimal {
        Decimal::from_str(t).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(parse("1", DOT), Some(d("1")));
        assert_eq!(parse("0.30", DOT), Some(d("0.30")));
        assert_eq!(parse("1,5", DOT), None);
        assert_eq!(parse("1.2.3", DOT), None);
        assert_eq!(parse("-1", DOT), None);
        assert_eq!(parse(".5", DOT), None);
        assert_eq!(parse("", DOT), None);
        assert_eq!(parse("1e5", DOT), None);
        assert_eq!(parse("10.00", DOT_2), Some(d("10.00")));
        assert_eq!(parse("10.0", DOT_2), None);
        assert_eq!(parse("10", DOT_2), None);
        assert_eq!(parse("10,56", COMMA_2), Some(d("10.56")));
        assert_eq!(parse("10.56", COMMA_2), None);
        assert_eq!(parse("100.99", DOT_UP_TO_2), Some(d("100.99")));
        assert_eq!(parse("1.500", DOT_UP_TO_2), Some(d("1.5")));
        assert_eq!(parse("1.555", DOT_UP_TO_2), None);
        assert_eq!(parse("1,50", DOT_UP_TO_2), None);
        let either = Format(Sep::Either, Places::AtMost(2));
        assert_eq!(parse("151,25", either), Some(d("151.25")));
        assert_eq!(parse("10.5", either), Some(d("10.5")));
        assert_eq!(positive("0.00", DOT_2), None);
        assert_eq!(positive("0,01", COMMA_2), Some(d("0.01")));
    }

    #[test]
    fn renderings() {
        assert_eq!(plain(d("100.00")), "100");
        assert_eq!(plain(d("10.50")), "10.5");
        assert_eq!(two_places(d("5"), ','), "5,00");
        assert_eq!(two_places(d("34.5"), '.'), "34.50");
        assert_eq!(hundredths(d("100.99")), Some(10099));
        assert_eq!(hundredths(d("150")), Some(15000));
        assert_eq!(hundredths(d("1.555")), None);
        assert_eq!(from_hundredths(3456), d("34.56"));
        assert_eq!(two_places(from_hundredths(3456), '.'), "34.56");
    }
}
