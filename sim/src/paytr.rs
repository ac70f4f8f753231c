//! PayTR side: the iFrame token (`POST /odeme/api/get-token`) and its hosted page
//! (`GET /odeme/guvenli/TOKEN`), the Direct API (`POST /odeme`, answering a 3-D Secure page that
//! posts to `/pay/paytr3d/MERCHANT_OID`), refunds (`POST /odeme/iade`), the status query
//! (`POST /odeme/durum-sorgu`) and the callback delivery (`GET /__sim/webhook/paytr/OID`).
//!
//! Every form is checked as PayTR documents it (dev.paytr.com: "iFrame API 1. Adım",
//! "Direkt API 1. Adım", "İade API", "Durum Sorgu API", "PayTR Hata Kodları"): the `paytr_token` is
//! recomputed here with RustCrypto's HMAC-SHA256 over the fields as posted, in PayTR's order, then
//! the salt; error replies use PayTR's shapes (`{"status":"failed","reason"}` for get-token,
//! `{"status":"error","err_no","err_msg"}` for refunds and queries) and its error texts.
//! Paying (the hosted page, the 3-D page or the webhook endpoint) answers the signed callback
//! fields PayTR would post to the merchant's notification URL. [`ROUTES`] is every path this
//! module serves.
//!
//! Refunds are booked in the shared ledger (`Store::ledger`, by `merchant_oid`) and listed by the
//! status query (`returns`). A payment whose first `user_basket` item name is
//! `sim:refund-SCENARIO` (either API) gets SCENARIO on its refund calls, booked first, as every
//! provider's does.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::cards::{self, Decline};
use crate::credentials::{PAYTR_MERCHANT_ID, PAYTR_MERCHANT_KEY, PAYTR_MERCHANT_SALT};
use crate::ledger::{Ledger, Return};
use crate::money::{self, Places, Sep};
use crate::sign::hmac_base64;
use crate::wire::{form_delivery, form_first, iso8601, now_ms, Answer, Incoming, Route, Scenario};

type Ctx<'a> = crate::wire::Ctx<'a, Store>;

/// Every path PayTR's side serves.
pub(crate) const ROUTES: &[Route<Store>] = &[
    Route::post("/odeme/api/get-token", get_token),
    Route::post("/odeme", direct),
    Route::post("/odeme/iade", refund),
    Route::post("/odeme/durum-sorgu", status),
    Route::page(&["GET"], "/odeme/guvenli/", hosted_page),
    Route::page(&["GET", "POST"], "/pay/paytr3d/", page_3d),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Booked; the payer has not paid yet.
    Open,
    Paid,
    /// The payment failed: PayTR's `failed_reason_code` and message.
    Failed(&'static str, &'static str),
}

#[derive(Clone)]
pub(crate) struct Order {
    oid: String,
    /// The order amount in kuruş.
    kurus: u64,
    currency: String,
    test_mode: String,
    phase: Phase,
    /// The card of a Direct API payment (decides the 3-D result); the iFrame page pays with
    /// the simulator's success card.
    card: String,
    paid_at: String,
}

#[derive(Default)]
pub(crate) struct Store {
    orders: HashMap<String, Order>,
    tokens: HashMap<String, String>,
    /// Refunds, by merchant_oid.
    ledger: Ledger,
}

/// `base64(HMAC-SHA256(merchant_key, parts...))`: every PayTR token and hash.
fn token(parts: &[&str]) -> String {
    hmac_base64(PAYTR_MERCHANT_KEY, parts)
}

/// `base64(HMAC-SHA256(merchant_key, merchant_oid + merchant_salt + status + total_amount))`.
fn callback_hash(oid: &str, status: &str, total: &str) -> String {
    token(&[oid, PAYTR_MERCHANT_SALT, status, total])
}

/// A posted PayTR form (the first value of a repeated name wins) and the operation it is for.
struct Posted {
    fields: HashMap<String, String>,
    op: &'static str,
}

impl Posted {
    fn new(req: &Incoming, op: &'static str) -> Posted {
        Posted {
            fields: form_first(&req.body),
            op,
        }
    }

    fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or("")
    }

    /// PayTR answers HTTP 200 with its JSON, logged under the form's `merchant_oid`.
    fn reply(&self, v: Value) -> Answer {
        let oid = Some(self.get("merchant_oid").to_owned()).filter(|o| !o.is_empty());
        Answer::new(200, v, self.op).order_ref(oid)
    }
}

/// PayTR's `Y-m-d H:i:s`, UTC.
fn date_text(ms: u64) -> String {
    let iso = iso8601(ms);
    iso.trim_end_matches('Z').replacen('T', " ", 1)
}

fn now_text() -> String {
    date_text(now_ms())
}

fn kurus_text(k: u64) -> String {
    money::two_places(money::from_hundredths(k), '.')
}

/// A dot decimal with at most two places (`100.99`, `150`), in kuruş.
fn dot_kurus(t: &str) -> Option<u64> {
    money::positive(t, money::DOT_UP_TO_2).and_then(money::hundredths)
}

/// `[[name, unit price, quantity], ...]` with a name, a positive price and a positive count.
fn basket_ok(v: &Value) -> Option<&str> {
    let items = v.as_array().filter(|a| !a.is_empty())?;
    for item in items {
        let [name, price, qty] = item.as_array()?.as_slice() else {
            return None;
        };
        name.as_str().filter(|n| !n.trim().is_empty())?;
        let p = match price {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        money::positive(&p, money::Format(Sep::Either, Places::Any))?;
        let q = match qty {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        };
        q.filter(|q| *q > 0)?;
    }
    items[0].get(0).and_then(Value::as_str)
}

fn failed(reason: &str) -> Value {
    json!({"status": "failed", "reason": reason})
}

fn error(no: &str, msg: &str) -> Value {
    json!({"status": "error", "err_no": no, "err_msg": msg})
}

fn missing(field: &str) -> Value {
    failed(&format!("Zorunlu alan degeri gecersiz: {field}"))
}

/// `POST /odeme/api/get-token`.
fn get_token(cx: &Ctx, req: &Incoming) -> Answer {
    let posted = Posted::new(req, "paytr.create_iframe_token");
    let get = |k: &str| posted.get(k);
    let reply = |v: Value| posted.reply(v);
    let oid = get("merchant_oid").to_owned();
    if get("merchant_id") != PAYTR_MERCHANT_ID {
        return reply(missing("merchant_id"));
    }
    for k in [
        "user_ip",
        "merchant_oid",
        "email",
        "payment_amount",
        "user_basket",
        "user_name",
        "user_address",
        "user_phone",
        "merchant_ok_url",
        "merchant_fail_url",
        "paytr_token",
    ] {
        if get(k).trim().is_empty() {
            return reply(missing(k));
        }
    }
    let kurus = match get("payment_amount").parse::<u64>() {
        Ok(k) if k > 0 && !get("payment_amount").starts_with('0') => k,
        _ => return reply(missing("payment_amount")),
    };
    let currency = match get("currency") {
        "" => "TL",
        c @ ("TL" | "TRY" | "EUR" | "USD" | "GBP" | "RUB") => c,
        _ => return reply(missing("currency")),
    };
    if !matches!(get("no_installment"), "0" | "1") {
        return reply(missing("no_installment"));
    }
    if get("max_installment")
        .parse::<u32>()
        .map_or(true, |m| m > 12)
    {
        return reply(missing("max_installment"));
    }
    if !matches!(get("test_mode"), "0" | "1") {
        return reply(missing("test_mode"));
    }
    let basket: Option<Value> = B64
        .decode(get("user_basket"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let Some(first_item) = basket.as_ref().and_then(basket_ok).map(str::to_owned) else {
        return reply(missing("user_basket"));
    };
    let expected = token(&[
        get("merchant_id"),
        get("user_ip"),
        &oid,
        get("email"),
        get("payment_amount"),
        get("user_basket"),
        get("no_installment"),
        get("max_installment"),
        get("currency"),
        get("test_mode"),
        PAYTR_MERCHANT_SALT,
    ]);
    if get("paytr_token") != expected {
        return reply(failed("paytr_token gonderilmedi veya gecersiz"));
    }
    let scenario = Scenario::from_product(&first_item);
    let iframe_token = {
        let mut st = cx.lock();
        if st.orders.get(&oid).is_some_and(|o| o.phase == Phase::Paid) {
            return reply(failed(
                "merchant_oid daha once kullanilmis (basarili odeme mevcut)",
            ));
        }
        // 52 hex digits, as the token of PayTR's published example.
        let t: String = Sha256::digest(format!("paytr-iframe:{oid}:{}", cx.next_id()))
            .iter()
            .take(26)
            .map(|b| format!("{b:02x}"))
            .collect();
        st.tokens.insert(t.clone(), oid.clone());
        st.orders.insert(
            oid.clone(),
            Order {
                oid: oid.clone(),
                kurus,
                currency: currency.to_owned(),
                test_mode: get("test_mode").to_owned(),
                phase: Phase::Open,
                card: cards::SUCCESS.to_owned(),
                paid_at: String::new(),
            },
        );
        st.ledger.note_fault(&oid, &first_item);
        t
    };
    let mut a = reply(json!({"status": "success", "token": iframe_token}));
    a.scenario = scenario;
    a
}

/// The callback fields PayTR posts for `o`, in its order (hash over the signed four).
fn callback_fields(o: &Order) -> Vec<(&'static str, String)> {
    let (status, reason) = match o.phase {
        Phase::Paid => ("success", None),
        Phase::Failed(code, msg) => ("failed", Some((code, msg))),
        Phase::Open => (
            "failed",
            Some((
                "6",
                "Müşteri ödeme yapmaktan vazgeçti ve ödeme sayfasından ayrıldı.",
            )),
        ),
    };
    let total = o.kurus.to_string();
    let mut v = vec![
        ("merchant_oid", o.oid.clone()),
        ("status", status.to_owned()),
        ("total_amount", total.clone()),
        ("hash", callback_hash(&o.oid, status, &total)),
    ];
    if let Some((code, msg)) = reason {
        v.push(("failed_reason_code", code.to_owned()));
        v.push(("failed_reason_msg", msg.to_owned()));
    }
    v.push(("test_mode", o.test_mode.clone()));
    v.push(("payment_type", "card".to_owned()));
    v.push(("currency", o.currency.clone()));
    v.push(("payment_amount", o.kurus.to_string()));
    v
}

/// Complete `oid` as the payer would (once: a finished order stays as it is).
fn complete(st: &mut Store, oid: &str) -> Option<Order> {
    let o = st.orders.get_mut(oid)?;
    if o.phase == Phase::Open {
        // The bank's decline, in PayTR's words.
        o.phase = match cards::decline(&o.card) {
            Some(Decline::InsufficientFunds) => {
                Phase::Failed("0", "Kartın limiti / bakiyesi yetersiz")
            }
            Some(Decline::DoNotHonour) => Phase::Failed("0", "İşlem onaylanmadı"),
            Some(Decline::InvalidCvc) => Phase::Failed("0", "Güvenlik kodu hatalı"),
            None => Phase::Paid,
        };
        o.paid_at = now_text();
    }
    Some(o.clone())
}

fn fields_json(fields: &[(&'static str, String)]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(v.clone())))
            .collect(),
    )
}

/// The payer finishes paying `oid` (when known): the answer is the callback PayTR then posts.
fn pay(st: &mut Store, oid: Option<String>, unknown: &str) -> Answer {
    const OP: &str = "paytr.pay";
    match oid.and_then(|oid| complete(st, &oid)) {
        Some(o) => {
            let oid = Some(o.oid.clone());
            Answer::new(200, fields_json(&callback_fields(&o)), OP).order_ref(oid)
        }
        None => Answer::new(404, json!({"status": "failed", "reason": unknown}), OP),
    }
}

/// `GET /odeme/guvenli/TOKEN`: the payer pays on the hosted page with the success card.
fn hosted_page(cx: &Ctx, token: &str) -> Answer {
    let mut st = cx.lock();
    let oid = st.tokens.get(token).cloned();
    pay(&mut st, oid, "Gecersiz token")
}

/// `POST /odeme`: the Direct API. Answers the 3-D Secure page (HTML) that posts to
/// `/pay/paytr3d/MERCHANT_OID`.
fn direct(cx: &Ctx, req: &Incoming) -> Answer {
    let posted = Posted::new(req, "paytr.pay_direct");
    let get = |k: &str| posted.get(k);
    let reply = |v: Value| posted.reply(v);
    let oid = get("merchant_oid").to_owned();
    if get("merchant_id") != PAYTR_MERCHANT_ID {
        return reply(failed("Gecersiz istek veya magaza aktif degil"));
    }
    for k in [
        "user_ip",
        "merchant_oid",
        "email",
        "payment_type",
        "payment_amount",
        "cc_owner",
        "card_number",
        "expiry_month",
        "expiry_year",
        "cvv",
        "merchant_ok_url",
        "merchant_fail_url",
        "user_name",
        "user_address",
        "user_phone",
        "user_basket",
        "paytr_token",
    ] {
        if get(k).trim().is_empty() {
            return reply(missing(k));
        }
    }
    let Some(kurus) = dot_kurus(get("payment_amount")) else {
        return reply(missing("payment_amount"));
    };
    if get("payment_type") != "card" {
        return reply(missing("payment_type"));
    }
    if !matches!(get("non_3d"), "0" | "1") || !matches!(get("test_mode"), "0" | "1") {
        return reply(missing("non_3d"));
    }
    let installments_ok = get("installment_count")
        .parse::<u32>()
        .is_ok_and(|n| n == 0 || (2..=12).contains(&n));
    if !installments_ok {
        return reply(missing("installment_count"));
    }
    let pan = get("card_number");
    if !cards::number_ok(pan) {
        return reply(failed("Kart numarasi gecersiz"));
    }
    let basket: Option<Value> = serde_json::from_str(get("user_basket")).ok();
    let Some(first_item) = basket.as_ref().and_then(basket_ok).map(str::to_owned) else {
        return reply(missing("user_basket"));
    };
    let expected = token(&[
        get("merchant_id"),
        get("user_ip"),
        &oid,
        get("email"),
        get("payment_amount"),
        get("payment_type"),
        get("installment_count"),
        get("currency"),
        get("test_mode"),
        get("non_3d"),
        PAYTR_MERCHANT_SALT,
    ]);
    if get("paytr_token") != expected {
        return reply(failed("paytr_token gonderilmedi veya gecersiz"));
    }
    let scenario = oid
        .strip_prefix("sim-")
        .and_then(|rest| rest.split_once('-'))
        .and_then(|(s, _)| Scenario::from_product(&format!("sim:{s}")));
    {
        let mut st = cx.lock();
        if st.orders.get(&oid).is_some_and(|o| o.phase == Phase::Paid) {
            return reply(failed(
                "merchant_oid daha once kullanilmis (basarili odeme mevcut)",
            ));
        }
        let currency = match get("currency") {
            "" => "TL",
            c => c,
        };
        st.orders.insert(
            oid.clone(),
            Order {
                oid: oid.clone(),
                kurus,
                currency: currency.to_owned(),
                test_mode: get("test_mode").to_owned(),
                phase: Phase::Open,
                card: pan.to_owned(),
                paid_at: String::new(),
            },
        );
        st.ledger.note_fault(&oid, &first_item);
    }
    let action = format!("{}/pay/paytr3d/{oid}", cx.base_url);
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>3D Secure</title></head>\
         <body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"merchant_oid\" value=\"{oid}\">\
         <button type=\"submit\">Gönder</button></form></body></html>"
    );
    let mut a = reply(Value::String(html));
    a.html = true;
    a.scenario = scenario;
    a
}

/// `/pay/paytr3d/MERCHANT_OID`: the bank's 3-D page submitted.
fn page_3d(cx: &Ctx, oid: &str) -> Answer {
    pay(&mut cx.lock(), Some(oid.to_owned()), "Siparis bulunamadi")
}

/// `POST /odeme/iade`.
fn refund(cx: &Ctx, req: &Incoming) -> Answer {
    let posted = Posted::new(req, "paytr.refund");
    let get = |k: &str| posted.get(k);
    let reply = |v: Value| posted.reply(v);
    let oid = get("merchant_oid").to_owned();
    if get("merchant_id") != PAYTR_MERCHANT_ID {
        return reply(error("001", "Gecersiz istek veya magaza aktif degil"));
    }
    if oid.is_empty() {
        return reply(error("002", "Gecersiz merchant_oid"));
    }
    let Some(amount) = dot_kurus(get("return_amount")) else {
        return reply(error("003", "Gecersiz return_amount"));
    };
    let expected = token(&[
        get("merchant_id"),
        &oid,
        get("return_amount"),
        PAYTR_MERCHANT_SALT,
    ]);
    if get("paytr_token") != expected {
        return reply(error("004", "paytr_token gonderilmedi veya gecersiz"));
    }
    let mut st = cx.lock();
    let Some(o) = st.orders.get(&oid).filter(|o| o.phase == Phase::Paid) else {
        return reply(error("005", "merchant_oid ile basarili odeme bulunamadi"));
    };
    let is_test = o.test_mode.parse::<u8>().unwrap_or(0);
    let total = money::from_hundredths(o.kurus);
    let reference = get("reference_no").to_owned();
    let entry = Return {
        id: reference.clone(),
        amount: Some(money::from_hundredths(amount)),
        cancel: false,
        reference: Some(reference.clone()).filter(|r| !r.is_empty()),
    };
    if st.ledger.book(&oid, total, entry).is_err() {
        return reply(error(
            "009",
            "Toplam iade tutari odeme tutarindan fazla olamaz",
        ));
    }
    let fault = st.ledger.fault(&oid);
    drop(st);
    let mut v = json!({
        "status": "success", "is_test": is_test,
        "merchant_oid": oid, "return_amount": get("return_amount"),
    });
    if !reference.is_empty() {
        v["reference_no"] = json!(reference);
    }
    let mut a = reply(v);
    a.scenario = fault;
    a
}

/// `POST /odeme/durum-sorgu`.
fn status(cx: &Ctx, req: &Incoming) -> Answer {
    let posted = Posted::new(req, "paytr.query_order");
    let get = |k: &str| posted.get(k);
    let reply = |v: Value| posted.reply(v);
    let oid = get("merchant_oid").to_owned();
    if get("merchant_id") != PAYTR_MERCHANT_ID {
        return reply(error("001", "Gecersiz istek veya magaza aktif degil"));
    }
    if oid.is_empty() {
        return reply(error("002", "Gecersiz merchant_oid"));
    }
    if get("paytr_token") != token(&[get("merchant_id"), &oid, PAYTR_MERCHANT_SALT]) {
        return reply(error("003", "paytr_token gonderilmedi veya gecersiz"));
    }
    let st = cx.lock();
    let Some(o) = st.orders.get(&oid) else {
        return reply(error("004", "merchant_oid ile islem bulunamadi"));
    };
    if o.phase != Phase::Paid {
        return reply(error("004", "merchant_oid ile basarili odeme bulunamadi"));
    }
    let returns: Vec<Value> = st
        .ledger
        .entries(&oid)
        .iter()
        .map(|e| {
            let date = date_text(e.created_ms);
            json!({
                "return_amount": money::two_places(e.amount, '.'), "return_date": date,
                "return_type": "", "date_completed": date, "return_auth_code": "",
                "return_ref_num": "", "reference_no": e.reference.clone().unwrap_or_default(),
                "return_source": "",
            })
        })
        .collect();
    let masked = cards::masked(&o.card);
    // The simulator keeps no commission: the whole amount is net.
    let amount = kurus_text(o.kurus);
    reply(json!({
        "status": "success", "payment_amount": amount, "payment_total": amount,
        "payment_date": o.paid_at, "currency": o.currency, "taksit": "0",
        "kart_marka": "WORLD", "masked_pan": masked, "odeme_tipi": "KART",
        "test_mode": o.test_mode, "net_tutar": amount, "kesinti_tutari": "0.00",
        "returns": returns,
    }))
}

/// `GET /__sim/webhook/paytr/MERCHANT_OID`: the callback PayTR posts, form-encoded, completing
/// an unpaid order first.
pub(crate) fn webhook(cx: &Ctx, oid: &str) -> Option<Value> {
    let mut st = cx.lock();
    let o = complete(&mut st, oid)?;
    drop(st);
    Some(form_delivery(callback_fields(&o)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_dates() {
        assert_eq!(dot_kurus("100.99"), Some(10099));
        assert_eq!(dot_kurus("150"), Some(15000));
        assert_eq!(dot_kurus("1.5"), Some(150));
        assert_eq!(dot_kurus("1.555"), None);
        assert_eq!(dot_kurus("1,50"), None);
        assert_eq!(kurus_text(3456), "34.56");
        assert_eq!(date_text(1_756_394_343_000), "2025-08-28 15:19:03");
        let d = now_text();
        assert_eq!(d.len(), 19);
        assert!(d.starts_with("20"));
    }
}
