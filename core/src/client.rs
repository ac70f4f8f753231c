//! The client: configuration, one transport, and the eleven operations.

use serde_json::Value;

use crate::config::Config;
use crate::error::{Error, ErrorKind};
use crate::outcome::Response;
use crate::providers::{esnekpos, iyzico, paymago, paymes, Ctx};
use crate::transport::Transport;
use crate::validate::{parse_request, scrub};

/// Every operation odeme performs, named `provider.verb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    IyzicoCreatePayment,
    IyzicoRetrievePayment,
    PaymesCreateOrder,
    PaymesCreateKioskOrder,
    PaymesCreateOrderLegacy,
    PaymesQueryOrder,
    PaymesVerifyNotification,
    PaymagoCreateOrder,
    PaymagoOrderResult,
    EsnekposSendPaymentRequest,
    EsnekposQueryPaymentRequest,
}

impl Operation {
    pub const ALL: [Operation; 11] = [
        Operation::IyzicoCreatePayment,
        Operation::IyzicoRetrievePayment,
        Operation::PaymesCreateOrder,
        Operation::PaymesCreateKioskOrder,
        Operation::PaymesCreateOrderLegacy,
        Operation::PaymesQueryOrder,
        Operation::PaymesVerifyNotification,
        Operation::PaymagoCreateOrder,
        Operation::PaymagoOrderResult,
        Operation::EsnekposSendPaymentRequest,
        Operation::EsnekposQueryPaymentRequest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::IyzicoCreatePayment => "iyzico.create_payment",
            Operation::IyzicoRetrievePayment => "iyzico.retrieve_payment",
            Operation::PaymesCreateOrder => "paymes.create_order",
            Operation::PaymesCreateKioskOrder => "paymes.create_kiosk_order",
            Operation::PaymesCreateOrderLegacy => "paymes.create_order_legacy",
            Operation::PaymesQueryOrder => "paymes.query_order",
            Operation::PaymesVerifyNotification => "paymes.verify_notification",
            Operation::PaymagoCreateOrder => "paymago.create_order",
            Operation::PaymagoOrderResult => "paymago.order_result",
            Operation::EsnekposSendPaymentRequest => "esnekpos.send_payment_request",
            Operation::EsnekposQueryPaymentRequest => "esnekpos.query_payment_request",
        }
    }

    pub fn parse(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The provider part of the name.
    pub fn provider(self) -> &'static str {
        self.name().split('.').next().unwrap_or_default()
    }

    /// Whether the call creates an order or moves money (sent at most once; failures after
    /// sending are `outcome_unknown`).
    pub fn creates_order(self) -> bool {
        matches!(
            self,
            Operation::IyzicoCreatePayment
                | Operation::PaymesCreateOrder
                | Operation::PaymesCreateKioskOrder
                | Operation::PaymesCreateOrderLegacy
                | Operation::PaymagoCreateOrder
                | Operation::EsnekposSendPaymentRequest
        )
    }
}

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

    /// Build a client from the JSON configuration of DESIGN.md.
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
        let op = Operation::parse(operation).ok_or_else(|| {
            let known: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
            Error::new(
                ErrorKind::InvalidArgument,
                format!("unknown operation; expected one of {}", known.join(", ")),
            )
        })?;
        self.run(op, request)
            .map_err(|e| e.with_operation(op.name()))
    }

    fn configured(&self, op: Operation) -> Result<(), Error> {
        let present = match op.provider() {
            "iyzico" => self.config.iyzico.is_some(),
            "paymes" => self.config.paymes.is_some(),
            "paymago" => self.config.paymago.is_some(),
            "esnekpos" => self.config.esnekpos.is_some(),
            _ => false,
        };
        if present {
            Ok(())
        } else {
            Err(Error::config_field(
                op.provider(),
                "is not configured; add its section to the client config to call it",
            ))
        }
    }

    fn run(&self, op: Operation, mut request: Value) -> Result<Response, Error> {
        self.configured(op)?;
        let ctx = Ctx {
            config: &self.config,
            transport: &self.transport,
        };
        // Typed requests are copied out of `request`, so the document that may carry a card
        // number and CVC can be wiped below, whatever the outcome.
        let req = &request;
        let result = match op {
            Operation::IyzicoCreatePayment => {
                parse_request(req).and_then(|r| iyzico::create_payment(&ctx, r))
            }
            Operation::IyzicoRetrievePayment => {
                parse_request(req).and_then(|r| iyzico::retrieve_payment(&ctx, r))
            }
            Operation::PaymesCreateOrder => parse_request(req)
                .and_then(|r| paymes::create_order(&ctx, r, paymes::Flavor::Hosted)),
            Operation::PaymesCreateKioskOrder => parse_request(req)
                .and_then(|r| paymes::create_order(&ctx, r, paymes::Flavor::Kiosk)),
            Operation::PaymesCreateOrderLegacy => parse_request(req)
                .and_then(|r| paymes::create_order(&ctx, r, paymes::Flavor::Legacy)),
            Operation::PaymesQueryOrder => {
                parse_request(req).and_then(|r| paymes::query_order(&ctx, r))
            }
            Operation::PaymesVerifyNotification => {
                parse_request(req).and_then(|r| paymes::verify_notification(&ctx, req.clone(), r))
            }
            Operation::PaymagoCreateOrder => {
                parse_request(req).and_then(|r| paymago::create_order(&ctx, r))
            }
            Operation::PaymagoOrderResult => {
                parse_request(req).and_then(|r| paymago::order_result(&ctx, r))
            }
            Operation::EsnekposSendPaymentRequest => {
                parse_request(req).and_then(|r| esnekpos::send_payment_request(&ctx, r))
            }
            Operation::EsnekposQueryPaymentRequest => {
                parse_request(req).and_then(|r| esnekpos::query_payment_request(&ctx, r))
            }
        };
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
        let op = Operation::parse(operation)
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "unknown operation"))?;
        self.configured(op)?;
        let reply = crate::transport::Reply {
            status: http_status,
            body,
        };
        let iyzico_secret = || {
            self.config
                .iyzico
                .as_ref()
                .map(|c| c.secret_key.expose())
                .unwrap_or_default()
        };
        let result = match op {
            Operation::IyzicoCreatePayment => iyzico::create_payment_reply(iyzico_secret(), &reply),
            Operation::IyzicoRetrievePayment => {
                let req: iyzico::RetrievePaymentRequest = parse_request(&request)?;
                iyzico::retrieve_payment_reply(iyzico_secret(), &req, &reply)
            }
            Operation::PaymesCreateOrder
            | Operation::PaymesCreateKioskOrder
            | Operation::PaymesCreateOrderLegacy => {
                let req: paymes::CreateOrderRequest = parse_request(&request)?;
                let flavor = match op {
                    Operation::PaymesCreateOrder => paymes::Flavor::Hosted,
                    Operation::PaymesCreateKioskOrder => paymes::Flavor::Kiosk,
                    _ => paymes::Flavor::Legacy,
                };
                paymes::create_order_reply(flavor, req.order_id.as_str(), &reply)
            }
            Operation::PaymesQueryOrder => {
                let req: paymes::QueryOrderRequest = parse_request(&request)?;
                paymes::query_order_reply(req.paymes_order_id.as_str(), &reply)
            }
            Operation::PaymesVerifyNotification => return self.call(operation, request),
            Operation::PaymagoCreateOrder => {
                let order_id = request
                    .get("orderId")
                    .and_then(Value::as_str)
                    .unwrap_or("generated")
                    .to_owned();
                paymago::create_order_reply(&order_id, &reply)
            }
            Operation::PaymagoOrderResult => {
                let req: paymago::OrderResultRequest = parse_request(&request)?;
                paymago::order_result_reply(&req, &reply)
            }
            Operation::EsnekposSendPaymentRequest => esnekpos::send_payment_request_reply(&reply),
            Operation::EsnekposQueryPaymentRequest => {
                let req: esnekpos::QueryPaymentRequest = parse_request(&request)?;
                esnekpos::query_payment_request_reply(req.send_payment_request_id.as_str(), &reply)
            }
        };
        result.map_err(|e| e.with_operation(op.name()))
    }

    // ---- typed entry points ---------------------------------------------------------------

    pub fn iyzico_create_payment(
        &self,
        req: iyzico::CreatePaymentRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::IyzicoCreatePayment, |ctx| {
            iyzico::create_payment(ctx, req)
        })
    }
    pub fn iyzico_retrieve_payment(
        &self,
        req: iyzico::RetrievePaymentRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::IyzicoRetrievePayment, |ctx| {
            iyzico::retrieve_payment(ctx, req)
        })
    }
    pub fn paymes_create_order(&self, req: paymes::CreateOrderRequest) -> Result<Response, Error> {
        self.typed(Operation::PaymesCreateOrder, |ctx| {
            paymes::create_order(ctx, req, paymes::Flavor::Hosted)
        })
    }
    pub fn paymes_create_kiosk_order(
        &self,
        req: paymes::CreateOrderRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::PaymesCreateKioskOrder, |ctx| {
            paymes::create_order(ctx, req, paymes::Flavor::Kiosk)
        })
    }
    pub fn paymes_create_order_legacy(
        &self,
        req: paymes::CreateOrderRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::PaymesCreateOrderLegacy, |ctx| {
            paymes::create_order(ctx, req, paymes::Flavor::Legacy)
        })
    }
    pub fn paymes_query_order(&self, req: paymes::QueryOrderRequest) -> Result<Response, Error> {
        self.typed(Operation::PaymesQueryOrder, |ctx| {
            paymes::query_order(ctx, req)
        })
    }
    pub fn paymago_create_order(
        &self,
        req: paymago::CreateOrderRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::PaymagoCreateOrder, |ctx| {
            paymago::create_order(ctx, req)
        })
    }
    pub fn paymago_order_result(
        &self,
        req: paymago::OrderResultRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::PaymagoOrderResult, |ctx| {
            paymago::order_result(ctx, req)
        })
    }
    pub fn esnekpos_send_payment_request(
        &self,
        req: esnekpos::SendPaymentRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::EsnekposSendPaymentRequest, |ctx| {
            esnekpos::send_payment_request(ctx, req)
        })
    }
    pub fn esnekpos_query_payment_request(
        &self,
        req: esnekpos::QueryPaymentRequest,
    ) -> Result<Response, Error> {
        self.typed(Operation::EsnekposQueryPaymentRequest, |ctx| {
            esnekpos::query_payment_request(ctx, req)
        })
    }

    fn typed(
        &self,
        op: Operation,
        f: impl FnOnce(&Ctx<'_>) -> Result<Response, Error>,
    ) -> Result<Response, Error> {
        self.configured(op)
            .map_err(|e| e.with_operation(op.name()))?;
        let ctx = Ctx {
            config: &self.config,
            transport: &self.transport,
        };
        f(&ctx).map_err(|e| e.with_operation(op.name()))
    }
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
    fn operation_names_round_trip() {
        for op in Operation::ALL {
            assert_eq!(Operation::parse(op.name()), Some(op));
        }
        assert_eq!(Operation::parse("iyzico.refund"), None);
    }
}
