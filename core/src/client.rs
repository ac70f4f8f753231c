//! The client: configuration, one transport, and dispatch through the registry.

use serde_json::Value;

use crate::config::Config;
use crate::error::{Error, ErrorKind};
use crate::journal::{self, Intent, Journal, Row, RowState};
use crate::outcome::Outcome;
use crate::outcome::Response;
use crate::registry::{self, OperationDef, OperationInfo, Reconcile, Sends};
use crate::transport::Transport;
use crate::validate::{parse_json_text, scrub, Input};
use crate::webhook::{self, Headers};

/// An odeme client. Immutable and `Send + Sync`: share one per process (it owns the pool).
pub struct Client {
    config: Config,
    transport: Transport,
    journal: Option<Journal>,
    logs: crate::log::Logs,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        let transport = Transport::new(&config)?;
        let journal = config.journal.as_ref().map(Journal::open).transpose()?;
        Ok(Client {
            config,
            transport,
            journal,
            logs: Default::default(),
        })
    }

    /// Build a client from the JSON configuration (README, "Configuration").
    pub fn from_json(config_json: &str) -> Result<Client, Error> {
        Client::new(Config::from_json(config_json)?)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Run `operation` with a JSON request text; returns the JSON response text.
    /// A request that is not JSON is `invalid_argument`.
    pub fn call_json(&self, operation: &str, request_json: &str) -> Result<String, Error> {
        let response = self.call_text(operation, request_json)?;
        response.to_json_text().ok_or_else(|| {
            Error::new(ErrorKind::Internal, "could not serialize the response")
                .with_operation(&response.operation)
        })
    }

    /// Run `operation` with a JSON request text (read straight into the typed request, with no
    /// tree in between). A request that is not JSON is `invalid_argument`.
    pub fn call_text(&self, operation: &str, request_json: &str) -> Result<Response, Error> {
        // The cheap checks first: the name (so a caller's text is never copied into an error as
        // an operation), then the size (a 10 MB text costs its length, not a parse).
        let def = lookup(operation)?;
        let operation = def.name;
        if request_json.len() as u64 > self.config.max_request_bytes {
            return Err(too_large(self.config.max_request_bytes).with_operation(operation));
        }
        if self.journal_for(def).is_some() {
            // The journal records fields of the request: read it as a value.
            let value = parse_json_text(request_json).map_err(|e| e.with_operation(operation))?;
            self.execute(def, value, None)
        } else {
            // Every operation reads its request before any I/O, and a text that is not JSON
            // cannot be read, so such a text always ends here in an error; it is then reported
            // as not JSON, whatever the operation said. (A JSON check up front would cost a
            // second pass over every good request.)
            self.run(def, &Input::Text(request_json), None, None)
                .map_err(
                    |e| match serde_json::from_str::<serde::de::IgnoredAny>(request_json) {
                        Err(not_json) => {
                            crate::validate::not_json(&not_json).with_operation(operation)
                        }
                        Ok(_) => e,
                    },
                )
        }
    }

    /// Run `operation` with a JSON request value.
    /// The request is held to [`crate::validate::check_bounds`] (nesting, `max_request_bytes`)
    /// before anything else reads it.
    pub fn call(&self, operation: &str, mut request: Value) -> Result<Response, Error> {
        let def = lookup(operation)?;
        if let Err(e) =
            crate::validate::check_bounds(&request, "(request)", self.config.max_request_bytes)
        {
            scrub(&mut request);
            return Err(e.with_operation(def.name));
        }
        self.execute(def, request, None)
    }

    /// The declared operations (name, provider, send policy, reconciliation).
    pub fn operations() -> Vec<OperationInfo> {
        registry::operations()
    }

    fn execute(
        &self,
        def: &'static OperationDef,
        mut request: Value,
        reply: Option<&crate::transport::Reply>,
    ) -> Result<Response, Error> {
        // With a journal, an `at_most_once` call commits its intent just before sending (in
        // `Call::send`) and its outcome when the steps return (in `OperationDef::execute`).
        let intent = match (self.journal_for(def), reply) {
            (Some(j), None) => Some(Intent::new(j, def.declared(), &request)),
            _ => None,
        };
        // Typed requests are copied out of `request`, so the document that may carry a card
        // number and CVC can be wiped below, whatever the outcome.
        let result = self.run(def, &Input::Value(&request), reply, intent.as_ref());
        scrub(&mut request);
        result
    }

    /// The journal, when this client has one and `def` is recorded in it.
    fn journal_for(&self, def: &OperationDef) -> Option<&Journal> {
        self.journal
            .as_ref()
            .filter(|_| def.sends == Sends::AtMostOnce)
    }

    fn run(
        &self,
        def: &'static OperationDef,
        request: &Input<'_>,
        reply: Option<&crate::transport::Reply>,
        intent: Option<&Intent<'_>>,
    ) -> Result<Response, Error> {
        let log = self.logs.begin(def.declared(), request);
        let result = def
            .execute(
                &self.config,
                &self.transport,
                request,
                reply,
                intent,
                self.journal.as_ref(),
                log.as_ref(),
            )
            .map_err(|e| {
                e.with_reconcile(&def.reconcile, || match request {
                    Input::Value(v) => def.reconcile.request(v),
                    Input::Text(_) => {
                        // A parsed copy of the request, which may hold the card: wiped after.
                        let mut v = request.to_value().ok()?;
                        let reconcile_request = def.reconcile.request(&v);
                        scrub(&mut v);
                        reconcile_request
                    }
                })
                .with_operation(def.name)
            });
        if let Some(log) = &log {
            log.end(&result);
        }
        result
    }

    /// Send this client's log events (README, "Logs") to `sink` at `level` instead of the
    /// [`log`](::log) facade; `None` goes back to the facade. Once this returns, the previous
    /// sink is never called again (it waits for events being delivered to it). Refused
    /// (`invalid_argument`) from inside a sink.
    pub fn set_log(
        &self,
        level: crate::log::LogLevel,
        sink: Option<crate::log::LogSink>,
    ) -> Result<(), Error> {
        self.logs.set(level, sink)
    }

    /// Change the level of the sink set by [`Client::set_log`] (no effect without one).
    pub fn set_log_level(&self, level: crate::log::LogLevel) {
        self.logs.set_level(level)
    }

    /// Interpret `body` (with `http_status`) as the provider's reply to `operation` for
    /// `request`, with no network I/O: the parsing, signature checks and error mapping of a real
    /// call. For fuzzing, and for replaying captured traffic.
    #[doc(hidden)]
    pub fn interpret_reply(
        &self,
        operation: &str,
        request: Value,
        http_status: u16,
        body: Vec<u8>,
    ) -> Result<Response, Error> {
        let def = lookup(operation)?;
        let reply = crate::transport::Reply {
            status: http_status,
            body,
        };
        self.execute(def, request, Some(&reply))
    }
}

// ---- webhooks and the journal ------------------------------------------------------------

impl Client {
    /// Verify a webhook delivery over the raw `body` and the `headers` exactly as received
    /// (names case-insensitive). `provider` is `iyzico`, `paymes` or `paytr`. A missing or bad signature
    /// is a `signature` error and nothing is recorded. With a journal the delivery is recorded
    /// once (`duplicate: true` after) and resolves the rows with its merchant reference.
    pub fn verify_webhook<K: AsRef<str>, V: AsRef<str>>(
        &self,
        provider: &str,
        headers: &[(K, V)],
        body: &[u8],
    ) -> Result<Response, Error> {
        let operation = format!("webhook.{provider}");
        self.verify_webhook_inner(provider, &Headers::new(headers), body)
            .map_err(|e| {
                // The operation is `webhook.PROVIDER`: name the provider itself, not "webhook".
                let e = match webhook::PROVIDERS.iter().find(|p| **p == provider) {
                    Some(p) => e.with_provider(p),
                    None => e,
                };
                e.with_operation(&operation)
            })
    }

    fn verify_webhook_inner(
        &self,
        provider: &str,
        headers: &Headers<'_>,
        body: &[u8],
    ) -> Result<Response, Error> {
        let not_configured = || {
            Error::config_field(
                provider,
                "is not configured; add its section to the client config to verify its webhooks",
            )
        };
        let mut verified = match provider {
            "iyzico" => crate::providers::iyzico::webhook::verify(
                self.config.iyzico.as_ref().ok_or_else(not_configured)?,
                headers,
                body,
            )?,
            "paymes" => crate::providers::paymes::verify_webhook(
                self.config.paymes.as_ref().ok_or_else(not_configured)?,
                headers,
                body,
            )?,
            "paytr" => crate::providers::paytr::verify_webhook(
                self.config.paytr.as_ref().ok_or_else(not_configured)?,
                headers,
                body,
            )?,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "no webhook verifier for this provider; expected one of {}",
                        webhook::PROVIDERS.join(", ")
                    ),
                ))
            }
        };
        if let Some(j) = &self.journal {
            verified.notification.duplicate = j.record_webhook(
                provider,
                &verified.delivery,
                verified.reference.as_deref(),
                verified.notification.state,
                verified.notification.subject == crate::outcome::Subject::Payment,
                verified.notification.payment_id.as_deref(),
            )?;
        }
        Ok(verified.into_response())
    }

    /// [`Client::verify_webhook`] with the headers as a JSON object of strings (the C ABI's
    /// `odeme_verify_webhook`).
    pub fn verify_webhook_headers_json(
        &self,
        provider: &str,
        headers_json: &str,
        body: &[u8],
    ) -> Result<Response, Error> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidArgument,
                "headers must be a JSON object of strings ({\"Name\": \"value\"})",
            )
            .with_operation(&format!("webhook.{provider}"))
        };
        let value: Value = serde_json::from_str(headers_json).map_err(|_| bad())?;
        let Value::Object(map) = value else {
            return Err(bad());
        };
        let mut headers = Vec::with_capacity(map.len());
        for (k, v) in &map {
            match v {
                Value::String(s) => headers.push((k.as_str(), s.as_str())),
                _ => return Err(bad()),
            }
        }
        self.verify_webhook(provider, &headers, body)
    }

    /// [`Client::verify_webhook_headers_json`], answering JSON text.
    pub fn verify_webhook_json(
        &self,
        provider: &str,
        headers_json: &str,
        body: &[u8],
    ) -> Result<String, Error> {
        let response = self.verify_webhook_headers_json(provider, headers_json, body)?;
        response
            .to_json_text()
            .ok_or_else(|| Error::new(ErrorKind::Internal, "could not serialize the response"))
    }

    /// The journal, or a `config` error when none is configured.
    pub fn journal(&self) -> Result<&Journal, Error> {
        self.journal.as_ref().ok_or_else(|| {
            Error::config_field(
                "journal",
                "is not configured; add \"journal\": {\"path\": ...} (SQLite) or \
                 {\"url\": \"postgres://...\"} (PostgreSQL) to the client config",
            )
        })
    }

    /// Journal rows still `sending`, `outcome_unknown` or `needs_manual_check`.
    pub fn pending(&self) -> Result<Vec<Row>, Error> {
        self.journal()?.pending()
    }

    /// Ask each pending row's declared reconciliation, record the answer, and return every
    /// pending row as it now is: `done`/`failed` with `resolved` set, still `outcome_unknown`
    /// (with `message`) when the query failed or reported `pending`, or `needs_manual_check`
    /// where the provider offers no query.
    ///
    /// A provider's `not_found` marks a row `failed` (so its reference may be sent again) only
    /// when it comes `journal.settle_s` seconds or more after the row's send: sooner, the row
    /// stays pending and its `message` says when to reconcile again. Any error of the query
    /// leaves the row as it was, with the error in its `message`.
    pub fn reconcile(&self) -> Result<Vec<Row>, Error> {
        self.reconcile_at(std::time::SystemTime::now())
    }

    /// [`Client::reconcile`] as if the time were `now` (the settle window is measured to it).
    pub fn reconcile_at(&self, now: std::time::SystemTime) -> Result<Vec<Row>, Error> {
        let journal = self.journal()?;
        let rows = journal.pending()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            // Several workers (processes, hosts) may reconcile at once: only the one that claims
            // a row asks its provider; the claim is given up once the answer is recorded.
            if !journal.claim(&row, self.reconcile_lease())? {
                let mut r = row;
                r.message = Some(
                    "another worker is reconciling this row now (or resolved it since it was listed): \
                     list the pending rows again for its answer"
                        .to_owned(),
                );
                out.push(r);
                continue;
            }
            let id = row.id;
            let result = self.reconcile_row(journal, row, now);
            let released = journal.release(id);
            out.push(result?);
            released?;
        }
        Ok(out)
    }

    /// How long a reconciling worker holds a row: the longest its query can take (every
    /// attempt at the full deadline), and a minute more. A worker that dies holding a row
    /// leaves it to the others after that.
    fn reconcile_lease(&self) -> std::time::Duration {
        let attempts = u64::from(self.config.read_retries) + 1;
        std::time::Duration::from_millis(
            (self.config.timeout_ms + self.config.connect_timeout_ms).saturating_mul(attempts),
        ) + std::time::Duration::from_secs(60)
    }

    fn reconcile_row(
        &self,
        journal: &Journal,
        row: Row,
        now: std::time::SystemTime,
    ) -> Result<Row, Error> {
        let def = registry::find(&row.operation);
        let plan = match def.map(|d| d.reconcile) {
            Some(Reconcile::With { operation, .. }) => match &row.reconcile_request {
                Some(req) => Ok((operation, req.clone())),
                None => Err(format!(
                    "the request carried no field for {operation}: check the provider's merchant panel"
                )),
            },
            Some(Reconcile::Unavailable { advice }) => Err(advice.to_owned()),
            _ => Err("odeme does not know this operation any more: check the provider's merchant panel".to_owned()),
        };
        let (operation, request) = match plan {
            Ok(p) => p,
            Err(advice) => {
                let mut r = journal.resolve(&row, RowState::NeedsManualCheck, None, None)?;
                r.message = Some(advice);
                return Ok(r);
            }
        };
        let request: Value = match serde_json::from_str(&request) {
            Ok(v) => v,
            Err(e) => {
                let mut r = row;
                r.message = Some(format!(
                    "the journal's request for {operation} is not JSON ({e}); the row stays as it was"
                ));
                return Ok(r);
            }
        };
        match self.call(operation, request) {
            Ok(resp) => {
                let Outcome::Status(status) = &resp.outcome else {
                    let mut r = row;
                    r.message = Some(format!("{operation} did not answer a status"));
                    return Ok(r);
                };
                if status.state == crate::outcome::State::NotFound {
                    if let Some(again) = too_soon(&row, journal.settle(), now) {
                        let mut r = row;
                        r.message = Some(format!(
                            "{operation} does not find it yet, but that is no proof sooner than \
                             journal.settle_s ({} s) after the send: the row stays pending \
                             (a resend is still refused); reconcile again after {again}",
                            journal.settle().as_secs()
                        ));
                        return Ok(r);
                    }
                }
                if def.is_some_and(|d| d.outcome == ["refund"]) {
                    match refund_verdict(&row, status) {
                        RefundSeen::Yes => {}
                        RefundSeen::No if status.state != crate::outcome::State::NotFound => {
                            if let Some(again) = too_soon(&row, journal.settle(), now) {
                                let mut r = row;
                                r.message = Some(format!(
                                    "{operation} shows the payment without this refund, but that is no \
                                     proof sooner than journal.settle_s ({} s) after the send: the row \
                                     stays pending (a resend is still refused); reconcile again after {again}",
                                    journal.settle().as_secs()
                                ));
                                return Ok(r);
                            }
                            let mut r = journal.resolve(
                                &row,
                                RowState::Failed,
                                Some("not_refunded"),
                                None,
                            )?;
                            r.message = Some(format!(
                                "{operation} shows the payment ({}) with no refund or cancel: this one did not happen",
                                journal::state_name(status.state)
                            ));
                            return Ok(r);
                        }
                        RefundSeen::No => {}
                        RefundSeen::Unclear(why) => {
                            let mut r =
                                journal.resolve(&row, RowState::NeedsManualCheck, None, None)?;
                            r.message = Some(format!(
                                "{operation}: {why}; check the provider's merchant panel"
                            ));
                            return Ok(r);
                        }
                    }
                }
                let name = journal::state_name(status.state);
                let reference = status
                    .report
                    .as_ref()
                    .map(|p| p.payment_id.clone())
                    .or(resp.provider_reference.clone());
                // Still pending at the provider: the row stays open (`outcome_unknown`).
                let state = RowState::after(status.state).unwrap_or(RowState::OutcomeUnknown);
                journal.resolve(&row, state, Some(&name), reference.as_deref())
            }
            Err(e) => {
                // Never read an error as an answer: the row stays as it was.
                let mut r = row;
                r.message = Some(format!(
                    "{operation} failed ({}): {}; the row stays as it was: reconcile again later",
                    e.kind().as_str(),
                    e.message()
                ));
                Ok(r)
            }
        }
    }

    /// [`Client::pending`] as JSON text (an array of rows).
    pub fn pending_json(&self) -> Result<String, Error> {
        rows_json(&self.pending()?)
    }

    /// [`Client::reconcile`] as JSON text (an array of rows).
    pub fn reconcile_json(&self) -> Result<String, Error> {
        rows_json(&self.reconcile()?)
    }
}

/// What a reconciling status says of a refund or cancel row.
enum RefundSeen {
    /// The refund (or cancel) is there, or the payment's state is read as before (not found,
    /// failed, still pending).
    Yes,
    /// The payment is there, paid, with no refund and no cancel at all: this one did not happen.
    No,
    /// Refunds are there, but none that is this row's: a person must look.
    Unclear(String),
}

/// Whether the provider's status shows `row`'s refund: a cancel or a refund of the row's exact
/// amount, or, for a row without an amount (a cancel), the payment cancelled or refunded.
/// Never `Yes` on a payment that shows no refund: a refund row is not settled by its payment
/// being `paid`.
fn refund_verdict(row: &Row, status: &crate::outcome::Status) -> RefundSeen {
    use crate::outcome::State;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    match status.state {
        State::Paid
        | State::Authorized
        | State::Cancelled
        | State::Refunded
        | State::PartiallyRefunded => {}
        // Not found, failed or still open: as for any row.
        _ => return RefundSeen::Yes,
    }
    let (refunds, cancelled) = match &status.report {
        Some(r) => (r.refunds.as_slice(), r.cancelled),
        None => (&[][..], false),
    };
    let shows_any = cancelled
        || !refunds.is_empty()
        || matches!(
            status.state,
            State::Cancelled | State::Refunded | State::PartiallyRefunded
        );
    if !shows_any {
        return RefundSeen::No;
    }
    let amount = row
        .amount
        .as_deref()
        .and_then(|a| Decimal::from_str(a).ok());
    let Some(amount) = amount else {
        // A cancel (no amount): the payment cancelled or refunded whole is its answer.
        return if cancelled || matches!(status.state, State::Cancelled | State::Refunded) {
            RefundSeen::Yes
        } else {
            RefundSeen::Unclear(format!(
                "the payment shows refunds ({}) but no cancel",
                journal::state_name(status.state)
            ))
        };
    };
    let same =
        |r: &crate::outcome::Refund| Decimal::from_str(&r.amount).is_ok_and(|d| d.abs() == amount);
    if refunds.iter().any(same) {
        return RefundSeen::Yes;
    }
    // Cancelled or refunded whole, for exactly this row's amount (a cancel with its amount, or
    // a provider that lists no refunds).
    let whole = cancelled || matches!(status.state, State::Cancelled | State::Refunded);
    let paid = status
        .report
        .as_ref()
        .and_then(|r| r.paid_price.as_deref())
        .or(status.amount.as_deref())
        .and_then(|p| Decimal::from_str(p).ok());
    if whole && paid == Some(amount) {
        return RefundSeen::Yes;
    }
    RefundSeen::Unclear(format!(
        "the payment shows {} refund(s) ({}), none of this row's amount {amount}",
        refunds.len(),
        journal::state_name(status.state)
    ))
}

/// When `row`'s send is less than `settle` before `now`: the time from which a `not_found` is
/// proof (as the rows write times). A row whose time cannot be read is never settled.
fn too_soon(row: &Row, settle: std::time::Duration, now: std::time::SystemTime) -> Option<String> {
    let sent = journal::parse_rfc3339(&row.created_at);
    let settled = sent.map(|t| t + settle);
    match settled {
        Some(at) if now >= at => None,
        Some(at) => Some(journal::time_rfc3339(at)),
        None => Some(format!("{} (its send time is unreadable)", row.created_at)),
    }
}

fn rows_json(rows: &[Row]) -> Result<String, Error> {
    serde_json::to_string(rows)
        .map_err(|_| Error::new(ErrorKind::Internal, "could not serialize the journal rows"))
}

fn too_large(max: u64) -> Error {
    Error::invalid_field(
        "(request)",
        format_args!("is larger than max_request_bytes ({max} bytes)"),
    )
}

fn lookup(operation: &str) -> Result<&'static OperationDef, Error> {
    registry::find(operation).ok_or_else(|| {
        let known: Vec<&str> = registry::all().map(|d| d.name).collect();
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown operation; expected one of {}", known.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(amount: Option<&str>) -> Row {
        Row {
            id: 1,
            operation: "x.refund".into(),
            provider: "x".into(),
            reference: None,
            amount: amount.map(Into::into),
            currency: None,
            state: "outcome_unknown".into(),
            provider_reference: None,
            created_at: String::new(),
            updated_at: String::new(),
            resolved: None,
            message: None,
            reconcile_request: None,
        }
    }

    fn status(
        state: crate::outcome::State,
        amount: Option<&str>,
        refunds: Option<(&[&str], bool)>,
    ) -> crate::outcome::Status {
        crate::outcome::Status {
            state,
            order_id: None,
            provider_order_id: None,
            amount: amount.map(Into::into),
            currency: None,
            message: None,
            report: refunds.map(|(list, cancelled)| crate::outcome::PaymentReport {
                payment_id: "1".into(),
                paid_price: amount.map(Into::into),
                refunds: list
                    .iter()
                    .map(|a| crate::outcome::Refund {
                        amount: (*a).into(),
                        currency: None,
                        refund_id: None,
                        date: None,
                    })
                    .collect(),
                cancelled,
                payments: Vec::new(),
            }),
        }
    }

    #[test]
    fn a_refund_row_is_judged_by_the_refund() {
        use crate::outcome::State::*;
        let seen = |r: Option<&str>, s| match refund_verdict(&row(r), &s) {
            RefundSeen::Yes => "yes",
            RefundSeen::No => "no",
            RefundSeen::Unclear(_) => "unclear",
        };
        // Paid, nothing refunded: the refund did not happen (report or not).
        assert_eq!(seen(Some("0.4"), status(Paid, Some("1.2"), None)), "no");
        assert_eq!(
            seen(Some("0.4"), status(Paid, Some("1.2"), Some((&[], false)))),
            "no"
        );
        // A refund of the row's amount (written 0.40 or -0.4): there.
        let partial = Some((&["0.40"][..], false));
        assert_eq!(
            seen(Some("0.4"), status(PartiallyRefunded, Some("1.2"), partial)),
            "yes"
        );
        let negative = Some((&["-0.4"][..], false));
        assert_eq!(
            seen(
                Some("0.4"),
                status(PartiallyRefunded, Some("1.2"), negative)
            ),
            "yes"
        );
        // Only another refund: a person must look.
        let other = Some((&["0.5"][..], false));
        assert_eq!(
            seen(Some("0.4"), status(PartiallyRefunded, Some("1.2"), other)),
            "unclear"
        );
        // A whole cancel: for a cancel without an amount, and for one of the payment's amount
        // (Paymes' order_cancel, whose query lists no refunds).
        assert_eq!(
            seen(None, status(Cancelled, Some("1.2"), Some((&[], true)))),
            "yes"
        );
        assert_eq!(
            seen(Some("10.00"), status(Cancelled, Some("10"), None)),
            "yes"
        );
        assert_eq!(
            seen(Some("4.00"), status(Cancelled, Some("10"), None)),
            "unclear"
        );
        // A cancel row on a payment that shows only a partial refund is not cancelled.
        assert_eq!(
            seen(None, status(PartiallyRefunded, Some("1.2"), partial)),
            "unclear"
        );
        // Not found, failed, pending: decided as for any row.
        assert_eq!(seen(Some("0.4"), status(NotFound, None, None)), "yes");
        assert_eq!(seen(Some("0.4"), status(Pending, None, None)), "yes");
    }

    #[test]
    fn client_is_send_and_sync() {
        fn assert_sync<T: Send + Sync>() {}
        assert_sync::<Client>();
    }

    #[test]
    fn oversized_and_deep_requests_are_refused_before_any_io() {
        // Port 1 on localhost: were anything sent, this would be a transport error instead.
        let c = Client::from_json(
            r#"{"allow_http": true, "read_retries": 0, "max_request_bytes": 4096,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:1"}}"#,
        )
        .unwrap();
        let big = "x".repeat(10 * 1024 * 1024);
        let e = c
            .call(
                "iyzico.retrieve_payment",
                serde_json::json!({ "paymentConversationId": big }),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert_eq!(e.field(), Some("(request)"));
        assert_eq!(e.operation(), Some("iyzico.retrieve_payment"));
        let text = format!(r#"{{"paymentConversationId": "{big}"}}"#);
        let e = c.call_json("iyzico.retrieve_payment", &text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert!(
            e.message().contains("max_request_bytes (4096 bytes)"),
            "{e}"
        );

        let mut deep = serde_json::json!("order-1");
        for _ in 0..300 {
            deep = Value::Array(vec![deep]);
        }
        let e = c
            .call(
                "iyzico.retrieve_payment",
                serde_json::json!({ "paymentConversationId": deep }),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e
            .field()
            .unwrap()
            .starts_with("paymentConversationId[0][0]"));
        // as text, serde_json's own limit answers first
        let text = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
        let e = c.call_json("iyzico.retrieve_payment", &text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    }

    #[test]
    fn unknown_operations_are_invalid_arguments() {
        let c = Client::from_json(r#"{"iyzico": {"api_key": "k", "secret_key": "s"}}"#).unwrap();
        let e = c.call("iyzico.refund", serde_json::json!({})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("iyzico.payment_details"), "{e}");
    }
}
