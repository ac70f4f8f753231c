//! iyzico's error codes, classified once.
//!
//! The table follows iyzico's published error-code lists: docs.iyzico.com "error codes" and
//! "bank error codes" (general codes 1–25 and bank rows), iyzico's own 2018 docs
//! (`iyzico-kurtulussahin/iyzico.gitbook`, `sss/teknik-sorular/hata-kodlari/banka-hatalari`: the
//! full bank table 10005–10236, "bank errors are 10000 + the bank's code") and the TR FAQ
//! (docs.iyzico.com/sss/hata-mesajlari). 10240–10242 (TIMEOUT, REMOTE_ERROR, LOCAL_ERROR) come
//! from a secondary source only (UNVERIFIED.md). The list itself is kept, with each code's
//! message, in `core/tests/vectors/iyzico_error_codes.tsv`, and a test compares this table with it.
//!
//! * `Auth`: credentials, signature or auth headers.
//! * `Declined`: the issuer refused the card: ask the payer for another card.
//! * `Transient`: the bank timed out or could not process (10214, 10219, 10228, 10240–10242):
//!   not a decline; iyzico answered `failure`, so retrying may succeed.
//! * `Other`: validation and business errors (fix the request), and the bank's "general error"
//!   codes (10202, 10204, 10236) whose outcome iyzico does not state.
//!
//! A code not in the table falls back to iyzico's own rule: a bank code (10000 + the bank's code)
//! or a non-empty `errorGroup` is a decline.

use crate::error::ProviderFailure;

/// (errorCode, classification), from the published lists.
pub(crate) const CODES: &[(&str, ProviderFailure)] = &[
    ("1", ProviderFailure::Other),
    ("2", ProviderFailure::Other),
    ("3", ProviderFailure::Other),
    ("4", ProviderFailure::Other),
    ("5", ProviderFailure::Other),
    ("6", ProviderFailure::Other),
    ("7", ProviderFailure::Other),
    ("8", ProviderFailure::Other),
    ("9", ProviderFailure::Other),
    ("10", ProviderFailure::Other),
    ("11", ProviderFailure::Other),
    ("12", ProviderFailure::Other),
    ("13", ProviderFailure::Other),
    ("14", ProviderFailure::Other),
    ("15", ProviderFailure::Other),
    ("16", ProviderFailure::Other),
    ("17", ProviderFailure::Other),
    ("18", ProviderFailure::Other),
    ("19", ProviderFailure::Other),
    ("20", ProviderFailure::Other),
    ("21", ProviderFailure::Other),
    ("22", ProviderFailure::Other),
    ("23", ProviderFailure::Other),
    ("24", ProviderFailure::Other),
    ("25", ProviderFailure::Other),
    ("1000", ProviderFailure::Auth),
    ("1001", ProviderFailure::Auth),
    ("1004", ProviderFailure::Auth),
    ("1007", ProviderFailure::Auth),
    ("1009", ProviderFailure::Auth),
    ("3001", ProviderFailure::Other),
    ("3005", ProviderFailure::Other),
    ("3006", ProviderFailure::Other),
    ("3007", ProviderFailure::Other),
    ("5001", ProviderFailure::Other),
    ("5002", ProviderFailure::Other),
    ("5005", ProviderFailure::Other),
    ("5006", ProviderFailure::Other),
    ("5007", ProviderFailure::Other),
    ("5008", ProviderFailure::Other),
    ("5010", ProviderFailure::Other),
    ("5014", ProviderFailure::Other),
    ("5062", ProviderFailure::Other),
    ("5079", ProviderFailure::Other),
    ("5087", ProviderFailure::Other),
    ("5111", ProviderFailure::Other),
    ("5122", ProviderFailure::Other),
    ("5124", ProviderFailure::Other),
    ("5132", ProviderFailure::Other),
    ("5184", ProviderFailure::Declined),
    ("9000", ProviderFailure::Other),
    ("10005", ProviderFailure::Declined),
    ("10012", ProviderFailure::Declined),
    ("10034", ProviderFailure::Declined),
    ("10041", ProviderFailure::Declined),
    ("10043", ProviderFailure::Declined),
    ("10051", ProviderFailure::Declined),
    ("10054", ProviderFailure::Declined),
    ("10057", ProviderFailure::Declined),
    ("10058", ProviderFailure::Other),
    ("10084", ProviderFailure::Declined),
    ("10093", ProviderFailure::Declined),
    ("10201", ProviderFailure::Declined),
    ("10202", ProviderFailure::Other),
    ("10203", ProviderFailure::Other),
    ("10204", ProviderFailure::Other),
    ("10205", ProviderFailure::Other),
    ("10206", ProviderFailure::Declined),
    ("10207", ProviderFailure::Declined),
    ("10208", ProviderFailure::Other),
    ("10209", ProviderFailure::Declined),
    ("10210", ProviderFailure::Declined),
    ("10211", ProviderFailure::Declined),
    ("10212", ProviderFailure::Declined),
    ("10213", ProviderFailure::Declined),
    ("10214", ProviderFailure::Transient),
    ("10215", ProviderFailure::Declined),
    ("10216", ProviderFailure::Declined),
    ("10217", ProviderFailure::Other),
    ("10218", ProviderFailure::Other),
    ("10219", ProviderFailure::Transient),
    ("10220", ProviderFailure::Declined),
    ("10221", ProviderFailure::Declined),
    ("10222", ProviderFailure::Other),
    ("10223", ProviderFailure::Other),
    ("10224", ProviderFailure::Declined),
    ("10225", ProviderFailure::Declined),
    ("10226", ProviderFailure::Declined),
    ("10227", ProviderFailure::Declined),
    ("10228", ProviderFailure::Transient),
    ("10229", ProviderFailure::Declined),
    ("10230", ProviderFailure::Declined),
    ("10231", ProviderFailure::Other),
    ("10232", ProviderFailure::Other),
    ("10233", ProviderFailure::Declined),
    ("10234", ProviderFailure::Declined),
    ("10235", ProviderFailure::Declined),
    ("10236", ProviderFailure::Other),
    ("10240", ProviderFailure::Transient),
    ("10241", ProviderFailure::Transient),
    ("10242", ProviderFailure::Transient),
    ("10243", ProviderFailure::Declined),
    ("10244", ProviderFailure::Declined),
    ("10246", ProviderFailure::Transient),
    ("10248", ProviderFailure::Declined),
    ("50000", ProviderFailure::Other),
];

/// Classify an iyzico failure reply.
pub(crate) fn classify(
    code: Option<&str>,
    group: Option<&str>,
    status: Option<&str>,
    http_status: u16,
) -> ProviderFailure {
    if http_status == 401 || http_status == 403 || status == Some("401") {
        return ProviderFailure::Auth;
    }
    if let Some(c) = code {
        if let Some((_, class)) = CODES.iter().find(|(k, _)| *k == c) {
            return *class;
        }
    }
    let bank_code = code.is_some_and(|c| {
        c.len() == 5 && c.starts_with("10") && c.bytes().all(|b| b.is_ascii_digit())
    });
    if group.is_some_and(|g| !g.trim().is_empty()) || bank_code {
        ProviderFailure::Declined
    } else {
        ProviderFailure::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_published_list() {
        let list = include_str!("../../../tests/vectors/iyzico_error_codes.tsv");
        let mut n = 0;
        for line in list.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (code, kind, retry_safe) = (cols[0], cols[1], cols[2]);
            let want = match kind {
                "auth" => ProviderFailure::Auth,
                "declined" => ProviderFailure::Declined,
                "provider_retryable" => ProviderFailure::Transient,
                "provider" => ProviderFailure::Other,
                other => panic!("unknown kind {other}"),
            };
            assert_eq!(classify(Some(code), None, None, 200), want, "code {code}");
            assert_eq!(
                want == ProviderFailure::Transient,
                retry_safe == "true",
                "code {code}"
            );
            n += 1;
        }
        assert_eq!(n, CODES.len());
    }

    #[test]
    fn bank_timeouts_are_not_declines() {
        for code in ["10214", "10219", "10240", "10241", "10242"] {
            assert_eq!(
                classify(Some(code), Some("GENERAL"), None, 200),
                ProviderFailure::Transient
            );
        }
        assert_eq!(
            classify(Some("10051"), Some("NOT_SUFFICIENT_FUNDS"), None, 200),
            ProviderFailure::Declined
        );
        // Unlisted bank code: iyzico's rule.
        assert_eq!(
            classify(Some("10999"), None, None, 200),
            ProviderFailure::Declined
        );
        assert_eq!(
            classify(Some("1000"), None, None, 200),
            ProviderFailure::Auth
        );
        assert_eq!(
            classify(Some("5062"), None, None, 200),
            ProviderFailure::Other
        );
        assert_eq!(classify(None, None, None, 401), ProviderFailure::Auth);
    }
}
