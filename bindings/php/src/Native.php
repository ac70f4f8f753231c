<?php

declare(strict_types=1);

namespace Odeme;

use FFI;

/**
 * Loads libodeme once per process through PHP's FFI, from the unchanged include/odeme.h.
 *
 * Library: the ODEME_LIBRARY environment variable (an absolute path), else "libodeme.so" from the
 * system library path (e.g. after `scripts/install-c /usr/local` and `ldconfig`).
 * Header: ODEME_HEADER, else the repository's include/odeme.h, else /usr/local/include/odeme.h.
 * With php-fpm and opcache preloading, call Native::ffi() from the preload script.
 *
 * @internal
 */
final class Native
{
    public const ABI_MAJOR = 1;
    /** The newest function this binding calls (odeme_client_set_log) arrived in ABI 1.12. */
    public const ABI_MINOR = 12;
    /** include/odeme.h's ODEME_RENDER_NUMBERS_AS_STRINGS: non-integer numbers as strings of their digits. */
    public const RENDER_NUMBERS_AS_STRINGS = 1;

    private static ?FFI $ffi = null;

    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            $header = self::headerPath();
            $library = getenv('ODEME_LIBRARY') ?: 'libodeme.so';
            $source = file_get_contents($header);
            if ($source === false) {
                throw new \RuntimeException("odeme: cannot read the header $header");
            }
            $ffi = FFI::cdef($source, $library);
            $abi = $ffi->odeme_abi_version();
            if (($abi >> 16) !== self::ABI_MAJOR || ($abi & 0xffff) < self::ABI_MINOR) {
                throw new \RuntimeException(sprintf(
                    'odeme: %s has ABI %d.%d, this binding needs %d.%d or a later %d.x',
                    $library,
                    $abi >> 16,
                    $abi & 0xffff,
                    self::ABI_MAJOR,
                    self::ABI_MINOR,
                    self::ABI_MAJOR
                ));
            }
            self::$ffi = $ffi;
        }
        return self::$ffi;
    }

    private static function headerPath(): string
    {
        $candidates = array_filter([
            getenv('ODEME_HEADER') ?: null,
            dirname(__DIR__, 3) . '/include/odeme.h',
            '/usr/local/include/odeme.h',
            '/usr/include/odeme.h',
        ]);
        foreach ($candidates as $path) {
            if (is_file($path)) {
                return $path;
            }
        }
        throw new \RuntimeException('odeme: odeme.h not found; set ODEME_HEADER');
    }

    /** Copy an owned `char *` into a PHP string and free it. */
    public static function take($ptr): string
    {
        if ($ptr === null || FFI::isNull($ptr)) {
            return '';
        }
        try {
            return FFI::string($ptr);
        } finally {
            self::ffi()->odeme_string_free($ptr);
        }
    }

    /**
     * Turn an OdemeError (owned) into the exception of its kind, freeing the native error. Every
     * field comes from the C accessors (no error JSON is read); the reconcile request is the
     * request object to pass back, decoded like a response. A NULL error still gives the class
     * of $status.
     */
    public static function exception($error, int $status): OdemeException
    {
        $ffi = self::ffi();
        if ($error === null || FFI::isNull($error)) {
            return OdemeException::fromFields(['status' => $status, 'message' => 'odeme call failed (no error details)']);
        }
        try {
            $http = (int) $ffi->odeme_error_http_status($error);
            $fields = [
                'status' => (int) $ffi->odeme_error_status($error),
                'kind' => self::borrowed($ffi->odeme_error_kind($error)),
                'message' => (string) self::borrowed($ffi->odeme_error_message($error)),
                'operation' => self::borrowed($ffi->odeme_error_operation($error)),
                'provider' => self::borrowed($ffi->odeme_error_provider($error)),
                'field' => self::borrowed($ffi->odeme_error_field($error)),
                'provider_code' => self::borrowed($ffi->odeme_error_provider_code($error)),
                'provider_message' => self::borrowed($ffi->odeme_error_provider_message($error)),
                'http_status' => $http === 0 ? null : $http,
                'retry_safe' => (bool) $ffi->odeme_error_retry_safe($error),
                'reconcile_with' => self::borrowed($ffi->odeme_error_reconcile_with($error)),
            ];
            $request = $ffi->odeme_error_reconcile_request($error);
            $fields['reconcile_request'] = ($request === null || FFI::isNull($request)) ? null : self::decode(self::take($request));
        } finally {
            $ffi->odeme_error_free($error);
        }
        return OdemeException::fromFields($fields);
    }

    /** Copy a borrowed `const char *` (NULL gives null); never frees it. */
    private static function borrowed($ptr): ?string
    {
        if ($ptr === null) {
            return null;
        }
        if (is_string($ptr)) {
            return $ptr;
        }
        return FFI::isNull($ptr) ? null : FFI::string($ptr);
    }

    /** The declared operations (odeme_operations), decoded. @return list<array<string, mixed>> */
    public static function operations(): array
    {
        $list = json_decode(self::take(self::ffi()->odeme_operations()), true, 512, JSON_THROW_ON_ERROR);
        return is_array($list) ? $list : [];
    }

    /**
     * Decode libodeme's JSON answer. The client renders every non-integer number as a string of
     * its exact digits (odeme_client_set_render), so json_decode meets no float; integers too long
     * for PHP's int stay strings. A text that does not decode to an array is an InternalException
     * (a bug in libodeme or here), never a partial answer.
     *
     * @return array<mixed>
     */
    public static function decode(string $json): array
    {
        try {
            $value = json_decode($json, true, 512, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw OdemeException::fromFields([
                'kind' => 'internal', 'status' => 99,
                'message' => 'could not decode libodeme\'s answer (' . $e->getMessage() . ')',
            ]);
        }
        if (!is_array($value)) {
            throw OdemeException::fromFields([
                'kind' => 'internal', 'status' => 99,
                'message' => 'libodeme\'s answer is not a JSON object or array',
            ]);
        }
        return $value;
    }
}
