//! Where the journal suites keep their journals: a fresh SQLite file, or a fresh database on the
//! PostgreSQL server of `scripts/with-postgres` (`ODEME_TEST_PG_URL`), per test.

use std::path::{Path, PathBuf};

use odeme_sim::cards;
use serde_json::{json, Value};

/// The two journal stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// One test's journal.
pub enum Store {
    Sqlite(PathBuf),
    /// A database of its own (`url`), named `name` on the test server.
    Postgres {
        url: String,
        name: String,
    },
}

impl Store {
    /// A new, empty journal for the test `name`.
    pub fn new(kind: Kind, name: &str) -> Store {
        let tag = format!(
            "{}_{}_{}",
            name.replace('-', "_"),
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        match kind {
            Kind::Sqlite => {
                let dir = std::env::temp_dir().join(format!("odeme-journal-{tag}"));
                std::fs::create_dir_all(&dir).unwrap();
                Store::Sqlite(dir.join("odeme.sqlite3"))
            }
            Kind::Postgres => {
                let name = format!("odeme_t_{tag}").to_ascii_lowercase();
                let url = create_database(&name);
                Store::Postgres { url, name }
            }
        }
    }

    /// The client config's `journal` section.
    pub fn config(&self) -> Value {
        match self {
            Store::Sqlite(path) => json!({ "path": path }),
            Store::Postgres { url, .. } => json!({ "url": url }),
        }
    }

    /// The SQLite file (panics for PostgreSQL).
    pub fn path(&self) -> &Path {
        match self {
            Store::Sqlite(path) => path,
            Store::Postgres { .. } => panic!("not an SQLite journal"),
        }
    }

    /// The journal never holds a card number, a key or a secret: for SQLite, the file and its
    /// WAL; for PostgreSQL, a `pg_dump` of the database.
    pub fn assert_card_data_absent(&self) {
        let texts: Vec<(String, String)> = match self {
            Store::Sqlite(path) => {
                let mut files = vec![path.to_owned()];
                for ext in ["sqlite3-wal", "sqlite3-shm"] {
                    files.push(path.with_extension(ext));
                }
                files
                    .into_iter()
                    .filter_map(|f| {
                        let bytes = std::fs::read(&f).ok()?;
                        Some((
                            f.display().to_string(),
                            String::from_utf8_lossy(&bytes).into_owned(),
                        ))
                    })
                    .collect()
            }
            Store::Postgres { url, .. } => {
                let dump = pg_dump(url);
                assert!(dump.contains("odeme_payments"), "{dump}");
                vec![("pg_dump".to_owned(), dump)]
            }
        };
        for (what, text) in texts {
            for needle in [
                cards::SUCCESS,
                cards::INSUFFICIENT_FUNDS,
                "sim-iyzico-secret-key",
                "sim-iyzico-api-key",
                "sim-paymes-secret-key",
                "\"cvc\"",
            ] {
                assert!(!text.contains(needle), "{needle} in {what}");
            }
        }
    }
}

/// The test server's URL (`scripts/with-postgres` exports it).
pub fn pg_admin_url() -> String {
    std::env::var("ODEME_TEST_PG_URL").expect(
        "ODEME_TEST_PG_URL is not set: run the PostgreSQL journal tests under \
         scripts/with-postgres -- cargo test ...",
    )
}

/// `admin` with its database replaced by `db`.
pub fn database_url(admin: &str, db: &str) -> String {
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin, String::new()),
    };
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    format!("{server}/{db}{query}")
}

#[cfg(feature = "journal-postgres")]
fn create_database(name: &str) -> String {
    let admin = pg_admin_url();
    let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    database_url(&admin, name)
}

#[cfg(not(feature = "journal-postgres"))]
fn create_database(_: &str) -> String {
    panic!("this build has no PostgreSQL journal (cargo feature journal-postgres)")
}

/// Run SQL on a test database.
#[cfg(feature = "journal-postgres")]
pub fn pg_execute(url: &str, sql: &str) {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute(sql).unwrap();
}

/// A plain-text dump of a test database (the server's own `pg_dump`).
pub fn pg_dump(url: &str) -> String {
    let bin = std::env::var("ODEME_TEST_PG_BIN")
        .map(|b| format!("{b}/pg_dump"))
        .unwrap_or_else(|_| "pg_dump".to_owned());
    let out = std::process::Command::new(&bin)
        .arg("--no-owner")
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("{bin}: {e}"));
    assert!(
        out.status.success(),
        "{bin}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // pg_dump 15.14 and later fence the dump with a random `\restrict` key: not the data's.
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each test `NAME(kind: Kind)` as `NAME::sqlite`, and `NAME::postgres` when the build has the
/// PostgreSQL journal.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::common::journal::Kind::Sqlite)
                }
                #[cfg(feature = "journal-postgres")]
                #[test]
                fn postgres() {
                    super::$name($crate::common::journal::Kind::Postgres)
                }
            }
        )*
    };
}

/// An iyzico payment request (the card is a simulator card; `first_item` may carry a `sim:`
/// scenario).
pub fn iyzico_payment(conversation_id: &str, card: &str, first_item: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.20",
        "currency": "TRY", "installment": 1, "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": card, "expireMonth": "12", "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000", "email": "email@email.com",
                  "identityNumber": "74300864791", "registrationAddress": "Nidakule Göztepe",
                  "ip": "85.34.78.112", "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe", "zipCode": "34732"},
        "basketItems": [{"id": "BI101", "name": first_item, "category1": "Collectibles", "itemType": "PHYSICAL", "price": "1.0"}]
    })
}
