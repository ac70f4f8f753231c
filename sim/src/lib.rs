//! # odeme-sim
//!
//! A protocol peer for iyzico, Paymes, Paymago, EsnekPOS and PayTR on loopback, so that odeme, its users
//! and CI work with no network. It is an independent implementation of the providers' side: its
//! own hashing (RustCrypto `sha2`/`hmac`, where odeme uses `ring`), its own amount parsing and its
//! own JSON handling, so that a mistake in the client cannot be mirrored here and pass.
//!
//! * one address serves every provider at its real paths (iyzico `/payment/...`, Paymes
//!   `/v4.6/...` and `/order_create`, Paymago `/api/pos/...`, EsnekPOS `/api/services/...`,
//!   PayTR `/odeme/...`);
//! * it verifies what the provider verifies (IYZWSv2 over the raw body, Paymes hashes, the
//!   Paymago bearer token, the EsnekPOS merchant key) and answers in the provider's error shape;
//! * it keeps the orders it accepted, so queries find them, and the URLs it returns complete the
//!   payment when fetched (`GET /pay/...`);
//! * test cards and `sim:SCENARIO` product names select declines and faults (see [`Scenario`]);
//! * `GET /__sim/requests` returns the request log, `POST /__sim/shutdown` stops it;
//! * `GET /__sim/webhook/PROVIDER/ID` returns the signed webhook delivery of a payment
//!   (`{"headers", "body"}`), completing an unpaid order first.
//!
//! ```no_run
//! let sim = odeme_sim::Sim::start(odeme_sim::Options::default()).unwrap();
//! println!("{}", sim.base_url());
//! ```

// Layers, each importing only those below it: `http` (server, state, routing) → the providers
// (`iyzico`, `paymes`, `paymago`, `esnekpos`, `paytr`, each exporting its route table) →
// `ledger` (refunds) → `cards`, `money`, `sign`, `wire` (shared request and answer types).
pub mod cards;
mod esnekpos;
mod http;
mod iyzico;
mod ledger;
mod money;
mod paymago;
mod paymes;
mod paytr;
mod sign;
mod tls;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::JoinHandle;

use serde_json::{json, Value};

pub use http::LogEntry;
use http::Shared;
pub use wire::Scenario;

/// Fixed test credentials (README, "The simulator"). Anything else is rejected as the provider would.
pub mod credentials {
    pub const IYZICO_API_KEY: &str = "sim-iyzico-api-key";
    pub const IYZICO_SECRET_KEY: &str = "sim-iyzico-secret-key";
    pub const PAYMES_PUBLIC_KEY: &str = "sim-paymes-public-key";
    pub const PAYMES_SECRET_KEY: &str = "sim-paymes-secret-key";
    pub const PAYMES_LEGACY_SECRET: &str = "sim-paymes-legacy-secret";
    pub const PAYMAGO_TOKEN: &str = "sim-paymago-token";
    pub const ESNEKPOS_MERCHANT: &str = "TEST1234";
    pub const ESNEKPOS_MERCHANT_KEY: &str = "4oK26hK8MOXrIV1bzTRVPA==";
    pub const PAYTR_MERCHANT_ID: &str = "100000";
    pub const PAYTR_MERCHANT_KEY: &str = "sim-paytr-merchant-key";
    pub const PAYTR_MERCHANT_SALT: &str = "sim-paytr-merchant-salt";
}

/// How to start a simulator.
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to bind; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Serve HTTPS with a freshly generated CA whose PEM is written into this directory.
    pub tls_dir: Option<PathBuf>,
    /// Print one line per request to stderr (never secrets or card data).
    pub log_requests: bool,
    /// How long the `delay` scenario waits before answering.
    pub delay: std::time::Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls_dir: None,
            log_requests: false,
            delay: std::time::Duration::from_secs(30),
        }
    }
}

/// A running simulator. Dropping it stops it.
pub struct Sim {
    shared: Arc<Shared>,
    ca_pem: Option<String>,
    ca_file: Option<PathBuf>,
    thread: Option<JoinHandle<()>>,
}

impl Sim {
    /// Bind, start serving on a background thread and return once the address is known.
    pub fn start(options: Options) -> std::io::Result<Sim> {
        let std_listener = std::net::TcpListener::bind(options.listen)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let host = if addr.ip().is_loopback() && addr.is_ipv4() {
            "127.0.0.1".to_owned()
        } else {
            addr.ip().to_string()
        };
        let (acceptor, ca_pem, ca_file) = match &options.tls_dir {
            Some(dir) => {
                let generated = tls::generate(dir)?;
                (
                    Some(generated.acceptor),
                    Some(generated.ca_pem),
                    Some(generated.ca_file),
                )
            }
            None => (None, None, None),
        };
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{host}:{}", addr.port());
        let shared = Arc::new(Shared::new(base_url, options));
        // Two workers: a slow scenario (a 5 MiB body, a TLS handshake) must not stall every other
        // connection, as it did on a current-thread runtime (issue 17).
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("odeme-sim-worker")
            .enable_all()
            .build()?;
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("odeme-sim".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(listener) => http::serve(listener, acceptor, s).await,
                        Err(e) => eprintln!("odeme-sim: cannot listen: {e}"),
                    }
                });
            })?;
        Ok(Sim {
            shared,
            ca_pem,
            ca_file,
            thread: Some(thread),
        })
    }

    /// Start on an ephemeral loopback port over plain HTTP.
    pub fn start_http() -> std::io::Result<Sim> {
        Sim::start(Options::default())
    }

    /// Start on an ephemeral loopback port over HTTPS, with the CA written to a fresh temp dir.
    pub fn start_https() -> std::io::Result<Sim> {
        let dir = std::env::temp_dir().join(format!(
            "odeme-sim-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir)?;
        Sim::start(Options {
            tls_dir: Some(dir),
            ..Options::default()
        })
    }

    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The Paymago base URL (the address plus `/api`, as in production).
    pub fn paymago_base_url(&self) -> String {
        format!("{}/api", self.shared.base_url)
    }

    /// PEM of the generated CA (TLS mode only).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Path of the CA PEM file (TLS mode only).
    pub fn ca_file(&self) -> Option<&std::path::Path> {
        self.ca_file.as_deref()
    }

    /// The start-up line of the binary: `{"base_url": ..., "ca_file": ...}`.
    pub fn startup_line(&self) -> String {
        json!({
            "base_url": self.base_url(),
            "ca_file": self.ca_file.as_ref().map(|p| p.display().to_string()),
        })
        .to_string()
    }

    /// A client config (JSON) with every provider pointed at this simulator and its credentials.
    pub fn client_config(&self) -> Value {
        use credentials::*;
        json!({
            "timeout_ms": 30000,
            "connect_timeout_ms": 2000,
            "allow_http": self.ca_pem.is_none(),
            "ca_pem": self.ca_pem,
            "iyzico": {"api_key": IYZICO_API_KEY, "secret_key": IYZICO_SECRET_KEY, "base_url": self.base_url()},
            "paymes": {"public_key": PAYMES_PUBLIC_KEY, "secret_key": PAYMES_SECRET_KEY,
                       "secret": PAYMES_LEGACY_SECRET, "base_url": self.base_url()},
            "paymago": {"token": PAYMAGO_TOKEN, "base_url": self.paymago_base_url()},
            "esnekpos": {"merchant": ESNEKPOS_MERCHANT, "merchant_key": ESNEKPOS_MERCHANT_KEY,
                         "base_url": self.base_url()},
            "paytr": {"merchant_id": PAYTR_MERCHANT_ID, "merchant_key": PAYTR_MERCHANT_KEY,
                      "merchant_salt": PAYTR_MERCHANT_SALT, "base_url": self.base_url(),
                      "test_mode": true},
        })
    }

    /// The request log so far.
    pub fn requests(&self) -> Vec<LogEntry> {
        self.shared.log().clone()
    }

    /// The webhook delivery of `GET /__sim/webhook/PROVIDER/ID`: `{"headers": {...}, "body"}`,
    /// or `None` when there is no such payment or order.
    pub fn webhook(&self, provider: &str, id: &str) -> Option<Value> {
        match http::webhook(&self.shared, &format!("{provider}/{id}")) {
            (200, v) => Some(v),
            _ => None,
        }
    }

    /// The request log as the JSON of `GET /__sim/requests`.
    pub fn requests_json(&self) -> Value {
        Value::Array(self.requests().iter().map(LogEntry::to_json).collect())
    }

    /// How many requests of `operation` carried `order_ref`.
    pub fn count(&self, operation: &str, order_ref: &str) -> usize {
        self.shared
            .log()
            .iter()
            .filter(|e| {
                e.operation.as_deref() == Some(operation)
                    && e.order_ref.as_deref() == Some(order_ref)
            })
            .count()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// TLS handshakes completed so far.
    pub fn tls_handshakes(&self) -> u64 {
        self.shared.tls_handshakes.load(Ordering::Relaxed)
    }

    /// Stop serving and wait for the server thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    /// Block until the simulator stops (after `POST /__sim/shutdown`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// A handle that can stop the simulator from another thread (e.g. a signal handler).
    pub fn stopper(&self) -> Stopper {
        Stopper(self.shared.clone())
    }

    fn stop(&mut self) {
        self.shared.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Stops a running simulator.
#[derive(Clone)]
pub struct Stopper(Arc<Shared>);

impl Stopper {
    pub fn stop(&self) {
        self.0.stop();
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What the `odeme-sim` binary (and `odeme sim`) does: start the simulator, write the start-up
/// line (`{"base_url": ..., "ca_file": ...}`) to `out`, then serve until `POST /__sim/shutdown`,
/// SIGTERM or SIGINT (Ctrl-C). Returns once it has stopped.
///
/// SIGTERM and SIGINT handlers are installed *before* the start-up line is written, so a caller
/// that reads the line may signal right away. They stay installed for the life of the process
/// (this is meant for a program's `main`).
#[cfg(unix)]
pub fn run_cli(options: Options, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sim = Sim::start(options)?;
    let stopper = sim.stopper();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let signals = std::thread::Builder::new()
        .name("odeme-sim-signals".into())
        .spawn(move || {
            use tokio::signal::unix::{signal, SignalKind};
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return drop(ready_tx.send(Err(e))),
            };
            rt.block_on(async move {
                let (mut term, mut int) = match (
                    signal(SignalKind::terminate()),
                    signal(SignalKind::interrupt()),
                ) {
                    (Ok(term), Ok(int)) => (term, int),
                    (Err(e), _) | (_, Err(e)) => return drop(ready_tx.send(Err(e))),
                };
                let _ = ready_tx.send(Ok(()));
                tokio::select! {
                    _ = term.recv() => stopper.stop(),
                    _ = int.recv() => stopper.stop(),
                    _ = done_rx => {},
                }
            });
        })?;
    ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("signal thread ended early"))??;
    writeln!(out, "{}", sim.startup_line())?;
    out.flush()?;
    sim.wait();
    let _ = done_tx.send(());
    let _ = signals.join();
    Ok(())
}
