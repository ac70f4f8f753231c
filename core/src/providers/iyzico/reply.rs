//! Reading iyzico's replies: success or failure, the payment resource, response signatures
//! (checked in constant time), and the reporting API's payment details.
//!
//! Every reply is read once into its typed shape ([`iyzico_reply!`]), its scalars borrowed from
//! the reply's bytes ([`Scalar`]: a number where iyzico documents a string reads as its digits).
//! A key the shape reads, repeated in one object, refuses the reply.

use super::codes;
use crate::error::{self, provider_error, signature_error, Error, ProviderFailure};
pub(crate) use crate::json::owned;
use crate::json::Scalar;
use crate::money::signed_amount;
use crate::outcome::{Bearer, ItemTransaction, Payment};
use crate::sign;

/// Declare a shape of (a part of) an iyzico reply: a struct read as iyzico names its fields
/// (camelCase), every field borrowed from the reply's bytes (each field's type holds the
/// lifetime: `Option<Scalar<'a>>`, or a list of other shapes).
macro_rules! iyzico_shape {
    ($(#[$meta:meta])* $vis:vis struct $name:ident<$lt:lifetime> {
        $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty,)*
    }) => {
        $(#[$meta])*
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        $vis struct $name<$lt> {
            $($(#[$fmeta])* #[serde(borrow)] $fvis $field: $ty,)*
        }
    };
}
pub(crate) use iyzico_shape;

/// Declare an iyzico reply: an [`iyzico_shape!`] with the fields every iyzico reply may carry
/// (`status` and the error fields) before the operation's own, and [`Answer`] for it.
macro_rules! iyzico_reply {
    ($(#[$meta:meta])* $vis:vis struct $name:ident<$lt:lifetime> {
        $($body:tt)*
    }) => {
        $crate::providers::iyzico::reply::iyzico_shape! {
            $(#[$meta])*
            $vis struct $name<$lt> {
                pub status: Option<$crate::json::Scalar<$lt>>,
                pub error_code: Option<$crate::json::Scalar<$lt>>,
                pub error_message: Option<$crate::json::Scalar<$lt>>,
                pub error_group: Option<$crate::json::Scalar<$lt>>,
                $($body)*
            }
        }

        impl $crate::providers::iyzico::reply::Answer for $name<'_> {
            fn head(&self) -> $crate::providers::iyzico::reply::Head<'_> {
                $crate::providers::iyzico::reply::Head {
                    status: self.status.as_deref(),
                    error_code: self.error_code.as_deref(),
                    error_message: self.error_message.as_deref(),
                    error_group: self.error_group.as_deref(),
                }
            }
        }
    };
}
pub(crate) use iyzico_reply;

/// What every iyzico reply may say about success or failure.
#[derive(Clone, Copy, Default)]
pub(crate) struct Head<'r> {
    pub status: Option<&'r str>,
    pub error_code: Option<&'r str>,
    pub error_message: Option<&'r str>,
    pub error_group: Option<&'r str>,
}

/// A typed iyzico reply (declared with [`iyzico_reply!`]).
pub(crate) trait Answer {
    fn head(&self) -> Head<'_>;

    /// `status` arrives as a string or a number; only `"success"` is success.
    fn is_success(&self) -> bool {
        self.head().status == Some("success")
    }
}

/// A flag iyzico sends as `true`, `"true"`, `1` or `"1"` (any case); anything else, or none,
/// is `false`.
pub(crate) fn flag(s: &Option<Scalar<'_>>) -> bool {
    s.as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("true") || t == "1")
}

/// A list iyzico may leave out or send as `null`: no items.
pub(crate) fn items<T>(list: &Option<Vec<T>>) -> &[T] {
    list.as_deref().unwrap_or_default()
}

pub(crate) fn failure<A: Answer + ?Sized>(raw: &A, http_status: u16) -> Error {
    let head = raw.head();
    let (code, message, group) = (head.error_code, head.error_message, head.error_group);
    let failure = codes::classify(code, group, head.status, http_status);
    let mut e = provider_error(failure, code, message, http_status);
    if failure == ProviderFailure::Declined {
        if let Some(g) = group {
            e = e.with_message_suffix(&format!("error group {g}"));
        }
    }
    if code == Some("1000") {
        // iyzico's "invalid signature" on the request: say exactly what odeme signed.
        e = e.with_message_suffix(
            "odeme signed IYZWSv2 as HMAC-SHA256(secret key, randomKey + the request path without its query + the exact body bytes sent); check api_key/secret_key and the base URL, and compare with `odeme hash iyzico-header --explain`",
        );
    }
    e
}

iyzico_reply! {
    /// The payment resource: the reply to `/payment/auth`, `/payment/preauth`,
    /// `/payment/postauth`, the 3-D completion and `/payment/detail` (which adds
    /// `paymentStatus`). Its `Debug` is not derived: it holds the stored card's keys.
    pub struct PaymentReply<'a> {
        pub signature: Option<Scalar<'a>>,
        pub payment_id: Option<Scalar<'a>>,
        pub conversation_id: Option<Scalar<'a>>,
        pub basket_id: Option<Scalar<'a>>,
        pub price: Option<Scalar<'a>>,
        pub paid_price: Option<Scalar<'a>>,
        pub currency: Option<Scalar<'a>>,
        pub installment: Option<Scalar<'a>>,
        pub fraud_status: Option<Scalar<'a>>,
        pub bin_number: Option<Scalar<'a>>,
        pub last_four_digits: Option<Scalar<'a>>,
        pub card_association: Option<Scalar<'a>>,
        pub card_family: Option<Scalar<'a>>,
        pub card_type: Option<Scalar<'a>>,
        pub auth_code: Option<Scalar<'a>>,
        pub card_user_key: Option<Scalar<'a>>,
        pub card_token: Option<Scalar<'a>>,
        pub phase: Option<Scalar<'a>>,
        pub payment_status: Option<Scalar<'a>>,
        pub item_transactions: Option<Vec<ItemTx<'a>>>,
    }
}

iyzico_shape! {
    /// One entry of a payment's `itemTransactions`.
    pub struct ItemTx<'a> {
        pub item_id: Option<Scalar<'a>>,
        pub payment_transaction_id: Option<Scalar<'a>>,
        pub price: Option<Scalar<'a>>,
        pub paid_price: Option<Scalar<'a>>,
    }
}

impl PaymentReply<'_> {
    /// Whether this is a pre-authorization (iyzico's `phase` `PRE_AUTH`, docs.iyzico.com "Ön
    /// Provizyon Entegrasyonu": a successful preauth answers `"phase": "PRE_AUTH"`): the bank
    /// holds the amount, nothing moved yet.
    pub(crate) fn is_preauth(&self) -> bool {
        self.phase.as_deref() == Some("PRE_AUTH")
    }
}

pub(crate) fn parse_payment(raw: &PaymentReply<'_>, at_most_once: bool) -> Result<Payment, Error> {
    let missing = |what: &str| {
        error::unreadable_reply(
            at_most_once,
            None,
            &format!("iyzico reported success without {what}"),
        )
    };
    let payment_id = owned(&raw.payment_id).ok_or_else(|| missing("paymentId"))?;
    let price = owned(&raw.price).ok_or_else(|| missing("price"))?;
    let paid_price = owned(&raw.paid_price).ok_or_else(|| missing("paidPrice"))?;
    let items = raw
        .item_transactions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| ItemTransaction {
            item_id: owned(&t.item_id),
            payment_transaction_id: owned(&t.payment_transaction_id),
            price: owned(&t.price),
            paid_price: owned(&t.paid_price),
        })
        .collect();
    Ok(Payment {
        payment_id,
        conversation_id: owned(&raw.conversation_id),
        basket_id: owned(&raw.basket_id),
        price,
        paid_price,
        currency: owned(&raw.currency),
        installment: owned(&raw.installment),
        fraud_status: owned(&raw.fraud_status),
        bin_number: owned(&raw.bin_number),
        last_four_digits: owned(&raw.last_four_digits),
        card_association: owned(&raw.card_association),
        card_family: owned(&raw.card_family),
        card_type: owned(&raw.card_type),
        auth_code: owned(&raw.auth_code),
        item_transactions: items,
        card_user_key: owned(&raw.card_user_key).map(Bearer::new),
        card_token: owned(&raw.card_token).map(Bearer::new),
    })
}

/// The fields a payment reply signs, in order, amounts normalised (reference §4).
pub fn payment_signature_fields(raw: &PaymentReply<'_>) -> [String; 6] {
    payment_signature_texts(raw).map(str::to_owned)
}

/// [`payment_signature_fields`], borrowed from the reply.
fn payment_signature_texts<'r>(raw: &'r PaymentReply<'_>) -> [&'r str; 6] {
    let field = |s: &'r Option<Scalar<'_>>| s.as_deref().unwrap_or_default();
    [
        field(&raw.payment_id),
        field(&raw.currency),
        field(&raw.basket_id),
        field(&raw.conversation_id),
        signed_amount(field(&raw.paid_price)),
        signed_amount(field(&raw.price)),
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

pub(crate) fn verify_payment_signature(
    secret: &str,
    raw: &PaymentReply<'_>,
    what: &str,
) -> Result<(), Error> {
    let fields = named(&PAYMENT_SIGNED, payment_signature_texts(raw));
    verify_fields(secret, raw.signature.as_deref(), &fields, what)
}

/// Pair field names with the values of a `*_signature_texts` function.
pub(crate) fn named<'v, const N: usize>(
    names: &[&'static str; N],
    values: [&'v str; N],
) -> [(&'static str, &'v str); N] {
    std::array::from_fn(|i| (names[i], values[i]))
}

/// Fields that are signed but never shown in a message: a checkout-form token is a bearer
/// handle on the payment.
const NOT_SHOWN: [&str; 1] = ["token"];

/// Check `received` (the reply's `signature`) over the named fields joined by `:` (constant
/// time). On failure the error names what went into the signature, so the merchant can compare
/// with what iyzico signed (`odeme hash iyzico-signature --explain`); no card data or secret is
/// among these fields, and a token is shown only by its length.
pub(crate) fn verify_fields<S: AsRef<str>>(
    secret: &str,
    received: Option<&str>,
    fields: &[(&str, S)],
    what: &str,
) -> Result<(), Error> {
    let Some(received) = received else {
        return Err(signature_error(&format!("{what} (no signature)")));
    };
    if sign::iyzico_verify_iter(secret, fields.iter().map(|(_, v)| v.as_ref()), received) {
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
        let fields = vec![
            ("conversationId", "c-1".to_owned()),
            ("token", token.to_owned()),
        ];
        let e = verify_fields("k", Some("00"), &fields, "the reply").unwrap_err();
        let text = format!("{e} {e:?} {}", e.to_json());
        assert!(text.contains("conversationId=\"c-1\""), "{text}");
        assert!(text.contains("token=<36 characters, not shown>"), "{text}");
        assert!(!text.contains(token), "{text}");
        let good = sign::iyzico_signature("k", &["c-1", token]);
        assert!(verify_fields("k", Some(&good), &fields, "the reply").is_ok());
        let e = verify_fields("k", None, &fields, "the reply").unwrap_err();
        assert!(e.message().contains("no signature"), "{e}");
    }
}
