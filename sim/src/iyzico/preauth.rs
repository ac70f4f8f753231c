//! iyzico pre-authorization, as the independent peer: `POST /payment/preauth` is `/payment/auth`
//! with `phase` `PRE_AUTH` (docs.iyzico.com "Ön Provizyon Entegrasyonu"), and
//! `POST /payment/postauth` captures it once, for up to the authorized amount (less captures
//! part of it), answering the signed payment resource with `phase` `POST_AUTH` and the captured
//! `paidPrice` (iyzipay-php `samples/create_payment_postauth.php`). Authorizations do not
//! expire here. A release is `/payment/cancel` (booked like any cancel).
//!
//! `sim:capture-SCENARIO` on the payment's first basket item name faults the capture call, after
//! it is booked (as `sim:refund-SCENARIO` does for refunds). The error codes for a second
//! capture, a capture above the authorization, or of a released or non-authorized payment are
//! not published: the simulator's are assumptions (UNVERIFIED.md).

use rust_decimal::Decimal;
use serde_json::Value;

use super::{authenticate, failure, price, resource, str_field, text, Answer, Ctx, Incoming};

/// A capture of a payment that is not (or no longer) an open authorization (assumed code).
pub const NOT_CAPTURABLE: &str = "5165";
/// A capture above the authorized amount (assumed code).
pub const OVER_CAPTURE: &str = "5166";

pub(crate) fn preauth_payment(cx: &Ctx, req: &Incoming) -> Answer {
    super::pay(cx, req, "iyzico.preauth_payment", "PRE_AUTH")
}

/// `POST /payment/postauth` `{locale, conversationId, paymentId, ip, paidPrice, currency}`.
pub(crate) fn capture(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.capture_payment";
    let body = req.json().unwrap_or(Value::Null);
    let payment_id = str_field(&body, "paymentId");
    let conv = str_field(&body, "conversationId");
    let c = conv.as_deref();
    let reply = |v: Value| {
        let mut a = Answer::new(200, v, OP).order_ref(payment_id.clone());
        a.redirect_error = Some(failure("11", "Geçersiz istek", None, c));
        a
    };
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let Some(id) = payment_id.clone() else {
        return reply(failure(
            "5002",
            "paymentId gönderilmesi zorunludur",
            None,
            c,
        ));
    };
    if str_field(&body, "ip").is_none() {
        return reply(failure("5025", "ip gönderilmesi zorunludur", None, c));
    }
    let Some(amount) = text(&body, "paidPrice").and_then(|t| price(&t).map(|d| (t, d))) else {
        return reply(failure(
            "5006",
            "paidPrice gönderilmesi zorunludur",
            None,
            c,
        ));
    };
    let mut st = cx.lock();
    let Some(p) = st.payments.get(&id).cloned() else {
        drop(st);
        return reply(failure("5087", "Ödeme kaydı bulunamadı", None, c));
    };
    if text(&body, "currency").as_deref() != Some(p.currency.as_str()) {
        drop(st);
        return reply(failure("5030", "Geçersiz para birimi", None, c));
    }
    if p.phase != "PRE_AUTH" || !p.success || st.ledger.cancelled(&id) {
        drop(st);
        return reply(failure(
            NOT_CAPTURABLE,
            "Ödeme provizyon kapamaya uygun değildir",
            None,
            c,
        ));
    }
    let authorized = price(&p.paid_price).unwrap_or(Decimal::ZERO);
    if amount.1 > authorized {
        drop(st);
        return reply(failure(
            OVER_CAPTURE,
            "Kapama tutarı provizyon tutarından fazla olamaz",
            None,
            c,
        ));
    }
    let mut captured = p.clone();
    captured.phase = "POST_AUTH";
    captured.paid_price = amount.0;
    if let Some(c) = &conv {
        captured.conversation_id = c.clone();
    }
    if let Some(booked) = st.payments.get_mut(&id) {
        booked.phase = "POST_AUTH";
        booked.paid_price = captured.paid_price.clone();
    }
    let fault = st.capture_faults.get(&id).copied();
    drop(st);
    let mut a = reply(resource(&captured, fault, false));
    a.scenario = fault;
    a
}
