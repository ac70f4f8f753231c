//! The send policy comes from the registry: every `at_most_once` operation reaches the socket
//! exactly once even when the connection drops before a reply (the transport never retries it),
//! while a `retryable` operation is retried `read_retries` times. Counted at a local listener
//! that reads each request and closes the connection without answering.

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use odeme::{Client, ErrorKind, Sends};
use serde_json::{json, Value};

/// Accepts connections forever (until the process ends), reads what arrives, then drops it.
fn dropping_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 16 * 1024];
            // One read is enough to know a request arrived; then close without a reply.
            if matches!(stream.read(&mut buf), Ok(n) if n > 0) {
                seen.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    (url, count)
}

fn request_for(op: &str) -> Option<Value> {
    let card = json!({"cardHolderName": "A B", "cardNumber": "5528790000000008", "expireMonth": "12", "expireYear": "2031", "cvc": "123"});
    let order = json!({"orderId": "o-1", "price": "10.00", "currency": "TRY", "productName": "P", "buyerName": "B",
                       "buyerPhone": "05555555555", "buyerEmail": "a@b.co", "buyerAddress": "A"});
    Some(match op {
        "iyzico.create_payment" => json!({
            "conversationId": "c-1", "price": "1", "paidPrice": "1", "installment": 1, "paymentCard": card,
            "buyer": {"id": "B", "name": "A", "surname": "B", "identityNumber": "11111111110", "email": "a@b.co",
                      "registrationAddress": "A", "city": "I", "country": "T", "ip": "127.0.0.1"},
            "billingAddress": {"contactName": "A B", "city": "I", "country": "T", "address": "A"},
            "basketItems": [{"id": "I", "name": "N", "category1": "C", "itemType": "VIRTUAL", "price": "1"}]}),
        "iyzico.retrieve_payment" => json!({"paymentConversationId": "c-1"}),
        "iyzico.payment_details" => json!({"paymentConversationId": "c-1"}),
        "paymes.create_order" | "paymes.create_kiosk_order" | "paymes.create_order_legacy" => order,
        "paymes.query_order" => json!({"paymesOrderId": "1"}),
        "paymago.create_order" => {
            json!({"orderId": "o-1", "amount": "1", "currencyCode": "949", "cardHolderName": "A B",
            "cardNumber": "5528790000000008", "expireYear": "2031", "expireMonth": "12", "cvc": "123", "saleProduct": "P",
            "saleProductPrice": "1", "callbackUrl": "https://merchant.example/cb"})
        }
        "paymago.order_result" => json!({"orderId": "o-1", "paymentId": "p-1"}),
        "esnekpos.send_payment_request" => {
            json!({"AMOUNT": "1", "PHONE_NUMBER": "5554443322", "MAIL": "a@b.co",
            "TYPE": 3, "PRODUCT": "P"})
        }
        "esnekpos.query_payment_request" => json!({"SEND_PAYMENT_REQUEST_ID": "1"}),
        "iyzico.cancel_payment" => json!({"paymentId": "1", "ip": "127.0.0.1"}),
        "iyzico.refund_payment" => json!({"paymentId": "1", "price": "0.5", "currency": "TRY"}),
        "paymes.cancel_order" => json!({"paymesOrderId": "1", "price": "10.00"}),
        "esnekpos.return_order" => json!({"ORDER_REF_NUMBER": "o-1", "AMOUNT": "1.50"}),
        // issue 11
        "iyzico.init_3ds" => json!({
            "conversationId": "c-1", "price": "1", "paidPrice": "1", "installment": 1, "paymentCard": card,
            "buyer": {"id": "B", "name": "A", "surname": "B", "identityNumber": "11111111110", "email": "a@b.co",
                      "registrationAddress": "A", "city": "I", "country": "T", "ip": "127.0.0.1"},
            "billingAddress": {"contactName": "A B", "city": "I", "country": "T", "address": "A"},
            "basketItems": [{"id": "I", "name": "N", "category1": "C", "itemType": "VIRTUAL", "price": "1"}],
            "callbackUrl": "https://merchant.example/cb"}),
        "iyzico.complete_3ds" => {
            json!({"paymentId": "1", "paidPrice": "1", "basketId": "B1", "currency": "TRY"})
        }
        "iyzico.init_checkout_form" => json!({
            "conversationId": "c-1", "price": "1", "paidPrice": "1", "callbackUrl": "https://merchant.example/cb",
            "buyer": {"id": "B", "name": "A", "surname": "B", "identityNumber": "11111111110", "email": "a@b.co",
                      "registrationAddress": "A", "city": "I", "country": "T", "ip": "127.0.0.1"},
            "billingAddress": {"contactName": "A B", "city": "I", "country": "T", "address": "A"},
            "basketItems": [{"id": "I", "name": "N", "category1": "C", "itemType": "VIRTUAL", "price": "1"}]}),
        "iyzico.retrieve_checkout_form" => json!({"token": "t-1"}),
        "iyzico.bin_check" => json!({"binNumber": "552879"}),
        "iyzico.installments" => json!({"binNumber": "552879", "price": "100"}),
        "esnekpos.pay_3d" => json!({
            "Config": {"BACK_URL": "https://merchant.example/back", "ORDER_AMOUNT": "1"},
            "CreditCard": {"CC_NUMBER": "5528790000000008", "EXP_MONTH": "12", "EXP_YEAR": "2031",
                           "CC_CVV": "123", "CC_OWNER": "A B"},
            "Customer": {"FIRST_NAME": "A", "LAST_NAME": "B", "MAIL": "a@b.co", "PHONE": "05555555555",
                         "CITY": "I", "STATE": "K", "ADDRESS": "A", "CLIENT_IP": "127.0.0.1"},
            "Product": [{"PRODUCT_ID": "1", "PRODUCT_NAME": "P", "PRODUCT_CATEGORY": "C", "PRODUCT_AMOUNT": "1"}]}),
        "esnekpos.process_query" => json!({"ORDER_REF_NUMBER": "r-1"}),
        // issue 34
        "paytr.create_iframe_token" => json!({
            "user_ip": "127.0.0.1", "merchant_oid": "o1", "email": "a@b.co", "payment_amount": 100,
            "user_basket": [["P", "1.00", 1]], "user_name": "A B", "user_address": "A",
            "user_phone": "05555555555", "merchant_ok_url": "https://m.example/ok",
            "merchant_fail_url": "https://m.example/fail"}),
        "paytr.pay_direct" => json!({
            "user_ip": "127.0.0.1", "merchant_oid": "o1", "email": "a@b.co", "payment_amount": "1",
            "cc_owner": "A B", "card_number": "5528790000000008", "expiry_month": "12",
            "expiry_year": "2031", "cvv": "123", "user_basket": [["P", "1.00", 1]], "user_name": "A B",
            "user_address": "A", "user_phone": "05555555555", "merchant_ok_url": "https://m.example/ok",
            "merchant_fail_url": "https://m.example/fail"}),
        "paytr.refund" => json!({"merchant_oid": "o1", "return_amount": "1"}),
        "paytr.query_order" => json!({"merchant_oid": "o1"}),
        _ => return None,
    })
}

#[test]
fn every_declared_policy_is_what_the_transport_does() {
    let read_retries = 2;
    for op in odeme::operations() {
        if op.sends == Sends::Local {
            continue;
        }
        let request = request_for(op.name)
            .unwrap_or_else(|| panic!("add a request for {} to this test", op.name));
        let (url, count) = dropping_listener();
        let config = json!({
            "allow_http": true, "timeout_ms": 30000, "read_retries": read_retries,
            "iyzico": {"api_key": "k", "secret_key": "s", "base_url": url},
            "paymes": {"public_key": "p", "secret_key": "s", "secret": "l", "base_url": url},
            "paymago": {"token": "t", "base_url": url},
            "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": url},
            "paytr": {"merchant_id": "1", "merchant_key": "k", "merchant_salt": "s", "base_url": url},
        });
        let client = Client::from_json(&config.to_string()).unwrap();
        let e = client.call(op.name, request).unwrap_err();
        let sent = count.load(Ordering::SeqCst);
        match op.sends {
            Sends::AtMostOnce => {
                assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{}: {e}", op.name);
                assert_eq!(sent, 1, "{} was sent {sent} times", op.name);
            }
            Sends::Retryable => {
                assert_eq!(e.kind(), ErrorKind::Transport, "{}: {e}", op.name);
                assert_eq!(sent, 1 + read_retries, "{} was sent {sent} times", op.name);
            }
            Sends::Local => unreachable!(),
        }
    }
}

/// A request text that is not JSON is refused as such by every operation, before anything is
/// sent, whether or not its provider is configured (`call_json` reads the text only once, so
/// this is what guarantees that a bad text never reaches the socket).
#[test]
fn text_that_is_not_json_is_never_sent() {
    let (url, count) = dropping_listener();
    let configured = json!({
        "allow_http": true, "timeout_ms": 30000,
        "iyzico": {"api_key": "k", "secret_key": "s", "base_url": url},
        "paymes": {"public_key": "p", "secret_key": "s", "secret": "l", "base_url": url},
        "paymago": {"token": "t", "base_url": url},
        "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": url},
        "paytr": {"merchant_id": "1", "merchant_key": "k", "merchant_salt": "s", "base_url": url},
    });
    for config in [configured, json!({})] {
        let client = Client::from_json(&config.to_string()).unwrap();
        for op in odeme::operations() {
            for text in ["{\"conversationId\": ", "{\"a\":1} x", "[1,", "nul", ""] {
                let e = client.call_json(op.name, text).unwrap_err();
                assert_eq!(
                    e.kind(),
                    ErrorKind::InvalidArgument,
                    "{} {text:?}: {e}",
                    op.name
                );
                assert!(
                    e.to_string()
                        .contains("request is not valid JSON (line 1, column"),
                    "{} {text:?}: {e}",
                    op.name
                );
                assert_eq!(e.operation(), Some(op.name), "{}: {e}", op.name);
            }
        }
    }
    assert_eq!(
        count.load(Ordering::SeqCst),
        0,
        "a text that is not JSON was sent"
    );
}
