//! iyzico's read-only lookups: `bin_check` (`POST /payment/bin/check`) and `installments`
//! (`POST /payment/iyzipos/installment`). Neither reply is signed by iyzico.

use serde::{Deserialize, Serialize};

use super::reply::{flag, items, iyzico_reply, iyzico_shape, owned, Answer as _};
use super::wire::Locale;
use super::{reply, send};
use crate::config::IyzicoConfig;
use crate::error::{self, Error};
use crate::json::Scalar;
use crate::money::{Amount, Currency};
use crate::operation::{Journaled, OperationDef, Reconcile, Sends, StepFns, Steps};
use crate::outcome::{CardInfo, InstallmentOption, InstallmentPrice, Outcome, Response};
use crate::providers::{json_body, Call, Text};
use crate::transport::{Body, Method, Reply};
use crate::validate::{self, parse_request};

pub const BIN_CHECK_PATH: &str = "/payment/bin/check";
pub const INSTALLMENT_PATH: &str = "/payment/iyzipos/installment";

pub(crate) const BIN_CHECK: OperationDef = OperationDef {
    name: "iyzico.bin_check",
    summary: "What a card's BIN says: type, association, family, bank",
    method: Some("POST"),
    path: Some("/payment/bin/check"),
    outcome: &["card_info"],
    example: r#"{"binNumber":"552879"}"#,
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| bin_check(call, parse_request(req)?),
        reply: |call, _, reply| bin_check_reply(call, reply),
    }),
};

pub(crate) const INSTALLMENTS: OperationDef = OperationDef {
    name: "iyzico.installments",
    summary: "The installment table for a price (and a BIN)",
    method: Some("POST"),
    path: Some("/payment/iyzipos/installment"),
    outcome: &["installments"],
    example: r#"{"binNumber":"552879","price":"100"}"#,
    sends: Sends::Retryable,
    reconcile: Reconcile::NotNeeded,
    journal: Journaled::NONE,
    steps: Steps::Iyzico(StepFns {
        run: |call, req| installments(call, parse_request(req)?),
        reply: |call, _, reply| installments_reply(call, reply),
    }),
};

/// `iyzico.bin_check` request: the first 6 (or 8) digits of the card.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BinCheckRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub bin_number: Text,
}

/// `iyzico.installments` request: the price, and the BIN to narrow the table to one card.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct InstallmentsRequest {
    #[serde(default)]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub bin_number: Option<Text>,
    pub price: Amount,
    #[serde(default)]
    pub currency: Option<Currency>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireLookup<'a> {
    locale: Locale,
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bin_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<Currency>,
}

/// A BIN is 6 or 8 digits (never a whole card number: that would put card data on the wire).
fn check_bin(bin: &str) -> Result<(), Error> {
    if !(bin.len() == 6 || bin.len() == 8) || !bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_field(
            "binNumber",
            "must be the first 6 or 8 digits of the card (never the whole number)",
        ));
    }
    Ok(())
}

/// Validate a BIN check and serialize its body.
pub fn bin_check_body(req: &BinCheckRequest) -> Result<crate::secret::WipingBuf, Error> {
    check_bin(req.bin_number.as_str())?;
    validate::not_blank("conversationId", &req.conversation_id)?;
    json_body(&WireLookup {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        bin_number: Some(req.bin_number.as_str()),
        price: None,
        currency: None,
    })
}

/// Validate an installment query and serialize its body.
pub fn installments_body(req: &InstallmentsRequest) -> Result<crate::secret::WipingBuf, Error> {
    if let Some(b) = &req.bin_number {
        check_bin(b.as_str())?;
    }
    validate::positive("price", req.price)?;
    validate::not_blank("conversationId", &req.conversation_id)?;
    json_body(&WireLookup {
        locale: req.locale.unwrap_or(Locale::Tr),
        conversation_id: req.conversation_id.as_deref(),
        bin_number: req.bin_number.as_ref().map(Text::as_str),
        price: Some(req.price.iyzico()),
        currency: req.currency,
    })
}

fn bin_check(call: &Call<'_, IyzicoConfig>, req: BinCheckRequest) -> Result<Response, Error> {
    let body = bin_check_body(&req)?;
    let reply = send(call, Method::Post, BIN_CHECK_PATH, "", Body::Json(body))?;
    bin_check_reply(call, &reply)
}

fn bin_check_reply(call: &Call<'_, IyzicoConfig>, reply: &Reply) -> Result<Response, Error> {
    let raw: BinReply = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let bin = owned(&raw.bin_number).ok_or_else(|| {
        error::unreadable_reply(
            call.at_most_once(),
            Some(reply.status),
            "iyzico reported success without binNumber",
        )
    })?;
    let info = CardInfo {
        bin: bin.clone(),
        card_type: owned(&raw.card_type),
        association: owned(&raw.card_association),
        family: owned(&raw.card_family),
        bank_name: owned(&raw.bank_name),
        commercial: flag(&raw.commercial),
    };
    Ok(call.response(Outcome::CardInfo(info), Some(bin), reply.raw()))
}

iyzico_reply! {
    /// The reply to `POST /payment/bin/check`.
    struct BinReply<'a> {
        bin_number: Option<Scalar<'a>>,
        card_type: Option<Scalar<'a>>,
        card_association: Option<Scalar<'a>>,
        card_family: Option<Scalar<'a>>,
        bank_name: Option<Scalar<'a>>,
        commercial: Option<Scalar<'a>>,
    }
}

iyzico_reply! {
    /// The reply to `POST /payment/iyzipos/installment`.
    pub(crate) struct InstallmentReply<'a> {
        installment_details: Option<Vec<InstallmentDetail<'a>>>,
    }
}

iyzico_shape! {
    /// One card family's entry of `installmentDetails`.
    struct InstallmentDetail<'a> {
        bin_number: Option<Scalar<'a>>,
        bank_name: Option<Scalar<'a>>,
        card_family_name: Option<Scalar<'a>>,
        card_type: Option<Scalar<'a>>,
        card_association: Option<Scalar<'a>>,
        installment_prices: Option<Vec<InstallmentEntry<'a>>>,
    }
}

iyzico_shape! {
    /// One entry of `installmentPrices`.
    struct InstallmentEntry<'a> {
        installment_number: Option<Scalar<'a>>,
        total_price: Option<Scalar<'a>>,
        installment_price: Option<Scalar<'a>>,
    }
}

fn installments(
    call: &Call<'_, IyzicoConfig>,
    req: InstallmentsRequest,
) -> Result<Response, Error> {
    let body = installments_body(&req)?;
    let reply = send(call, Method::Post, INSTALLMENT_PATH, "", Body::Json(body))?;
    installments_reply(call, &reply)
}

/// `installmentDetails[]` → options: JSON numbers keep their digits as decimal strings.
pub(crate) fn installment_options(
    raw: &InstallmentReply<'_>,
) -> Result<Vec<InstallmentOption>, String> {
    let Some(details) = &raw.installment_details else {
        return Err("iyzico reported success without installmentDetails".into());
    };
    let mut options = Vec::with_capacity(details.len());
    for d in details {
        let mut prices = Vec::new();
        for p in items(&d.installment_prices) {
            let count = p
                .installment_number
                .as_deref()
                .and_then(|n| n.parse::<u32>().ok())
                .ok_or("an installment without a whole installmentNumber")?;
            let total = owned(&p.total_price).ok_or("an installment without totalPrice")?;
            let each =
                owned(&p.installment_price).ok_or("an installment without installmentPrice")?;
            prices.push(InstallmentPrice {
                count,
                total_price: total,
                installment_price: each,
            });
        }
        options.push(InstallmentOption {
            bin: owned(&d.bin_number),
            bank_name: owned(&d.bank_name),
            family: owned(&d.card_family_name),
            card_type: owned(&d.card_type),
            association: owned(&d.card_association),
            installments: prices,
        });
    }
    Ok(options)
}

fn installments_reply(call: &Call<'_, IyzicoConfig>, reply: &Reply) -> Result<Response, Error> {
    let raw: InstallmentReply = reply.typed(call.at_most_once())?;
    if !raw.is_success() {
        return Err(reply::failure(&raw, reply.status));
    }
    let options = installment_options(&raw)
        .map_err(|why| error::unreadable_reply(call.at_most_once(), Some(reply.status), &why))?;
    Ok(call.response(Outcome::Installments { options }, None, reply.raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_installment_reply_keeps_its_digits() {
        // research/iyzico/examples/installment_with_bin.json (iyzico's 2018 gitbook).
        let raw: InstallmentReply = crate::json::read_shape(
            r#"{"status":"success","installmentDetails":[{"binNumber":"454360","price":100,
            "cardType":"CREDIT_CARD","cardAssociation":"VISA","cardFamilyName":"Maximum",
            "bankName":"İş Bankası","installmentPrices":[
            {"installmentPrice":100,"totalPrice":100,"installmentNumber":1},
            {"installmentPrice":50.68,"totalPrice":101.36,"installmentNumber":2}]}]}"#
                .as_bytes(),
        )
        .unwrap();
        let o = installment_options(&raw).unwrap();
        assert_eq!(o[0].family.as_deref(), Some("Maximum"));
        assert_eq!(o[0].installments[1].count, 2);
        assert_eq!(o[0].installments[1].total_price, "101.36");
        assert_eq!(o[0].installments[1].installment_price, "50.68");
    }

    #[test]
    fn a_whole_card_number_is_not_a_bin() {
        let r: BinCheckRequest =
            parse_request(&serde_json::json!({"binNumber": "5528790000000008"})).unwrap();
        let e = bin_check_body(&r).unwrap_err();
        assert_eq!(e.field(), Some("binNumber"));
        assert!(!e.message().contains("5528"));
    }
}
