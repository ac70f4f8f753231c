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
    "__version__",
]

Request = Mapping[str, Any]
Response = Dict[str, Any]


def operations() -> List[Dict[str, Any]]:
    """The declared operations: ``{"name", "provider", "sends", "reconcile_with", "reconcile_by"}``.

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


class _Provider:
    _name = ""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def _call(self, verb: str, request: Request) -> Response:
        return self._client.call(f"{self._name}.{verb}", request)


class Iyzico(_Provider):
    """iyzico operations."""

    _name = "iyzico"

    def create_payment(self, request: Request) -> Response:
        """``POST /payment/auth``: outcome ``completed`` (or ``review``)."""
        return self._call("create_payment", request)

    def retrieve_payment(self, request: Request) -> Response:
        """``POST /payment/detail`` by ``paymentId`` or ``paymentConversationId``: outcome ``status``."""
        return self._call("retrieve_payment", request)

    def payment_details(self, request: Request) -> Response:
        """``GET /v2/reporting/payment/details`` by ``paymentConversationId`` or ``paymentId``:
        outcome ``status`` with refunds, cancels and every payment under the reference."""
        return self._call("payment_details", request)


class Paymes(_Provider):
    """Paymes operations."""

    _name = "paymes"

    def create_order(self, request: Request) -> Response:
        """``POST /v4.6/order_create``: outcome ``redirect``."""
        return self._call("create_order", request)

    def create_kiosk_order(self, request: Request) -> Response:
        """Kiosk order: outcome ``terminal`` with the ``invoice_code``."""
        return self._call("create_kiosk_order", request)

    def create_order_legacy(self, request: Request) -> Response:
        """The unversioned ``POST /order_create`` API: outcome ``redirect``."""
        return self._call("create_order_legacy", request)

    def query_order(self, request: Request) -> Response:
        """``POST /v4.6/status`` by ``paymesOrderId``: outcome ``status``."""
        return self._call("query_order", request)

    def verify_notification(self, request: Request) -> Response:
        """Check a posted result/webhook (no I/O): outcome ``notification``, or SignatureError."""
        return self._call("verify_notification", request)


class Paymago(_Provider):
    """Paymago operations."""

    _name = "paymago"

    def create_order(self, request: Request) -> Response:
        """``POST /pos/createOrder``: outcome ``redirect`` or ``html``."""
        return self._call("create_order", request)

    def order_result(self, request: Request) -> Response:
        """``POST /pos/orderResult``: outcome ``status`` (a bank decline raises DeclinedError)."""
        return self._call("order_result", request)


class Esnekpos(_Provider):
    """EsnekPOS (Hoppa) operations."""

    _name = "esnekpos"

    def send_payment_request(self, request: Request) -> Response:
        """``SendPaymentRequest``: outcome ``payment_link``."""
        return self._call("send_payment_request", request)

    def query_payment_request(self, request: Request) -> Response:
        """``SendPaymentRequestQuery``: outcome ``status``."""
        return self._call("query_payment_request", request)


class Client:
    """An odeme client: configuration and one connection pool. Thread-safe; share it."""

    def __init__(self, config: Union[Mapping[str, Any], str]) -> None:
        self._native = _odeme.Client(config)
        self.iyzico = Iyzico(self)
        self.paymes = Paymes(self)
        self.paymago = Paymago(self)
        self.esnekpos = Esnekpos(self)

    def call(self, operation: str, request: Request) -> Response:
        """Run ``operation`` (``"provider.verb"``) with ``request``; the GIL is released meanwhile."""
        return self._native.call(operation, request)

    def __repr__(self) -> str:
        return "odeme.Client(<configured>)"
