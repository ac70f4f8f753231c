//! Per-call cost against odeme-sim, for `tests/perf` (B0): the bare-ureq floor and odeme's Rust
//! call, on the same simulator, with the same body and the same signing.
//!
//! Contenders (MODE):
//! - `floor`: a bare ureq 3 agent (keep-alive, no timeouts), the pre-built request body, IYZWSv2
//!   computed per call, the reply read whole (not parsed);
//! - `floor-timeouts`: the same with ureq's `timeout_global` and `timeout_connect` set;
//! - `odeme`: `Client::call_json` (request JSON text in, response JSON text out: validation,
//!   serialisation, signing, deadlines, reply parse, signature check, rendering);
//! - `odeme-journal`: the same with a journal;
//! - `odeme-log-info`, `odeme-log-debug`: `odeme` with its log events (README, "Logs") at that
//!   level, each rendered as JSON text and written to `std::io::sink()` (a logger's least work);
//!   `odeme-log-off`: that sink installed at level `off` (`odeme` itself has none installed).
//! - `odeme-journal-pg`: the same with a PostgreSQL journal at `ODEME_PERF_PG_URL` (for
//!   `tests/perf/fsyncs.py`, which counts the server's syncs).
//!
//! Usage:
//! - `perf_calls BASE_URL CA_FILE serve`: reads `MODE N` lines on stdin and answers each with one
//!   JSON line `{"ns": [...], "cpu_ns": [...]}` (the wall time and the calling thread's CPU time,
//!   `CLOCK_THREAD_CPUTIME_ID`, of each of N calls) or `{"error": "..."}`. A contender is
//!   made, and warmed up with 200 calls, the first time it is asked for. `tests/perf/bench.py`
//!   interleaves short blocks of every contender (Python's included) through this, so all of
//!   them meet the same machine conditions.
//! - `perf_calls BASE_URL CA_FILE CALLS MODE`: one contender alone; prints
//!   `{"mode", "calls", "median_us", "p99_us", "cpu_median_us"}`.
//! - `perf_calls BASE_URL CA_FILE CALLS breakdown`: the no-I/O parts of one odeme call, each
//!   timed alone.

use std::io::BufRead;
use std::time::{Duration, Instant};

use odeme::providers::iyzico::{create_payment_body, CreatePaymentRequest};
use odeme::Client;
use serde_json::{json, Value};

fn request(conversation_id: &str) -> Value {
    json!({
        "locale": "tr", "conversationId": conversation_id, "price": "1.0", "paidPrice": "1.2", "currency": "TRY",
        "installment": "1", "basketId": "B67832", "paymentChannel": "WEB", "paymentGroup": "PRODUCT",
        "paymentCard": {"cardHolderName": "John Doe", "cardNumber": "5528790000000008", "expireMonth": "12",
                        "expireYear": "2030", "cvc": "123", "registerCard": "0"},
        "buyer": {"id": "BY789", "name": "John", "surname": "Doe", "gsmNumber": "+905350000000",
                  "email": "email@email.com", "identityNumber": "74300864791", "lastLoginDate": "2015-10-05 12:43:35",
                  "registrationDate": "2013-04-21 15:12:09",
                  "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "ip": "85.34.78.112",
                  "city": "Istanbul", "country": "Turkey", "zipCode": "34732"},
        "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                            "address": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "zipCode": "34732"},
        "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey",
                           "address": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1", "zipCode": "34732"},
        "basketItems": [
            {"id": "BI101", "name": "Binocular", "category1": "Collectibles", "category2": "Accessories",
             "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "category2": "Online Game Items",
             "itemType": "VIRTUAL", "price": "0.5"},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "category2": "Usb / Cable",
             "itemType": "PHYSICAL", "price": "0.2"}
        ]
    })
}

const API_KEY: &str = "sim-iyzico-api-key";
const SECRET: &str = "sim-iyzico-secret-key";
const PATH: &str = "/payment/auth";
const WARM_UP: usize = 200;

/// The calling thread's CPU time (user and system) in nanoseconds: what the client itself
/// spends on a call, without the simulator's share of the machine or the time spent waiting.
#[cfg(unix)]
fn thread_cpu_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is always supported on
    // Linux and the BSDs.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// No thread CPU clock wired up off unix: `serve` leaves `cpu_ns` out there (the report then
/// has no CPU column), never a made-up figure.
#[cfg(not(unix))]
fn thread_cpu_ns() -> u64 {
    0
}

/// Per-call figures of one block: wall time and thread CPU time, in nanoseconds.
#[derive(Default)]
struct Times {
    wall: Vec<u64>,
    cpu: Vec<u64>,
}

fn floor_agent(ca_pem: &str, timeouts: bool) -> ureq::Agent {
    let certs = ureq::tls::parse_pem(ca_pem.as_bytes())
        .filter_map(|i| match i {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect::<Vec<_>>();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(certs)))
        .build();
    let mut cfg = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls);
    if timeouts {
        cfg = cfg
            .timeout_global(Some(Duration::from_secs(60)))
            .timeout_connect(Some(Duration::from_secs(10)));
    }
    cfg.build().new_agent()
}

/// One contender, ready to make calls.
enum Contender {
    Floor {
        agent: ureq::Agent,
        body: odeme::secret::WipingBuf,
        url: String,
    },
    Odeme {
        client: Box<Client>,
        /// A fresh `conversationId` per call (the journal refuses a reference it has seen).
        next: usize,
    },
}

impl Contender {
    fn new(
        mode: &str,
        base: &str,
        ca_pem: &str,
        journal: &std::path::Path,
    ) -> Result<Contender, String> {
        Ok(match mode {
            "floor" | "floor-timeouts" => {
                let req: CreatePaymentRequest =
                    serde_json::from_value(request("perf-floor")).map_err(|e| e.to_string())?;
                Contender::Floor {
                    agent: floor_agent(ca_pem, mode == "floor-timeouts"),
                    body: create_payment_body(&req).map_err(|e| e.to_string())?,
                    url: format!("{base}{PATH}"),
                }
            }
            "odeme" | "odeme-journal" | "odeme-journal-pg" | "odeme-log-off" | "odeme-log-info"
            | "odeme-log-debug" => {
                let mut cfg = json!({
                    "timeout_ms": 60000, "connect_timeout_ms": 10000, "ca_pem": ca_pem,
                    "iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": base}
                });
                if mode == "odeme-journal" {
                    cfg["journal"] = json!({"path": journal.to_str().unwrap()});
                }
                if mode == "odeme-journal-pg" {
                    let url = std::env::var("ODEME_PERF_PG_URL")
                        .map_err(|_| "odeme-journal-pg needs ODEME_PERF_PG_URL".to_string())?;
                    cfg["journal"] = json!({ "url": url });
                }
                let client = Client::from_json(&cfg.to_string()).map_err(|e| e.to_string())?;
                let level = match mode {
                    "odeme-log-off" => Some(odeme::LogLevel::Off),
                    "odeme-log-info" => Some(odeme::LogLevel::Info),
                    "odeme-log-debug" => Some(odeme::LogLevel::Debug),
                    _ => None,
                };
                if let Some(level) = level {
                    client
                        .set_log(
                            level,
                            Some(std::sync::Arc::new(|e: &odeme::LogEvent| {
                                use std::io::Write;
                                let _ = writeln!(std::io::sink(), "{}", e.to_json());
                            })),
                        )
                        .map_err(|e| e.to_string())?;
                }
                Contender::Odeme {
                    client: Box::new(client),
                    next: 0,
                }
            }
            other => return Err(format!("unknown mode {other}")),
        })
    }

    /// The wall and CPU time of each of `calls` calls, in nanoseconds. Request texts are made
    /// before the clocks start, as a caller's would be.
    fn run(&mut self, calls: usize) -> Result<Times, String> {
        let mut ns = Times {
            wall: Vec::with_capacity(calls),
            cpu: Vec::with_capacity(calls),
        };
        match self {
            Contender::Floor { agent, body, url } => {
                for _ in 0..calls {
                    let cpu = thread_cpu_ns();
                    let started = Instant::now();
                    let bytes = floor_call(agent, &body[..], url.as_str())?;
                    ns.wall.push(started.elapsed().as_nanos() as u64);
                    ns.cpu.push(thread_cpu_ns() - cpu);
                    if !bytes.starts_with(b"{\"status\":\"success\"") {
                        return Err("the floor's reply is not a success".into());
                    }
                }
            }
            Contender::Odeme { client, next } => {
                let texts: Vec<String> = (0..calls)
                    .map(|i| {
                        request(&format!("perf-{}-{}", std::process::id(), *next + i)).to_string()
                    })
                    .collect();
                *next += calls;
                for text in &texts {
                    let cpu = thread_cpu_ns();
                    let started = Instant::now();
                    let out = odeme_call(client, text)?;
                    ns.wall.push(started.elapsed().as_nanos() as u64);
                    ns.cpu.push(thread_cpu_ns() - cpu);
                    std::hint::black_box(out);
                }
            }
        }
        Ok(ns)
    }
}

/// One call of the floor: the timed work alone, in a function of its own so that a profiler
/// can count it alone (`valgrind --tool=callgrind --toggle-collect=perf_calls::floor_call`).
#[inline(never)]
fn floor_call(agent: &ureq::Agent, body: &[u8], url: &str) -> Result<Vec<u8>, String> {
    let rnd = odeme::sign::iyzico_random_key();
    let auth = odeme::sign::iyzico_auth_header(API_KEY, SECRET, &rnd, PATH, body);
    let mut reply = agent
        .post(url)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Authorization", auth)
        .header("x-iyzi-rnd", rnd)
        .send(body)
        .map_err(|e| e.to_string())?;
    reply.body_mut().read_to_vec().map_err(|e| e.to_string())
}

/// One odeme call, timed work alone (see [`floor_call`]; `--toggle-collect=perf_calls::odeme_call`).
#[inline(never)]
fn odeme_call(client: &Client, text: &str) -> Result<String, String> {
    client
        .call_json("iyzico.create_payment", text)
        .map_err(|e| e.to_string())
}

/// Contenders by mode, each made and warmed up on first use.
struct Contenders<'a> {
    base: &'a str,
    ca_pem: &'a str,
    journal: std::path::PathBuf,
    made: Vec<(String, Contender)>,
}

impl Contenders<'_> {
    fn run(&mut self, mode: &str, calls: usize) -> Result<Times, String> {
        if !self.made.iter().any(|(m, _)| m == mode) {
            let mut c = Contender::new(mode, self.base, self.ca_pem, &self.journal)?;
            c.run(WARM_UP)?;
            self.made.push((mode.to_owned(), c));
        }
        let (_, c) = self.made.iter_mut().find(|(m, _)| m == mode).unwrap();
        c.run(calls)
    }
}

impl Drop for Contenders<'_> {
    fn drop(&mut self) {
        self.made.clear();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.journal.display()));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: perf_calls BASE_URL CA_FILE serve | perf_calls BASE_URL CA_FILE CALLS MODE|breakdown";
    let (base, ca_file) = match args.as_slice() {
        [_, base, ca_file, ..] => (base.as_str(), ca_file.as_str()),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let ca_pem = std::fs::read_to_string(ca_file).expect("CA_FILE");
    let mut contenders = Contenders {
        base,
        ca_pem: &ca_pem,
        journal: std::env::temp_dir().join(format!("odeme-perf-{}.sqlite3", std::process::id())),
        made: Vec::new(),
    };
    match &args[3..] {
        [serve] if serve == "serve" => {
            let stdout = std::io::stdout();
            for line in std::io::stdin().lock().lines() {
                let line = line.expect("stdin");
                let reply = match line
                    .split_once(' ')
                    .map(|(m, n)| (m, n.trim().parse::<usize>()))
                {
                    Some((mode, Ok(calls))) => match contenders.run(mode, calls) {
                        Ok(t) if cfg!(unix) => json!({ "ns": t.wall, "cpu_ns": t.cpu }),
                        Ok(t) => json!({ "ns": t.wall }),
                        Err(e) => json!({ "error": e }),
                    },
                    _ => json!({"error": format!("expected MODE N, got {line:?}")}),
                };
                use std::io::Write;
                let mut out = stdout.lock();
                writeln!(out, "{reply}").expect("stdout");
                out.flush().expect("stdout");
            }
        }
        [calls, mode] if mode == "breakdown" => {
            let calls: usize = calls.parse().expect("CALLS");
            breakdown(base, &ca_pem, calls);
        }
        [calls, mode] => {
            let calls: usize = calls.parse().expect("CALLS");
            let Times {
                wall: mut ns,
                mut cpu,
            } = contenders.run(mode, calls).unwrap_or_else(|e| {
                eprintln!("{e}");
                std::process::exit(1);
            });
            ns.sort_unstable();
            cpu.sort_unstable();
            let us = |n: u64| (n as f64 / 100.0).round() / 10.0;
            let median = us(ns[ns.len() / 2]);
            let p99 = us(ns[(ns.len() * 99 / 100).min(ns.len() - 1)]);
            let cpu_median = cfg!(unix).then(|| us(cpu[cpu.len() / 2]));
            println!(
                "{}",
                json!({"mode": mode, "calls": calls, "median_us": median, "p99_us": p99, "cpu_median_us": cpu_median})
            );
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}

/// The no-I/O parts of one odeme call, each timed alone over `calls` iterations (a profile in
/// numbers; not part of the report's ratios).
fn breakdown(base: &str, ca_pem: &str, calls: usize) {
    let agent = floor_agent(ca_pem, false);
    let req: CreatePaymentRequest =
        serde_json::from_value(request("perf-breakdown")).expect("request");
    let body = create_payment_body(&req).expect("body");
    let rnd = odeme::sign::iyzico_random_key();
    let auth = odeme::sign::iyzico_auth_header(API_KEY, SECRET, &rnd, PATH, &body);
    let reply = agent
        .post(format!("{base}{PATH}"))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Authorization", auth)
        .header("x-iyzi-rnd", rnd)
        .send(&body[..])
        .expect("call")
        .body_mut()
        .read_to_vec()
        .expect("body");
    let text = request("perf-breakdown").to_string();
    let value: Value = serde_json::from_str(&text).unwrap();
    let client = Client::from_json(
        &json!({"iyzico": {"api_key": API_KEY, "secret_key": SECRET, "base_url": "https://x"}})
            .to_string(),
    )
    .unwrap();
    let response = client
        .interpret_reply("iyzico.create_payment", value.clone(), 200, reply.clone())
        .unwrap();
    let time = |name: &str, f: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..calls {
            f();
        }
        let us = started.elapsed().as_secs_f64() * 1e6 / calls as f64;
        println!(
            "{}",
            json!({"part": name, "us_per_call": (us * 100.0).round() / 100.0})
        );
    };
    time("request text: JSON check (no tree)", &mut || {
        std::hint::black_box(serde_json::from_str::<serde::de::IgnoredAny>(&text).unwrap());
    });
    time(
        "request text -> typed request, strings borrowed (call_json's way)",
        &mut || {
            std::hint::black_box(
                serde_json::from_str::<CreatePaymentRequest<odeme::json::Str>>(&text).unwrap(),
            );
        },
    );
    time(
        "(before: request text -> typed request, strings owned)",
        &mut || {
            std::hint::black_box(
                odeme::validate::parse_request::<CreatePaymentRequest>(
                    odeme::validate::Input::Text(&text),
                )
                .unwrap(),
            );
        },
    );
    time("(before: request text -> Value)", &mut || {
        std::hint::black_box(serde_json::from_str::<Value>(&text).unwrap());
    });
    time("typed request -> wire body", &mut || {
        std::hint::black_box(create_payment_body(&req).unwrap());
    });
    time("IYZWSv2 header", &mut || {
        let rnd = odeme::sign::iyzico_random_key();
        std::hint::black_box(odeme::sign::iyzico_auth_header(
            API_KEY, SECRET, &rnd, PATH, &body,
        ));
    });
    time("(before: reply bytes -> Value)", &mut || {
        std::hint::black_box(serde_json::from_slice::<Value>(&reply).unwrap());
    });
    time("reply -> response (interpret_reply)", &mut || {
        std::hint::black_box(
            client
                .interpret_reply("iyzico.create_payment", Value::Null, 200, reply.clone())
                .unwrap(),
        );
    });
    time("response -> JSON text", &mut || {
        std::hint::black_box(serde_json::to_string(&response).unwrap());
    });
}
