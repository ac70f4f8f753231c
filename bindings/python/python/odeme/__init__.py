"""odeme: iyzico, Paymes, Paymago and EsnekPOS (Hoppa) from Python, through one Rust core.

>>> client = odeme.Client({"iyzico": {"api_key": "...", "secret_key": "..."}})
>>> client.iyzico.retrieve_payment({"paymentConversationId": "order-42"})

Requests use the providers' own field names; amounts may be ``str``, ``int`` or
``decimal.Decimal`` (a ``float`` is refused: it cannot hold money exactly). Responses are plain
dicts with amounts as strings. Every failure raises a subclass of :class:`OdemeError`. Network
calls release the GIL; one :class:`Client` is meant to be shared by all threads.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Union

from . import _odeme
from . import _logging  # noqa: F401  (the "odeme" logger and its NullHandler: README, "Logs")
from . import _operations
from ._operations import *  # noqa: F403  (generated: Operations and one class per provider)
from ._outcomes import (
    CallbackResponse,
    CardInfoResponse,
    CheckoutFormResponse,
    CompletedResponse,
    HtmlResponse,
    InstallmentsResponse,
    RedirectResponse,
    RefundOutcome,
    RefundResponse,
    ReviewResponse,
    StatusResponse,
)
from ._errors import (
    AuthError,
    ConfigError,
    DeclinedError,
    DecodeError,
    InternalError,
    InvalidArgumentError,
    InvalidRequestError,
    OdemeError,
    OutcomeUnknownError,
    ProviderError,
    SignatureError,
    TransportError,
)

__version__: str = _odeme.__version__

__all__ = [
    "Client",
    "operations",
    "paymes_hash",
    "iyzico_auth_header",
    "iyzico_signature",
    "OdemeError",
    "InvalidArgumentError",
    "InvalidRequestError",
    "ConfigError",
    "TransportError",
    "OutcomeUnknownError",
    "AuthError",
    "DeclinedError",
    "ProviderError",
    "SignatureError",
    "DecodeError",
    "InternalError",
    "RefundOutcome",
    "RefundResponse",
    "__version__",
    "HtmlResponse",
    "CallbackResponse",
    "CompletedResponse",
    "CheckoutFormResponse",
    "StatusResponse",
    "CardInfoResponse",
    "InstallmentsResponse",
    "RedirectResponse",
    "ReviewResponse",
]

Request = Mapping[str, Any]
Response = Dict[str, Any]


def operations() -> List[Dict[str, Any]]:
    """The declared operations: ``{"name", "provider", "sends", "reconcile_with", "reconcile_by",
    "summary", "method", "path", "outcome"}`` (``method`` and ``path`` are ``None`` for a local
    operation; ``outcome`` lists the outcome types it can answer).

    ``sends`` is ``at_most_once`` (never resent: after an :class:`OutcomeUnknownError`, call
    ``reconcile_with`` first), ``retryable`` or ``local``."""
    return _odeme.operations()


def paymes_hash(parts: Sequence[str], secret_key: str) -> str:
    """Paymes: ``base64(sha512(parts[0] + ... + secret_key))`` over UTF-8."""
    return _odeme.paymes_hash(parts, secret_key)


def iyzico_auth_header(
    api_key: str, secret_key: str, random_key: str, uri_path: str, body: Union[bytes, str]
) -> str:
    """iyzico ``IYZWSv2`` Authorization value over ``random_key + uri_path + body`` (exact bytes)."""
    return _odeme.iyzico_auth_header(api_key, secret_key, random_key, uri_path, body)


def iyzico_signature(secret_key: str, fields: Sequence[str]) -> str:
    """iyzico response signature: hex HMAC-SHA256 of the fields joined by ``:``."""
    return _odeme.iyzico_signature(secret_key, fields)


class Client(_operations.Operations):
    """An odeme client: configuration and one connection pool. Thread-safe; share it.

    One attribute per provider and one typed method per operation (``client.iyzico.create_payment``),
    generated from the registry (``_operations.py``)."""

    def __init__(self, config: Union[Mapping[str, Any], str]) -> None:
        self._native = _odeme.Client(config)
        self._attach_providers(self)

    def call(self, operation: str, request: Request) -> Response:
        """Run ``operation`` (``"provider.verb"``) with ``request``; the GIL is released meanwhile."""
        return self._native.call(operation, request)

    def call_json(self, operation: str, request: str) -> str:
        """:meth:`call` with the request as JSON text and the response returned as JSON text (the
        same object, as odeme writes it: exact numbers, ``raw`` as the provider sent it). For a
        backend that already holds JSON, or forwards it: no dict is built either way. The GIL is
        released meanwhile; errors are the same exceptions as :meth:`call`'s."""
        return self._native.call_json(operation, request)

    def verify_webhook(self, provider: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Verify a webhook delivery (``"iyzico"``: ``X-IYZ-SIGNATURE-V3``; ``"paymes"``: the
        notification hash, form or JSON; ``"paytr"``: the callback hash, with ``"reply": "OK"``
        in the outcome: the text to answer) over the raw ``body`` bytes and the ``headers`` exactly
        as received (names case-insensitive). Returns ``{"operation": "webhook.PROVIDER",
        "outcome": {"type": "notification", "provider", "event", "subject", "state", "payment_id",
        "order_id", "duplicate"}, ...}``; a missing or bad signature raises
        :class:`SignatureError` and records nothing. With a journal the delivery resolves the
        rows with its merchant reference and is recorded once (``duplicate`` is True after)."""
        return _odeme.verify_webhook(self._native, provider, headers, body)

    def pending(self) -> List[Dict[str, Any]]:
        """The payment journal's unresolved rows (``sending``, ``outcome_unknown``,
        ``needs_manual_check``). :class:`ConfigError` when no journal is configured."""
        return _odeme.pending(self._native)

    def reconcile(self) -> List[Dict[str, Any]]:
        """Ask each unresolved journal row's reconciliation (network; the GIL is released),
        record the answer and return the rows as they now are (``resolved`` set, or
        ``needs_manual_check`` where the provider has no query)."""
        return _odeme.reconcile(self._native)

    def __repr__(self) -> str:
        return "odeme.Client(<configured>)"
