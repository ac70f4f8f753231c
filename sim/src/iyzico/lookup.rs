//! iyzico's BIN check (`POST /payment/bin/check`) and installment table
//! (`POST /payment/iyzipos/installment`) for iyzico's published sandbox cards.
//!
//! Reply shapes: `sim/tests/documented/iyzico_bin_check.json` (the field names of iyzico-php's
//! unit-test mock; no published reply exists) and `iyzico_installment_with_bin.json` /
//! `iyzico_installment_foreign_bin.json` (iyzico's 2018 docs). The interest rates reproduce the
//! documented table for a price of 100 (101.36, 101.86, 104.58, 109.67).

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};

use super::{authenticate, failure, now_ms, number, price, str_field, text, Answer, Ctx, Incoming};

/// One BIN of iyzico's sandbox card list (docs.iyzico.com "test cards"): bin, bank, bank code,
/// association, card type, family.
pub(crate) struct Bin {
    pub bin: &'static str,
    pub bank: &'static str,
    pub bank_code: u32,
    pub association: &'static str,
    pub card_type: &'static str,
    pub family: &'static str,
}

pub(crate) const BINS: &[Bin] = &[
    Bin {
        bin: "552879",
        bank: "Halkbank",
        bank_code: 12,
        association: "MASTER_CARD",
        card_type: "CREDIT_CARD",
        family: "Paraf",
    },
    Bin {
        bin: "552608",
        bank: "Akbank",
        bank_code: 46,
        association: "MASTER_CARD",
        card_type: "CREDIT_CARD",
        family: "Axess",
    },
    Bin {
        bin: "589004",
        bank: "Akbank",
        bank_code: 46,
        association: "MASTER_CARD",
        card_type: "DEBIT_CARD",
        family: "Axess",
    },
    Bin {
        bin: "540036",
        bank: "Garanti Bankası",
        bank_code: 62,
        association: "MASTER_CARD",
        card_type: "CREDIT_CARD",
        family: "Bonus",
    },
    Bin {
        bin: "454359",
        bank: "İş Bankası",
        bank_code: 64,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Maximum",
    },
    Bin {
        bin: "545103",
        bank: "Yapı Kredi",
        bank_code: 67,
        association: "MASTER_CARD",
        card_type: "CREDIT_CARD",
        family: "World",
    },
    Bin {
        bin: "531157",
        bank: "QNB Finansbank",
        bank_code: 111,
        association: "MASTER_CARD",
        card_type: "CREDIT_CARD",
        family: "CardFinans",
    },
    // The decline and 3-D Secure test cards (4111111111111129, 4129111111111111,
    // 4124111111111116, 4131111111111117, 4141111111111115) share these BINs.
    Bin {
        bin: "411111",
        bank: "Test Bankası",
        bank_code: 99,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Test",
    },
    Bin {
        bin: "412911",
        bank: "Test Bankası",
        bank_code: 99,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Test",
    },
    Bin {
        bin: "412411",
        bank: "Test Bankası",
        bank_code: 99,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Test",
    },
    Bin {
        bin: "413111",
        bank: "Test Bankası",
        bank_code: 99,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Test",
    },
    Bin {
        bin: "414111",
        bank: "Test Bankası",
        bank_code: 99,
        association: "VISA",
        card_type: "CREDIT_CARD",
        family: "Test",
    },
];

/// Foreign sandbox cards: single payment only, no bank fields (the documented "foreign bin" reply).
pub(crate) const FOREIGN_BINS: &[&str] = &["540001", "405418"];

fn find(bin: &str) -> Option<&'static Bin> {
    let six = bin.get(..6)?;
    BINS.iter().find(|b| b.bin == six)
}

/// (installment count, interest in per cent) for credit cards.
const RATES: &[(u32, &str)] = &[
    (1, "0"),
    (2, "1.36"),
    (3, "1.86"),
    (6, "4.58"),
    (9, "9.67"),
    (12, "12.50"),
];

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn prices(total: Decimal, credit: bool) -> Vec<Value> {
    RATES
        .iter()
        .filter(|(n, _)| credit || *n == 1)
        .map(|(n, rate)| {
            let rate = crate::money::parse(rate, crate::money::DOT).unwrap_or_default();
            let t = round2(total + total * rate / Decimal::from(100));
            let each = round2(t / Decimal::from(*n));
            json!({"installmentPrice": number(&each.normalize().to_string()),
                   "totalPrice": number(&t.normalize().to_string()),
                   "installmentNumber": n})
        })
        .collect()
}

fn valid_bin(bin: &str) -> bool {
    (bin.len() == 6 || bin.len() == 8) && bin.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn bin_check(_: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.bin_check";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    let c = conv.as_deref();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(conv.clone());
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let bin = text(&body, "binNumber").unwrap_or_default();
    if bin.is_empty() {
        return reply(failure(
            "5006",
            "binNumber gönderilmesi zorunludur",
            None,
            c,
        ));
    }
    if !valid_bin(&bin) {
        // iyzico's published example (taksit-ve-bin-sorgulama, tab "Hata"): 5007.
        return reply(failure("5007", "binNumber 6 karakter olmalıdır", None, c));
    }
    let Some(b) = find(&bin) else {
        return reply(failure("5066", "Bin bulunamadı", None, c));
    };
    reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(), "conversationId": conv,
        "binNumber": bin, "cardType": b.card_type, "cardAssociation": b.association,
        "cardFamily": b.family, "bankName": b.bank, "bankCode": b.bank_code, "commercial": 0,
    }))
}

pub(crate) fn installments(_: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.installments";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    let c = conv.as_deref();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(conv.clone());
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let Some((price_text, total)) = text(&body, "price").and_then(|t| price(&t).map(|d| (t, d)))
    else {
        return reply(failure("5005", "price gönderilmesi zorunludur", None, c));
    };
    let detail = |b: &Bin, bin: &str| {
        json!({
            "binNumber": bin, "price": number(&price_text), "cardType": b.card_type,
            "cardAssociation": b.association, "cardFamilyName": b.family, "force3ds": 0,
            "bankCode": b.bank_code, "bankName": b.bank, "forceCvc": 0, "commercial": 0,
            "installmentPrices": prices(total, b.card_type == "CREDIT_CARD"),
        })
    };
    let details: Vec<Value> = match text(&body, "binNumber") {
        Some(bin) if !valid_bin(&bin) => {
            // iyzico's published example (taksit-ve-bin-sorgulama, tab "Hata"): 5007.
            return reply(failure("5007", "binNumber 6 karakter olmalıdır", None, c));
        }
        Some(bin) if FOREIGN_BINS.contains(&&bin[..6]) => vec![json!({
            "binNumber": bin, "price": number(&price_text), "force3ds": 0, "forceCvc": 0,
            "installmentPrices": prices(total, false),
        })],
        Some(bin) => match find(&bin) {
            Some(b) => vec![detail(b, &bin)],
            None => return reply(failure("5066", "Bin bulunamadı", None, c)),
        },
        // Without a BIN: one entry per credit-card family (the documented "all installments" tab).
        None => {
            let mut seen = Vec::new();
            BINS.iter()
                .filter(|b| b.card_type == "CREDIT_CARD" && b.family != "Test")
                .filter(|b| {
                    let new = !seen.contains(&b.family);
                    seen.push(b.family);
                    new
                })
                .map(|b| detail(b, b.bin))
                .collect()
        }
    };
    reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(), "conversationId": conv,
        "installmentDetails": details,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_reproduce_the_documented_table_for_100() {
        // research/iyzico/examples/installment_with_bin.json.
        let p = prices(Decimal::from(100), true);
        let pairs: Vec<(String, String)> = p
            .iter()
            .map(|v| {
                (
                    v["totalPrice"].to_string(),
                    v["installmentPrice"].to_string(),
                )
            })
            .collect();
        assert_eq!(pairs[1], ("101.36".into(), "50.68".into()));
        assert_eq!(pairs[2], ("101.86".into(), "33.95".into()));
        assert_eq!(pairs[3], ("104.58".into(), "17.43".into()));
        assert_eq!(pairs[4], ("109.67".into(), "12.19".into()));
        assert_eq!(prices(Decimal::from(100), false).len(), 1);
    }
}
