"""Typed shapes of the refund and cancel responses (``iyzico.cancel_payment``,
``iyzico.refund_payment``, ``paymes.cancel_order``, ``esnekpos.return_order``)."""

from __future__ import annotations

from typing import Any, Dict, Literal, Optional, TypedDict


class _RefundOutcomeRequired(TypedDict):
    type: Literal["refund"]
    state: Literal["cancelled", "refunded", "partially_refunded"]
    amount: str
    currency: Optional[str]
    payment_id: str


class RefundOutcome(_RefundOutcomeRequired, total=False):
    """``{"type": "refund", "state", "amount", "currency", "payment_id", "refund_id"?}``.

    ``state`` is ``cancelled`` for an iyzico cancel; for an amount-based refund it is
    ``partially_refunded`` when odeme knows money remains afterwards (the request carried
    ``refundable`` or, for iyzico, ``details``), otherwise ``refunded``. ``amount`` is what goes
    back to the payer, as a decimal string."""

    refund_id: str


class RefundResponse(TypedDict):
    operation: str
    outcome: RefundOutcome
    provider_reference: Optional[str]
    raw: Dict[str, Any]
