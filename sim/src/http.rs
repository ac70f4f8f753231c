//! HTTP plumbing: the accept loop, routing, the request log and the fault scenarios.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
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

use crate::{esnekpos, iyzico, paymago, paymes, refunds, LogEntry, Shared};

/// Largest request body the simulator reads.
const MAX_REQUEST: usize = 1024 * 1024;

/// A fault or behaviour selected by a `sim:SCENARIO` product name on an order-creating call.
/// Every fault happens *after* the order is booked, so a query finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Normal reply after 200 ms (latency for concurrency tests, not a fault).
    Slow,
    /// Reply after 30 s (beyond any sane client timeout).
    Delay,
    /// Close the connection without replying.
    Drop,
    /// Promise a body length and close half way.
    Truncate,
    /// A 200 whose body is not valid JSON.
    Malformed,
    /// HTTP 500 with an HTML body.
    Http500,
    /// HTTP 302 with a JSON error body in the provider's shape (the Paymes style).
    Redirect,
    /// A 5 MiB body.
    Oversize,
    /// iyzico: a success reply with a wrong signature.
    Badsig,
    /// iyzico: a payment held for fraud review (`fraudStatus` 0).
    Review,
    /// Paymago: 3-D Secure as HTML (`paymentData`) instead of a URL.
    Html,
}

impl Scenario {
    pub const ALL: [Scenario; 11] = [
        Scenario::Slow,
        Scenario::Delay,
        Scenario::Drop,
        Scenario::Truncate,
        Scenario::Malformed,
        Scenario::Http500,
        Scenario::Redirect,
        Scenario::Oversize,
        Scenario::Badsig,
        Scenario::Review,
        Scenario::Html,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Slow => "slow",
            Scenario::Delay => "delay",
            Scenario::Drop => "drop",
            Scenario::Truncate => "truncate",
            Scenario::Malformed => "malformed",
            Scenario::Http500 => "http500",
            Scenario::Redirect => "redirect",
            Scenario::Oversize => "oversize",
            Scenario::Badsig => "badsig",
            Scenario::Review => "review",
            Scenario::Html => "html",
        }
    }

    /// The scenario a product name selects (`sim:delay`), if any.
    pub fn from_product(name: &str) -> Option<Scenario> {
        let s = name.trim().strip_prefix("sim:")?;
        Scenario::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// A JSON field as text: strings as they are, numbers as their exact digits, booleans as
/// `true`/`false` (the providers' documents type the same fields both ways).
pub(crate) fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A request as the handlers see it: fully read.
pub(crate) struct Incoming {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice::<Value>(&self.body)
            .ok()
            .filter(Value::is_object)
    }

    /// Form fields (`application/x-www-form-urlencoded`), decoded as UTF-8.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn query_param(&self, key: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

/// What a handler answers.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
    /// The operation, for the log (`iyzico.create_payment`).
    pub operation: &'static str,
    /// The merchant's order reference, for the log.
    pub order_ref: Option<String>,
    /// A fault to apply to this answer (order-creating calls only).
    pub scenario: Option<Scenario>,
    /// The provider's error shape, for the `redirect` fault.
    pub redirect_error: Option<Value>,
    /// `body` is a string to send as `text/html` (PayTR's 3-D Secure page).
    pub html: bool,
}

impl Answer {
    pub fn new(status: u16, body: Value, operation: &'static str) -> Answer {
        Answer {
            status,
            body,
            operation,
            order_ref: None,
            scenario: None,
            redirect_error: None,
            html: false,
        }
    }
    pub fn order_ref(mut self, r: Option<String>) -> Answer {
        self.order_ref = r;
        self
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
        let mut st = shared.lock();
        st.log.push(LogEntry {
            method: incoming.method.clone(),
            path: incoming.path.clone(),
            operation: Some(answer.operation.to_owned()),
            order_ref: answer.order_ref.clone(),
            scenario: answer.scenario.map(|s| s.name().to_owned()),
            http_status: None,
        });
        st.log.len() - 1
    };
    let result = apply(&shared, answer, &incoming).await;
    let status = result.as_ref().ok().map(|r| r.status().as_u16());
    {
        let mut st = shared.lock();
        if let Some(e) = st.log.get_mut(log_index) {
            e.http_status = status;
        }
    }
    if shared.options.log_requests {
        let st = shared.lock();
        if let Some(e) = st.log.get(log_index) {
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
    if !shared.lock().flaky_seen.insert(key) {
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

fn route(shared: &Shared, req: &Incoming) -> Option<Answer> {
    if let Some(a) = route_issue11(shared, req) {
        return Some(a);
    }
    let post = req.method == "POST";
    let get = req.method == "GET";
    match req.path.as_str() {
        "/payment/auth" if post => Some(iyzico::create_payment(shared, req)),
        "/payment/preauth" if post => Some(iyzico::preauth::preauth_payment(shared, req)),
        "/payment/postauth" if post => Some(iyzico::preauth::capture(shared, req)),
        "/cardstorage/card" if post => Some(iyzico::cards::store_card(shared, req)),
        "/cardstorage/card" if req.method == "DELETE" => {
            Some(iyzico::cards::delete_card(shared, req))
        }
        "/cardstorage/cards" if post => Some(iyzico::cards::list_cards(shared, req)),
        "/payment/detail" if post => Some(iyzico::retrieve_payment(shared, req)),
        "/v2/reporting/payment/details" if get => Some(iyzico::payment_details(shared, req)),
        "/v4.6/order_create" if post => Some(paymes::create_order(shared, req, false)),
        "/order_create" if post => Some(paymes::create_order(shared, req, true)),
        "/v4.6/status" if post => Some(paymes::status(shared, req)),
        "/api/pos/createOrder" if post => Some(paymago::create_order(shared, req)),
        "/api/pos/orderResult" if post => Some(paymago::order_result(shared, req)),
        "/api/services/SendPaymentRequest" if post => {
            Some(esnekpos::send_payment_request(shared, req))
        }
        "/api/services/SendPaymentRequestQuery" if post => Some(esnekpos::query(shared, req)),
        "/payment/cancel" if post => Some(refunds::iyzico_cancel(shared, req)),
        "/v2/payment/refund" | "/payment/refund" if post => {
            Some(refunds::iyzico_refund(shared, req))
        }
        "/v4.6/order_cancel" if post => Some(refunds::paymes_cancel(shared, req)),
        "/api/services/OrderReturn" if post => Some(refunds::esnekpos_return(shared, req)),
        p if get && p.starts_with("/pay/paymes/") => {
            Some(paymes::pay(shared, &p["/pay/paymes/".len()..]))
        }
        p if get && p.starts_with("/pay/paymago/") => {
            Some(paymago::pay(shared, &p["/pay/paymago/".len()..]))
        }
        p if get && p.starts_with("/pay/esnekpos/") => {
            Some(esnekpos::pay(shared, &p["/pay/esnekpos/".len()..]))
        }
        _ => None,
    }
}

/// 3-D Secure, checkout form and lookups (iyzico), 3-D card payment (EsnekPOS).
fn route_issue11(shared: &Shared, req: &Incoming) -> Option<Answer> {
    use crate::esnekpos::threed as esnek3d;
    use crate::iyzico::{lookup, threeds};
    let post = req.method == "POST";
    let get = req.method == "GET";
    let tail = |prefix: &str| req.path.strip_prefix(prefix).filter(|_| get);
    Some(match req.path.as_str() {
        "/payment/3dsecure/initialize" if post => threeds::init_3ds(shared, req),
        "/payment/v2/3dsecure/auth" if post => threeds::complete_3ds(shared, req),
        "/payment/iyzipos/checkoutform/initialize/auth/ecom" if post => {
            threeds::init_checkout_form(shared, req)
        }
        "/payment/3dsecure/initialize/preauth" if post => threeds::init_3ds_preauth(shared, req),
        // The official SDKs' older paths (iyzipay-python 1.0.46 `iyzipay_resource.py`): the
        // checkout form without `/auth`, the v1 3-D completion.
        "/payment/iyzipos/checkoutform/initialize/ecom" if post => {
            threeds::init_checkout_form(shared, req)
        }
        "/payment/3dsecure/auth" if post => threeds::complete_3ds_v1(shared, req),
        "/payment/iyzipos/checkoutform/auth/ecom/detail" if post => {
            threeds::retrieve_checkout_form(shared, req)
        }
        "/payment/bin/check" if post => lookup::bin_check(req),
        "/payment/iyzipos/installment" if post => lookup::installments(req),
        "/api/pay/EYV3DPay" if post => esnek3d::pay_3d(shared, req),
        "/api/services/ProcessQuery" if post => esnek3d::process_query(shared, req),
        "/odeme/api/get-token" if post => crate::paytr::get_token(shared, req),
        "/odeme" if post => crate::paytr::direct(shared, req),
        "/odeme/iade" if post => crate::paytr::refund(shared, req),
        "/odeme/durum-sorgu" if post => crate::paytr::status(shared, req),
        _ => {
            if let Some(id) = tail("/pay/iyzico3ds/") {
                threeds::page_3ds(shared, id)
            } else if let Some(token) = tail("/pay/iyzicocf/") {
                threeds::pay_checkout_form(shared, token)
            } else if let Some(r) = tail("/pay/esnekpos3d/") {
                esnek3d::page_3d(shared, r)
            } else if let Some(t) = tail("/odeme/guvenli/") {
                crate::paytr::hosted_page(shared, t)
            } else if let Some(oid) = req
                .path
                .strip_prefix("/pay/paytr3d/")
                .filter(|_| get || post)
            {
                crate::paytr::page_3d(shared, oid)
            } else {
                return None;
            }
        }
    })
}

fn control(shared: &Shared, req: &Incoming, started: Instant) -> Response<SimBody> {
    let response = match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__sim/requests") => {
            let log: Vec<Value> = shared.lock().log.iter().map(LogEntry::to_json).collect();
            json_response(200, &Value::Array(log))
        }
        ("GET", "/__sim/stats") => json_response(
            200,
            &json!({
                "connections": shared.connections.load(Ordering::Relaxed),
                "tls_handshakes": shared.tls_handshakes.load(Ordering::Relaxed),
                "requests": shared.lock().log.len(),
            }),
        ),
        ("GET", p) if p.starts_with("/__sim/webhook/") => {
            let (status, body) = crate::webhook::delivery(shared, &p["/__sim/webhook/".len()..]);
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
