<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;

/**
 * Hostile input (issue 16): invalid UTF-8, NUL bytes, megabyte strings, deep nesting (as arrays
 * and as JSON text), odd numbers and a few thousand pseudo-random strings (fixed seed) through
 * the Client constructor, call, the typed methods and the hash helpers. Every failure is an
 * OdemeException and the process lives on. No network: the client points at 127.0.0.1:1.
 */
final class HostileTest extends TestCase
{
    private const NOWHERE = 'http://127.0.0.1:1';

    /** @return array<string, mixed> */
    private static function config(array $overrides = []): array
    {
        return array_replace([
            'allow_http' => true, 'read_retries' => 0, 'connect_timeout_ms' => 2000, 'timeout_ms' => 5000,
            'iyzico' => ['api_key' => 'k', 'secret_key' => 's', 'base_url' => self::NOWHERE],
            'paymes' => ['public_key' => 'p', 'secret_key' => 's', 'base_url' => self::NOWHERE],
            'paymago' => ['token' => 't', 'base_url' => self::NOWHERE . '/api'],
            'esnekpos' => ['merchant' => 'TEST1234', 'merchant_key' => 'k', 'base_url' => self::NOWHERE],
        ], $overrides);
    }

    /** @param callable(): mixed $f */
    private function expect(string $class, callable $f, ?string $field = null): OdemeException
    {
        try {
            $f();
        } catch (OdemeException $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
            if ($field !== null) {
                $this->assertSame($field, $e->getField());
            }
            return $e;
        }
        $this->fail("expected $class");
    }

    /** @param callable(): mixed $f  Only a result or an OdemeException (never internal) may come out. */
    private function survives(callable $f): string
    {
        try {
            $f();
            return 'ok';
        } catch (OdemeException $e) {
            $this->assertNotSame('internal', $e->getKind(), $e->getMessage());
            $this->assertLessThan(4096, strlen($e->getMessage()));
            return $e->getKind();
        }
    }

    /** @return mixed */
    private static function nest(int $depth, $leaf = 'x')
    {
        $v = $leaf;
        for ($i = 0; $i < $depth; $i++) {
            $v = $i % 2 ? [$v] : ['a' => $v];
        }
        return $v;
    }

    public function testInvalidUtf8EndsInInvalidArgument(): void
    {
        $c = new Client(self::config());
        foreach (["\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf"] as $bad) {
            $this->expect(Exception\InvalidArgumentException::class, fn () => $c->iyzicoRetrievePayment(['paymentId' => $bad]));
            $this->expect(Exception\InvalidArgumentException::class, fn () => $c->iyzicoRetrievePayment([$bad => '1']));
            $this->expect(Exception\InvalidArgumentException::class, fn () => $c->call("iyzico.$bad", []));
            $this->expect(Exception\InvalidArgumentException::class, fn () => new Client('{"iyzico":"' . $bad . '"}'));
            $this->expect(Exception\InvalidArgumentException::class, fn () => new Client(['iyzico' => ['api_key' => $bad]]));
            $this->expect(Exception\InvalidArgumentException::class, fn () => Client::paymesHash(['a', $bad], 'k'));
            $this->expect(Exception\InvalidArgumentException::class, fn () => Client::iyzicoSignature($bad, ['a']));
            $this->expect(Exception\InvalidArgumentException::class, fn () => Client::iyzicoAuthHeader('a', 's', 'r', $bad, ''));
        }
        // a JSON lone surrogate escape is not Unicode either
        $this->expect(Exception\InvalidArgumentException::class, fn () => new Client('{"iyzico":{"api_key":"\ud800","secret_key":"s"}}'));
        // the body is bytes: anything goes
        $this->assertStringStartsWith('IYZWSv2 ', Client::iyzicoAuthHeader('a', 's', 'r', '/p', "\x00\xff\x00\xc3"));
    }

    public function testNulBytesAreRefusedWhereCWouldCutTheString(): void
    {
        $c = new Client(self::config());
        $this->expect(Exception\InvalidArgumentException::class, fn () => $c->call("iyzico.retrieve_payment\0evil", []), 'operation');
        $this->expect(Exception\InvalidArgumentException::class, fn () => new Client("{}\0garbage"), 'config');
        $this->expect(Exception\InvalidArgumentException::class, fn () => Client::paymesHash(["a\0b"], 'k'), 'parts[0]');
        $this->expect(Exception\InvalidArgumentException::class, fn () => Client::paymesHash(['a'], "k\0"), 'secretKey');
        $this->expect(Exception\InvalidArgumentException::class, fn () => Client::iyzicoSignature('k', ['a', "\0"]), 'fields[1]');
        $this->expect(Exception\InvalidArgumentException::class, fn () => Client::iyzicoAuthHeader("a\0", 's', 'r', '/p', ''), 'apiKey');
        // inside a request a NUL is data (JSON escapes it): validation or the transport answers
        $kind = $this->survives(fn () => $c->iyzicoRetrievePayment(['paymentConversationId' => "a\0b", 'locale' => 'tr']));
        $this->assertContains($kind, ['transport', 'invalid_request']);
    }

    public function testDeepNestingIsRefusedBeforeJsonEncodeRecurses(): void
    {
        $c = new Client(self::config());
        // 127 levels (the request array is the first) reach validation; 128 is the limit
        $this->expect(Exception\InvalidRequestException::class, fn () => $c->iyzicoRetrievePayment(['paymentConversationId' => self::nest(126)]));
        $e = $this->expect(Exception\InvalidArgumentException::class, fn () => $c->iyzicoRetrievePayment(['paymentConversationId' => self::nest(127)]));
        $this->assertStringStartsWith('paymentConversationId.a[0].a[0]', (string) $e->getField());
        // PHP's json_encode alone would take the process down at this depth
        $deep = self::nest(50000);
        $this->expect(Exception\InvalidArgumentException::class, fn () => $c->iyzicoRetrievePayment(['buyer' => $deep]));
        $this->expect(Exception\InvalidArgumentException::class, fn () => new Client(self::config(['iyzico' => $deep])));
        $obj = new \stdClass();
        $obj->self = $obj;
        $this->expect(Exception\InvalidArgumentException::class, fn () => $c->iyzicoRetrievePayment(['buyer' => $obj]));
        unset($deep);
        // as JSON text, a million levels
        foreach ([str_repeat('[', 1000000), str_repeat('{"a":', 1000000)] as $text) {
            $this->expect(Exception\InvalidArgumentException::class, fn () => new Client($text));
        }
    }

    public function testMegabyteStringsAndOddNumbers(): void
    {
        $c = new Client(self::config());
        $e = $this->expect(Exception\InvalidRequestException::class,
            fn () => $c->iyzicoRetrievePayment(['paymentConversationId' => str_repeat('x', 10 * 1024 * 1024)]), '(request)');
        $this->assertStringContainsString('max_request_bytes (1048576 bytes)', $e->getMessage());
        $small = new Client(self::config(['max_request_bytes' => 2048]));
        $this->expect(Exception\InvalidRequestException::class, fn () => $small->iyzicoRetrievePayment(['paymentConversationId' => str_repeat('é', 1500)]));
        $this->expect(Exception\TransportException::class, fn () => $small->iyzicoRetrievePayment(['paymentConversationId' => 'o-1', 'locale' => 'tr']));
        $this->expect(Exception\InvalidArgumentException::class, fn () => $c->call('iyzico.' . str_repeat('y', 1024 * 1024), []));
        $this->expect(Exception\ConfigException::class, fn () => new Client(['ca_pem' => str_repeat('A', 2 * 1024 * 1024)]), 'ca_pem');
        $this->assertNotEmpty(Client::paymesHash([str_repeat('x', 5 * 1024 * 1024)], str_repeat('k', 1024 * 1024)));
        foreach ([NAN, INF, -INF] as $f) {
            $this->expect(Exception\InvalidArgumentException::class, fn () => $c->paymesCreateOrder(['price' => $f]));
        }
        $this->expect(Exception\InvalidRequestException::class, fn () => $c->paymesCreateOrder(['price' => PHP_INT_MAX]));
        $this->expect(Exception\InvalidRequestException::class, fn () => $c->paymesCreateOrder(['price' => 1.5e300]));
    }

    public function testRandomStringsEndInAResultOrAnOdemeException(): void
    {
        mt_srand(16);
        $c = new Client(self::config());
        $tokens = ['{', '}', '[', ']', '"', ':', ',', '\u0000', '\ud800', '1e999', 'null', '"price"', "\xff", "\0", 'é', "\x01"];
        $ops = ['iyzico.create_payment', 'iyzico.retrieve_payment', 'paymes.create_order', 'paymes.verify_notification', 'x'];
        for ($i = 0; $i < 1000; $i++) {
            $s = '';
            for ($k = mt_rand(0, 40); $k > 0; $k--) {
                $s .= mt_rand(0, 2) === 0 ? chr(mt_rand(0, 255)) : $tokens[mt_rand(0, count($tokens) - 1)];
            }
            $this->survives(fn () => $c->call($ops[mt_rand(0, count($ops) - 1)], ['paymentId' => $s, $s => [$s]]));
            $this->survives(fn () => $c->call($s, []));
            $this->survives(fn () => new Client($s));
            $this->survives(fn () => new Client(['iyzico' => ['api_key' => $s, 'secret_key' => $s]]));
            $this->survives(fn () => Client::paymesHash([$s, 'a'], $s));
            $this->survives(fn () => Client::iyzicoAuthHeader($s, $s, $s, $s, $s));
        }
        $this->assertTrue(true);
    }
}
