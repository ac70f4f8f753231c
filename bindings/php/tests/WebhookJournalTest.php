<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception\ConfigException;
use Odeme\Exception\InvalidRequestException;
use Odeme\Exception\OutcomeUnknownException;
use Odeme\Exception\SignatureException;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

/** verifyWebhook over raw bytes, and the payment journal (pending / reconcile / refusal). */
final class WebhookJournalTest extends TestCase
{
    // iyzico/iyzipay-php samples/webhook_Signature_Validation.php: direct API body, secret, header.
    private const SECRET = 'sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs';
    private const BODY = '{"paymentConversationId":"conversationId","merchantId":3382172,"paymentId":22484059,'
        . '"status":"SUCCESS","iyziReferenceCode":"a9af8e6b-4401-4928-b6b8-40419aaa3d0f",'
        . '"iyziEventType":"API_AUTH","iyziEventTime":1721825828467,"iyziPaymentId":22484059}';
    private const SIG = '92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae';

    private static function published(): Client
    {
        return new Client(['iyzico' => ['api_key' => 'k', 'secret_key' => self::SECRET]]);
    }

    public function testPublishedVector(): void
    {
        $r = self::published()->verifyWebhook('iyzico', ['x-iyz-signature-v3' => self::SIG], self::BODY);
        $this->assertSame('webhook.iyzico', $r['operation']);
        $o = $r['outcome'];
        $this->assertSame(['notification', 'iyzico', 'API_AUTH', 'paid', '22484059', 'conversationId', false],
            [$o['type'], $o['provider'], $o['event'], $o['state'], $o['payment_id'], $o['order_id'], $o['duplicate']]);
    }

    public function testTamperedBody(): void
    {
        $this->expectException(SignatureException::class);
        self::published()->verifyWebhook('iyzico', ['X-IYZ-SIGNATURE-V3' => self::SIG], str_replace('SUCCESS', 'FAILURE', self::BODY));
    }

    public function testMissingHeader(): void
    {
        try {
            self::published()->verifyWebhook('iyzico', [], self::BODY);
            $this->fail('no signature header must not verify');
        } catch (SignatureException $e) {
            $this->assertStringContainsString('X-IYZ-SIGNATURE-V3', $e->getMessage());
            $this->assertSame('webhook.iyzico', $e->getOperation());
            $this->assertSame('iyzico', $e->getProvider(), 'a webhook error names its provider, not "webhook"');
        }
    }

    public function testAPaymesWebhookErrorNamesPaymes(): void
    {
        $c = new Client(['paymes' => ['public_key' => 'p', 'secret_key' => 's']]);
        try {
            $c->verifyWebhook('paymes', ['Content-Type' => 'application/x-www-form-urlencoded'], 'orderId=o-1&hash=AAAA');
            $this->fail('a forged Paymes notification must not verify');
        } catch (OdemeException $e) {
            $this->assertSame('paymes', $e->getProvider());
            $this->assertSame('webhook.paymes', $e->getOperation());
        }
    }

    public function testEmptyBodyIsASignatureError(): void
    {
        $this->expectException(SignatureException::class);
        self::published()->verifyWebhook('iyzico', ['X-IYZ-SIGNATURE-V3' => self::SIG], '');
    }

    /** @return array{0: array<string, string>, 1: string} */
    private static function delivery(string $provider, string $id): array
    {
        $d = Support::visit(Support::sim() . "/__sim/webhook/$provider/$id");
        return [$d['headers'], $d['body']];
    }

    public function testJournalWebhookAndRefusal(): void
    {
        $dir = sys_get_temp_dir() . '/odeme-php-journal-' . getmypid() . '-' . uniqid();
        mkdir($dir);
        $c = new Client(Support::config(['journal' => ['path' => "$dir/journal.sqlite3"]]));
        $this->assertSame([], $c->pending());
        $order = Support::unique('php-drop');
        try {
            $c->paymesCreateOrder(Support::paymes($order, 'sim:drop'));
            $this->fail('sim:drop must be outcome_unknown');
        } catch (OutcomeUnknownException $e) {
        }
        $pending = $c->pending();
        $this->assertCount(1, $pending);
        $this->assertSame([$order, 'outcome_unknown'], [$pending[0]['reference'], $pending[0]['state']]);
        $this->assertSame('needs_manual_check', $c->reconcile()[0]['state']);
        try {
            $c->paymesCreateOrder(Support::paymes($order));
            $this->fail('a resend must be refused');
        } catch (InvalidRequestException $e) {
            $this->assertSame('orderId', $e->getField());
        }
        [$headers, $body] = self::delivery('paymes', $order);
        $this->assertFalse($c->verifyWebhook('paymes', $headers, $body)['outcome']['duplicate']);
        $this->assertSame([], $c->pending());
        $this->assertTrue($c->verifyWebhook('paymes', $headers, $body)['outcome']['duplicate']);
    }

    public function testWithoutAJournal(): void
    {
        $c = new Client(Support::config());
        try {
            $c->pending();
            $this->fail('pending without a journal');
        } catch (ConfigException $e) {
            $this->assertSame('journal', $e->getField());
        }
        $this->expectException(ConfigException::class);
        $c->reconcile();
    }
}
