// GENERATED from the registry by core/tests/generated.rs: do not edit. Regenerate with
// ODEME_BLESS=1 cargo test -p odeme --test generated

namespace Odeme
{
    public sealed partial class OdemeClient
    {
        /// <summary>Pay by card (no 3-D Secure), IYZWSv2 over the exact body bytes. POST /payment/auth; outcome completed or review; sent at most once: after outcome_unknown call iyzico.payment_details by conversationId.</summary>
        public OdemeResponse IyzicoCreatePayment(string requestJson) { return CallTyped("iyzico.create_payment", requestJson); }

        /// <summary>A payment's state by paymentId or paymentConversationId (refunds and cancels are not in this reply: use iyzico.payment_details). POST /payment/detail; outcome status.</summary>
        public OdemeResponse IyzicoRetrievePayment(string requestJson) { return CallTyped("iyzico.retrieve_payment", requestJson); }

        /// <summary>A payment with its refunds and cancels, and every payment under a reused conversationId (IYZWSv2 over the path without the query). GET /v2/reporting/payment/details; outcome status.</summary>
        public OdemeResponse IyzicoPaymentDetails(string requestJson) { return CallTyped("iyzico.payment_details", requestJson); }

        /// <summary>Cancel a whole payment the same day (reason double_payment, buyer_request, fraud or other). POST /payment/cancel; outcome refund; sent at most once: after outcome_unknown call iyzico.payment_details by paymentId.</summary>
        public OdemeResponse IyzicoCancelPayment(string requestJson) { return CallTyped("iyzico.cancel_payment", requestJson); }

        /// <summary>Refund an amount of a payment (reply signature over paymentId:price:currency:conversationId verified). POST /v2/payment/refund; outcome refund; sent at most once: after outcome_unknown call iyzico.payment_details by paymentId.</summary>
        public OdemeResponse IyzicoRefundPayment(string requestJson) { return CallTyped("iyzico.refund_payment", requestJson); }

        /// <summary>Start 3-D Secure: create_payment's request plus callbackUrl; reply signed over paymentId:conversationId, threeDSHtmlContent decoded. POST /payment/3dsecure/initialize; outcome html; sent at most once: after outcome_unknown call iyzico.payment_details by conversationId.</summary>
        public OdemeResponse IyzicoInit3ds(string requestJson) { return CallTyped("iyzico.init_3ds", requestJson); }

        /// <summary>Check the form iyzico posts to callbackUrl: signature over conversationData:conversationId:mdStatus:paymentId:status, constant time. no I/O; outcome callback.</summary>
        public OdemeResponse IyzicoVerify3dsCallback(string requestJson) { return CallTyped("iyzico.verify_3ds_callback", requestJson); }

        /// <summary>Complete an authenticated 3-D Secure payment: the money moves. POST /payment/v2/3dsecure/auth; outcome completed or review; sent at most once: after outcome_unknown call iyzico.payment_details by paymentId.</summary>
        public OdemeResponse IyzicoComplete3ds(string requestJson) { return CallTyped("iyzico.complete_3ds", requestJson); }

        /// <summary>Open iyzico's hosted checkout form; reply signed over conversationId:token. POST /payment/iyzipos/checkoutform/initialize/auth/ecom; outcome checkout_form; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse IyzicoInitCheckoutForm(string requestJson) { return CallTyped("iyzico.init_checkout_form", requestJson); }

        /// <summary>A checkout form's result by token; reply signature checked (paid only for paymentStatus SUCCESS). POST /payment/iyzipos/checkoutform/auth/ecom/detail; outcome status.</summary>
        public OdemeResponse IyzicoRetrieveCheckoutForm(string requestJson) { return CallTyped("iyzico.retrieve_checkout_form", requestJson); }

        /// <summary>What a card's BIN says: type, association, family, bank. POST /payment/bin/check; outcome card_info.</summary>
        public OdemeResponse IyzicoBinCheck(string requestJson) { return CallTyped("iyzico.bin_check", requestJson); }

        /// <summary>The installment table for a price (and a BIN). POST /payment/iyzipos/installment; outcome installments.</summary>
        public OdemeResponse IyzicoInstallments(string requestJson) { return CallTyped("iyzico.installments", requestJson); }

        /// <summary>Authorize a card payment now and capture it later (the create-payment body; the bank holds the amount). POST /payment/preauth; outcome authorized or review; sent at most once: after outcome_unknown call iyzico.payment_details by conversationId.</summary>
        public OdemeResponse IyzicoPreauthPayment(string requestJson) { return CallTyped("iyzico.preauth_payment", requestJson); }

        /// <summary>Start a 3-D Secure pre-authorization: init_3ds's request; complete_3ds then answers authorized. POST /payment/3dsecure/initialize/preauth; outcome html; sent at most once: after outcome_unknown call iyzico.payment_details by conversationId.</summary>
        public OdemeResponse IyzicoInit3dsPreauth(string requestJson) { return CallTyped("iyzico.init_3ds_preauth", requestJson); }

        /// <summary>Capture an authorization: up to the authorized amount, once (less captures part of it). POST /payment/postauth; outcome completed; sent at most once: after outcome_unknown call iyzico.payment_details by paymentId.</summary>
        public OdemeResponse IyzicoCapturePayment(string requestJson) { return CallTyped("iyzico.capture_payment", requestJson); }

        /// <summary>Store a card with iyzico for a new or an existing card user (cardUserKey and cardToken are bearer credentials). POST /cardstorage/card; outcome card; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse IyzicoStoreCard(string requestJson) { return CallTyped("iyzico.store_card", requestJson); }

        /// <summary>The cards stored for a card user. POST /cardstorage/cards; outcome cards.</summary>
        public OdemeResponse IyzicoListCards(string requestJson) { return CallTyped("iyzico.list_cards", requestJson); }

        /// <summary>Delete a stored card. DELETE /cardstorage/card; outcome card_deleted.</summary>
        public OdemeResponse IyzicoDeleteCard(string requestJson) { return CallTyped("iyzico.delete_card", requestJson); }

        /// <summary>A hosted payment page, sha512 hash. POST /v4.6/order_create; outcome redirect; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse PaymesCreateOrder(string requestJson) { return CallTyped("paymes.create_order", requestJson); }

        /// <summary>A kiosk order (create_order_by_kiosk=true): pay at a terminal with the invoice code. POST /v4.6/order_create; outcome terminal; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse PaymesCreateKioskOrder(string requestJson) { return CallTyped("paymes.create_kiosk_order", requestJson); }

        /// <summary>A hosted payment page through the unversioned API (secret). POST /order_create; outcome redirect; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse PaymesCreateOrderLegacy(string requestJson) { return CallTyped("paymes.create_order_legacy", requestJson); }

        /// <summary>An order's state by paymesOrderId. POST /v4.6/status; outcome status.</summary>
        public OdemeResponse PaymesQueryOrder(string requestJson) { return CallTyped("paymes.query_order", requestJson); }

        /// <summary>Check a posted Paymes result or notification hash, constant time. no I/O; outcome notification.</summary>
        public OdemeResponse PaymesVerifyNotification(string requestJson) { return CallTyped("paymes.verify_notification", requestJson); }

        /// <summary>Cancel or partly refund an order, sha512 hash over paymesOrderId + price. POST /v4.6/order_cancel; outcome refund; sent at most once: after outcome_unknown call paymes.query_order by paymesOrderId.</summary>
        public OdemeResponse PaymesCancelOrder(string requestJson) { return CallTyped("paymes.cancel_order", requestJson); }

        /// <summary>A card payment (3-D Secure as a URL or an HTML page), bearer token. POST /pos/createOrder; outcome redirect or html; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse PaymagoCreateOrder(string requestJson) { return CallTyped("paymago.create_order", requestJson); }

        /// <summary>An order's result by paymentId and orderId (both required, as documented). POST /pos/orderResult; outcome status.</summary>
        public OdemeResponse PaymagoOrderResult(string requestJson) { return CallTyped("paymago.order_result", requestJson); }

        /// <summary>Send a pay-by-link request (SMS or e-mail). POST /api/services/SendPaymentRequest; outcome payment_link; sent at most once: after outcome_unknown see the error's message.</summary>
        public OdemeResponse EsnekposSendPaymentRequest(string requestJson) { return CallTyped("esnekpos.send_payment_request", requestJson); }

        /// <summary>A payment link's state with every payment made through it. POST /api/services/SendPaymentRequestQuery; outcome status.</summary>
        public OdemeResponse EsnekposQueryPaymentRequest(string requestJson) { return CallTyped("esnekpos.query_payment_request", requestJson); }

        /// <summary>Return an order by ORDER_REF_NUMBER (the full amount cancels, less refunds). POST /api/services/OrderReturn; outcome refund; sent at most once: after outcome_unknown call esnekpos.process_query by ORDER_REF_NUMBER.</summary>
        public OdemeResponse EsnekposReturnOrder(string requestJson) { return CallTyped("esnekpos.return_order", requestJson); }

        /// <summary>A 3-D Secure card payment (EYV3DPay; odeme adds the credentials and generates ORDER_REF_NUMBER when absent). POST /api/pay/EYV3DPay; outcome redirect; sent at most once: after outcome_unknown call esnekpos.process_query by Config.ORDER_REF_NUMBER.</summary>
        public OdemeResponse EsnekposPay3d(string requestJson) { return CallTyped("esnekpos.pay_3d", requestJson); }

        /// <summary>A payment's transactions by ORDER_REF_NUMBER (STATUS_ID 3 paid, 4 failed, 5 cancelled, 7 refunded). POST /api/services/ProcessQuery; outcome status.</summary>
        public OdemeResponse EsnekposProcessQuery(string requestJson) { return CallTyped("esnekpos.process_query", requestJson); }
    }
}
