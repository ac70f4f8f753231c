//! B4: the hot paths of a call, without I/O: signing, request serialisation and reply parsing
//! per operation. `tests/perf/run` compares these with Python's hmac/hashlib doing the same work.

use criterion::{criterion_group, criterion_main, Criterion};
use odeme::providers::{esnekpos, iyzico, paymago, paymes};
use odeme::sign;
use serde_json::{json, Value};
use std::hint::black_box;

fn vectors() -> Value {
    serde_json::from_str(include_str!("../tests/vectors/iyzico_vectors.json")).unwrap()
}

fn bench(c: &mut Criterion) {
    let v = vectors();
    let body = v["create_payment"]["body_compact_canonical"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = v["_meta"]["secretKey"].as_str().unwrap().to_owned();
    let api = v["_meta"]["apiKey"].as_str().unwrap().to_owned();

    let mut g = c.benchmark_group("sign");
    g.bench_function("iyzws_v2_header_1393B", |b| {
        b.iter(|| {
            sign::iyzico_auth_header(
                black_box(&api),
                black_box(&secret),
                "123456789",
                "/payment/auth",
                black_box(body.as_bytes()),
            )
        })
    });
    let parts = [
        "123456789",
        "1050.00",
        "TRY",
        "Ürün İsmi",
        "Mehmet Yılmaz",
        "05555555555",
        "email@example.com",
        "Örnek adres bilgisi",
    ];
    g.bench_function("paymes_hash_8_parts", |b| {
        b.iter(|| sign::paymes_hash(black_box(&parts), black_box("111111111")))
    });
    let fields = ["10851936", "TRY", "B67832", "123456789", "1.2", "1"];
    g.bench_function("iyzico_response_signature", |b| {
        b.iter(|| {
            sign::iyzico_verify(
                black_box(&secret),
                black_box(&fields),
                "dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c",
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("serialise");
    let iy: iyzico::CreatePaymentRequest =
        serde_json::from_value(v["create_payment"]["request_python_sdk_dict"].clone()).unwrap();
    g.bench_function("iyzico.create_payment", |b| {
        b.iter(|| iyzico::create_payment_body(black_box(&iy)).unwrap())
    });
    let pm: paymes::CreateOrderRequest = serde_json::from_value(json!({"orderId": "123456789", "price": "1050", "currency": "TRY",
        "productName": "Ürün İsmi", "buyerName": "Mehmet Yılmaz", "buyerPhone": "05555555555", "buyerEmail": "email@example.com",
        "buyerAddress": "Örnek adres bilgisi"})).unwrap();
    g.bench_function("paymes.create_order", |b| {
        b.iter(|| {
            let f = paymes::order_fields(black_box(&pm), false).unwrap();
            sign::paymes_hash(&f.parts(), "111111111")
        })
    });
    let pg: paymago::CreateOrderRequest = serde_json::from_value(json!({"amount": "150.00", "currencyCode": "949", "orderId": "ORD1",
        "cardHolderName": "John Doe", "cardNumber": "5528790000000008", "expireYear": "2030", "expireMonth": "12", "cvc": "123",
        "saleProduct": "Smartphone", "saleProductPrice": "150.00", "isSecureTransaction": true, "callbackUrl": "https://example.com/cb"})).unwrap();
    g.bench_function("paymago.create_order", |b| {
        b.iter(|| paymago::create_order_body(black_box(&pg)).unwrap())
    });
    let es: esnekpos::SendPaymentRequest = serde_json::from_value(json!({"AMOUNT": "10.56", "INSTALLMENT": 0, "PHONE_NUMBER": "5554443322",
        "MAIL": "test@mail.com", "TYPE": 1, "LOCALE": "tr", "IS_TOTAL_AMOUNT": true, "PRODUCT": "Test Ürün"})).unwrap();
    let es_cfg: odeme::config::EsnekposConfig = serde_json::from_value(
        json!({"merchant": "TEST1234", "merchant_key": "4oK26hK8MOXrIV1bzTRVPA=="}),
    )
    .unwrap();
    g.bench_function("esnekpos.send_payment_request", |b| {
        b.iter(|| esnekpos::send_payment_request_body(&es_cfg, black_box(&es)).unwrap())
    });
    g.finish();

    let client = odeme::Client::from_json(&json!({
        "iyzico": {"api_key": api, "secret_key": secret}, "paymes": {"public_key": "p", "secret_key": "s"},
        "paymago": {"token": "t"}, "esnekpos": {"merchant": "m", "merchant_key": "k"}}).to_string()).unwrap();
    let replies: [(&str, Value, &str); 5] = [
        (
            "iyzico.create_payment",
            json!({}),
            r#"{"status":"success","locale":"tr","systemTime":1528282342393,"conversationId":"123456789","price":1.0,"paidPrice":1.2,"installment":1,"paymentId":"10851936","fraudStatus":1,"currency":"TRY","basketId":"B67832","binNumber":"552879","lastFourDigits":"0008","itemTransactions":[{"itemId":"BI101","paymentTransactionId":"11440000","price":0.3,"paidPrice":0.36},{"itemId":"BI102","paymentTransactionId":"11440001","price":0.5,"paidPrice":0.6},{"itemId":"BI103","paymentTransactionId":"11440002","price":0.2,"paidPrice":0.24}],"signature":"dc58b0f7340dce232b406813cfe67e3189e062a7c7893d330114c1a80c719d7c"}"#,
        ),
        (
            "paymes.create_order",
            json!({"orderId": "1", "price": "1", "currency": "TRY", "productName": "P", "buyerName": "B", "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"}),
            r#"{"status":"return_url","message":"Redirect 3D","returnUrl":"https://api.paym.es/payment/fbe04621-ee39-451b-a694-09a6fed22809","paymesOrderId":"fbe04621-ee39-451b-a694-09a6fed22809"}"#,
        ),
        (
            "paymes.query_order",
            json!({"paymesOrderId": "x"}),
            r#"{"status":true,"results":{"currency":"TRY","price":"0.10","type":"success","message":"Ödeme Başarılı","orderId":"123321","paymesOrderId":"x","ccFirstSix":"535177","ccLastFour":"4282"}}"#,
        ),
        (
            "paymago.create_order",
            json!({"orderId": "5555eeee67776666888555"}),
            r#"{"data":{"responseMessage":"(TR) - işlem başarılı - 43061","orderId":"5555eeee67776666888555","returnUrl":"https://bank.example.com/3d-secure-authentication","errorCode":null,"status":"SUCCESS","paymentId":"5555eeee67776666888555","paymentData":null,"returnType":"1"},"success":"true","message":null,"resultCode":"0000"}"#,
        ),
        (
            "esnekpos.send_payment_request",
            json!({}),
            r#"{"RETURN_CODE":"0","RETURN_MESSAGE":"Ödeme İsteği Başarıyla Gönderildi","STATUS":"SUCCESS","URL":"http://localhost:55826/Pages/PayLinkNew.aspx?hash=R428ZEXADN","SendPaymentRequestId":"2482"}"#,
        ),
    ];
    let mut g = c.benchmark_group("parse");
    for (op, req, body) in replies {
        g.bench_function(op, |b| {
            b.iter(|| {
                client
                    .interpret_reply(op, req.clone(), 200, black_box(body.as_bytes().to_vec()))
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
