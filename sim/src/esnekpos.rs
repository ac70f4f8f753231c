//! EsnekPOS (Hoppa) side: `SendPaymentRequest` and `SendPaymentRequestQuery`, credentials in the
//! JSON body; the link page `GET /pay/esnekpos/ID` records a successful payment.

pub(crate) mod threed;

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::credentials::{ESNEKPOS_MERCHANT, ESNEKPOS_MERCHANT_KEY};
use crate::http::{text, Answer, Incoming, Scenario};
use crate::Shared;

#[derive(Clone)]
pub(crate) struct Link {
    amount: String,
    payments: Vec<(String, &'static str)>, // (REFNO, PAYMENT_STATUS)
}

#[derive(Default)]
pub(crate) struct Store {
    links: HashMap<String, Link>,
    /// EYV3DPay orders (3-D card payments), by ORDER_REF_NUMBER.
    pub threed: threed::Store,
}

fn error(code: &str, status: &str, message: &str) -> Value {
    json!({"RETURN_CODE": code, "STATUS": status, "RETURN_MESSAGE": message, "RETURN_MESSAGE_TR": message})
}

fn authenticate(body: &Value) -> Result<(), Value> {
    if text(body, "MERCHANT").as_deref() == Some(ESNEKPOS_MERCHANT)
        && text(body, "MERCHANT_KEY").as_deref() == Some(ESNEKPOS_MERCHANT_KEY)
    {
        Ok(())
    } else {
        Err(error(
            "102",
            "AUTHENTICATION_ERROR",
            "Üye işyeri bilgileri doğrulanamadı",
        ))
    }
}

/// Hoppa amounts: digits, a comma and two decimals (`10,56`).
fn comma_amount(t: &str) -> bool {
    t.split_once(',').is_some_and(|(i, f)| {
        !i.is_empty() && f.len() == 2 && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
    }) && t != "0,00"
}

pub(crate) fn send_payment_request(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.send_payment_request";
    let body = req.json().unwrap_or(Value::Null);
    let scenario = text(&body, "PRODUCT").and_then(|p| Scenario::from_product(&p));
    let reply = |v: Value| {
        let mut a = Answer::new(200, v, OP);
        a.redirect_error = Some(error("100", "ERROR", "Genel hata"));
        a
    };
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let field_error = |m: &str| reply(error("101", "FIELD_ERROR", m));
    let amount = text(&body, "AMOUNT").unwrap_or_default();
    if !comma_amount(&amount) {
        return field_error("AMOUNT alanı geçersiz (örnek: 10,56)");
    }
    if !body.get("INSTALLMENT").is_some_and(Value::is_number) {
        return field_error("INSTALLMENT alanı zorunludur");
    }
    let phone = text(&body, "PHONE_NUMBER").unwrap_or_default();
    if phone.len() < 10 || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return field_error("PHONE_NUMBER alanı geçersiz");
    }
    if !text(&body, "MAIL").is_some_and(|m| m.contains('@')) {
        return field_error("MAIL alanı geçersiz");
    }
    if !matches!(text(&body, "TYPE").as_deref(), Some("1" | "2" | "3")) {
        return field_error("TYPE alanı geçersiz");
    }
    if !matches!(text(&body, "LOCALE").as_deref(), Some("tr" | "en")) {
        return field_error("LOCALE alanı geçersiz");
    }
    if text(&body, "PRODUCT").is_none_or(|p| p.trim().is_empty()) {
        return field_error("PRODUCT alanı zorunludur");
    }
    let id = (2482 + shared.next_id()).to_string();
    shared.lock().esnekpos.links.insert(
        id.clone(),
        Link {
            amount,
            payments: Vec::new(),
        },
    );
    let mut a = reply(json!({
        "RETURN_CODE": "0", "RETURN_MESSAGE": "Ödeme İsteği Başarıyla Gönderildi", "STATUS": "SUCCESS",
        "URL": format!("{}/pay/esnekpos/{id}", shared.base_url), "SendPaymentRequestId": id,
    }));
    a.scenario = scenario;
    a
}

pub(crate) fn query(shared: &Shared, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.query_payment_request";
    let body = req.json().unwrap_or(Value::Null);
    let id = text(&body, "SEND_PAYMENT_REQUEST_ID").unwrap_or_default();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(Some(id.clone()));
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let link = shared.lock().esnekpos.links.get(&id).cloned();
    match link {
        None => reply(error("400", "PROCESS_QUERY", "Ödeme isteği bulunamadı")),
        Some(l) => {
            let payments: Vec<Value> = l
                .payments
                .iter()
                .map(|(refno, status)| {
                    json!({"REFNO": refno, "PAYMENT_STATUS": status,
                           "DATE": "22.11.2026 09:00:00", "PAYMENT_DATE": "22.11.2026 09:00:05"})
                })
                .collect();
            reply(json!({
                "RETURN_CODE": "0", "STATUS": "SUCCESS", "RETURN_MESSAGE": "Başarılı",
                "SEND_PAYMENT_REQUEST_ID": id, "AMOUNT": l.amount, "PAYMENTS": payments,
            }))
        }
    }
}

/// The payer pays the link.
pub(crate) fn pay(shared: &Shared, id: &str) -> Answer {
    const OP: &str = "esnekpos.pay";
    let refno = format!("{}", 90_000_000 + shared.next_id());
    let mut st = shared.lock();
    match st.esnekpos.links.get_mut(id) {
        Some(l) => {
            l.payments.push((refno.clone(), "Ödeme - Başarılı"));
            let body = json!({"SEND_PAYMENT_REQUEST_ID": id, "REFNO": refno, "STATUS": "SUCCESS",
                              "PAYMENT_STATUS": "Ödeme - Başarılı", "AMOUNT": l.amount});
            Answer::new(200, body, OP).order_ref(Some(id.to_owned()))
        }
        None => Answer::new(
            404,
            error("400", "PROCESS_QUERY", "Ödeme isteği bulunamadı"),
            OP,
        ),
    }
}
