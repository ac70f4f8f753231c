//! Paymago's side: `POST /api/pos/createOrder` (JSON, bearer token) and
//! `POST /api/pos/orderResult?paymentId=&orderId=`; the 3-D Secure page is `GET /pay/paymago/ID`.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::credentials::PAYMAGO_TOKEN;
use crate::http::{text, Answer, Incoming, Scenario};
use crate::{cards, Shared};

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

fn dot_amount(t: &str) -> bool {
    t.split_once('.').is_some_and(|(i, f)| {
        !i.is_empty() && f.len() == 2 && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
    }) && t != "0.00"
}

pub(crate) fn create_order(shared: &Shared, req: &Incoming) -> Answer {
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
    if year.len() != 4 || month.len() != 2 {
        return reply(
            400,
            create_error("Son kullanma tarihi formatı geçersiz", "1003"),
        );
    }
    let pan = text(&body, "cardNumber").unwrap_or_default();
    let id = order_id.clone().unwrap_or_default();
    let decline = match pan.as_str() {
        cards::INSUFFICIENT_FUNDS => Some(("10051", "Yetersiz bakiye")),
        cards::DO_NOT_HONOUR => Some(("10005", "İşlem onaylanmadı")),
        cards::INVALID_CVC => Some(("10084", "CVC2 hatalı")),
        _ => None,
    };
    let payment_id = format!("{:024x}", 0x5555_eeee_0000_0000u64 + shared.next_id());
    {
        let mut st = shared.lock();
        if st.paymago.orders.contains_key(&id) {
            drop(st);
            return reply(
                200,
                create_error("Bu orderId ile daha önce işlem yapılmış", "1005"),
            );
        }
        st.paymago.orders.insert(
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
        shared.base_url,
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
pub(crate) fn pay(shared: &Shared, id: &str) -> Answer {
    const OP: &str = "paymago.pay";
    let id: String = form_urlencoded::parse(format!("x={id}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let mut st = shared.lock();
    match st.paymago.orders.get_mut(&id) {
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

pub(crate) fn order_result(shared: &Shared, req: &Incoming) -> Answer {
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
    let order = shared.lock().paymago.orders.get(&order_id).cloned();
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
