<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception\DeclinedException;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;
use Psr\Log\AbstractLogger;

require_once __DIR__ . '/Support.php';
// psr/log as Debian ships it (php-psr-log); Composer users get it from their own vendor/.
require_once '/usr/share/php/Psr/Log/autoload.php';

/** A PSR-3 logger that keeps every record. */
final class Captured extends AbstractLogger
{
    /** @var list<array{string, string, array<string, mixed>}> */
    public array $records = [];

    public function log($level, $message, array $context = []): void
    {
        $this->records[] = [(string) $level, (string) $message, $context];
    }

    /** @return list<array{string, string, array<string, mixed>}> */
    public function take(): array
    {
        $out = $this->records;
        $this->records = [];
        return $out;
    }
}

/** Throws on every record. */
final class Throwing extends AbstractLogger
{
    public int $calls = 0;

    public function log($level, $message, array $context = []): void
    {
        $this->calls++;
        throw new \RuntimeException('a logger that throws');
    }
}

/** setLogger (PSR-3): the events of every call, README "Logs". */
final class LoggingTest extends TestCase
{
    private const CARD = '4766620000000001';

    /** @param list<array{string, string, array<string, mixed>}> $records @return list<string> */
    private static function events(array $records): array
    {
        return array_map(static fn ($r) => $r[2]['event'], $records);
    }

    public function testAPaymentLogsItsEventsWithTheirFields(): void
    {
        $c = new Client(Support::config());
        $log = new Captured();
        $c->setLogger($log);
        $ref = Support::unique('php-log');
        $r = $c->call('iyzico.create_payment', Support::iyzico($ref));
        $got = $log->take();
        $this->assertSame(['call.start', 'call.attempt', 'call.end'], self::events($got));
        foreach ($got as [$level, $message, $e]) {
            $this->assertSame('info', $level);
            $this->assertSame('iyzico.create_payment', $e['operation']);
            $this->assertSame('iyzico', $e['provider']);
            $this->assertSame($ref, $e['reference']);
            $this->assertArrayNotHasKey('request_body', $e);
        }
        $attempt = $got[1][2];
        $this->assertSame(['POST', '/payment/auth', 1, 200], [$attempt['method'], $attempt['path'], $attempt['attempt'], $attempt['http_status']]);
        $this->assertGreaterThan(0, $attempt['duration_ms']);
        $this->assertSame('completed', $got[2][2]['outcome']);
        $this->assertSame($r['provider_reference'], $got[2][2]['provider_reference']);
        $this->assertSame('call.end iyzico.create_payment completed', $got[2][1]);
    }

    public function testARetriedReadShowsEachAttempt(): void
    {
        $c = new Client(Support::config());
        $ref = Support::unique('sim:flaky-php');
        $c->call('iyzico.create_payment', Support::iyzico($ref));
        $log = new Captured();
        $c->setLogger($log);
        $r = $c->call('iyzico.payment_details', ['paymentConversationId' => $ref]);
        $this->assertSame('status', $r['outcome']['type']);
        $attempts = array_values(array_filter($log->take(), static fn ($x) => $x[2]['event'] === 'call.attempt'));
        $this->assertSame(
            [['warning', 1, 503], ['info', 2, 200]],
            array_map(static fn ($a) => [$a[0], $a[2]['attempt'], $a[2]['http_status']], $attempts)
        );
    }

    public function testADeclinedCardShowsItsErrorKind(): void
    {
        $c = new Client(Support::config());
        $log = new Captured();
        $c->setLogger($log, 'warn');
        try {
            $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-d'), Support::INSUFFICIENT_FUNDS));
            $this->fail('declined expected');
        } catch (DeclinedException $e) {
            $this->assertSame('10051', $e->getProviderCode());
        }
        $got = $log->take();
        $this->assertCount(1, $got, 'at warn only call.end');
        $this->assertSame('warning', $got[0][0]);
        $this->assertSame('declined', $got[0][2]['error_kind']);
    }

    public function testDebugAddsRedactedBodies(): void
    {
        $c = new Client(Support::config());
        $log = new Captured();
        $c->setLogger($log, 'debug');
        $req = Support::iyzico(Support::unique('php-log-dbg'), self::CARD);
        $req['paymentCard']['cvc'] = '947';
        $c->call('iyzico.create_payment', $req);
        $got = $log->take();
        $sent = json_decode($got[1][2]['request_body'], true);
        $this->assertSame('476662******0001', $sent['paymentCard']['cardNumber']);
        $this->assertArrayNotHasKey('cvc', $sent['paymentCard']);
        $text = json_encode($got);
        foreach ([self::CARD, 'sim-iyzico-api-key', 'sim-iyzico-secret-key', 'signature', '"947"'] as $secret) {
            $this->assertStringNotContainsString($secret, $text);
        }
        $c->setLogger(null);
        $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-off')));
        $this->assertSame([], $log->take());
    }

    public function testALoggerThatThrowsDoesNotChangeTheResult(): void
    {
        $c = new Client(Support::config());
        $log = new Throwing();
        $c->setLogger($log, 'debug');
        $r = $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-throw')));
        $this->assertSame('completed', $r['outcome']['type']);
        try {
            $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-throw'), Support::INSUFFICIENT_FUNDS));
            $this->fail('declined expected');
        } catch (DeclinedException $e) {
            $this->assertSame('declined', $e->getKind());
        }
        $this->assertSame(6, $log->calls);
        $this->assertInstanceOf(\RuntimeException::class, $c->lastLoggerError());
    }

    public function testAJournalLogsItsIntentAndOutcome(): void
    {
        $dir = sys_get_temp_dir() . '/odeme-php-log-journal-' . getmypid() . '-' . uniqid();
        mkdir($dir);
        $c = new Client(Support::config(['journal' => ['path' => "$dir/journal.sqlite3"]]));
        $log = new Captured();
        $c->setLogger($log);
        $ref = Support::unique('php-log-j');
        $r = $c->call('iyzico.create_payment', Support::iyzico($ref));
        $got = $log->take();
        $this->assertSame(['call.start', 'journal.intent', 'call.attempt', 'journal.outcome', 'call.end'], self::events($got));
        foreach ($got as [, , $e]) {
            $this->assertSame($ref, $e['reference']);
        }
        $this->assertSame('completed', $got[3][2]['outcome']);
        $this->assertSame($r['provider_reference'], $got[3][2]['provider_reference']);
        try {
            $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-j'), Support::INSUFFICIENT_FUNDS));
            $this->fail('declined expected');
        } catch (DeclinedException $e) {
        }
        $got = $log->take();
        $this->assertSame(['call.start', 'journal.intent', 'call.attempt', 'journal.outcome', 'call.end'], self::events($got));
        $this->assertSame(['declined', 'declined'], [$got[3][2]['error_kind'], $got[4][2]['error_kind']]);
        $c->close();
        array_map('unlink', glob("$dir/*"));
        rmdir($dir);
    }

    public function testTheLoggerDoesNotKeepTheClientAlive(): void
    {
        // PHP's FFI keeps a callback until the end of the request: a callback that held the
        // client would keep it (and its native memory) alive that long, even after gc.
        $log = new Captured();
        $c = new Client(Support::config());
        $c->setLogger($log, 'debug');
        $c->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-gc')));
        $this->assertCount(3, $log->take());
        $weak = \WeakReference::create($c);
        unset($c);
        gc_collect_cycles();
        $this->assertNull($weak->get(), 'the client with a logger was not freed');
        // A second client with the same logger logs on.
        $d = new Client(Support::config());
        $d->setLogger($log);
        $d->call('iyzico.create_payment', Support::iyzico(Support::unique('php-log-gc')));
        $this->assertSame(['call.start', 'call.attempt', 'call.end'], self::events($log->take()));
    }

    public function testABadLevelIsRefused(): void
    {
        $c = new Client(Support::config());
        try {
            $c->setLogger(new Captured(), 'loud');
            $this->fail('refused expected');
        } catch (OdemeException $e) {
            $this->assertSame('invalid_argument', $e->getKind());
        }
    }
}
