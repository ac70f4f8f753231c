//! HTTP plumbing, the top layer: the accept loop, the state of every provider, routing (each
//! provider exports its route table), the request log, the control endpoints and the fault
//! scenarios.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use crate::wire::{dispatch, Answer, Ctx, Incoming, Scenario};
use crate::{esnekpos, iyzico, paymago, paymes, paytr, Options};

/// Largest request body the simulator reads.
const MAX_REQUEST: usize = 1024 * 1024;

/// One request as the simulator logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub operation: Option<String>,
    pub order_ref: Option<String>,
    pub scenario: Option<String>,
    pub http_status: Option<u16>,
}

impl LogEntry {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "method": self.method, "path": self.path, "operation": self.operation,
            "order_ref": self.order_ref, "scenario": self.scenario, "http_status": self.http_status,
        })
    }
}

/// What each provider remembers, each behind its own lock (a handler only sees its own).
#[derive(Default)]
pub(crate) struct Providers {
    pub iyzico: Mutex<iyzico::Store>,
    pub paymes: Mutex<paymes::Store>,
    pub paymago: Mutex<paymago::Store>,
    pub esnekpos: Mutex<esnekpos::Store>,
    pub paytr: Mutex<paytr::Store>,
}

pub(crate) struct Shared {
    pub providers: Providers,
    pub log: Mutex<Vec<LogEntry>>,
    /// Requests answered 503 once already (the `sim:flaky` query marker).
    pub flaky_seen: Mutex<HashSet<String>>,
    pub base_url: String,
    pub options: Options,
    pub connections: AtomicU64,
    pub tls_handshakes: AtomicU64,
    /// `true` once the simulator is told to stop; every waiter sees it (a `watch`, not a
    /// one-shot notification that only one task would receive).
    pub shutdown: tokio::sync::watch::Sender<bool>,
    pub next_id: AtomicU64,
}

impl Shared {
    pub(crate) fn new(base_url: String, options: Options) -> Shared {
        Shared {
            providers: Providers::default(),
            log: Mutex::new(Vec::new()),
            flaky_seen: Mutex::new(HashSet::new()),
            base_url,
            options,
            connections: AtomicU64::new(0),
            tls_handshakes: AtomicU64::new(0),
            shutdown: tokio::sync::watch::Sender::new(false),
            next_id: AtomicU64::new(1),
        }
    }
    /// A handler's handle on one provider's state.
    pub(crate) fn ctx<'a, S>(&'a self, store: &'a Mutex<S>) -> Ctx<'a, S> {
        Ctx::new(&self.base_url, &self.next_id, store)
    }
    /// The request log. A panicking handler must not take the simulator down with a poisoned
    /// lock.
    pub(crate) fn log(&self) -> MutexGuard<'_, Vec<LogEntry>> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn lock_flaky(&self) -> MutexGuard<'_, HashSet<String>> {
        self.flaky_seen.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub(crate) fn stop(&self) {
        self.shutdown.send_replace(true);
    }
    /// Resolves once the simulator is told to stop (at once if it already was).
    pub(crate) async fn stopped(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// A response body that may be cut off on purpose.
pub(crate) enum SimBody {
    Full(Option<Bytes>),
    /// Announces `promised` bytes, sends the chunk, then fails (the connection is closed).
    Truncated {
        chunk: Option<Bytes>,
        promised: u64,
    },
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match &mut *self {
            SimBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            SimBody::Truncated { chunk, .. } => match chunk.take() {
                Some(b) => Poll::Ready(Some(Ok(Frame::data(b)))),
                None => Poll::Ready(Some(Err(std::io::Error::other("truncated on purpose")))),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, SimBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            SimBody::Full(Some(b)) => SizeHint::with_exact(b.len() as u64),
            SimBody::Full(None) => SizeHint::with_exact(0),
            SimBody::Truncated { promised, .. } => SizeHint::with_exact(*promised),
        }
    }
}

type Reply = Result<Response<SimBody>, std::io::Error>;

fn respond(status: u16, content_type: &str, body: Bytes) -> Response<SimBody> {
    let mut r = Response::new(SimBody::Full(Some(body)));
    *r.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r
}

fn json_response(status: u16, body: &Value) -> Response<SimBody> {
    respond(
        status,
        "application/json; charset=utf-8",
        Bytes::from(body.to_string()),
    )
}

/// Accept connections until told to stop; then let every connection finish the request it is
/// answering (a delayed reply is cut off, never turned into a normal one) and close.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shared.stopped() => break,
        };
        // Reap finished connection tasks so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        shared.connections.fetch_add(1, Ordering::Relaxed);
        let shared = shared.clone();
        let acceptor = acceptor.clone();
        connections.spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    let tls = tokio::select! {
                        tls = acceptor.accept(stream) => tls,
                        _ = shared.stopped() => return,
                    };
                    let Ok(tls) = tls else { return };
                    shared.tls_handshakes.fetch_add(1, Ordering::Relaxed);
                    serve_connection(TokioIo::new(tls), shared).await;
                }
                None => serve_connection(TokioIo::new(stream), shared).await,
            }
        });
    }
    drop(listener);
    // Every in-flight request ends promptly once stopped (delays are cut off); the cap only
    // guards against a peer that never reads.
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

async fn serve_connection<I>(io: I, shared: Arc<Shared>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
{
    let svc_shared = shared.clone();
    let service = service_fn(move |req| handle(svc_shared.clone(), req));
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = shared.stopped() => {}
    }
    // Finish the response being written (for example the answer to `POST /__sim/shutdown`),
    // then close instead of waiting for another request.
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

async fn handle(shared: Arc<Shared>, req: Request<hyper::body::Incoming>) -> Reply {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let limited = http_body_util::Limited::new(body, MAX_REQUEST);
    let body = match limited.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            return Ok(json_response(
                413,
                &json!({"error": "request body too large"}),
            ))
        }
    };
    let incoming = Incoming {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts.headers,
        body,
    };
    if let Some(reply) = flaky(&shared, &incoming) {
        return Ok(reply);
    }
    let answer = route(&shared, &incoming);
    let Some(answer) = answer else {
        // Control endpoints and unknown paths: answered directly, logged without an operation.
        return Ok(control(&shared, &incoming, started));
    };
    let log_index = {
        let mut log = shared.log();
        log.push(LogEntry {
            method: incoming.method.clone(),
            path: incoming.path.clone(),
            operation: Some(answer.operation.to_owned()),
            order_ref: answer.order_ref.clone(),
            scenario: answer.scenario.map(|s| s.name().to_owned()),
            http_status: None,
        });
        log.len() - 1
    };
    let result = apply(&shared, answer, &incoming).await;
    let status = result.as_ref().ok().map(|r| r.status().as_u16());
    if let Some(e) = shared.log().get_mut(log_index) {
        e.http_status = status;
    }
    if shared.options.log_requests {
        if let Some(e) = shared.log().get(log_index) {
            eprintln!(
                "odeme-sim: {} {} {} ref={} scenario={} -> {} ({:.1} ms)",
                e.method,
                e.path,
                e.operation.as_deref().unwrap_or("-"),
                e.order_ref.as_deref().unwrap_or("-"),
                e.scenario.as_deref().unwrap_or("-"),
                status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "dropped".into()),
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    result
}

/// A request whose query string holds `sim:flaky` (a read such as
/// `GET /v2/reporting/payment/details?paymentConversationId=sim:flaky-1`) is answered
/// `503 Service Unavailable` (an HTML body, as a gateway writes it) the first time the simulator
/// sees that method, path and query; the same request again gets its normal answer. For the
/// retries of read-only calls (and their log of each attempt).
fn flaky(shared: &Shared, req: &Incoming) -> Option<Response<SimBody>> {
    let query: String = form_urlencoded::parse(req.query.as_bytes())
        .map(|(_, v)| v.into_owned())
        .collect();
    if !query.contains("sim:flaky") {
        return None;
    }
    let key = format!("{} {}?{}", req.method, req.path, req.query);
    if !shared.lock_flaky().insert(key) {
        return None;
    }
    if shared.options.log_requests {
        eprintln!("odeme-sim: {} {} flaky -> 503", req.method, req.path);
    }
    Some(respond(
        503,
        "text/html; charset=utf-8",
        Bytes::from_static(
            b"<html><body><h1>503 Service Unavailable</h1><p>try again</p></body></html>",
        ),
    ))
}

/// The provider whose route table takes `req` answers it.
fn route(shared: &Shared, req: &Incoming) -> Option<Answer> {
    let p = &shared.providers;
    dispatch(&shared.ctx(&p.iyzico), iyzico::ROUTES, req)
        .or_else(|| dispatch(&shared.ctx(&p.paymes), paymes::ROUTES, req))
        .or_else(|| dispatch(&shared.ctx(&p.paymago), paymago::ROUTES, req))
        .or_else(|| dispatch(&shared.ctx(&p.esnekpos), esnekpos::ROUTES, req))
        .or_else(|| dispatch(&shared.ctx(&p.paytr), paytr::ROUTES, req))
}

/// `(status, body)` for `GET /__sim/webhook/PROVIDER/ID`: the exact webhook delivery the
/// provider would POST for a payment or order, as `{"headers": {...}, "body": "..."}` (see each
/// provider's `webhook`). An order not yet paid is first completed as the payer would.
pub(crate) fn webhook(shared: &Shared, rest: &str) -> (u16, Value) {
    let (provider, id) = rest.split_once('/').unwrap_or((rest, ""));
    if id.is_empty() {
        return (404, json!({"error": "use /__sim/webhook/PROVIDER/ID"}));
    }
    let p = &shared.providers;
    let found = match provider {
        "iyzico" => iyzico::webhook(&shared.ctx(&p.iyzico), id),
        "paymes" => Ok(paymes::webhook(&shared.ctx(&p.paymes), id)),
        "paytr" => Ok(paytr::webhook(&shared.ctx(&p.paytr), id)),
        _ => {
            return (
                404,
                json!({"error": "no webhooks for this provider in odeme-sim"}),
            )
        }
    };
    match found {
        Ok(Some(v)) => (200, v),
        Ok(None) => (404, json!({"error": "no such payment or order", "id": id})),
        Err(e) => (404, e),
    }
}

fn control(shared: &Shared, req: &Incoming, started: Instant) -> Response<SimBody> {
    let response = match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__sim/requests") => {
            let log: Vec<Value> = shared.log().iter().map(LogEntry::to_json).collect();
            json_response(200, &Value::Array(log))
        }
        ("GET", "/__sim/stats") => json_response(
            200,
            &json!({
                "connections": shared.connections.load(Ordering::Relaxed),
                "tls_handshakes": shared.tls_handshakes.load(Ordering::Relaxed),
                "requests": shared.log().len(),
            }),
        ),
        ("GET", p) if p.starts_with("/__sim/webhook/") => {
            let (status, body) = webhook(shared, &p["/__sim/webhook/".len()..]);
            json_response(status, &body)
        }
        ("POST", "/__sim/shutdown") => {
            shared.stop();
            json_response(200, &json!({"stopping": true}))
        }
        _ => json_response(
            404,
            &json!({"error": "no such endpoint in odeme-sim", "path": req.path}),
        ),
    };
    if shared.options.log_requests {
        eprintln!(
            "odeme-sim: {} {} -> {} ({:.1} ms)",
            req.method,
            req.path,
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    response
}

/// Turn an answer into a response, applying its fault.
async fn apply(shared: &Shared, answer: Answer, req: &Incoming) -> Reply {
    let normal = || match (&answer.body, answer.html) {
        (Value::String(html), true) => respond(
            answer.status,
            "text/html; charset=utf-8",
            Bytes::from(html.clone()),
        ),
        _ => json_response(answer.status, &answer.body),
    };
    let Some(scenario) = answer.scenario else {
        return Ok(normal());
    };
    match scenario {
        Scenario::Slow => {
            tokio::time::sleep(Duration::from_millis(200)).await;
            Ok(normal())
        }
        Scenario::Delay => tokio::select! {
            _ = tokio::time::sleep(shared.options.delay) => Ok(normal()),
            // Stopping cuts the delayed reply off: it must never turn into a normal answer.
            _ = shared.stopped() => Err(std::io::Error::other("simulator stopped during a delay")),
        },
        Scenario::Drop => Err(std::io::Error::other("connection dropped on purpose")),
        Scenario::Truncate => {
            let full = answer.body.to_string().into_bytes();
            let half = Bytes::copy_from_slice(&full[..full.len() / 2]);
            let mut r = Response::new(SimBody::Truncated {
                chunk: Some(half),
                promised: full.len() as u64,
            });
            r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(full.len() as u64));
            Ok(r)
        }
        Scenario::Malformed => {
            let mut text = answer.body.to_string();
            text.pop();
            text.push_str(",,\"");
            Ok(respond(200, "application/json", Bytes::from(text)))
        }
        Scenario::Http500 => Ok(respond(
            500,
            "text/html; charset=utf-8",
            Bytes::from_static(b"<html><body><h1>500 Internal Server Error</h1><p>upstream failed</p></body></html>"),
        )),
        Scenario::Redirect => {
            let body = answer
                .redirect_error
                .clone()
                .unwrap_or_else(|| json!({"status": "error", "message": "redirected"}));
            let mut r = json_response(302, &body);
            let location = format!("{}{}?error=1", shared.base_url, req.path);
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(LOCATION, v);
            }
            Ok(r)
        }
        Scenario::Oversize => Ok(respond(200, "application/json", oversize_body())),
        Scenario::Badsig | Scenario::Review | Scenario::Html => Ok(normal()),
    }
}

/// The `oversize` body: 5 MiB, built once and shared (building it per call took ~120 ms of a
/// debug build's runtime thread, stalling every other connection: issue 17).
fn oversize_body() -> Bytes {
    static BODY: std::sync::OnceLock<Bytes> = std::sync::OnceLock::new();
    BODY.get_or_init(|| {
        let head = b"{\"status\":\"success\",\"padding\":\"";
        let mut v = Vec::with_capacity(5 * 1024 * 1024 + 64);
        v.extend_from_slice(head);
        v.resize(head.len() + 5 * 1024 * 1024, b'x');
        v.extend_from_slice(b"\"}");
        Bytes::from(v)
    })
    .clone()
}
