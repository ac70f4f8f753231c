//! iyzico refunds and cancels, booked in the payment's ledger (`Store::ledger`):
//! `POST /payment/cancel` (the whole payment, what remains of it, once) and
//! `POST /v2/payment/refund` (amount-based, accumulating up to the paid price; v1
//! `/payment/refund` by `paymentTransactionId`), answered in the shapes of iyzico's published
//! examples (`sim/tests/documented/iyzico_cancel.json`, `iyzico_refund_v2.json`; the v2 reply
//! signed over `paymentId:price:currency:conversationId`) and shown by
//! `GET /v2/reporting/payment/details` (`cancels[]`, `itemTransactions[].refunds[]`,
//! `paymentRefundStatus`).
//!
//! Refunding more than remains, or cancelling twice, is iyzico's error; no source publishes
//! those errors, so the codes and texts here are assumptions (UNVERIFIED.md). A payment whose
//! product name is `sim:refund-SCENARIO` gets SCENARIO on these calls (booked first). The request
//! log's `order_ref` of a refund or cancel is the `paymentId` it refunds.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{
    authenticate, failure, number, price, signed_amount, str_field, text, Answer, Ctx, Incoming,
    Payment, Store,
};
use crate::credentials::IYZICO_SECRET_KEY;
use crate::ledger::Return;
use crate::money;
use crate::sign::hmac_hex;
use crate::wire::{iso8601, now_ms};

/// iyzico: a second cancel of one payment (assumed code; none is published).
pub const ALREADY_CANCELLED: &str = "5093";
/// iyzico: a refund above what remains refundable (assumed code; none is published).
pub const OVER_REFUND: &str = "5094";

/// What was paid (what a refund can return), as booked.
fn paid(p: &Payment) -> Decimal {
    price(&p.paid_price).unwrap_or_default()
}

fn answer(op: &'static str, payment_id: Option<String>, v: Value) -> Answer {
    let mut a = Answer::new(200, v, op).order_ref(payment_id);
    a.redirect_error = Some(failure("11", "Geçersiz istek", None, None));
    a
}

/// The payment a refund or cancel names, or iyzico's error.
fn payment(st: &Store, body: &Value, conv: Option<&str>) -> Result<Payment, Value> {
    let Some(id) = str_field(body, "paymentId") else {
        return Err(failure(
            "5002",
            "paymentId gönderilmesi zorunludur",
            None,
            conv,
        ));
    };
    match st.payments.get(&id) {
        Some(p) if p.success => Ok(p.clone()),
        _ => Err(failure("5087", "Ödeme kaydı bulunamadı", None, conv)),
    }
}

/// `POST /payment/cancel`: the whole payment (what remains of it), once.
pub(crate) fn cancel(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.cancel_payment";
    let body = req.json().unwrap_or(Value::Null);
    let payment_ref = str_field(&body, "paymentId");
    let reply = |v: Value| answer(OP, payment_ref.clone(), v);
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let conv = str_field(&body, "conversationId");
    let conv = conv.as_deref();
    if let Some(r) = text(&body, "reason") {
        let known = ["double_payment", "buyer_request", "fraud", "other"];
        if !known.contains(&r.to_ascii_lowercase().as_str()) {
            return reply(failure("11", "Geçersiz istek", None, conv));
        }
    }
    let mut st = cx.lock();
    let p = match payment(&st, &body, conv) {
        Ok(p) => p,
        Err(e) => return reply(e),
    };
    if st.ledger.cancelled(&p.payment_id) {
        return reply(failure(
            ALREADY_CANCELLED,
            "Ödeme daha önce iptal edilmiştir",
            None,
            conv,
        ));
    }
    let whole = Return {
        id: (30_000_000 + cx.next_id()).to_string(),
        amount: None,
        cancel: true,
        reference: conv.map(str::to_owned),
    };
    let remaining = match st.ledger.book(&p.payment_id, paid(&p), whole) {
        Ok(entry) => entry.amount,
        Err(_) => {
            return reply(failure(
                OVER_REFUND,
                "İade edilebilir tutar kalmamıştır",
                None,
                conv,
            ))
        }
    };
    let fault = st.ledger.fault(&p.payment_id);
    drop(st);
    // The published example's shape (sim/tests/documented/iyzico_cancel.json).
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(),
        "conversationId": conv, "paymentId": p.payment_id,
        "price": number(&money::plain(remaining)), "currency": p.currency,
        "authCode": "519468", "hostReference": "sim00007iyzihostrfn",
    }));
    a.scenario = fault;
    a
}

/// `POST /v2/payment/refund`: up to what remains; signed over
/// `paymentId:price:currency:conversationId`.
pub(crate) fn refund(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.refund_payment";
    let mut body = req.json().unwrap_or(Value::Null);
    // v1 (`POST /payment/refund`, the official SDKs' `Refund`): by `paymentTransactionId`, one
    // basket line of the payment.
    let transaction = str_field(&body, "paymentTransactionId");
    if let Some(tx) = &transaction {
        let st = cx.lock();
        let owner = st
            .payments
            .values()
            .find(|p| p.items.iter().any(|(_, t, _)| t == tx))
            .map(|p| p.payment_id.clone());
        drop(st);
        if let (Some(id), Some(o)) = (owner, body.as_object_mut()) {
            o.insert("paymentId".to_owned(), json!(id));
        }
    }
    let payment_ref = str_field(&body, "paymentId");
    let reply = |v: Value| answer(OP, payment_ref.clone(), v);
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let conv = str_field(&body, "conversationId");
    let conv = conv.as_deref();
    let Some(price) = text(&body, "price").and_then(|t| price(&t)) else {
        return reply(failure("5005", "price gönderilmesi zorunludur", None, conv));
    };
    let mut st = cx.lock();
    let p = match payment(&st, &body, conv) {
        Ok(p) => p,
        Err(e) => return reply(e),
    };
    if text(&body, "currency").is_some_and(|c| c != p.currency) {
        return reply(failure("5030", "Geçersiz para birimi", None, conv));
    }
    let partial = Return {
        id: (31_000_000 + cx.next_id()).to_string(),
        amount: Some(price),
        cancel: false,
        reference: conv.map(str::to_owned),
    };
    if st.ledger.book(&p.payment_id, paid(&p), partial).is_err() {
        return reply(failure(
            OVER_REFUND,
            "İade tutarı, iade edilebilir tutardan fazla olamaz",
            None,
            conv,
        ));
    }
    let fault = st.ledger.fault(&p.payment_id);
    drop(st);
    let price_text = money::plain(price);
    let fields = [
        p.payment_id.clone(),
        signed_amount(&price_text),
        p.currency.clone(),
        conv.unwrap_or("").to_owned(),
    ];
    let signature = hmac_hex(IYZICO_SECRET_KEY, fields.join(":").as_bytes());
    // The SDK fixture's shape (sim/tests/documented/iyzico_refund_v2.json).
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(),
        "conversationId": conv, "paymentId": p.payment_id,
        "price": number(&price_text), "currency": p.currency,
        "authCode": "581421", "hostReference": "sim00007iyzihostrfn",
        "refundHostReference": "sim00008iyzihostrfn", "retryable": false,
        "signature": signature,
    }));
    if let Some(tx) = transaction {
        // The v1 reply names the basket line (iyzipay-php `Model/Refund.php`).
        a.body["paymentTransactionId"] = json!(tx);
    }
    a.scenario = fault;
    a
}

/// Show a payment's refunds and cancels in its reporting entry (`report` in the iyzico module):
/// `cancels[]`, `itemTransactions[].refunds[]` (each refund spread over the items in order, up
/// to each item's price; the rest on the last item) and `paymentRefundStatus`.
pub(crate) fn show(st: &Store, p: &Payment, report: &mut Value) {
    let entries = st.ledger.entries(&p.payment_id);
    if entries.is_empty() {
        return;
    }
    let paid = paid(p);
    let mut cancels = Vec::new();
    let item_prices: Vec<Decimal> = p
        .items
        .iter()
        .map(|(_, _, p)| price(p).unwrap_or_default())
        .collect();
    let mut item_refunded = vec![Decimal::ZERO; item_prices.len()];
    let mut item_refunds: Vec<Vec<Value>> = vec![Vec::new(); item_prices.len()];
    for e in entries {
        let common = |price: Decimal| {
            json!({"refundPrice": number(&money::plain(price)), "refundStatus": 2,
                   "isAfterSettlement": 0, "createdDate": iso8601(e.created_ms),
                   "currencyCode": p.currency, "authCode": "581421",
                   "hostReference": "sim00008iyzihostrfn"})
        };
        if e.cancel {
            let mut c = common(e.amount);
            c["refundId"] = number(&e.id);
            c["cancelConversationId"] = json!(e.reference);
            cancels.push(c);
            continue;
        }
        let mut left = e.amount;
        let last = item_prices.len().saturating_sub(1);
        for (i, price) in item_prices.iter().enumerate() {
            if left <= Decimal::ZERO {
                break;
            }
            let room = if i == last {
                left
            } else {
                (*price - item_refunded[i]).max(Decimal::ZERO).min(left)
            };
            if room <= Decimal::ZERO {
                continue;
            }
            item_refunded[i] += room;
            left -= room;
            let mut r = common(room);
            r["refundTxId"] = number(&e.id);
            r["refundConversationId"] = json!(e.reference);
            r["iyziCommissionRateAmount"] = json!(0);
            item_refunds[i].push(r);
        }
    }
    let returned: Decimal = entries.iter().map(|e| e.amount).sum();
    report["paymentRefundStatus"] = json!(if returned >= paid {
        "TOTALLY_REFUNDED"
    } else if entries.iter().any(|e| !e.cancel) {
        "PARTIALLY_REFUNDED"
    } else {
        "NOT_REFUNDED"
    });
    report["cancels"] = Value::Array(cancels);
    if let Some(items) = report
        .get_mut("itemTransactions")
        .and_then(Value::as_array_mut)
    {
        for (item, refunds) in items.iter_mut().zip(item_refunds) {
            item["refunds"] = Value::Array(refunds);
        }
    }
}
