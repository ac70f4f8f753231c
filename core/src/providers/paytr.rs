//! PayTR: the iFrame API (`get-token`), the Direct API with 3-D Secure (`POST /odeme`), refunds
//! (`/odeme/iade`), the status query (`/odeme/durum-sorgu`) and the callback PayTR posts to the
//! merchant's notification URL.
//!
//! Sources (dev.paytr.com): "iFrame API 1. Adım" and "2. Adım", "Direkt API Entegrasyonu 1. Adım",
//! "İade API Entegrasyonu", "Durum Sorgu API Entegrasyonu" and "PayTR Hata Kodları", with the PHP
//! samples on those pages (UNVERIFIED.md, PayTR).
//!
//! Every request is a form. Every `paytr_token` is `base64(HMAC-SHA256(merchant_key, fields in
//! the documented order + merchant_salt))` ([`crate::sign::paytr_token`]), computed over exactly
//! the strings that are sent. The callback's hash puts the salt second:
//! `merchant_oid + merchant_salt + status + total_amount`. Units differ per call, as PayTR
//! documents them: the iFrame's `payment_amount` is in kuruş (`3456` for 34.56), the Direct
//! API's `payment_amount` and the refund's `return_amount` are decimals with a dot (`100.99`).
//! PayTR orders carry the merchant's own `merchant_oid`, so every `at_most_once` call here is
//! reconciled with `paytr.query_order` by `merchant_oid`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use std::str::FromStr;

use super::{form_body, Call, Count, Flag, Text};
use crate::config::PaytrConfig;
use crate::error::{self, provider_error, signature_error, Error, ErrorKind, ProviderFailure};
use crate::json::Scalar;
use crate::json::{filled, owned};
use crate::money::Amount;
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{
    Notification, Outcome, PaymentReport, Refund, RefundOutcome, Response, State, Status,
};
use crate::secret::{CardNumber, Cvc};
use crate::sign;
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

pub const GET_TOKEN_PATH: &str = "/odeme/api/get-token";
pub const DIRECT_PATH: &str = "/odeme";
pub const REFUND_PATH: &str = "/odeme/iade";
pub const STATUS_PATH: &str = "/odeme/durum-sorgu";
/// The hosted page of an iFrame token: `BASE/odeme/guvenli/TOKEN`.
pub const IFRAME_PAGE_PATH: &str = "/odeme/guvenli/";

/// What the merchant's notification URL must answer once a callback is handled.
pub const CALLBACK_REPLY: &str = "OK";

const BY_OID: Reconcile = Reconcile::With {
    operation: "paytr.query_order",
    by: "merchant_oid",
    as_field: "merchant_oid",
};

/// PayTR's operations, declared once.
pub(crate) const OPERATIONS: &[OperationDef] = &[
    OperationDef {
        name: "paytr.create_iframe_token",
        summary: "A token for PayTR's hosted payment page (iFrame API): payment_amount in kuruş, user_basket as [[name, unit price, quantity], ...]",
        method: Some("POST"),
        path: Some(GET_TOKEN_PATH),
        outcome: &["iframe"],
        example: r#"{"user_ip":"85.34.78.112","merchant_oid":"order42","email":"ayse@example.com","payment_amount":3456,"user_basket":[["Örnek ürün","34.56",1]],"user_name":"Ayşe Yılmaz","user_address":"İstiklal Cd. 1, İstanbul","user_phone":"05555555555","merchant_ok_url":"https://shop.example/ok","merchant_fail_url":"https://shop.example/fail"}"#,
        sends: Sends::AtMostOnce,
        reconcile: BY_OID,
        journal: Journaled {
            reference: Some("merchant_oid"),
            amount: Some("payment_amount"),
            currency: Some("currency"),
        },
        steps: Steps::Paytr(StepFns {
            run: |call, req| create_iframe_token(call, parse_request(req)?),
            reply: |call, _, reply| iframe_reply(call, reply),
        }),
    },
    OperationDef {
        name: "paytr.pay_direct",
        summary: "A 3-D Secure card payment through PayTR's Direct API: answers the 3-D Secure page to show the payer",
        method: Some("POST"),
        path: Some(DIRECT_PATH),
        outcome: &["html"],
        example: r#"{"user_ip":"85.34.78.112","merchant_oid":"order43","email":"ali@example.com","payment_amount":"100.99","cc_owner":"Ali Çelik","card_number":"5528790000000008","expiry_month":"12","expiry_year":"2030","cvv":"000","merchant_ok_url":"https://shop.example/ok","merchant_fail_url":"https://shop.example/fail","user_name":"Ali Çelik","user_address":"Kızılay, Ankara","user_phone":"05321234567","user_basket":[["Şemsiye","100.99",1]]}"#,
        sends: Sends::AtMostOnce,
        reconcile: BY_OID,
        journal: Journaled {
            reference: Some("merchant_oid"),
            amount: Some("payment_amount"),
            currency: Some("currency"),
        },
        steps: Steps::Paytr(StepFns {
            run: |call, req| pay_direct(call, parse_request(req)?),
            reply: |call, req, reply| {
                let r: PayDirectRequest = parse_request(req)?;
                direct_reply(call, &r.merchant_oid, reply)
            },
        }),
    },
    OperationDef {
        name: "paytr.refund",
        summary: "Refund part or all of a PayTR order by merchant_oid (return_amount a decimal, 10.25)",
        method: Some("POST"),
        path: Some(REFUND_PATH),
        outcome: &["refund"],
        example: r#"{"merchant_oid":"order42","return_amount":"10.25","reference_no":"iade1"}"#,
        sends: Sends::AtMostOnce,
        reconcile: BY_OID,
        // Several refunds of one order share its merchant_oid: the row's reference is the
        // refund's own optional `reference_no`, so a callback for the order never resolves it.
        journal: Journaled {
            reference: Some("reference_no"),
            amount: Some("return_amount"),
            currency: None,
        },
        steps: Steps::Paytr(StepFns {
            run: |call, req| refund(call, parse_request(req)?),
            reply: |call, req, reply| refund_reply(call, &parse_request(req)?, reply),
        }),
    },
    OperationDef {
        name: "paytr.query_order",
        summary: "A PayTR order's state by merchant_oid, with its refunds (returns)",
        method: Some("POST"),
        path: Some(STATUS_PATH),
        outcome: &["status"],
        example: r#"{"merchant_oid":"order42"}"#,
        sends: Sends::Retryable,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Paytr(StepFns {
            run: |call, req| query_order(call, parse_request(req)?),
            reply: |call, req, reply| {
                let r: QueryOrderRequest = parse_request(req)?;
                query_reply(call, &r.merchant_oid, reply)
            },
        }),
    },
    OperationDef {
        name: "paytr.verify_callback",
        summary: "Check the callback PayTR posts to the notification URL: hash over merchant_oid + merchant_salt + status + total_amount, constant time; answer PayTR with reply (OK)",
        method: None,
        path: None,
        outcome: &["notification"],
        example: r#"{"merchant_oid":"order42","status":"success","total_amount":"3456","hash":"0000"}"#,
        sends: Sends::Local,
        reconcile: Reconcile::NotNeeded,
        journal: Journaled::NONE,
        steps: Steps::Paytr(StepFns {
            run: |call, req| verify_callback(call, req.to_value()?),
            reply: |call, req, _| verify_callback(call, req.to_value()?),
        }),
    },
];

// ---- requests ----------------------------------------------------------------------------------

/// `paytr.create_iframe_token` request: PayTR's iFrame API fields (odeme adds `merchant_id`,
/// `test_mode` and `paytr_token`). `payment_amount` is in kuruş; `user_basket` is the JSON array
/// `[[name, unit price, quantity], ...]`, which odeme base64-encodes once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IframeTokenRequest {
    pub user_ip: String,
    pub merchant_oid: String,
    pub email: String,
    pub payment_amount: Text,
    #[serde(default)]
    pub currency: Option<String>,
    pub user_basket: Value,
    #[serde(default)]
    pub no_installment: Option<Flag>,
    #[serde(default)]
    pub max_installment: Option<Count>,
    pub user_name: String,
    pub user_address: String,
    pub user_phone: String,
    pub merchant_ok_url: String,
    pub merchant_fail_url: String,
    /// Minutes the payer has to finish (PayTR's default: 30).
    #[serde(default)]
    pub timeout_limit: Option<Count>,
    #[serde(default)]
    pub debug_on: Option<Flag>,
    /// `tr` or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// `paytr.pay_direct` request: PayTR's Direct API fields with the card (3-D Secure: odeme sends
/// `non_3d` 0). `payment_amount` is a decimal (`100.99`); `user_basket` the JSON array
/// `[[name, unit price, quantity], ...]`, sent as JSON text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayDirectRequest {
    pub user_ip: String,
    pub merchant_oid: String,
    pub email: String,
    pub payment_amount: Amount,
    /// `card` (the only type the Direct API documents), the default.
    #[serde(default)]
    pub payment_type: Option<String>,
    /// 0 (single payment) or 2–12.
    #[serde(default)]
    pub installment_count: Option<Count>,
    /// The card family for installments (`bonus`, `world`, ...), from PayTR's BIN service.
    #[serde(default)]
    pub card_type: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    /// `tr` or `en`.
    #[serde(default)]
    pub client_lang: Option<String>,
    pub cc_owner: String,
    pub card_number: CardNumber,
    pub expiry_month: Text,
    pub expiry_year: Text,
    pub cvv: Cvc,
    pub merchant_ok_url: String,
    pub merchant_fail_url: String,
    pub user_name: String,
    pub user_address: String,
    pub user_phone: String,
    pub user_basket: Value,
    #[serde(default)]
    pub debug_on: Option<Flag>,
}

/// `paytr.refund` request: `{merchant_oid, return_amount, reference_no?}` and odeme's optional
/// `refundable` (what remains, if the caller knows; never sent).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    pub merchant_oid: String,
    pub return_amount: Amount,
    /// Your reference for this refund (≤ 64 alphanumerics); the status query lists it.
    #[serde(default)]
    pub reference_no: Option<String>,
    #[serde(default)]
    pub refundable: Option<Amount>,
}

/// `paytr.query_order` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryOrderRequest {
    pub merchant_oid: String,
}

// ---- validation shared by the two payment calls ---------------------------------------------------

fn check_oid(field: &str, oid: &str) -> Result<(), Error> {
    validate::required(field, oid)?;
    validate::max_chars(field, oid, 64)?;
    // PayTR documents "alfa numerik"; odeme refuses what can never be one (spaces, non-ASCII)
    // and leaves `-` and `_` to PayTR (UNVERIFIED.md, PayTR).
    if !oid
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::invalid_field(
            field,
            "must be letters and digits (PayTR: alphanumeric, at most 64 characters)",
        ));
    }
    Ok(())
}

fn check_url(field: &str, url: &str) -> Result<(), Error> {
    validate::max_chars(field, url, 400)?;
    if !(url.starts_with("https://") || url.starts_with("http://"))
        || url.chars().any(char::is_whitespace)
    {
        return Err(Error::invalid_field(
            field,
            "must be a full http(s) URL without spaces",
        ));
    }
    Ok(())
}

/// The buyer fields both payment calls carry, with PayTR's documented limits.
fn check_buyer(
    user_ip: &str,
    email: &str,
    name: &str,
    address: &str,
    phone: &str,
    ok_url: &str,
    fail_url: &str,
) -> Result<(), Error> {
    validate::required("user_ip", user_ip)?;
    validate::max_chars("user_ip", user_ip, 39)?;
    validate::max_chars("email", email, 100)?;
    validate::email("email", email)?;
    for (field, value, max) in [
        ("user_name", name, 60),
        ("user_address", address, 400),
        ("user_phone", phone, 20),
    ] {
        validate::required(field, value)?;
        validate::max_chars(field, value, max)?;
    }
    check_url("merchant_ok_url", ok_url)?;
    check_url("merchant_fail_url", fail_url)
}

/// PayTR's currency codes; absent is `TL`, as PayTR assumes.
fn currency(c: &Option<String>) -> Result<&str, Error> {
    match c.as_deref() {
        None => Ok("TL"),
        Some(c @ ("TL" | "TRY" | "EUR" | "USD" | "GBP" | "RUB")) => Ok(c),
        Some(_) => Err(Error::invalid_field(
            "currency",
            "must be TL (or TRY), EUR, USD, GBP or RUB",
        )),
    }
}

/// Check `[[name, unit price, quantity], ...]` and write it as JSON text (the merchant's own
/// values: numbers keep their digits).
fn basket_json(basket: &Value) -> Result<String, Error> {
    const SHAPE: &str = "must be a JSON array of [name, unit price, quantity] items";
    let items = basket
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::invalid_field("user_basket", SHAPE))?;
    for (i, item) in items.iter().enumerate() {
        let field = |part: &str| format!("user_basket[{i}]{part}");
        let Some([name, price, quantity]) = item.as_array().map(Vec::as_slice) else {
            return Err(Error::invalid_field(field(""), SHAPE));
        };
        if name.as_str().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::invalid_field(
                field("[0]"),
                "the item's name must be a non-empty string",
            ));
        }
        let price_text = match price {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        // PayTR's own samples write unit prices as "18.00" and "33,25".
        if Decimal::from_str(&price_text.replace(',', ".")).map_or(true, |d| d <= Decimal::ZERO) {
            return Err(Error::invalid_field(
                field("[1]"),
                "the unit price must be a positive decimal (\"18.00\")",
            ));
        }
        let qty = match quantity {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.to_string().parse::<u64>().ok(),
            _ => None,
        };
        if qty.is_none_or(|q| q == 0) {
            return Err(Error::invalid_field(
                field("[2]"),
                "the quantity must be a whole number above zero",
            ));
        }
    }
    serde_json::to_string(basket)
        .map_err(|_| Error::new(ErrorKind::Internal, "could not serialize user_basket"))
}

/// `payment_amount` of the iFrame API: whole kuruş.
fn kurus(t: &Text) -> Result<&str, Error> {
    let s = t.as_str();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
        return Err(Error::invalid_field(
            "payment_amount",
            "must be a whole number of kuruş above zero (34.56 TL is 3456)",
        ));
    }
    Ok(s)
}

fn flag(f: Option<Flag>) -> &'static str {
    if f.is_some_and(|f| f.0) {
        "1"
    } else {
        "0"
    }
}

fn test_mode(cfg: &PaytrConfig) -> &'static str {
    if cfg.test_mode {
        "1"
    } else {
        "0"
    }
}

// ---- the iFrame token ----------------------------------------------------------------------------

/// The names of the iFrame token's fields, in PayTR's order (before `merchant_salt`).
pub const IFRAME_TOKEN_FIELDS: [&str; 10] = [
    "merchant_id",
    "user_ip",
    "merchant_oid",
    "email",
    "payment_amount",
    "user_basket",
    "no_installment",
    "max_installment",
    "currency",
    "test_mode",
];

/// The names of the Direct API token's fields, in PayTR's order (before `merchant_salt`).
pub const DIRECT_TOKEN_FIELDS: [&str; 10] = [
    "merchant_id",
    "user_ip",
    "merchant_oid",
    "email",
    "payment_amount",
    "payment_type",
    "installment_count",
    "currency",
    "test_mode",
    "non_3d",
];

/// Validate an iFrame token request and build the exact form that is signed and sent.
pub fn iframe_form(
    cfg: &PaytrConfig,
    req: &IframeTokenRequest,
) -> Result<Vec<(&'static str, String)>, Error> {
    check_oid("merchant_oid", &req.merchant_oid)?;
    check_buyer(
        &req.user_ip,
        &req.email,
        &req.user_name,
        &req.user_address,
        &req.user_phone,
        &req.merchant_ok_url,
        &req.merchant_fail_url,
    )?;
    let amount = kurus(&req.payment_amount)?;
    let currency = currency(&req.currency)?;
    let basket = B64.encode(basket_json(&req.user_basket)?);
    let max_installment = req.max_installment.map(|c| c.0).unwrap_or(0);
    if max_installment > 12 {
        return Err(Error::invalid_field(
            "max_installment",
            "must be 0 (no limit) to 12",
        ));
    }
    let lang = req.lang.as_deref().unwrap_or("tr");
    if lang != "tr" && lang != "en" {
        return Err(Error::invalid_field("lang", "must be \"tr\" or \"en\""));
    }
    let timeout_limit = req.timeout_limit.map(|c| c.0).unwrap_or(30);
    if timeout_limit == 0 {
        return Err(Error::invalid_field(
            "timeout_limit",
            "must be a number of minutes above zero",
        ));
    }
    let no_installment = flag(req.no_installment);
    let max_installment = max_installment.to_string();
    let parts = [
        cfg.merchant_id.as_str(),
        &req.user_ip,
        &req.merchant_oid,
        &req.email,
        amount,
        &basket,
        no_installment,
        &max_installment,
        currency,
        test_mode(cfg),
    ];
    let token = sign::paytr_token(
        cfg.merchant_key.expose(),
        &parts,
        cfg.merchant_salt.expose(),
    );
    Ok(vec![
        ("merchant_id", cfg.merchant_id.clone()),
        ("user_ip", req.user_ip.clone()),
        ("merchant_oid", req.merchant_oid.clone()),
        ("email", req.email.clone()),
        ("payment_amount", amount.to_owned()),
        ("paytr_token", token),
        ("user_basket", basket),
        ("debug_on", flag(req.debug_on).to_owned()),
        ("no_installment", no_installment.to_owned()),
        ("max_installment", max_installment),
        ("user_name", req.user_name.clone()),
        ("user_address", req.user_address.clone()),
        ("user_phone", req.user_phone.clone()),
        ("merchant_ok_url", req.merchant_ok_url.clone()),
        ("merchant_fail_url", req.merchant_fail_url.clone()),
        ("timeout_limit", timeout_limit.to_string()),
        ("currency", currency.to_owned()),
        ("test_mode", test_mode(cfg).to_owned()),
        ("lang", lang.to_owned()),
    ])
}

fn post(
    call: &Call<'_, PaytrConfig>,
    path: &str,
    form: &[(&'static str, String)],
) -> Result<Reply, Error> {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    call.send(
        Method::Post,
        format!("{}{path}", call.cfg.base_url),
        Body::Form(form_body(&pairs)),
        &|_| Vec::new(),
    )
}

fn create_iframe_token(
    call: &Call<'_, PaytrConfig>,
    req: IframeTokenRequest,
) -> Result<Response, Error> {
    let form = iframe_form(call.cfg, &req)?;
    let reply = post(call, GET_TOKEN_PATH, &form)?;
    iframe_reply(call, &reply)
}

// ---- replies ------------------------------------------------------------------------------------

/// What every PayTR JSON reply may say about itself: `status` (`success`, or `failed`/`error`)
/// and the error texts of its services: `reason` (get-token), `err_no`/`err_msg` (refund,
/// status), `msg`.
struct Head<'r> {
    status: Option<&'r str>,
    err_no: Option<&'r str>,
    err_msg: Option<&'r str>,
    reason: Option<&'r str>,
    msg: Option<&'r str>,
}

/// Declares a PayTR reply shape: the fields of [`Head`] and the operation's own (serde reads
/// them all in one pass, borrowed).
macro_rules! paytr_reply {
    ($(#[$meta:meta])* $name:ident<$a:lifetime> { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Deserialize)]
        struct $name<$a> {
            #[serde(borrow)]
            status: Option<Scalar<$a>>,
            #[serde(borrow)]
            err_no: Option<Scalar<$a>>,
            #[serde(borrow)]
            err_msg: Option<Scalar<$a>>,
            #[serde(borrow)]
            reason: Option<Scalar<$a>>,
            #[serde(borrow)]
            msg: Option<Scalar<$a>>,
            $($(#[$fmeta])* $field: $ty,)*
        }

        impl $name<'_> {
            fn head(&self) -> Head<'_> {
                Head {
                    status: self.status.as_deref(),
                    err_no: self.err_no.as_deref(),
                    err_msg: self.err_msg.as_deref(),
                    reason: self.reason.as_deref(),
                    msg: self.msg.as_deref(),
                }
            }
        }
    };
}

paytr_reply! {
    /// A JSON refusal (the Direct API answers HTML unless it refuses), and the get-token reply:
    /// `{"status":"success","token":"..."}` or `{"status":"failed","reason":"..."}`.
    TokenReply<'a> {
        #[serde(borrow)]
        token: Option<Scalar<'a>>,
    }
}

paytr_reply! {
    /// The refund reply: `{status: success, is_test, merchant_oid, return_amount, reference_no?}`,
    /// or `{status: error, err_no, err_msg}`.
    RefundReply<'a> {
        #[serde(borrow)]
        merchant_oid: Option<Scalar<'a>>,
        #[serde(borrow)]
        reference_no: Option<Scalar<'a>>,
        #[serde(borrow)]
        return_amount: Option<Scalar<'a>>,
    }
}

paytr_reply! {
    /// The status reply: `payment_amount`, `payment_total`, `currency`, `returns[]`; or an error.
    StatusReply<'a> {
        #[serde(borrow)]
        payment_amount: Option<Scalar<'a>>,
        #[serde(borrow)]
        payment_total: Option<Scalar<'a>>,
        #[serde(borrow)]
        currency: Option<Scalar<'a>>,
        #[serde(borrow)]
        returns: Option<Vec<StatusReturn<'a>>>,
    }
}

/// One `returns[]` item of the status reply.
#[derive(Deserialize)]
struct StatusReturn<'a> {
    #[serde(borrow)]
    return_amount: Option<Scalar<'a>>,
    #[serde(borrow)]
    reference_no: Option<Scalar<'a>>,
    #[serde(borrow)]
    return_date: Option<Scalar<'a>>,
}

/// The fields of a callback odeme reads (the signed ones and the hash); others are not signed
/// and not read.
#[derive(Deserialize)]
struct CallbackFields<'a> {
    #[serde(borrow)]
    merchant_oid: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Option<Scalar<'a>>,
    #[serde(borrow)]
    total_amount: Option<Scalar<'a>>,
    #[serde(borrow)]
    hash: Option<Scalar<'a>>,
}

/// `{"status":"success","token":"..."}`, or `{"status":"failed","reason":"..."}`.
fn iframe_reply(call: &Call<'_, PaytrConfig>, reply: &Reply) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: TokenReply<'_> = reply.typed(lost)?;
    let head = raw.head();
    if !success(&head, reply, lost)? {
        return Err(failure(&head, reply));
    }
    let token = filled(&raw.token).ok_or_else(|| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            "PayTR reported success without a token",
        )
    })?;
    let url = format!("{}{IFRAME_PAGE_PATH}{token}", call.cfg.base_url);
    Ok(call.response(Outcome::Iframe { token, url }, None, reply.raw()))
}

/// `status` is `success`; `failed`/`error` are PayTR's refusals; a reply with neither is not a
/// PayTR answer at all.
fn success(head: &Head<'_>, reply: &Reply, at_most_once: bool) -> Result<bool, Error> {
    match head.status {
        Some("success") => Ok(true),
        Some(_) => Ok(false),
        None => Err(error::unreadable_reply(
            at_most_once,
            Some(reply.status),
            "the PayTR reply has no status",
        )),
    }
}

/// PayTR's error shapes: `reason` (get-token), `err_no`/`err_msg` (refund, status), `msg`.
fn failure(head: &Head<'_>, reply: &Reply) -> Error {
    let code = head.err_no;
    let message = head.err_msg.or(head.reason).or(head.msg);
    let failure = classify(code, message, reply.status);
    provider_error(failure, code, message, reply.status)
}

/// A rejected token or an unknown/inactive store is a credential failure ("paytr_token
/// gonderilmedi veya gecersiz", "Gecersiz istek veya magaza aktif degil"); the refund service's
/// 000 ("iade yapilamiyor, daha sonra tekrar deneyin") asks to retry later; the rest are
/// provider errors. Codes are read together with their texts, because each service numbers its
/// errors on its own ("PayTR Hata Kodları").
pub(crate) fn classify(
    code: Option<&str>,
    message: Option<&str>,
    http_status: u16,
) -> ProviderFailure {
    let m = message.unwrap_or("").to_lowercase();
    if http_status == 401 || http_status == 403 {
        return ProviderFailure::Auth;
    }
    if m.contains("paytr_token") || m.contains("magaza aktif degil") || m.contains("merchant_id") {
        return ProviderFailure::Auth;
    }
    if code == Some("000") && m.contains("daha sonra") {
        return ProviderFailure::Transient;
    }
    ProviderFailure::Other
}

// ---- Direct API (3-D) --------------------------------------------------------------------------

/// Validate a Direct API payment and build the exact form that is signed and sent.
pub fn direct_form(
    cfg: &PaytrConfig,
    req: &PayDirectRequest,
) -> Result<Vec<(&'static str, String)>, Error> {
    check_oid("merchant_oid", &req.merchant_oid)?;
    check_buyer(
        &req.user_ip,
        &req.email,
        &req.user_name,
        &req.user_address,
        &req.user_phone,
        &req.merchant_ok_url,
        &req.merchant_fail_url,
    )?;
    validate::positive("payment_amount", req.payment_amount)?;
    let payment_type = req.payment_type.as_deref().unwrap_or("card");
    if payment_type != "card" {
        return Err(Error::invalid_field("payment_type", "must be \"card\""));
    }
    let installment = req.installment_count.map(|c| c.0).unwrap_or(0);
    if installment == 1 || installment > 12 {
        return Err(Error::invalid_field(
            "installment_count",
            "must be 0 (single payment) or 2 to 12",
        ));
    }
    let currency = match req.currency.as_deref() {
        None | Some("TL" | "TRY" | "EUR" | "USD") => currency(&req.currency)?,
        Some(_) => {
            return Err(Error::invalid_field(
                "currency",
                "must be TL (or TRY), EUR or USD (the Direct API's list)",
            ))
        }
    };
    let lang = req.client_lang.as_deref().unwrap_or("tr");
    if lang != "tr" && lang != "en" {
        return Err(Error::invalid_field(
            "client_lang",
            "must be \"tr\" or \"en\"",
        ));
    }
    validate::required("cc_owner", &req.cc_owner)?;
    validate::max_chars("cc_owner", &req.cc_owner, 50)?;
    let (month, year) = validate::card(
        "",
        &req.card_number,
        req.expiry_month.as_str(),
        req.expiry_year.as_str(),
        &req.cvv,
    )
    .map_err(rename_card_field)?;
    let basket = basket_json(&req.user_basket)?;
    let amount = req.payment_amount.dot2();
    let installment = installment.to_string();
    let non_3d = "0";
    let parts = [
        cfg.merchant_id.as_str(),
        &req.user_ip,
        &req.merchant_oid,
        &req.email,
        &amount,
        payment_type,
        &installment,
        currency,
        test_mode(cfg),
        non_3d,
    ];
    let token = sign::paytr_token(
        cfg.merchant_key.expose(),
        &parts,
        cfg.merchant_salt.expose(),
    );
    let mut form = vec![
        ("merchant_id", cfg.merchant_id.clone()),
        ("paytr_token", token),
        ("user_ip", req.user_ip.clone()),
        ("merchant_oid", req.merchant_oid.clone()),
        ("email", req.email.clone()),
        ("payment_type", payment_type.to_owned()),
        ("payment_amount", amount),
        ("installment_count", installment),
        ("currency", currency.to_owned()),
        ("client_lang", lang.to_owned()),
        ("test_mode", test_mode(cfg).to_owned()),
        ("non_3d", non_3d.to_owned()),
        ("cc_owner", req.cc_owner.clone()),
        ("card_number", req.card_number.expose().to_owned()),
        // PayTR lists months as 1..12 and years as two digits (25, 26, ...).
        ("expiry_month", month.trim_start_matches('0').to_owned()),
        ("expiry_year", year[2..].to_owned()),
        ("cvv", req.cvv.expose().to_owned()),
        ("merchant_ok_url", req.merchant_ok_url.clone()),
        ("merchant_fail_url", req.merchant_fail_url.clone()),
        ("user_name", req.user_name.clone()),
        ("user_address", req.user_address.clone()),
        ("user_phone", req.user_phone.clone()),
        ("user_basket", basket),
        ("debug_on", flag(req.debug_on).to_owned()),
    ];
    if let Some(t) = &req.card_type {
        form.push(("card_type", t.clone()));
    }
    Ok(form)
}

fn rename_card_field(e: Error) -> Error {
    let field = match e.field() {
        Some("cardNumber") => "card_number",
        Some("expireMonth") => "expiry_month",
        Some("expireYear") => "expiry_year",
        Some("cvc") => "cvv",
        _ => return e,
    };
    let problem = e.message().split_once(": ").map(|(_, p)| p.to_owned());
    Error::invalid_field(field, problem.unwrap_or_else(|| e.message().to_owned()))
}

/// The form holds the card: wipe every value once sent.
struct WipedForm(Vec<(&'static str, String)>);

impl Drop for WipedForm {
    fn drop(&mut self) {
        for (_, v) in &mut self.0 {
            zeroize::Zeroize::zeroize(v);
        }
    }
}

fn pay_direct(call: &Call<'_, PaytrConfig>, req: PayDirectRequest) -> Result<Response, Error> {
    let form = WipedForm(direct_form(call.cfg, &req)?);
    let reply = post(call, DIRECT_PATH, &form.0)?;
    drop(form);
    direct_reply(call, &req.merchant_oid, &reply)
}

/// The Direct API answers the 3-D Secure page (HTML) for the payer's browser; a JSON body is
/// PayTR refusing the request (`status` `failed`/`error` with `reason`, `msg` or `err_msg`).
fn direct_reply(
    call: &Call<'_, PaytrConfig>,
    merchant_oid: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    if let Ok(raw) = crate::json::read_shape::<TokenReply<'_>>(&reply.body) {
        let head = raw.head();
        if head.status.is_some() {
            if success(&head, reply, lost)? {
                return Err(error::unreadable_reply(
                    lost,
                    Some(reply.status),
                    "PayTR answered JSON success where the 3-D Secure page was expected",
                ));
            }
            return Err(failure(&head, reply));
        }
    }
    let html = std::str::from_utf8(&reply.body)
        .ok()
        .map(str::trim)
        .filter(|h| reply.status == 200 && h.starts_with('<'))
        .ok_or_else(|| {
            error::unreadable_reply(
                lost,
                Some(reply.status),
                &format!(
                    "HTTP {} reply is neither the 3-D Secure page nor a PayTR error",
                    reply.status
                ),
            )
        })?;
    Ok(call.response(
        Outcome::Html {
            html: html.to_owned(),
            order_id: Some(merchant_oid.to_owned()),
            provider_order_id: None,
            payment_id: None,
        },
        None,
        Value::String(html.to_owned()),
    ))
}

// ---- refunds ---------------------------------------------------------------------------------

/// Validate a refund (over-refunds included, when odeme knows what remains) and build the form.
pub fn refund_form(
    cfg: &PaytrConfig,
    req: &RefundRequest,
) -> Result<Vec<(&'static str, String)>, Error> {
    check_oid("merchant_oid", &req.merchant_oid)?;
    validate::positive("return_amount", req.return_amount)?;
    crate::refund::check_refundable(
        "return_amount",
        req.return_amount,
        crate::refund::from_refundable(req.refundable),
    )?;
    if let Some(r) = &req.reference_no {
        validate::required("reference_no", r)?;
        validate::max_chars("reference_no", r, 64)?;
        if !r.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid_field(
                "reference_no",
                "must be letters and digits only",
            ));
        }
    }
    let amount = req.return_amount.dot2();
    let token = sign::paytr_token(
        cfg.merchant_key.expose(),
        &[cfg.merchant_id.as_str(), &req.merchant_oid, &amount],
        cfg.merchant_salt.expose(),
    );
    let mut form = vec![
        ("merchant_id", cfg.merchant_id.clone()),
        ("merchant_oid", req.merchant_oid.clone()),
        ("return_amount", amount),
        ("paytr_token", token),
    ];
    if let Some(r) = &req.reference_no {
        form.push(("reference_no", r.clone()));
    }
    Ok(form)
}

fn refund(call: &Call<'_, PaytrConfig>, req: RefundRequest) -> Result<Response, Error> {
    let form = refund_form(call.cfg, &req)?;
    let reply = post(call, REFUND_PATH, &form)?;
    refund_reply(call, &req, &reply)
}

/// `{status: success, is_test, merchant_oid, return_amount, reference_no?}`, or
/// `{status: error, err_no, err_msg}` (009: more than remains).
fn refund_reply(
    call: &Call<'_, PaytrConfig>,
    req: &RefundRequest,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw: RefundReply<'_> = reply.typed(lost)?;
    let head = raw.head();
    if !success(&head, reply, lost)? {
        return Err(failure(&head, reply));
    }
    let oid = filled(&raw.merchant_oid).unwrap_or_else(|| req.merchant_oid.clone());
    let refund_id = filled(&raw.reference_no).or_else(|| req.reference_no.clone());
    let outcome = Outcome::Refund(RefundOutcome {
        state: crate::refund::state_after(
            req.return_amount,
            crate::refund::from_refundable(req.refundable),
        ),
        amount: owned(&raw.return_amount).unwrap_or_else(|| req.return_amount.dot2()),
        currency: None,
        payment_id: oid.clone(),
        refund_id,
    });
    Ok(call.response(outcome, Some(oid), reply.raw()))
}

// ---- the status query ---------------------------------------------------------------------------

fn query_order(call: &Call<'_, PaytrConfig>, req: QueryOrderRequest) -> Result<Response, Error> {
    validate::required("merchant_oid", &req.merchant_oid)?;
    validate::max_chars("merchant_oid", &req.merchant_oid, 64)?;
    let cfg = call.cfg;
    let token = sign::paytr_token(
        cfg.merchant_key.expose(),
        &[cfg.merchant_id.as_str(), &req.merchant_oid],
        cfg.merchant_salt.expose(),
    );
    let form = [
        ("merchant_id", cfg.merchant_id.clone()),
        ("merchant_oid", req.merchant_oid.clone()),
        ("paytr_token", token),
    ];
    let reply = post(call, STATUS_PATH, &form)?;
    query_reply(call, &req.merchant_oid, &reply)
}

/// PayTR's "no transaction for this merchant_oid": the only reply that means the order does not
/// exist.
const NO_TRANSACTION: &str = "merchant_oid ile islem bulunamadi";
/// PayTR's "no successful payment for this merchant_oid": the order exists, unpaid (yet) or
/// failed.
const NO_SUCCESSFUL_PAYMENT: &str = "merchant_oid ile basarili odeme bulunamadi";

/// A PayTR amount (`9.76`, or `10,8` as the document's table writes one), exactly.
fn decimal(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.trim().replace(',', ".")).ok()
}

/// The status reply: `payment_amount`, `payment_total`, `currency`, `returns[]` (each
/// `return_amount`, `return_date`, `reference_no`, ...). Errors: `004` with "merchant_oid ile
/// islem bulunamadi" is `not_found`; `004` with "... basarili odeme bulunamadi" is `pending`
/// (the order exists without a successful payment; the callback says whether it failed); any
/// other error is an error.
fn query_reply(
    call: &Call<'_, PaytrConfig>,
    merchant_oid: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw: StatusReply<'_> = reply.typed(false)?;
    let head = raw.head();
    if !success(&head, reply, false)? {
        let message = head.err_msg.unwrap_or_default();
        let normalized = message.trim().to_lowercase();
        let status = if normalized == NO_TRANSACTION {
            Status::not_found(Some(merchant_oid.to_owned()), None)
        } else if normalized == NO_SUCCESSFUL_PAYMENT {
            Status {
                state: State::Pending,
                order_id: Some(merchant_oid.to_owned()),
                provider_order_id: None,
                amount: None,
                currency: None,
                message: Some(
                    "PayTR has no successful payment for this merchant_oid: not paid yet, or \
                     failed (the callback says which)"
                        .to_owned(),
                ),
                report: None,
            }
        } else {
            return Err(failure(&head, reply));
        };
        return Ok(call.response(
            Outcome::Status(status),
            Some(merchant_oid.to_owned()),
            reply.raw(),
        ));
    }
    let currency = owned(&raw.currency);
    // A return without its amount is an unreadable reply, never a refund of "".
    let refunds: Vec<Refund> = raw
        .returns
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            Ok(Refund {
                amount: owned(&r.return_amount).ok_or_else(|| {
                    error::unreadable_reply(
                        false,
                        Some(reply.status),
                        "a PayTR status reply lists a return without return_amount",
                    )
                })?,
                currency: currency.clone(),
                refund_id: filled(&r.reference_no),
                date: filled(&r.return_date),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let amount = owned(&raw.payment_amount);
    let refunded: Option<Decimal> = refunds.iter().map(|r| decimal(&r.amount)).sum();
    let state = match (refunded, amount.as_deref().and_then(decimal)) {
        _ if refunds.is_empty() => State::Paid,
        (Some(r), Some(a)) if r >= a => State::Refunded,
        (Some(_), Some(_)) => State::PartiallyRefunded,
        // A refund whose amount odeme cannot read: do not claim what remains.
        _ => State::NeedsAttention,
    };
    let report = PaymentReport {
        payment_id: merchant_oid.to_owned(),
        paid_price: owned(&raw.payment_total).or_else(|| amount.clone()),
        refunds,
        cancelled: false,
        payments: Vec::new(),
    };
    Ok(call.response(
        Outcome::Status(Status {
            state,
            order_id: Some(merchant_oid.to_owned()),
            provider_order_id: None,
            amount,
            currency,
            message: None,
            report: Some(report),
        }),
        Some(merchant_oid.to_owned()),
        reply.raw(),
    ))
}

// ---- the callback ------------------------------------------------------------------------------

/// A callback PayTR posted, verified (no journal yet).
pub(crate) struct Callback {
    pub notification: Notification,
    pub delivery: String,
    pub merchant_oid: String,
}

/// Check the fields PayTR posted to the notification URL (form-decoded, as received): the hash
/// over `merchant_oid + merchant_salt + status + total_amount`, in constant time. Other fields
/// are not signed and not read. A missing field is a `signature` error.
pub(crate) fn check_callback(cfg: &PaytrConfig, fields: &Value) -> Result<Callback, Error> {
    const WHAT: &str = "the PayTR callback";
    let text = crate::webhook::fields_json(fields);
    let f: CallbackFields<'_> = crate::webhook::read_fields(&text, WHAT)?;
    let (Some(oid), Some(status), Some(total), Some(hash)) =
        (f.merchant_oid, f.status, f.total_amount, f.hash)
    else {
        return Err(Error::new(
            ErrorKind::Signature,
            format!(
                "{WHAT} lacks merchant_oid, status, total_amount or hash, so it cannot be \
                 verified; do not trust it (answer anything but OK)"
            ),
        ));
    };
    if !sign::paytr_callback_verify(
        cfg.merchant_key.expose(),
        cfg.merchant_salt.expose(),
        &oid,
        &status,
        &total,
        &hash,
    ) {
        return Err(signature_error(WHAT));
    }
    let state = match status.as_str() {
        "success" => State::Paid,
        _ => State::Failed,
    };
    let delivery = crate::webhook::delivery_key("paytr", &[&oid, &status, &total]);
    Ok(Callback {
        notification: Notification {
            provider: "paytr".to_owned(),
            event: Some(status.into_string()),
            subject: crate::outcome::Subject::Payment,
            state,
            payment_id: None,
            order_id: Some(oid.as_str().to_owned()),
            duplicate: false,
            reply: Some(CALLBACK_REPLY.to_owned()),
        },
        delivery,
        merchant_oid: oid.into_string(),
    })
}

fn verify_callback(call: &Call<'_, PaytrConfig>, fields: Value) -> Result<Response, Error> {
    if !fields.is_object() {
        return Err(Error::invalid_field(
            "(request)",
            "must be the object of fields PayTR posted",
        ));
    }
    let c = check_callback(call.cfg, &fields)?;
    // PayTR gives an order no id of its own: the reference is the merchant's `order_id`.
    let mut response = call.response(Outcome::Webhook(c.notification), None, fields);
    if let Some(journal) = call.journal {
        if let Outcome::Webhook(n) = &mut response.outcome {
            n.duplicate = journal.record_webhook(
                "paytr",
                &c.delivery,
                n.order_id.as_deref(),
                n.state,
                true,
                None,
            )?;
        }
    }
    Ok(response)
}

/// `verify_webhook("paytr", ...)`: the callback's form body (or JSON, as `Content-Type` says).
pub(crate) fn verify_webhook(
    cfg: &PaytrConfig,
    headers: &crate::webhook::Headers<'_>,
    body: &[u8],
) -> Result<crate::webhook::Verified, Error> {
    let raw = crate::webhook::form_or_json(headers, body, "the PayTR callback")?;
    let c = check_callback(cfg, &raw)?;
    Ok(crate::webhook::Verified {
        notification: c.notification,
        delivery: c.delivery,
        reference: Some(c.merchant_oid),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn cfg() -> PaytrConfig {
        PaytrConfig {
            merchant_id: "100000".into(),
            merchant_key: Secret::new("key"),
            merchant_salt: Secret::new("salt"),
            base_url: "https://x".into(),
            test_mode: true,
        }
    }

    fn iframe() -> Value {
        serde_json::json!({
            "user_ip": "85.34.78.112", "merchant_oid": "order42", "email": "ayşe@example.com",
            "payment_amount": 3456, "user_basket": [["Örnek ürün", "18.00", 1], ["İkinci", "16.56", 1]],
            "user_name": "Ayşe Yılmaz", "user_address": "İstiklal Cd. 1, İstanbul",
            "user_phone": "05555555555", "merchant_ok_url": "https://shop/ok",
            "merchant_fail_url": "https://shop/fail"
        })
    }

    #[test]
    fn the_iframe_token_covers_exactly_what_is_sent() {
        let req: IframeTokenRequest = parse_request(&iframe()).unwrap();
        let form = iframe_form(&cfg(), &req).unwrap();
        let get = |k: &str| form.iter().find(|(n, _)| *n == k).unwrap().1.clone();
        let basket = B64.decode(get("user_basket")).unwrap();
        assert_eq!(
            std::str::from_utf8(&basket).unwrap(),
            r#"[["Örnek ürün","18.00",1],["İkinci","16.56",1]]"#
        );
        let parts: Vec<String> = IFRAME_TOKEN_FIELDS.iter().map(|f| get(f)).collect();
        assert_eq!(get("paytr_token"), sign::paytr_token("key", &parts, "salt"));
        assert_eq!(get("payment_amount"), "3456");
        assert_eq!(get("currency"), "TL");
        assert_eq!(get("test_mode"), "1");
        assert!(!form.iter().any(|(_, v)| v == "key" || v == "salt"));
    }

    #[test]
    fn iframe_amounts_are_kurus_and_baskets_are_checked() {
        for (field, value, want) in [
            (
                "payment_amount",
                serde_json::json!("34.56"),
                "payment_amount",
            ),
            ("payment_amount", serde_json::json!(0), "payment_amount"),
            ("user_basket", serde_json::json!([]), "user_basket"),
            (
                "user_basket",
                serde_json::json!([["a", "1"]]),
                "user_basket[0]",
            ),
            (
                "user_basket",
                serde_json::json!([["a", "0", 1]]),
                "user_basket[0][1]",
            ),
            (
                "user_basket",
                serde_json::json!([["a", "1", 0]]),
                "user_basket[0][2]",
            ),
            ("merchant_oid", serde_json::json!("a b"), "merchant_oid"),
            ("currency", serde_json::json!("JPY"), "currency"),
        ] {
            let mut v = iframe();
            v[field] = value;
            let req: IframeTokenRequest = parse_request(&v).unwrap();
            assert_eq!(iframe_form(&cfg(), &req).unwrap_err().field(), Some(want));
        }
    }

    #[test]
    fn refund_and_over_refund() {
        let req: RefundRequest =
            parse_request(&serde_json::json!({"merchant_oid": "order42", "return_amount": "11.9"}))
                .unwrap();
        let form = refund_form(&cfg(), &req).unwrap();
        assert_eq!(form[2], ("return_amount", "11.90".to_owned()));
        assert_eq!(
            form[3].1,
            sign::paytr_token("key", &["100000", "order42", "11.90"], "salt")
        );
        let over: RefundRequest = parse_request(&serde_json::json!(
            {"merchant_oid": "order42", "return_amount": "5", "refundable": "4.99"}
        ))
        .unwrap();
        assert_eq!(
            refund_form(&cfg(), &over).unwrap_err().field(),
            Some("return_amount")
        );
    }

    fn client() -> crate::Client {
        crate::Client::from_json(
            r#"{"paytr": {"merchant_id": "100000", "merchant_key": "key", "merchant_salt": "salt"}}"#,
        )
        .unwrap()
    }

    /// A number where PayTR documents a string is read as its exact digits; a key the reply
    /// shape reads, given twice, refuses the reply: `outcome_unknown` for the refund (money
    /// moved or not), `decode` for the status query (a read).
    #[test]
    fn typed_replies_read_numbers_exactly_and_refuse_a_repeated_key() {
        let c = client();
        let req = serde_json::json!({"merchant_oid": "order42", "return_amount": "11.9"});
        let ok = br#"{"status":"success","is_test":1,"merchant_oid":"order42","return_amount":11.90,"reference_no":111111111111111}"#;
        let r = c
            .interpret_reply("paytr.refund", req.clone(), 200, ok.to_vec())
            .unwrap();
        let Outcome::Refund(refund) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(
            (refund.amount.as_str(), refund.refund_id.as_deref()),
            ("11.90", Some("111111111111111"))
        );
        assert_eq!(r.raw.as_str(), std::str::from_utf8(ok).unwrap());
        let twice = br#"{"status":"success","merchant_oid":"order42","return_amount":"1.00","return_amount":"11.90"}"#;
        let e = c
            .interpret_reply("paytr.refund", req, 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
        assert!(e.message().contains("return_amount"), "{e}");

        let q = serde_json::json!({"merchant_oid": "order42"});
        let status = br#"{"status":"success","payment_amount":10.10,"payment_total":10.10,"currency":"TL","returns":[{"return_amount":4.05,"reference_no":"","return_date":"2021-03-25 23:45:22"}]}"#;
        let r = c
            .interpret_reply("paytr.query_order", q.clone(), 200, status.to_vec())
            .unwrap();
        let Outcome::Status(s) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(s.state, State::PartiallyRefunded);
        assert_eq!(s.amount.as_deref(), Some("10.10"));
        let report = s.report.as_ref().unwrap();
        assert_eq!(report.refunds[0].amount, "4.05");
        assert_eq!(report.refunds[0].refund_id, None);
        let twice = br#"{"status":"success","payment_amount":"10.10","payment_amount":"99.99"}"#;
        let e = c
            .interpret_reply("paytr.query_order", q.clone(), 200, twice.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        // An object where a scalar belongs is refused (never read as absent), naming the field
        // and not its value.
        let odd = br#"{"status":"success","payment_amount":"10.10","returns":[{"return_amount":{"v":"4111111111111111"}}]}"#;
        let e = c
            .interpret_reply("paytr.query_order", q, 200, odd.to_vec())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("returns[0].return_amount"), "{e}");
        assert!(!e.message().contains("4111111111111111"), "{e}");
    }

    /// A JSON callback's numbers keep their digits through the decoded body (the hash is over
    /// the text PayTR sent); a field of the wrong kind cannot be verified.
    #[test]
    fn json_callbacks_keep_exact_digits() {
        let c = client();
        // 10.05 is a number serde_json would hand over from a `Value` as a binary float.
        let hash = sign::paytr_token("key", &["order42", "salt", "success", "10.05"], "");
        let body = format!(
            r#"{{"merchant_oid":"order42","status":"success","total_amount":10.05,"hash":"{hash}"}}"#
        );
        let json = [("Content-Type", "application/json")];
        let r = c.verify_webhook("paytr", &json, body.as_bytes()).unwrap();
        let Outcome::Webhook(n) = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(
            (n.state, n.order_id.as_deref()),
            (State::Paid, Some("order42"))
        );
        let odd = body.replace("10.05", r#"{"n":"4111111111111111"}"#);
        let e = c
            .verify_webhook("paytr", &json, odd.as_bytes())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        assert!(e.message().contains("total_amount"), "{e}");
        assert!(!e.message().contains("4111111111111111"), "{e}");
    }

    #[test]
    fn callbacks_verify_in_the_documented_order() {
        let hash = sign::paytr_token("key", &["order42", "salt", "success", "3456"], "");
        let fields = serde_json::json!({"merchant_oid": "order42", "status": "success",
            "total_amount": "3456", "hash": hash, "payment_type": "card"});
        let c = check_callback(&cfg(), &fields).unwrap();
        assert_eq!(c.notification.state, State::Paid);
        assert_eq!(c.notification.reply.as_deref(), Some("OK"));
        let mut tampered = fields.clone();
        tampered["total_amount"] = Value::from("345600");
        assert_eq!(
            check_callback(&cfg(), &tampered).err().map(|e| e.kind()),
            Some(ErrorKind::Signature)
        );
        let mut missing = fields;
        missing.as_object_mut().unwrap().remove("hash");
        assert_eq!(
            check_callback(&cfg(), &missing).err().map(|e| e.kind()),
            Some(ErrorKind::Signature)
        );
    }
}
