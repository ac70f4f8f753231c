//! Paymago's side: `POST /api/pos/createOrder` (JSON, bearer token) and
//! `POST /api/pos/orderResult?paymentId=&orderId=`; the 3-D Secure page is `GET /pay/paymago/ID`.
//! [`ROUTES`] is every path this module serves.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::cards::{self, Decline};
use crate::credentials::PAYMAGO_TOKEN;
use crate::money;
use crate::wire::{decode_segment, text, Answer, Incoming, Route, Scenario};

type Ctx<'a> = crate::wire::Ctx<'a, Store>;

/// Every path Paymago's side serves.
pub(crate) const ROUTES: &[Route<Store>] = &[
    Route::post("/api/pos/createOrder", create_order),
    Route::post("/api/pos/orderResult", order_result),
    Route::page(&["GET"], "/pay/paymago/", pay),
];

#[derive(Clone, PartialEq, Eq)]
enum Phase {
    Waiting,
    Success,
    Failed(&'static str, &'static str),
}

#[derive(Clone)]
pub(crate) struct Order {
    order_id: String,
    payment_id: String,
    amount: String,
    currency_code: String,
    decline: Option<(&'static str, &'static str)>,
    phase: Phase,
}

#[derive(Default)]
pub(crate) struct Store {
    orders: HashMap<String, Order>,
}

fn create_error(message: &str, code: &str) -> Value {
    json!({"data": null, "success": "false", "message": message, "resultCode": code})
}

fn authorized(req: &Incoming) -> bool {
    req.header("authorization") == Some(&format!("Bearer {PAYMAGO_TOKEN}"))
}

/// A positive amount with two decimals after a dot (`150.00`).
fn dot_amount(t: &str) -> bool {
    money::positive(t, money::DOT_2).is_some()
}

fn create_order(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "paymago.create_order";
    let body = req.json().unwrap_or(Value::Null);
    let order_id = text(&body, "orderId").filter(|s| !s.is_empty());
    let scenario = text(&body, "saleProduct").and_then(|p| Scenario::from_product(&p));
    let reply = |status: u16, v: Value| {
        let mut a = Answer::new(status, v, OP).order_ref(order_id.clone());
        a.redirect_error = Some(create_error("Geçersiz istek", "9999"));
        a
    };
    if !authorized(req) {
        return reply(401, create_error("Unauthorized", "401"));
    }
    for field in [
        "amount",
        "currencyCode",
        "orderId",
        "cardHolderName",
        "cardNumber",
        "expireYear",
        "expireMonth",
        "cvc",
        "saleProduct",
        "saleProductPrice",
        "callbackUrl",
    ] {
        if text(&body, field).is_none_or(|v| v.trim().is_empty()) {
            return reply(
                400,
                create_error(&format!("{field} alanı zorunludur"), "1000"),
            );
        }
    }
    if body
        .get("isSecureTransaction")
        .and_then(Value::as_bool)
        .is_none()
    {
        return reply(
            400,
            create_error("isSecureTransaction alanı zorunludur", "1000"),
        );
    }
    let amount = text(&body, "amount").unwrap_or_default();
    if !dot_amount(&amount) || !text(&body, "saleProductPrice").is_some_and(|p| dot_amount(&p)) {
        return reply(
            400,
            create_error("Tutar formatı geçersiz (örnek: 150.00)", "1001"),
        );
    }
    let currency = text(&body, "currencyCode").unwrap_or_default();
    if !["949", "840", "978", "826"].contains(&currency.as_str()) {
        return reply(400, create_error("Geçersiz para birimi", "1002"));
    }
    let year = text(&body, "expireYear").unwrap_or_default();
    let month = text(&body, "expireMonth").unwrap_or_default();
    if month.len() != 2 || !cards::expiry_ok(&month, &year) {
        return reply(
            400,
            create_error("Son kullanma tarihi formatı geçersiz", "1003"),
        );
    }
    let pan = text(&body, "cardNumber").unwrap_or_default();
    let id = order_id.clone().unwrap_or_default();
    // The bank's decline, in Paymago's words.
    let decline = cards::decline(&pan).map(|d| match d {
        Decline::InsufficientFunds => ("10051", "Yetersiz bakiye"),
        Decline::DoNotHonour => ("10005", "İşlem onaylanmadı"),
        Decline::InvalidCvc => ("10084", "CVC2 hatalı"),
    });
    let payment_id = format!("{:024x}", 0x5555_eeee_0000_0000u64 + cx.next_id());
    {
        let mut st = cx.lock();
        if st.orders.contains_key(&id) {
            drop(st);
            return reply(
                200,
                create_error("Bu orderId ile daha önce işlem yapılmış", "1005"),
            );
        }
        st.orders.insert(
            id.clone(),
            Order {
                order_id: id.clone(),
                payment_id: payment_id.clone(),
                amount,
                currency_code: currency,
                decline,
                phase: Phase::Waiting,
            },
        );
    }
    let url = format!(
        "{}/pay/paymago/{}",
        cx.base_url,
        form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    );
    let (return_type, return_url, payment_data) = if scenario == Some(Scenario::Html) {
        let html = format!(
            "<html><body onload=\"document.forms[0].submit()\"><form method=\"GET\" action=\"{url}\"></form></body></html>"
        );
        ("2", Value::Null, json!(html))
    } else {
        ("1", json!(url), Value::Null)
    };
    let mut a = reply(
        200,
        json!({
            "data": {
                "responseMessage": "(TR) - işlem başarılı - 43061", "orderId": id,
                "returnUrl": return_url, "errorCode": null, "status": "SUCCESS",
                "paymentId": payment_id, "paymentData": payment_data, "returnType": return_type,
            },
            "success": "true", "message": null, "resultCode": "0000",
        }),
    );
    a.scenario = scenario;
    a
}

/// The payer finishes 3-D Secure; the bank's verdict is recorded; the callback fields come back.
fn pay(cx: &Ctx, id: &str) -> Answer {
    const OP: &str = "paymago.pay";
    let id = decode_segment(id);
    let mut st = cx.lock();
    match st.orders.get_mut(&id) {
        Some(o) => {
            o.phase = match o.decline {
                Some((code, msg)) => Phase::Failed(code, msg),
                None => Phase::Success,
            };
            let body = json!({"orderId": o.order_id, "paymentId": o.payment_id});
            Answer::new(200, body, OP).order_ref(Some(id))
        }
        None => Answer::new(404, json!({"error": "order not found"}), OP),
    }
}

fn order_result(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "paymago.order_result";
    let order_id = req.query_param("orderId").unwrap_or_default();
    let payment_id = req.query_param("paymentId").unwrap_or_default();
    let reply =
        |status: u16, v: Value| Answer::new(status, v, OP).order_ref(Some(order_id.clone()));
    if !authorized(req) {
        return reply(
            401,
            json!({"data": null, "errorInfo": "UNAUTHORIZED", "messages": ["Yetkisiz erişim"], "succeeded": false}),
        );
    }
    let order = cx.lock().orders.get(&order_id).cloned();
    let Some(o) = order.filter(|o| o.payment_id == payment_id) else {
        return reply(
            200,
            json!({"data": null, "errorInfo": "ERROR", "messages": ["İşlem Bulunamadı"], "succeeded": false}),
        );
    };
    let data = |status: &str, code: Option<&str>, msg: Option<&str>| {
        json!({"orderId": o.order_id, "paymentId": o.payment_id, "status": status,
               "amount": o.amount, "currencyCode": o.currency_code,
               "errorCode": code, "errorMessage": msg})
    };
    match o.phase {
        Phase::Waiting => reply(
            200,
            json!({"data": data("WAITING", None, None), "errorInfo": null, "messages": ["3D doğrulama bekleniyor"], "succeeded": true}),
        ),
        Phase::Success => reply(
            200,
            json!({"data": data("SUCCESS", None, None), "errorInfo": null, "messages": ["İşlem başarılı"], "succeeded": true}),
        ),
        Phase::Failed(code, msg) => reply(
            200,
            json!({"data": data("FAILED", Some(code), Some(msg)), "errorInfo": "PAYMENT_FAILED", "messages": [msg], "succeeded": false}),
        ),
    }
}
