//! iyzico 3-D Secure and the hosted checkout form, as the independent peer.
//!
//! * `POST /payment/3dsecure/initialize`: the create-payment checks plus `callbackUrl`; answers
//!   the documented initialize shape (`sim/tests/documented/iyzico_threeds_initialize.json`)
//!   with `paymentId` and a `signature` over `paymentId:conversationId` (today's docs), and
//!   `threeDSHtmlContent` (base64) whose form posts to `/pay/iyzico3ds/PAYMENT_ID`.
//! * `GET /pay/iyzico3ds/PAYMENT_ID`: the payer authenticates; answers the fields iyzico would
//!   post to `callbackUrl` (`status, paymentId, conversationData, conversationId, mdStatus,
//!   signature`), signed over `conversationData:conversationId:mdStatus:paymentId:status`. Card
//!   4131111111111117 gives mdStatus 0, 4141111111111115 gives 4 (iyzico's sandbox), others 1.
//! * `POST /payment/v2/3dsecure/auth`: captures an authenticated payment once (a second call,
//!   or a call after a failed authentication, is an iyzico error); answers the signed payment
//!   resource with `mdStatus`. `sim:complete-SCENARIO` (first basket item's name) applies the
//!   fault to this call instead of the initialize; the payment is booked before the reply is lost.
//! * checkout form: `POST /payment/iyzipos/checkoutform/initialize/auth/ecom` (signed over
//!   `conversationId:token`; `paymentPageUrl` carries the token in the query, as iyzico's),
//!   `GET /pay/iyzicocf?token=TOKEN` pays with 5528790000000008 and answers
//!   `{"token"}` as the callback would, `POST /payment/iyzipos/checkoutform/auth/ecom/detail`
//!   answers the payment with `paymentStatus`, `token`, `callbackUrl` and the signature over
//!   `paymentStatus:paymentId:currency:basketId:conversationId:paidPrice:price:token`.

use std::collections::HashMap;

use base64::Engine;
use serde_json::{json, Value};

use super::{
    authenticate, cards, check_body, decline_of, failure, hmac_hex, new_payment, now_ms, price,
    resource, signed_amount, str_field, text, Answer, Ctx, Draft, Flow, Incoming, Payment,
    Scenario, Started, B64,
};
use crate::credentials::IYZICO_SECRET_KEY;

/// iyzico's sandbox 3-D Secure cards (docs "test cards": mdStatus 0 and 4).
pub const MD_STATUS_0_CARD: &str = "4131111111111117";
pub const MD_STATUS_4_CARD: &str = "4141111111111115";

/// A payment between `initialize` and `auth`.
#[derive(Clone)]
pub(crate) struct Pending3ds {
    payment: Payment,
    md_status: u8,
    /// The payer came back from the bank's page.
    called_back: bool,
    completed: bool,
    /// The fault `sim:complete-SCENARIO` selects for the completion call.
    complete_fault: Option<Scenario>,
    /// The first basket item's name (its refund and capture faults apply once completed).
    product: String,
    /// The bank's answer at capture (iyzico's decline cards).
    decline: Option<(&'static str, &'static str, &'static str)>,
    /// The card, to store at completion when the payment asked to (`registerCard: 1`).
    card: std::sync::Arc<cards::CardUse>,
}

/// A checkout form between `initialize` and `detail`.
#[derive(Clone)]
pub(crate) struct CheckoutForm {
    token: String,
    /// The payment the payer will make (installment 1).
    draft: Draft,
    callback_url: String,
    /// The payment once the payer paid.
    payment_id: Option<String>,
}

#[derive(Default)]
pub(crate) struct Store {
    pending: HashMap<String, Pending3ds>,
    forms: HashMap<String, CheckoutForm>,
}

/// `sim:complete-drop` → the `drop` fault on the completion call.
fn complete_fault(name: &str) -> Option<Scenario> {
    Scenario::after(name, "complete")
}

/// The bank's 3-D Secure page (what `threeDSHtmlContent` decodes to).
fn bank_page(base_url: &str, payment_id: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n    <title>iyzico Mock 3D-Secure Processing Page</title>\n</head>\n<body>\n<form id=\"iyzico-3ds-form\" action=\"{base_url}/pay/iyzico3ds/{payment_id}\" method=\"get\">\n    <input type=\"hidden\" name=\"paymentId\" value=\"{payment_id}\">\n</form>\n<script type=\"text/javascript\">\n    document.getElementById(\"iyzico-3ds-form\").submit();\n</script>\n</body>\n</html>"
    )
}

pub(crate) fn init_3ds(cx: &Ctx, req: &Incoming) -> Answer {
    init_3ds_as(cx, req, "iyzico.init_3ds", "AUTH")
}

/// `POST /payment/3dsecure/initialize/preauth`: the completion then answers `PRE_AUTH`.
pub(crate) fn init_3ds_preauth(cx: &Ctx, req: &Incoming) -> Answer {
    init_3ds_as(cx, req, "iyzico.init_3ds_preauth", "PRE_AUTH")
}

fn init_3ds_as(cx: &Ctx, req: &Incoming, op: &'static str, phase: &'static str) -> Answer {
    let started = match Started::begin(req, op) {
        Ok(s) => s,
        Err(a) => return *a,
    };
    let (body, name) = (&started.body, &started.name);
    let reply = |v: Value| started.reply(v);
    let conv = started.conversation.as_deref();
    let checked = match check_body(body, Flow::ThreeDs) {
        Ok(c) => c,
        Err((code, msg)) => return reply(failure(code, msg, None, conv)),
    };
    let id = cx.next_id();
    let card = match cards::card_of(&mut cx.lock(), body, true, id) {
        Ok(c) => c,
        Err((code, msg)) => return reply(failure(code, msg, None, conv)),
    };
    let pan = card.pan.clone();
    let md_status = match pan.as_str() {
        MD_STATUS_0_CARD => 0,
        MD_STATUS_4_CARD => 4,
        _ => 1,
    };
    let decline = decline_of(&pan);
    let mut payment = new_payment(id, Draft::of(body, checked), &pan);
    payment.phase = phase;
    payment.threeds = true;
    let payment_id = payment.payment_id.clone();
    let conversation_id = payment.conversation_id.clone();
    cx.lock().threeds.pending.insert(
        payment_id.clone(),
        Pending3ds {
            payment,
            md_status,
            called_back: false,
            completed: false,
            complete_fault: complete_fault(name),
            product: name.clone(),
            decline,
            card: std::sync::Arc::new(card),
        },
    );
    let html = bank_page(cx.base_url, &payment_id);
    let signature = hmac_hex(
        IYZICO_SECRET_KEY,
        format!("{payment_id}:{conversation_id}").as_bytes(),
    );
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(),
        "conversationId": conversation_id,
        "threeDSHtmlContent": B64.encode(html.as_bytes()),
        "paymentId": payment_id,
        "signature": signature,
    }));
    a.scenario = Scenario::from_product(name);
    a
}

/// The callback form's fields for a payment, signed as iyzico signs them.
fn callback_fields(p: &Pending3ds) -> Value {
    let md = p.md_status.to_string();
    let status = if p.md_status == 1 {
        "success"
    } else {
        "failure"
    };
    let data = "";
    let signed = format!(
        "{data}:{}:{md}:{}:{status}",
        p.payment.conversation_id, p.payment.payment_id
    );
    json!({
        "status": status,
        "paymentId": p.payment.payment_id,
        "conversationData": data,
        "conversationId": p.payment.conversation_id,
        "mdStatus": md,
        "signature": hmac_hex(IYZICO_SECRET_KEY, signed.as_bytes()),
    })
}

/// The payer on the bank's page: authenticates (or not) and is sent back to `callbackUrl`.
pub(crate) fn page_3ds(cx: &Ctx, payment_id: &str) -> Answer {
    const OP: &str = "iyzico.3ds_page";
    let mut st = cx.lock();
    match st.threeds.pending.get_mut(payment_id) {
        Some(p) => {
            p.called_back = true;
            let body = callback_fields(p);
            Answer::new(200, body, OP).order_ref(Some(p.payment.conversation_id.clone()))
        }
        None => Answer::new(404, json!({"error": "no such 3-D Secure payment"}), OP),
    }
}

/// `POST /payment/v2/3dsecure/auth`: capture once.
pub(crate) fn complete_3ds(cx: &Ctx, req: &Incoming) -> Answer {
    complete_3ds_as(cx, req, false)
}

/// `POST /payment/3dsecure/auth`, the v1 completion the official SDKs still call
/// (`ThreedsPayment` in iyzipay-python 1.0.46): `{paymentId, conversationData?}`, no amounts to
/// match.
pub(crate) fn complete_3ds_v1(cx: &Ctx, req: &Incoming) -> Answer {
    complete_3ds_as(cx, req, true)
}

fn complete_3ds_as(cx: &Ctx, req: &Incoming, v1: bool) -> Answer {
    const OP: &str = "iyzico.complete_3ds";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    let payment_id = str_field(&body, "paymentId");
    let mut order_ref = conv.clone();
    let reply = |v: Value, order_ref: &Option<String>| {
        let mut a = Answer::new(200, v, OP).order_ref(order_ref.clone());
        a.redirect_error = Some(failure("11", "Geçersiz istek", None, conv.as_deref()));
        a
    };
    if let Err(e) = authenticate(req) {
        return reply(e, &order_ref);
    }
    let c = conv.as_deref();
    let Some(payment_id) = payment_id else {
        return reply(
            failure("5002", "paymentId gönderilmesi zorunludur", None, c),
            &order_ref,
        );
    };
    let mut st = cx.lock();
    let Some(p) = st.threeds.pending.get(&payment_id).cloned() else {
        return reply(
            failure("5087", "Ödeme kaydı bulunamadı", None, c),
            &order_ref,
        );
    };
    order_ref = Some(p.payment.conversation_id.clone());
    // paidPrice, basketId and currency must match the initialize (docs: "must match INIT 3DS").
    let same_price = text(&body, "paidPrice")
        .and_then(|t| price(&t))
        .zip(price(&p.payment.paid_price))
        .is_some_and(|(a, b)| a == b);
    let matches = same_price
        && str_field(&body, "basketId") == p.payment.basket_id
        && text(&body, "currency").as_deref() == Some(p.payment.currency.as_str());
    if !v1 && !matches {
        return reply(
            failure(
                "5162",
                "paidPrice, basketId ve currency 3D başlatma ile aynı olmalıdır",
                None,
                c,
            ),
            &order_ref,
        );
    }
    if p.completed {
        return reply(
            failure("5163", "Bu ödeme daha önce tamamlanmıştır", None, c),
            &order_ref,
        );
    }
    if !p.called_back || p.md_status != 1 {
        return reply(
            failure(
                "5160",
                "3D doğrulaması başarılı olmayan ödeme tamamlanamaz",
                None,
                c,
            ),
            &order_ref,
        );
    }
    let mut payment = p.payment.clone();
    payment.success = p.decline.is_none();
    if let Some(e) = st.threeds.pending.get_mut(&payment_id) {
        e.completed = true;
    }
    if payment.success {
        payment.registered = p.card.register(&mut st);
    }
    super::book(&mut st, &payment, &p.product);
    drop(st);
    if let Some((code, group, msg)) = p.decline {
        return reply(failure(code, msg, Some(group), c), &order_ref);
    }
    let mut v = resource(&payment, p.complete_fault, false);
    documented_items(&mut v, &payment.currency);
    v["mdStatus"] = json!(1);
    let mut a = reply(v, &order_ref);
    a.scenario = p.complete_fault;
    a
}

/// The basket lines of the documented 3-D Secure auth and checkout-form replies
/// (`sim/tests/documented/iyzico_threeds_auth_v1.json`): commissions, blockage and payout fields
/// and `convertedPayout` (no sub-merchants here, so no `subMerchantKey`).
fn documented_items(v: &mut Value, currency: &str) {
    let Some(items) = v.get_mut("itemTransactions").and_then(Value::as_array_mut) else {
        return;
    };
    for item in items {
        let price = item.get("paidPrice").cloned().unwrap_or(json!(0));
        let extra = json!({
            "merchantCommissionRate": 0, "merchantCommissionRateAmount": 0,
            "iyziCommissionRateAmount": 0, "iyziCommissionFee": 0,
            "blockageRate": 0, "blockageRateAmountMerchant": 0, "blockageRateAmountSubMerchant": 0,
            "blockageResolvedDate": "2026-12-03 09:00:00",
            "subMerchantPrice": 0, "subMerchantPayoutRate": 0, "subMerchantPayoutAmount": 0,
            "merchantPayoutAmount": price,
            "convertedPayout": {"paidPrice": price, "iyziCommissionRateAmount": 0, "iyziCommissionFee": 0,
                "blockageRateAmountMerchant": 0, "blockageRateAmountSubMerchant": 0,
                "subMerchantPayoutAmount": 0, "merchantPayoutAmount": price,
                "iyziConversionRate": 0, "iyziConversionRateAmount": 0, "currency": currency},
        });
        if let (Some(item), Some(extra)) = (item.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                item.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

// ---- checkout form ------------------------------------------------------------------------

/// A token in iyzico's UUID shape.
fn token(cx: &Ctx) -> String {
    let a = cx.next_id();
    let t = now_ms();
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (t & 0xffff_ffff) as u32,
        (a & 0xffff) as u16,
        (a >> 4) & 0xfff,
        t & 0xfff,
        a
    )
}

pub(crate) fn init_checkout_form(cx: &Ctx, req: &Incoming) -> Answer {
    let started = match Started::begin(req, "iyzico.init_checkout_form") {
        Ok(s) => s,
        Err(a) => return *a,
    };
    let (body, name, conversation) = (&started.body, &started.name, &started.conversation);
    let reply = |v: Value| started.reply(v);
    let conv = conversation.as_deref();
    if body.get("paymentCard").is_some() {
        return reply(failure("11", "Geçersiz istek", None, conv));
    }
    let mut draft = match check_body(body, Flow::CheckoutForm) {
        Ok(c) => Draft::of(body, c),
        Err((code, msg)) => return reply(failure(code, msg, None, conv)),
    };
    // The simulated payer pays in one installment.
    draft.checked.installment = 1;
    let (currency, total) = (draft.checked.currency.clone(), draft.checked.total.clone());
    let conversation_id = draft.conversation_id.clone();
    let token = token(cx);
    let form = CheckoutForm {
        token: token.clone(),
        draft,
        callback_url: text(body, "callbackUrl").unwrap_or_default(),
        payment_id: None,
    };
    cx.lock().threeds.forms.insert(token.clone(), form);
    let base = cx.base_url;
    let content = format!(
        "<script type=\"text/javascript\">if (typeof iyziInit == 'undefined') {{var iyziInit = {{currency:'{currency}',token:'{token}',price:{total},locale:'tr',baseUrl:'{base}',isSandbox:true}};}}</script>"
    );
    let signature = hmac_hex(
        IYZICO_SECRET_KEY,
        format!("{conversation_id}:{token}").as_bytes(),
    );
    let mut a = reply(json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(),
        "conversationId": conversation_id,
        "token": token,
        "checkoutFormContent": content,
        "tokenExpireTime": 1800,
        // iyzico's shape: the token in the query (`https://sandbox-cpp.iyzipay.com?token=...&lang=tr`,
        // sim/tests/documented/iyzico_checkout_form_initialize.json), never in the path.
        "paymentPageUrl": format!("{base}/pay/iyzicocf?token={token}&lang=tr"),
        "signature": signature,
    }));
    a.scenario = Scenario::from_product(name);
    a
}

/// `GET /pay/iyzicocf?token=TOKEN` (the form's `paymentPageUrl`): the payer fills the form in
/// with 5528790000000008 and pays.
pub(crate) fn pay_checkout_form(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.checkout_form_page";
    let token = req.query_param("token").unwrap_or_default();
    let id = cx.next_id();
    let mut st = cx.lock();
    let Some(form) = st.threeds.forms.get(&token).cloned() else {
        return Answer::new(404, json!({"error": "no such checkout form token"}), OP);
    };
    let order_ref = Some(form.draft.conversation_id.clone());
    if form.payment_id.is_none() {
        let mut payment = new_payment(id, form.draft, crate::cards::SUCCESS);
        payment.success = true;
        super::book(&mut st, &payment, "");
        if let Some(f) = st.threeds.forms.get_mut(&token) {
            f.payment_id = Some(payment.payment_id);
        }
    }
    Answer::new(200, json!({"token": token}), OP).order_ref(order_ref)
}

pub(crate) fn retrieve_checkout_form(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.retrieve_checkout_form";
    let body = req.json().unwrap_or(Value::Null);
    let conv = str_field(&body, "conversationId");
    let c = conv.as_deref();
    let st = cx.lock();
    let form = str_field(&body, "token").and_then(|t| st.threeds.forms.get(&t).cloned());
    let order_ref = form.as_ref().map(|f| f.draft.conversation_id.clone());
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(order_ref.clone());
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    if str_field(&body, "token").is_none() {
        return reply(failure("5132", "token gönderilmesi zorunludur", None, c));
    }
    let Some(form) = form else {
        return reply(failure("5124", "token bulunamadı", None, c));
    };
    let Some(payment) = form
        .payment_id
        .as_ref()
        .and_then(|id| st.payments.get(id).cloned())
    else {
        return reply(failure(
            "5122",
            "Gönderilen token'a ait ödeme bulunamadı",
            None,
            c,
        ));
    };
    let mut v = resource(&payment, None, false);
    documented_items(&mut v, &payment.currency);
    let status = if payment.success {
        "SUCCESS"
    } else {
        "FAILURE"
    };
    v["token"] = json!(form.token);
    v["callbackUrl"] = json!(form.callback_url);
    v["paymentStatus"] = json!(status);
    v["mdStatus"] = json!(1);
    let signed = [
        status.to_owned(),
        payment.payment_id.clone(),
        payment.currency.clone(),
        payment.basket_id.clone().unwrap_or_default(),
        payment.conversation_id.clone(),
        signed_amount(&payment.paid_price),
        signed_amount(&payment.price),
        form.token.clone(),
    ];
    v["signature"] = json!(hmac_hex(IYZICO_SECRET_KEY, signed.join(":").as_bytes()));
    reply(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_callback_vector() {
        // iyzico/iyzipay-php samples/callbackUrl_Signature_Validation.php, with this module's HMAC.
        assert_eq!(
            hmac_hex("jLc7GQHD2pyJoqXDeEcTnGHYtP7Ai5jl", b"::1:22484292:success"),
            "a4f73b80bb32a6ef8358090bbd8609a49a7b53f463048f8ef147496e236d04f0"
        );
    }

    #[test]
    fn complete_faults() {
        assert_eq!(complete_fault("sim:complete-drop"), Some(Scenario::Drop));
        assert_eq!(complete_fault("sim:drop"), None);
        assert_eq!(complete_fault("Binocular"), None);
    }
}
