"""Typed shapes of odeme's responses: one ``TypedDict`` per outcome type and list item.

GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with
ODEME_BLESS=1 cargo test -p odeme --test generated

They describe the plain dicts odeme returns, for type checkers and editors; they cost nothing
at run time. Amounts are ``str`` (exact digits); optional fields may be ``None`` or absent.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict

__all__ = [
    "RedirectOutcome",
    "RedirectResponse",
    "HtmlOutcome",
    "HtmlResponse",
    "TerminalOutcome",
    "TerminalResponse",
    "PaymentLinkOutcome",
    "PaymentLinkResponse",
    "CompletedOutcome",
    "CompletedResponse",
    "ReviewOutcome",
    "ReviewResponse",
    "AuthorizedOutcome",
    "AuthorizedResponse",
    "CardOutcome",
    "CardResponse",
    "CardsOutcome",
    "CardsResponse",
    "CardDeletedOutcome",
    "CardDeletedResponse",
    "StatusOutcome",
    "StatusResponse",
    "NotificationOutcome",
    "NotificationResponse",
    "RefundOutcome",
    "RefundResponse",
    "CallbackOutcome",
    "CallbackResponse",
    "CheckoutFormOutcome",
    "CheckoutFormResponse",
    "CardInfoOutcome",
    "CardInfoResponse",
    "InstallmentsOutcome",
    "InstallmentsResponse",
    "ItemTransaction",
    "RefundEntry",
    "ReportedPayment",
    "InstallmentOption",
    "StoredCard",
    "InstallmentPrice",
]


class _ItemTransactionRequired(TypedDict):
    pass


class ItemTransaction(_ItemTransactionRequired, total=False):
    """One basket line of a payment; keep payment_transaction_id for refunds."""

    item_id: Optional[str]
    payment_transaction_id: Optional[str]
    price: Optional[str]
    paid_price: Optional[str]


class _RefundEntryRequired(TypedDict):
    amount: str


class RefundEntry(_RefundEntryRequired, total=False):
    """Money that went back to the payer."""

    currency: Optional[str]
    refund_id: Optional[str]
    date: Optional[str]


class _ReportedPaymentRequired(TypedDict):
    payment_id: str
    state: Literal["paid", "pending", "failed", "cancelled", "refunded", "partially_refunded", "not_found", "needs_attention", "refund_failed", "unknown", "authorized"]
    refunds: List[RefundEntry]
    cancelled: bool


class ReportedPayment(_ReportedPaymentRequired, total=False):
    """One payment of several under one reference, or of a payment link."""

    paid_price: Optional[str]
    currency: Optional[str]
    transaction_id: Optional[str]
    message: Optional[str]


class _InstallmentOptionRequired(TypedDict):
    installments: List[InstallmentPrice]


class InstallmentOption(_InstallmentOptionRequired, total=False):
    """The installments one card family offers."""

    bin: Optional[str]
    bank_name: Optional[str]
    family: Optional[str]
    card_type: Optional[str]
    association: Optional[str]


class _StoredCardRequired(TypedDict):
    pass


class StoredCard(_StoredCardRequired, total=False):
    """One stored card of a card user."""

    card_user_key: Optional[str]
    card_token: Optional[str]
    alias: Optional[str]
    bin: Optional[str]
    last_four: Optional[str]
    card_type: Optional[str]
    association: Optional[str]
    family: Optional[str]
    bank_name: Optional[str]


class _InstallmentPriceRequired(TypedDict):
    count: int
    total_price: str
    installment_price: str


class InstallmentPrice(_InstallmentPriceRequired, total=False):
    """One installment count and what the payer pays with it."""


class _RedirectOutcomeRequired(TypedDict):
    type: Literal["redirect"]
    url: str


class RedirectOutcome(_RedirectOutcomeRequired, total=False):
    """Send the payer to url (a hosted page or the bank's 3-D Secure page)."""

    order_id: Optional[str]
    provider_order_id: Optional[str]


class _HtmlOutcomeRequired(TypedDict):
    type: Literal["html"]
    html: str


class HtmlOutcome(_HtmlOutcomeRequired, total=False):
    """Show html to the payer; keep payment_id (when present) to complete the payment."""

    order_id: Optional[str]
    provider_order_id: Optional[str]
    payment_id: Optional[str]


class _TerminalOutcomeRequired(TypedDict):
    type: Literal["terminal"]
    invoice_code: str


class TerminalOutcome(_TerminalOutcomeRequired, total=False):
    """Pay at a terminal with invoice_code (Paymes kiosk)."""

    url: Optional[str]
    order_id: Optional[str]
    provider_order_id: Optional[str]


class _PaymentLinkOutcomeRequired(TypedDict):
    type: Literal["payment_link"]
    url: str
    request_id: str


class PaymentLinkOutcome(_PaymentLinkOutcomeRequired, total=False):
    """A pay-by-link request was sent."""


class _CompletedOutcomeRequired(TypedDict):
    type: Literal["completed"]
    payment_id: str
    price: str
    paid_price: str
    item_transactions: List[ItemTransaction]


class CompletedOutcome(_CompletedOutcomeRequired, total=False):
    """The money moved."""

    conversation_id: Optional[str]
    basket_id: Optional[str]
    currency: Optional[str]
    installment: Optional[str]
    fraud_status: Optional[str]
    bin_number: Optional[str]
    last_four_digits: Optional[str]
    card_association: Optional[str]
    card_family: Optional[str]
    card_type: Optional[str]
    auth_code: Optional[str]
    card_user_key: Optional[str]
    card_token: Optional[str]


class _ReviewOutcomeRequired(TypedDict):
    type: Literal["review"]
    payment_id: str
    price: str
    paid_price: str
    item_transactions: List[ItemTransaction]


class ReviewOutcome(_ReviewOutcomeRequired, total=False):
    """Accepted but held for fraud review: do not ship until the provider confirms."""

    conversation_id: Optional[str]
    basket_id: Optional[str]
    currency: Optional[str]
    installment: Optional[str]
    fraud_status: Optional[str]
    bin_number: Optional[str]
    last_four_digits: Optional[str]
    card_association: Optional[str]
    card_family: Optional[str]
    card_type: Optional[str]
    auth_code: Optional[str]
    card_user_key: Optional[str]
    card_token: Optional[str]


class _AuthorizedOutcomeRequired(TypedDict):
    type: Literal["authorized"]
    payment_id: str
    price: str
    paid_price: str
    item_transactions: List[ItemTransaction]


class AuthorizedOutcome(_AuthorizedOutcomeRequired, total=False):
    """The bank holds the amount; nothing moved yet: capture it or release it (cancel)."""

    conversation_id: Optional[str]
    basket_id: Optional[str]
    currency: Optional[str]
    installment: Optional[str]
    fraud_status: Optional[str]
    bin_number: Optional[str]
    last_four_digits: Optional[str]
    card_association: Optional[str]
    card_family: Optional[str]
    card_type: Optional[str]
    auth_code: Optional[str]
    card_user_key: Optional[str]
    card_token: Optional[str]


class _CardOutcomeRequired(TypedDict):
    type: Literal["card"]


class CardOutcome(_CardOutcomeRequired, total=False):
    """A card stored with the provider; card_user_key and card_token are bearer credentials."""

    card_user_key: Optional[str]
    card_token: Optional[str]
    alias: Optional[str]
    bin: Optional[str]
    last_four: Optional[str]
    card_type: Optional[str]
    association: Optional[str]
    family: Optional[str]
    bank_name: Optional[str]


class _CardsOutcomeRequired(TypedDict):
    type: Literal["cards"]
    cards: List[StoredCard]


class CardsOutcome(_CardsOutcomeRequired, total=False):
    """The cards stored for one card user."""

    card_user_key: Optional[str]


class _CardDeletedOutcomeRequired(TypedDict):
    type: Literal["card_deleted"]


class CardDeletedOutcome(_CardDeletedOutcomeRequired, total=False):
    """A stored card was deleted."""

    card_user_key: Optional[str]
    card_token: Optional[str]


class _StatusOutcomeRequired(TypedDict):
    type: Literal["status"]
    state: Literal["paid", "pending", "failed", "cancelled", "refunded", "partially_refunded", "not_found", "needs_attention", "refund_failed", "unknown", "authorized"]


class StatusOutcome(_StatusOutcomeRequired, total=False):
    """The state of an order or payment as a query reports it."""

    order_id: Optional[str]
    provider_order_id: Optional[str]
    amount: Optional[str]
    currency: Optional[str]
    message: Optional[str]
    payment_id: Optional[str]
    paid_price: Optional[str]
    refunds: Optional[List[RefundEntry]]
    cancelled: Optional[bool]
    payments: Optional[List[ReportedPayment]]


class _NotificationOutcomeRequired(TypedDict):
    type: Literal["notification"]
    state: Literal["paid", "pending", "failed", "cancelled", "refunded", "partially_refunded", "not_found", "needs_attention", "refund_failed", "unknown", "authorized"]


class NotificationOutcome(_NotificationOutcomeRequired, total=False):
    """A notification or webhook whose signature verified."""

    order_id: Optional[str]
    provider_order_id: Optional[str]
    amount: Optional[str]
    currency: Optional[str]
    message: Optional[str]
    payment_id: Optional[str]
    provider: Optional[str]
    event: Optional[str]
    subject: Optional[Literal["payment", "refund"]]
    duplicate: Optional[bool]


class _RefundOutcomeRequired(TypedDict):
    type: Literal["refund"]
    state: Literal["paid", "pending", "failed", "cancelled", "refunded", "partially_refunded", "not_found", "needs_attention", "refund_failed", "unknown", "authorized"]
    amount: str
    payment_id: str


class RefundOutcome(_RefundOutcomeRequired, total=False):
    """Money went back to the payer (a refund or a cancel)."""

    currency: Optional[str]
    refund_id: Optional[str]


class _CallbackOutcomeRequired(TypedDict):
    type: Literal["callback"]
    state: Literal["authenticated", "failed"]


class CallbackOutcome(_CallbackOutcomeRequired, total=False):
    """A 3-D Secure callback whose signature verified: complete only when authenticated."""

    md_status: Optional[str]
    payment_id: Optional[str]
    conversation_id: Optional[str]
    conversation_data: Optional[str]


class _CheckoutFormOutcomeRequired(TypedDict):
    type: Literal["checkout_form"]
    token: str


class CheckoutFormOutcome(_CheckoutFormOutcomeRequired, total=False):
    """A hosted payment form was opened."""

    url: Optional[str]
    html: Optional[str]


class _CardInfoOutcomeRequired(TypedDict):
    type: Literal["card_info"]
    bin: str
    commercial: bool


class CardInfoOutcome(_CardInfoOutcomeRequired, total=False):
    """What a card's BIN says."""

    card_type: Optional[str]
    association: Optional[str]
    family: Optional[str]
    bank_name: Optional[str]


class _InstallmentsOutcomeRequired(TypedDict):
    type: Literal["installments"]
    options: List[InstallmentOption]


class InstallmentsOutcome(_InstallmentsOutcomeRequired, total=False):
    """The installment table."""


class _Response(TypedDict):
    operation: str
    provider_reference: Optional[str]
    raw: Dict[str, Any]


class RedirectResponse(_Response):
    outcome: RedirectOutcome


class HtmlResponse(_Response):
    outcome: HtmlOutcome


class TerminalResponse(_Response):
    outcome: TerminalOutcome


class PaymentLinkResponse(_Response):
    outcome: PaymentLinkOutcome


class CompletedResponse(_Response):
    outcome: CompletedOutcome


class ReviewResponse(_Response):
    outcome: ReviewOutcome


class AuthorizedResponse(_Response):
    outcome: AuthorizedOutcome


class CardResponse(_Response):
    outcome: CardOutcome


class CardsResponse(_Response):
    outcome: CardsOutcome


class CardDeletedResponse(_Response):
    outcome: CardDeletedOutcome


class StatusResponse(_Response):
    outcome: StatusOutcome


class NotificationResponse(_Response):
    outcome: NotificationOutcome


class RefundResponse(_Response):
    outcome: RefundOutcome


class CallbackResponse(_Response):
    outcome: CallbackOutcome


class CheckoutFormResponse(_Response):
    outcome: CheckoutFormOutcome


class CardInfoResponse(_Response):
    outcome: CardInfoOutcome


class InstallmentsResponse(_Response):
    outcome: InstallmentsOutcome
