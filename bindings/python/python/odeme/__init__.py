"""odeme: iyzico, Paymes, Paymago and EsnekPOS (Hoppa) from Python, through one Rust core.

>>> client = odeme.Client({"iyzico": {"api_key": "...", "secret_key": "..."}})
>>> client.iyzico.retrieve_payment({"paymentConversationId": "order-42"})

Requests use the providers' own field names; amounts may be ``str``, ``int`` or
``decimal.Decimal`` (a ``float`` is refused: it cannot hold money exactly). Responses are plain
dicts with amounts as strings. Every failure raises a subclass of :class:`OdemeError`. Network
calls release the GIL; one :class:`Client` is meant to be shared by all threads.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Union, cast

from . import _odeme
from . import _logging  # noqa: F401  (the "odeme" logger and its NullHandler: README, "Logs")
from ._outcomes import (
    CallbackResponse,
    CardInfoResponse,
    CheckoutFormResponse,
    CompletedResponse,
    HtmlResponse,
    InstallmentsResponse,
    RedirectResponse,
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
from ._refund_types import RefundOutcome, RefundResponse

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

    def cancel_payment(self, request: Request) -> RefundResponse:
        """``POST /payment/cancel`` (the whole payment, same day) by ``paymentId``: outcome
        ``refund`` with state ``cancelled``. Optional ``details`` (an ``iyzico.payment_details``
        response) or ``refundable`` lets odeme refuse a cancel of a payment with nothing left."""
        return cast(RefundResponse, self._call("cancel_payment", request))

    def refund_payment(self, request: Request) -> RefundResponse:
        """``POST /v2/payment/refund`` ``{paymentId, price, ...}``: outcome ``refund``. With
        ``details`` or ``refundable`` a refund above what remains raises InvalidRequestError
        before anything is sent."""
        return cast(RefundResponse, self._call("refund_payment", request))
    # 3-D Secure, the checkout form and the lookups (issue 11).

    def init_3ds(self, request: Request) -> HtmlResponse:
        """``POST /payment/3dsecure/initialize`` (create_payment's request plus ``callbackUrl``):
        outcome ``html`` (show it to the payer) with the ``payment_id`` to complete."""
        return self._call("init_3ds", request)  # type: ignore[return-value]

    def verify_3ds_callback(self, form: Mapping[str, str]) -> CallbackResponse:
        """Check the form iyzico posted to ``callbackUrl`` (no I/O, constant time): outcome
        ``callback`` with ``state`` ``authenticated`` (complete it) or ``failed`` (do not), or
        SignatureError. Absent fields count as empty."""
        return self._call("verify_3ds_callback", form)  # type: ignore[return-value]

    def complete_3ds(self, request: Request) -> CompletedResponse:
        """``POST /payment/v2/3dsecure/auth`` ``{paymentId, paidPrice, basketId, currency}``: the
        money moves; outcome ``completed`` (or ``review``)."""
        return self._call("complete_3ds", request)  # type: ignore[return-value]

    def init_checkout_form(self, request: Request) -> CheckoutFormResponse:
        """Open iyzico's hosted payment form: outcome ``checkout_form`` (``token``, ``url``, ``html``)."""
        return self._call("init_checkout_form", request)  # type: ignore[return-value]

    def retrieve_checkout_form(self, request: Request) -> StatusResponse:
        """The form's result by ``token``: outcome ``status`` (``paid`` only for paymentStatus SUCCESS)."""
        return self._call("retrieve_checkout_form", request)  # type: ignore[return-value]

    def bin_check(self, request: Request) -> CardInfoResponse:
        """``POST /payment/bin/check`` ``{binNumber}``: outcome ``card_info``."""
        return self._call("bin_check", request)  # type: ignore[return-value]

    def installments(self, request: Request) -> InstallmentsResponse:
        """``POST /payment/iyzipos/installment`` ``{binNumber?, price}``: outcome ``installments``."""
        return self._call("installments", request)  # type: ignore[return-value]


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

    def cancel_order(self, request: Request) -> RefundResponse:
        """``POST /v4.6/order_cancel`` ``{paymesOrderId, price}`` (cancel or partial refund):
        outcome ``refund``; optional ``refundable`` refuses an over-refund before I/O."""
        return cast(RefundResponse, self._call("cancel_order", request))


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

    def return_order(self, request: Request) -> RefundResponse:
        """``OrderReturn`` ``{ORDER_REF_NUMBER, AMOUNT, SYNC_WITH_POS?}`` (the full amount
        cancels, less refunds): outcome ``refund``; optional ``refundable`` refuses an
        over-refund before I/O."""
        return cast(RefundResponse, self._call("return_order", request))
    def pay_3d(self, request: Request) -> RedirectResponse:
        """``EYV3DPay`` (``Config``, ``CreditCard``, ``Customer``, ``Product``): outcome ``redirect``
        to ``URL_3DS``; ``order_id`` is the ``ORDER_REF_NUMBER`` (generated when absent)."""
        return self._call("pay_3d", request)  # type: ignore[return-value]

    def process_query(self, request: Request) -> StatusResponse:
        """``ProcessQuery`` by ``ORDER_REF_NUMBER``: outcome ``status``."""
        return self._call("process_query", request)  # type: ignore[return-value]


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

    def call_json(self, operation: str, request: str) -> str:
        """:meth:`call` with the request as JSON text and the response returned as JSON text (the
        same object, as odeme writes it: exact numbers, ``raw`` as the provider sent it). For a
        backend that already holds JSON, or forwards it: no dict is built either way. The GIL is
        released meanwhile; errors are the same exceptions as :meth:`call`'s."""
        return self._native.call_json(operation, request)

    def verify_webhook(self, provider: str, headers: Mapping[str, str], body: bytes) -> Response:
        """Verify a webhook delivery (``"iyzico"``: ``X-IYZ-SIGNATURE-V3``; ``"paymes"``: the
        notification hash, form or JSON) over the raw ``body`` bytes and the ``headers`` exactly
        as received (names case-insensitive). Returns ``{"operation": "webhook.PROVIDER",
        "outcome": {"type": "notification", "provider", "event", "state", "payment_id",
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
