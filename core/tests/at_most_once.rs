//! The send policy comes from the registry: every `at_most_once` operation reaches the socket
//! exactly once even when the connection drops before a reply (the transport never retries it),
//! while a `retryable` operation is retried `read_retries` times. Counted at a local listener
//! that reads each request and closes the connection without answering. The requests are the
//! declarations' own `example`s, so a new operation is covered without touching this file.

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

#[test]
fn every_declared_policy_is_what_the_transport_does() {
    let read_retries = 2;
    for op in odeme::registry::all() {
        if op.sends == Sends::Local {
            continue;
        }
        // Each declaration's own example request (valid, so that it reaches the socket).
        let request: Value = serde_json::from_str(op.example)
            .unwrap_or_else(|e| panic!("{}: example is not JSON: {e}", op.name));
        let (url, count) = dropping_listener();
        let config = json!({
            "allow_http": true, "timeout_ms": 30000, "read_retries": read_retries,
            "iyzico": {"api_key": "k", "secret_key": "s", "base_url": url},
            "paymes": {"public_key": "p", "secret_key": "s", "secret": "l", "base_url": url},
            "paymago": {"token": "t", "base_url": url},
            "esnekpos": {"merchant": "m", "merchant_key": "k", "base_url": url},
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
