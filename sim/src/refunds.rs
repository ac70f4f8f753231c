//! Refunds and cancels, booked against the payments the other modules keep:
//!
//! * iyzico `POST /payment/cancel` (the whole payment, once) and `POST /v2/payment/refund`
//!   (amount-based, accumulating up to the paid price), answered in the shapes of iyzico's
//!   published examples (`sim/tests/documented/iyzico_cancel.json`, `iyzico_refund_v2.json`; the
//!   v2 reply signed over `paymentId:price:currency:conversationId`) and shown by
//!   `GET /v2/reporting/payment/details` (`cancels[]`, `itemTransactions[].refunds[]`,
//!   `paymentRefundStatus`);
//! * Paymes `POST /v4.6/order_cancel` (hash `paymesOrderId + price + secretKey`), shown by
//!   `/v4.6/status` as `results.type` `cancelled`, `partially_refunded` or `refunded`;
//! * EsnekPOS `POST /api/services/OrderReturn` by the `ORDER_REF_NO` of a paid link payment (the
//!   full amount cancels, less refunds), shown by `SendPaymentRequestQuery` and `ProcessQuery`.
//!
//! Refunding more than remains, or cancelling twice, is the provider's error. No provider
//! publishes those errors, so the codes and texts here are assumptions (UNVERIFIED.md).
//!
//! Faults: a payment whose product name is `sim:refund-SCENARIO` (`sim:refund-drop`,
//! `sim:refund-delay`, ...) gets SCENARIO on its refund and cancel calls instead of on its
//! creation; as with every fault, the refund is booked before the reply is lost. The request
//! log's `order_ref` of a refund or cancel is the payment it refunds (iyzico `paymentId`, Paymes
//! `paymesOrderId`, EsnekPOS `ORDER_REF_NUMBER`).

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::credentials::{IYZICO_SECRET_KEY, PAYMES_PUBLIC_KEY, PAYMES_SECRET_KEY};
use crate::http::{text, Answer, Incoming, Scenario};
use crate::{esnekpos, iyzico, paymes, Shared, State};

/// iyzico: a second cancel of one payment (assumed code; none is published).
pub const IYZICO_ALREADY_CANCELLED: &str = "5093";
/// iyzico: a refund above what remains refundable (assumed code; none is published).
pub const IYZICO_OVER_REFUND: &str = "5094";

/// One refund or cancel.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub id: String,
    pub amount: Decimal,
    pub cancel: bool,
    pub conversation_id: Option<String>,
    pub created_ms: u64,
}

#[derive(Default)]
pub(crate) struct Store {
    /// `provider:key` (iyzico paymentId, Paymes paymesOrderId, EsnekPOS link id) → fault.
    faults: HashMap<String, Scenario>,
    /// `provider:payment` → its refunds and cancels, oldest first.
    booked: HashMap<String, Vec<Entry>>,
}

impl Store {
    fn entries(&self, provider: &str, key: &str) -> &[Entry] {
        self.booked
            .get(&format!("{provider}:{key}"))
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
    fn returned(&self, provider: &str, key: &str) -> Decimal {
        self.entries(provider, key).iter().map(|e| e.amount).sum()
    }
    fn cancelled(&self, provider: &str, key: &str) -> bool {
        self.entries(provider, key).iter().any(|e| e.cancel)
    }
    fn book(&mut self, provider: &str, key: &str, entry: Entry) {
        self.booked
            .entry(format!("{provider}:{key}"))
            .or_default()
            .push(entry);
    }
    fn fault(&self, provider: &str, key: &str) -> Option<Scenario> {
        self.faults.get(&format!("{provider}:{key}")).copied()
    }
}

/// `sim:refund-SCENARIO` → SCENARIO.
pub(crate) fn refund_fault(product: &str) -> Option<Scenario> {
    let s = product.trim().strip_prefix("sim:refund-")?;
    Scenario::from_product(&format!("sim:{s}"))
}

/// Remember the refund fault a payment's product name carries (called when it is booked), and
/// for iyzico its capture fault (`sim:capture-SCENARIO`).
pub(crate) fn note_fault(st: &mut State, provider: &str, key: &str, product: &str) {
    if let Some(s) = refund_fault(product) {
        st.refunds.faults.insert(format!("{provider}:{key}"), s);
    }
    if let Some(s) = product
        .trim()
        .strip_prefix("sim:capture-")
        .and_then(|s| Scenario::from_product(&format!("sim:{s}")))
    {
        st.refunds
            .faults
            .insert(format!("{provider}-capture:{key}"), s);
    }
}

/// The fault `sim:capture-SCENARIO` put on an iyzico payment's capture.
pub(crate) fn capture_fault(st: &State, payment_id: &str) -> Option<Scenario> {
    st.refunds.fault("iyzico-capture", payment_id)
}

/// Whether an iyzico payment was cancelled (an authorization released).
pub(crate) fn iyzico_cancelled(st: &State, payment_id: &str) -> bool {
    st.refunds.cancelled("iyzico", payment_id)
}

/// A decimal amount as the providers send it: `1`, `1.5`, `"1.50"`, or Hoppa's `"1,50"`.
fn amount(t: &str) -> Option<Decimal> {
    let t = t.trim().replace(',', ".");
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Decimal::from_str(&t).ok().filter(|d| *d > Decimal::ZERO)
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

fn comma(d: Decimal) -> String {
    let mut d = d;
    d.rescale(2);
    d.to_string().replace('.', ",")
}

// ---- iyzico ----------------------------------------------------------------------------------

fn iyzico_reply(op: &'static str, payment_id: Option<String>, v: Value) -> Answer {
    let mut a = Answer::new(200, v, op).order_ref(payment_id);
    a.redirect_error = Some(iyzico::failure("11", "Geçersiz istek", None, None));
    a
}

/// The payment a refund or cancel names, or iyzico's error.
fn iyzico_payment(st: &State, body: &Value, conv: Option<&str>) -> Result<iyzico::Payment, Value> {
    let Some(id) = iyzico::str_field(body, "paymentId") else {
        return Err(iyzico::failure(
            "5002",
            "paymentId gönderilmesi zorunludur",
            None,
            conv,
        ));
    };
    match st.iyzico.payments.get(&id) {
        Some(p) if p.success => Ok(p.clone()),
        _ => Err(iyzico::failure(
            "5087",
            "Ödeme kaydı bulunamadı",
            None,
            conv,
        )),
    }
}

/// `POST /payment/cancel`: the whole payment (what remains of it), once.
pub(crate) fn iyzico_cancel(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.cancel_payment";
    let body = req.json().unwrap_or(Value::Null);
    let payment_ref = iyzico::str_field(&body, "paymentId");
    let reply = |v: Value| iyzico_reply(OP, payment_ref.clone(), v);
    if let Err(e) = iyzico::authenticate(req) {
        return reply(e);
    }
    let conv = iyzico::str_field(&body, "conversationId");
    let conv = conv.as_deref();
    if let Some(r) = text(&body, "reason") {
        let known = ["double_payment", "buyer_request", "fraud", "other"];
        if !known.contains(&r.to_ascii_lowercase().as_str()) {
            return reply(iyzico::failure("11", "Geçersiz istek", None, conv));
        }
    }
    let mut st = shared.lock();
    let p = match iyzico_payment(&st, &body, conv) {
        Ok(p) => p,
        Err(e) => return reply(e),
    };
    if st.refunds.cancelled("iyzico", &p.payment_id) {
        return reply(iyzico::failure(
            IYZICO_ALREADY_CANCELLED,
            "Ödeme daha önce iptal edilmiştir",
            None,
            conv,
        ));
    }
    let paid = Decimal::from_str(&p.paid_price).unwrap_or_default();
    let remaining = paid - st.refunds.returned("iyzico", &p.payment_id);
    if remaining <= Decimal::ZERO {
        return reply(iyzico::failure(
            IYZICO_OVER_REFUND,
            "İade edilebilir tutar kalmamıştır",
            None,
            conv,
        ));
    }
    let id = (30_000_000 + shared.next_id()).to_string();
    st.refunds.book(
        "iyzico",
        &p.payment_id,
        Entry {
            id,
            amount: remaining,
            cancel: true,
            conversation_id: conv.map(str::to_owned),
            created_ms: iyzico::now_ms(),
        },
    );
    let fault = st.refunds.fault("iyzico", &p.payment_id);
    drop(st);
    // The published example's shape (sim/tests/documented/iyzico_cancel.json).
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": iyzico::now_ms(),
        "conversationId": conv, "paymentId": p.payment_id,
        "price": iyzico::number(&plain(remaining)), "currency": p.currency,
        "authCode": "519468", "hostReference": "sim00007iyzihostrfn",
    }));
    a.scenario = fault;
    a
}

/// `POST /v2/payment/refund`: up to what remains; signed over
/// `paymentId:price:currency:conversationId`.
pub(crate) fn iyzico_refund(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.refund_payment";
    let mut body = req.json().unwrap_or(Value::Null);
    // v1 (`POST /payment/refund`, the official SDKs' `Refund`): by `paymentTransactionId`, one
    // basket line of the payment.
    let transaction = iyzico::str_field(&body, "paymentTransactionId");
    if let Some(tx) = &transaction {
        let st = shared.lock();
        let owner = st
            .iyzico
            .payments
            .values()
            .find(|p| p.items.iter().any(|(_, t, _)| t == tx))
            .map(|p| p.payment_id.clone());
        drop(st);
        if let (Some(id), Some(o)) = (owner, body.as_object_mut()) {
            o.insert("paymentId".to_owned(), json!(id));
        }
    }
    let payment_ref = iyzico::str_field(&body, "paymentId");
    let reply = |v: Value| iyzico_reply(OP, payment_ref.clone(), v);
    if let Err(e) = iyzico::authenticate(req) {
        return reply(e);
    }
    let conv = iyzico::str_field(&body, "conversationId");
    let conv = conv.as_deref();
    let Some(price) = text(&body, "price")
        .filter(|t| !t.contains(','))
        .and_then(|t| amount(&t))
    else {
        return reply(iyzico::failure(
            "5005",
            "price gönderilmesi zorunludur",
            None,
            conv,
        ));
    };
    let mut st = shared.lock();
    let p = match iyzico_payment(&st, &body, conv) {
        Ok(p) => p,
        Err(e) => return reply(e),
    };
    if text(&body, "currency").is_some_and(|c| c != p.currency) {
        return reply(iyzico::failure("5030", "Geçersiz para birimi", None, conv));
    }
    let paid = Decimal::from_str(&p.paid_price).unwrap_or_default();
    let remaining = if st.refunds.cancelled("iyzico", &p.payment_id) {
        Decimal::ZERO
    } else {
        paid - st.refunds.returned("iyzico", &p.payment_id)
    };
    if price > remaining {
        return reply(iyzico::failure(
            IYZICO_OVER_REFUND,
            "İade tutarı, iade edilebilir tutardan fazla olamaz",
            None,
            conv,
        ));
    }
    let id = (31_000_000 + shared.next_id()).to_string();
    st.refunds.book(
        "iyzico",
        &p.payment_id,
        Entry {
            id,
            amount: price,
            cancel: false,
            conversation_id: conv.map(str::to_owned),
            created_ms: iyzico::now_ms(),
        },
    );
    let fault = st.refunds.fault("iyzico", &p.payment_id);
    drop(st);
    let price_text = plain(price);
    let fields = [
        p.payment_id.clone(),
        iyzico::signed_amount(&price_text),
        p.currency.clone(),
        conv.unwrap_or("").to_owned(),
    ];
    let signature = iyzico::hmac_hex(IYZICO_SECRET_KEY, fields.join(":").as_bytes());
    // The SDK fixture's shape (sim/tests/documented/iyzico_refund_v2.json).
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": iyzico::now_ms(),
        "conversationId": conv, "paymentId": p.payment_id,
        "price": iyzico::number(&price_text), "currency": p.currency,
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

/// Show a payment's refunds and cancels in its reporting entry (`report` in iyzico.rs):
/// `cancels[]`, `itemTransactions[].refunds[]` (each refund spread over the items in order, up
/// to each item's price; the rest on the last item) and `paymentRefundStatus`.
pub(crate) fn iyzico_show(st: &State, p: &iyzico::Payment, report: &mut Value) {
    let entries = st.refunds.entries("iyzico", &p.payment_id);
    if entries.is_empty() {
        return;
    }
    let paid = Decimal::from_str(&p.paid_price).unwrap_or_default();
    let mut cancels = Vec::new();
    let item_prices: Vec<Decimal> = p
        .items
        .iter()
        .map(|(_, _, price)| Decimal::from_str(price).unwrap_or_default())
        .collect();
    let mut item_refunded = vec![Decimal::ZERO; item_prices.len()];
    let mut item_refunds: Vec<Vec<Value>> = vec![Vec::new(); item_prices.len()];
    for e in entries {
        let common = |price: Decimal| {
            json!({"refundPrice": iyzico::number(&plain(price)), "refundStatus": 2,
                   "isAfterSettlement": 0, "createdDate": iyzico::iso8601(e.created_ms),
                   "currencyCode": p.currency, "authCode": "581421",
                   "hostReference": "sim00008iyzihostrfn"})
        };
        if e.cancel {
            let mut c = common(e.amount);
            c["refundId"] = iyzico::number(&e.id);
            c["cancelConversationId"] = json!(e.conversation_id);
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
            r["refundTxId"] = iyzico::number(&e.id);
            r["refundConversationId"] = json!(e.conversation_id);
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

// ---- Paymes ----------------------------------------------------------------------------------

/// `POST /v4.6/order_cancel` (form: `publicKey, paymesOrderId, price, hash`).
pub(crate) fn paymes_cancel(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "paymes.cancel_order";
    let form: HashMap<String, String> = req.form().into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let id = get("paymesOrderId").to_owned();
    let reply = |status: u16, v: Value| {
        let mut a = Answer::new(status, v, OP).order_ref(Some(id.clone()));
        a.redirect_error = Some(paymes::error("The price field is required."));
        a
    };
    for field in ["paymesOrderId", "price"] {
        if get(field).trim().is_empty() {
            return reply(
                400,
                paymes::error(&format!("The {field} field is required.")),
            );
        }
    }
    if get("publicKey") != PAYMES_PUBLIC_KEY {
        return reply(401, paymes::unauthorized());
    }
    if paymes::hash(&[&id, get("price")], PAYMES_SECRET_KEY) != get("hash") {
        return reply(401, paymes::cancel_error("Hash doğrulanamadı"));
    }
    let Some(price) = amount(get("price")).filter(|_| !get("price").contains(',')) else {
        return reply(
            400,
            paymes::cancel_error("The price must be a number with two decimals, e.g. 10.00."),
        );
    };
    let mut st = shared.lock();
    let Some(order) = st.paymes.orders.get(&id).cloned() else {
        return reply(404, paymes::cancel_error("Sipariş bulunamadı"));
    };
    if !order.paid {
        return reply(
            400,
            paymes::cancel_error("Ödenmemiş sipariş iptal edilemez"),
        );
    }
    let total = amount(&order.price).unwrap_or_default();
    let remaining = total - st.refunds.returned("paymes", &id);
    if remaining <= Decimal::ZERO {
        return reply(
            400,
            paymes::cancel_error("Sipariş daha önce iptal edilmiştir"),
        );
    }
    if price > remaining {
        return reply(
            400,
            paymes::cancel_error("İade tutarı, kalan tutardan büyük olamaz"),
        );
    }
    let entry = Entry {
        id: shared.next_id().to_string(),
        amount: price,
        cancel: price == total,
        conversation_id: None,
        created_ms: iyzico::now_ms(),
    };
    st.refunds.book("paymes", &id, entry);
    let fault = st.refunds.fault("paymes", &id);
    drop(st);
    // The documented reply (EN page): {"status": true, "message": "İptal işlemi başarılı!"}.
    let mut a = reply(
        200,
        json!({"status": true, "message": "İptal işlemi başarılı!"}),
    );
    a.scenario = fault;
    a
}

/// The state `/v4.6/status` reports once money went back (`results.type`).
pub(crate) fn paymes_show(st: &State, order: &paymes::Order, results: &mut Value) {
    let entries = st.refunds.entries("paymes", &order.paymes_order_id);
    if entries.is_empty() {
        return;
    }
    let total = amount(&order.price).unwrap_or_default();
    let returned: Decimal = entries.iter().map(|e| e.amount).sum();
    results["type"] = json!(if entries.iter().any(|e| e.cancel) {
        "cancelled"
    } else if returned >= total {
        "refunded"
    } else {
        "partially_refunded"
    });
    results["refundedPrice"] = json!(format!("{:.2}", returned));
}

// ---- EsnekPOS --------------------------------------------------------------------------------

/// The `ORDER_REF_NO` of a link payment (its REFNO, prefixed).
pub(crate) fn esnekpos_order_ref(refno: &str) -> String {
    format!("HOPPA-{refno}")
}

/// The link (or 3-D order) and amount of the paid payment `order_ref`: a link payment's
/// `ORDER_REF_NO` or a paid EYV3DPay order's `ORDER_REF_NUMBER`.
fn esnekpos_find(st: &State, order_ref: &str) -> Option<(String, String, Decimal)> {
    if let Some(o) = st.esnekpos.threed.orders.get(order_ref) {
        return (o.phase == esnekpos::threed::Phase::Paid).then(|| {
            (
                o.order_ref.clone(),
                o.refno.clone(),
                amount(&o.amount).unwrap_or_default(),
            )
        });
    }
    let refno = order_ref.strip_prefix("HOPPA-")?;
    st.esnekpos.links.iter().find_map(|(id, l)| {
        l.payments
            .iter()
            .find(|p| p.refno == refno && p.status.ends_with("Başarılı"))
            .map(|p| {
                (
                    id.clone(),
                    p.refno.clone(),
                    amount(&l.amount).unwrap_or_default(),
                )
            })
    })
}

fn esnekpos_error(message: &str) -> Value {
    esnekpos::error("100", "ERROR", message)
}

/// `POST /api/services/OrderReturn`: the full amount cancels, less refunds; returns accumulate.
pub(crate) fn esnekpos_return(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.return_order";
    let body = req.json().unwrap_or(Value::Null);
    let order_ref = text(&body, "ORDER_REF_NUMBER").unwrap_or_default();
    let reply = |v: Value| {
        let mut a = Answer::new(200, v, OP).order_ref(Some(order_ref.clone()));
        a.redirect_error = Some(esnekpos_error("Genel hata"));
        a
    };
    if let Err(e) = esnekpos::authenticate(&body) {
        return reply(e);
    }
    let Some(value) = text(&body, "AMOUNT").and_then(|t| amount(&t)) else {
        return reply(esnekpos::error(
            "101",
            "FIELD_ERROR",
            "AMOUNT alanı geçersiz",
        ));
    };
    let mut st = shared.lock();
    let Some((link_id, _, total)) = esnekpos_find(&st, &order_ref) else {
        return reply(esnekpos_error("Sipariş bulunamadı"));
    };
    let remaining = total - st.refunds.returned("esnekpos", &order_ref);
    if remaining <= Decimal::ZERO {
        return reply(esnekpos_error("Bu sipariş daha önce iptal/iade edilmiştir"));
    }
    if value > remaining {
        return reply(esnekpos_error("İade tutarı, kalan tutardan büyük olamaz"));
    }
    let id = shared.next_id();
    let cancel = value == total;
    st.refunds.book(
        "esnekpos",
        &order_ref,
        Entry {
            id: (70_000_000 + id).to_string(),
            amount: value,
            cancel,
            conversation_id: None,
            created_ms: iyzico::now_ms(),
        },
    );
    let fault = st.refunds.fault("esnekpos", &link_id);
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
pub(crate) fn esnekpos_status(st: &State, refno: &str, status: &'static str) -> &'static str {
    let order_ref = esnekpos_order_ref(refno);
    let entries = st.refunds.entries("esnekpos", &order_ref);
    if entries.iter().any(|e| e.cancel) {
        return "İptal - Başarılı";
    }
    match esnekpos_find(st, &order_ref) {
        Some((_, _, total))
            if !entries.is_empty() && st.refunds.returned("esnekpos", &order_ref) >= total =>
        {
            "İade - Başarılı"
        }
        _ => status,
    }
}

/// `TRANSACTIONS[]` entries of an order's returns, for `ProcessQuery` (STATUS_ID 5 cancel,
/// 7 refund; amounts with a decimal comma).
pub(crate) fn esnekpos_transactions(st: &State, order_ref: &str) -> Vec<Value> {
    st.refunds
        .entries("esnekpos", order_ref)
        .iter()
        .map(|e| {
            let (status_id, name) = if e.cancel {
                (5, "İptal - Başarılı")
            } else {
                (7, "İade - Başarılı")
            };
            json!({"TRANSACTION_ID": e.id.parse::<u64>().map(|n| n + 10_000_000).unwrap_or_default(),
                   "STATUS_NAME": name, "STATUS_ID": status_id, "AMOUNT": comma(e.amount),
                   "DATE": "22.11.2026 10:00:00", "PLANNED_TRANSFER_DATE": null,
                   "MERCHANT_AMOUNT_TRANSFER_DETAIL": null, "SUB_MERCHANT_DETAILS": null})
        })
        .collect()
}

/// `POST /api/services/ProcessQuery` for link payments (by their `ORDER_REF_NO`), in the shape
/// of the replies captured from EsnekPOS' test host: the payment (STATUS_ID 3) and its returns.
pub(crate) fn esnekpos_process_query(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.process_query";
    let body = req.json().unwrap_or(Value::Null);
    let order_ref = text(&body, "ORDER_REF_NUMBER").unwrap_or_default();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(Some(order_ref.clone()));
    if let Err(e) = esnekpos::authenticate(&body) {
        return reply(e);
    }
    let st = shared.lock();
    let Some((_, refno, total)) = esnekpos_find(&st, &order_ref) else {
        return reply(json!({
            "STATUS": "PROCESS_QUERY", "RETURN_CODE": "400",
            "RETURN_MESSAGE": "Referans numarası bulunamadı (Not.ProcessQuery)",
            "ORDER_REF_NO": null, "SUCCESS_TRANSACTION_ID": 0, "TRANSACTIONS": null,
        }));
    };
    let payment_tx: u64 = refno.parse::<u64>().unwrap_or_default() + 1;
    let mut transactions = vec![json!({
        "TRANSACTION_ID": payment_tx, "STATUS_NAME": "Ödeme - Başarılı", "STATUS_ID": 3,
        "AMOUNT": comma(total), "DATE": "22.11.2026 09:00:05", "PLANNED_TRANSFER_DATE": null,
        "MERCHANT_AMOUNT_TRANSFER_DETAIL": null, "SUB_MERCHANT_DETAILS": null,
    })];
    transactions.extend(esnekpos_transactions(&st, &order_ref));
    reply(json!({
        "STATUS": "SUCCESS", "RETURN_CODE": "0", "RETURN_MESSAGE": "SUCCESS",
        "DATE": "22.11.2026 09:00:00", "PAYMENT_DATE": "22.11.2026 09:00:05", "REFNO": refno,
        "AMOUNT": comma(total), "ORDER_REF_NO": order_ref, "INSTALLMENT": "1",
        "COMMISSION": 0, "COMMISSION_RATE": "1,490",
        "SUCCESS_TRANSACTION_ID": payment_tx, "TRANSACTIONS": transactions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refund_faults_from_product_names() {
        assert_eq!(refund_fault("sim:refund-drop"), Some(Scenario::Drop));
        assert_eq!(refund_fault("sim:refund-delay"), Some(Scenario::Delay));
        assert_eq!(refund_fault("sim:drop"), None);
        assert_eq!(Scenario::from_product("sim:refund-drop"), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(amount("10,56"), Some(Decimal::from_str("10.56").unwrap()));
        assert_eq!(amount("0"), None);
        assert_eq!(amount("-1"), None);
        assert_eq!(comma(Decimal::from(5)), "5,00");
    }
}
