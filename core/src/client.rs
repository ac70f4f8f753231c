//! The client: configuration, one transport, and dispatch through the registry.

use serde_json::Value;

use crate::config::Config;
use crate::error::{Error, ErrorKind};
use crate::outcome::Response;
use crate::registry::{self, OperationDef, OperationInfo};
use crate::transport::Transport;
use crate::validate::scrub;

/// An odeme client. Immutable and `Send + Sync`: share one per process (it owns the pool).
pub struct Client {
    config: Config,
    transport: Transport,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        let transport = Transport::new(&config)?;
        Ok(Client { config, transport })
    }

    /// Build a client from the JSON configuration (README, "Configuration").
    pub fn from_json(config_json: &str) -> Result<Client, Error> {
        Client::new(Config::from_json(config_json)?)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Run `operation` with a JSON request text; returns the JSON response text.
    /// A request that is not JSON is `invalid_argument`.
    pub fn call_json(&self, operation: &str, request_json: &str) -> Result<String, Error> {
        // The cheap checks first: the name (so a caller's text is never copied into an error as
        // an operation), then the size (a 10 MB text costs its length, not a parse).
        let operation = lookup(operation)?.name;
        if request_json.len() as u64 > self.config.max_request_bytes {
            return Err(too_large(self.config.max_request_bytes).with_operation(operation));
        }
        let value: Value = serde_json::from_str(request_json).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "request is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
            .with_operation(operation)
        })?;
        let response = self.call(operation, value)?;
        serde_json::to_string(&response).map_err(|_| {
            Error::new(ErrorKind::Internal, "could not serialize the response")
                .with_operation(operation)
        })
    }

    /// Run `operation` with a JSON request value.
    /// The request is held to [`crate::validate::check_bounds`] (nesting, `max_request_bytes`)
    /// before anything else reads it.
    pub fn call(&self, operation: &str, mut request: Value) -> Result<Response, Error> {
        let def = lookup(operation)?;
        if let Err(e) =
            crate::validate::check_bounds(&request, "(request)", self.config.max_request_bytes)
        {
            scrub(&mut request);
            return Err(e.with_operation(def.name));
        }
        self.execute(def, request, None)
    }

    /// The declared operations (name, provider, send policy, reconciliation).
    pub fn operations() -> Vec<OperationInfo> {
        registry::operations()
    }

    fn execute(
        &self,
        def: &'static OperationDef,
        mut request: Value,
        reply: Option<&crate::transport::Reply>,
    ) -> Result<Response, Error> {
        // Typed requests are copied out of `request`, so the document that may carry a card
        // number and CVC can be wiped below, whatever the outcome.
        let result = def
            .execute(&self.config, &self.transport, &request, reply)
            .map_err(|e| {
                e.with_reconcile(&def.reconcile, &request)
                    .with_operation(def.name)
            });
        scrub(&mut request);
        result
    }

    /// Interpret `body` (with `http_status`) as the provider's reply to `operation` for
    /// `request`, with no network I/O: the parsing, signature checks and error mapping of a real
    /// call. For fuzzing, and for replaying captured traffic.
    #[doc(hidden)]
    pub fn interpret_reply(
        &self,
        operation: &str,
        request: Value,
        http_status: u16,
        body: Vec<u8>,
    ) -> Result<Response, Error> {
        let def = lookup(operation)?;
        let reply = crate::transport::Reply {
            status: http_status,
            body,
        };
        self.execute(def, request, Some(&reply))
    }
}

fn too_large(max: u64) -> Error {
    Error::invalid_field(
        "(request)",
        format_args!("is larger than max_request_bytes ({max} bytes)"),
    )
}

fn lookup(operation: &str) -> Result<&'static OperationDef, Error> {
    registry::find(operation).ok_or_else(|| {
        let known: Vec<&str> = registry::all().map(|d| d.name).collect();
        Error::new(
            ErrorKind::InvalidArgument,
            format!("unknown operation; expected one of {}", known.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_and_sync() {
        fn assert_sync<T: Send + Sync>() {}
        assert_sync::<Client>();
    }

    #[test]
    fn oversized_and_deep_requests_are_refused_before_any_io() {
        // Port 1 on localhost: were anything sent, this would be a transport error instead.
        let c = Client::from_json(
            r#"{"allow_http": true, "read_retries": 0, "max_request_bytes": 4096,
                "iyzico": {"api_key": "k", "secret_key": "s", "base_url": "http://127.0.0.1:1"}}"#,
        )
        .unwrap();
        let big = "x".repeat(10 * 1024 * 1024);
        let e = c
            .call(
                "iyzico.retrieve_payment",
                serde_json::json!({ "paymentConversationId": big }),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert_eq!(e.field(), Some("(request)"));
        assert_eq!(e.operation(), Some("iyzico.retrieve_payment"));
        let text = format!(r#"{{"paymentConversationId": "{big}"}}"#);
        let e = c.call_json("iyzico.retrieve_payment", &text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert!(
            e.message().contains("max_request_bytes (4096 bytes)"),
            "{e}"
        );

        let mut deep = serde_json::json!("order-1");
        for _ in 0..300 {
            deep = Value::Array(vec![deep]);
        }
        let e = c
            .call(
                "iyzico.retrieve_payment",
                serde_json::json!({ "paymentConversationId": deep }),
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e
            .field()
            .unwrap()
            .starts_with("paymentConversationId[0][0]"));
        // as text, serde_json's own limit answers first
        let text = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
        let e = c.call_json("iyzico.retrieve_payment", &text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    }

    #[test]
    fn unknown_operations_are_invalid_arguments() {
        let c = Client::from_json(r#"{"iyzico": {"api_key": "k", "secret_key": "s"}}"#).unwrap();
        let e = c.call("iyzico.refund", serde_json::json!({})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("iyzico.payment_details"), "{e}");
    }
}
