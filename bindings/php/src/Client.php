<?php

declare(strict_types=1);

namespace Odeme;

use FFI;

/**
 * An odeme client over libodeme: configuration plus one connection pool.
 *
 * `call()` takes the provider's own field names and returns the decoded response
 * (`operation`, `outcome`, `provider_reference`, `raw`); amounts come back as strings. Every
 * failure throws a subclass of OdemeException. Native memory is released in __destruct().
 * Pass amounts as strings ("10.50"); a float that does not print exactly is refused, never rounded.
 */
final class Client
{
    use Logging;

    /** @var FFI\CData|null */
    private $handle;

    /** @param array<string, mixed>|string $config the JSON configuration (array or JSON text) */
    public function __construct($config)
    {
        $ffi = Native::ffi();
        $json = is_string($config) ? self::noNul($config, 'config') : self::encode($config);
        $out = $ffi->new('OdemeClient*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_client_new($json, FFI::addr($out), FFI::addr($err));
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        $this->handle = $out;
    }

    public function __destruct()
    {
        $this->close();
    }

    /** Free the native client now (also done by the destructor). */
    public function close(): void
    {
        if ($this->handle !== null) {
            Native::ffi()->odeme_client_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * Run an operation ("iyzico.create_payment", ...).
     *
     * @param array<string, mixed> $request
     * @return array<string, mixed>
     */
    public function call(string $operation, array $request): array
    {
        if ($this->handle === null) {
            throw OdemeException::fromFields(['kind' => 'invalid_argument', 'status' => 1, 'message' => 'the client is closed']);
        }
        $ffi = Native::ffi();
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_call($this->handle, self::noNul($operation, 'operation'), self::encode($request), FFI::addr($out), FFI::addr($err));
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        return Native::decode(Native::take($out));
    }

    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoCreatePayment(array $r): array { return $this->call('iyzico.create_payment', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoRetrievePayment(array $r): array { return $this->call('iyzico.retrieve_payment', $r); }
    /**
     * iyzico reporting API: {"paymentConversationId": ...} or {"paymentId": ...}; answers a
     * `status` outcome.
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function iyzicoPaymentDetails(array $r): array { return $this->call('iyzico.payment_details', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesCreateOrder(array $r): array { return $this->call('paymes.create_order', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesCreateKioskOrder(array $r): array { return $this->call('paymes.create_kiosk_order', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesCreateOrderLegacy(array $r): array { return $this->call('paymes.create_order_legacy', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesQueryOrder(array $r): array { return $this->call('paymes.query_order', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesVerifyNotification(array $r): array { return $this->call('paymes.verify_notification', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymagoCreateOrder(array $r): array { return $this->call('paymago.create_order', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymagoOrderResult(array $r): array { return $this->call('paymago.order_result', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function esnekposSendPaymentRequest(array $r): array { return $this->call('esnekpos.send_payment_request', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function esnekposQueryPaymentRequest(array $r): array { return $this->call('esnekpos.query_payment_request', $r); }
    /**
     * Refunds and cancels: each answers a `refund` outcome {state, amount, currency, payment_id,
     * refund_id?}. An optional `refundable` (what remains) or, for iyzico, `details` (an
     * iyzico.payment_details response) makes odeme refuse an over-refund before sending.
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function iyzicoCancelPayment(array $r): array { return $this->call('iyzico.cancel_payment', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoRefundPayment(array $r): array { return $this->call('iyzico.refund_payment', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function paymesCancelOrder(array $r): array { return $this->call('paymes.cancel_order', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function esnekposReturnOrder(array $r): array { return $this->call('esnekpos.return_order', $r); }

    // 3-D Secure, the checkout form, lookups and EsnekPOS 3-D (issue 11).

    /**
     * iyzico 3-D Secure start: create_payment's request plus `callbackUrl`. Answers an `html`
     * outcome (show it to the payer) with the `payment_id` to complete.
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function iyzicoInit3ds(array $r): array { return $this->call('iyzico.init_3ds', $r); }
    /**
     * Check the form iyzico posted to callbackUrl (pass $_POST): no I/O, constant time. Answers a
     * `callback` outcome, `state` "authenticated" (complete it) or "failed" (never complete it);
     * a forged form throws SignatureException.
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function iyzicoVerify3dsCallback(array $r): array { return $this->call('iyzico.verify_3ds_callback', $r); }
    /**
     * {paymentId, paidPrice, basketId, currency, conversationId?, conversationData?}: the money
     * moves. After OutcomeUnknownException, call reconcileWith with reconcileRequest.
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function iyzicoComplete3ds(array $r): array { return $this->call('iyzico.complete_3ds', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoInitCheckoutForm(array $r): array { return $this->call('iyzico.init_checkout_form', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoRetrieveCheckoutForm(array $r): array { return $this->call('iyzico.retrieve_checkout_form', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoBinCheck(array $r): array { return $this->call('iyzico.bin_check', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function iyzicoInstallments(array $r): array { return $this->call('iyzico.installments', $r); }
    /**
     * EYV3DPay: `redirect` to URL_3DS; `order_id` is the ORDER_REF_NUMBER (generated when absent).
     *
     * @param array<string, mixed> $r @return array<string, mixed>
     */
    public function esnekposPay3d(array $r): array { return $this->call('esnekpos.pay_3d', $r); }
    /** @param array<string, mixed> $r @return array<string, mixed> */
    public function esnekposProcessQuery(array $r): array { return $this->call('esnekpos.process_query', $r); }

    // ---- webhooks and the payment journal (issue 13) ------------------------------------

    /**
     * Verify a webhook delivery ("iyzico": X-IYZ-SIGNATURE-V3; "paymes": the notification
     * hash, form or JSON) over the raw body and the headers exactly as received (names
     * case-insensitive). Returns ['operation' => 'webhook.PROVIDER', 'outcome' => ['type' =>
     * 'notification', 'provider', 'event', 'state', 'payment_id', 'order_id', 'duplicate'], ...].
     * A missing or bad signature throws SignatureException and records nothing.
     *
     * @param array<string, string> $headers
     * @return array<string, mixed>
     */
    public function verifyWebhook(string $provider, array $headers, string $body): array
    {
        $ffi = Native::ffi();
        $len = strlen($body);
        $buf = null;
        if ($len > 0) {
            $buf = $ffi->new("uint8_t[$len]");
            FFI::memcpy($buf, $body, $len);
        }
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_verify_webhook(
            $this->handle(),
            self::noNul($provider, 'provider'),
            json_encode((object) $headers, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE),
            $buf,
            $len,
            FFI::addr($out),
            FFI::addr($err)
        );
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        return Native::decode(Native::take($out));
    }

    /**
     * The payment journal's unresolved rows (sending, outcome_unknown, needs_manual_check).
     * ConfigException when the client has no journal.
     *
     * @return list<array<string, mixed>>
     */
    public function pending(): array
    {
        return $this->journalCall('odeme_client_pending');
    }

    /**
     * Ask each unresolved journal row's reconciliation (network I/O), record the answer and
     * return the rows as they now are ('resolved' set, or 'needs_manual_check').
     *
     * @return list<array<string, mixed>>
     */
    public function reconcile(): array
    {
        return $this->journalCall('odeme_client_reconcile');
    }

    /** @return list<array<string, mixed>> */
    private function journalCall(string $function): array
    {
        $ffi = Native::ffi();
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->$function($this->handle(), FFI::addr($out), FFI::addr($err));
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        /** @var list<array<string, mixed>> */
        return Native::decode(Native::take($out));
    }

    /** @return FFI\CData */
    private function handle()
    {
        if ($this->handle === null) {
            throw OdemeException::fromFields(['kind' => 'invalid_argument', 'status' => 1, 'message' => 'the client is closed']);
        }
        return $this->handle;
    }

    /**
     * The operations libodeme declares (odeme_operations): each with `name`, `provider`, `sends`
     * ("at_most_once", "retryable" or "local"), `reconcile_with` and `reconcile_by` (or null).
     * Every `provider.verb` has a method here named providerVerb (camelCase).
     *
     * @return list<array{name: string, provider: string, sends: string, reconcile_with: ?string, reconcile_by: ?string}>
     */
    public static function operations(): array
    {
        return Native::operations();
    }

    /** Paymes: base64(sha512(parts... . secretKey)). @param list<string> $parts */
    public static function paymesHash(array $parts, string $secretKey): string
    {
        $ffi = Native::ffi();
        [$array, $keep] = self::cStrings($parts, 'parts');
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_paymes_hash($array, count($parts), self::noNul($secretKey, 'secretKey'), FFI::addr($out), FFI::addr($err));
        unset($keep);
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        return Native::take($out);
    }

    /** iyzico IYZWSv2 Authorization value over randomKey . uriPath . body (exact bytes). */
    public static function iyzicoAuthHeader(string $apiKey, string $secretKey, string $randomKey, string $uriPath, string $body): string
    {
        $ffi = Native::ffi();
        $len = strlen($body);
        $buf = $ffi->new('uint8_t[' . max(1, $len) . ']');
        if ($len > 0) {
            FFI::memcpy($buf, $body, $len);
        }
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_iyzico_auth_header(
            self::noNul($apiKey, 'apiKey'), self::noNul($secretKey, 'secretKey'), self::noNul($randomKey, 'randomKey'),
            self::noNul($uriPath, 'uriPath'), $buf, $len, FFI::addr($out), FFI::addr($err)
        );
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        return Native::take($out);
    }

    /** iyzico response signature: hex HMAC-SHA256 of the fields joined by ':'. @param list<string> $fields */
    public static function iyzicoSignature(string $secretKey, array $fields): string
    {
        $ffi = Native::ffi();
        [$array, $keep] = self::cStrings($fields, 'fields');
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_iyzico_signature(self::noNul($secretKey, 'secretKey'), $array, count($fields), FFI::addr($out), FFI::addr($err));
        unset($keep);
        if ($status !== 0) {
            throw Native::exception($err, $status);
        }
        return Native::take($out);
    }

    /**
     * A `const char *[]` for a list of PHP strings; the buffers live as long as the returned
     * keep-alive array.
     *
     * @param list<string> $items
     * @return array{0: FFI\CData, 1: list<FFI\CData>}
     */
    private static function cStrings(array $items, string $name = 'items'): array
    {
        $ffi = Native::ffi();
        $array = $ffi->new('char*[' . max(1, count($items)) . ']');
        $keep = [];
        foreach (array_values($items) as $i => $s) {
            if (!is_string($s)) {
                throw OdemeException::fromFields(['kind' => 'invalid_argument', 'status' => 1, 'message' => "item $i must be a string", 'field' => "{$name}[$i]"]);
            }
            self::noNul($s, "{$name}[$i]");
            $len = strlen($s);
            $buf = $ffi->new('char[' . ($len + 1) . ']');
            if ($len > 0) {
                FFI::memcpy($buf, $s, $len);
            }
            $buf[$len] = "\0";
            $keep[] = $buf;
            $array[$i] = FFI::cast('char*', FFI::addr($buf[0]));
        }
        return [$array, $keep];
    }

    /**
     * A string for a `const char *` argument: one holding a NUL byte would be cut there by C
     * (silently changing an operation name, a key or a config), so it is an invalid_argument
     * naming the argument.
     */
    private static function noNul(string $s, string $name): string
    {
        if (strpos($s, "\0") !== false) {
            throw OdemeException::fromFields([
                'kind' => 'invalid_argument', 'status' => 1, 'field' => $name,
                'message' => "$name: contains a NUL byte",
            ]);
        }
        return $s;
    }

    /** The nesting limit of a request or config (the core's, serde_json's): 128 levels. */
    private const MAX_DEPTH = 128;

    /**
     * Refuse nesting that reaches MAX_DEPTH before json_encode sees it: PHP's encoder recurses
     * without a limit of its own and takes the process down at a few ten thousand levels.
     * Recursive, but never deeper than MAX_DEPTH.
     *
     * @param mixed $value
     */
    private static function checkDepth($value, string $path, int $depth): void
    {
        if ($value instanceof \JsonSerializable) {
            $value = $value->jsonSerialize();
        }
        if (!is_array($value) && !is_object($value)) {
            return;
        }
        if ($depth >= self::MAX_DEPTH) {
            throw OdemeException::fromFields([
                'kind' => 'invalid_argument', 'status' => 1, 'field' => $path,
                'message' => "$path: reaches the nesting limit (" . self::MAX_DEPTH . ' levels)',
            ]);
        }
        foreach (is_array($value) ? $value : get_object_vars($value) as $k => $v) {
            $child = is_int($k) ? "{$path}[$k]" : ($path === '(request)' ? (string) $k : "$path.$k");
            self::checkDepth($v, strlen($child) > 512 ? substr($child, 0, 512) : $child, $depth + 1);
        }
    }

    /** @param array<mixed> $value */
    private static function encode(array $value): string
    {
        self::checkDepth($value, '(request)', 1);
        try {
            return json_encode(
                $value === [] ? new \stdClass() : $value,
                JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR
            );
        } catch (\JsonException $e) {
            throw OdemeException::fromFields([
                'kind' => 'invalid_argument', 'status' => 1,
                'message' => 'the request cannot be encoded as JSON (' . $e->getMessage() . ')',
            ]);
        }
    }
}
