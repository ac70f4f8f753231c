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
    pub fn call(&self, operation: &str, request: Value) -> Result<Response, Error> {
        let def = lookup(operation)?;
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
    fn unknown_operations_are_invalid_arguments() {
        let c = Client::from_json(r#"{"iyzico": {"api_key": "k", "secret_key": "s"}}"#).unwrap();
        let e = c.call("iyzico.refund", serde_json::json!({})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("iyzico.payment_details"), "{e}");
    }
}
