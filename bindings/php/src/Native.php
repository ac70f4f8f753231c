<?php

declare(strict_types=1);

namespace Odeme;

use FFI;

/**
 * Loads libodeme once per process through PHP's FFI, from the unchanged include/odeme.h.
 *
 * Library: the ODEME_LIBRARY environment variable (an absolute path), else "libodeme.so" from the
 * system library path (e.g. after `scripts/install-c /usr/local` and `ldconfig`), or on Windows
 * "odeme.dll" from the DLL search path (php.exe's directory, then PATH).
 * Header: ODEME_HEADER, else include/odeme.h beside the library's lib/ directory (the layout
 * `scripts/install-c PREFIX` makes), else the repository's include/odeme.h, else
 * /usr/local/include/odeme.h, /usr/include/odeme.h.
 * With php-fpm and opcache preloading, call Native::preload() from the preload script: the header
 * is parsed once (FFI::load, scope "odeme") and requests take it from the scope (FFI::scope).
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

    /** The FFI scope Native::preload() registers (FFI_SCOPE); ffi() uses it when it exists. */
    public const SCOPE = 'odeme';

    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            $library = self::library();
            $ffi = self::preloaded();
            if ($ffi === null) {
                $ffi = FFI::cdef(self::header(), $library);
            }
            self::checkAbi($ffi, $library);
            self::$ffi = $ffi;
        }
        return self::$ffi;
    }

    /**
     * For opcache.preload (php-fpm): loads every Odeme class, so that all of them are preloaded
     * (with the default ffi.enable=preload only preloaded code may use the FFI API), and parses
     * odeme.h once, at server start, under the FFI scope "odeme", bound to the library ffi()
     * would load; requests then take the definitions from FFI::scope('odeme') instead of parsing
     * the header. The scope comes from `ffi.preload` when php.ini names the file
     * ffiPreloadHeader() wrote (needed when opcache.preload_user is set: PHP then refuses
     * FFI::load), else from FFI::load here. Call it from the preload script after requiring the
     * autoloader (vendor/autoload.php).
     */
    public static function preload(): FFI
    {
        foreach ([__DIR__ . '/*.php', __DIR__ . '/Exception/*.php'] as $pattern) {
            foreach (glob($pattern) ?: [] as $file) {
                $class = __NAMESPACE__ . '\\' . strtr(substr($file, strlen(__DIR__) + 1, -4), '/', '\\');
                if (!class_exists($class) && !interface_exists($class) && !trait_exists($class)) {
                    throw new \RuntimeException("odeme: preload: $file does not define $class");
                }
            }
        }
        $library = self::library();
        $ffi = self::preloaded();
        if ($ffi === null) {
            $file = tempnam(sys_get_temp_dir(), 'odeme-ffi-');
            if ($file === false) {
                throw new \RuntimeException('odeme: cannot create a temporary file for FFI::load');
            }
            try {
                $text = self::ffiPreloadHeader();
                if (file_put_contents($file, $text) !== strlen($text)) {
                    throw new \RuntimeException("odeme: cannot write $file");
                }
                $ffi = FFI::load($file);
            } finally {
                @unlink($file);
            }
            if ($ffi === null) {
                throw new \RuntimeException("odeme: FFI::load of odeme.h with $library failed");
            }
        }
        self::checkAbi($ffi, $library);
        return $ffi;
    }

    /**
     * odeme.h with the two defines FFI::load and `ffi.preload` look for: FFI_SCOPE "odeme" and
     * FFI_LIB, the library ffi() would load (ODEME_LIBRARY, else libodeme.so). Write it to a file
     * for `ffi.preload` in php.ini.
     */
    public static function ffiPreloadHeader(): string
    {
        $library = self::library();
        // FFI_LIB is a quoted C string: a quote, backslash or line break would end or bend it.
        if (preg_match('/["\\\\\r\n]/', $library)) {
            throw new \RuntimeException('odeme: ODEME_LIBRARY contains a quote, backslash or line break');
        }
        return sprintf("#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n", self::SCOPE, $library) . self::header();
    }

    /** The scope "odeme" when preloading made it (ffi.preload, or Native::preload()), else null. */
    private static function preloaded(): ?FFI
    {
        try {
            return FFI::scope(self::SCOPE);
        } catch (\FFI\Exception $e) {
            return null;
        }
    }

    private static function library(): string
    {
        return getenv('ODEME_LIBRARY') ?: self::defaultLibrary(PHP_OS_FAMILY);
    }

    /**
     * The library's name on `$osFamily` (PHP_OS_FAMILY) when ODEME_LIBRARY is unset: "odeme.dll"
     * from the DLL search path on Windows (php.exe's directory, then PATH), else "libodeme.so".
     */
    public static function defaultLibrary(string $osFamily): string
    {
        return $osFamily === 'Windows' ? 'odeme.dll' : 'libodeme.so';
    }

    private static function checkAbi(FFI $ffi, string $library): void
    {
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
    }

    private static function header(): string
    {
        $header = self::headerPath();
        $source = file_get_contents($header);
        if ($source === false) {
            throw new \RuntimeException("odeme: cannot read the header $header");
        }
        return $source;
    }

    private static function headerPath(): string
    {
        $explicit = getenv('ODEME_HEADER');
        if ($explicit) {
            if (!is_file($explicit)) {
                throw new \RuntimeException("odeme: ODEME_HEADER=$explicit is not a file");
            }
            return $explicit;
        }
        $library = self::library();
        $candidates = [
            // PREFIX/include/odeme.h for PREFIX/lib/libodeme.so (scripts/install-c PREFIX)
            strpos($library, '/') !== false ? dirname($library, 2) . '/include/odeme.h' : null,
            dirname(__DIR__, 3) . '/include/odeme.h',
            '/usr/local/include/odeme.h',
            '/usr/include/odeme.h',
        ];
        foreach (array_filter($candidates) as $path) {
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
