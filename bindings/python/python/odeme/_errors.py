"""Exceptions raised by odeme: one class per error kind, all under :class:`OdemeError`."""

from __future__ import annotations

from typing import Any, Dict, Optional, Type


class OdemeError(Exception):
    """Base class of every odeme error.

    Attributes mirror the C ABI's error JSON: ``kind``, ``status``, ``operation``, ``provider``,
    ``provider_code``, ``provider_message``, ``http_status``, ``field``, ``retry_safe``, and after
    an ``outcome_unknown`` ``reconcile_with`` (the operation that answers "did it happen?", or None
    where the provider's API cannot answer: the message then says where to look) and
    ``reconcile_request`` (the request to pass to it). None of them ever contains card data or
    secrets.
    """

    kind: str = "internal"
    status: int = 99

    def __init__(
        self,
        message: str,
        *,
        operation: Optional[str] = None,
        provider: Optional[str] = None,
        provider_code: Optional[str] = None,
        provider_message: Optional[str] = None,
        http_status: Optional[int] = None,
        field: Optional[str] = None,
        retry_safe: bool = False,
        reconcile_with: Optional[str] = None,
        reconcile_request: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.provider = provider
        self.provider_code = provider_code
        self.provider_message = provider_message
        self.http_status = http_status
        self.field = field
        self.retry_safe = retry_safe
        self.reconcile_with = reconcile_with
        self.reconcile_request = reconcile_request

    def to_dict(self) -> Dict[str, Any]:
        """The error's fields as a dict (the same shape as ``odeme_error_json`` in C)."""
        return {
            "status": self.status,
            "kind": self.kind,
            "message": self.message,
            "operation": self.operation,
            "provider": self.provider,
            "provider_code": self.provider_code,
            "provider_message": self.provider_message,
            "http_status": self.http_status,
            "field": self.field,
            "retry_safe": self.retry_safe,
            "reconcile_with": self.reconcile_with,
            "reconcile_request": self.reconcile_request,
        }

    def __str__(self) -> str:
        where = f" in {self.operation}" if self.operation else ""
        return f"{self.kind}{where}: {self.message}"

    def __repr__(self) -> str:
        parts = [f"kind={self.kind!r}", f"status={self.status}", f"message={self.message!r}"]
        for name in ("operation", "provider_code", "http_status", "field", "reconcile_with"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        parts.append(f"retry_safe={self.retry_safe!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class InvalidArgumentError(OdemeError):
    """The call itself is wrong: not JSON-like data, unknown operation, wrong type."""

    kind = "invalid_argument"
    status = 1


class InvalidRequestError(OdemeError):
    """The request failed validation before any I/O; ``field`` names the culprit."""

    kind = "invalid_request"
    status = 2


class ConfigError(OdemeError):
    """Bad or missing configuration (``field`` names the key)."""

    kind = "config"
    status = 3


class TransportError(OdemeError):
    """The request provably never reached the provider. Safe to retry."""

    kind = "transport"
    status = 10


class OutcomeUnknownError(OdemeError):
    """The payment may have gone through. Do not resend: query the provider first."""

    kind = "outcome_unknown"
    status = 11


class AuthError(OdemeError):
    """The provider rejected the credentials or the signature."""

    kind = "auth"
    status = 20


class DeclinedError(OdemeError):
    """The payment was refused (card declined, insufficient funds, fraud)."""

    kind = "declined"
    status = 21


class ProviderError(OdemeError):
    """Any other provider-reported error; see ``provider_code`` and ``provider_message``."""

    kind = "provider"
    status = 22


class SignatureError(OdemeError):
    """A provider reply or notification failed signature verification."""

    kind = "signature"
    status = 23


class DecodeError(OdemeError):
    """A reply to a read-only call could not be understood. Safe to retry."""

    kind = "decode"
    status = 30


class InternalError(OdemeError):
    """A bug in odeme."""

    kind = "internal"
    status = 99


BY_KIND: Dict[str, Type[OdemeError]] = {
    cls.kind: cls
    for cls in (
        InvalidArgumentError,
        InvalidRequestError,
        ConfigError,
        TransportError,
        OutcomeUnknownError,
        AuthError,
        DeclinedError,
        ProviderError,
        SignatureError,
        DecodeError,
        InternalError,
    )
}
