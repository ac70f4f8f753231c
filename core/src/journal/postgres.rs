//! The journal in a PostgreSQL database (cargo feature `journal-postgres`), shared by every
//! process on every host: the same rows, states and refusals as the SQLite file.
//!
//! * Of two simultaneous sends of one reference, a partial unique index on
//!   `(operation, reference) WHERE state <> 'failed'` lets exactly one intent row in
//!   (`INSERT ... ON CONFLICT DO NOTHING`); the other call is refused before any I/O.
//! * Reconciling workers claim a row for a lease (`claimed_until`, by the server's clock) with
//!   one conditional `UPDATE`; the row lock it takes makes a second claim wait and then see the
//!   first, so each row is asked once.
//! * One connection per client, used under a mutex for single statements or short
//!   transactions (never across network I/O to a provider); a connection found closed is
//!   opened again once, so a server restart costs nothing but the calls made while it is down.
//!   Those fail before any I/O.
//! * The schema is versioned in `odeme_schema` (one row); [`MIGRATIONS`] run under an advisory
//!   lock, so several hosts starting at once migrate once.
//!
//! Tables are prefixed `odeme_` so that the journal can live in the merchant's own database.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::{Client, NoTls, Statement};

use super::{
    refuse_newer, CallOutcome, Delivery, Inserted, NewRow, PaymentRecord, RefundOps, Row, RowState,
    Store, StoreResult, ROW_COLUMNS,
};
use crate::error::{Error, ErrorKind};

/// The schema this odeme writes.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[n]` takes a journal from version `n` to `n + 1`. Append only.
pub const MIGRATIONS: &[&str] = &["
    CREATE TABLE odeme_payments (
        id                 BIGSERIAL PRIMARY KEY,
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
        updated_at         TEXT NOT NULL,
        claimed_until      TIMESTAMPTZ
    );
    CREATE UNIQUE INDEX odeme_payments_once ON odeme_payments (operation, reference)
        WHERE state <> 'failed';
    CREATE INDEX odeme_payments_by_provider_reference ON odeme_payments (provider, reference);
    CREATE INDEX odeme_payments_by_state ON odeme_payments (state);
    CREATE TABLE odeme_webhooks (
        delivery    TEXT PRIMARY KEY,
        provider    TEXT NOT NULL,
        reference   TEXT,
        state       TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
"];

/// The advisory lock migrations hold (`odeme` in ASCII).
const MIGRATION_LOCK: i64 = 0x6f_64_65_6d_65;

const PENDING: &str = "state IN ('sending', 'outcome_unknown', 'needs_manual_check')";

/// One open connection and its prepared statements.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Conn {
    fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    fn select(
        &mut self,
        filter: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM odeme_payments {filter} ORDER BY id");
        let stmt = self.prepare(&sql)?;
        self.client
            .query(&stmt, params)?
            .iter()
            .map(read_row)
            .collect()
    }
}

fn read_row(r: &postgres::Row) -> Result<Row, postgres::Error> {
    Ok(Row {
        id: r.try_get(0)?,
        operation: r.try_get(1)?,
        provider: r.try_get(2)?,
        reference: r.try_get(3)?,
        amount: r.try_get(4)?,
        currency: r.try_get(5)?,
        state: r.try_get(6)?,
        provider_reference: r.try_get(7)?,
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
        resolved: r.try_get(10)?,
        reconcile_request: r.try_get(11)?,
        message: None,
    })
}

/// The journal on a PostgreSQL server.
pub(crate) struct Postgres {
    config: postgres::Config,
    busy: Duration,
    conn: Mutex<Option<Conn>>,
}

impl Postgres {
    /// Connect to `url` (named `name` in messages) and bring its schema to [`SCHEMA_VERSION`].
    pub(crate) fn open(url: &str, name: &str, busy: Duration) -> Result<Postgres, Error> {
        let mut config: postgres::Config = url.parse().map_err(|_| {
            // The parser's message may quote the text, password included: not repeated.
            Error::config_field(
                "journal.url",
                format!("{name}: is not a valid PostgreSQL URL"),
            )
        })?;
        // A server that stops answering (a partition, not a refusal) fails a call after the
        // busy timeout too: unacknowledged data closes the connection (Linux).
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(busy);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(busy);
        }
        if config.get_application_name().is_none() {
            config.application_name("odeme");
        }
        let store = Postgres {
            config,
            busy,
            conn: Mutex::new(None),
        };
        let mut conn = store.connect().map_err(|e| {
            Error::new(
                ErrorKind::Transport,
                format!("journal {name}: cannot connect: {e}"),
            )
        })?;
        store.migrate(&mut conn.client, name)?;
        *store.lock() = Some(conn);
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Option<Conn>> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn connect(&self) -> Result<Conn, String> {
        let mut client = self.config.connect(NoTls).map_err(describe)?;
        // No statement or lock wait outlasts the busy timeout: a call fails instead of hanging.
        let ms = self.busy.as_millis().max(1);
        client
            .batch_execute(&format!(
                "SET statement_timeout = {ms}; SET lock_timeout = {ms}"
            ))
            .map_err(describe)?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    fn migrate(&self, client: &mut Client, name: &str) -> Result<(), Error> {
        let fail = |e: postgres::Error| {
            Error::config_field(
                "journal.url",
                format!("{name}: cannot migrate the journal: {}", describe(e)),
            )
        };
        let mut tx = client.transaction().map_err(fail)?;
        tx.batch_execute(&format!(
            "SELECT pg_advisory_xact_lock({MIGRATION_LOCK}); \
             CREATE TABLE IF NOT EXISTS odeme_schema (version INTEGER NOT NULL)"
        ))
        .map_err(fail)?;
        let version: i64 = match tx
            .query_opt("SELECT version FROM odeme_schema", &[])
            .map_err(fail)?
        {
            Some(row) => i64::from(row.try_get::<_, i32>(0).map_err(fail)?),
            None => {
                tx.execute("INSERT INTO odeme_schema (version) VALUES (0)", &[])
                    .map_err(fail)?;
                0
            }
        };
        refuse_newer(version, SCHEMA_VERSION, "database")
            .map_err(|m| Error::config_field("journal.url", m))?;
        if version < 0 {
            return Err(Error::config_field(
                "journal.url",
                "is not an odeme journal (negative schema version in odeme_schema)",
            ));
        }
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(sql).map_err(fail)?;
            tx.execute("UPDATE odeme_schema SET version = $1", &[&((n + 1) as i32)])
                .map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    /// Run `f` on the connection, connecting first when there is none or it was closed. A
    /// connection that closes under `f` (a server restart) is opened again and `f` run once
    /// more: every `f` here is safe to repeat (an intent that did commit is then found and
    /// refused, never sent twice).
    fn with<T>(
        &self,
        mut f: impl FnMut(&mut Conn) -> Result<T, postgres::Error>,
    ) -> StoreResult<T> {
        let mut guard = self.lock();
        let mut attempt = 0;
        loop {
            attempt += 1;
            if guard.as_ref().is_none_or(|c| c.client.is_closed()) {
                *guard = None;
                *guard = Some(self.connect()?);
            }
            let Some(conn) = guard.as_mut() else {
                unreachable!("connected above")
            };
            match f(conn) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let closed = e.is_closed() || conn.client.is_closed();
                    if closed {
                        *guard = None;
                    }
                    if !closed || attempt >= 2 {
                        return Err(describe(e));
                    }
                }
            }
        }
    }
}

/// A PostgreSQL error as text, with the server's message when there is one.
fn describe(e: postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

impl Store for Postgres {
    fn insert_intent(&self, i: &NewRow<'_>) -> StoreResult<Inserted> {
        self.with(|c| {
            // A conflicting row that turns `failed` between the insert and the look-up no longer
            // blocks: insert again.
            loop {
                let insert = c.prepare(
                    "INSERT INTO odeme_payments (operation, provider, reference, amount, currency, \
                     state, reconcile_request, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 'sending', $6, $7, $7) \
                     ON CONFLICT (operation, reference) WHERE state <> 'failed' DO NOTHING \
                     RETURNING id",
                )?;
                if let Some(row) = c.client.query_opt(
                    &insert,
                    &[
                        &i.operation,
                        &i.provider,
                        &i.reference,
                        &i.amount,
                        &i.currency,
                        &i.reconcile_request,
                        &i.now,
                    ],
                )? {
                    return Ok(Inserted::Row(row.try_get(0)?));
                }
                let existing = c.prepare(
                    "SELECT id, state FROM odeme_payments WHERE operation = $1 AND reference = $2 \
                     AND state <> 'failed' ORDER BY id LIMIT 1",
                )?;
                if let Some(row) = c
                    .client
                    .query_opt(&existing, &[&i.operation, &i.reference])?
                {
                    return Ok(Inserted::Existing {
                        id: row.try_get(0)?,
                        state: row.try_get(1)?,
                    });
                }
            }
        })
    }

    /// The outcome is committed with `SET LOCAL synchronous_commit = off`: PostgreSQL documents
    /// no risk of inconsistency, only that the latest such commits can be lost if the server
    /// crashes before its WAL writer flushes them (a fraction of a second), and a later
    /// synchronous commit (the next intent) flushes the WAL up to itself, earlier records
    /// included. A lost outcome leaves the row `sending`, which `reconcile()` resolves. The
    /// intent keeps the server's durability (`synchronous_commit` as configured, `on` by
    /// default) and is committed before the socket is touched.
    fn record_outcome(&self, id: i64, o: &CallOutcome<'_>) -> StoreResult<()> {
        self.with(|c| {
            let stmt = c.prepare(
                "UPDATE odeme_payments SET state = $2, \
                 provider_reference = COALESCE($3, provider_reference), \
                 reference = COALESCE(reference, $5), \
                 reconcile_request = COALESCE(reconcile_request, $6), updated_at = $4 \
                 WHERE id = $1 AND state <> 'done'",
            )?;
            let mut tx = c.client.transaction()?;
            tx.batch_execute("SET LOCAL synchronous_commit = off")?;
            tx.execute(
                &stmt,
                &[
                    &id,
                    &o.state.as_str(),
                    &o.provider_reference,
                    &o.now,
                    &o.generated_reference,
                    &o.reconcile_request,
                ],
            )?;
            tx.commit()
        })
    }

    fn pending(&self) -> StoreResult<Vec<Row>> {
        self.with(|c| c.select(&format!("WHERE {PENDING}"), &[]))
    }

    fn rows(&self) -> StoreResult<Vec<Row>> {
        self.with(|c| c.select("", &[]))
    }

    fn by_reference(&self, reference: &str) -> StoreResult<Vec<Row>> {
        self.with(|c| {
            c.select(
                "WHERE reference = $1 OR provider_reference = $1",
                &[&reference],
            )
        })
    }

    fn claim(&self, row: &Row, lease: Duration) -> StoreResult<bool> {
        self.with(|c| {
            let stmt = c.prepare(
                "UPDATE odeme_payments SET claimed_until = now() + make_interval(secs => $3) \
                 WHERE id = $1 AND state = $2 AND (claimed_until IS NULL OR claimed_until < now())",
            )?;
            let n = c
                .client
                .execute(&stmt, &[&row.id, &row.state, &lease.as_secs_f64()])?;
            Ok(n == 1)
        })
    }

    fn release(&self, id: i64) -> StoreResult<()> {
        self.with(|c| {
            let stmt = c.prepare("UPDATE odeme_payments SET claimed_until = NULL WHERE id = $1")?;
            c.client.execute(&stmt, &[&id])?;
            Ok(())
        })
    }

    fn resolve(
        &self,
        row: &Row,
        state: RowState,
        resolved: Option<&str>,
        provider_reference: Option<&str>,
        now: &str,
    ) -> StoreResult<Row> {
        self.with(|c| {
            let stmt = c.prepare(
                "UPDATE odeme_payments SET state = $3, resolved = COALESCE($4, resolved), \
                 provider_reference = COALESCE($5, provider_reference), updated_at = $6, \
                 claimed_until = NULL WHERE id = $1 AND state = $2",
            )?;
            c.client.execute(
                &stmt,
                &[
                    &row.id,
                    &row.state,
                    &state.as_str(),
                    &resolved,
                    &provider_reference,
                    &now,
                ],
            )?;
            let stmt = c.prepare(&format!(
                "SELECT {ROW_COLUMNS} FROM odeme_payments WHERE id = $1"
            ))?;
            read_row(&c.client.query_one(&stmt, &[&row.id])?)
        })
    }

    fn record_webhook(&self, d: &Delivery<'_>) -> StoreResult<bool> {
        self.with(|c| {
            let insert = c.prepare(
                "INSERT INTO odeme_webhooks (delivery, provider, reference, state, received_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (delivery) DO NOTHING",
            )?;
            let resolve = c.prepare(&format!(
                "UPDATE odeme_payments SET state = $3, resolved = $4, \
                 provider_reference = COALESCE(provider_reference, $5), updated_at = $6 \
                 WHERE provider = $1 AND reference = $2 AND {PENDING}"
            ))?;
            let note = c.prepare(
                "UPDATE odeme_payments SET resolved = $3, updated_at = $4 \
                 WHERE provider = $1 AND reference = $2 AND state = 'done'",
            )?;
            let mut tx = c.client.transaction()?;
            let inserted = tx.execute(
                &insert,
                &[&d.delivery, &d.provider, &d.reference, &d.state, &d.now],
            )?;
            if inserted == 0 {
                return Ok(true);
            }
            if let (Some(reference), Some(new_state)) = (d.reference, d.resolves_to) {
                tx.execute(
                    &resolve,
                    &[
                        &d.provider,
                        &reference,
                        &new_state.as_str(),
                        &d.state,
                        &d.provider_reference,
                        &d.now,
                    ],
                )?;
                tx.execute(&note, &[&d.provider, &reference, &d.state, &d.now])?;
            }
            tx.commit()?;
            Ok(false)
        })
    }

    fn payment_record(
        &self,
        payment_id: &str,
        ops: RefundOps,
    ) -> StoreResult<Option<PaymentRecord>> {
        self.with(|c| {
            let paid = c.prepare(
                "SELECT amount FROM odeme_payments WHERE state = 'done' AND \
                 ((operation = $2 AND provider_reference = $1) OR \
                  (operation = $3 AND reference = $1)) \
                 ORDER BY id LIMIT 1",
            )?;
            let paid: Option<String> = match c.client.query_opt(
                &paid,
                &[
                    &payment_id,
                    &ops.paid_by_provider_reference,
                    &ops.paid_by_reference,
                ],
            )? {
                Some(row) => row.try_get(0)?,
                None => None,
            };
            let Some(paid) = paid else {
                return Ok(None);
            };
            let cancelled = c.prepare(
                "SELECT COUNT(*) FROM odeme_payments WHERE operation = $2 \
                 AND reference = $1 AND state <> 'failed'",
            )?;
            let cancelled: i64 = c
                .client
                .query_one(&cancelled, &[&payment_id, &ops.cancel])?
                .try_get(0)?;
            let refunds = c.prepare(
                "SELECT amount FROM odeme_payments WHERE operation = $2 \
                 AND (reconcile_request::jsonb ->> 'paymentId') = $1 AND state <> 'failed'",
            )?;
            let refunds = c
                .client
                .query(&refunds, &[&payment_id, &ops.refund])?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<Vec<Option<String>>, _>>()?;
            Ok(Some(PaymentRecord {
                paid,
                cancelled: cancelled > 0,
                refunds,
            }))
        })
    }
}
