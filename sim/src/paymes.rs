//! Paymes' side: v4.6 and legacy order creation (form-encoded), the status query, the hosted
//! payment page whose GET completes the payment and returns the signed result fields, refunds
//! and cancels (`POST /v4.6/order_cancel`, hash `paymesOrderId + price + secretKey`, shown by
//! `/v4.6/status` as `results.type` `cancelled`, `partially_refunded` or `refunded`), and the
//! webhook delivery. [`ROUTES`] is every path this module serves.
//!
//! Refunding more than remains, or cancelling twice, is Paymes' error; no source publishes those
//! errors (UNVERIFIED.md). A payment whose product name is `sim:refund-SCENARIO` gets SCENARIO on
//! its cancel calls (booked first); their log's `order_ref` is the `paymesOrderId`.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

use crate::credentials::{PAYMES_LEGACY_SECRET, PAYMES_PUBLIC_KEY, PAYMES_SECRET_KEY};
use crate::ledger::{Ledger, Refusal, Return};
use crate::money;
use crate::wire::{form_delivery, Answer, Incoming, Route, Scenario};

type Ctx<'a> = crate::wire::Ctx<'a, Store>;

/// Every path Paymes' side serves.
pub(crate) const ROUTES: &[Route<Store>] = &[
    Route::post("/v4.6/order_create", create_order),
    Route::post("/order_create", create_order_legacy),
    Route::post("/v4.6/status", status),
    Route::post("/v4.6/order_cancel", cancel),
    Route::page(&["GET"], "/pay/paymes/", pay),
];

#[derive(Clone)]
pub(crate) struct Order {
    pub paymes_order_id: String,
    pub order_id: String,
    pub price: String,
    pub currency: String,
    pub paid: bool,
}

#[derive(Default)]
pub(crate) struct Store {
    orders: HashMap<String, Order>,
    /// Refunds and cancels, by paymesOrderId.
    ledger: Ledger,
}

fn hash(parts: &[&str], secret: &str) -> String {
    let mut h = Sha512::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    h.update(secret.as_bytes());
    B64.encode(h.finalize())
}

fn error(message: &str) -> Value {
    json!({"status": "error", "message": message})
}

/// Paymes' answer to credentials it does not accept: HTTP 401 with the framework's own text, in
/// the second error shape (`{"status": false, "error"}`, a captured 401 reply).
fn unauthorized() -> Value {
    json!({"status": false, "error": "This action is unauthorized."})
}

/// An error of `/v4.6/order_cancel`: its document puts the text under `error`.
fn cancel_error(message: &str) -> Value {
    json!({"status": false, "error": message})
}

fn create_order(cx: &Ctx, req: &Incoming) -> Answer {
    create(cx, req, false)
}

fn create_order_legacy(cx: &Ctx, req: &Incoming) -> Answer {
    create(cx, req, true)
}

fn create(cx: &Ctx, req: &Incoming, legacy: bool) -> Answer {
    let op = if legacy {
        "paymes.create_order_legacy"
    } else if req
        .form()
        .iter()
        .any(|(k, v)| k == "create_order_by_kiosk" && v == "true")
    {
        "paymes.create_kiosk_order"
    } else {
        "paymes.create_order"
    };
    let form: HashMap<String, String> = req.form().into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let order_ref = form.get("orderId").cloned();
    let scenario = Scenario::from_product(get("productName"));
    let reply = |status: u16, v: Value| {
        let mut a = Answer::new(status, v, op).order_ref(order_ref.clone());
        a.redirect_error = Some(error("The price field is required."));
        a
    };
    for field in [
        "orderId",
        "price",
        "currency",
        "productName",
        "buyerName",
        "buyerPhone",
        "buyerEmail",
        "buyerAddress",
    ] {
        if get(field).trim().is_empty() {
            return reply(400, error(&format!("The {field} field is required.")));
        }
    }
    if legacy {
        if get("secret") != PAYMES_LEGACY_SECRET {
            return reply(401, unauthorized());
        }
    } else {
        if get("publicKey") != PAYMES_PUBLIC_KEY {
            return reply(401, unauthorized());
        }
        let parts = [
            get("orderId"),
            get("price"),
            get("currency"),
            get("productName"),
            get("buyerName"),
            get("buyerPhone"),
            get("buyerEmail"),
            get("buyerAddress"),
        ];
        if hash(&parts, PAYMES_SECRET_KEY) != get("hash") {
            return reply(401, error("Hash doğrulanamadı"));
        }
    }
    let price = get("price");
    if money::parse(price, money::DOT_2).is_none() {
        return reply(
            400,
            error("The price must be a number with two decimals, e.g. 10.00."),
        );
    }
    let allowed: &[&str] = if legacy {
        &["TRY"]
    } else {
        &["TRY", "USD", "EUR"]
    };
    if !allowed.contains(&get("currency")) {
        return reply(400, error("The selected currency is invalid."));
    }
    if !get("buyerEmail").contains('@') {
        return reply(400, error("The buyer email must be a valid email address."));
    }
    let id = cx.next_id();
    let paymes_order_id = format!("5a1e0000-0000-4000-8000-{id:012}");
    let order = Order {
        paymes_order_id: paymes_order_id.clone(),
        order_id: get("orderId").to_owned(),
        price: price.to_owned(),
        currency: get("currency").to_owned(),
        paid: false,
    };
    {
        let mut st = cx.lock();
        st.orders.insert(paymes_order_id.clone(), order);
        st.ledger.note_fault(&paymes_order_id, get("productName"));
    }
    let mut body = json!({
        "status": "return_url", "message": "Redirect 3D",
        "returnUrl": format!("{}/pay/paymes/{paymes_order_id}", cx.base_url),
        "paymesOrderId": paymes_order_id,
    });
    if op == "paymes.create_kiosk_order" {
        body["invoiceCode"] = json!(format!("{:07}", 1_255_403 + id));
    }
    let mut a = reply(200, body);
    a.scenario = scenario;
    a
}

fn notification(o: &Order) -> Value {
    let (kind, message) = if o.paid {
        ("success", "Ödeme Başarılı")
    } else {
        ("pending", "Ödeme bekleniyor")
    };
    let h = hash(
        &[
            &o.paymes_order_id,
            &o.order_id,
            kind,
            message,
            &o.price,
            &o.currency,
        ],
        PAYMES_SECRET_KEY,
    );
    json!({
        "paymesOrderId": o.paymes_order_id, "orderId": o.order_id, "type": kind,
        "message": message, "price": o.price, "currency": o.currency, "hash": h,
    })
}

fn status(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "paymes.query_order";
    let form: HashMap<String, String> = req.form().into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let id = get("paymesOrderId").to_owned();
    let reply = |status: u16, v: Value| Answer::new(status, v, OP).order_ref(Some(id.clone()));
    if id.is_empty() {
        return reply(400, error("The paymesOrderId field is required."));
    }
    if get("publicKey") != PAYMES_PUBLIC_KEY {
        return reply(401, unauthorized());
    }
    if hash(&[&id], PAYMES_SECRET_KEY) != get("hash") {
        return reply(401, error("Hash doğrulanamadı"));
    }
    let st = cx.lock();
    let order = st.orders.get(&id).cloned();
    match order {
        None => reply(404, error("Sipariş bulunamadı")),
        Some(o) => {
            let mut results = notification(&o);
            if o.paid {
                results["ccFirstSix"] = json!("552879");
                results["ccLastFour"] = json!("0008");
            }
            show(&st, &o, &mut results);
            reply(200, json!({"status": true, "results": results}))
        }
    }
}

/// The payer completes the hosted page: the order is paid and the signed result fields (what
/// Paymes posts to the merchant's return URL and webhook) come back as JSON.
fn pay(cx: &Ctx, id: &str) -> Answer {
    const OP: &str = "paymes.pay";
    let mut st = cx.lock();
    match st.orders.get_mut(id) {
        Some(o) => {
            o.paid = true;
            let body = notification(o);
            Answer::new(200, body, OP).order_ref(Some(o.order_id.clone()))
        }
        None => Answer::new(404, error("Sipariş bulunamadı"), OP),
    }
}

/// An order's amount (checked when it was created).
fn total(order: &Order) -> Decimal {
    money::parse(&order.price, money::DOT_2).unwrap_or_default()
}

/// `POST /v4.6/order_cancel` (form: `publicKey, paymesOrderId, price, hash`).
fn cancel(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "paymes.cancel_order";
    let form: HashMap<String, String> = req.form().into_iter().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let id = get("paymesOrderId").to_owned();
    let reply = |status: u16, v: Value| {
        let mut a = Answer::new(status, v, OP).order_ref(Some(id.clone()));
        a.redirect_error = Some(error("The price field is required."));
        a
    };
    for field in ["paymesOrderId", "price"] {
        if get(field).trim().is_empty() {
            return reply(400, error(&format!("The {field} field is required.")));
        }
    }
    if get("publicKey") != PAYMES_PUBLIC_KEY {
        return reply(401, unauthorized());
    }
    if hash(&[&id, get("price")], PAYMES_SECRET_KEY) != get("hash") {
        return reply(401, cancel_error("Hash doğrulanamadı"));
    }
    let Some(price) = money::positive(get("price").trim(), money::DOT) else {
        return reply(
            400,
            cancel_error("The price must be a number with two decimals, e.g. 10.00."),
        );
    };
    let mut st = cx.lock();
    let Some(order) = st.orders.get(&id).cloned() else {
        return reply(404, cancel_error("Sipariş bulunamadı"));
    };
    if !order.paid {
        return reply(400, cancel_error("Ödenmemiş sipariş iptal edilemez"));
    }
    let total = total(&order);
    let entry = Return {
        id: cx.next_id().to_string(),
        amount: Some(price),
        cancel: price == total,
        reference: None,
    };
    match st.ledger.book(&id, total, entry) {
        Ok(_) => {}
        Err(Refusal::NothingLeft) => {
            return reply(400, cancel_error("Sipariş daha önce iptal edilmiştir"))
        }
        Err(Refusal::AboveRemaining) => {
            return reply(
                400,
                cancel_error("İade tutarı, kalan tutardan büyük olamaz"),
            )
        }
    }
    let fault = st.ledger.fault(&id);
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
fn show(st: &Store, order: &Order, results: &mut Value) {
    let entries = st.ledger.entries(&order.paymes_order_id);
    if entries.is_empty() {
        return;
    }
    let total = total(order);
    let returned: Decimal = entries.iter().map(|e| e.amount).sum();
    results["type"] = json!(if entries.iter().any(|e| e.cancel) {
        "cancelled"
    } else if returned >= total {
        "refunded"
    } else {
        "partially_refunded"
    });
    results["refundedPrice"] = json!(money::two_places(returned, '.'));
}

/// `GET /__sim/webhook/paymes/ID` (ID: `paymesOrderId` or the merchant's `orderId`): the signed
/// notification fields, form-encoded, as the hosted page's result, paying the order first.
pub(crate) fn webhook(cx: &Ctx, id: &str) -> Option<Value> {
    let mut st = cx.lock();
    let key = if st.orders.contains_key(id) {
        id.to_owned()
    } else {
        st.orders
            .values()
            .find(|o| o.order_id == id)?
            .paymes_order_id
            .clone()
    };
    let order = st.orders.get_mut(&key)?;
    order.paid = true;
    let fields = notification(order);
    drop(st);
    let Value::Object(m) = &fields else {
        return None;
    };
    Some(form_delivery(m.iter().map(|(k, v)| {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        (k.as_str(), text)
    })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn seed_vector() {
        let parts = [
            "123456789",
            "1050",
            "TRY",
            "Ürün İsmi",
            "Mehmet Yılmaz",
            "05555555555",
            "email@example.com",
            "Örnek adres bilgisi",
        ];
        assert_eq!(
            super::hash(&parts, "111111111"),
            "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g=="
        );
    }
}
