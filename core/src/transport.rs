//! The only module that does network I/O.
//!
//! One ureq [`Agent`](ureq::Agent) per client (so one connection pool, shared by every thread
//! using the client), explicit connect and total deadlines, HTTP error statuses returned as
//! replies (their bodies are the provider's answer), redirects never followed, response bodies
//! capped, HTTPS only unless `allow_http`, no proxy unless configured (environment variables are
//! not read), an extra root CA from `ca_pem`. The TCP sockets are odeme's own ([`socket`]): the
//! same deadlines as ureq's, without a system call per read and write to keep them.
//!
//! Failures are classified here, once:
//!
//! | what happened | order-creating call | read-only call |
//! |---|---|---|
//! | DNS, connect refused/timeout, TLS handshake | `transport` (retry-safe) | `transport`, retried |
//! | timeout, reset or EOF after connecting | `outcome_unknown` | `transport`, retried |
//! | truncated, oversized or unreadable reply | `outcome_unknown` | `decode`, retried |
//!
//! An order-creating call is handed to the socket exactly once; nothing here resends it.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::secret::WipingBuf;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectProxyConnector, Connector, NextTimeout, RustlsConnector,
};

mod socket;

use crate::config::Config;
use crate::error::{self, Error, ErrorKind};
use crate::json::Raw;
use crate::policy::Sends;

/// The body of a request, serialized once; the bytes that are signed are the bytes that are sent.
/// It may hold card data, so it is wiped when dropped.
pub(crate) enum Body {
    Json(WipingBuf),
    Form(WipingBuf),
    Empty,
}

impl Body {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Body::Json(b) | Body::Form(b) => b,
            Body::Empty => &[],
        }
    }
}

/// Computes the headers of one attempt from the body bytes.
pub(crate) type HeaderFn<'a> = &'a dyn Fn(&[u8]) -> Vec<(&'static str, String)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    /// With a body (iyzico's `DELETE /cardstorage/card`).
    Delete,
}

/// One request to a provider.
pub(crate) struct Request<'a> {
    pub method: Method,
    /// Full URL, query string included.
    pub url: String,
    pub body: Body,
    /// Headers computed per attempt (iyzico signs each attempt with a fresh random key).
    pub headers: HeaderFn<'a>,
    /// The operation's declared policy: `at_most_once` calls are handed to the socket once and
    /// their failures after sending are `outcome_unknown`; `retryable` calls are retried.
    pub sends: Sends,
    /// The call's log, when events are logged.
    pub log: Option<&'a crate::log::CallLog<'a>>,
}

impl Request<'_> {
    fn at_most_once(&self) -> bool {
        self.sends == Sends::AtMostOnce
    }
}

/// What came back: any status, with its (capped) body.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body read as the typed reply shape `T` (its scalars borrowed from the body), or the
    /// error its failure means: `auth` for a bare 401/403 that is not the shape, otherwise an
    /// unreadable reply (`outcome_unknown` for an `at_most_once` call, `decode` for a read)
    /// saying where the reply differs from the shape, never with the value found there.
    pub(crate) fn typed<'a, T: serde::Deserialize<'a>>(
        &'a self,
        at_most_once: bool,
    ) -> Result<T, Error> {
        crate::json::read_shape(&self.body).map_err(|e| match e.what {
            crate::json::ShapeFault::NotJson => self.not_an_object(at_most_once, false),
            crate::json::ShapeFault::NotAnObject => self.not_an_object(at_most_once, true),
            _ => error::unreadable_reply(
                at_most_once,
                Some(self.status),
                &format!("HTTP {} reply {e}", self.status),
            ),
        })
    }

    fn not_an_object(&self, at_most_once: bool, is_json: bool) -> Error {
        if self.status == 401 || self.status == 403 {
            return Error::new(
                ErrorKind::Auth,
                "the provider refused the credentials (HTTP 401/403); check the keys and the base URL",
            )
            .with_http_status(self.status);
        }
        let what = if is_json {
            "is JSON but not an object"
        } else {
            "is not JSON"
        };
        error::unreadable_reply(
            at_most_once,
            Some(self.status),
            &format!("HTTP {} reply {what}", self.status),
        )
    }

    /// The body as the response's `raw`, once [`Reply::typed`] has read it (so it is JSON).
    pub(crate) fn raw(&self) -> Raw {
        // `typed` has read the body as UTF-8 JSON already: `from_utf8`'s ASCII fast path, not the
        // lossy decoder's per-chunk walk (23k instructions per payment reply); the lossy form
        // is only for a body that was never read.
        match std::str::from_utf8(&self.body) {
            Ok(text) => Raw::accepted(text.trim()),
            Err(_) => Raw::accepted(String::from_utf8_lossy(&self.body).trim()),
        }
    }
}

/// The HTTP machinery of one client.
pub(crate) struct Transport {
    agent: ureq::Agent,
    max_body: u64,
    read_retries: u32,
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Transport, Error> {
        let mut tls = TlsConfig::builder();
        if let Some(pem) = &config.ca_pem {
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(pem.as_bytes())
                .filter_map(|item| match item {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(Error::config_field(
                    "ca_pem",
                    "holds no readable certificate",
                ));
            }
            tls = tls.root_certs(RootCerts::Specific(Arc::new(certs)));
        }
        let proxy = match &config.proxy {
            Some(p) => Some(
                ureq::Proxy::new(p.expose())
                    .map_err(|_| Error::config_field("proxy", "is not a valid proxy URL"))?,
            ),
            None => None,
        };
        let agent_config = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout()))
            .timeout_connect(Some(config.connect_timeout()))
            .http_status_as_error(false)
            .max_redirects(0)
            .https_only(!config.allow_http)
            .proxy(proxy)
            .user_agent(concat!("odeme/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .accept_encoding("identity")
            .max_idle_connections(64)
            .max_idle_connections_per_host(32)
            .max_idle_age(Duration::from_secs(15))
            .tls_config(tls.build())
            .build();
        // ureq's default chain with its TCP connector replaced (see [`socket`]); no SOCKS, as
        // before (ureq is built without it).
        let connector =
            ().chain(ConnectProxyConnector::default())
                .chain(socket::DeadlineTcpConnector)
                .chain(RustlsConnector::default());
        let agent = ureq::Agent::with_parts(agent_config, connector, CachingResolver::default());
        Ok(Transport {
            agent,
            max_body: config.max_response_bytes,
            read_retries: config.read_retries,
        })
    }

    /// Send `req` and return the provider's reply, whatever its HTTP status. Only a
    /// `retryable` request is ever sent more than once.
    pub(crate) fn send(&self, req: &Request<'_>) -> Result<Reply, Error> {
        let retries = match req.sends {
            Sends::Retryable => self.read_retries,
            Sends::AtMostOnce => 0,
            Sends::Local => {
                return Err(Error::new(
                    ErrorKind::Internal,
                    "an operation declared local tried to send a request",
                ))
            }
        };
        let mut attempt = 0;
        loop {
            let result = match req.log {
                None => self.send_once(req),
                Some(log) => self.send_logged(req, log),
            };
            match result {
                Ok(reply) if is_gateway_failure(reply.status) && attempt < retries => {}
                Ok(reply) => return Ok(reply),
                Err(e) if e.retry_safe() && attempt < retries => {}
                Err(e) => return Err(e),
            }
            attempt += 1;
            // Backoff: 100 ms, 200 ms, 400 ms, 800 ms, then 1 s for every further attempt.
            std::thread::sleep(Duration::from_millis(
                (100u64 << attempt.min(5)).min(2000) / 2,
            ));
        }
    }

    /// One attempt, with its `call.attempt` event. Not `#[cold]`: the attempt is inlined here,
    /// and as cold code it measured slower at info (`tests/perf/log_ab.py`).
    fn send_logged(
        &self,
        req: &Request<'_>,
        log: &crate::log::CallLog<'_>,
    ) -> Result<Reply, Error> {
        let started = Instant::now();
        let result = self.send_once(req);
        let method = match req.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        };
        let body = match &req.body {
            Body::Json(b) => Some((&b[..], false)),
            Body::Form(b) => Some((&b[..], true)),
            Body::Empty => None,
        };
        let reply = result.as_ref().map(|r| (r.status, &r.body[..]));
        log.attempt(method, &req.url, body, started, reply);
        result
    }

    fn send_once(&self, req: &Request<'_>) -> Result<Reply, Error> {
        let body = req.body.bytes();
        let creates_order = req.at_most_once();
        if req.method == Method::Get {
            let mut builder = self.agent.get(&req.url);
            for (name, value) in (req.headers)(body) {
                builder = builder.header(name, value);
            }
            let response = builder.call().map_err(|e| classify(e, creates_order))?;
            return self.read_reply(response, creates_order);
        }
        let mut builder = match req.method {
            Method::Delete => self.agent.delete(&req.url).force_send_body(),
            _ => self.agent.post(&req.url),
        };
        match &req.body {
            Body::Json(_) => {
                builder = builder.header("Content-Type", "application/json; charset=utf-8")
            }
            Body::Form(_) => {
                builder = builder.header(
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
            }
            Body::Empty => builder = builder.header("Content-Type", "application/json"),
        }
        for (name, value) in (req.headers)(body) {
            builder = builder.header(name, value);
        }
        let result = match &req.body {
            Body::Empty => builder.send_empty(),
            _ => builder.send(body),
        };
        let response = result.map_err(|e| classify(e, creates_order))?;
        self.read_reply(response, creates_order)
    }

    fn read_reply(
        &self,
        mut response: ureq::http::Response<ureq::Body>,
        creates_order: bool,
    ) -> Result<Reply, Error> {
        use std::io::Read;
        let status = response.status().as_u16();
        // Sized from Content-Length when there is one (one allocation instead of a doubling
        // series), never beyond the cap or 256 KiB on the header's word alone.
        let hint = response.body().content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(hint.min(self.max_body).min(256 * 1024) as usize);
        response
            .body_mut()
            .with_config()
            .limit(self.max_body)
            .reader()
            .read_to_end(&mut body)
            .map_err(|e| match ureq::Error::from(e) {
                ureq::Error::BodyExceedsLimit(_) => error::unreadable_reply(
                    creates_order,
                    Some(status),
                    &format!(
                        "the reply is larger than max_response_bytes ({} bytes)",
                        self.max_body
                    ),
                ),
                ureq::Error::Timeout(_) => error::unreadable_reply(
                    creates_order,
                    Some(status),
                    "the reply body did not arrive before the deadline",
                ),
                _ => error::unreadable_reply(
                    creates_order,
                    Some(status),
                    "the reply body was cut off",
                ),
            })?;
        Ok(Reply { status, body })
    }
}

/// How long a looked-up address is reused for new connections.
const DNS_CACHE_TTL: Duration = Duration::from_secs(30);

/// Name resolution without a thread per call.
///
/// ureq resolves the host on every call, pooled connection or not, and with a connect deadline
/// its default resolver runs each lookup on a new thread so that it can give up on time. That
/// thread cost more than the rest of a call. Here an IP literal needs no lookup at all, and a
/// host name is looked up (with the deadline, by ureq's resolver) once per
/// [`DNS_CACHE_TTL`], which only matters when a new connection is opened.
#[derive(Debug, Default)]
struct CachingResolver {
    inner: DefaultResolver,
    cache: Mutex<HashMap<String, (Instant, ResolvedSocketAddrs)>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let port = uri.port_u16().or(match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        let (Some(host), Some(port)) = (uri.host(), port) else {
            return self.inner.resolve(uri, config, timeout);
        };
        if let Ok(ip) = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let cache = |cache: &mut HashMap<String, (Instant, ResolvedSocketAddrs)>| {
            cache.retain(|_, (at, _)| at.elapsed() < DNS_CACHE_TTL);
            cache.get(&key).map(|(_, addrs)| addrs.clone())
        };
        if let Some(addrs) = self.cache.lock().ok().and_then(|mut c| cache(&mut c)) {
            return Ok(addrs);
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, (Instant::now(), addrs.clone()));
        }
        Ok(addrs)
    }
}

fn is_gateway_failure(status: u16) -> bool {
    matches!(status, 502..=504)
}

/// Map a ureq error raised before a response arrived.
fn classify(e: ureq::Error, creates_order: bool) -> Error {
    use ureq::Error as U;
    use ureq::Timeout as T;
    match e {
        U::Timeout(T::Resolve) => error::not_sent("resolving the provider's host timed out"),
        U::Timeout(T::Connect) => error::not_sent("connecting to the provider timed out"),
        U::Timeout(_) => error::lost_after_send(creates_order, "the call timed out"),
        U::HostNotFound => error::not_sent("the provider's host name does not resolve"),
        U::ConnectionFailed => error::not_sent("could not connect to the provider"),
        U::ConnectProxyFailed(_) => error::not_sent("the proxy refused to connect to the provider"),
        U::Io(io) if tls_cause(&io).is_some_and(is_handshake_error) => error::not_sent(
            "the TLS handshake failed (certificate not trusted or protocol mismatch)",
        ),
        U::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NotFound => error::not_sent(&format!(
                "could not connect to the provider ({})",
                io.kind()
            )),
            io::ErrorKind::TimedOut => error::lost_after_send(creates_order, "the call timed out"),
            kind => {
                error::lost_after_send(creates_order, &format!("the connection failed ({kind})"))
            }
        },
        U::Rustls(tls) => {
            if is_handshake_error(&tls) {
                error::not_sent(
                    "the TLS handshake failed (certificate not trusted or protocol mismatch)",
                )
            } else {
                error::lost_after_send(creates_order, "the TLS session failed")
            }
        }
        U::Tls(_) | U::Pem(_) | U::TlsRequired => error::not_sent("the TLS handshake failed"),
        U::RequireHttpsOnly(_) | U::BadUri(_) | U::Http(_) | U::InvalidProxyUrl => Error::new(
            ErrorKind::Config,
            "the provider URL is not usable (https required unless allow_http)",
        ),
        U::BodyExceedsLimit(_) | U::LargeResponseHeader(_, _) => {
            error::unreadable_reply(creates_order, None, "the reply is too large")
        }
        U::Protocol(_) => {
            error::unreadable_reply(creates_order, None, "the reply is not valid HTTP")
        }
        _ => error::lost_after_send(creates_order, "the call failed"),
    }
}

/// rustls errors reach ureq wrapped in an `io::Error`.
fn tls_cause(e: &io::Error) -> Option<&rustls::Error> {
    e.get_ref()?.downcast_ref::<rustls::Error>()
}

fn is_handshake_error(e: &rustls::Error) -> bool {
    use rustls::Error as R;
    matches!(
        e,
        R::InvalidCertificate(_)
            | R::NoCertificatesPresented
            | R::PeerIncompatible(_)
            | R::PeerMisbehaved(_)
            | R::AlertReceived(_)
            | R::InappropriateHandshakeMessage { .. }
            | R::UnsupportedNameType
            | R::InvalidCertRevocationList(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(r: &CachingResolver, url: &str) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: ureq::http::Uri = url.parse().unwrap();
        let config = ureq::config::Config::default();
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::from(Duration::from_secs(5)),
            reason: ureq::Timeout::Resolve,
            ..NextTimeout::default()
        };
        r.resolve(&uri, &config, timeout)
            .map(|a| a.iter().copied().collect())
    }

    #[test]
    fn ip_literals_need_no_lookup_and_names_are_cached() {
        let r = CachingResolver::default();
        assert_eq!(
            resolve(&r, "http://127.0.0.1:8080/x").unwrap(),
            ["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve(&r, "https://[::1]/x").unwrap(),
            ["[::1]:443".parse::<SocketAddr>().unwrap()]
        );
        assert!(
            r.cache.lock().unwrap().is_empty(),
            "literals are not cached"
        );
        let first = resolve(&r, "http://localhost:8080/").unwrap();
        assert!(first
            .iter()
            .all(|a| a.ip().is_loopback() && a.port() == 8080));
        assert!(r.cache.lock().unwrap().contains_key("localhost:8080"));
        assert_eq!(resolve(&r, "http://localhost:8080/").unwrap(), first);
    }
}
