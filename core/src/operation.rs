//! An operation: its declaration ([`OperationDef`]: names, policies, the docs' fields and its two
//! steps) and one call of it ([`Call`]). The catalogue of every declared operation is
//! [`crate::registry`]; the policies are [`crate::policy`].

use serde::Serialize;

use crate::config::{
    Config, EsnekposConfig, IyzicoConfig, PaymagoConfig, PaymesConfig, PaytrConfig,
};
use crate::error::Error;
use crate::journal::{Intent, Journal};
use crate::outcome::{Outcome, Response};
pub use crate::policy::{Declared, Journaled, Reconcile, Sends};
use crate::transport::{Body, HeaderFn, Method, Reply, Request, Transport};
use crate::validate::Input;

/// The two steps of an operation, for one provider's configuration type.
pub(crate) struct StepFns<C: 'static> {
    /// Validate, build, send (as the declaration's policy allows) and interpret.
    pub run: fn(&Call<'_, C>, &Input<'_>) -> Result<Response, Error>,
    /// Interpret `reply` as the answer to the request, with no I/O.
    pub reply: fn(&Call<'_, C>, &Input<'_>, &Reply) -> Result<Response, Error>,
}

/// The steps, tagged with the provider whose configuration they receive.
pub(crate) enum Steps {
    Iyzico(StepFns<IyzicoConfig>),
    Paymes(StepFns<PaymesConfig>),
    Paymago(StepFns<PaymagoConfig>),
    Esnekpos(StepFns<EsnekposConfig>),
    Paytr(StepFns<PaytrConfig>),
}

/// One operation's declaration.
pub struct OperationDef {
    pub name: &'static str,
    /// One line saying what it does (the docs and the generated bindings' doc comments).
    pub summary: &'static str,
    /// The provider call's HTTP method and path (`None` for a `local` operation).
    pub method: Option<&'static str>,
    pub path: Option<&'static str>,
    /// The outcome `type`s it can answer ([`crate::outcome::SHAPES`] describes each).
    pub outcome: &'static [&'static str],
    /// A request it accepts, as JSON text: the docs' example, and what the send-policy test
    /// (`core/tests/at_most_once.rs`) sends.
    pub example: &'static str,
    pub sends: Sends,
    pub reconcile: Reconcile,
    /// The request fields the journal records (`Journaled::NONE` unless `sends` is
    /// `AtMostOnce`).
    pub journal: Journaled,
    pub(crate) steps: Steps,
}

impl OperationDef {
    /// Its names and policies, for the journal, the log and errors.
    pub fn declared(&self) -> Declared {
        Declared {
            name: self.name,
            provider: self.provider(),
            sends: self.sends,
            reconcile: self.reconcile,
            journal: self.journal,
        }
    }

    pub fn provider(&self) -> &'static str {
        match self.steps {
            Steps::Iyzico(_) => "iyzico",
            Steps::Paymes(_) => "paymes",
            Steps::Paymago(_) => "paymago",
            Steps::Esnekpos(_) => "esnekpos",
            Steps::Paytr(_) => "paytr",
        }
    }

    /// The operation to reconcile with, and the field of the original request it uses.
    pub fn reconcile_with(&self) -> (Option<&'static str>, Option<&'static str>) {
        match self.reconcile {
            Reconcile::With { operation, by, .. } => (Some(operation), Some(by)),
            _ => (None, None),
        }
    }

    /// The published entry: `{"name", "provider", "sends", "reconcile_with", "reconcile_by",
    /// "summary", "method", "path", "outcome"}`.
    pub fn info(&self) -> OperationInfo {
        let (reconcile_with, reconcile_by) = self.reconcile_with();
        OperationInfo {
            name: self.name,
            provider: self.provider(),
            sends: self.sends,
            reconcile_with,
            reconcile_by,
            summary: self.summary,
            method: self.method,
            path: self.path,
            outcome: self.outcome,
        }
    }

    /// Run the declared steps with the provider's own configuration; `reply` replays a reply
    /// instead of sending.
    ///
    /// With a journal (`intent`), an `at_most_once` call commits its intent row in
    /// [`Call::send`], just before the socket, and its outcome here, once the steps return: the
    /// one place every operation passes through. A `local` call gets the journal itself
    /// (`journal`): a callback check records its delivery there.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn execute(
        &'static self,
        config: &Config,
        transport: &Transport,
        request: &Input<'_>,
        reply: Option<&Reply>,
        intent: Option<&Intent<'_>>,
        journal: Option<&Journal>,
        log: Option<&crate::log::CallLog<'_>>,
    ) -> Result<Response, Error> {
        #[allow(clippy::too_many_arguments)]
        fn go<C>(
            op: &'static OperationDef,
            cfg: Option<&C>,
            f: &StepFns<C>,
            transport: &Transport,
            request: &Input<'_>,
            reply: Option<&Reply>,
            intent: Option<&Intent<'_>>,
            journal: Option<&Journal>,
            log: Option<&crate::log::CallLog<'_>>,
        ) -> Result<Response, Error> {
            let cfg = cfg.ok_or_else(|| {
                Error::config_field(
                    op.provider(),
                    "is not configured; add its section to the client config to call it",
                )
            })?;
            let intent = if reply.is_none() && op.sends == Sends::AtMostOnce {
                intent
            } else {
                None
            };
            let journal = journal.filter(|_| op.sends == Sends::Local && reply.is_none());
            let call = Call {
                op,
                cfg,
                transport,
                intent,
                journal,
                log,
            };
            let result = match reply {
                Some(r) => (f.reply)(&call, request, r),
                None => (f.run)(&call, request),
            };
            if let Some(intent) = intent {
                intent.finish(&result);
                if let Some(log) = log {
                    log.journal_outcome(&result);
                }
            }
            result
        }
        // Each provider's steps get that provider's configuration; the rest is the same.
        macro_rules! go_with {
            ($f:expr, $cfg:expr) => {
                go(
                    self, $cfg, $f, transport, request, reply, intent, journal, log,
                )
            };
        }
        match &self.steps {
            Steps::Iyzico(f) => go_with!(f, config.iyzico.as_ref()),
            Steps::Paymes(f) => go_with!(f, config.paymes.as_ref()),
            Steps::Paymago(f) => go_with!(f, config.paymago.as_ref()),
            Steps::Esnekpos(f) => go_with!(f, config.esnekpos.as_ref()),
            Steps::Paytr(f) => go_with!(f, config.paytr.as_ref()),
        }
    }
}

/// One entry of the published operation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OperationInfo {
    pub name: &'static str,
    pub provider: &'static str,
    pub sends: Sends,
    pub reconcile_with: Option<&'static str>,
    pub reconcile_by: Option<&'static str>,
    pub summary: &'static str,
    pub method: Option<&'static str>,
    pub path: Option<&'static str>,
    pub outcome: &'static [&'static str],
}

/// One call of a declared operation: its declaration, the provider's own configuration, and the
/// transport. The send policy comes from the declaration, never from the call site.
pub(crate) struct Call<'a, C> {
    pub op: &'static OperationDef,
    pub cfg: &'a C,
    pub transport: &'a Transport,
    /// With a journal, for an `at_most_once` call: the intent row committed before sending.
    pub intent: Option<&'a Intent<'a>>,
    /// With a journal, for a `local` call (a callback check records the delivery once).
    pub journal: Option<&'a crate::journal::Journal>,
    /// The call's log, when events are logged.
    pub log: Option<&'a crate::log::CallLog<'a>>,
}

impl<C> Call<'_, C> {
    /// True when a failure after sending is `outcome_unknown` (the declaration's policy).
    pub fn at_most_once(&self) -> bool {
        self.op.sends == Sends::AtMostOnce
    }

    /// Send one request under the declaration's policy.
    pub fn send(
        &self,
        method: Method,
        url: String,
        body: Body,
        headers: HeaderFn<'_>,
    ) -> Result<Reply, Error> {
        if let Some(intent) = self.intent {
            // Committed (or refused: the reference is already journaled) before any byte leaves.
            intent.begin()?;
            if let Some(log) = self.log {
                log.journal_intent();
            }
        }
        self.transport.send(&Request {
            method,
            url,
            body,
            headers,
            sends: self.op.sends,
            log: self.log,
        })
    }

    /// A response of this operation.
    pub fn response(
        &self,
        outcome: Outcome,
        provider_reference: Option<String>,
        raw: impl Into<crate::json::Raw>,
    ) -> Response {
        Response {
            operation: self.op.name.to_owned(),
            outcome,
            provider_reference,
            raw: raw.into(),
        }
    }
}
