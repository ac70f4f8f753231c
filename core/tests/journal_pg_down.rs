//! The journal on a PostgreSQL server that stops: a payment call fails before any I/O
//! (`transport`, retry-safe, naming the journal), and succeeds once the server is back.
//!
//! A test binary of its own, with one test: it stops the server of `scripts/with-postgres`
//! (`ODEME_TEST_PG_CTL`), which no other test may be using meanwhile (cargo runs test binaries
//! one after another).
#![cfg(feature = "journal-postgres")]

use odeme::{Client, ErrorKind};
use odeme_sim::{cards, Sim};

mod common;
use common::journal::{iyzico_payment, Kind, Store};

fn pg_ctl(action: &str) {
    let ctl = std::env::var("ODEME_TEST_PG_CTL")
        .expect("ODEME_TEST_PG_CTL is not set: run under scripts/with-postgres -- cargo test ...");
    let status = std::process::Command::new(&ctl)
        .arg(action)
        .status()
        .unwrap();
    assert!(status.success(), "{ctl} {action}");
}

/// Starts the server again if the test fails while it is stopped.
struct StartOnDrop(bool);

impl Drop for StartOnDrop {
    fn drop(&mut self) {
        if self.0 {
            pg_ctl("start");
        }
    }
}

#[test]
fn a_stopped_server_fails_the_call_before_any_io_then_it_succeeds() {
    let sim = Sim::start_http().unwrap();
    let store = Store::new(Kind::Postgres, "down");
    let mut cfg = sim.client_config();
    cfg["journal"] = store.config();
    let c = Client::from_json(&cfg.to_string()).unwrap();
    let first = common::unique("down");
    let second = common::unique("down");
    let pay = |reference: &str| {
        c.call(
            "iyzico.create_payment",
            iyzico_payment(reference, cards::SUCCESS, "Binocular"),
        )
    };
    // The client's connection is open and in use.
    pay(&first).unwrap();

    pg_ctl("stop");
    let mut restart = StartOnDrop(true);
    let before = sim.requests().len();
    // Twice: once on the connection the server closed, once with no server to connect to.
    for _ in 0..2 {
        let e = pay(&second).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
        assert!(e.retry_safe(), "{e}");
        assert!(
            e.message().contains("journal postgres://odeme@127.0.0.1:"),
            "{e}"
        );
        assert!(e.message().contains("nothing was sent"), "{e}");
        assert_eq!(
            sim.requests().len(),
            before,
            "nothing reached the simulator"
        );
    }
    assert_eq!(
        c.pending().unwrap_err().kind(),
        ErrorKind::Transport,
        "no degraded answer"
    );

    pg_ctl("start");
    restart.0 = false;
    let r = pay(&second).unwrap();
    assert!(r.provider_reference.is_some());
    assert_eq!(sim.count("iyzico.create_payment", &second), 1);
    let rows = c.journal().unwrap().rows().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.state == "done"), "{rows:?}");
}
