//! # odeme
//!
//! One synchronous, byte-exact core for Turkish payment providers: **iyzico**, **Paymes**,
//! **Paymago** and **EsnekPOS (Hoppa)**. Used unchanged from C/C++ (the `odeme-ffi` crate),
//! Python, PHP and C#.
//!
//! ```no_run
//! let client = odeme::Client::from_json(r#"{"iyzico": {"api_key": "...", "secret_key": "..."}}"#)?;
//! let response = client.call("iyzico.retrieve_payment", serde_json::json!({"paymentId": "10851936"}))?;
//! println!("{}", response.to_json());
//! # Ok::<(), odeme::Error>(())
//! ```
//!
//! * Money is [`money::Amount`] (exact decimal, at most two places, never rounded silently).
//! * Every failure is an [`Error`] with an [`ErrorKind`]; `outcome_unknown` means *reconcile
//!   before retrying*, never *failed*.
//! * Card numbers, CVCs, keys and tokens never appear in messages or `Debug` output.

pub mod client;
pub mod config;
pub mod error;
pub mod journal;
pub mod json;
pub mod log;
pub mod money;
pub mod operation;
pub mod outcome;
pub mod policy;
pub mod providers;
pub mod refund;
pub mod registry;
pub mod secret;
pub mod sign;
mod transport;
pub mod validate;
pub mod webhook;

pub use client::Client;
pub use config::Config;
pub use error::{Error, ErrorKind};
pub use log::{LogEvent, LogLevel, LogSink};
pub use outcome::{Notification, Outcome, RefundOutcome, Render, Response, State, Subject};
pub use registry::{operations, OperationInfo, Sends};

/// The crate version, e.g. for `odeme_version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
