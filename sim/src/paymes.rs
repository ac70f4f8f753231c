//! Paymes' side: v4.6 and legacy order creation (form-encoded), the status query, and the
//! hosted payment page whose GET completes the payment and returns the signed result fields.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

use crate::credentials::{PAYMES_LEGACY_SECRET, PAYMES_PUBLIC_KEY, PAYMES_SECRET_KEY};
use crate::http::{Answer, Incoming, Scenario};
use crate::Shared;

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
    pub(crate) orders: HashMap<String, Order>,
}

pub(crate) fn hash(parts: &[&str], secret: &str) -> String {
    let mut h = Sha512::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    h.update(secret.as_bytes());
    B64.encode(h.finalize())
}

pub(crate) fn error(message: &str) -> Value {
    json!({"status": "error", "message": message})
}

/// Paymes' answer to credentials it does not accept: HTTP 401 with the framework's own text, in
/// the second error shape (`{"status": false, "error"}`, a captured 401 reply).
pub(crate) fn unauthorized() -> Value {
    json!({"status": false, "error": "This action is unauthorized."})
}

/// An error of `/v4.6/order_cancel`: its document puts the text under `error`.
pub(crate) fn cancel_error(message: &str) -> Value {
    json!({"status": false, "error": message})
}

pub(crate) fn create_order(shared: &Shared, req: &Incoming, legacy: bool) -> Answer {
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
    let two_decimals = price.split_once('.').is_some_and(|(i, f)| {
        !i.is_empty() && f.len() == 2 && (i.to_owned() + f).bytes().all(|b| b.is_ascii_digit())
    });
    if !two_decimals {
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
    let id = shared.next_id();
    let paymes_order_id = format!("5a1e0000-0000-4000-8000-{id:012}");
    let order = Order {
        paymes_order_id: paymes_order_id.clone(),
        order_id: get("orderId").to_owned(),
        price: price.to_owned(),
        currency: get("currency").to_owned(),
        paid: false,
    };
    {
        let mut st = shared.lock();
        st.paymes.orders.insert(paymes_order_id.clone(), order);
        crate::refunds::note_fault(&mut st, "paymes", &paymes_order_id, get("productName"));
    }
    let mut body = json!({
        "status": "return_url", "message": "Redirect 3D",
        "returnUrl": format!("{}/pay/paymes/{paymes_order_id}", shared.base_url),
        "paymesOrderId": paymes_order_id,
    });
    if op == "paymes.create_kiosk_order" {
        body["invoiceCode"] = json!(format!("{:07}", 1_255_403 + id));
    }
    let mut a = reply(200, body);
    a.scenario = scenario;
    a
}

pub(crate) fn notification(o: &Order) -> Value {
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

pub(crate) fn status(shared: &Shared, req: &Incoming) -> Answer {
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
    let st = shared.lock();
    let order = st.paymes.orders.get(&id).cloned();
    match order {
        None => reply(404, error("Sipariş bulunamadı")),
        Some(o) => {
            let mut results = notification(&o);
            if o.paid {
                results["ccFirstSix"] = json!("552879");
                results["ccLastFour"] = json!("0008");
            }
            crate::refunds::paymes_show(&st, &o, &mut results);
            reply(200, json!({"status": true, "results": results}))
        }
    }
}

/// The payer completes the hosted page: the order is paid and the signed result fields (what
/// Paymes posts to the merchant's return URL and webhook) come back as JSON.
pub(crate) fn pay(shared: &Shared, id: &str) -> Answer {
    const OP: &str = "paymes.pay";
    let mut st = shared.lock();
    match st.paymes.orders.get_mut(id) {
        Some(o) => {
            o.paid = true;
            let body = notification(o);
            Answer::new(200, body, OP).order_ref(Some(o.order_id.clone()))
        }
        None => Answer::new(404, error("Sipariş bulunamadı"), OP),
    }
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
