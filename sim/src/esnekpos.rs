//! EsnekPOS (Hoppa) side: `SendPaymentRequest` and `SendPaymentRequestQuery`, credentials in the
//! JSON body; the link page `GET /pay/esnekpos/ID` records a successful payment. The 3-D card
//! payment is in `threed`, returns in `returns`. [`ROUTES`] is every path this module serves.

pub(crate) mod returns;
pub(crate) mod threed;

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::credentials::{ESNEKPOS_MERCHANT, ESNEKPOS_MERCHANT_KEY};
use crate::ledger::Ledger;
use crate::money;
use crate::wire::{text, Answer, Incoming, Route, Scenario};

type Ctx<'a> = crate::wire::Ctx<'a, Store>;

/// Every path EsnekPOS' side serves.
pub(crate) const ROUTES: &[Route<Store>] = &[
    Route::post("/api/services/SendPaymentRequest", send_payment_request),
    Route::post("/api/services/SendPaymentRequestQuery", query),
    Route::post("/api/services/OrderReturn", returns::order_return),
    Route::post("/api/pay/EYV3DPay", threed::pay_3d),
    Route::post("/api/services/ProcessQuery", threed::process_query),
    Route::page(&["GET"], "/pay/esnekpos/", pay),
    Route::page(&["GET"], "/pay/esnekpos3d/", threed::page_3d),
];

#[derive(Clone)]
pub(crate) struct Link {
    pub(crate) amount: String,
    pub(crate) payments: Vec<LinkPayment>,
}

/// One payment of a link, with the fields that public clients of `SendPaymentRequestQuery` read
/// from each `PAYMENTS[]` item (the vendor's example is cut off after the first keys).
#[derive(Clone)]
pub(crate) struct LinkPayment {
    pub(crate) refno: String,
    pub(crate) status: &'static str,
    amount: String,
    order_ref_no: String,
    success_transaction_id: Option<u64>,
}

#[derive(Default)]
pub(crate) struct Store {
    pub(crate) links: HashMap<String, Link>,
    /// EYV3DPay orders (3-D card payments), by ORDER_REF_NUMBER.
    pub threed: threed::Store,
    /// Returns, by the payment's ORDER_REF_NO (link) or ORDER_REF_NUMBER (3-D).
    pub(crate) ledger: Ledger,
}

pub(crate) fn error(code: &str, status: &str, message: &str) -> Value {
    json!({"RETURN_CODE": code, "STATUS": status, "RETURN_MESSAGE": message, "RETURN_MESSAGE_TR": message})
}

pub(crate) fn authenticate(body: &Value) -> Result<(), Value> {
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

/// Hoppa amounts: positive, digits, a comma and two decimals (`10,56`).
fn comma_amount(t: &str) -> bool {
    money::positive(t, money::COMMA_2).is_some()
}

fn send_payment_request(cx: &Ctx, req: &Incoming) -> Answer {
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
    let id = (2482 + cx.next_id()).to_string();
    {
        let mut st = cx.lock();
        st.links.insert(
            id.clone(),
            Link {
                amount,
                payments: Vec::new(),
            },
        );
        let product = text(&body, "PRODUCT").unwrap_or_default();
        st.ledger.note_fault(&id, &product);
    }
    let mut a = reply(json!({
        "RETURN_CODE": "0", "RETURN_MESSAGE": "Ödeme İsteği Başarıyla Gönderildi", "STATUS": "SUCCESS",
        "URL": format!("{}/pay/esnekpos/{id}", cx.base_url), "SendPaymentRequestId": id,
    }));
    a.scenario = scenario;
    a
}

fn query(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "esnekpos.query_payment_request";
    let body = req.json().unwrap_or(Value::Null);
    let id = text(&body, "SEND_PAYMENT_REQUEST_ID").unwrap_or_default();
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(Some(id.clone()));
    if let Err(e) = authenticate(&body) {
        return reply(e);
    }
    let st = cx.lock();
    let link = st.links.get(&id).cloned();
    match link {
        None => reply(error("400", "PROCESS_QUERY", "Ödeme isteği bulunamadı")),
        Some(l) => {
            let payments: Vec<Value> = l
                .payments
                .iter()
                .map(|p| {
                    let status = returns::status(&st, &p.refno, p.status);
                    json!({"REFNO": p.refno, "PAYMENT_STATUS": status,
                           "DATE": "22.11.2026 09:00:00", "PAYMENT_DATE": "22.11.2026 09:00:05",
                           "AMOUNT": p.amount, "ORDER_REF_NO": p.order_ref_no, "INSTALLMENT": "1",
                           "COMMISSION": 0, "COMMISSION_RATE": "0",
                           "SUCCESS_TRANSACTION_ID": p.success_transaction_id})
                })
                .collect();
            // Top-level keys as documented: the link's amount is not among them.
            reply(json!({
                "PAYMENTS": payments, "RETURN_CODE": "0", "RETURN_MESSAGE": "Başarılı",
                "STATUS": "SUCCESS",
            }))
        }
    }
}

/// The payer pays the link.
fn pay(cx: &Ctx, id: &str) -> Answer {
    const OP: &str = "esnekpos.pay";
    let n = cx.next_id();
    let refno = format!("{}", 90_000_000 + n);
    let mut st = cx.lock();
    match st.links.get_mut(id) {
        Some(l) => {
            // Each visit is one more payment of the link (a link can be paid twice).
            let payment = LinkPayment {
                refno: refno.clone(),
                status: "Ödeme - Başarılı",
                amount: l.amount.clone(),
                order_ref_no: returns::order_ref(&refno),
                success_transaction_id: Some(7_000_000 + n),
            };
            let body = json!({"SEND_PAYMENT_REQUEST_ID": id, "REFNO": refno, "STATUS": "SUCCESS",
                              "PAYMENT_STATUS": payment.status, "AMOUNT": l.amount,
                              "ORDER_REF_NO": payment.order_ref_no});
            l.payments.push(payment);
            Answer::new(200, body, OP).order_ref(Some(id.to_owned()))
        }
        None => Answer::new(
            404,
            error("400", "PROCESS_QUERY", "Ödeme isteği bulunamadı"),
            OP,
        ),
    }
}
