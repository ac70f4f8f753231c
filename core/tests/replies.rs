//! Provider replies interpreted without I/O (`Client::interpret_reply`): documented shapes and
//! quirks, byte for byte, independent of the simulator.

use odeme::{Client, ErrorKind, Outcome, State};
use serde_json::json;

fn client() -> Client {
    Client::from_json(
        &json!({
            "iyzico": {"api_key": "sandbox-afXhZPW0MQlE4dCUUlHcEopnMBgXnAZI", "secret_key": "sandbox-wbwpzKIiplZxI3hh5ALI4FJyAcZKL6kq"},
            "paymes": {"public_key": "p", "secret_key": "s"},
            "paymago": {"token": "t"},
            "esnekpos": {"merchant": "TEST1234", "merchant_key": "k"}
        })
        .to_string(),
    )
    .unwrap()
}

const IYZICO_OK: &str = r#"{"status":"success","locale":"tr","systemTime":1528282342393,"conversationId":"123456789","price":1.0,"paidPrice":1.2,"installment":1,"paymentId":"10851936","fraudStatus":1,"currency":"TRY","basketId":"B67832","signature":"dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c"}"#;

#[test]
fn iyzico_documented_reply_verifies_and_tampering_does_not() {
    let c = client();
    let r = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, IYZICO_OK.into())
        .unwrap();
    let Outcome::Completed(p) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(
        (
            p.payment_id.as_str(),
            p.price.as_str(),
            p.paid_price.as_str()
        ),
        ("10851936", "1.0", "1.2")
    );
    let tampered = IYZICO_OK.replace("\"paidPrice\":1.2", "\"paidPrice\":1.3");
    let e = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, tampered.into())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    // The hash doctor: the message names the signed fields, as they were signed.
    assert!(
        e.message().contains("paymentId=\"10851936\"") && e.message().contains("paidPrice=\"1.3\""),
        "{e}"
    );
    let unsigned = IYZICO_OK.replace(
        ",\"signature\":\"dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c\"",
        "",
    );
    let e = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, unsigned.into())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    // The same payment as a string-priced reply ("1.20") signs the same (normalised amounts).
    let strings = IYZICO_OK.replace("\"paidPrice\":1.2", "\"paidPrice\":\"1.20\"");
    assert!(c
        .interpret_reply("iyzico.create_payment", json!({}), 200, strings.into())
        .is_ok());
}

#[test]
fn iyzico_error_shapes() {
    let c = client();
    let decline = r#"{"status":"failure","errorCode":"10051","errorMessage":"Kart limiti yetersiz","errorGroup":"NOT_SUFFICIENT_FUNDS","locale":"tr"}"#;
    let e = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, decline.into())
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.provider_code()),
        (ErrorKind::Declined, Some("10051"))
    );
    // Numeric status with HTTP 401 (iyzico/iyzipay-php#215).
    let auth = r#"{"status":401,"errorCode":"5","errorMessage":"Authentication failed!"}"#;
    let e = c
        .interpret_reply(
            "iyzico.retrieve_payment",
            json!({"paymentId": "1"}),
            401,
            auth.into(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    let sig = r#"{"status":"failure","errorCode":"1000","errorMessage":"Geçersiz imza","locale":"tr","systemTime":1688561366716,"conversationId":"123456789"}"#;
    let e = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, sig.into())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    let basket = r#"{"status":"failure","errorCode":5062,"errorMessage":"Gönderilen tutar tüm kırılımların toplam tutarına eşit olmalıdır"}"#;
    let e = c
        .interpret_reply("iyzico.create_payment", json!({}), 200, basket.into())
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.provider_code()),
        (ErrorKind::Provider, Some("5062"))
    );
    let e = c
        .interpret_reply(
            "iyzico.create_payment",
            json!({}),
            502,
            b"<html>Bad Gateway</html>".to_vec(),
        )
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.http_status()),
        (ErrorKind::OutcomeUnknown, Some(502))
    );
    let e = c
        .interpret_reply(
            "iyzico.retrieve_payment",
            json!({"paymentId": "1"}),
            500,
            b"<html/>".to_vec(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn paymes_quirks() {
    let c = client();
    // The 2019 docs' numeric paymesOrderId.
    let ok = r#"{"status":"return_url","message":"Redirect 3D","returnUrl":"https:\/\/api.paym.es\/payment\/915959e3","paymesOrderId":18}"#;
    let r = c
        .interpret_reply("paymes.create_order", json!({"orderId": "1", "price": "1", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}), 200, ok.into())
        .unwrap();
    assert_eq!(r.provider_reference.as_deref(), Some("18"));
    assert!(
        matches!(&r.outcome, Outcome::Redirect { url, .. } if url == "https://api.paym.es/payment/915959e3")
    );
    // Errors with 302 (old docs) and 400 (current docs).
    for status in [302, 400] {
        let e = c
            .interpret_reply("paymes.create_order", json!({"orderId": "1", "price": "1", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}), status, br#"{"status":"error","message":"The price field is required."}"#.to_vec())
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.http_status()),
            (ErrorKind::Provider, Some(status))
        );
        assert_eq!(e.provider_message(), Some("The price field is required."));
    }
    let status = r#"{"status":true,"results":{"currency":"TRY","price":"0.10","type":"success","message":"Ödeme Başarılı","orderId":"123321","paymesOrderId":"x"}}"#;
    let r = c
        .interpret_reply(
            "paymes.query_order",
            json!({"paymesOrderId": "x"}),
            200,
            status.into(),
        )
        .unwrap();
    assert!(
        matches!(&r.outcome, Outcome::Status(s) if s.state == State::Paid && s.amount.as_deref() == Some("0.10"))
    );
}

#[test]
fn paymago_quirks() {
    let c = client();
    // success as a string, returnType as a string, outcome chosen by content.
    let link = r#"{"data":{"responseMessage":"(TR) - işlem başarılı - 43061","orderId":"5555eeee67776666888555","returnUrl":"https://bank.example.com/3d-secure-authentication","errorCode":null,"status":"SUCCESS","paymentId":"5555eeee67776666888555","paymentData":null,"returnType":"1"},"success":"true","message":null,"resultCode":"0000"}"#;
    let r = c
        .interpret_reply(
            "paymago.create_order",
            json!({"orderId": "5555eeee67776666888555"}),
            200,
            link.into(),
        )
        .unwrap();
    assert!(matches!(&r.outcome, Outcome::Redirect { .. }));
    let html = r#"{"data":{"paymentData":"<form action='x'></form>","returnType":2,"paymentId":"p"},"success":true}"#;
    let r = c
        .interpret_reply("paymago.create_order", json!({}), 200, html.into())
        .unwrap();
    assert!(matches!(&r.outcome, Outcome::Html { .. }));
    let not_found =
        r#"{"data":null,"errorInfo":"ERROR","messages":["İşlem Bulunamadı"],"succeeded":false}"#;
    let r = c
        .interpret_reply(
            "paymago.order_result",
            json!({"orderId": "o", "paymentId": "p"}),
            200,
            not_found.into(),
        )
        .unwrap();
    assert!(matches!(&r.outcome, Outcome::Status(s) if s.state == State::NotFound));
}

#[test]
fn esnekpos_needs_both_flags() {
    let c = client();
    let ok = r#"{"RETURN_CODE":"0","RETURN_MESSAGE":"Ödeme İsteği Başarıyla Gönderildi","STATUS":"SUCCESS","URL":"http://localhost:55826/Pages/PayLinkNew.aspx?hash=R428ZEXADN","SendPaymentRequestId":"2482"}"#;
    let r = c
        .interpret_reply("esnekpos.send_payment_request", json!({}), 200, ok.into())
        .unwrap();
    assert!(matches!(&r.outcome, Outcome::PaymentLink { request_id, .. } if request_id == "2482"));
    let half = r#"{"RETURN_CODE":"106","STATUS":"SUCCESS","RETURN_MESSAGE":"x"}"#;
    let e = c
        .interpret_reply("esnekpos.send_payment_request", json!({}), 200, half.into())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider);
    let auth = r#"{"RETURN_CODE":"102","STATUS":"AUTHENTICATION_ERROR","RETURN_MESSAGE":"x"}"#;
    assert_eq!(
        c.interpret_reply("esnekpos.send_payment_request", json!({}), 200, auth.into())
            .unwrap_err()
            .kind(),
        ErrorKind::Auth
    );
}
