<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

final class OperationsTest extends TestCase
{
    public function testIyzico(): void
    {
        $c = new Client(Support::config());
        $conv = Support::unique('php');
        $r = $c->iyzicoCreatePayment(Support::iyzico($conv));
        $this->assertSame('iyzico.create_payment', $r['operation']);
        $this->assertSame('completed', $r['outcome']['type']);
        $this->assertSame('1.2', $r['outcome']['paid_price']);
        $this->assertSame('1.0', $r['raw']['price'], 'raw amounts stay exact strings, never floats');
        $this->assertSame(1, $r['raw']['installment']);
        $byId = $c->iyzicoRetrievePayment(['paymentId' => $r['provider_reference']]);
        $this->assertSame('paid', $byId['outcome']['state']);
        $byConv = $c->call('iyzico.retrieve_payment', ['paymentConversationId' => $conv]);
        $this->assertSame('paid', $byConv['outcome']['state']);
    }

    public function testPaymes(): void
    {
        $c = new Client(json_encode(Support::config()));
        $r = $c->paymesCreateOrder(Support::paymes(Support::unique('pm')));
        $this->assertSame('redirect', $r['outcome']['type']);
        $id = $r['outcome']['provider_order_id'];
        $this->assertSame('pending', $c->paymesQueryOrder(['paymesOrderId' => $id])['outcome']['state']);
        $notification = Support::visit($r['outcome']['url']);
        $n = $c->paymesVerifyNotification($notification);
        $this->assertSame('notification', $n['outcome']['type']);
        $this->assertSame('paid', $n['outcome']['state']);
        $this->assertSame('1050.00', $n['outcome']['amount']);
        $this->assertSame('paid', $c->paymesQueryOrder(['paymesOrderId' => $id])['outcome']['state']);
        $kiosk = $c->paymesCreateKioskOrder(Support::paymes(Support::unique('pk')));
        $this->assertSame('terminal', $kiosk['outcome']['type']);
        $this->assertMatchesRegularExpression('/^\d{7}$/', $kiosk['outcome']['invoice_code']);
        $legacy = $c->paymesCreateOrderLegacy(Support::paymes(Support::unique('pl')));
        $this->assertSame('redirect', $legacy['outcome']['type']);
    }

    public function testPaymago(): void
    {
        $c = new Client(Support::config());
        $r = $c->paymagoCreateOrder(Support::paymago());
        $this->assertSame('redirect', $r['outcome']['type']);
        $orderId = $r['outcome']['order_id'];
        $this->assertSame(36, strlen($orderId), 'a GUID order id is generated');
        $callback = Support::visit($r['outcome']['url']);
        $q = $c->paymagoOrderResult(['orderId' => $orderId, 'paymentId' => $callback['paymentId']]);
        $this->assertSame('paid', $q['outcome']['state']);
        $this->assertSame('150.00', $q['outcome']['amount']);
    }

    public function testEsnekpos(): void
    {
        $c = new Client(Support::config());
        $r = $c->esnekposSendPaymentRequest(Support::esnekpos());
        $this->assertSame('payment_link', $r['outcome']['type']);
        $id = $r['outcome']['request_id'];
        $this->assertSame('pending', $c->esnekposQueryPaymentRequest(['SEND_PAYMENT_REQUEST_ID' => $id])['outcome']['state']);
        Support::visit($r['outcome']['url']);
        $q = $c->esnekposQueryPaymentRequest(['SEND_PAYMENT_REQUEST_ID' => (int) $id]);
        $this->assertSame('paid', $q['outcome']['state']);
    }
}
