//! The journal in an SQLite file (the bundled library): WAL, `synchronous=FULL` (the outcome's
//! commit alone runs with `NORMAL`: one sync per call, see its `record_outcome`), a busy
//! timeout and short `BEGIN IMMEDIATE` transactions, so several processes on one host can share
//! it.
//!
//! The schema is versioned with `PRAGMA user_version`; [`MIGRATIONS`] takes any older journal
//! to [`SCHEMA_VERSION`].

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{
    refuse_newer, CallOutcome, Delivery, Inserted, NewRow, PaymentRecord, RefundOps, Row, RowState,
    Store, StoreResult, ROW_COLUMNS,
};
use crate::error::Error;

/// The schema this odeme writes.
pub const SCHEMA_VERSION: i64 = 2;

/// `MIGRATIONS[n]` takes a journal from version `n` to `n + 1`. Append only.
pub const MIGRATIONS: &[&str] = &[
    "
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
",
    // A reconciling worker's claim on a row (Unix milliseconds until which it holds it).
    "
    ALTER TABLE payments ADD COLUMN claimed_until INTEGER;
",
];

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

fn text(e: rusqlite::Error) -> String {
    e.to_string()
}

fn unix_ms(after: Duration) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from((now + after).as_millis()).unwrap_or(i64::MAX)
}

/// One SQLite connection per client, used under a mutex for short transactions only (never
/// across network I/O).
pub(crate) struct Sqlite {
    conn: Mutex<Connection>,
}

impl Sqlite {
    /// Open (creating or migrating) the journal at `path`.
    pub(crate) fn open(path: &Path, busy: Duration) -> Result<Sqlite, Error> {
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            Error::config_field("journal.path", format!("{}: {what}: {e}", path.display()))
        };
        if path.as_os_str().is_empty() {
            return Err(Error::config_field("journal.path", "must not be empty"));
        }
        let conn = Connection::open(path).map_err(|e| bad("cannot open the journal", &e))?;
        conn.busy_timeout(busy)
            .map_err(|e| bad("cannot set the busy timeout", &e))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| bad("not a journal (not an SQLite database?)", &e))?;
        refuse_newer(version, SCHEMA_VERSION, "file")
            .map_err(|m| Error::config_field("journal.path", m))?;
        // Switching a new file to WAL takes an exclusive lock, and SQLite answers BUSY at once
        // (without its busy handler) while another process holds the file: retry until the
        // busy timeout. Once switched, the mode is stored in the file.
        let deadline = std::time::Instant::now() + busy;
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
        let mut journal = Sqlite {
            conn: Mutex::new(conn),
        };
        journal.migrate(path)?;
        Ok(journal)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Bring the schema to [`SCHEMA_VERSION`] in one transaction (another process may be doing
    /// the same: the version is read again under the write lock).
    fn migrate(&mut self, path: &Path) -> Result<(), Error> {
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
        refuse_newer(version, SCHEMA_VERSION, "file")
            .map_err(|m| Error::config_field("journal.path", m))?;
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

    /// The outcome's `UPDATE` (one autocommit statement).
    fn update_outcome(conn: &Connection, id: i64, o: &CallOutcome<'_>) -> StoreResult<()> {
        conn.prepare_cached(
            "UPDATE payments SET state = ?2, provider_reference = COALESCE(?3, provider_reference), \
             reference = COALESCE(reference, ?5), \
             reconcile_request = COALESCE(reconcile_request, ?6), updated_at = ?4 \
             WHERE id = ?1 AND state != 'done'",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                id,
                o.state.as_str(),
                o.provider_reference,
                o.now,
                o.generated_reference,
                o.reconcile_request
            ])
        })
        .map_err(text)?;
        Ok(())
    }

    fn select(&self, filter: &str, params: impl rusqlite::Params) -> StoreResult<Vec<Row>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM payments {filter} ORDER BY id"
            ))
            .map_err(text)?;
        let rows = stmt
            .query_map(params, read_row)
            .map_err(text)?
            .collect::<rusqlite::Result<Vec<Row>>>()
            .map_err(text)?;
        Ok(rows)
    }
}

impl Store for Sqlite {
    fn insert_intent(&self, i: &NewRow<'_>) -> StoreResult<Inserted> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(text)?;
        if let Some(reference) = i.reference {
            let existing: Option<(i64, String)> = tx
                .prepare_cached(
                    "SELECT id, state FROM payments WHERE operation = ?1 AND reference = ?2 \
                     AND state != 'failed' ORDER BY id LIMIT 1",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![i.operation, reference], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()
                })
                .map_err(text)?;
            if let Some((id, state)) = existing {
                return Ok(Inserted::Existing { id, state });
            }
        }
        tx.prepare_cached(
            "INSERT INTO payments (operation, provider, reference, amount, currency, state, \
             reconcile_request, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'sending', ?6, ?7, ?7)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                i.operation,
                i.provider,
                i.reference,
                i.amount,
                i.currency,
                i.reconcile_request,
                i.now
            ])
        })
        .map_err(text)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(text)?;
        Ok(Inserted::Row(id))
    }

    /// The outcome is committed without a sync of its own (`synchronous=NORMAL` for this one
    /// autocommit statement; the connection is back at `FULL` before the lock is released).
    /// In WAL mode SQLite documents NORMAL as consistent but not durable across a power loss:
    /// the commit is in the WAL (so a killed process loses nothing), and it reaches the disk
    /// with the next `FULL` commit's sync of the WAL (which covers every earlier frame) or the
    /// next checkpoint. A power loss before that leaves the row `sending`, exactly as a crash
    /// between the send and this commit does, and `reconcile()` resolves it. The intent, which
    /// must be durable before the socket is touched, keeps its `FULL` commit.
    fn record_outcome(&self, id: i64, o: &CallOutcome<'_>) -> StoreResult<()> {
        let conn = self.lock();
        // `PRAGMA synchronous` cannot change inside a transaction; none is open here.
        conn.execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(text)?;
        let updated = Self::update_outcome(&conn, id, o);
        // Back to FULL whatever the update did: every other write commits with a sync.
        conn.execute_batch("PRAGMA synchronous = FULL")
            .map_err(text)?;
        updated
    }

    fn pending(&self) -> StoreResult<Vec<Row>> {
        self.select(
            "WHERE state IN ('sending', 'outcome_unknown', 'needs_manual_check')",
            [],
        )
    }

    fn rows(&self) -> StoreResult<Vec<Row>> {
        self.select("", [])
    }

    fn by_reference(&self, reference: &str) -> StoreResult<Vec<Row>> {
        self.select(
            "WHERE reference = ?1 OR provider_reference = ?1",
            [reference],
        )
    }

    fn claim(&self, row: &Row, lease: Duration) -> StoreResult<bool> {
        let conn = self.lock();
        let n = conn
            .prepare_cached(
                "UPDATE payments SET claimed_until = ?3 WHERE id = ?1 AND state = ?2 \
                 AND (claimed_until IS NULL OR claimed_until < ?4)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    row.id,
                    row.state,
                    unix_ms(lease),
                    unix_ms(Duration::ZERO)
                ])
            })
            .map_err(text)?;
        Ok(n == 1)
    }

    fn release(&self, id: i64) -> StoreResult<()> {
        let conn = self.lock();
        conn.execute(
            "UPDATE payments SET claimed_until = NULL WHERE id = ?1",
            [id],
        )
        .map_err(text)?;
        Ok(())
    }

    fn resolve(
        &self,
        row: &Row,
        state: RowState,
        resolved: Option<&str>,
        provider_reference: Option<&str>,
        now: &str,
    ) -> StoreResult<Row> {
        let conn = self.lock();
        conn.execute(
            "UPDATE payments SET state = ?3, resolved = COALESCE(?4, resolved), \
             provider_reference = COALESCE(?5, provider_reference), updated_at = ?6, \
             claimed_until = NULL WHERE id = ?1 AND state = ?2",
            params![
                row.id,
                row.state,
                state.as_str(),
                resolved,
                provider_reference,
                now
            ],
        )
        .map_err(text)?;
        conn.query_row(
            &format!("SELECT {ROW_COLUMNS} FROM payments WHERE id = ?1"),
            [row.id],
            read_row,
        )
        .map_err(text)
    }

    fn record_webhook(&self, d: &Delivery<'_>) -> StoreResult<bool> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(text)?;
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO webhooks (delivery, provider, reference, state, received_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![d.delivery, d.provider, d.reference, d.state, d.now],
            )
            .map_err(text)?;
        if inserted == 0 {
            return Ok(true);
        }
        if let (Some(reference), Some(new_state)) = (d.reference, d.resolves_to) {
            tx.execute(
                "UPDATE payments SET state = ?3, resolved = ?4, \
                 provider_reference = COALESCE(provider_reference, ?5), updated_at = ?6 \
                 WHERE provider = ?1 AND reference = ?2 \
                 AND state IN ('sending', 'outcome_unknown', 'needs_manual_check')",
                params![
                    d.provider,
                    reference,
                    new_state.as_str(),
                    d.state,
                    d.provider_reference,
                    d.now
                ],
            )
            .map_err(text)?;
            tx.execute(
                "UPDATE payments SET resolved = ?3, updated_at = ?4 \
                 WHERE provider = ?1 AND reference = ?2 AND state = 'done'",
                params![d.provider, reference, d.state, d.now],
            )
            .map_err(text)?;
        }
        tx.commit().map_err(text)?;
        Ok(false)
    }

    fn payment_record(
        &self,
        payment_id: &str,
        ops: RefundOps,
    ) -> StoreResult<Option<PaymentRecord>> {
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
            .map_err(text)?;
        let Some(paid) = paid.flatten() else {
            return Ok(None);
        };
        let cancelled: i64 = conn
            .prepare_cached(
                "SELECT COUNT(*) FROM payments WHERE operation = ?2 \
                 AND reference = ?1 AND state != 'failed'",
            )
            .and_then(|mut st| st.query_row(params![payment_id, ops.cancel], |r| r.get(0)))
            .map_err(text)?;
        let refunds: Vec<Option<String>> = conn
            .prepare_cached(
                "SELECT amount FROM payments WHERE operation = ?2 \
                 AND json_extract(reconcile_request, '$.paymentId') = ?1 AND state != 'failed'",
            )
            .and_then(|mut st| {
                st.query_map(params![payment_id, ops.refund], |r| r.get(0))
                    .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            })
            .map_err(text)?;
        Ok(Some(PaymentRecord {
            paid,
            cancelled: cancelled > 0,
            refunds,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use std::path::PathBuf;

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

    fn open(path: &Path) -> Result<Sqlite, Error> {
        Sqlite::open(path, Duration::from_secs(5))
    }

    #[test]
    fn creates_wal_full_and_versioned() {
        let path = temp("fresh");
        let j = open(&path).unwrap();
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
        open(&path).unwrap();
    }

    #[test]
    fn the_outcome_is_recorded_and_the_connection_is_back_at_full() {
        let path = temp("outcome-sync");
        let j = open(&path).unwrap();
        let Inserted::Row(id) = j
            .insert_intent(&NewRow {
                operation: "iyzico.create_payment",
                provider: "iyzico",
                reference: Some("r-sync"),
                amount: Some("1.0"),
                currency: Some("TRY"),
                reconcile_request: None,
                now: "t0",
            })
            .unwrap()
        else {
            panic!("a fresh reference is inserted");
        };
        j.record_outcome(
            id,
            &CallOutcome {
                state: RowState::Done,
                provider_reference: Some("p-1"),
                generated_reference: None,
                reconcile_request: None,
                now: "t1",
            },
        )
        .unwrap();
        // The next intent (and every other write) commits with a sync again.
        let sync: i64 = j
            .lock()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        // The outcome is committed: another connection sees it.
        let other = Connection::open(&path).unwrap();
        let (state, reference): (String, String) = other
            .query_row(
                "SELECT state, provider_reference FROM payments WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((state.as_str(), reference.as_str()), ("done", "p-1"));
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
        let e = open(&path).err().unwrap();
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
        let j = open(&path).unwrap();
        assert!(j.pending().unwrap().is_empty());
        let v: i64 = j
            .lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn a_version_1_journal_keeps_its_rows_and_gains_claims() {
        let path = temp("v1");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(MIGRATIONS[0]).unwrap();
            c.execute_batch(
                "INSERT INTO payments (operation, provider, reference, state, created_at, updated_at) \
                 VALUES ('iyzico.create_payment', 'iyzico', 'r1', 'sending', 'x', 'x'); \
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let j = open(&path).unwrap();
        let rows = j.pending().unwrap();
        assert_eq!(rows.len(), 1);
        assert!(j.claim(&rows[0], Duration::from_secs(60)).unwrap());
        assert!(!j.claim(&rows[0], Duration::from_secs(60)).unwrap(), "held");
        j.release(rows[0].id).unwrap();
        assert!(j.claim(&rows[0], Duration::from_secs(60)).unwrap());
    }

    #[test]
    fn not_a_database_is_a_config_error() {
        let path = temp("garbage");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let e = open(&path).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("journal.path"));
    }
}
