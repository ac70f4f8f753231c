//! EsnekPOS returns, booked in the store's ledger: `POST /api/services/OrderReturn` by the
//! `ORDER_REF_NO` of a paid link payment or the `ORDER_REF_NUMBER` of a paid EYV3DPay order (the
//! full amount cancels, less refunds; returns accumulate), shown by `SendPaymentRequestQuery`
//! (`PAYMENT_STATUS`) and `ProcessQuery` (`TRANSACTIONS[]`, STATUS_ID 5 cancel, 7 refund).
//!
//! Returning more than remains, or twice in full, is EsnekPOS' error; no source publishes those
//! errors (UNVERIFIED.md). A payment whose product name is `sim:refund-SCENARIO` gets SCENARIO on
//! its return calls (booked first); their log's `order_ref` is the `ORDER_REF_NUMBER`.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::threed::{status_id, Phase};
use super::{authenticate, error, text, Answer, Ctx, Incoming, Store};
use crate::ledger::{Refusal, Return};
use crate::money;

/// The `ORDER_REF_NO` of a link payment (its REFNO, prefixed).
pub(crate) fn order_ref(refno: &str) -> String {
    format!("HOPPA-{refno}")
}

/// The link (or 3-D order) and amount of the paid payment `order_ref`: a link payment's
/// `ORDER_REF_NO` or a paid EYV3DPay order's `ORDER_REF_NUMBER`.
fn find(st: &Store, order_ref: &str) -> Option<(String, String, Decimal)> {
    if let Some(o) = st.threed.orders.get(order_ref) {
        return (o.phase == Phase::Paid).then(|| {
            (
                o.order_ref.clone(),
                o.refno.clone(),
                money::parse(&o.amount, money::COMMA_2).unwrap_or_default(),
            )
        });
    }
    let refno = order_ref.strip_prefix("HOPPA-")?;
    st.links.iter().find_map(|(id, l)| {
        l.payments
            .iter()
            .find(|p| p.refno == refno && p.status.ends_with("Başarılı"))
            .map(|p| {
                (
                    id.clone(),
                    p.refno.clone(),
                    money::parse(&l.amount, money::COMMA_2).unwrap_or_default(),
                )
            })
    })
}

fn return_error(message: &str) -> Value {
    error("100", "ERROR", message)
}

/// `POST /api/services/OrderReturn`: the full amount cancels, less refunds; returns accumulate.
pub(crate) fn order_return(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.return_order";
    let body = req.json().unwrap_or(Value::Null);
    let order_ref = text(&body, "ORDER_REF_NUMBER").unwrap_or_default();
    let reply = |v: Value| {
        let mut a = Answer::new(200, v, OP).order_ref(Some(order_ref.clone()));
        a.redirect_error = Some(return_error("Genel hata"));
        a
    };
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let either = money::Format(money::Sep::Either, money::Places::Any);
    let Some(value) = text(&body, "AMOUNT").and_then(|t| money::positive(t.trim(), either)) else {
        return reply(error("101", "FIELD_ERROR", "AMOUNT alanı geçersiz"));
    };
    let mut st = cx.lock();
    let Some((link_id, _, total)) = find(&st, &order_ref) else {
        return reply(return_error("Sipariş bulunamadı"));
    };
    let id = cx.next_id();
    let cancel = value == total;
    let entry = Return {
        id: (70_000_000 + id).to_string(),
        amount: Some(value),
        cancel,
        reference: None,
    };
    match st.ledger.book(&order_ref, total, entry) {
        Ok(_) => {}
        Err(Refusal::NothingLeft) => {
            return reply(return_error("Bu sipariş daha önce iptal/iade edilmiştir"))
        }
        Err(Refusal::AboveRemaining) => {
            return reply(return_error("İade tutarı, kalan tutardan büyük olamaz"))
        }
    }
    let fault = st.ledger.fault(&link_id);
    drop(st);
    let mut a = reply(json!({
        "RETURN_CODE": "0",
        "RETURN_MESSAGE": if cancel { "İptal - Başarılı" } else { "İade - Başarılı" },
        "STATUS": "SUCCESS", "ORDER_REF_NUMBER": order_ref,
        "REFNO": (70_000_000 + id).to_string(), "TRANSACTION_ID": 80_000_000 + id,
    }));
    a.scenario = fault;
    a
}

/// The `PAYMENT_STATUS` a link payment shows once returned (`İptal - Başarılı` after a cancel,
/// `İade - Başarılı` once fully refunded; a partial refund leaves it paid).
pub(crate) fn status(st: &Store, refno: &str, status: &'static str) -> &'static str {
    let order_ref = order_ref(refno);
    let entries = st.ledger.entries(&order_ref);
    if entries.iter().any(|e| e.cancel) {
        return "İptal - Başarılı";
    }
    match find(st, &order_ref) {
        Some((_, _, total)) if !entries.is_empty() && st.ledger.returned(&order_ref) >= total => {
            "İade - Başarılı"
        }
        _ => status,
    }
}

/// `TRANSACTIONS[]` entries of an order's returns, for `ProcessQuery` (STATUS_ID 5 cancel,
/// 7 refund; amounts with a decimal comma).
pub(crate) fn transactions(st: &Store, order_ref: &str) -> Vec<Value> {
    st.ledger
        .entries(order_ref)
        .iter()
        .map(|e| {
            let (status_id, name) = if e.cancel {
                (status_id::CANCELLED, "İptal - Başarılı")
            } else {
                (status_id::REFUNDED, "İade - Başarılı")
            };
            json!({"TRANSACTION_ID": e.id.parse::<u64>().map(|n| n + 10_000_000).unwrap_or_default(),
                   "STATUS_NAME": name, "STATUS_ID": status_id, "AMOUNT": money::two_places(e.amount, ','),
                   "DATE": "22.11.2026 10:00:00", "PLANNED_TRANSFER_DATE": null,
                   "MERCHANT_AMOUNT_TRANSFER_DETAIL": null, "SUB_MERCHANT_DETAILS": null})
        })
        .collect()
}

/// `POST /api/services/ProcessQuery` for link payments (by their `ORDER_REF_NO`), in the shape
/// of the replies captured from EsnekPOS' test host: the payment (STATUS_ID 3) and its returns.
pub(crate) fn link_process_query(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.process_query";
    let body = req.json().unwrap_or(Value::Null);
    let order_ref = text(&body, "ORDER_REF_NUMBER").unwrap_or_default();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(Some(order_ref.clone()));
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let st = cx.lock();
    let Some((_, refno, total)) = find(&st, &order_ref) else {
        return reply(json!({
            "STATUS": "PROCESS_QUERY", "RETURN_CODE": "400",
            "RETURN_MESSAGE": "Referans numarası bulunamadı (Not.ProcessQuery)",
            "ORDER_REF_NO": null, "SUCCESS_TRANSACTION_ID": 0, "TRANSACTIONS": null,
        }));
    };
    let payment_tx: u64 = refno.parse::<u64>().unwrap_or_default() + 1;
    let mut transactions = vec![json!({
        "TRANSACTION_ID": payment_tx, "STATUS_NAME": "Ödeme - Başarılı", "STATUS_ID": 3,
        "AMOUNT": money::two_places(total, ','), "DATE": "22.11.2026 09:00:05", "PLANNED_TRANSFER_DATE": null,
        "MERCHANT_AMOUNT_TRANSFER_DETAIL": null, "SUB_MERCHANT_DETAILS": null,
    })];
    transactions.extend(self::transactions(&st, &order_ref));
    reply(json!({
        "STATUS": "SUCCESS", "RETURN_CODE": "0", "RETURN_MESSAGE": "SUCCESS",
        "DATE": "22.11.2026 09:00:00", "PAYMENT_DATE": "22.11.2026 09:00:05", "REFNO": refno,
        "AMOUNT": money::two_places(total, ','), "ORDER_REF_NO": order_ref, "INSTALLMENT": "1",
        "COMMISSION": 0, "COMMISSION_RATE": "1,490",
        "SUCCESS_TRANSACTION_ID": payment_tx, "TRANSACTIONS": transactions,
    }))
}
