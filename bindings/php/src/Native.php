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
            if (($abi >> 16) !== self::ABI_MAJOR) {
                throw new \RuntimeException(sprintf(
                    'odeme: %s has ABI %d.%d, this binding needs %d.x',
                    $library,
                    $abi >> 16,
                    $abi & 0xffff,
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

    /** Turn an OdemeError (owned) into the exception of its kind, freeing the native error. */
    public static function exception($error, int $status): OdemeException
    {
        $ffi = self::ffi();
        if ($error === null || FFI::isNull($error)) {
            return OdemeException::fromFields(['status' => $status, 'message' => 'odeme call failed']);
        }
        try {
            $json = self::take($ffi->odeme_error_json($error));
        } finally {
            $ffi->odeme_error_free($error);
        }
        $fields = json_decode($json, true);
        return OdemeException::fromFields(is_array($fields) ? $fields : ['status' => $status, 'message' => $json]);
    }

    /**
     * Decode a response, keeping every non-integer number as its exact digits (a string), so
     * that no amount ever becomes a PHP float.
     */
    public static function decode(string $json): array
    {
        $exact = preg_replace_callback(
            '/"(?:[^"\\\\]|\\\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/',
            static function (array $m): string {
                $t = $m[0];
                if ($t[0] === '"' || preg_match('/^-?\d+$/', $t)) {
                    return $t;
                }
                return '"' . $t . '"';
            },
            $json
        );
        $value = json_decode($exact ?? $json, true, 512, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
        return is_array($value) ? $value : [];
    }
}
