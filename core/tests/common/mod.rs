//! Helpers shared by the end-to-end suites (each `core/tests/*.rs` that says `mod common;`).
#![allow(dead_code)] // each suite uses its own subset

use std::time::{Duration, Instant};

use odeme::Client;
use odeme_sim::Sim;
use serde_json::{json, Value};

/// A client for `sim` with its config patched by `patch`.
pub fn client_with(sim: &Sim, patch: impl FnOnce(&mut Value)) -> Client {
    let mut cfg = sim.client_config();
    patch(&mut cfg);
    Client::from_json(&cfg.to_string()).unwrap()
}

/// A client for `sim` with its default (generous) deadlines.
pub fn client(sim: &Sim) -> Client {
    client_with(sim, |_| {})
}

/// A client whose deadline (1 s) is far shorter than the simulator's delay (30 s): only for
/// `sim:delay`-style calls. Every other call keeps the generous default, so load cannot fail it.
pub fn short_deadline(sim: &Sim) -> Client {
    client_with(sim, |cfg| cfg["timeout_ms"] = json!(1000))
}

/// GET a URL the simulator handed out, as the payer's browser would; its JSON answer.
pub fn visit(sim: &Sim, url: &str) -> Value {
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(pem) = sim.ca_pem() {
        let cert = ureq::tls::Certificate::from_pem(pem.as_bytes()).unwrap();
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .build()
        .into();
    let text = agent
        .get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A reference no other call of this run uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// Wait for an event (the simulator booked the request), not for a time: the cap only turns a
/// hang into a failure. A client that gave up early may have sent before the simulator read it.
pub fn wait_until_booked(sim: &Sim, operation: &str, reference: &str) {
    let started = Instant::now();
    while sim.count(operation, reference) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{operation} {reference} never reached the simulator"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `scripts/canary`: every client's log events at `debug` (bodies included, redacted) printed to
/// stdout through the `log` facade, one `odeme-log {json}` line each, for the canary to search.
/// Installed once per test binary; only with `ODEME_CANARY` set.
pub fn canary_log() {
    struct Print;
    impl log::Log for Print {
        fn enabled(&self, m: &log::Metadata) -> bool {
            m.target() == "odeme"
        }
        fn log(&self, r: &log::Record) {
            if self.enabled(r.metadata()) {
                println!("odeme-log {}", r.args());
            }
        }
        fn flush(&self) {}
    }
    static PRINT: Print = Print;
    if std::env::var_os("ODEME_CANARY").is_some() && log::set_logger(&PRINT).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}
pub mod journal;
