<?php

declare(strict_types=1);

namespace Odeme;

use FFI;

/**
 * The log events of every call (README, "Logs") to a PSR-3 logger.
 *
 * `$client->setLogger($logger, 'info')`: each event is one `$logger->log($level, $message,
 * $context)` with the PSR-3 level of the event (`error`, `warning`, `info`, `debug`), a short
 * message (`call.end iyzico.create_payment declined`) and the event's fields as the context:
 * `ts`, `level`, `event`, `operation`, `provider`, `method`, `path`, `attempt`, `http_status`,
 * `duration_ms`, `outcome` or `error_kind`, `reference`, `provider_reference`, and at `debug`
 * `request_body` / `response_body` (redacted: card numbers as first 6 + last 4; CVC, keys,
 * tokens, hashes and signatures removed). A logger that throws is caught here (PHP cannot
 * throw through FFI) and the call goes on with its result unchanged; what it threw is kept in
 * `lastLoggerError()`. `setLogger(null)` stops the events.
 */
trait Logging
{
    /** @var \Closure|null the callback libodeme holds (kept alive with the client) */
    private $logCallback = null;

    /**
     * What the logger last threw, in a box the callback shares: the callback never holds the
     * client (PHP's FFI keeps every callback until the end of the request, and a callback that
     * held `$this` would keep the client, and its native memory, alive until then).
     *
     * @var \stdClass|null
     */
    private $loggerErrors = null;

    /**
     * @param \Psr\Log\LoggerInterface|null $logger any PSR-3 logger (psr/log 1, 2 or 3)
     * @param string $level error, warn, info or debug (debug adds the redacted bodies)
     */
    public function setLogger(?\Psr\Log\LoggerInterface $logger, string $level = 'info'): void
    {
        if ($this->handle === null) {
            throw OdemeException::fromFields(['kind' => 'invalid_argument', 'status' => 1, 'message' => 'the client is closed']);
        }
        $ffi = Native::ffi();
        if ($logger === null) {
            $status = $ffi->odeme_client_set_log($this->handle, 'off', null, null);
            $this->logCallback = null;
        } else {
            if ($this->loggerErrors === null) {
                $this->loggerErrors = new \stdClass();
                $this->loggerErrors->last = null;
            }
            $errors = $this->loggerErrors;
            // static: no $this in the closure (see $loggerErrors).
            $callback = static function ($userdata, $eventJson) use ($logger, $errors): void {
                try {
                    $text = is_string($eventJson) ? $eventJson : FFI::string($eventJson);
                    $event = json_decode($text, true, 16, JSON_THROW_ON_ERROR);
                    $logger->log(self::psrLevel($event['level']), self::summary($event), $event);
                } catch (\Throwable $e) {
                    $errors->last = $e;
                }
            };
            $status = $ffi->odeme_client_set_log($this->handle, $level, $callback, null);
            if ($status === 0) {
                $this->logCallback = $callback;
            }
        }
        if ($status !== 0) {
            throw OdemeException::fromFields([
                'kind' => 'invalid_argument',
                'status' => $status,
                'message' => 'level must be error, warn, info or debug',
                'field' => 'level',
            ]);
        }
    }

    /** What the logger last threw (caught so that the call could go on), or null. */
    public function lastLoggerError(): ?\Throwable
    {
        return $this->loggerErrors === null ? null : $this->loggerErrors->last;
    }

    private static function psrLevel(string $level): string
    {
        switch ($level) {
            case 'error':
                return 'error';
            case 'warn':
                return 'warning';
            case 'debug':
                return 'debug';
            default:
                return 'info';
        }
    }

    /** @param array<string, mixed> $e */
    private static function summary(array $e): string
    {
        $parts = [$e['event'], $e['operation']];
        if (isset($e['attempt'])) {
            $parts[] = 'attempt ' . $e['attempt'];
        }
        if (isset($e['http_status'])) {
            $parts[] = 'HTTP ' . $e['http_status'];
        }
        if (isset($e['outcome']) || isset($e['error_kind'])) {
            $parts[] = $e['outcome'] ?? $e['error_kind'];
        }
        return implode(' ', $parts);
    }
}
