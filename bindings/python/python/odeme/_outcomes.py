"""Typed shapes of the 3-D Secure, checkout-form, lookup and EsnekPOS 3-D responses (issue 11).

These are :class:`typing.TypedDict` descriptions of the plain dicts odeme returns; they exist for
type checkers and editors and cost nothing at run time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict

__all__ = [
    "HtmlOutcome",
    "CallbackOutcome",
    "CheckoutFormOutcome",
    "CardInfoOutcome",
    "InstallmentPrice",
    "InstallmentOption",
    "InstallmentsOutcome",
    "RedirectOutcome",
    "StatusOutcome",
    "HtmlResponse",
    "CallbackResponse",
    "CheckoutFormResponse",
    "CardInfoResponse",
    "InstallmentsResponse",
    "RedirectResponse",
    "StatusResponse",
    "CompletedResponse",
]


class HtmlOutcome(TypedDict):
    """``init_3ds``: show ``html`` to the payer; keep ``payment_id`` for ``complete_3ds``."""

    type: Literal["html"]
    html: str
    order_id: Optional[str]
    provider_order_id: Optional[str]
    payment_id: Optional[str]


class CallbackOutcome(TypedDict):
    """``verify_3ds_callback``: ``authenticated`` only for status=success and mdStatus=1."""

    type: Literal["callback"]
    state: Literal["authenticated", "failed"]
    md_status: Optional[str]
    payment_id: Optional[str]
    conversation_id: Optional[str]
    conversation_data: Optional[str]


class CheckoutFormOutcome(TypedDict):
    type: Literal["checkout_form"]
    token: str
    url: Optional[str]
    html: Optional[str]


class CardInfoOutcome(TypedDict):
    type: Literal["card_info"]
    bin: str
    card_type: Optional[str]
    association: Optional[str]
    family: Optional[str]
    bank_name: Optional[str]
    commercial: bool


class InstallmentPrice(TypedDict):
    count: int
    total_price: str
    installment_price: str


class InstallmentOption(TypedDict):
    bin: Optional[str]
    bank_name: Optional[str]
    family: Optional[str]
    card_type: Optional[str]
    association: Optional[str]
    installments: List[InstallmentPrice]


class InstallmentsOutcome(TypedDict):
    type: Literal["installments"]
    options: List[InstallmentOption]


class RedirectOutcome(TypedDict):
    type: Literal["redirect"]
    url: str
    order_id: Optional[str]
    provider_order_id: Optional[str]


class StatusOutcome(TypedDict, total=False):
    type: Literal["status"]
    state: Literal[
        "paid", "pending", "failed", "cancelled", "refunded", "partially_refunded",
        "not_found", "needs_attention",
    ]
    order_id: Optional[str]
    provider_order_id: Optional[str]
    amount: Optional[str]
    currency: Optional[str]
    message: Optional[str]


class _Response(TypedDict):
    operation: str
    provider_reference: Optional[str]
    raw: Dict[str, Any]


class HtmlResponse(_Response):
    outcome: HtmlOutcome


class CallbackResponse(_Response):
    outcome: CallbackOutcome


class CheckoutFormResponse(_Response):
    outcome: CheckoutFormOutcome


class CardInfoResponse(_Response):
    outcome: CardInfoOutcome


class InstallmentsResponse(_Response):
    outcome: InstallmentsOutcome


class RedirectResponse(_Response):
    outcome: RedirectOutcome


class StatusResponse(_Response):
    outcome: StatusOutcome


class CompletedResponse(_Response):
    """``complete_3ds``: ``outcome["type"]`` is ``completed`` (or ``review``: do not ship yet)."""

    outcome: Dict[str, Any]
