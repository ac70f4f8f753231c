<?php

declare(strict_types=1);

namespace Odeme;

use FFI;

/**
 * An odeme client over libodeme: configuration plus one connection pool.
 *
 * `call()` takes the provider's own field names and returns the decoded response
 * (`operation`, `outcome`, `provider_reference`, `raw`); amounts come back as strings, and so does
 * every other non-integer number of the reply (never a PHP float). Every
 * failure throws a subclass of OdemeException. Native memory is released in __destruct().
 * Pass amounts as strings ("10.50"); a float that does not print exactly is refused, never rounded.
 */
final class Client
{
    /** One method per declared operation (iyzicoCreatePayment(), ...), generated from the registry. */
    use Operations;
    /** setLogger(): every call's log events to a PSR-3 logger (README, "Logs"). */
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
        // Every answer carries non-integer numbers as strings of their exact digits.
        $status = $ffi->odeme_client_set_render($out, Native::RENDER_NUMBERS_AS_STRINGS, FFI::addr($err));
        if ($status !== 0) {
            $this->close();
            throw Native::exception($err, $status);
        }
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

    // ---- webhooks and the payment journal (issue 13) ------------------------------------

    /**
     * Verify a webhook delivery ("iyzico": X-IYZ-SIGNATURE-V3; "paymes": the notification
     * hash, form or JSON; "paytr": the callback hash, with 'reply' => 'OK' in the outcome, the
     * text to answer) over the raw body and the headers exactly as received (names
     * case-insensitive). Returns ['operation' => 'webhook.PROVIDER', 'outcome' => ['type' =>
     * 'notification', 'provider', 'event', 'subject', 'state', 'payment_id', 'order_id', 'duplicate'], ...].
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
        // The headers as OdemeHeader pairs (no JSON built here); the C strings live in $keep.
        $n = count($headers);
        $pairs = $ffi->new('OdemeHeader[' . max(1, $n) . ']');
        $keep = [];
        $i = 0;
        foreach ($headers as $name => $value) {
            if (!is_string($value)) {
                throw OdemeException::fromFields(['kind' => 'invalid_argument', 'status' => 1, 'field' => "headers[$i]",
                    'message' => "headers[$i]: the value of header " . json_encode((string) $name) . ' must be a string']);
            }
            $pairs[$i]->name = self::cString((string) $name, "headers[$i].name", $keep);
            $pairs[$i]->value = self::cString($value, "headers[$i].value", $keep);
            $i++;
        }
        $out = $ffi->new('char*');
        $err = $ffi->new('OdemeError*');
        $status = $ffi->odeme_verify_webhook_headers(
            $this->handle(),
            self::noNul($provider, 'provider'),
            $pairs,
            $n,
            $buf,
            $len,
            FFI::addr($out),
            FFI::addr($err)
        );
        unset($keep);
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
     * ("at_most_once", "retryable" or "local"), `reconcile_with` and `reconcile_by` (or null),
     * `summary`, `method` and `path` (null for a local operation) and `outcome` (the outcome types
     * it can answer). Every `provider.verb` has a method named providerVerb (camelCase),
     * generated from the registry into the Operations trait.
     *
     * @return list<array{name: string, provider: string, sends: string, reconcile_with: ?string, reconcile_by: ?string, summary: string, method: ?string, path: ?string, outcome: list<string>}>
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
     * A `char *` copy of $s (NUL-terminated) whose buffer lives in $keep.
     *
     * @param list<FFI\CData> $keep
     * @return FFI\CData
     */
    private static function cString(string $s, string $name, array &$keep)
    {
        self::noNul($s, $name);
        $len = strlen($s);
        $buf = Native::ffi()->new('char[' . ($len + 1) . ']');
        if ($len > 0) {
            FFI::memcpy($buf, $s, $len);
        }
        $buf[$len] = "\0";
        $keep[] = $buf;
        return FFI::cast('char*', FFI::addr($buf[0]));
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
            $array[$i] = self::cString($s, "{$name}[$i]", $keep);
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
