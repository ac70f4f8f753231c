<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception\InvalidRequestException;
use Odeme\Exception\OutcomeUnknownException;
use Odeme\Exception\ProviderException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

/**
 * Refunds and cancels through the C ABI: iyzico full and partial refunds and a cancel, the Paymes
 * cancel, EsnekPOS returns (full and partial), over-refunds refused before any I/O, a second
 * cancel as the provider's error, and sim:refund-drop reconciled through the declared operation
 * with exactly one send in the simulator's log.
 */
final class RefundsTest extends TestCase
{
    private static function sent(string $operation, string $ref): int
    {
        $n = 0;
        foreach (Support::visit(Support::sim() . '/__sim/requests') as $r) {
            if ($r['operation'] === $operation && $r['order_ref'] === $ref) {
                $n++;
            }
        }
        return $n;
    }

    private static function paidIyzico(Client $c, string $product = 'Binocular'): string
    {
        $r = $c->iyzicoCreatePayment(Support::iyzico(Support::unique('phprf'), Support::SUCCESS, $product));
        return (string) $r['outcome']['payment_id'];
    }

    /** @param array<string, mixed> $details */
    private static function refundedTotal(array $details): string
    {
        $cents = 0;
        foreach ($details['outcome']['refunds'] as $r) {
            $cents += (int) round(100 * (float) $r['amount']); // test arithmetic only
        }
        return sprintf('%d.%02d', intdiv($cents, 100), $cents % 100);
    }

    public function testIyzicoRefunds(): void
    {
        $c = new Client(Support::config());
        $id = self::paidIyzico($c);
        $r = $c->iyzicoRefundPayment(['paymentId' => $id, 'price' => '1.20', 'currency' => 'TRY']);
        $this->assertSame(['type' => 'refund', 'state' => 'refunded', 'amount' => '1.2', 'currency' => 'TRY',
                           'payment_id' => $id], $r['outcome']);
        $this->assertSame('refunded', $c->iyzicoPaymentDetails(['paymentId' => $id])['outcome']['state']);

        $id = self::paidIyzico($c);
        $d = $c->iyzicoPaymentDetails(['paymentId' => $id]);
        $r = $c->iyzicoRefundPayment(['paymentId' => $id, 'price' => '0.5', 'details' => $d]);
        $this->assertSame('partially_refunded', $r['outcome']['state']);
        $d = $c->iyzicoPaymentDetails(['paymentId' => $id]);
        $this->assertSame('partially_refunded', $d['outcome']['state']);
        $this->assertSame('0.50', self::refundedTotal($d));
        try {
            $c->iyzicoRefundPayment(['paymentId' => $id, 'price' => '0.71', 'details' => $d]);
            $this->fail('an over-refund must be refused');
        } catch (InvalidRequestException $e) {
            $this->assertSame('price', $e->getField());
        }
        $this->assertSame(1, self::sent('iyzico.refund_payment', $id));
        try {
            $c->iyzicoRefundPayment(['paymentId' => $id, 'price' => '0.71']);
            $this->fail('iyzico refuses an over-refund');
        } catch (ProviderException $e) {
            $this->assertSame('5094', $e->getProviderCode());
        }
    }

    public function testIyzicoCancelTwice(): void
    {
        $c = new Client(Support::config());
        $id = self::paidIyzico($c);
        $r = $c->iyzicoCancelPayment(['paymentId' => $id, 'ip' => '85.34.78.112', 'reason' => 'buyer_request']);
        $this->assertSame('cancelled', $r['outcome']['state']);
        $this->assertSame('1.2', $r['outcome']['amount']);
        $d = $c->iyzicoPaymentDetails(['paymentId' => $id]);
        $this->assertSame('cancelled', $d['outcome']['state']);
        $this->assertTrue($d['outcome']['cancelled']);
        try {
            $c->iyzicoCancelPayment(['paymentId' => $id]);
            $this->fail('a second cancel is iyzico\'s error');
        } catch (ProviderException $e) {
            $this->assertSame('5093', $e->getProviderCode());
        }
        $this->assertSame(2, self::sent('iyzico.cancel_payment', $id));
    }

    public function testRefundDropIsReconciled(): void
    {
        $c = new Client(Support::config());
        $id = self::paidIyzico($c, 'sim:refund-drop');
        try {
            $c->iyzicoRefundPayment(['paymentId' => $id, 'price' => '0.4']);
            $this->fail('the reply was dropped');
        } catch (OutcomeUnknownException $e) {
            $this->assertSame('iyzico.payment_details', $e->getReconcileWith());
            $this->assertSame(['paymentId' => $id], $e->getReconcileRequest());
            $d = $c->call((string) $e->getReconcileWith(), (array) $e->getReconcileRequest());
            $this->assertSame('partially_refunded', $d['outcome']['state']);
            $this->assertSame('0.40', self::refundedTotal($d));
        }
        $this->assertSame(1, self::sent('iyzico.refund_payment', $id));
    }

    public function testPaymesCancel(): void
    {
        $c = new Client(Support::config());
        $r = $c->paymesCreateOrder(Support::paymes(Support::unique('phppm')));
        Support::visit($r['outcome']['url']);
        $id = $r['outcome']['provider_order_id'];
        $x = $c->paymesCancelOrder(['paymesOrderId' => $id, 'price' => '1050']);
        $this->assertSame('refund', $x['outcome']['type']);
        $this->assertSame('1050.00', $x['outcome']['amount']);
        $this->assertSame('cancelled', $c->paymesQueryOrder(['paymesOrderId' => $id])['outcome']['state']);
        $this->expectException(ProviderException::class);
        $c->paymesCancelOrder(['paymesOrderId' => $id, 'price' => '1050']);
    }

    public function testEsnekposReturns(): void
    {
        $c = new Client(Support::config());
        foreach ([false, true] as $partial) {
            $r = $c->esnekposSendPaymentRequest(Support::esnekpos());
            $order = Support::visit($r['outcome']['url'])['ORDER_REF_NO'];
            $link = $r['outcome']['request_id'];
            if ($partial) {
                $x = $c->esnekposReturnOrder(['ORDER_REF_NUMBER' => $order, 'AMOUNT' => '4', 'refundable' => '10.56']);
                $this->assertSame('partially_refunded', $x['outcome']['state']);
                $this->assertSame('4.00', $x['outcome']['amount']);
                try {
                    $c->esnekposReturnOrder(['ORDER_REF_NUMBER' => $order, 'AMOUNT' => '6.57', 'refundable' => '6.56']);
                    $this->fail('more than remains');
                } catch (InvalidRequestException $e) {
                    $this->assertSame('AMOUNT', $e->getField());
                }
                $this->assertSame(1, self::sent('esnekpos.return_order', $order));
            } else {
                $x = $c->esnekposReturnOrder(['ORDER_REF_NUMBER' => $order, 'AMOUNT' => '10.56']);
                $this->assertSame('10.56', $x['outcome']['amount']);
                $q = $c->esnekposQueryPaymentRequest(['SEND_PAYMENT_REQUEST_ID' => $link]);
                $this->assertSame('cancelled', $q['outcome']['state']);
            }
        }
    }
}
