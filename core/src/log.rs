//! A redacted record of every call (README, "Logs").
//!
//! Each call emits `call.start`, one `call.attempt` per HTTP attempt, `call.end`, and with a
//! journal `journal.intent` / `journal.outcome` ([`LogEvent`]). At `debug` the attempts also
//! carry the request and reply bodies after [`crate::secret::redact_body`] (the redactor whose
//! text rule every error message goes through).
//!
//! Where the events go, per client:
//! * by default, to the [`log`](::log) facade under target `odeme` (the message is the event as one
//!   line of JSON). With no logger installed, or `odeme` filtered out, a call builds nothing:
//!   the check is `::log::log_enabled!` before anything else;
//! * after [`crate::Client::set_log`], to the client's own sink (what the C ABI, Python, PHP,
//!   C# and the CLI use) at the level given there, instead of the facade.
//!
//! A sink or logger that panics is caught here and the call goes on with its result unchanged.
//! A sink is called on the thread making the call; events of a call made from inside a sink (a
//! logger that itself calls odeme) are not delivered, which keeps a sink from re-entering itself.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use serde::Serialize;

use crate::error::{Error, ErrorKind};
use crate::outcome::{Outcome, Response};
use crate::policy::Declared;
use crate::validate::Input;

/// How much is logged. The order is the severity threshold: a level logs itself and everything
/// above it; `Debug` adds the redacted bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Off = 0,
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

impl LogLevel {
    /// `error`, `warn`, `info`, `debug` or `off`.
    pub fn parse(s: &str) -> Option<LogLevel> {
        Some(match s {
            "off" => LogLevel::Off,
            "error" => LogLevel::Error,
            "warn" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }

    fn from_u8(v: u8) -> LogLevel {
        match v {
            1 => LogLevel::Error,
            2 => LogLevel::Warn,
            3 => LogLevel::Info,
            4 => LogLevel::Debug,
            _ => LogLevel::Off,
        }
    }

    fn facade(self) -> ::log::Level {
        match self {
            LogLevel::Error | LogLevel::Off => ::log::Level::Error,
            LogLevel::Warn => ::log::Level::Warn,
            LogLevel::Info => ::log::Level::Info,
            LogLevel::Debug => ::log::Level::Debug,
        }
    }
}

/// One event. Absent fields are left out of the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogEvent {
    /// RFC 3339, milliseconds, UTC.
    pub ts: String,
    pub level: LogLevel,
    /// `call.start`, `call.attempt`, `call.end`, `journal.intent`, `journal.outcome`.
    pub event: &'static str,
    pub operation: &'static str,
    pub provider: &'static str,
    /// `GET` or `POST` (attempts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
    /// The URL path, without the query (attempts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1 for the first attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Of the attempt (`call.attempt`) or of the whole call (`call.end`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// The outcome's `type` (`call.end`, `journal.outcome` after success).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
    /// The error's kind (a failed attempt, `call.end`, `journal.outcome` after an error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<&'static str>,
    /// The merchant's reference (the field the operation declares for the journal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_reference: Option<String>,
    /// At `debug`: the body sent, redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// At `debug`: the body received, redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
}

impl LogEvent {
    /// The event as one line of JSON (the C ABI's form).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Receives a client's events (see [`crate::Client::set_log`]).
pub type LogSink = Arc<dyn Fn(&LogEvent) + Send + Sync>;

/// A sink is set: the low bits of [`Logs::state`] are its level.
const SINK: u8 = 0x80;

thread_local! {
    /// Set while this thread runs a sink or a logger.
    static IN_SINK: Cell<bool> = const { Cell::new(false) };
}

/// A client's log destination.
#[derive(Default)]
pub(crate) struct Logs {
    /// `SINK | level` when a sink is set, 0 when events go to the `log` facade.
    state: AtomicU8,
    sink: RwLock<Option<LogSink>>,
}

impl Logs {
    /// Send this client's events to `sink` at `level` (`None`: back to the `log` facade).
    pub(crate) fn set(&self, level: LogLevel, sink: Option<LogSink>) -> Result<(), Error> {
        if IN_SINK.with(Cell::get) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "the log sink cannot be changed from inside a log sink",
            ));
        }
        // The write lock waits for events being delivered: once this returns, the old sink is
        // never called again.
        let mut slot = self.sink.write().unwrap_or_else(|p| p.into_inner());
        let state = if sink.is_some() {
            SINK | level as u8
        } else {
            0
        };
        *slot = sink;
        self.state.store(state, Ordering::Release);
        Ok(())
    }

    /// Change the sink's level (no effect without a sink).
    pub(crate) fn set_level(&self, level: LogLevel) {
        let _ = self
            .state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
                (s & SINK != 0).then_some(SINK | level as u8)
            });
    }

    /// The threshold for a call starting now, or `None` when nothing is logged (the whole cost
    /// of logging when it is off: one atomic load, and `log_enabled!` without a sink).
    #[inline]
    fn threshold(&self) -> Option<LogLevel> {
        let state = self.state.load(Ordering::Acquire);
        let level = if state & SINK != 0 {
            LogLevel::from_u8(state & !SINK)
        } else if !::log::log_enabled!(target: "odeme", ::log::Level::Error) {
            return None;
        } else if ::log::log_enabled!(target: "odeme", ::log::Level::Debug) {
            LogLevel::Debug
        } else if ::log::log_enabled!(target: "odeme", ::log::Level::Info) {
            LogLevel::Info
        } else if ::log::log_enabled!(target: "odeme", ::log::Level::Warn) {
            LogLevel::Warn
        } else {
            LogLevel::Error
        };
        if level == LogLevel::Off || IN_SINK.with(Cell::get) {
            None
        } else {
            Some(level)
        }
    }

    fn deliver(&self, event: &LogEvent) {
        IN_SINK.with(|f| f.set(true));
        // A panicking sink or logger is contained here: the call goes on.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            if self.state.load(Ordering::Acquire) & SINK != 0 {
                let slot = self.sink.read().unwrap_or_else(|p| p.into_inner());
                if let Some(sink) = slot.as_ref() {
                    sink(event);
                }
            } else {
                ::log::log!(target: "odeme", event.level.facade(), "{}", event.to_json());
            }
        }));
        IN_SINK.with(|f| f.set(false));
    }

    /// The log of one call of `def` with `request`, or `None` when nothing is logged.
    #[inline]
    pub(crate) fn begin<'c>(
        &'c self,
        def: Declared,
        request: &'c Input<'c>,
    ) -> Option<CallLog<'c>> {
        let level = self.threshold()?;
        Some(CallLog::new(self, level, def, request))
    }
}

/// The events of one call.
pub(crate) struct CallLog<'c> {
    logs: &'c Logs,
    level: LogLevel,
    def: Declared,
    /// The request, read for the merchant's reference only when an event is sent (with a
    /// Python logger at its default level the log is on for warnings, and a call that succeeds
    /// sends none: reading the reference up front was a second parse of the request per call).
    request: &'c Input<'c>,
    reference: std::cell::OnceCell<Option<String>>,
    started: Instant,
    attempts: Cell<u32>,
    journaled: Cell<bool>,
}

impl<'c> CallLog<'c> {
    #[cold]
    fn new(logs: &'c Logs, level: LogLevel, def: Declared, request: &'c Input<'c>) -> CallLog<'c> {
        let log = CallLog {
            logs,
            level,
            def,
            request,
            reference: std::cell::OnceCell::new(),
            started: Instant::now(),
            attempts: Cell::new(0),
            journaled: Cell::new(false),
        };
        log.emit(LogLevel::Info, "call.start", |_| {});
        log
    }

    /// The merchant's reference (the field the operation declares for the journal), read from
    /// the request the first time an event needs it.
    fn reference(&self) -> &Option<String> {
        self.reference.get_or_init(|| {
            self.def.journal.reference.and_then(|f| match self.request {
                Input::Value(v) => crate::json::id_at_path(v, f),
                Input::Text(t) => id_in_text(t, f),
            })
        })
    }

    /// Whether bodies are logged.
    pub(crate) fn debug(&self) -> bool {
        self.level >= LogLevel::Debug
    }

    fn emit(&self, level: LogLevel, event: &'static str, fill: impl FnOnce(&mut LogEvent)) {
        if level > self.level {
            return;
        }
        let mut e = LogEvent {
            ts: crate::journal::now_rfc3339(),
            level,
            event,
            operation: self.def.name,
            provider: self.def.provider,
            method: None,
            path: None,
            attempt: None,
            http_status: None,
            duration_ms: None,
            outcome: None,
            error_kind: None,
            reference: self.reference().clone(),
            provider_reference: None,
            request_body: None,
            response_body: None,
        };
        fill(&mut e);
        self.logs.deliver(&e);
    }

    /// One HTTP attempt: `result` is its reply (status and body) or its failure.
    pub(crate) fn attempt(
        &self,
        method: &'static str,
        url: &str,
        request_body: Option<(&[u8], bool)>,
        started: Instant,
        result: Result<(u16, &[u8]), &Error>,
    ) {
        let n = self.attempts.get() + 1;
        self.attempts.set(n);
        let level = match result {
            Ok((status, _)) if status < 500 => LogLevel::Info,
            _ => LogLevel::Warn,
        };
        let debug = self.debug();
        self.emit(level, "call.attempt", |e| {
            e.method = Some(method);
            e.path = Some(url_path(url).to_owned());
            e.attempt = Some(n);
            e.duration_ms = Some(millis(started));
            match result {
                Ok((status, body)) => {
                    e.http_status = Some(status);
                    if debug {
                        e.response_body = Some(crate::secret::redact_body(body, false));
                    }
                }
                Err(err) => {
                    e.error_kind = Some(err.kind().as_str());
                    e.http_status = err.http_status();
                }
            }
            if debug {
                e.request_body =
                    request_body.map(|(bytes, form)| crate::secret::redact_body(bytes, form));
            }
        });
    }

    /// The journal committed the intent row (just before the socket).
    pub(crate) fn journal_intent(&self) {
        self.journaled.set(true);
        self.emit(LogLevel::Info, "journal.intent", |_| {});
    }

    /// The journal recorded the call's outcome (after a `journal.intent`).
    pub(crate) fn journal_outcome(&self, result: &Result<Response, Error>) {
        if !self.journaled.get() {
            return;
        }
        self.emit(LogLevel::Info, "journal.outcome", |e| {
            fill_result(e, result)
        });
    }

    /// The call returns `result`.
    pub(crate) fn end(&self, result: &Result<Response, Error>) {
        let level = match result {
            Ok(_) => LogLevel::Info,
            Err(e) => match e.kind() {
                ErrorKind::OutcomeUnknown | ErrorKind::Signature | ErrorKind::Internal => {
                    LogLevel::Error
                }
                _ => LogLevel::Warn,
            },
        };
        let started = self.started;
        self.emit(level, "call.end", |e| {
            fill_result(e, result);
            e.duration_ms = Some(millis(started));
            if let Err(err) = result {
                e.http_status = err.http_status();
            }
        });
    }
}

fn fill_result(e: &mut LogEvent, result: &Result<Response, Error>) {
    match result {
        Ok(r) => {
            e.outcome = Some(outcome_type(&r.outcome));
            // A hosted form's reference is its token (iyzico's checkout form, PayTR's iFrame):
            // a bearer credential to the payer's page, which the log never shows.
            if !matches!(
                r.outcome,
                Outcome::CheckoutForm { .. } | Outcome::Iframe { .. }
            ) {
                e.provider_reference = r.provider_reference.clone();
            }
            if e.reference.is_none() {
                e.reference = generated_reference(&r.outcome).map(str::to_owned);
            }
        }
        Err(err) => e.error_kind = Some(err.kind().as_str()),
    }
}

/// The identifier at the dotted `path` of a request given as JSON text, read without building
/// its tree: each level is scanned as raw slices of the text, so no copy of the rest (a card
/// number) is made; only the leaf is parsed ([`crate::json::id_at_path`]'s rules).
fn id_in_text(text: &str, path: &str) -> Option<String> {
    use serde_json::value::RawValue;
    let mut raw: &RawValue = serde_json::from_str(text).ok()?;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let level: std::collections::HashMap<String, &RawValue> =
            serde_json::from_str(raw.get()).ok()?;
        raw = level.get(part)?;
        if parts.peek().is_none() {
            let leaf: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
            let mut one = serde_json::Map::with_capacity(1);
            one.insert(part.to_owned(), leaf);
            return crate::json::id_at_path(&serde_json::Value::Object(one), part);
        }
    }
    None
}

/// A reference the operation generated (Paymago's `orderId` when absent), as the outcome says.
fn generated_reference(o: &Outcome) -> Option<&str> {
    match o {
        Outcome::Redirect { order_id, .. }
        | Outcome::Html { order_id, .. }
        | Outcome::Terminal { order_id, .. } => order_id.as_deref(),
        _ => None,
    }
}

/// The outcome's JSON `type`.
pub fn outcome_type(o: &Outcome) -> &'static str {
    match o {
        Outcome::Redirect { .. } => "redirect",
        Outcome::Html { .. } => "html",
        Outcome::Terminal { .. } => "terminal",
        Outcome::PaymentLink { .. } => "payment_link",
        Outcome::Completed(_) => "completed",
        Outcome::Review(_) => "review",
        Outcome::Authorized(_) => "authorized",
        Outcome::Card(_) => "card",
        Outcome::Cards { .. } => "cards",
        Outcome::CardDeleted { .. } => "card_deleted",
        Outcome::Status(_) => "status",
        Outcome::Notification(_) | Outcome::Webhook(_) => "notification",
        Outcome::Refund(_) => "refund",
        Outcome::Callback(_) => "callback",
        Outcome::CheckoutForm { .. } => "checkout_form",
        Outcome::Iframe { .. } => "iframe",
        Outcome::CardInfo(_) => "card_info",
        Outcome::Installments { .. } => "installments",
    }
}

/// The path of `url`, without scheme, host or query (a query may carry identifiers).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

fn millis(since: Instant) -> f64 {
    (since.elapsed().as_micros() as f64) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_read_from_text_by_its_path() {
        let text = r#"{"paymentCard":{"cardNumber":"5528790000000008"},"conversationId":"c-1",
                      "Config":{"ORDER_REF_NUMBER":123,"x":[1,{"y":2}]},"empty":""}"#;
        assert_eq!(id_in_text(text, "conversationId").as_deref(), Some("c-1"));
        assert_eq!(
            id_in_text(text, "Config.ORDER_REF_NUMBER").as_deref(),
            Some("123")
        );
        assert_eq!(id_in_text(text, "empty"), None);
        assert_eq!(id_in_text(text, "paymentCard"), None);
        assert_eq!(id_in_text(text, "missing.deeper"), None);
        assert_eq!(id_in_text("not json", "conversationId"), None);
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        for path in [
            "conversationId",
            "Config.ORDER_REF_NUMBER",
            "empty",
            "missing",
        ] {
            assert_eq!(
                id_in_text(text, path),
                crate::json::id_at_path(&v, path),
                "{path}"
            );
        }
    }

    #[test]
    fn levels_parse_and_order() {
        for l in ["off", "error", "warn", "info", "debug"] {
            assert_eq!(LogLevel::parse(l).unwrap().as_str(), l);
        }
        assert_eq!(LogLevel::parse("trace"), None);
        assert!(LogLevel::Debug > LogLevel::Info && LogLevel::Error > LogLevel::Off);
    }

    #[test]
    fn the_path_has_no_host_or_query() {
        assert_eq!(
            url_path(
                "https://api.example.com:8443/v2/reporting/payment/details?paymentConversationId=x"
            ),
            "/v2/reporting/payment/details"
        );
        assert_eq!(url_path("http://127.0.0.1:9/"), "/");
        assert_eq!(url_path("http://127.0.0.1:9"), "/");
    }

    #[test]
    fn a_sink_set_after_one_is_the_only_one_called() {
        let logs = Logs::default();
        assert!(logs.threshold().is_none() || ::log::max_level() != ::log::LevelFilter::Off);
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let s = seen.clone();
        logs.set(
            LogLevel::Warn,
            Some(Arc::new(move |e: &LogEvent| {
                s.lock().unwrap().push(e.event)
            })),
        )
        .unwrap();
        assert_eq!(logs.threshold(), Some(LogLevel::Warn));
        logs.set_level(LogLevel::Off);
        assert_eq!(logs.threshold(), None);
        logs.set_level(LogLevel::Debug);
        assert_eq!(logs.threshold(), Some(LogLevel::Debug));
        logs.set(LogLevel::Debug, None).unwrap();
        logs.set_level(LogLevel::Debug);
        assert_eq!(logs.state.load(Ordering::Acquire), 0, "no sink, no level");
    }
}
