<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

final class ErrorsTest extends TestCase
{
    /** @param callable(): mixed $f */
    private function raised(callable $f, string $class, int $status): OdemeException
    {
        try {
            $f();
        } catch (OdemeException $e) {
            $this->assertInstanceOf($class, $e);
            $this->assertSame($status, $e->getStatus());
            $this->assertSame($class::KIND, $e->getKind());
            $this->assertSame($status, $e->getCode());
            $this->assertIsBool($e->isRetrySafe());
            $this->assertArrayHasKey('provider_message', $e->toArray());
            return $e;
        }
        $this->fail("expected $class");
    }

    public function testEveryKind(): void
    {
        $c = new Client(Support::config());

        $e = $this->raised(fn () => $c->call('iyzico.refund', []), Exception\InvalidArgumentException::class, 1);
        $this->assertNull($e->getField());

        $bad = Support::iyzico(Support::unique('bad'));
        $bad['basketItems'][1]['price'] = '0.71';
        $e = $this->raised(fn () => $c->iyzicoCreatePayment($bad), Exception\InvalidRequestException::class, 2);
        $this->assertSame('basketItems', $e->getField());
        $this->assertSame('iyzico.create_payment', $e->getOperation());
        $this->assertSame('iyzico', $e->getProvider());
        $this->assertFalse($e->isRetrySafe());

        $e = $this->raised(fn () => new Client(['timeout' => 1]), Exception\ConfigException::class, 3);
        $this->assertSame('timeout', $e->getField());

        $refused = new Client(['allow_http' => true, 'read_retries' => 0,
            'iyzico' => ['api_key' => 'k', 'secret_key' => 's', 'base_url' => 'http://127.0.0.1:1']]);
        $e = $this->raised(fn () => $refused->iyzicoCreatePayment(Support::iyzico('t')), Exception\TransportException::class, 10);
        $this->assertTrue($e->isRetrySafe());

        $e = $this->raised(
            fn () => $c->paymagoCreateOrder(Support::paymago(Support::unique('d'), Support::SUCCESS, 'sim:drop')),
            Exception\OutcomeUnknownException::class,
            11
        );
        $this->assertFalse($e->isRetrySafe());

        $wrong = new Client(Support::config(['paymago' => ['token' => 'wrong', 'base_url' => Support::sim() . '/api']]));
        $e = $this->raised(fn () => $wrong->paymagoOrderResult(['orderId' => 'x', 'paymentId' => 'y']), Exception\AuthException::class, 20);
        $this->assertSame(401, $e->getHttpStatus());

        foreach ([Support::INSUFFICIENT_FUNDS => '10051', Support::DO_NOT_HONOUR => '10005', Support::INVALID_CVC => '10084'] as $card => $code) {
            $e = $this->raised(
                fn () => $c->iyzicoCreatePayment(Support::iyzico(Support::unique('dec'), (string) $card)),
                Exception\DeclinedException::class,
                21
            );
            $this->assertSame($code, $e->getProviderCode());
            $this->assertNotEmpty($e->getProviderMessage());
        }

        $e = $this->raised(
            fn () => $c->paymesCreateOrder(Support::paymes(Support::unique('r'), 'sim:redirect')),
            Exception\ProviderException::class,
            22
        );
        $this->assertSame(302, $e->getHttpStatus());

        $this->raised(
            fn () => $c->iyzicoCreatePayment(Support::iyzico(Support::unique('s'), Support::SUCCESS, 'sim:badsig')),
            Exception\SignatureException::class,
            23
        );

        $cfg = Support::config(['read_retries' => 0]);
        $cfg['paymes']['base_url'] = Support::sim() . '/elsewhere';
        $lost = new Client($cfg);
        $e = $this->raised(fn () => $lost->paymesQueryOrder(['paymesOrderId' => 'x']), Exception\DecodeException::class, 30);
        $this->assertTrue($e->isRetrySafe());

        // odeme raises InternalException only for its own bugs (a caught panic), which the API
        // cannot trigger on purpose: check the class contract.
        $e = OdemeException::fromFields(['kind' => 'internal', 'status' => 99, 'message' => 'bug']);
        $this->assertInstanceOf(Exception\InternalException::class, $e);
        $this->assertSame(99, $e->getStatus());
    }

    public function testOutcomeUnknownCarriesItsReconciliation(): void
    {
        $c = new Client(Support::config());
        $conv = Support::unique('rec');
        $e = $this->raised(
            fn () => $c->iyzicoCreatePayment(Support::iyzico($conv, Support::SUCCESS, 'sim:drop')),
            Exception\OutcomeUnknownException::class,
            11
        );
        $this->assertSame('iyzico.payment_details', $e->getReconcileWith());
        $request = $e->getReconcileRequest();
        $this->assertIsArray($request);
        $this->assertSame($request, $e->toArray()['reconcile_request']);
        $this->assertSame(['paymentConversationId' => $conv], $request);

        $details = $c->call($e->getReconcileWith(), $request);
        $this->assertSame('iyzico.payment_details', $details['operation']);
        $this->assertSame('paid', $details['outcome']['state']);
        $this->assertSame('paid', $c->iyzicoPaymentDetails($request)['outcome']['state']);

        // Errors other than outcome_unknown carry no reconciliation.
        $e = $this->raised(
            fn () => $c->iyzicoCreatePayment(Support::iyzico(Support::unique('dec'), Support::INSUFFICIENT_FUNDS)),
            Exception\DeclinedException::class,
            21
        );
        $this->assertNull($e->getReconcileWith());
        $this->assertNull($e->getReconcileRequest());
    }

    public function testFieldsFromTheErrorAccessors(): void
    {
        $c = new Client(Support::config());
        $e = $this->raised(
            fn () => $c->iyzicoCreatePayment(Support::iyzico(Support::unique('acc'), Support::INSUFFICIENT_FUNDS)),
            Exception\DeclinedException::class,
            21
        );
        $this->assertSame('10051', $e->getProviderCode());
        $this->assertSame(200, $e->getHttpStatus());
        $this->assertFalse($e->isRetrySafe());
        $this->assertIsString($e->getProviderMessage());
        $this->assertNull($e->getField());
        $this->assertSame('iyzico.create_payment', $e->getOperation());
        $this->assertSame('iyzico', $e->getProvider());

        // Absent fields: NULL pointers and an HTTP status of 0 become null.
        $e = $this->raised(fn () => new Client(['timeout' => 1]), Exception\ConfigException::class, 3);
        $this->assertSame('timeout', $e->getField());
        $this->assertNull($e->getProviderCode());
        $this->assertNull($e->getProviderMessage());
        $this->assertNull($e->getHttpStatus());
        $this->assertNull($e->getOperation());
    }

    public function testNoErrorDetailsStillGivesTheClassOfTheStatus(): void
    {
        $expected = [
            1 => Exception\InvalidArgumentException::class, 2 => Exception\InvalidRequestException::class,
            3 => Exception\ConfigException::class, 10 => Exception\TransportException::class,
            11 => Exception\OutcomeUnknownException::class, 20 => Exception\AuthException::class,
            21 => Exception\DeclinedException::class, 22 => Exception\ProviderException::class,
            23 => Exception\SignatureException::class, 30 => Exception\DecodeException::class,
            99 => Exception\InternalException::class,
        ];
        foreach ($expected as $status => $class) {
            $e = \Odeme\Native::exception(null, $status);
            $this->assertInstanceOf($class, $e);
            $this->assertSame($status, $e->getStatus());
            $this->assertSame($class::KIND, $e->getKind());
            $this->assertFalse($e->isRetrySafe());
        }
        $e = \Odeme\Native::exception(null, 77);
        $this->assertInstanceOf(Exception\InternalException::class, $e);
        $this->assertSame(77, $e->getStatus());
    }

    public function testFloatsThatAreNotExactAreRefused(): void
    {
        $c = new Client(Support::config());
        $r = Support::paymes(Support::unique('f'));
        $r['price'] = 0.1 + 0.2;
        try {
            $c->paymesCreateOrder($r);
            $this->fail('expected InvalidRequestException');
        } catch (Exception\InvalidRequestException $e) {
            $this->assertSame('price', $e->getField());
        }
    }

    public function testRedaction(): void
    {
        $pan = '5528790000000008';
        $cvc = '739';
        $secret = 'sentinel-secret-2718281828';
        $c = new Client(Support::config(['iyzico' => ['api_key' => $secret, 'secret_key' => $secret, 'base_url' => Support::sim()]]));
        $texts = [];
        foreach ([
            fn ($r) => array_replace_recursive($r, ['paymentCard' => ['cardNumber' => (int) $pan]]),
            fn ($r) => array_replace_recursive($r, ['paymentCard' => ['cvc' => (int) $cvc]]),
            fn ($r) => array_replace_recursive($r, ['paymentCard' => ['cardNumber' => substr($pan, 0, -1) . '9']]),
            fn ($r) => $r,
        ] as $mutate) {
            $r = Support::iyzico(Support::unique('red'), $pan);
            $r['paymentCard']['cvc'] = $cvc;
            try {
                $c->iyzicoCreatePayment($mutate($r));
                $this->fail('expected an error');
            } catch (OdemeException $e) {
                $texts[] = (string) $e . json_encode($e->toArray()) . $e->getMessage();
            }
        }
        $all = implode("\n", $texts);
        $this->assertStringNotContainsString($pan, $all);
        $this->assertStringNotContainsString(substr($pan, 0, -1) . '9', $all);
        $this->assertStringNotContainsString($cvc, $all);
        $this->assertStringNotContainsString($secret, $all);
    }
}
