"""One class per provider, one method per declared operation.

GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with
ODEME_BLESS=1 cargo test -p odeme --test generated
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Union, cast

from ._outcomes import (
    AuthorizedResponse,
    CallbackResponse,
    CardDeletedResponse,
    CardInfoResponse,
    CardResponse,
    CardsResponse,
    CheckoutFormResponse,
    CompletedResponse,
    HtmlResponse,
    InstallmentsResponse,
    NotificationResponse,
    PaymentLinkResponse,
    RedirectResponse,
    RefundResponse,
    ReviewResponse,
    StatusResponse,
    TerminalResponse,
)

if TYPE_CHECKING:
    from . import Client

__all__ = ["Operations", "Iyzico", "Paymes", "Paymago", "Esnekpos"]

Request = Mapping[str, Any]


class _Provider:
    def __init__(self, client: "Client") -> None:
        self._client = client

    def _call(self, operation: str, request: Request) -> Dict[str, Any]:
        return self._client.call(operation, request)


class Iyzico(_Provider):
    """iyzico operations."""

    def create_payment(self, request: Request) -> Union[CompletedResponse, ReviewResponse]:
        """Pay by card (no 3-D Secure), IYZWSv2 over the exact body bytes.

        ``POST /payment/auth``; outcome ``completed`` or ``review``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``conversationId``."""
        return cast(Union[CompletedResponse, ReviewResponse], self._call("iyzico.create_payment", request))

    def retrieve_payment(self, request: Request) -> StatusResponse:
        """A payment's state by paymentId or paymentConversationId (refunds and cancels are not in this reply: use iyzico.payment_details).

        ``POST /payment/detail``; outcome ``status``."""
        return cast(StatusResponse, self._call("iyzico.retrieve_payment", request))

    def payment_details(self, request: Request) -> StatusResponse:
        """A payment with its refunds and cancels, and every payment under a reused conversationId (IYZWSv2 over the path without the query).

        ``GET /v2/reporting/payment/details``; outcome ``status``."""
        return cast(StatusResponse, self._call("iyzico.payment_details", request))

    def cancel_payment(self, request: Request) -> RefundResponse:
        """Cancel a whole payment the same day (reason double_payment, buyer_request, fraud or other).

        ``POST /payment/cancel``; outcome ``refund``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``paymentId``."""
        return cast(RefundResponse, self._call("iyzico.cancel_payment", request))

    def refund_payment(self, request: Request) -> RefundResponse:
        """Refund an amount of a payment (reply signature over paymentId:price:currency:conversationId verified).

        ``POST /v2/payment/refund``; outcome ``refund``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``paymentId``."""
        return cast(RefundResponse, self._call("iyzico.refund_payment", request))

    def init_3ds(self, request: Request) -> HtmlResponse:
        """Start 3-D Secure: create_payment's request plus callbackUrl; reply signed over paymentId:conversationId, threeDSHtmlContent decoded.

        ``POST /payment/3dsecure/initialize``; outcome ``html``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``conversationId``."""
        return cast(HtmlResponse, self._call("iyzico.init_3ds", request))

    def verify_3ds_callback(self, request: Request) -> CallbackResponse:
        """Check the form iyzico posts to callbackUrl: signature over conversationData:conversationId:mdStatus:paymentId:status, constant time.

        no I/O; outcome ``callback``."""
        return cast(CallbackResponse, self._call("iyzico.verify_3ds_callback", request))

    def complete_3ds(self, request: Request) -> Union[CompletedResponse, ReviewResponse]:
        """Complete an authenticated 3-D Secure payment: the money moves.

        ``POST /payment/v2/3dsecure/auth``; outcome ``completed`` or ``review``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``paymentId``."""
        return cast(Union[CompletedResponse, ReviewResponse], self._call("iyzico.complete_3ds", request))

    def init_checkout_form(self, request: Request) -> CheckoutFormResponse:
        """Open iyzico's hosted checkout form; reply signed over conversationId:token.

        ``POST /payment/iyzipos/checkoutform/initialize/auth/ecom``; outcome ``checkout_form``; sent at most once: after outcome_unknown see the error's message."""
        return cast(CheckoutFormResponse, self._call("iyzico.init_checkout_form", request))

    def retrieve_checkout_form(self, request: Request) -> StatusResponse:
        """A checkout form's result by token; reply signature checked (paid only for paymentStatus SUCCESS).

        ``POST /payment/iyzipos/checkoutform/auth/ecom/detail``; outcome ``status``."""
        return cast(StatusResponse, self._call("iyzico.retrieve_checkout_form", request))

    def bin_check(self, request: Request) -> CardInfoResponse:
        """What a card's BIN says: type, association, family, bank.

        ``POST /payment/bin/check``; outcome ``card_info``."""
        return cast(CardInfoResponse, self._call("iyzico.bin_check", request))

    def installments(self, request: Request) -> InstallmentsResponse:
        """The installment table for a price (and a BIN).

        ``POST /payment/iyzipos/installment``; outcome ``installments``."""
        return cast(InstallmentsResponse, self._call("iyzico.installments", request))

    def preauth_payment(self, request: Request) -> Union[AuthorizedResponse, ReviewResponse]:
        """Authorize a card payment now and capture it later (the create-payment body; the bank holds the amount).

        ``POST /payment/preauth``; outcome ``authorized`` or ``review``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``conversationId``."""
        return cast(Union[AuthorizedResponse, ReviewResponse], self._call("iyzico.preauth_payment", request))

    def init_3ds_preauth(self, request: Request) -> HtmlResponse:
        """Start a 3-D Secure pre-authorization: init_3ds's request; complete_3ds then answers authorized.

        ``POST /payment/3dsecure/initialize/preauth``; outcome ``html``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``conversationId``."""
        return cast(HtmlResponse, self._call("iyzico.init_3ds_preauth", request))

    def capture_payment(self, request: Request) -> CompletedResponse:
        """Capture an authorization: up to the authorized amount, once (less captures part of it).

        ``POST /payment/postauth``; outcome ``completed``; sent at most once: after outcome_unknown call ``iyzico.payment_details`` by ``paymentId``."""
        return cast(CompletedResponse, self._call("iyzico.capture_payment", request))

    def store_card(self, request: Request) -> CardResponse:
        """Store a card with iyzico for a new or an existing card user (cardUserKey and cardToken are bearer credentials).

        ``POST /cardstorage/card``; outcome ``card``; sent at most once: after outcome_unknown see the error's message."""
        return cast(CardResponse, self._call("iyzico.store_card", request))

    def list_cards(self, request: Request) -> CardsResponse:
        """The cards stored for a card user.

        ``POST /cardstorage/cards``; outcome ``cards``."""
        return cast(CardsResponse, self._call("iyzico.list_cards", request))

    def delete_card(self, request: Request) -> CardDeletedResponse:
        """Delete a stored card.

        ``DELETE /cardstorage/card``; outcome ``card_deleted``."""
        return cast(CardDeletedResponse, self._call("iyzico.delete_card", request))


class Paymes(_Provider):
    """paymes operations."""

    def create_order(self, request: Request) -> RedirectResponse:
        """A hosted payment page, sha512 hash.

        ``POST /v4.6/order_create``; outcome ``redirect``; sent at most once: after outcome_unknown see the error's message."""
        return cast(RedirectResponse, self._call("paymes.create_order", request))

    def create_kiosk_order(self, request: Request) -> TerminalResponse:
        """A kiosk order (create_order_by_kiosk=true): pay at a terminal with the invoice code.

        ``POST /v4.6/order_create``; outcome ``terminal``; sent at most once: after outcome_unknown see the error's message."""
        return cast(TerminalResponse, self._call("paymes.create_kiosk_order", request))

    def create_order_legacy(self, request: Request) -> RedirectResponse:
        """A hosted payment page through the unversioned API (secret).

        ``POST /order_create``; outcome ``redirect``; sent at most once: after outcome_unknown see the error's message."""
        return cast(RedirectResponse, self._call("paymes.create_order_legacy", request))

    def query_order(self, request: Request) -> StatusResponse:
        """An order's state by paymesOrderId.

        ``POST /v4.6/status``; outcome ``status``."""
        return cast(StatusResponse, self._call("paymes.query_order", request))

    def verify_notification(self, request: Request) -> NotificationResponse:
        """Check a posted Paymes result or notification hash, constant time.

        no I/O; outcome ``notification``."""
        return cast(NotificationResponse, self._call("paymes.verify_notification", request))

    def cancel_order(self, request: Request) -> RefundResponse:
        """Cancel or partly refund an order, sha512 hash over paymesOrderId + price.

        ``POST /v4.6/order_cancel``; outcome ``refund``; sent at most once: after outcome_unknown call ``paymes.query_order`` by ``paymesOrderId``."""
        return cast(RefundResponse, self._call("paymes.cancel_order", request))


class Paymago(_Provider):
    """paymago operations."""

    def create_order(self, request: Request) -> Union[RedirectResponse, HtmlResponse]:
        """A card payment (3-D Secure as a URL or an HTML page), bearer token.

        ``POST /pos/createOrder``; outcome ``redirect`` or ``html``; sent at most once: after outcome_unknown see the error's message."""
        return cast(Union[RedirectResponse, HtmlResponse], self._call("paymago.create_order", request))

    def order_result(self, request: Request) -> StatusResponse:
        """An order's result by paymentId and orderId (both required, as documented).

        ``POST /pos/orderResult``; outcome ``status``."""
        return cast(StatusResponse, self._call("paymago.order_result", request))


class Esnekpos(_Provider):
    """esnekpos operations."""

    def send_payment_request(self, request: Request) -> PaymentLinkResponse:
        """Send a pay-by-link request (SMS or e-mail).

        ``POST /api/services/SendPaymentRequest``; outcome ``payment_link``; sent at most once: after outcome_unknown see the error's message."""
        return cast(PaymentLinkResponse, self._call("esnekpos.send_payment_request", request))

    def query_payment_request(self, request: Request) -> StatusResponse:
        """A payment link's state with every payment made through it.

        ``POST /api/services/SendPaymentRequestQuery``; outcome ``status``."""
        return cast(StatusResponse, self._call("esnekpos.query_payment_request", request))

    def return_order(self, request: Request) -> RefundResponse:
        """Return an order by ORDER_REF_NUMBER (the full amount cancels, less refunds).

        ``POST /api/services/OrderReturn``; outcome ``refund``; sent at most once: after outcome_unknown call ``esnekpos.process_query`` by ``ORDER_REF_NUMBER``."""
        return cast(RefundResponse, self._call("esnekpos.return_order", request))

    def pay_3d(self, request: Request) -> RedirectResponse:
        """A 3-D Secure card payment (EYV3DPay; odeme adds the credentials and generates ORDER_REF_NUMBER when absent).

        ``POST /api/pay/EYV3DPay``; outcome ``redirect``; sent at most once: after outcome_unknown call ``esnekpos.process_query`` by ``Config.ORDER_REF_NUMBER``."""
        return cast(RedirectResponse, self._call("esnekpos.pay_3d", request))

    def process_query(self, request: Request) -> StatusResponse:
        """A payment's transactions by ORDER_REF_NUMBER (STATUS_ID 3 paid, 4 failed, 5 cancelled, 7 refunded).

        ``POST /api/services/ProcessQuery``; outcome ``status``."""
        return cast(StatusResponse, self._call("esnekpos.process_query", request))


class Operations:
    """The providers' operations: ``client.iyzico.create_payment(...)``."""

    iyzico: Iyzico
    paymes: Paymes
    paymago: Paymago
    esnekpos: Esnekpos

    def _attach_providers(self, client: "Client") -> None:
        self.iyzico = Iyzico(client)
        self.paymes = Paymes(client)
        self.paymago = Paymago(client)
        self.esnekpos = Esnekpos(client)
