//! EsnekPOS 3-D card payment: `POST /api/pay/EYV3DPay` books an order and answers `URL_3DS`
//! (`GET /pay/esnekpos3d/ORDER_REF_NUMBER`); fetching it pays (iyzico's decline cards decline
//! with the bank's message, as in the captured declined ProcessQuery reply) and answers the
//! fields EsnekPOS posts to `BACK_URL`; `POST /api/services/ProcessQuery` reports the order.
//!
//! Reply shapes: EYV3DPay as the only full body found (omnipay-esnekpos' fixture,
//! `sim/tests/documented/esnekpos_eyv3dpay.json`); ProcessQuery as the replies captured on
//! EsnekPOS' test host (`esnekpos_process_query_*.json`: `ORDER_REF_NO`, comma amounts,
//! `TRANSACTIONS[]` with `STATUS_ID`).
//!
//! Each order keeps its transactions (`Transaction`), in order: what ProcessQuery lists. A
//! refund or cancel adds one (STATUS_ID 7 or 5) to the same list.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{authenticate, error, returns, text, Answer, Ctx, Incoming, Scenario};
use crate::cards::{self, Decline};
use crate::money;
use crate::wire::decode_segment;

/// `TRANSACTIONS[].STATUS_ID` values (captured replies and client libraries).
pub(crate) mod status_id {
    pub const WAITING: u32 = 1;
    pub const AWAITING_3D: u32 = 2;
    pub const PAID: u32 = 3;
    pub const FAILED: u32 = 4;
    /// Booked by OrderReturn (a full return).
    pub const CANCELLED: u32 = 5;
    /// Booked by OrderReturn (a partial return).
    pub const REFUNDED: u32 = 7;
}

/// One entry of an order's `TRANSACTIONS[]`.
#[derive(Clone, Debug)]
pub(crate) struct Transaction {
    pub id: u64,
    pub status_id: u32,
    pub status_name: &'static str,
    /// Signed, with a decimal comma (`"151,25"`, `"-151,25"`).
    pub amount: String,
}

/// Where the order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// 3-D Secure started, the payer has not come back.
    Waiting,
    Paid,
    /// The bank refused: (bank code, message), e.g. ("51", "Limit Yetersiz").
    Declined(&'static str, &'static str),
}

/// One EYV3DPay order.
#[derive(Clone, Debug)]
pub(crate) struct Order3d {
    pub order_ref: String,
    pub refno: String,
    /// `ORDER_AMOUNT` with a decimal comma and two decimals (`"150,00"`).
    pub amount: String,
    pub installment: u32,
    pub phase: Phase,
    /// What the bank will answer when the payer completes 3-D Secure.
    pub decline: Option<(&'static str, &'static str)>,
    pub transactions: Vec<Transaction>,
    /// `sim:query-error`: ProcessQuery answers this order with a query-service error.
    pub query_error: bool,
}

impl Order3d {
    /// The `SUCCESS_TRANSACTION_ID` ProcessQuery reports: the paid transaction, or 0.
    pub fn success_transaction_id(&self) -> u64 {
        self.transactions
            .iter()
            .find(|t| t.status_id == status_id::PAID)
            .map(|t| t.id)
            .unwrap_or(0)
    }
}

#[derive(Default)]
pub(crate) struct Store {
    pub orders: HashMap<String, Order3d>,
}

/// `"150"`, `"150.00"` or `"150,00"` → `"150,00"`; None unless a positive amount with ≤ 2 decimals.
fn comma_amount(t: &str) -> Option<String> {
    let d = money::positive(
        t,
        money::Format(money::Sep::Either, money::Places::AtMost(2)),
    )?;
    Some(money::two_places(d, ','))
}

fn field_error(message: &str) -> Value {
    error("101", "FIELD_ERROR", message)
}

pub(crate) fn pay_3d(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.pay_3d";
    let body = req.json().unwrap_or(Value::Null);
    let config = body.get("Config").cloned().unwrap_or(Value::Null);
    let order_ref = text(&config, "ORDER_REF_NUMBER").filter(|r| !r.is_empty());
    let product = body
        .pointer("/Product/0/PRODUCT_NAME")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Two EsnekPOS-only scenarios for reconciliation: `sim:query-error` books the order, loses
    // the reply and answers its ProcessQuery with a query-service error (400, "any error of the
    // query service" in the vendor's table); `sim:unbooked-drop` loses the request before the
    // provider books anything (ProcessQuery: "reference not found").
    let query_error = product == "sim:query-error";
    let unbooked = product == "sim:unbooked-drop";
    let scenario = if query_error || unbooked {
        Some(Scenario::Drop)
    } else {
        Scenario::from_product(product)
    };
    let reply = |v: Value| {
        let mut a = Answer::new(200, v, OP).order_ref(order_ref.clone());
        a.redirect_error = Some(error("100", "ERROR", "Genel hata"));
        a
    };
    if let Err(e) = authenticate(&config) {
        return reply(e);
    }
    let Some(reference) = order_ref.clone().filter(|r| r.chars().count() <= 24) else {
        return reply(field_error(
            "ORDER_REF_NUMBER alanı zorunludur (en fazla 24 karakter)",
        ));
    };
    let Some(amount) = text(&config, "ORDER_AMOUNT").and_then(|a| comma_amount(&a)) else {
        return reply(field_error("ORDER_AMOUNT alanı geçersiz"));
    };
    if !text(&config, "BACK_URL").is_some_and(|u| u.starts_with("http")) {
        return reply(field_error("BACK_URL alanı zorunludur"));
    }
    if !matches!(
        text(&config, "PRICES_CURRENCY").as_deref(),
        Some("TRY" | "USD" | "EUR" | "GBP")
    ) {
        return reply(field_error("PRICES_CURRENCY alanı geçersiz"));
    }
    let card = body.get("CreditCard").cloned().unwrap_or(Value::Null);
    let pan = text(&card, "CC_NUMBER").unwrap_or_default();
    if !cards::number_ok(&pan) {
        return reply(field_error("CC_NUMBER alanı geçersiz"));
    }
    let month = text(&card, "EXP_MONTH").unwrap_or_default();
    let year = text(&card, "EXP_YEAR").unwrap_or_default();
    if month.len() != 2 || !cards::expiry_ok(&month, &year) {
        return reply(field_error("EXP_MONTH / EXP_YEAR alanı geçersiz"));
    }
    if !cards::cvc_ok(&text(&card, "CC_CVV").unwrap_or_default()) {
        return reply(field_error("CC_CVV alanı geçersiz"));
    }
    if text(&card, "CC_OWNER").is_none_or(|o| o.trim().is_empty()) {
        return reply(field_error("CC_OWNER alanı zorunludur"));
    }
    let installment = text(&card, "INSTALLMENT_NUMBER")
        .and_then(|i| i.parse::<u32>().ok())
        .filter(|i| (1..=12).contains(i));
    let Some(installment) = installment else {
        return reply(field_error("INSTALLMENT_NUMBER alanı geçersiz"));
    };
    let customer = body.get("Customer").cloned().unwrap_or(Value::Null);
    for key in [
        "FIRST_NAME",
        "LAST_NAME",
        "MAIL",
        "PHONE",
        "CITY",
        "STATE",
        "ADDRESS",
        "CLIENT_IP",
    ] {
        if text(&customer, key).is_none_or(|v| v.trim().is_empty()) {
            return reply(field_error(&format!("Customer.{key} alanı zorunludur")));
        }
    }
    let products = body.get("Product").and_then(Value::as_array);
    if products.is_none_or(|p| p.is_empty()) {
        return reply(field_error("Product alanı zorunludur"));
    }
    // The bank's decline, in EsnekPOS' words (bank code, message).
    let decline = cards::decline(&pan).map(|d| match d {
        Decline::InsufficientFunds => ("51", "Limit Yetersiz"),
        Decline::DoNotHonour => ("05", "Red-Onaylanmadı"),
        Decline::InvalidCvc => ("82", "CVV Hatalı"),
    });
    if unbooked {
        let mut a = reply(Value::Null);
        a.scenario = scenario;
        return a;
    }
    let masked = cards::masked(&pan);
    let refno = (403_998 + cx.next_id()).to_string();
    {
        let mut st = cx.lock();
        // "A reference already used is rejected" (research/others §1.6).
        if st.threed.orders.contains_key(&reference) {
            drop(st);
            return reply(field_error("ORDER_REF_NUMBER daha önce kullanılmış"));
        }
        st.threed.orders.insert(
            reference.clone(),
            Order3d {
                order_ref: reference.clone(),
                refno: refno.clone(),
                amount,
                installment,
                phase: Phase::Waiting,
                decline,
                transactions: Vec::new(),
                query_error,
            },
        );
    }
    let mut a = reply(json!({
        "ORDER_REF_NUMBER": reference, "STATUS": "SUCCESS", "RETURN_CODE": "0",
        "RETURN_MESSAGE": "Success", "RETURN_MESSAGE_TR": "Başarılı", "ERROR_CODE": null,
        "DATE": "26.11.2026 09:00:00",
        "URL_3DS": format!("{}/pay/esnekpos3d/{reference}", cx.base_url),
        "REFNO": refno, "HASH": "", "COMMISSION_RATE": "1,490",
        "CUSTOMER_NAME": format!("{} {}", text(&customer, "FIRST_NAME").unwrap_or_default(),
                                 text(&customer, "LAST_NAME").unwrap_or_default()),
        "CUSTOMER_MAIL": text(&customer, "MAIL"), "CUSTOMER_PHONE": text(&customer, "PHONE"),
        "CUSTOMER_ADDRESS": text(&customer, "ADDRESS"), "CUSTOMER_CC_NUMBER": masked,
        "CUSTOMER_CC_NAME": text(&card, "CC_OWNER"), "IS_NOT_3D_PAYMENT": false,
        "VIRTUAL_POS_VALUES": null, "RETURN_MESSAGE_3D": null, "BANK_AUTH_CODE": null,
    }));
    a.scenario = scenario;
    a
}

/// The payer completes 3-D Secure: the bank approves or declines.
pub(crate) fn page_3d(cx: &Ctx, reference: &str) -> Answer {
    const OP: &str = "esnekpos.3d_page";
    let reference = decode_segment(reference);
    let first = cx.next_id();
    let mut st = cx.lock();
    let Some(o) = st.threed.orders.get_mut(&reference) else {
        return Answer::new(
            404,
            error("400", "PROCESS_QUERY", "Referans numarası bulunamadı"),
            OP,
        );
    };
    let negative = format!("-{}", o.amount);
    let tx = |n: u64, id: u32, name: &'static str, amount: &str| Transaction {
        id: 783_900 + first * 4 + n,
        status_id: id,
        status_name: name,
        amount: amount.to_owned(),
    };
    if o.phase == Phase::Waiting {
        match o.decline {
            None => {
                o.phase = Phase::Paid;
                let amount = o.amount.clone();
                o.transactions
                    .push(tx(0, status_id::PAID, "Ödeme - Başarılı", &amount));
            }
            Some((code, message)) => {
                o.phase = Phase::Declined(code, message);
                o.transactions.extend([
                    tx(0, status_id::WAITING, "Ödeme - Bekliyor", &negative),
                    tx(
                        1,
                        status_id::AWAITING_3D,
                        "Ödeme - 3D Doğrulama Bekleniyor",
                        &negative,
                    ),
                    tx(2, status_id::FAILED, "Ödeme - Başarısız", &negative),
                ]);
            }
        }
    }
    let (status, code, message) = match o.phase {
        Phase::Paid => ("SUCCESS", "0", "SUCCESS".to_owned()),
        Phase::Declined(c, m) => ("ERROR", "100", format!("{c}-{m}")),
        Phase::Waiting => ("PAYMENT_WAITING", "106", "Ödeme - Bekliyor".to_owned()),
    };
    let body = json!({
        "ORDER_REF_NUMBER": o.order_ref, "REFNO": o.refno, "STATUS": status,
        "RETURN_CODE": code, "RETURN_MESSAGE": message, "DATE": "26.11.2026 09:00:05",
        "AMOUNT": o.amount, "INSTALLMENT": o.installment.to_string(),
    });
    Answer::new(200, body, OP).order_ref(Some(reference))
}

/// `POST /api/services/ProcessQuery`, in the captured replies' shape.
pub(crate) fn process_query(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.process_query";
    let body = req.json().unwrap_or(Value::Null);
    let reference = text(&body, "ORDER_REF_NUMBER").unwrap_or_default();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(Some(reference.clone()));
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let (order, returns) = {
        let st = cx.lock();
        (
            st.threed.orders.get(&reference).cloned(),
            returns::transactions(&st, &reference),
        )
    };
    let Some(o) = order else {
        // Not a 3-D order: a link payment's ORDER_REF_NO, or unknown.
        return returns::link_process_query(cx, req);
    };
    if o.query_error {
        // The error-code table's 400: "İşlem durum sorgulama servisinde oluşan hatalarda bu
        // mesaj dönmektedir" (any error of the query service).
        return reply(error(
            "400",
            "PROCESS_QUERY",
            "İşlem durum sorgulama servisinde hata oluştu",
        ));
    }
    let transactions: Vec<Value> = if o.transactions.is_empty() {
        // Not back from 3-D Secure yet (x-laravel/payline-hoppa-driver README).
        vec![
            json!({"STATUS_NAME": "Ödeme - Bekliyor", "STATUS_ID": status_id::WAITING,
                    "AMOUNT": format!("-{}", o.amount)}),
        ]
    } else {
        o.transactions
            .iter()
            .map(|t| {
                json!({"TRANSACTION_ID": t.id, "STATUS_NAME": t.status_name,
                       "STATUS_ID": t.status_id, "AMOUNT": t.amount,
                       "DATE": "26.11.2026 09:00:05", "PLANNED_TRANSFER_DATE": null,
                       "MERCHANT_AMOUNT_TRANSFER_DETAIL": null, "SUB_MERCHANT_DETAILS": null})
            })
            .chain(returns)
            .collect()
    };
    let (status, code, message) = match o.phase {
        Phase::Paid => ("SUCCESS", "0", "SUCCESS".to_owned()),
        Phase::Declined(c, m) => ("ERROR", "100", format!("{c}-{m}")),
        Phase::Waiting => ("PAYMENT_WAITING", "106", "Ödeme - Bekliyor".to_owned()),
    };
    reply(json!({
        "STATUS": status, "RETURN_CODE": code, "RETURN_MESSAGE": message,
        "DATE": "26.11.2026 09:00:48",
        "PAYMENT_DATE": if o.phase == Phase::Paid { json!("26.11.2026 09:00:05") } else { Value::Null },
        "REFNO": o.refno, "AMOUNT": o.amount, "ORDER_REF_NO": o.order_ref,
        "INSTALLMENT": o.installment.to_string(), "COMMISSION": 0, "COMMISSION_RATE": "1,490",
        "SUCCESS_TRANSACTION_ID": o.success_transaction_id(),
        "TRANSACTIONS": transactions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_comma() {
        assert_eq!(comma_amount("150").as_deref(), Some("150,00"));
        assert_eq!(comma_amount("10.5").as_deref(), Some("10,50"));
        assert_eq!(comma_amount("151,25").as_deref(), Some("151,25"));
        assert_eq!(comma_amount("0"), None);
        assert_eq!(comma_amount("1.234"), None);
        assert_eq!(comma_amount("-5"), None);
    }
}
