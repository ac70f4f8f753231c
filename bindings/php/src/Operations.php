<?php

// GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with
// ODEME_BLESS=1 cargo test -p odeme --test generated

declare(strict_types=1);

namespace Odeme;

/**
 * One method per declared operation (`provider.verb` -> providerVerb), used by Client.
 * Each returns the decoded response: `operation`, `outcome`, `provider_reference`, `raw`, with
 * every non-integer number as a string of its exact digits.
 */
trait Operations
{
    /**
     * Pay by card (no 3-D Secure), IYZWSv2 over the exact body bytes.
     * `POST /payment/auth`; outcome `completed` or `review`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `conversationId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoCreatePayment(array $request): array
    {
        return $this->call('iyzico.create_payment', $request);
    }

    /**
     * A payment's state by paymentId or paymentConversationId (refunds and cancels are not in this reply: use iyzico.payment_details).
     * `POST /payment/detail`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoRetrievePayment(array $request): array
    {
        return $this->call('iyzico.retrieve_payment', $request);
    }

    /**
     * A payment with its refunds and cancels, and every payment under a reused conversationId (IYZWSv2 over the path without the query).
     * `GET /v2/reporting/payment/details`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoPaymentDetails(array $request): array
    {
        return $this->call('iyzico.payment_details', $request);
    }

    /**
     * Cancel a whole payment the same day (reason double_payment, buyer_request, fraud or other).
     * `POST /payment/cancel`; outcome `refund`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `paymentId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoCancelPayment(array $request): array
    {
        return $this->call('iyzico.cancel_payment', $request);
    }

    /**
     * Refund an amount of a payment (reply signature over paymentId:price:currency:conversationId verified).
     * `POST /v2/payment/refund`; outcome `refund`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `paymentId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoRefundPayment(array $request): array
    {
        return $this->call('iyzico.refund_payment', $request);
    }

    /**
     * Start 3-D Secure: create_payment's request plus callbackUrl; reply signed over paymentId:conversationId, threeDSHtmlContent decoded.
     * `POST /payment/3dsecure/initialize`; outcome `html`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `conversationId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoInit3ds(array $request): array
    {
        return $this->call('iyzico.init_3ds', $request);
    }

    /**
     * Check the form iyzico posts to callbackUrl: signature over conversationData:conversationId:mdStatus:paymentId:status, constant time.
     * no I/O; outcome `callback`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoVerify3dsCallback(array $request): array
    {
        return $this->call('iyzico.verify_3ds_callback', $request);
    }

    /**
     * Complete an authenticated 3-D Secure payment: the money moves.
     * `POST /payment/v2/3dsecure/auth`; outcome `completed` or `review`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `paymentId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoComplete3ds(array $request): array
    {
        return $this->call('iyzico.complete_3ds', $request);
    }

    /**
     * Open iyzico's hosted checkout form; reply signed over conversationId:token.
     * `POST /payment/iyzipos/checkoutform/initialize/auth/ecom`; outcome `checkout_form`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoInitCheckoutForm(array $request): array
    {
        return $this->call('iyzico.init_checkout_form', $request);
    }

    /**
     * A checkout form's result by token; reply signature checked (paid only for paymentStatus SUCCESS).
     * `POST /payment/iyzipos/checkoutform/auth/ecom/detail`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoRetrieveCheckoutForm(array $request): array
    {
        return $this->call('iyzico.retrieve_checkout_form', $request);
    }

    /**
     * What a card's BIN says: type, association, family, bank.
     * `POST /payment/bin/check`; outcome `card_info`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoBinCheck(array $request): array
    {
        return $this->call('iyzico.bin_check', $request);
    }

    /**
     * The installment table for a price (and a BIN).
     * `POST /payment/iyzipos/installment`; outcome `installments`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoInstallments(array $request): array
    {
        return $this->call('iyzico.installments', $request);
    }

    /**
     * Authorize a card payment now and capture it later (the create-payment body; the bank holds the amount).
     * `POST /payment/preauth`; outcome `authorized` or `review`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `conversationId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoPreauthPayment(array $request): array
    {
        return $this->call('iyzico.preauth_payment', $request);
    }

    /**
     * Start a 3-D Secure pre-authorization: init_3ds's request; complete_3ds then answers authorized.
     * `POST /payment/3dsecure/initialize/preauth`; outcome `html`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `conversationId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoInit3dsPreauth(array $request): array
    {
        return $this->call('iyzico.init_3ds_preauth', $request);
    }

    /**
     * Capture an authorization: up to the authorized amount, once (less captures part of it).
     * `POST /payment/postauth`; outcome `completed`; sent at most once: after outcome_unknown call `iyzico.payment_details` by `paymentId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoCapturePayment(array $request): array
    {
        return $this->call('iyzico.capture_payment', $request);
    }

    /**
     * Store a card with iyzico for a new or an existing card user (cardUserKey and cardToken are bearer credentials).
     * `POST /cardstorage/card`; outcome `card`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoStoreCard(array $request): array
    {
        return $this->call('iyzico.store_card', $request);
    }

    /**
     * The cards stored for a card user.
     * `POST /cardstorage/cards`; outcome `cards`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoListCards(array $request): array
    {
        return $this->call('iyzico.list_cards', $request);
    }

    /**
     * Delete a stored card.
     * `DELETE /cardstorage/card`; outcome `card_deleted`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function iyzicoDeleteCard(array $request): array
    {
        return $this->call('iyzico.delete_card', $request);
    }

    /**
     * A hosted payment page, sha512 hash.
     * `POST /v4.6/order_create`; outcome `redirect`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesCreateOrder(array $request): array
    {
        return $this->call('paymes.create_order', $request);
    }

    /**
     * A kiosk order (create_order_by_kiosk=true): pay at a terminal with the invoice code.
     * `POST /v4.6/order_create`; outcome `terminal`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesCreateKioskOrder(array $request): array
    {
        return $this->call('paymes.create_kiosk_order', $request);
    }

    /**
     * A hosted payment page through the unversioned API (secret).
     * `POST /order_create`; outcome `redirect`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesCreateOrderLegacy(array $request): array
    {
        return $this->call('paymes.create_order_legacy', $request);
    }

    /**
     * An order's state by paymesOrderId.
     * `POST /v4.6/status`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesQueryOrder(array $request): array
    {
        return $this->call('paymes.query_order', $request);
    }

    /**
     * Check a posted Paymes result or notification hash, constant time.
     * no I/O; outcome `notification`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesVerifyNotification(array $request): array
    {
        return $this->call('paymes.verify_notification', $request);
    }

    /**
     * Cancel or partly refund an order, sha512 hash over paymesOrderId + price.
     * `POST /v4.6/order_cancel`; outcome `refund`; sent at most once: after outcome_unknown call `paymes.query_order` by `paymesOrderId`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymesCancelOrder(array $request): array
    {
        return $this->call('paymes.cancel_order', $request);
    }

    /**
     * A card payment (3-D Secure as a URL or an HTML page), bearer token.
     * `POST /pos/createOrder`; outcome `redirect` or `html`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymagoCreateOrder(array $request): array
    {
        return $this->call('paymago.create_order', $request);
    }

    /**
     * An order's result by paymentId and orderId (both required, as documented).
     * `POST /pos/orderResult`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function paymagoOrderResult(array $request): array
    {
        return $this->call('paymago.order_result', $request);
    }

    /**
     * Send a pay-by-link request (SMS or e-mail).
     * `POST /api/services/SendPaymentRequest`; outcome `payment_link`; sent at most once: after outcome_unknown see the error's message.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function esnekposSendPaymentRequest(array $request): array
    {
        return $this->call('esnekpos.send_payment_request', $request);
    }

    /**
     * A payment link's state with every payment made through it.
     * `POST /api/services/SendPaymentRequestQuery`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function esnekposQueryPaymentRequest(array $request): array
    {
        return $this->call('esnekpos.query_payment_request', $request);
    }

    /**
     * Return an order by ORDER_REF_NUMBER (the full amount cancels, less refunds).
     * `POST /api/services/OrderReturn`; outcome `refund`; sent at most once: after outcome_unknown call `esnekpos.process_query` by `ORDER_REF_NUMBER`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function esnekposReturnOrder(array $request): array
    {
        return $this->call('esnekpos.return_order', $request);
    }

    /**
     * A 3-D Secure card payment (EYV3DPay; odeme adds the credentials and generates ORDER_REF_NUMBER when absent).
     * `POST /api/pay/EYV3DPay`; outcome `redirect`; sent at most once: after outcome_unknown call `esnekpos.process_query` by `Config.ORDER_REF_NUMBER`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function esnekposPay3d(array $request): array
    {
        return $this->call('esnekpos.pay_3d', $request);
    }

    /**
     * A payment's transactions by ORDER_REF_NUMBER (STATUS_ID 3 paid, 4 failed, 5 cancelled, 7 refunded).
     * `POST /api/services/ProcessQuery`; outcome `status`.
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function esnekposProcessQuery(array $request): array
    {
        return $this->call('esnekpos.process_query', $request);
    }
}
