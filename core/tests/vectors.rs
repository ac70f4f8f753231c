//! Every published vector of `shared/reference/iyzico_vectors.json` that applies to IYZWSv2,
//! response signatures and price formatting, plus the Paymes seed vector, byte for byte.

use odeme::money::{normalize_signed_amount, Amount};
use odeme::providers::iyzico::{
    create_payment_body, payment_signature_fields, CreatePaymentRequest, PaymentReply,
};
use odeme::sign;
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors/iyzico_vectors.json")).unwrap()
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string"))
}

#[test]
fn iyzws_v2_create_payment_python_body() {
    let v = vectors();
    let m = &v["_meta"];
    let body = s(&v, &["create_payment", "body_python_sdk_json_dumps"]);
    let header = sign::iyzico_auth_header(
        s(m, &["apiKey"]),
        s(m, &["secretKey"]),
        s(m, &["randomKey"]),
        s(&v, &["create_payment", "path"]),
        body.as_bytes(),
    );
    assert_eq!(
        header,
        s(
            &v,
            &["create_payment", "v2_python_body", "authorization_header"]
        )
    );
}

#[test]
fn iyzws_v2_create_payment_compact_body() {
    let v = vectors();
    let m = &v["_meta"];
    let body = s(&v, &["create_payment", "body_compact_canonical"]);
    let header = sign::iyzico_auth_header(
        s(m, &["apiKey"]),
        s(m, &["secretKey"]),
        s(m, &["randomKey"]),
        "/payment/auth",
        body.as_bytes(),
    );
    assert_eq!(
        header,
        s(
            &v,
            &["create_payment", "v2_compact_body", "authorization_header"]
        )
    );
}

#[test]
fn odeme_serializes_the_sdk_request_to_the_canonical_body_byte_for_byte() {
    let v = vectors();
    let req: CreatePaymentRequest =
        serde_json::from_value(v["create_payment"]["request_python_sdk_dict"].clone()).unwrap();
    let body = create_payment_body(&req).unwrap();
    assert_eq!(
        std::str::from_utf8(&body).unwrap(),
        s(&v, &["create_payment", "body_compact_canonical"])
    );
    let digest = ring::digest::digest(&ring::digest::SHA256, &body);
    assert_eq!(
        sign::hex(digest.as_ref()),
        s(&v, &["create_payment", "body_compact_canonical_sha256_hex"])
    );
    // Read from text with its strings borrowed (as `call_json` reads it): the same bytes.
    let text = v["create_payment"]["request_python_sdk_dict"].to_string();
    let borrowed: CreatePaymentRequest<odeme::json::Str> = serde_json::from_str(&text).unwrap();
    assert!(matches!(
        borrowed.buyer.name.0,
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(create_payment_body(&borrowed).unwrap(), body);
}

#[test]
fn iyzws_v2_bin_check_and_get_without_body() {
    let v = vectors();
    let m = &v["_meta"];
    let (api, secret, rnd) = (
        s(m, &["apiKey"]),
        s(m, &["secretKey"]),
        s(m, &["randomKey"]),
    );
    let bin = &v["bin_check"];
    assert_eq!(
        sign::iyzico_auth_header(
            api,
            secret,
            rnd,
            s(bin, &["path"]),
            s(bin, &["body"]).as_bytes()
        ),
        s(bin, &["v2_authorization_header"])
    );
    let get = &v["get_without_body"];
    assert_eq!(
        sign::iyzico_auth_header(api, secret, rnd, s(get, &["signed_path"]), b""),
        s(get, &["v2_authorization_header"])
    );
}

#[test]
fn sdk_published_v2_regression_vectors() {
    let v = vectors();
    let mut checked = 0;
    for case in v["sdk_published_regression_vectors"].as_array().unwrap() {
        if case["scheme"] != "v2" {
            continue; // IYZWS v1 (SHA-1) is retired and not implemented.
        }
        // The payload after the random key is path + body; the signer concatenates them, so
        // any split of the payload gives the same HMAC. Split at the first quote or brace.
        let payload = case["payload_after_random"].as_str().unwrap();
        let split = payload.find(['"', '{']).unwrap_or(payload.len());
        let (path, body) = payload.split_at(split);
        let header = sign::iyzico_auth_header(
            case["apiKey"].as_str().unwrap(),
            case["secretKey"].as_str().unwrap(),
            case["randomKey"].as_str().unwrap(),
            path,
            body.as_bytes(),
        );
        assert_eq!(
            header,
            format!("IYZWSv2 {}", case["expected"].as_str().unwrap()),
            "{}",
            case["source"]
        );
        checked += 1;
    }
    assert_eq!(checked, 7);
}

#[test]
fn response_signatures() {
    let v = vectors();
    let secret = s(&v, &["_meta", "secretKey"]);
    let mut checked = 0;
    for (name, case) in v["response_signatures"].as_object().unwrap() {
        let Some(data) = case["data_to_sign"].as_str() else {
            continue;
        };
        let expected = case["signature_hex"].as_str().unwrap();
        if name.starts_with("webhook") {
            // Webhook V3: no separators, message given whole.
            let msg = case["message"].as_str().unwrap();
            assert_eq!(sign::iyzico_signature(secret, &[msg]), expected, "{name}");
        } else {
            let key = case["secretKey"].as_str().unwrap_or(secret);
            let fields: Vec<&str> = data.split(':').collect();
            assert_eq!(sign::iyzico_signature(key, &fields), expected, "{name}");
            assert!(sign::iyzico_verify(key, &fields, expected), "{name}");
        }
        checked += 1;
    }
    for (name, case) in v["response_signatures"].as_object().unwrap() {
        if let Some(msg) = case["message"].as_str() {
            assert_eq!(
                sign::iyzico_signature(secret, &[msg]),
                case["signature_hex"].as_str().unwrap(),
                "{name}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 9, "{checked}");
}

#[test]
fn payment_reply_signature_from_the_documented_excerpt() {
    // The excerpt has JSON numbers (price 1.0, paidPrice 1.2): normalised to "1" and "1.2".
    let v = vectors();
    let case = &v["response_signatures"]["payment_auth"];
    let raw: PaymentReply = odeme::json::read_shape(
        br#"{"status":"success","locale":"tr","systemTime":1528282342393,"conversationId":"123456789",
            "price":1.0,"paidPrice":1.2,"installment":1,"paymentId":"10851936","currency":"TRY","basketId":"B67832"}"#,
    )
    .unwrap();
    let fields = payment_signature_fields(&raw);
    assert_eq!(fields.join(":"), s(case, &["data_to_sign"]));
    assert_eq!(
        sign::iyzico_signature(s(&v, &["_meta", "secretKey"]), &fields),
        s(case, &["signature_hex"])
    );
}

#[test]
fn price_format_vectors() {
    let v = vectors();
    let mut checked = 0;
    for (input, want) in v["price_format_request"]["vectors"].as_object().unwrap() {
        match Amount::parse(input) {
            Ok(a) => {
                assert_eq!(a.iyzico(), want.as_str().unwrap(), "{input}");
                checked += 1;
            }
            // Amounts with more than two decimals or a sign are refused by design, never rounded.
            Err(_) => {
                let frac = input
                    .split_once('.')
                    .map(|(_, f)| f.trim_end_matches('0').len())
                    .unwrap_or(0);
                assert!(frac > 2 || input.starts_with('-'), "{input} refused");
            }
        }
    }
    assert!(checked >= 12, "{checked}");
    for (input, want) in v["price_format_response_signature"]["vectors"]
        .as_object()
        .unwrap()
    {
        assert_eq!(
            normalize_signed_amount(input),
            want.as_str().unwrap(),
            "{input}"
        );
    }
}

#[test]
fn paymes_seed_vector() {
    let parts = [
        "123456789",
        "1050",
        "TRY",
        "Ürün İsmi",
        "Mehmet Yılmaz",
        "05555555555",
        "email@example.com",
        "Örnek adres bilgisi",
    ];
    assert_eq!(
        sign::paymes_hash(&parts, "111111111"),
        "knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g=="
    );
}

/// The 3-D Secure callback published in iyzico's SDK samples (iyzico/iyzipay-php
/// `samples/callbackUrl_Signature_Validation.php`), fed to `iyzico.verify_3ds_callback` as the
/// form iyzico posts (research/iyzico/examples/threeds_callback_form.txt), and the reference's
/// own callback vector with a conversationId.
#[test]
fn published_3ds_callback_vectors_through_verify_3ds_callback() {
    let v = vectors();
    let case = &v["response_signatures"]["sdk_published_callback_vector"];
    assert_eq!(s(case, &["data_to_sign"]), "::1:22484292:success");
    let form = "status=success&paymentId=22484292&conversationData=&conversationId=&mdStatus=1&signature=a4f73b80bb32a6ef8358090bbd8609a49a7b53f463048f8ef147496e236d04f0";
    let posted: serde_json::Map<String, Value> = form
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), Value::from(v))
        })
        .collect();
    let call = |secret: &str, posted: Value| {
        let cfg = serde_json::json!({"iyzico": {"api_key": "k", "secret_key": secret}});
        odeme::Client::from_json(&cfg.to_string())
            .unwrap()
            .call("iyzico.verify_3ds_callback", posted)
    };
    let r = call(s(case, &["secretKey"]), Value::Object(posted.clone())).unwrap();
    let odeme::Outcome::Callback(cb) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(cb.state, odeme::outcome::CallbackState::Authenticated);
    assert_eq!(cb.payment_id.as_deref(), Some("22484292"));
    assert_eq!(cb.md_status.as_deref(), Some("1"));
    assert!(r.raw.to_value().get("signature").is_none());
    // Another secret: not iyzico's signature.
    let e = call("another-secret", Value::Object(posted)).unwrap_err();
    assert_eq!(e.kind(), odeme::ErrorKind::Signature);

    let case = &v["response_signatures"]["threeds_callback_post"];
    let posted = serde_json::json!({"status": "success", "paymentId": "10851936", "conversationData": "",
        "conversationId": "123456789", "mdStatus": "1", "signature": s(case, &["signature_hex"])});
    let r = call(s(&v, &["_meta", "secretKey"]), posted).unwrap();
    assert!(matches!(r.outcome, odeme::Outcome::Callback(ref cb)
        if cb.conversation_id.as_deref() == Some("123456789")));
}
