//! The payment journal: an opt-in, durable record of every `at_most_once` call, so that a
//! crash, a power cut or a lost reply never leads to the same order being sent twice.
//!
//! Enabled by the config key `"journal"`, in one of two stores behind one trait ([`Store`]):
//!
//! * `{"path": ...}`: an SQLite file (the bundled library; `sqlite` module), WAL, `synchronous=FULL`
//!   (but for the outcome's commit, which need not be durable: see `Store::record_outcome`'s
//!   implementations), a busy timeout and short `BEGIN IMMEDIATE` transactions, so several
//!   processes on one host can share one file.
//! * `{"url": "postgres://..."}` (cargo feature `journal-postgres`; `postgres` module): a
//!   PostgreSQL database shared by every process on every host. A partial unique index decides
//!   which of two simultaneous sends of one reference goes out.
//!
//! What the rows mean is decided here and in `Client` (the reconcile policy); the stores only
//! keep them:
//!
//! * Before an `at_most_once` operation touches the socket, [`Intent::begin`] commits a row
//!   (operation, merchant reference, amount, currency, time, state `sending`); the fields come
//!   from the operation's declaration ([`crate::registry::Journaled`]). Atomically with it, the
//!   store refuses (`invalid_request`, field = the reference) when the same operation with the
//!   same reference already has a row `sending`, `outcome_unknown`, `needs_manual_check` or
//!   `done`. A journal that cannot be written fails the call there, before any I/O
//!   (`transport`, retry-safe, naming the journal).
//! * After the steps return, [`Intent::finish`] records `done` (with the provider's reference),
//!   `failed` (declined, refused, never sent) or `outcome_unknown`.
//! * [`Journal::pending`] lists the unresolved rows; `Client::reconcile` claims each one
//!   ([`Journal::claim`], so that several workers ask each row once) and asks its declared
//!   reconciliation; a verified webhook resolves the rows with its merchant reference and is
//!   recorded once ([`Journal::record_webhook`]).
//!
//! Rows hold identifiers, amounts, currency codes and states only: never a card number, CVC,
//! key or token (the declaration names the fields, and a registry test forbids card and key
//! fields).
//!
//! Each store's schema is versioned; its migrations take any older journal to its current
//! version, and a journal written by a newer odeme is refused, never changed.

use std::cell::Cell;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::config::{JournalConfig, JournalStore};
use crate::error::{Error, ErrorKind};
use crate::outcome::{Outcome, Response, State};
use crate::policy::Declared;

#[cfg(feature = "journal-postgres")]
mod postgres;
mod sqlite;

pub use sqlite::{MIGRATIONS, SCHEMA_VERSION};

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

/// The columns every store reads a [`Row`] from, in this order.
pub(crate) const ROW_COLUMNS: &str =
    "id, operation, provider, reference, amount, currency, state, \
     provider_reference, created_at, updated_at, resolved, reconcile_request";

/// What a store reports when it cannot do something: the underlying error, as text (the
/// [`Journal`] names the journal and what it was doing).
pub(crate) type StoreResult<T> = Result<T, String>;

/// A new intent row.
pub(crate) struct NewRow<'a> {
    pub operation: &'a str,
    pub provider: &'a str,
    pub reference: Option<&'a str>,
    pub amount: Option<&'a str>,
    pub currency: Option<&'a str>,
    pub reconcile_request: Option<&'a str>,
    pub now: &'a str,
}

/// What [`Store::insert_intent`] did.
pub(crate) enum Inserted {
    /// Committed, as row `id`.
    Row(i64),
    /// Not written: the same operation with the same reference already has this row, and it is
    /// not `failed`.
    Existing { id: i64, state: String },
}

/// The outcome of a call, for [`Store::record_outcome`].
pub(crate) struct CallOutcome<'a> {
    pub state: RowState,
    pub provider_reference: Option<&'a str>,
    /// A reference the operation generated (recorded when the row has none).
    pub generated_reference: Option<&'a str>,
    /// The reconcile request a lost reply carried (recorded when the row has none).
    pub reconcile_request: Option<&'a str>,
    pub now: &'a str,
}

/// A verified webhook delivery, for [`Store::record_webhook`].
pub(crate) struct Delivery<'a> {
    pub provider: &'a str,
    /// The provider's identity of the delivery (recorded once).
    pub delivery: &'a str,
    pub reference: Option<&'a str>,
    /// The state's name (`paid`, ...).
    pub state: &'a str,
    /// What the pending rows with `reference` become (`None`: they stay as they are).
    pub resolves_to: Option<RowState>,
    pub provider_reference: Option<&'a str>,
    pub now: &'a str,
}

/// What the journal holds of one payment, for [`Journal::refundable`].
pub(crate) struct PaymentRecord {
    /// The paid amount (exact text).
    pub paid: String,
    /// A cancel of it is not `failed`.
    pub cancelled: bool,
    /// The amounts of its refunds that are not `failed`.
    pub refunds: Vec<Option<String>>,
}

/// The primitives a journal store offers. What an answer means for a row (the reconcile
/// policy) is decided above this trait, the same for every store.
pub(crate) trait Store: Send + Sync {
    /// Commit a `sending` row, unless the same operation with the same reference already has a
    /// row that is not `failed` (decided atomically: of two simultaneous inserts, one wins).
    /// Durable when this returns: the request is sent only after it.
    fn insert_intent(&self, row: &NewRow<'_>) -> StoreResult<Inserted>;
    /// Record a call's outcome on row `id`, unless the row is already `done`. Committed (a killed
    /// process loses nothing) but not necessarily synced: a power loss may lose it, which leaves
    /// the row `sending` for `reconcile()`; it must never be lost while a later commit survives.
    fn record_outcome(&self, id: i64, outcome: &CallOutcome<'_>) -> StoreResult<()>;
    /// Rows still `sending`, `outcome_unknown` or `needs_manual_check`, oldest first.
    fn pending(&self) -> StoreResult<Vec<Row>>;
    /// Every row, oldest first.
    fn rows(&self) -> StoreResult<Vec<Row>>;
    /// The rows whose merchant or provider reference is `reference`, oldest first.
    fn by_reference(&self, reference: &str) -> StoreResult<Vec<Row>>;
    /// Claim `row` for `lease` (to ask its provider), if it is still in the state it was listed
    /// in and no other worker holds an unexpired claim. `false`: leave it alone.
    fn claim(&self, row: &Row, lease: Duration) -> StoreResult<bool>;
    /// Give up a claim on row `id` without changing the row.
    fn release(&self, id: i64) -> StoreResult<()>;
    /// Set the state of a row that is still in the state `row` was listed in (and release its
    /// claim); returns the row as it now is.
    fn resolve(
        &self,
        row: &Row,
        state: RowState,
        resolved: Option<&str>,
        provider_reference: Option<&str>,
        now: &str,
    ) -> StoreResult<Row>;
    /// Record a delivery once and resolve the pending rows of its provider and reference.
    /// `true`: the delivery was already recorded (nothing changed).
    fn record_webhook(&self, delivery: &Delivery<'_>) -> StoreResult<bool>;
    /// What the journal holds of the payment `payment_id` (`None` unless it is `done` there).
    fn payment_record(
        &self,
        payment_id: &str,
        ops: RefundOps,
    ) -> StoreResult<Option<PaymentRecord>>;
}

/// An open journal: one store, named in every error.
pub struct Journal {
    store: Box<dyn Store>,
    name: String,
    path: Option<std::path::PathBuf>,
    settle: Duration,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("name", &self.name).finish()
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
    /// Open (creating or migrating) the journal `config` names.
    pub fn open(config: &JournalConfig) -> Result<Journal, Error> {
        let name = config.name();
        let busy = Duration::from_millis(config.busy_timeout_ms);
        let (store, path): (Box<dyn Store>, _) = match config.store() {
            JournalStore::Sqlite(path) => (
                Box::new(sqlite::Sqlite::open(path, busy)?),
                Some(path.to_owned()),
            ),
            #[cfg(feature = "journal-postgres")]
            JournalStore::Postgres(url) => (
                Box::new(postgres::Postgres::open(url.expose(), &name, busy)?),
                None,
            ),
            #[cfg(not(feature = "journal-postgres"))]
            JournalStore::Postgres(_) => return Err(Error::config_field(
                "journal.url",
                "this odeme was built without PostgreSQL support (cargo feature journal-postgres)",
            )),
        };
        Ok(Journal {
            store,
            name,
            path,
            settle: Duration::from_secs(config.settle_s),
        })
    }

    /// How long after a send a `not_found` is proof (config `journal.settle_s`).
    pub fn settle(&self) -> Duration {
        self.settle
    }

    /// The journal as messages name it: its file, or its URL without the password.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The journal's file (SQLite).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A journal that cannot be read or written: nothing was sent, and the call can be made
    /// again once the journal is back (`transport`, retry-safe).
    fn error(&self, what: &str, e: String) -> Error {
        Error::new(
            ErrorKind::Transport,
            format!("journal {}: {what}: {e}", self.name),
        )
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
        let Some(record) = self
            .store
            .payment_record(payment_id, ops)
            .map_err(|e| self.error("cannot read the payment", e))?
        else {
            return Ok(None);
        };
        let Ok(paid) = Decimal::from_str(&record.paid) else {
            return Ok(None);
        };
        let refunded: Decimal = record
            .refunds
            .iter()
            .flatten()
            .filter_map(|a| Decimal::from_str(a).ok())
            .sum();
        Ok(Some(crate::refund::Refundable {
            remaining: if record.cancelled {
                Decimal::ZERO
            } else {
                paid - refunded
            },
            source: "the payment journal",
        }))
    }

    /// Commit an intent row, unless the same operation with the same reference is already
    /// journaled and not `failed` (then `invalid_request` naming the reference field).
    fn insert_intent(&self, i: &Intent<'_>) -> Result<i64, Error> {
        let now = now_rfc3339();
        let row = NewRow {
            operation: i.op.name,
            provider: i.op.provider,
            reference: i.reference.as_deref(),
            amount: i.amount.as_deref(),
            currency: i.currency.as_deref(),
            reconcile_request: i.reconcile_request.as_deref(),
            now: &now,
        };
        match self.store.insert_intent(&row).map_err(|e| {
            self.error(
                "cannot record the intent; nothing was sent (safe to retry)",
                e,
            )
        })? {
            Inserted::Row(id) => Ok(id),
            Inserted::Existing { id, state } => {
                let field = i.op.journal.reference.unwrap_or("reference");
                Err(Error::invalid_field(
                    field,
                    format!(
                        "{} with this reference is already in the payment journal (row {id}, {state}); \
                         odeme never sends it twice: reconcile first (client.reconcile()), or use a new reference \
                         if that order really failed",
                        i.op.name
                    ),
                ))
            }
        }
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
        let now = now_rfc3339();
        let outcome = CallOutcome {
            state,
            provider_reference,
            generated_reference,
            reconcile_request,
            now: &now,
        };
        self.store
            .record_outcome(id, &outcome)
            .map_err(|e| self.error("cannot record the outcome", e))
    }

    /// Rows still `sending`, `outcome_unknown` or `needs_manual_check`, oldest first.
    pub fn pending(&self) -> Result<Vec<Row>, Error> {
        self.store
            .pending()
            .map_err(|e| self.error("cannot list pending rows", e))
    }

    /// Every row, oldest first (for tests and tools).
    pub fn rows(&self) -> Result<Vec<Row>, Error> {
        self.store
            .rows()
            .map_err(|e| self.error("cannot list rows", e))
    }

    /// The rows whose merchant reference or provider reference is `reference`, oldest first
    /// (`odeme journal show`).
    pub fn rows_for(&self, reference: &str) -> Result<Vec<Row>, Error> {
        self.store
            .by_reference(reference)
            .map_err(|e| self.error("cannot read rows", e))
    }

    /// Claim a pending row for `lease` before asking its provider, so that of several workers
    /// reconciling at once only one asks. `false`: another worker holds it, or it was resolved
    /// since it was listed.
    pub(crate) fn claim(&self, row: &Row, lease: Duration) -> Result<bool, Error> {
        self.store
            .claim(row, lease)
            .map_err(|e| self.error("cannot claim a row", e))
    }

    /// Give up a claim, leaving the row as it is (the next `reconcile()` asks again).
    pub(crate) fn release(&self, id: i64) -> Result<(), Error> {
        self.store
            .release(id)
            .map_err(|e| self.error("cannot release a row", e))
    }

    /// Record what reconciliation found for a row that was `row.state` (unless another process
    /// resolved it meanwhile), release its claim, and return the row as it now is.
    pub(crate) fn resolve(
        &self,
        row: &Row,
        state: RowState,
        resolved: Option<&str>,
        provider_reference: Option<&str>,
    ) -> Result<Row, Error> {
        self.store
            .resolve(row, state, resolved, provider_reference, &now_rfc3339())
            .map_err(|e| self.error("cannot record the reconciliation", e))
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
        let now = now_rfc3339();
        let name = state_name(state);
        self.store
            .record_webhook(&Delivery {
                provider,
                delivery,
                reference,
                state: &name,
                // A delivery about a refund resolves nothing: a failed refund is not a failed
                // payment.
                resolves_to: RowState::after(state).filter(|_| about_payment),
                provider_reference,
                now: &now,
            })
            .map_err(|e| self.error("cannot record the webhook", e))
    }
}

/// A journal written by a newer odeme is refused, never changed.
pub(crate) fn refuse_newer(version: i64, current: i64, what: &str) -> Result<(), String> {
    if version > current {
        Err(format!(
            "the journal was written by a newer odeme (schema version {version}; this odeme knows \
             up to {current}): upgrade odeme to use it; the {what} was not changed"
        ))
    } else {
        Ok(())
    }
}

/// One `at_most_once` call's journal entry, made from the declaration and the request before
/// the steps run; the row is written by [`Intent::begin`] only when the call reaches the socket.
pub(crate) struct Intent<'a> {
    journal: &'a Journal,
    op: Declared,
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

    pub(crate) fn new(journal: &'a Journal, op: Declared, request: &Value) -> Self {
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
}
