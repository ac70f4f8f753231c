//! iyzico's side: `POST /payment/auth` and `POST /payment/detail`, authenticated with IYZWSv2
//! recomputed over the raw body received, answering with signed payment resources; 3-D Secure,
//! the checkout form, pre-authorization, stored cards, lookups, refunds and the webhook in the
//! submodules. [`ROUTES`] is every path this module serves.

pub(crate) mod cards;
pub(crate) mod lookup;
pub(crate) mod preauth;
pub(crate) mod refunds;
pub(crate) mod threeds;
pub(crate) mod webhook;

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::credentials::{IYZICO_API_KEY, IYZICO_SECRET_KEY};
use crate::ledger::Ledger;
use crate::money;
use crate::sign::hmac_hex;
use crate::wire::{iso8601, now_ms, number, str_field, text, Answer, Incoming, Route, Scenario};

pub(crate) use webhook::webhook;

/// A handler's handle on iyzico's state.
pub(crate) type Ctx<'a> = crate::wire::Ctx<'a, Store>;

const GET: &[&str] = &["GET"];

/// Every path iyzico's side serves.
pub(crate) const ROUTES: &[Route<Store>] = &[
    Route::post("/payment/auth", create_payment),
    Route::post("/payment/preauth", preauth::preauth_payment),
    Route::post("/payment/postauth", preauth::capture),
    Route::post("/cardstorage/card", cards::store_card),
    Route::call(&["DELETE"], "/cardstorage/card", cards::delete_card),
    Route::post("/cardstorage/cards", cards::list_cards),
    Route::post("/payment/detail", retrieve_payment),
    Route::call(GET, "/v2/reporting/payment/details", payment_details),
    Route::post("/payment/cancel", refunds::cancel),
    Route::post("/v2/payment/refund", refunds::refund),
    // v1, the official SDKs' `Refund` (by `paymentTransactionId`).
    Route::post("/payment/refund", refunds::refund),
    Route::post("/payment/3dsecure/initialize", threeds::init_3ds),
    Route::post("/payment/v2/3dsecure/auth", threeds::complete_3ds),
    Route::post(
        "/payment/iyzipos/checkoutform/initialize/auth/ecom",
        threeds::init_checkout_form,
    ),
    Route::post(
        "/payment/3dsecure/initialize/preauth",
        threeds::init_3ds_preauth,
    ),
    // The official SDKs' older paths (iyzipay-python 1.0.46 `iyzipay_resource.py`): the
    // checkout form without `/auth`, the v1 3-D completion.
    Route::post(
        "/payment/iyzipos/checkoutform/initialize/ecom",
        threeds::init_checkout_form,
    ),
    Route::post("/payment/3dsecure/auth", threeds::complete_3ds_v1),
    Route::post(
        "/payment/iyzipos/checkoutform/auth/ecom/detail",
        threeds::retrieve_checkout_form,
    ),
    Route::post("/payment/bin/check", lookup::bin_check),
    Route::post("/payment/iyzipos/installment", lookup::installments),
    // The payer's pages: the bank's 3-D page, the checkout form (`?token=`, as iyzico's
    // `paymentPageUrl`).
    Route::page(GET, "/pay/iyzico3ds/", threeds::page_3ds),
    Route::call(GET, "/pay/iyzicocf", threeds::pay_checkout_form),
];

#[derive(Clone)]
pub(crate) struct Payment {
    pub payment_id: String,
    pub conversation_id: String,
    pub basket_id: Option<String>,
    pub price: String,
    pub paid_price: String,
    pub currency: String,
    pub installment: u64,
    pub fraud_status: i32,
    pub bin: String,
    pub last_four: String,
    pub items: Vec<(String, String, String)>, // (itemId, paymentTransactionId, price)
    pub success: bool,
    /// Milliseconds since the epoch, for the report's `createdDate`.
    pub created_ms: u64,
    /// iyzico's `phase`: `AUTH` (a sale), `PRE_AUTH` (authorized), `POST_AUTH` (captured).
    pub phase: &'static str,
    /// Paid through 3-D Secure (the report's `threeDS`).
    pub threeds: bool,
    /// The card user key and card token of a card stored while paying (`registerCard: 1`).
    pub registered: Option<(String, String)>,
}

#[derive(Default)]
pub(crate) struct Store {
    pub(crate) payments: HashMap<String, Payment>,
    /// Every payment attempt under a merchant's `conversationId`, oldest first (merchants do
    /// reuse one; the reporting API then lists them all).
    pub(crate) by_conversation: HashMap<String, Vec<String>>,
    /// 3-D Secure payments before their completion, and checkout forms.
    threeds: threeds::Store,
    /// Stored cards, by card user key.
    pub(crate) cards: cards::Store,
    /// Refunds and cancels, by paymentId.
    pub(crate) ledger: Ledger,
    /// paymentId → the fault `sim:capture-SCENARIO` put on its capture.
    pub(crate) capture_faults: HashMap<String, Scenario>,
}

pub(crate) fn failure(
    code: &str,
    message: &str,
    group: Option<&str>,
    conversation_id: Option<&str>,
) -> Value {
    let mut v = json!({
        "status": "failure", "errorCode": code, "errorMessage": message, "locale": "tr",
        "systemTime": now_ms(), "conversationId": conversation_id,
    });
    if let Some(g) = group {
        v["errorGroup"] = json!(g);
    }
    v
}

/// Check `Authorization: IYZWSv2 base64(apiKey:..&randomKey:..&signature:..)` against the raw
/// body and the path, as iyzico does.
pub(crate) fn authenticate(req: &Incoming) -> Result<(), Value> {
    // iyzico echoes the request's conversationId in its error replies, these included.
    let conversation_id = serde_json::from_slice::<Value>(&req.body)
        .ok()
        .and_then(|v| str_field(&v, "conversationId"));
    let conversation_id = conversation_id.as_deref();
    let Some(header) = req.header("authorization") else {
        return Err(failure(
            "1009",
            "Authorization header string gönderilmesi zorunludur",
            None,
            conversation_id,
        ));
    };
    let Some(encoded) = header.strip_prefix("IYZWSv2 ") else {
        return Err(failure("1000", "Geçersiz imza", None, conversation_id));
    };
    let decoded = B64
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| failure("1000", "Geçersiz imza", None, conversation_id))?;
    let mut api_key = None;
    let mut random_key = None;
    let mut signature = None;
    for part in decoded.split('&') {
        match part.split_once(':') {
            Some(("apiKey", v)) => api_key = Some(v),
            Some(("randomKey", v)) => random_key = Some(v),
            Some(("signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let (Some(api_key), Some(random_key), Some(signature)) = (api_key, random_key, signature)
    else {
        return Err(failure(
            "1007",
            "Signature gönderilmesi zorunludur",
            None,
            conversation_id,
        ));
    };
    if api_key != IYZICO_API_KEY {
        return Err(failure(
            "1001",
            "Api bilgileri bulunamadı",
            None,
            conversation_id,
        ));
    }
    let mut signed = Vec::with_capacity(random_key.len() + req.path.len() + req.body.len());
    signed.extend_from_slice(random_key.as_bytes());
    signed.extend_from_slice(req.path.as_bytes());
    signed.extend_from_slice(&req.body);
    let expected = hmac_hex(IYZICO_SECRET_KEY, &signed);
    // Constant-time enough for a simulator; the client's comparison is the one that matters.
    if !expected.eq_ignore_ascii_case(signature) {
        return Err(failure("1000", "Geçersiz imza", None, conversation_id));
    }
    Ok(())
}

/// A positive price: plain decimal text (`1`, `1.0`, `0.30`), as iyzico's BigDecimal parsing.
fn price(text: &str) -> Option<Decimal> {
    money::positive(text, money::DOT)
}

/// The response-signature form of an amount: no trailing zeros.
pub(crate) fn signed_amount(text: &str) -> String {
    money::parse(text, money::DOT)
        .map(money::plain)
        .unwrap_or_default()
}

fn resource(p: &Payment, scenario: Option<Scenario>, detail: bool) -> Value {
    let items: Vec<Value> = p
        .items
        .iter()
        .map(|(item, tx, price)| {
            // The documented item (sim/tests/documented/iyzico_payment_auth.json): no
            // commission, blockage or payout in the simulator, so those amounts are zero.
            let zero = || number("0");
            json!({"itemId": item, "paymentTransactionId": tx, "transactionStatus": 2,
            "price": number(price), "paidPrice": number(price),
            "merchantCommissionRate": zero(), "merchantCommissionRateAmount": zero(),
            "iyziCommissionRateAmount": zero(), "iyziCommissionFee": zero(),
            "blockageRate": zero(), "blockageRateAmountMerchant": zero(),
            "blockageRateAmountSubMerchant": zero(),
            "blockageResolvedDate": "2030-01-01 00:00:00",
            "subMerchantPrice": zero(), "subMerchantPayoutRate": zero(),
            "subMerchantPayoutAmount": zero(), "merchantPayoutAmount": number(price),
            "convertedPayout": {
                "paidPrice": number(price), "iyziCommissionRateAmount": zero(),
                "iyziCommissionFee": zero(), "blockageRateAmountMerchant": zero(),
                "blockageRateAmountSubMerchant": zero(), "subMerchantPayoutAmount": zero(),
                "merchantPayoutAmount": number(price), "iyziConversionRate": zero(),
                "iyziConversionRateAmount": zero(), "currency": p.currency
            }})
        })
        .collect();
    let mut v = json!({
        "status": "success", "locale": "tr", "systemTime": now_ms(),
        "conversationId": p.conversation_id,
        "price": number(&p.price), "paidPrice": number(&p.paid_price),
        "installment": p.installment, "paymentId": p.payment_id,
        "fraudStatus": p.fraud_status,
        "merchantCommissionRate": 0, "merchantCommissionRateAmount": 0,
        "iyziCommissionRateAmount": number("0.02"), "iyziCommissionFee": number("0.25"),
        "cardType": "CREDIT_CARD", "cardAssociation": "MASTER_CARD", "cardFamily": "Bonus",
        "binNumber": p.bin, "lastFourDigits": p.last_four,
        "basketId": p.basket_id, "currency": p.currency,
        "itemTransactions": items, "authCode": "235467", "phase": p.phase,
        "hostReference": "sim00001iyzihostrfn",
    });
    if let Some((user_key, token)) = &p.registered {
        // The card stored while paying (iyzipay-php `PaymentResourceMapper`: cardUserKey,
        // cardToken).
        v["cardUserKey"] = json!(user_key);
        v["cardToken"] = json!(token);
    }
    if detail {
        // The documented detail reply has no hostReference (iyzico_payment_detail.json).
        if let Some(m) = v.as_object_mut() {
            m.remove("hostReference");
        }
        v["paymentStatus"] = json!(if p.success { "SUCCESS" } else { "FAILURE" });
    }
    let fields = [
        p.payment_id.clone(),
        p.currency.clone(),
        p.basket_id.clone().unwrap_or_default(),
        p.conversation_id.clone(),
        signed_amount(&p.paid_price),
        signed_amount(&p.price),
    ];
    let mut signature = hmac_hex(IYZICO_SECRET_KEY, fields.join(":").as_bytes());
    if scenario == Some(Scenario::Badsig) {
        signature = hmac_hex("not-the-secret", fields.join(":").as_bytes());
    }
    v["signature"] = json!(signature);
    v
}

/// What a request that creates a payment starts with (`create_payment`, `init_3ds`,
/// `init_checkout_form`): the body, its `conversationId` and first item name (the fault
/// scenario), and an authenticated request.
pub(crate) struct Started {
    pub(crate) body: Value,
    pub(crate) conversation: Option<String>,
    pub(crate) name: String,
    op: &'static str,
}

impl Started {
    pub(crate) fn begin(req: &Incoming, op: &'static str) -> Result<Started, Box<Answer>> {
        let body = req.json();
        let mut started = Started {
            conversation: body.as_ref().and_then(|b| str_field(b, "conversationId")),
            name: body
                .as_ref()
                .and_then(|b| b.pointer("/basketItems/0/name"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            body: Value::Null,
            op,
        };
        if let Err(e) = authenticate(req) {
            return Err(Box::new(started.reply(e)));
        }
        match body {
            Some(b) => started.body = b,
            None => {
                return Err(Box::new(started.reply(failure(
                    "11",
                    "Geçersiz istek",
                    None,
                    None,
                ))))
            }
        }
        Ok(started)
    }

    pub(crate) fn reply(&self, v: Value) -> Answer {
        self.reply_status(200, v)
    }

    pub(crate) fn reply_status(&self, status: u16, v: Value) -> Answer {
        let mut a = Answer::new(status, v, self.op).order_ref(self.conversation.clone());
        a.redirect_error = Some(failure(
            "11",
            "Geçersiz istek",
            None,
            self.conversation.as_deref(),
        ));
        a
    }
}

/// Which payment-creating call a body is checked for: one check serves them all, so a body
/// one of them refuses is refused by the others in the same words.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// `/payment/auth`, `/payment/preauth`: a card, no callback.
    Card,
    /// `/payment/3dsecure/initialize` (and `/preauth`): a card and `callbackUrl`.
    ThreeDs,
    /// The checkout form: no card (the payer enters it), `callbackUrl`, installment optional.
    CheckoutForm,
}

/// What [`check_body`] read from a valid body.
#[derive(Clone)]
pub(crate) struct Checked {
    pub total: String,
    pub paid: String,
    pub installment: u64,
    pub currency: String,
    /// (itemId, price) per basket item.
    pub lines: Vec<(String, String)>,
}

/// The checks iyzico makes on a payment body (price, basket sum (5062), buyer, addresses,
/// items), as far as the simulator's answers depend on them.
pub(crate) fn check_body(
    body: &Value,
    flow: Flow,
) -> Result<Checked, (&'static str, &'static str)> {
    let total = text(body, "price")
        .and_then(|t| price(&t).map(|d| (t, d)))
        .ok_or(("5005", "price gönderilmesi zorunludur"))?;
    let paid = text(body, "paidPrice")
        .filter(|t| price(t).is_some())
        .ok_or(("5006", "paidPrice gönderilmesi zorunludur"))?;
    let installment = match (text(body, "installment"), flow) {
        (None, Flow::CheckoutForm) => 1,
        (t, _) => t
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|i| [1, 2, 3, 6, 9, 12].contains(i))
            .ok_or(("5033", "Geçersiz taksit"))?,
    };
    let currency = text(body, "currency").unwrap_or_else(|| "TRY".into());
    if !["TRY", "USD", "EUR", "GBP", "IRR", "NOK", "RUB", "CHF"].contains(&currency.as_str()) {
        return Err(("5030", "Geçersiz para birimi"));
    }
    let buyer = body.get("buyer").cloned().unwrap_or(Value::Null);
    for (key, code, msg) in [
        ("id", "5019", "buyer.id gönderilmesi zorunludur"),
        ("name", "5020", "buyer.name gönderilmesi zorunludur"),
        ("surname", "5021", "buyer.surname gönderilmesi zorunludur"),
        ("email", "3", "Email gönderilmesi zorunludur"),
        (
            "identityNumber",
            "8",
            "identityNumber gönderilmesi zorunludur",
        ),
        (
            "registrationAddress",
            "5022",
            "registrationAddress gönderilmesi zorunludur",
        ),
        ("city", "5023", "buyer.city gönderilmesi zorunludur"),
        ("country", "5024", "buyer.country gönderilmesi zorunludur"),
        ("ip", "5025", "buyer.ip gönderilmesi zorunludur"),
    ] {
        if str_field(&buyer, key).is_none() {
            return Err((code, msg));
        }
    }
    if body
        .get("billingAddress")
        .and_then(|a| str_field(a, "address"))
        .is_none()
    {
        return Err(("5015", "billingAddress gönderilmesi zorunludur"));
    }
    let items = body
        .get("basketItems")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or(("5011", "basketItems gönderilmesi zorunludur"))?;
    let mut sum = Decimal::ZERO;
    let mut lines = Vec::new();
    let mut physical = false;
    for item in items {
        let p = text(item, "price")
            .filter(|t| price(t).is_some())
            .ok_or(("5061", "Sepet kırılım tutarı sıfırdan büyük olmalıdır"))?;
        if str_field(item, "id").is_none()
            || str_field(item, "name").is_none()
            || str_field(item, "category1").is_none()
        {
            return Err(("5012", "basketItems alanları eksik"));
        }
        match item.get("itemType").and_then(Value::as_str) {
            Some("PHYSICAL") => physical = true,
            Some("VIRTUAL") => {}
            _ => return Err(("5013", "Geçersiz itemType")),
        }
        sum += price(&p).unwrap_or_default();
        lines.push((str_field(item, "id").unwrap_or_default(), p));
    }
    if sum != total.1 {
        return Err((
            "5062",
            "Gönderilen tutar tüm kırılımların toplam tutarına eşit olmalıdır",
        ));
    }
    if physical
        && body
            .get("shippingAddress")
            .and_then(|a| str_field(a, "address"))
            .is_none()
    {
        return Err(("5016", "shippingAddress gönderilmesi zorunludur"));
    }
    if flow != Flow::Card && !text(body, "callbackUrl").is_some_and(|u| u.starts_with("http")) {
        // iyzico's error list: 23 "Callback URL is mandatory".
        return Err(("23", "callbackUrl gönderilmesi zorunludur"));
    }
    Ok(Checked {
        total: total.0,
        paid,
        installment,
        currency,
        lines,
    })
}

/// The bank's answer for a card, in iyzico's words (its published sandbox decline cards):
/// (code, group, text).
pub(crate) fn decline_of(pan: &str) -> Option<(&'static str, &'static str, &'static str)> {
    use crate::cards::Decline;
    Some(match crate::cards::decline(pan)? {
        Decline::InsufficientFunds => (
            "10051",
            "NOT_SUFFICIENT_FUNDS",
            "Kart limiti yetersiz, yetersiz bakiye",
        ),
        Decline::DoNotHonour => ("10005", "DO_NOT_HONOUR", "İşlem onaylanmadı"),
        Decline::InvalidCvc => ("10084", "INVALID_CVC2", "CVC2 bilgisi hatalı"),
    })
}

/// What a payment is made of before it has ids: its merchant references and a checked body.
#[derive(Clone)]
pub(crate) struct Draft {
    pub conversation_id: String,
    pub basket_id: Option<String>,
    pub checked: Checked,
}

impl Draft {
    pub(crate) fn of(body: &Value, checked: Checked) -> Draft {
        Draft {
            conversation_id: str_field(body, "conversationId").unwrap_or_default(),
            basket_id: str_field(body, "basketId"),
            checked,
        }
    }
}

/// The one place a payment is made: from a draft, the card number it is paid with, and `id`
/// from [`Ctx::next_id`](crate::wire::Ctx::next_id). Not yet successful, not yet booked.
pub(crate) fn new_payment(id: u64, draft: Draft, pan: &str) -> Payment {
    let checked = draft.checked;
    Payment {
        payment_id: (10_851_936 + id).to_string(),
        conversation_id: draft.conversation_id,
        basket_id: draft.basket_id,
        price: checked.total,
        paid_price: checked.paid,
        currency: checked.currency,
        installment: checked.installment,
        fraud_status: 1,
        bin: pan[..6].to_owned(),
        last_four: pan[pan.len() - 4..].to_owned(),
        items: checked
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, (item, p))| (item, (11_440_000 + id * 10 + i as u64).to_string(), p))
            .collect(),
        success: false,
        created_ms: now_ms(),
        phase: "AUTH",
        threeds: false,
        registered: None,
    }
}

/// The one booking of a payment: it is then found by its id and its conversationId, and the
/// refund and capture faults its first basket item's name (`product`) carries are remembered.
pub(crate) fn book(st: &mut Store, payment: &Payment, product: &str) {
    st.by_conversation
        .entry(payment.conversation_id.clone())
        .or_default()
        .push(payment.payment_id.clone());
    st.payments
        .insert(payment.payment_id.clone(), payment.clone());
    st.ledger.note_fault(&payment.payment_id, product);
    if let Some(s) = Scenario::after(product, "capture") {
        st.capture_faults.insert(payment.payment_id.clone(), s);
    }
}

pub(crate) fn create_payment(cx: &Ctx, req: &Incoming) -> Answer {
    pay(cx, req, "iyzico.create_payment", "AUTH")
}

/// `/payment/auth` (`phase` `AUTH`) and `/payment/preauth` (`PRE_AUTH`): the same body, the same
/// checks, the same reply.
pub(crate) fn pay(cx: &Ctx, req: &Incoming, op: &'static str, phase: &'static str) -> Answer {
    let started = match Started::begin(req, op) {
        Ok(s) => s,
        Err(a) => return *a,
    };
    let scenario = Scenario::from_product(&started.name);
    let body = &started.body;
    let conv = started.conversation.as_deref();
    let fail = |(code, msg): (&str, &str)| started.reply(failure(code, msg, None, conv));
    let checked = match check_body(body, Flow::Card) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let id = cx.next_id();
    let mut st = cx.lock();
    let card = match cards::card_of(&mut st, body, true, id) {
        Ok(c) => c,
        Err(e) => {
            drop(st);
            return fail(e);
        }
    };
    let decline = decline_of(&card.pan);
    let mut payment = new_payment(id, Draft::of(body, checked), &card.pan);
    payment.fraud_status = if scenario == Some(Scenario::Review) {
        0
    } else {
        1
    };
    payment.success = decline.is_none();
    payment.phase = phase;
    if decline.is_none() {
        payment.registered = card.register(&mut st);
    }
    book(&mut st, &payment, &started.name);
    drop(st);
    if let Some((code, group, msg)) = decline {
        return started.reply(failure(code, msg, Some(group), conv));
    }
    let mut a = started.reply(resource(&payment, scenario, false));
    a.scenario = scenario;
    a
}

pub(crate) fn retrieve_payment(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.retrieve_payment";
    let body = req.json().unwrap_or(Value::Null);
    let by_conv = str_field(&body, "paymentConversationId");
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(by_conv.clone());
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let conv = str_field(&body, "conversationId");
    let st = cx.lock();
    let id = str_field(&body, "paymentId").or_else(|| {
        by_conv
            .as_ref()
            .and_then(|c| st.by_conversation.get(c))
            .and_then(|ids| ids.last().cloned())
    });
    match id.and_then(|id| st.payments.get(&id).cloned()) {
        Some(p) => reply(resource(&p, None, true)),
        None => reply(failure(
            "5087",
            "Ödeme kaydı bulunamadı",
            None,
            conv.as_deref(),
        )),
    }
}

/// A payment in the reporting API's shape (`GET /v2/reporting/payment/details`, docs.iyzico.com
/// "api-reference-beta/reporting": numbers as numbers, `paymentStatus` 1/0, `cancels[]`,
/// `itemTransactions[].refunds[]`). See `sim/tests/documented/`.
fn report(p: &Payment) -> Value {
    let items: Vec<Value> = p
        .items
        .iter()
        .map(|(item, tx, price)| {
            json!({"itemId": item, "paymentTransactionId": number(tx), "transactionStatus": 2,
                   "price": number(price), "paidPrice": number(price),
                   "merchantCommissionRate": 0, "merchantCommissionRateAmount": 0,
                   "iyziCommissionRateAmount": number("0.02"), "iyziCommissionFee": 0,
                   "blockageRate": 0, "blockageRateAmountMerchant": 0, "blockageRateAmountSubMerchant": 0,
                   "blockageResolvedDate": "", "subMerchantPrice": 0, "subMerchantPayoutRate": 0,
                   "subMerchantPayoutAmount": 0, "merchantPayoutAmount": number(price),
                   "refunds": []})
        })
        .collect();
    json!({
        "paymentId": number(&p.payment_id),
        "paymentStatus": if p.success { 1 } else { 0 },
        "paymentRefundStatus": "NOT_REFUNDED",
        "price": number(&p.price), "paidPrice": number(&p.paid_price),
        "installment": p.installment,
        "merchantCommissionRate": 0, "merchantCommissionRateAmount": 0,
        "iyziCommissionRateAmount": number("0.02"), "iyziCommissionFee": number("0.25"),
        "paymentConversationId": p.conversation_id,
        "fraudStatus": p.fraud_status,
        "cardType": "CREDIT_CARD", "cardAssociation": "MASTER_CARD", "cardFamily": "Bonus",
        "binNumber": p.bin, "lastFourDigits": p.last_four,
        "basketId": p.basket_id, "currency": p.currency,
        "connectorName": "IYZI_POS", "authCode": "235467", "threeDS": p.threeds, "phase": p.phase,
        "acquirerBankName": "iyziPos", "hostReference": "sim00001iyzihostrfn",
        "createdDate": iso8601(p.created_ms),
        "cancels": [],
        "itemTransactions": items,
    })
}

/// `GET /v2/reporting/payment/details?paymentConversationId=|paymentId=`: IYZWSv2 over the path
/// without the query and an empty body; every attempt under the conversationId.
pub(crate) fn payment_details(cx: &Ctx, req: &Incoming) -> Answer {
    const OP: &str = "iyzico.payment_details";
    let by_conv = req.query_param("paymentConversationId");
    let conv = req.query_param("conversationId");
    let reply = |v: Value| Answer::new(200, v, OP).order_ref(by_conv.clone());
    if let Err(e) = authenticate(req) {
        return reply(e);
    }
    let st = cx.lock();
    let ids: Vec<String> = match (req.query_param("paymentId"), &by_conv) {
        (Some(id), _) => vec![id],
        (None, Some(c)) => st.by_conversation.get(c).cloned().unwrap_or_default(),
        (None, None) => {
            return reply(failure(
                "5002",
                "paymentId gönderilmesi zorunludur",
                None,
                conv.as_deref(),
            ))
        }
    };
    let payments: Vec<Value> = ids
        .iter()
        .filter_map(|id| st.payments.get(id))
        .map(|p| {
            let mut v = report(p);
            refunds::show(&st, p, &mut v);
            v
        })
        .collect();
    if payments.is_empty() {
        return reply(failure(
            "5087",
            "Ödeme kaydı bulunamadı",
            None,
            conv.as_deref(),
        ));
    }
    let mut v =
        json!({"status": "success", "locale": "tr", "systemTime": now_ms(), "payments": payments});
    if let Some(c) = conv {
        v["conversationId"] = json!(c);
    }
    reply(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_amounts_lose_trailing_zeros() {
        assert_eq!(signed_amount("1.0"), "1");
        assert_eq!(signed_amount("1.20"), "1.2");
        assert_eq!(signed_amount("10"), "10");
        assert_eq!(signed_amount("100.00"), "100");
    }
}
