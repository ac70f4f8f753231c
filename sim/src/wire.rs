//! What every provider module shares, and the bottom layer of the crate: a request as the
//! handlers see it ([`Incoming`]), what they answer ([`Answer`]), the fault [`Scenario`]s, the
//! route tables each provider exports ([`Route`]), the handle a handler gets on its provider's
//! state ([`Ctx`]), and the JSON and clock helpers. It imports no other module of the crate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;
use serde_json::{json, Value};

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

    /// The scenario a stage-prefixed product name selects: `after("sim:refund-drop", "refund")`
    /// is `drop` (the fault then applies to that stage's call instead of the creation).
    pub(crate) fn after(name: &str, stage: &str) -> Option<Scenario> {
        let rest = name.trim().strip_prefix("sim:")?.strip_prefix(stage)?;
        Scenario::from_product(&format!("sim:{}", rest.strip_prefix('-')?))
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

/// The handle a handler gets: its provider's state, the simulator's address and its id counter
/// (one counter for every provider, so ids never repeat within a run).
pub(crate) struct Ctx<'a, S> {
    pub base_url: &'a str,
    ids: &'a AtomicU64,
    store: &'a Mutex<S>,
}

impl<'a, S> Ctx<'a, S> {
    pub(crate) fn new(base_url: &'a str, ids: &'a AtomicU64, store: &'a Mutex<S>) -> Ctx<'a, S> {
        Ctx {
            base_url,
            ids,
            store,
        }
    }

    /// The provider's state. A panicking handler must not take the simulator down with a
    /// poisoned lock.
    pub(crate) fn lock(&self) -> MutexGuard<'a, S> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn next_id(&self) -> u64 {
        self.ids.fetch_add(1, Ordering::Relaxed)
    }
}

/// What a route calls.
pub(crate) enum Handler<S: 'static> {
    /// The whole request, at exactly the route's path.
    Call(for<'a, 'b, 'c> fn(&'a Ctx<'b, S>, &'c Incoming) -> Answer),
    /// A page under the route's path (a prefix): the handler gets the rest of the path
    /// (`/pay/iyzico3ds/ID` gives `ID`).
    Page(for<'a, 'b, 'c> fn(&'a Ctx<'b, S>, &'c str) -> Answer),
}

/// One entry of a provider's route table.
pub(crate) struct Route<S: 'static> {
    pub methods: &'static [&'static str],
    pub path: &'static str,
    pub handler: Handler<S>,
}

impl<S> Route<S> {
    /// `methods` at exactly `path`.
    pub(crate) const fn call(
        methods: &'static [&'static str],
        path: &'static str,
        f: for<'a, 'b, 'c> fn(&'a Ctx<'b, S>, &'c Incoming) -> Answer,
    ) -> Route<S> {
        Route {
            methods,
            path,
            handler: Handler::Call(f),
        }
    }

    /// `POST` at exactly `path` (most provider calls).
    pub(crate) const fn post(
        path: &'static str,
        f: for<'a, 'b, 'c> fn(&'a Ctx<'b, S>, &'c Incoming) -> Answer,
    ) -> Route<S> {
        Route::call(&["POST"], path, f)
    }

    /// `methods` under the prefix `path` (a payer's page).
    pub(crate) const fn page(
        methods: &'static [&'static str],
        path: &'static str,
        f: for<'a, 'b, 'c> fn(&'a Ctx<'b, S>, &'c str) -> Answer,
    ) -> Route<S> {
        Route {
            methods,
            path,
            handler: Handler::Page(f),
        }
    }
}

/// The answer of the first route of `routes` that takes `req`, if any.
pub(crate) fn dispatch<S>(cx: &Ctx<S>, routes: &[Route<S>], req: &Incoming) -> Option<Answer> {
    routes
        .iter()
        .filter(|r| r.methods.contains(&req.method.as_str()))
        .find_map(|r| match r.handler {
            Handler::Call(f) => (req.path == r.path).then(|| f(cx, req)),
            Handler::Page(f) => req.path.strip_prefix(r.path).map(|tail| f(cx, tail)),
        })
}

/// A non-blank JSON field as text (see [`text`]).
pub(crate) fn str_field(v: &Value, key: &str) -> Option<String> {
    text(v, key).filter(|s| !s.trim().is_empty())
}

/// Render an amount as a JSON number with the same digits (a string when it is not one).
pub(crate) fn number(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_number)
        .unwrap_or_else(|| json!(text))
}

/// The first value of each name of a form (`application/x-www-form-urlencoded`).
pub(crate) fn form_first(body: &[u8]) -> std::collections::HashMap<String, String> {
    let mut fields = std::collections::HashMap::new();
    for (k, v) in form_urlencoded::parse(body).into_owned() {
        fields.entry(k).or_insert(v);
    }
    fields
}

/// A webhook delivery of form fields, as `GET /__sim/webhook/...` answers it:
/// `{"headers": {"Content-Type": "application/x-www-form-urlencoded"}, "body": "k=v&..."}`.
pub(crate) fn form_delivery<'a>(fields: impl IntoIterator<Item = (&'a str, String)>) -> Value {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        form.append_pair(k, &v);
    }
    json!({
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "body": form.finish(),
    })
}

/// A path segment as sent (`%2D` and `+` decoded).
pub(crate) fn decode_segment(segment: &str) -> String {
    form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// `2025-08-28T15:19:03Z` from milliseconds since the epoch (civil-from-days, UTC).
pub(crate) fn iso8601(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_dates() {
        assert_eq!(iso8601(1_756_394_343_000), "2025-08-28T15:19:03Z");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn stage_faults_from_product_names() {
        assert_eq!(
            Scenario::after("sim:refund-drop", "refund"),
            Some(Scenario::Drop)
        );
        assert_eq!(
            Scenario::after("sim:refund-delay", "refund"),
            Some(Scenario::Delay)
        );
        assert_eq!(
            Scenario::after("sim:complete-drop", "complete"),
            Some(Scenario::Drop)
        );
        assert_eq!(Scenario::after("sim:drop", "refund"), None);
        assert_eq!(Scenario::after("sim:refunddrop", "refund"), None);
        assert_eq!(Scenario::after("Binocular", "complete"), None);
        assert_eq!(Scenario::from_product("sim:refund-drop"), None);
    }
}
