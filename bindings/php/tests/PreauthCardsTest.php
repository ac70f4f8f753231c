<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception\InvalidRequestException;
use Odeme\Exception\OutcomeUnknownException;
use Odeme\Exception\ProviderException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

/** Authorize now, capture later; stored cards (issue 33), through the C ABI. */
final class PreauthCardsTest extends TestCase
{
    private static function state(Client $c, string $paymentId): string
    {
        return $c->iyzicoPaymentDetails(['paymentId' => $paymentId])['outcome']['state'];
    }

    /** @return array<string, mixed> */
    private static function capture(string $paymentId, string $amount): array
    {
        return ['paymentId' => $paymentId, 'paidPrice' => $amount, 'ip' => '85.34.78.112', 'currency' => 'TRY'];
    }

    public function testPreauthThenPartialCaptureOnce(): void
    {
        $dir = sys_get_temp_dir() . '/odeme-php-preauth-' . getmypid() . '-' . uniqid();
        mkdir($dir);
        $c = new Client(Support::config(['journal' => ['path' => "$dir/j.sqlite3", 'settle_s' => 0]]));
        $r = $c->iyzicoPreauthPayment(Support::iyzico(Support::unique('phppa')));
        $this->assertSame('authorized', $r['outcome']['type']);
        $this->assertIsString($r['outcome']['paid_price']);
        $id = (string) $r['outcome']['payment_id'];
        $this->assertSame('authorized', self::state($c, $id));
        $r = $c->iyzicoCapturePayment(self::capture($id, '1.00'));
        $this->assertSame('completed', $r['outcome']['type']);
        $this->assertIsString($r['outcome']['paid_price']);
        $this->assertSame('paid', self::state($c, $id));
        try {
            $c->iyzicoCapturePayment(self::capture($id, '0.10'));
            $this->fail('a second capture must be refused');
        } catch (InvalidRequestException $e) {
            $this->assertSame('paymentId', $e->getField());
        }
    }

    public function testReleaseThreeDsPreauthAndDroppedCapture(): void
    {
        $c = new Client(Support::config());
        $id = (string) $c->iyzicoPreauthPayment(Support::iyzico(Support::unique('phprel')))['outcome']['payment_id'];
        $r = $c->iyzicoCancelPayment(['paymentId' => $id, 'ip' => '85.34.78.112']);
        $this->assertSame('cancelled', $r['outcome']['state']);
        $this->assertSame('cancelled', self::state($c, $id));

        $req = Support::iyzico(Support::unique('php3dpa'));
        $req['callbackUrl'] = 'https://shop.example/cb';
        $id = (string) $c->iyzicoInit3dsPreauth($req)['outcome']['payment_id'];
        Support::visit(Support::sim() . "/pay/iyzico3ds/$id");
        $r = $c->iyzicoComplete3ds(['paymentId' => $id, 'paidPrice' => $req['paidPrice'],
            'basketId' => $req['basketId'], 'currency' => 'TRY']);
        $this->assertSame('authorized', $r['outcome']['type']);
        $this->assertSame('completed', $c->iyzicoCapturePayment(self::capture($id, '1.20'))['outcome']['type']);

        $id = (string) $c->iyzicoPreauthPayment(Support::iyzico(Support::unique('phpcd'), Support::SUCCESS, 'sim:capture-drop'))['outcome']['payment_id'];
        try {
            $c->iyzicoCapturePayment(self::capture($id, '1.00'));
            $this->fail('a dropped capture is outcome_unknown');
        } catch (OutcomeUnknownException $e) {
            $this->assertSame('iyzico.payment_details', $e->getReconcileWith());
            $this->assertSame(['paymentId' => $id], $e->getReconcileRequest());
        }
        $this->assertSame('paid', self::state($c, $id));
    }

    public function testStoreListPayByTokenDelete(): void
    {
        $c = new Client(Support::config());
        $card = $c->iyzicoStoreCard(['email' => 'email@email.com', 'card' => ['cardNumber' => Support::SUCCESS,
            'expireYear' => '2030', 'expireMonth' => '12', 'cardHolderName' => 'John Doe']])['outcome'];
        $this->assertSame('card', $card['type']);
        $keys = ['cardUserKey' => $card['card_user_key'], 'cardToken' => $card['card_token']];
        $listed = $c->iyzicoListCards(['cardUserKey' => $card['card_user_key']])['outcome']['cards'];
        $this->assertSame($card['card_token'], $listed[0]['card_token']);
        $req = Support::iyzico(Support::unique('phptok'));
        $req['paymentCard'] = $keys;
        $this->assertSame('completed', $c->iyzicoCreatePayment($req)['outcome']['type']);
        $this->assertSame('card_deleted', $c->iyzicoDeleteCard($keys)['outcome']['type']);
        try {
            $c->iyzicoCreatePayment($req);
            $this->fail('paying with a deleted token fails');
        } catch (ProviderException $e) {
            $shown = $e->getMessage() . (string) $e . json_encode($e->toArray());
            $this->assertStringNotContainsString($card['card_token'], $shown);
            $this->assertStringNotContainsString($card['card_user_key'], $shown);
        }
    }
}
