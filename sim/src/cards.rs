//! Test cards (iyzico's published sandbox cards) and the card checks every provider makes: one
//! Luhn, one expiry and CVC check, and the one decline table (which test card the bank
//! declines, and why). Each provider words the decline its own way.

pub const SUCCESS: &str = "5528790000000008";
pub const INSUFFICIENT_FUNDS: &str = "4111111111111129";
pub const DO_NOT_HONOUR: &str = "4129111111111111";
pub const INVALID_CVC: &str = "4124111111111116";

/// Why the bank declines a test card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decline {
    InsufficientFunds,
    DoNotHonour,
    InvalidCvc,
}

/// The decline table: the bank's answer for a card number, `None` when it approves.
pub(crate) fn decline(pan: &str) -> Option<Decline> {
    match pan {
        INSUFFICIENT_FUNDS => Some(Decline::InsufficientFunds),
        DO_NOT_HONOUR => Some(Decline::DoNotHonour),
        INVALID_CVC => Some(Decline::InvalidCvc),
        _ => None,
    }
}

pub(crate) fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// A card number: 12 to 19 digits that pass Luhn.
pub(crate) fn number_ok(pan: &str) -> bool {
    (12..=19).contains(&pan.len()) && luhn(pan)
}

/// An expiry: month 1 to 12 (one or two digits), year 2000 to 2099 (four digits).
pub(crate) fn expiry_ok(month: &str, year: &str) -> bool {
    let month = (1..=2)
        .contains(&month.len())
        .then(|| month.parse::<u32>().ok())
        .flatten();
    let year = (year.len() == 4)
        .then(|| year.parse::<u32>().ok())
        .flatten();
    matches!(month, Some(1..=12)) && matches!(year, Some(2000..=2099))
}

/// A CVC: three or four digits.
pub(crate) fn cvc_ok(cvc: &str) -> bool {
    (3..=4).contains(&cvc.len()) && cvc.bytes().all(|b| b.is_ascii_digit())
}

/// `552879******0008` (a checked number: at least 12 digits).
pub(crate) fn masked(pan: &str) -> String {
    format!("{}******{}", &pan[..6], &pan[pan.len() - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        for pan in [SUCCESS, INSUFFICIENT_FUNDS, DO_NOT_HONOUR, INVALID_CVC] {
            assert!(number_ok(pan), "{pan}");
        }
        assert!(!number_ok("5528790000000009"));
        assert!(!number_ok("55287900008"));
        assert!(!luhn(""));
        assert!(!luhn("55a8"));
        assert!(expiry_ok("12", "2030"));
        assert!(expiry_ok("1", "2030"));
        assert!(!expiry_ok("13", "2030"));
        assert!(!expiry_ok("00", "2030"));
        assert!(!expiry_ok("12", "30"));
        assert!(!expiry_ok("12", "2100"));
        assert!(cvc_ok("123") && cvc_ok("1234"));
        assert!(!cvc_ok("12") && !cvc_ok("12a"));
        assert_eq!(masked(SUCCESS), "552879******0008");
        assert_eq!(decline(SUCCESS), None);
        assert_eq!(decline(INVALID_CVC), Some(Decline::InvalidCvc));
    }
}
