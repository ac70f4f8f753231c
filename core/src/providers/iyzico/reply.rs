//! Reading iyzico's replies: success or failure, the payment resource, response signatures
//! (checked in constant time), and the reporting API's payment details.

use crate::json::Fields;

use super::codes;
use crate::error::{self, provider_error, signature_error, Error, ProviderFailure};
use crate::money::signed_amount;
use crate::outcome::{text, Bearer, ItemTransaction, Payment};
use crate::sign;
use std::borrow::Cow;

/// `status` arrives as a string or a number; only `"success"` is success.
pub(crate) fn is_success<F: Fields + ?Sized>(raw: &F) -> bool {
    raw.text_ref("status").as_deref() == Some("success")
}

pub(crate) fn failure<F: Fields + ?Sized>(raw: &F, http_status: u16) -> Error {
    let code = text(raw, "errorCode");
    let message = text(raw, "errorMessage");
    let group = text(raw, "errorGroup");
    let status = text(raw, "status");
    let failure = codes::classify(
        code.as_deref(),
        group.as_deref(),
        status.as_deref(),
        http_status,
    );
    let mut e = provider_error(failure, code.as_deref(), message.as_deref(), http_status);
    if failure == ProviderFailure::Declined {
        if let Some(g) = group {
            e = e.with_message_suffix(&format!("error group {g}"));
        }
    }
    if code.as_deref() == Some("1000") {
        // iyzico's "invalid signature" on the request: say exactly what odeme signed.
        e = e.with_message_suffix(
            "odeme signed IYZWSv2 as HMAC-SHA256(secret key, randomKey + the request path without its query + the exact body bytes sent); check api_key/secret_key and the base URL, and compare with `odeme hash iyzico-header --explain`",
        );
    }
    e
}

pub(crate) fn parse_payment<F: Fields + ?Sized>(
    raw: &F,
    at_most_once: bool,
) -> Result<Payment, Error> {
    let missing = |what: &str| {
        error::unreadable_reply(
            at_most_once,
            None,
            &format!("iyzico reported success without {what}"),
        )
    };
    let payment_id = text(raw, "paymentId").ok_or_else(|| missing("paymentId"))?;
    let price = text(raw, "price").ok_or_else(|| missing("price"))?;
    let paid_price = text(raw, "paidPrice").ok_or_else(|| missing("paidPrice"))?;
    let items = raw
        .objects("itemTransactions")
        .iter()
        .map(|t| ItemTransaction {
            item_id: text(t, "itemId"),
            payment_transaction_id: text(t, "paymentTransactionId"),
            price: text(t, "price"),
            paid_price: text(t, "paidPrice"),
        })
        .collect();
    Ok(Payment {
        payment_id,
        conversation_id: text(raw, "conversationId"),
        basket_id: text(raw, "basketId"),
        price,
        paid_price,
        currency: text(raw, "currency"),
        installment: text(raw, "installment"),
        fraud_status: text(raw, "fraudStatus"),
        bin_number: text(raw, "binNumber"),
        last_four_digits: text(raw, "lastFourDigits"),
        card_association: text(raw, "cardAssociation"),
        card_family: text(raw, "cardFamily"),
        card_type: text(raw, "cardType"),
        auth_code: text(raw, "authCode"),
        item_transactions: items,
        card_user_key: text(raw, "cardUserKey").map(Bearer::new),
        card_token: text(raw, "cardToken").map(Bearer::new),
    })
}

/// Whether a payment reply is a pre-authorization (iyzico's `phase` `PRE_AUTH`,
/// docs.iyzico.com "Ön Provizyon Entegrasyonu": a successful preauth answers `"phase":
/// "PRE_AUTH"`): the bank holds the amount, nothing moved yet.
pub(crate) fn is_preauth<F: Fields + ?Sized>(raw: &F) -> bool {
    raw.text_ref("phase").as_deref() == Some("PRE_AUTH")
}

/// The fields a payment reply signs, in order, amounts normalised (reference §4).
pub fn payment_signature_fields<F: Fields + ?Sized>(raw: &F) -> [String; 6] {
    payment_signature_texts(raw).map(Cow::into_owned)
}

/// [`payment_signature_fields`], borrowed from the reply where they can be.
fn payment_signature_texts<F: Fields + ?Sized>(raw: &F) -> [Cow<'_, str>; 6] {
    let field = |k: &str| raw.text_ref(k).unwrap_or_default();
    let amount = |k: &str| match field(k) {
        Cow::Borrowed(t) => Cow::Borrowed(signed_amount(t)),
        Cow::Owned(t) => Cow::Owned(signed_amount(&t).to_owned()),
    };
    [
        field("paymentId"),
        field("currency"),
        field("basketId"),
        field("conversationId"),
        amount("paidPrice"),
        amount("price"),
    ]
}

/// The names of the fields `payment_signature_fields` returns, in order.
const PAYMENT_SIGNED: [&str; 6] = [
    "paymentId",
    "currency",
    "basketId",
    "conversationId",
    "paidPrice",
    "price",
];

pub(crate) fn verify_payment_signature<F: Fields + ?Sized>(
    secret: &str,
    raw: &F,
    what: &str,
) -> Result<(), Error> {
    let values = payment_signature_texts(raw);
    let fields: [(&str, &str); 6] = std::array::from_fn(|i| (PAYMENT_SIGNED[i], &*values[i]));
    verify_fields(secret, raw, &fields, what)
}

/// Pair field names with the values of a `*_signature_fields` function.
pub(crate) fn named<const N: usize>(
    names: &[&'static str; N],
    values: [String; N],
) -> Vec<(&'static str, String)> {
    names.iter().copied().zip(values).collect()
}

/// Fields that are signed but never shown in a message: a checkout-form token is a bearer
/// handle on the payment.
const NOT_SHOWN: [&str; 1] = ["token"];

/// Check `signature` over the named fields joined by `:` (constant time). On failure the error
/// names what went into the signature, so the merchant can compare with what iyzico signed
/// (`odeme hash iyzico-signature --explain`); no card data or secret is among these fields, and
/// a token is shown only by its length.
pub(crate) fn verify_fields<F: Fields + ?Sized, S: AsRef<str>>(
    secret: &str,
    raw: &F,
    fields: &[(&str, S)],
    what: &str,
) -> Result<(), Error> {
    let Some(received) = raw.text_ref("signature") else {
        return Err(signature_error(&format!("{what} (no signature)")));
    };
    if sign::iyzico_verify_iter(secret, fields.iter().map(|(_, v)| v.as_ref()), &received) {
        return Ok(());
    }
    let signed: Vec<String> = fields
        .iter()
        .map(|(n, v)| {
            let v = v.as_ref();
            if NOT_SHOWN.contains(n) {
                format!("{n}=<{} characters, not shown>", v.chars().count())
            } else {
                format!("{n}={v:?}")
            }
        })
        .collect();
    Err(signature_error(what).with_message_suffix(&format!(
        "signed over {} joined by ':' with the secret key",
        signed.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_signature_names_the_fields_but_never_shows_a_token() {
        let token = "f8a6c2e1-0b7d-4e39-9a51-secret-token";
        let raw = serde_json::json!({"conversationId": "c-1", "token": token, "signature": "00"});
        let fields = vec![
            ("conversationId", "c-1".to_owned()),
            ("token", token.to_owned()),
        ];
        let e = verify_fields("k", &raw, &fields, "the reply").unwrap_err();
        let text = format!("{e} {e:?} {}", e.to_json());
        assert!(text.contains("conversationId=\"c-1\""), "{text}");
        assert!(text.contains("token=<36 characters, not shown>"), "{text}");
        assert!(!text.contains(token), "{text}");
        let good = sign::iyzico_signature("k", &["c-1", token]);
        let raw = serde_json::json!({"signature": good});
        assert!(verify_fields("k", &raw, &fields, "the reply").is_ok());
    }
}
