//! EsnekPOS 3-D card payment: `pay_3d` (`POST /api/pay/EYV3DPay`) and its reconciliation
//! `process_query` (`POST /api/services/ProcessQuery`).
//!
//! `pay_3d` takes EsnekPOS' nested groups (`Config`, `CreditCard`, `Customer`, `Product[]`)
//! without the credentials, which odeme adds to `Config`. `ORDER_REF_NUMBER` (≤ 24 characters)
//! is the merchant's reference: odeme generates one when it is absent and keeps it in the outcome
//! (`order_id`) and in any `outcome_unknown` error (`reconcile_request`), because it is the only
//! handle `ProcessQuery` accepts. A successful reply means 3-D Secure has *started*
//! (`redirect {url: URL_3DS}`), never that the order is paid: ask `process_query`.
//!
//! `process_query` reads `TRANSACTIONS[].STATUS_ID` (captured replies, research/others §1.3):
//! 1 waiting, 2 awaiting 3-D Secure, 3 paid, 4 failed, 5 cancelled, 7 refunded (6 and 8 are a
//! failed cancel or refund and change nothing). The state comes from `TRANSACTIONS` and
//! `STATUS`, never from `RETURN_CODE` alone: 400 is any error of the query service (only its
//! "reference not found" reply is `not_found`, [`super::says_not_found`]), 300 `ORDER_CANCEL`
//! an error of the marketplace cancel service (cancelled only when a transaction says so), and
//! 106 comes with `STATUS` `PAYMENT_WAITING` while 3-D Secure is unfinished. Amounts are read
//! as absolute values (entries carry signed amounts such as `-30,25`).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{check, failure, post, says_not_found};
use crate::config::EsnekposConfig;
use crate::error::{self, Error};
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{text, Outcome, Response, State, Status};
use crate::providers::{json_body, Call, Count, Text};
use crate::secret::{CardNumber, Cvc};
use crate::transport::Reply;
use crate::validate::{self, parse_request};

pub const PAY_3D_PATH: &str = "/api/pay/EYV3DPay";
pub const PROCESS_QUERY_PATH: &str = "/api/services/ProcessQuery";

pub(crate) const PAY_3D: OperationDef = OperationDef {
    name: "esnekpos.pay_3d",
    summary: "A 3-D Secure card payment (EYV3DPay; odeme adds the credentials and generates ORDER_REF_NUMBER when absent)",
    method: Some("POST"),
    path: Some("/api/pay/EYV3DPay"),
    outcome: &["redirect"],
    example: r#"{"Config":{"BACK_URL":"https://merchant.example/back","ORDER_AMOUNT":"1"},"CreditCard":{"CC_NUMBER":"5528790000000008","EXP_MONTH":"12","EXP_YEAR":"2031","CC_CVV":"123","CC_OWNER":"A B"},"Customer":{"FIRST_NAME":"A","LAST_NAME":"B","MAIL":"a@b.co","PHONE":"05555555555","CITY":"I","STATE":"K","ADDRESS":"A","CLIENT_IP":"127.0.0.1"},"Product":[{"PRODUCT_ID":"1","PRODUCT_NAME":"P","PRODUCT_CATEGORY":"C","PRODUCT_AMOUNT":"1"}]}"#,
    sends: Sends::AtMostOnce,
    reconcile: Reconcile::With {
        operation: "esnekpos.process_query",
        by: "Config.ORDER_REF_NUMBER",
        as_field: "ORDER_REF_NUMBER",
    },
    journal: Journaled {
        reference: Some("Config.ORDER_REF_NUMBER"),
        amount: Some("Config.ORDER_AMOUNT"),
        currency: Some("Config.PRICES_CURRENCY"),
    },
    steps: Steps::Esnekpos(StepFns {
        run: |call, req| pay_3d(call, parse_request(req)?),
        reply: |call, req, reply| {
            let r: Pay3dRequest = parse_request(req)?;
            let reference = r.config.order_ref_number.clone().unwrap_or_default();
            pay_3d_reply(call, &reference, reply)
                .map_err(|e| e.with_reconcile_request(reconcile_request(&reference)))
        },
    }),
};

pub(crate) const PROCESS_QUERY: OperationDef = OperationDef {
    name: "esnekpos.process_query",
    summary: "A payment's transactions by ORDER_REF_NUMBER (STATUS_ID 3 paid, 4 failed, 5 cancelled, 7 refunded)",
    method: Some("POST"),
    path: Some("/api/services/ProcessQuery"),
    outcome: &["status"],
    example: r#"{"ORDER_REF_NUMBER":"r-1"}"#,
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Esnekpos(StepFns {
        run: |call, req| process_query(call, parse_request(req)?),
        reply: |call, req, reply| {
            let r: ProcessQueryRequest = parse_request(req)?;
            process_query_reply(call, &r.order_ref_number, reply)
        },
    }),
};

/// `Config` without `MERCHANT`/`MERCHANT_KEY` (odeme adds them).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pay3dConfig {
    /// Where EsnekPOS posts the result after 3-D Secure.
    #[serde(rename = "BACK_URL")]
    pub back_url: String,
    #[serde(rename = "PRICES_CURRENCY", default)]
    pub prices_currency: Option<Currency>,
    /// Your reference, ≤ 24 characters, new for every attempt; generated when absent.
    #[serde(rename = "ORDER_REF_NUMBER", default)]
    pub order_ref_number: Option<String>,
    #[serde(rename = "ORDER_AMOUNT")]
    pub order_amount: Amount,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pay3dCard {
    #[serde(rename = "CC_NUMBER")]
    pub cc_number: CardNumber,
    #[serde(rename = "EXP_MONTH")]
    pub exp_month: Text,
    #[serde(rename = "EXP_YEAR")]
    pub exp_year: Text,
    #[serde(rename = "CC_CVV")]
    pub cc_cvv: Cvc,
    #[serde(rename = "CC_OWNER")]
    pub cc_owner: String,
    #[serde(rename = "INSTALLMENT_NUMBER", default)]
    pub installment_number: Option<Count>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pay3dCustomer {
    #[serde(rename = "FIRST_NAME")]
    pub first_name: String,
    #[serde(rename = "LAST_NAME")]
    pub last_name: String,
    #[serde(rename = "MAIL")]
    pub mail: String,
    #[serde(rename = "PHONE")]
    pub phone: String,
    #[serde(rename = "CITY")]
    pub city: String,
    #[serde(rename = "STATE")]
    pub state: String,
    #[serde(rename = "ADDRESS")]
    pub address: String,
    #[serde(rename = "CLIENT_IP")]
    pub client_ip: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pay3dProduct {
    #[serde(rename = "PRODUCT_ID")]
    pub product_id: Text,
    #[serde(rename = "PRODUCT_NAME")]
    pub product_name: String,
    #[serde(rename = "PRODUCT_CATEGORY")]
    pub product_category: String,
    #[serde(rename = "PRODUCT_DESCRIPTION", default)]
    pub product_description: Option<String>,
    #[serde(rename = "PRODUCT_AMOUNT")]
    pub product_amount: Amount,
}

/// `esnekpos.pay_3d` request: EsnekPOS' nested groups.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pay3dRequest {
    #[serde(rename = "Config")]
    pub config: Pay3dConfig,
    #[serde(rename = "CreditCard")]
    pub credit_card: Pay3dCard,
    #[serde(rename = "Customer")]
    pub customer: Pay3dCustomer,
    #[serde(rename = "Product")]
    pub product: Vec<Pay3dProduct>,
}

#[derive(Serialize)]
struct WireConfig<'a> {
    #[serde(rename = "MERCHANT")]
    merchant: &'a str,
    #[serde(rename = "MERCHANT_KEY")]
    merchant_key: &'a str,
    #[serde(rename = "BACK_URL")]
    back_url: &'a str,
    #[serde(rename = "PRICES_CURRENCY")]
    prices_currency: &'a str,
    #[serde(rename = "ORDER_REF_NUMBER")]
    order_ref_number: &'a str,
    #[serde(rename = "ORDER_AMOUNT")]
    order_amount: String,
}

#[derive(Serialize)]
struct WireCard<'a> {
    #[serde(rename = "CC_NUMBER")]
    cc_number: &'a CardNumber,
    #[serde(rename = "EXP_MONTH")]
    exp_month: String,
    #[serde(rename = "EXP_YEAR")]
    exp_year: String,
    #[serde(rename = "CC_CVV")]
    cc_cvv: &'a Cvc,
    #[serde(rename = "CC_OWNER")]
    cc_owner: &'a str,
    #[serde(rename = "INSTALLMENT_NUMBER")]
    installment_number: String,
}

#[derive(Serialize)]
struct WireProduct<'a> {
    #[serde(rename = "PRODUCT_ID")]
    product_id: &'a str,
    #[serde(rename = "PRODUCT_NAME")]
    product_name: &'a str,
    #[serde(rename = "PRODUCT_CATEGORY")]
    product_category: &'a str,
    #[serde(rename = "PRODUCT_DESCRIPTION")]
    product_description: &'a str,
    #[serde(rename = "PRODUCT_AMOUNT")]
    product_amount: String,
}

#[derive(Serialize)]
struct WirePay<'a> {
    #[serde(rename = "Config")]
    config: WireConfig<'a>,
    #[serde(rename = "CreditCard")]
    credit_card: WireCard<'a>,
    #[serde(rename = "Customer")]
    customer: &'a Pay3dCustomer,
    #[serde(rename = "Product")]
    product: Vec<WireProduct<'a>>,
}

/// A fresh `ORDER_REF_NUMBER`: `ODM` and 20 random hex digits (23 characters).
pub fn new_order_ref() -> String {
    let hex: String = crate::sign::uuid_v4()
        .chars()
        .filter(|c| *c != '-')
        .collect();
    format!("ODM{}", &hex[..20])
}

fn reconcile_request(reference: &str) -> Value {
    json!({ "ORDER_REF_NUMBER": reference })
}

/// Validate a 3-D payment with `reference` as its `ORDER_REF_NUMBER` and serialize the body
/// with the merchant's credentials.
pub fn pay_3d_body(
    cfg: &EsnekposConfig,
    req: &Pay3dRequest,
    reference: &str,
) -> Result<crate::secret::WipingBuf, Error> {
    let c = &req.config;
    validate::required("Config.ORDER_REF_NUMBER", reference)?;
    validate::max_chars("Config.ORDER_REF_NUMBER", reference, 24)?;
    validate::positive("Config.ORDER_AMOUNT", c.order_amount)?;
    if !(c.back_url.starts_with("https://") || c.back_url.starts_with("http://"))
        || c.back_url.chars().any(char::is_whitespace)
    {
        return Err(Error::invalid_field(
            "Config.BACK_URL",
            "must be an absolute http(s) URL without spaces",
        ));
    }
    let card = &req.credit_card;
    validate::required("CreditCard.CC_OWNER", &card.cc_owner)?;
    let (month, year) = validate::card(
        "CreditCard",
        &card.cc_number,
        card.exp_month.as_str(),
        card.exp_year.as_str(),
        &card.cc_cvv,
    )
    .map_err(rename_card_field)?;
    let installment = card.installment_number.map(|c| c.0).unwrap_or(1);
    if !(1..=12).contains(&installment) {
        return Err(Error::invalid_field(
            "CreditCard.INSTALLMENT_NUMBER",
            "must be 1 (single payment) to 12",
        ));
    }
    let cu = &req.customer;
    for (name, value) in [
        ("Customer.FIRST_NAME", &cu.first_name),
        ("Customer.LAST_NAME", &cu.last_name),
        ("Customer.PHONE", &cu.phone),
        ("Customer.CITY", &cu.city),
        ("Customer.STATE", &cu.state),
        ("Customer.ADDRESS", &cu.address),
        ("Customer.CLIENT_IP", &cu.client_ip),
    ] {
        validate::required(name, value)?;
    }
    validate::email("Customer.MAIL", &cu.mail)?;
    if req.product.is_empty() {
        return Err(Error::invalid_field(
            "Product",
            "must have at least one item",
        ));
    }
    for (i, p) in req.product.iter().enumerate() {
        let f = |n: &str| format!("Product[{i}].{n}");
        validate::required(&f("PRODUCT_ID"), p.product_id.as_str())?;
        validate::required(&f("PRODUCT_NAME"), &p.product_name)?;
        validate::required(&f("PRODUCT_CATEGORY"), &p.product_category)?;
        validate::positive(&f("PRODUCT_AMOUNT"), p.product_amount)?;
    }
    json_body(&WirePay {
        config: WireConfig {
            merchant: &cfg.merchant,
            merchant_key: cfg.merchant_key.expose(),
            back_url: &c.back_url,
            prices_currency: c.prices_currency.unwrap_or(Currency::Try).alpha(),
            order_ref_number: reference,
            order_amount: c.order_amount.dot2(),
        },
        credit_card: WireCard {
            cc_number: &card.cc_number,
            exp_month: month,
            exp_year: year,
            cc_cvv: &card.cc_cvv,
            cc_owner: &card.cc_owner,
            installment_number: installment.to_string(),
        },
        customer: cu,
        product: req
            .product
            .iter()
            .map(|p| WireProduct {
                product_id: p.product_id.as_str(),
                product_name: &p.product_name,
                product_category: &p.product_category,
                product_description: p.product_description.as_deref().unwrap_or(""),
                product_amount: p.product_amount.dot2(),
            })
            .collect(),
    })
}

/// `validate::card` names iyzico's fields; name EsnekPOS' instead.
fn rename_card_field(e: Error) -> Error {
    let field = match e.field() {
        Some("CreditCard.cardNumber") => "CreditCard.CC_NUMBER",
        Some("CreditCard.expireMonth") => "CreditCard.EXP_MONTH",
        Some("CreditCard.expireYear") => "CreditCard.EXP_YEAR",
        Some("CreditCard.cvc") => "CreditCard.CC_CVV",
        _ => return e,
    };
    let problem = e.message().split_once(": ").map(|(_, p)| p.to_owned());
    Error::invalid_field(field, problem.unwrap_or_else(|| e.message().to_owned()))
}

fn pay_3d(call: &Call<'_, EsnekposConfig>, req: Pay3dRequest) -> Result<Response, Error> {
    let reference = req
        .config
        .order_ref_number
        .clone()
        .unwrap_or_else(new_order_ref);
    let body = pay_3d_body(call.cfg, &req, &reference)?;
    post(call, PAY_3D_PATH, body)
        .and_then(|reply| pay_3d_reply(call, &reference, &reply))
        .map_err(|e| e.with_reconcile_request(reconcile_request(&reference)))
}

/// Interpret the reply to `EYV3DPay`: success with `URL_3DS` means 3-D Secure started.
fn pay_3d_reply(
    call: &Call<'_, EsnekposConfig>,
    reference: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let lost = call.at_most_once();
    let raw = reply.json(lost)?;
    if !check(&raw, reply, lost)? {
        return Err(failure(&raw, reply));
    }
    let url = text(&raw, "URL_3DS").filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        error::unreadable_reply(
            lost,
            Some(reply.status),
            "EsnekPOS reported success without URL_3DS (a payment without 3-D Secure?); its state is only known to ProcessQuery",
        )
    })?;
    let order_id = Some(reference.to_owned())
        .filter(|r| !r.is_empty())
        .or_else(|| text(&raw, "ORDER_REF_NUMBER"));
    let refno = text(&raw, "REFNO").filter(|r| !r.is_empty());
    let outcome = Outcome::Redirect {
        url,
        order_id: order_id.clone(),
        provider_order_id: refno,
    };
    Ok(call.response(outcome, order_id, reply.raw_of(&raw)))
}

/// `esnekpos.process_query` request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessQueryRequest {
    #[serde(rename = "ORDER_REF_NUMBER")]
    pub order_ref_number: String,
}

#[derive(Serialize)]
struct WireQuery<'a> {
    #[serde(rename = "MERCHANT")]
    merchant: &'a str,
    #[serde(rename = "MERCHANT_KEY")]
    merchant_key: &'a str,
    #[serde(rename = "ORDER_REF_NUMBER")]
    order_ref_number: &'a str,
}

fn process_query(
    call: &Call<'_, EsnekposConfig>,
    req: ProcessQueryRequest,
) -> Result<Response, Error> {
    validate::required("ORDER_REF_NUMBER", &req.order_ref_number)?;
    let body = json_body(&WireQuery {
        merchant: &call.cfg.merchant,
        merchant_key: call.cfg.merchant_key.expose(),
        order_ref_number: &req.order_ref_number,
    })?;
    let reply = post(call, PROCESS_QUERY_PATH, body)?;
    process_query_reply(call, &req.order_ref_number, &reply)
}

/// An EsnekPOS amount (`"151,25"`, `"-151,25"`, `"100.50"`) as its absolute value.
fn amount_of(t: &Value) -> Option<Decimal> {
    let s = text(t, "AMOUNT")?.replace(',', ".");
    Decimal::from_str(s.trim()).ok().map(|d| d.abs())
}

/// The state `TRANSACTIONS[]` shows (None when there is none).
pub(crate) fn transactions_state(raw: &Value) -> Option<State> {
    let txs = raw.get("TRANSACTIONS").and_then(Value::as_array)?;
    let ids: Vec<(u64, &Value)> = txs
        .iter()
        .filter_map(|t| Some((text(t, "STATUS_ID")?.parse::<u64>().ok()?, t)))
        .collect();
    if ids.is_empty() {
        return None;
    }
    let paid: Decimal = ids
        .iter()
        .filter(|(id, _)| *id == 3)
        .filter_map(|(_, t)| amount_of(t))
        .sum();
    let refunded: Decimal = ids
        .iter()
        .filter(|(id, _)| *id == 7)
        .filter_map(|(_, t)| amount_of(t))
        .sum();
    let has = |want: u64| ids.iter().any(|(id, _)| *id == want);
    Some(if has(5) {
        State::Cancelled
    } else if has(7) {
        if paid > Decimal::ZERO && refunded < paid {
            State::PartiallyRefunded
        } else {
            State::Refunded
        }
    } else if has(3) {
        State::Paid
    } else {
        // The latest entry decides between waiting and failed.
        match ids.last().map(|(id, _)| *id) {
            Some(4) => State::Failed,
            _ => State::Pending,
        }
    })
}

/// Interpret the reply to `ProcessQuery`.
fn process_query_reply(
    call: &Call<'_, EsnekposConfig>,
    reference: &str,
    reply: &Reply,
) -> Result<Response, Error> {
    let raw = reply.json(call.at_most_once())?;
    let ok = check(&raw, reply, call.at_most_once())?;
    let status = text(&raw, "STATUS");
    if says_not_found(&raw) {
        let mut s = Status::not_found(Some(reference.to_owned()), None);
        s.message = text(&raw, "RETURN_MESSAGE");
        return Ok(call.response(Outcome::Status(s), None, reply.raw_of(&raw)));
    }
    let state = match (transactions_state(&raw), status.as_deref()) {
        (Some(s), _) => s,
        // 3-D Secure not finished (captured with RETURN_CODE 106, which is BRAND_ERROR in the
        // error table: the STATUS decides).
        (None, Some("PAYMENT_WAITING")) => State::Pending,
        (None, _) if ok => State::Pending,
        // An error with no transactions at all (a query-service error, credentials, fields,
        // ORDER_CANCEL from the marketplace cancel service): the provider's error, never a
        // state of the payment.
        (None, _) => return Err(failure(&raw, reply)),
    };
    let refno = text(&raw, "REFNO").filter(|r| !r.is_empty());
    let last_name = raw
        .get("TRANSACTIONS")
        .and_then(Value::as_array)
        .and_then(|a| a.last())
        .and_then(|t| text(t, "STATUS_NAME"));
    let message = match state {
        State::Failed => text(&raw, "RETURN_MESSAGE").or(last_name),
        _ => last_name.or_else(|| text(&raw, "RETURN_MESSAGE")),
    };
    let outcome = Outcome::Status(Status {
        state,
        order_id: text(&raw, "ORDER_REF_NUMBER")
            .or_else(|| text(&raw, "ORDER_REF_NO"))
            .filter(|r| !r.is_empty())
            .or_else(|| Some(reference.to_owned())),
        provider_order_id: refno.clone(),
        amount: text(&raw, "AMOUNT"),
        currency: None,
        message,
        report: None,
    });
    Ok(call.response(outcome, refno, reply.raw_of(&raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(v: Value) -> Option<State> {
        transactions_state(&v)
    }

    #[test]
    fn captured_replies_read_as_their_states() {
        // research/others/examples/esnekpos.json: process_query.reply.paid / .declined.
        assert_eq!(
            state(
                json!({"TRANSACTIONS": [{"TRANSACTION_ID": 783900, "STATUS_NAME": "Ödeme - Başarılı", "STATUS_ID": 3, "AMOUNT": "151,25"}]})
            ),
            Some(State::Paid)
        );
        assert_eq!(
            state(json!({"TRANSACTIONS": [
                {"STATUS_ID": 1, "AMOUNT": "-151,25"}, {"STATUS_ID": 2, "AMOUNT": "-151,25"},
                {"STATUS_ID": 4, "AMOUNT": "-151,25"}]})),
            Some(State::Failed)
        );
        assert_eq!(state(json!({"TRANSACTIONS": null})), None);
        assert_eq!(
            state(
                json!({"TRANSACTIONS": [{"STATUS_ID": 3, "AMOUNT": "100,00"}, {"STATUS_ID": 7, "AMOUNT": "-40,00"}]})
            ),
            Some(State::PartiallyRefunded)
        );
        assert_eq!(
            state(
                json!({"TRANSACTIONS": [{"STATUS_ID": 3, "AMOUNT": "100,00"}, {"STATUS_ID": 7, "AMOUNT": "-100,00"}]})
            ),
            Some(State::Refunded)
        );
        assert_eq!(
            state(
                json!({"TRANSACTIONS": [{"STATUS_ID": 3, "AMOUNT": "100,00"}, {"STATUS_ID": 5, "AMOUNT": "-100,00"}]})
            ),
            Some(State::Cancelled)
        );
        assert_eq!(
            state(json!({"TRANSACTIONS": [{"STATUS_ID": 1}, {"STATUS_ID": 2}]})),
            Some(State::Pending)
        );
    }

    #[test]
    fn signed_amounts_count_as_their_absolute_values() {
        // Public clients show refund and cancel entries with signed amounts ('-30,25').
        assert_eq!(
            state(json!({"TRANSACTIONS": [
                {"STATUS_ID": 3, "AMOUNT": "100,00"}, {"STATUS_ID": 7, "AMOUNT": "-30,25"}]})),
            Some(State::PartiallyRefunded)
        );
        assert_eq!(
            state(json!({"TRANSACTIONS": [
                {"STATUS_ID": 3, "AMOUNT": "-30,25"}, {"STATUS_ID": 7, "AMOUNT": "30,25"}]})),
            Some(State::Refunded)
        );
        assert_eq!(
            amount_of(&json!({"AMOUNT": "-30,25"})),
            Some(Decimal::new(3025, 2))
        );
    }

    #[test]
    fn only_a_reference_not_found_reply_is_not_found() {
        // The vendor's error table: 400 PROCESS_QUERY is any error of the query service.
        let not_found = json!({"STATUS": "PROCESS_QUERY", "RETURN_CODE": "400",
                               "RETURN_MESSAGE": "Referans numarası bulunamadı"});
        assert!(says_not_found(&not_found));
        assert!(says_not_found(
            &json!({"RETURN_CODE": "400", "RETURN_MESSAGE": "Order not found"})
        ));
        let service_error = json!({"STATUS": "PROCESS_QUERY", "RETURN_CODE": "400",
                                   "RETURN_MESSAGE": "İşlem durum sorgulama servisinde hata oluştu"});
        assert!(!says_not_found(&service_error));
        assert!(!says_not_found(
            &json!({"RETURN_CODE": "100", "RETURN_MESSAGE": "Referans numarası bulunamadı"})
        ));
    }

    #[test]
    fn generated_references_fit_24_characters() {
        let a = new_order_ref();
        assert!(a.len() <= 24 && a.starts_with("ODM"), "{a}");
        assert_ne!(a, new_order_ref());
    }
}
