//! The payment journal: an opt-in, durable record of every `at_most_once` call, so that a
//! crash, a power cut or a lost reply never leads to the same order being sent twice.
//!
//! Enabled by the config key `"journal": {"path": ...}`. SQLite (the bundled library), WAL,
//! `synchronous=FULL`, a busy timeout and short `BEGIN IMMEDIATE` transactions, so several
//! processes on one host can share one file.
//!
//! * Before an `at_most_once` operation touches the socket, [`Intent::begin`] commits a row
//!   (operation, merchant reference, amount, currency, time, state `sending`); the fields come
//!   from the operation's declaration ([`crate::registry::Journaled`]). In the same transaction
//!   it refuses (`invalid_request`, field = the reference) when the same operation with the same
//!   reference already has a row `sending`, `outcome_unknown`, `needs_manual_check` or `done`.
//! * After the steps return, [`Intent::finish`] records `done` (with the provider's reference),
//!   `failed` (declined, refused, never sent) or `outcome_unknown`.
//! * [`Journal::pending`] lists the unresolved rows; `Client::reconcile` asks each one's
//!   declared reconciliation; a verified webhook resolves the rows with its merchant reference
//!   and is recorded once ([`Journal::record_webhook`]).
//!
//! Rows hold identifiers, amounts, currency codes and states only: never a card number, CVC,
//! key or token (the declaration names the fields, and a registry test forbids card and key
//! fields).
//!
//! The schema is versioned with `PRAGMA user_version`; [`MIGRATIONS`] takes any older journal
//! to [`SCHEMA_VERSION`], and a journal written by a newer odeme is refused, never changed.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use serde_json::Value;

use crate::config::JournalConfig;
use crate::error::{Error, ErrorKind};
use crate::outcome::{Outcome, Response, State};
use crate::registry::OperationDef;

/// The schema this odeme writes.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[n]` takes a journal from version `n` to `n + 1`. Append only.
pub const MIGRATIONS: &[&str] = &["
    CREATE TABLE payments (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        operation          TEXT NOT NULL,
        provider           TEXT NOT NULL,
        reference          TEXT,
        amount             TEXT,
        currency           TEXT,
        state              TEXT NOT NULL,
        provider_reference TEXT,
        resolved           TEXT,
        reconcile_request  TEXT,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
    );
    CREATE INDEX payments_by_reference ON payments (operation, reference);
    CREATE INDEX payments_by_provider_reference ON payments (provider, reference);
    CREATE INDEX payments_by_state ON payments (state);
    CREATE TABLE webhooks (
        delivery    TEXT PRIMARY KEY,
        provider    TEXT NOT NULL,
        reference   TEXT,
        state       TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
"];

/// The state of a journal row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// The intent is committed; the request is being sent (or the process died meanwhile).
    Sending,
    /// Sent; the reply was lost or could not be trusted. Reconcile.
    OutcomeUnknown,
    /// The provider answered (or reconciliation / a webhook found the payment).
    Done,
    /// Declined, refused or never sent: does not block a new call with the same reference.
    Failed,
    /// Unresolved, and the provider's API cannot answer: look in the merchant panel.
    NeedsManualCheck,
}

impl RowState {
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Sending => "sending",
            RowState::OutcomeUnknown => "outcome_unknown",
            RowState::Done => "done",
            RowState::Failed => "failed",
            RowState::NeedsManualCheck => "needs_manual_check",
        }
    }

    /// The row's state after a reconciliation or webhook reports `state` (`None`: still
    /// pending, nothing settled).
    pub(crate) fn after(state: State) -> Option<RowState> {
        match state {
            State::Paid
            | State::Cancelled
            | State::Refunded
            | State::PartiallyRefunded
            | State::NeedsAttention
            | State::Authorized => Some(RowState::Done),
            State::Failed | State::NotFound => Some(RowState::Failed),
            // Nothing about the payment's fate: the row stays as it is.
            State::Pending | State::RefundFailed | State::Unknown => None,
        }
    }
}

/// A state's name as the outcome JSON spells it (`paid`, `not_found`, ...).
pub(crate) fn state_name(state: State) -> String {
    match serde_json::to_value(state) {
        Ok(Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

/// One journal row, as `pending()` and `reconcile()` return it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    pub id: i64,
    pub operation: String,
    pub provider: String,
    pub reference: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub state: String,
    pub provider_reference: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The payment state reconciliation or a webhook found (`paid`, `failed`, ...).
    pub resolved: Option<String>,
    /// After `reconcile()`: why a row is still unresolved (the provider's advice, or the error
    /// of the reconciling call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip)]
    pub(crate) reconcile_request: Option<String>,
}

const ROW_COLUMNS: &str = "id, operation, provider, reference, amount, currency, state, \
     provider_reference, created_at, updated_at, resolved, reconcile_request";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        operation: r.get(1)?,
        provider: r.get(2)?,
        reference: r.get(3)?,
        amount: r.get(4)?,
        currency: r.get(5)?,
        state: r.get(6)?,
        provider_reference: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
        resolved: r.get(10)?,
        reconcile_request: r.get(11)?,
        message: None,
    })
}

/// An open journal. One SQLite connection per client, used under a mutex for short
/// transactions only (never across network I/O).
pub struct Journal {
    conn: Mutex<Connection>,
    path: PathBuf,
    settle: Duration,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

/// The operations [`Journal::refundable`] reads, by their declared names.
#[derive(Clone, Copy)]
pub(crate) struct RefundOps {
    pub paid_by_provider_reference: &'static str,
    pub paid_by_reference: &'static str,
    pub cancel: &'static str,
    pub refund: &'static str,
}

impl Journal {
    /// Open (creating or migrating) the journal at `config.path`.
    pub fn open(config: &JournalConfig) -> Result<Journal, Error> {
        let path = config.path.clone();
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            Error::config_field("journal.path", format!("{}: {what}: {e}", path.display()))
        };
        if path.as_os_str().is_empty() {
            return Err(Error::config_field("journal.path", "must not be empty"));
        }
        let conn = Connection::open(&path).map_err(|e| bad("cannot open the journal", &e))?;
        conn.busy_timeout(Duration::from_millis(config.busy_timeout_ms))
            .map_err(|e| bad("cannot set the busy timeout", &e))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| bad("not a journal (not an SQLite database?)", &e))?;
        refuse_newer(version).map_err(|m| Error::config_field("journal.path", m))?;
        // Switching a new file to WAL takes an exclusive lock, and SQLite answers BUSY at once
        // (without its busy handler) while another process holds the file: retry until the
        // busy timeout. Once switched, the mode is stored in the file.
        let deadline = std::time::Instant::now() + Duration::from_millis(config.busy_timeout_ms);
        let mode: String = loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
                Ok(mode) => break mode,
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::DatabaseBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => return Err(bad("cannot switch to WAL", &e)),
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(bad("cannot switch to WAL", &mode));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(|e| bad("cannot set synchronous=FULL", &e))?;
        let mut journal = Journal {
            conn: Mutex::new(conn),
            path,
            settle: Duration::from_secs(config.settle_s),
        };
        journal.migrate()?;
        Ok(journal)
    }

    /// How long after a send a `not_found` is proof (config `journal.settle_s`).
    pub fn settle(&self) -> Duration {
        self.settle
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What remains refundable of the payment `payment_id` by this journal, when the journal
    /// recorded it as `done` (`ops.paid_by_provider_reference`: a payment whose reply gave the id;
    /// `ops.paid_by_reference`: a completion sent with the id): the paid amount less every
    /// `ops.refund` row of it (matched by its reconcile request's `paymentId`) that is not
    /// `failed` (money that may have gone back counts as gone), nothing once an `ops.cancel` row
    /// of it is not `failed`. `None` when the payment is not in the journal. The operation names
    /// come from their declarations.
    pub(crate) fn refundable(
        &self,
        payment_id: &str,
        ops: RefundOps,
    ) -> Result<Option<crate::refund::Refundable>, Error> {
        use rust_decimal::Decimal;
        use std::str::FromStr;
        let conn = self.lock();
        let paid: Option<Option<String>> = conn
            .prepare_cached(
                "SELECT amount FROM payments WHERE state = 'done' AND \
                 ((operation = ?2 AND provider_reference = ?1) OR \
                  (operation = ?3 AND reference = ?1)) \
                 ORDER BY id LIMIT 1",
            )
            .and_then(|mut st| {
                st.query_row(
                    params![
                        payment_id,
                        ops.paid_by_provider_reference,
                        ops.paid_by_reference
                    ],
                    |r| r.get(0),
                )
                .optional()
            })
            .map_err(|e| self.error("cannot read the payment", e))?;
        let Some(paid) = paid.flatten().and_then(|a| Decimal::from_str(&a).ok()) else {
            return Ok(None);
        };
        let cancelled: i64 = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM payments WHERE operation = ?2 \
                 AND reference = ?1 AND state != 'failed'",
            )
            .and_then(|mut st| st.query_row(params![payment_id, ops.cancel], |r| r.get(0)))
            .map_err(|e| self.error("cannot read the cancels", e))?;
        let refunds: Vec<Option<String>> = conn
            .prepare_cached(
                "SELECT amount FROM payments WHERE operation = ?2 \
                 AND json_extract(reconcile_request, '$.paymentId') = ?1 AND state != 'failed'",
            )
            .and_then(|mut st| {
                st.query_map(params![payment_id, ops.refund], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            })
            .map_err(|e| self.error("cannot read the refunds", e))?;
        let refunded: Decimal = refunds
            .iter()
            .flatten()
            .filter_map(|a| Decimal::from_str(a).ok())
            .sum();
        Ok(Some(crate::refund::Refundable {
            remaining: if cancelled > 0 {
                Decimal::ZERO
            } else {
                paid - refunded
            },
            source: "the payment journal",
        }))
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self, what: &str, e: rusqlite::Error) -> Error {
        Error::new(
            ErrorKind::Internal,
            format!("journal {}: {what}: {e}", self.path.display()),
        )
    }

    /// Bring the schema to [`SCHEMA_VERSION`] in one transaction (another process may be doing
    /// the same: the version is read again under the write lock).
    fn migrate(&mut self) -> Result<(), Error> {
        let path = self.path.clone();
        let conn = self.conn.get_mut().unwrap_or_else(|p| p.into_inner());
        let fail = |e: rusqlite::Error| {
            Error::config_field(
                "journal.path",
                format!("{}: cannot migrate the journal: {e}", path.display()),
            )
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        refuse_newer(version).map_err(|m| Error::config_field("journal.path", m))?;
        if version < 0 {
            return Err(Error::config_field(
                "journal.path",
                "is not an odeme journal (negative user_version)",
            ));
        }
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(fail)?;
            tx.pragma_update(None, "user_version", (n + 1) as i64)
                .map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    /// Commit an intent row, unless the same operation with the same reference is already
    /// journaled and not `failed` (then `invalid_request` naming the reference field).
    fn insert_intent(&self, i: &Intent<'_>) -> Result<i64, Error> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.error("cannot record the intent; nothing was sent", e))?;
        if let Some(reference) = &i.reference {
            let existing: Option<(i64, String)> = tx
                .prepare_cached(
                    "SELECT id, state FROM payments WHERE operation = ?1 AND reference = ?2 \
                     AND state != 'failed' ORDER BY id LIMIT 1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![i.op.name, reference], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()
                })
                .map_err(|e| self.error("cannot record the intent; nothing was sent", e))?;
            if let Some((id, state)) = existing {
                let field = i.op.journal.reference.unwrap_or("reference");
                return Err(Error::invalid_field(
                    field,
                    format!(
                        "{} with this reference is already in the payment journal (row {id}, {state}); \
                         odeme never sends it twice: reconcile first (client.reconcile()), or use a new reference \
                         if that order really failed",
                        i.op.name
                    ),
                ));
            }
        }
        let now = now_rfc3339();
        tx.prepare_cached(
            "INSERT INTO payments (operation, provider, reference, amount, currency, state, \
             reconcile_request, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'sending', ?6, ?7, ?7)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                i.op.name,
                i.op.provider(),
                i.reference,
                i.amount,
                i.currency,
                i.reconcile_request,
                now
            ])
        })
        .map_err(|e| self.error("cannot record the intent; nothing was sent", e))?;
        let id = tx.last_insert_rowid();
        tx.commit()
            .map_err(|e| self.error("cannot record the intent; nothing was sent", e))?;
        Ok(id)
    }

    /// Record the outcome of a call. A row already `done` (resolved meanwhile by a webhook or a
    /// reconciliation in another process) keeps its state.
    fn record_outcome(
        &self,
        id: i64,
        state: RowState,
        provider_reference: Option<&str>,
        generated_reference: Option<&str>,
        reconcile_request: Option<&str>,
    ) -> Result<(), Error> {
        let conn = self.lock();
        conn.prepare_cached(
            "UPDATE payments SET state = ?2, provider_reference = COALESCE(?3, provider_reference), \
             reference = COALESCE(reference, ?5), \
             reconcile_request = COALESCE(reconcile_request, ?6), updated_at = ?4 \
             WHERE id = ?1 AND state != 'done'",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                id,
                state.as_str(),
                provider_reference,
                now_rfc3339(),
                generated_reference,
                reconcile_request
            ])
        })
        .map_err(|e| self.error("cannot record the outcome", e))?;
        Ok(())
    }

    /// Rows still `sending`, `outcome_unknown` or `needs_manual_check`, oldest first.
    pub fn pending(&self) -> Result<Vec<Row>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW_COLUMNS} FROM payments \
                 WHERE state IN ('sending', 'outcome_unknown', 'needs_manual_check') ORDER BY id"
            ))
            .map_err(|e| self.error("cannot list pending rows", e))?;
        let rows = stmt
            .query_map([], read_row)
            .map_err(|e| self.error("cannot list pending rows", e))?
            .collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(|e| self.error("cannot list pending rows", e))?;
        Ok(rows)
    }

    /// Every row, oldest first (for tests and tools).
    pub fn rows(&self) -> Result<Vec<Row>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(&format!("SELECT {ROW_COLUMNS} FROM payments ORDER BY id"))
            .map_err(|e| self.error("cannot list rows", e))?;
        let rows = stmt
            .query_map([], read_row)
            .map_err(|e| self.error("cannot list rows", e))?
            .collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(|e| self.error("cannot list rows", e))?;
        Ok(rows)
    }

    fn row(&self, conn: &Connection, id: i64) -> Result<Row, Error> {
        conn.query_row(
            &format!("SELECT {ROW_COLUMNS} FROM payments WHERE id = ?1"),
            [id],
            read_row,
        )
        .map_err(|e| self.error("cannot read a row", e))
    }

    /// Record what reconciliation found for a row that was `from` (unless another process
    /// resolved it meanwhile), and return the row as it now is.
    pub(crate) fn resolve(
        &self,
        row: &Row,
        state: RowState,
        resolved: Option<&str>,
        provider_reference: Option<&str>,
    ) -> Result<Row, Error> {
        let conn = self.lock();
        conn.execute(
            "UPDATE payments SET state = ?3, resolved = COALESCE(?4, resolved), \
             provider_reference = COALESCE(?5, provider_reference), updated_at = ?6 \
             WHERE id = ?1 AND state = ?2",
            params![
                row.id,
                row.state,
                state.as_str(),
                resolved,
                provider_reference,
                now_rfc3339()
            ],
        )
        .map_err(|e| self.error("cannot record the reconciliation", e))?;
        self.row(&conn, row.id)
    }

    /// Record a verified webhook delivery once, keyed by the provider's delivery identity, and
    /// (for a delivery about the payment itself, `about_payment`) resolve the rows of `provider`
    /// with merchant reference `reference`. A delivery about a refund is recorded and resolves
    /// nothing: a failed refund is not a failed payment. Returns `true` when this delivery was
    /// already recorded (nothing is changed then).
    pub(crate) fn record_webhook(
        &self,
        provider: &str,
        delivery: &str,
        reference: Option<&str>,
        state: State,
        about_payment: bool,
        provider_reference: Option<&str>,
    ) -> Result<bool, Error> {
        let mut conn = self.lock();
        let fail = |e| self.error("cannot record the webhook", e);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let now = now_rfc3339();
        let name = state_name(state);
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO webhooks (delivery, provider, reference, state, received_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![delivery, provider, reference, name, now],
            )
            .map_err(fail)?;
        if inserted == 0 {
            return Ok(true);
        }
        let new_state = RowState::after(state).filter(|_| about_payment);
        if let (Some(reference), Some(new_state)) = (reference, new_state) {
            tx.execute(
                "UPDATE payments SET state = ?3, resolved = ?4, \
                 provider_reference = COALESCE(provider_reference, ?5), updated_at = ?6 \
                 WHERE provider = ?1 AND reference = ?2 \
                 AND state IN ('sending', 'outcome_unknown', 'needs_manual_check')",
                params![
                    provider,
                    reference,
                    new_state.as_str(),
                    name,
                    provider_reference,
                    now
                ],
            )
            .map_err(fail)?;
            tx.execute(
                "UPDATE payments SET resolved = ?3, updated_at = ?4 \
                 WHERE provider = ?1 AND reference = ?2 AND state = 'done'",
                params![provider, reference, name, now],
            )
            .map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(false)
    }
}

fn refuse_newer(version: i64) -> Result<(), String> {
    if version > SCHEMA_VERSION {
        Err(format!(
            "the journal was written by a newer odeme (schema version {version}; this odeme knows \
             up to {SCHEMA_VERSION}): upgrade odeme to use it; the file was not changed"
        ))
    } else {
        Ok(())
    }
}

/// One `at_most_once` call's journal entry, made from the declaration and the request before
/// the steps run; the row is written by [`Intent::begin`] only when the call reaches the socket.
pub(crate) struct Intent<'a> {
    journal: &'a Journal,
    op: &'static OperationDef,
    reference: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    reconcile_request: Option<String>,
    row: Cell<Option<i64>>,
}

impl<'a> Intent<'a> {
    /// The journal this call records in.
    pub(crate) fn journal(&self) -> &'a Journal {
        self.journal
    }

    pub(crate) fn new(journal: &'a Journal, op: &'static OperationDef, request: &Value) -> Self {
        let field = |f: Option<&str>| f.and_then(|f| crate::json::id_at_path(request, f));
        Intent {
            journal,
            op,
            reference: field(op.journal.reference),
            amount: field(op.journal.amount),
            currency: field(op.journal.currency),
            reconcile_request: op.reconcile.request(request).map(|r| r.to_string()),
            row: Cell::new(None),
        }
    }

    /// Commit the intent row (once), just before the request is handed to the socket.
    pub(crate) fn begin(&self) -> Result<(), Error> {
        if self.row.get().is_none() {
            self.row.set(Some(self.journal.insert_intent(self)?));
        }
        Ok(())
    }

    /// Record the call's outcome on its row (if the call got as far as writing one). A failure
    /// to write leaves the row `sending`, which `pending()` lists: safe.
    pub(crate) fn finish(&self, result: &Result<Response, Error>) {
        let Some(id) = self.row.get() else { return };
        // A reference the operation generated (Paymago's `orderId` when absent) is the one the
        // merchant sees in the outcome: record it on the row.
        // After a lost reply the error's reconcile request carries it (EsnekPOS' generated
        // ORDER_REF_NUMBER): keep that request on the row too, so `reconcile()` can use it.
        let lost_request = match (&self.reference, result) {
            (None, Err(e)) => e.reconcile_request(),
            _ => None,
        };
        let generated = match (&self.reference, result) {
            (None, Ok(r)) => match &r.outcome {
                Outcome::Redirect { order_id, .. }
                | Outcome::Html { order_id, .. }
                | Outcome::Terminal { order_id, .. } => order_id.as_deref(),
                _ => None,
            },
            _ => lost_request
                .and_then(Value::as_object)
                .filter(|m| m.len() == 1)
                .and_then(|m| m.values().next())
                .and_then(Value::as_str),
        };
        let (state, provider_reference) = match result {
            Ok(r) => (RowState::Done, r.provider_reference.as_deref()),
            Err(e) => (
                match e.kind() {
                    // Refused by the provider, or provably never delivered.
                    ErrorKind::Declined
                    | ErrorKind::Auth
                    | ErrorKind::Provider
                    | ErrorKind::InvalidRequest
                    | ErrorKind::InvalidArgument
                    | ErrorKind::Config
                    | ErrorKind::Transport => RowState::Failed,
                    // May have happened: a lost reply, or one that cannot be trusted.
                    ErrorKind::OutcomeUnknown
                    | ErrorKind::Signature
                    | ErrorKind::Decode
                    | ErrorKind::Internal => RowState::OutcomeUnknown,
                },
                None,
            ),
        };
        let lost_request = lost_request.map(Value::to_string);
        let _ = self.journal.record_outcome(
            id,
            state,
            provider_reference,
            generated,
            lost_request.as_deref(),
        );
    }
}

/// Now, as `2026-11-26T13:45:07.123Z`.
pub(crate) fn now_rfc3339() -> String {
    time_rfc3339(std::time::SystemTime::now())
}

/// `t` as `2026-11-26T13:45:07.123Z`.
pub(crate) fn time_rfc3339(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    rfc3339(d.as_secs() as i64, d.subsec_millis())
}

/// The time a row's `created_at`/`updated_at` names (as [`now_rfc3339`] writes it), or `None`
/// for any other text.
pub(crate) fn parse_rfc3339(t: &str) -> Option<std::time::SystemTime> {
    let b = t.as_bytes();
    if b.len() != 24 || &t[4..5] != "-" || &t[7..8] != "-" || &t[10..11] != "T" || !t.ends_with('Z')
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss, ms) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days since 1970-01-01 from a civil date (Howard Hinnant's algorithm, the inverse of
    // `rfc3339`).
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    let secs = u64::try_from(secs).ok()?;
    Some(std::time::UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(ms as u64))
}

fn rfc3339(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_times_read_back_as_written() {
        for (secs, ms) in [
            (0i64, 0u32),
            (1_795_000_000, 123),
            (951_782_400, 999),
            (4_102_444_799, 1),
        ] {
            let t = rfc3339(secs, ms);
            let back = parse_rfc3339(&t).unwrap_or_else(|| panic!("{t}"));
            let d = back.duration_since(std::time::UNIX_EPOCH).unwrap();
            assert_eq!((d.as_secs() as i64, d.subsec_millis()), (secs, ms), "{t}");
        }
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00.000Z"), None);
        assert_eq!(parse_rfc3339("2026-11-26 13:45:07"), None);
        assert_eq!(parse_rfc3339(""), None);
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "odeme-journal-unit-{}-{name}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("journal.sqlite3")
    }

    fn config(path: &Path) -> JournalConfig {
        JournalConfig {
            path: path.to_owned(),
            busy_timeout_ms: 5_000,
            settle_s: 0,
        }
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(rfc3339(1_795_700_000, 999), "2026-11-26T13:33:20.999Z");
    }

    #[test]
    fn fields_by_name_and_path() {
        let v: Value =
            serde_json::from_str(r#"{"a": "x", "n": 10.50, "Config": {"REF": "r1"}, "e": ""}"#)
                .unwrap();
        assert_eq!(crate::json::id_at_path(&v, "a").as_deref(), Some("x"));
        assert_eq!(crate::json::id_at_path(&v, "n").as_deref(), Some("10.50"));
        assert_eq!(
            crate::json::id_at_path(&v, "Config.REF").as_deref(),
            Some("r1")
        );
        assert_eq!(crate::json::id_at_path(&v, "e"), None);
        assert_eq!(crate::json::id_at_path(&v, "missing.x"), None);
    }

    #[test]
    fn creates_wal_full_and_versioned() {
        let path = temp("fresh");
        let j = Journal::open(&config(&path)).unwrap();
        let conn = j.lock();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        drop(conn);
        // Reopening an up-to-date journal changes nothing.
        drop(j);
        Journal::open(&config(&path)).unwrap();
    }

    #[test]
    fn a_journal_from_a_newer_odeme_is_refused_and_left_alone() {
        let path = temp("newer");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let e = Journal::open(&config(&path)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("journal.path"));
        assert!(e.message().contains("newer odeme"), "{e}");
        assert!(e.message().contains("99"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn an_older_journal_is_migrated() {
        // Version 0: an empty SQLite file (what a crash between create and migrate leaves).
        let path = temp("older");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE unrelated (x);")
            .unwrap();
        let j = Journal::open(&config(&path)).unwrap();
        assert!(j.pending().unwrap().is_empty());
        let v: i64 = j
            .lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn not_a_database_is_a_config_error() {
        let path = temp("garbage");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let e = Journal::open(&config(&path)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("journal.path"));
    }
}
