<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\Exception\SignatureException;
use PHPUnit\Framework\TestCase;

/**
 * PayTR's tokens and callback hash against PHP's own hash_hmac, PayTR's published formulas
 * (dev.paytr.com PHP samples): base64_encode(hash_hmac('sha256', fields . merchant_salt,
 * merchant_key, true)).
 *
 * The callback hash is compared directly: odeme accepts exactly the hash computed here. odeme's
 * paytr_token is not exposed as a helper; the simulator recomputes every token with its own HMAC
 * and refuses any that differs, so the same inputs are posted twice, through odeme and with the
 * token computed here: both accepted means odeme's token is hash_hmac's.
 */
final class PaytrTest extends TestCase
{
    private const KEY = 'sim-paytr-merchant-key';
    private const SALT = 'sim-paytr-merchant-salt';
    private const ALPHABET = ['a', 'ç', 'ğ', 'ı', 'İ', 'ö', 'ş', 'ü', 'Ç', 'Ğ', 'Ö', 'Ş', 'Ü', 'Z', '0', '9', ' ', '.', '&', '=', '+', '/', '"'];

    private function text(int $min, int $max): string
    {
        $s = '';
        for ($i = random_int($min, $max); $i > 0; $i--) {
            $s .= self::ALPHABET[random_int(0, count(self::ALPHABET) - 1)];
        }
        return trim($s) === '' ? 'ü' : $s;
    }

    private static function token(string ...$parts): string
    {
        return base64_encode(hash_hmac('sha256', implode('', $parts) . self::SALT, self::KEY, true));
    }

    private static function oid(string $prefix): string
    {
        return str_replace('-', 'x', Support::unique($prefix));
    }

    /** @return array<string, mixed> */
    private static function post(string $path, array $fields): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
            'content' => http_build_query($fields),
        ]]);
        return json_decode((string) file_get_contents(Support::sim() . $path, false, $context), true);
    }

    public function testIframeTokensEqualHashHmacOnRandomTurkishInputs(): void
    {
        $client = new Client(Support::config());
        for ($n = 0; $n < 10; $n++) {
            $basket = [[$this->text(1, 25), random_int(1, 9999) . '.' . sprintf('%02d', random_int(0, 99)), random_int(1, 5)]];
            $kurus = (string) random_int(1, 10000000);
            $email = 'müşteri' . $n . '@örnek.com.tr';
            $noInstallment = (string) random_int(0, 1);
            $maxInstallment = (string) random_int(0, 12);
            $buyer = [
                'user_ip' => '85.34.78.112', 'email' => $email, 'user_name' => 'Ayşe Yılmaz',
                'user_address' => 'İstiklal Cd. 1', 'user_phone' => '05555555555',
                'merchant_ok_url' => 'https://shop.example/ok', 'merchant_fail_url' => 'https://shop.example/fail',
            ];

            $mine = self::oid('phpmine');
            $r = $client->call('paytr.create_iframe_token', $buyer + [
                'merchant_oid' => $mine, 'payment_amount' => (int) $kurus, 'user_basket' => $basket,
                'no_installment' => (int) $noInstallment, 'max_installment' => (int) $maxInstallment,
            ]);
            $this->assertSame('iframe', $r['outcome']['type']);

            $theirs = self::oid('phptheirs');
            $b64 = base64_encode(json_encode($basket, JSON_UNESCAPED_UNICODE));
            $fields = $buyer + [
                'merchant_id' => '100000', 'merchant_oid' => $theirs, 'payment_amount' => $kurus,
                'user_basket' => $b64, 'no_installment' => $noInstallment, 'max_installment' => $maxInstallment,
                'currency' => 'TL', 'test_mode' => '1',
            ];
            $fields['paytr_token'] = self::token('100000', '85.34.78.112', $theirs, $email, $kurus, $b64,
                $noInstallment, $maxInstallment, 'TL', '1');
            $this->assertSame('success', self::post('/odeme/api/get-token', $fields)['status']);
            $fields['payment_amount'] = $kurus . '0';
            $this->assertSame(
                ['status' => 'failed', 'reason' => 'paytr_token gonderilmedi veya gecersiz'],
                self::post('/odeme/api/get-token', $fields)
            );
        }
    }

    public function testRefundAndQueryTokensEqualHashHmac(): void
    {
        $client = new Client(Support::config());
        $oid = self::oid('phpref');
        $r = $client->call('paytr.create_iframe_token', [
            'user_ip' => '85.34.78.112', 'merchant_oid' => $oid, 'email' => 'a@example.com', 'payment_amount' => 2000,
            'user_basket' => [['Kalem', '20.00', 1]], 'user_name' => 'Ali Çelik', 'user_address' => 'Ankara',
            'user_phone' => '05321234567', 'merchant_ok_url' => 'https://s/ok', 'merchant_fail_url' => 'https://s/fail',
        ]);
        Support::visit($r['outcome']['url']);
        $query = self::post('/odeme/durum-sorgu', ['merchant_id' => '100000', 'merchant_oid' => $oid,
            'paytr_token' => self::token('100000', $oid)]);
        $this->assertSame('success', $query['status']);
        $this->assertSame($query['payment_amount'], $client->call('paytr.query_order', ['merchant_oid' => $oid])['outcome']['amount']);
        $refund = self::post('/odeme/iade', ['merchant_id' => '100000', 'merchant_oid' => $oid, 'return_amount' => '1.25',
            'paytr_token' => self::token('100000', $oid, '1.25')]);
        $this->assertSame('success', $refund['status']);
        $this->assertSame('refund', $client->call('paytr.refund', ['merchant_oid' => $oid, 'return_amount' => '1.25'])['outcome']['type']);
        $refunds = $client->call('paytr.query_order', ['merchant_oid' => $oid])['outcome']['refunds'];
        $this->assertSame(['1.25', '1.25'], array_column($refunds, 'amount'));
    }

    public function testCallbackHashEqualsHashHmacOnRandomInputs(): void
    {
        $client = new Client(Support::config());
        for ($n = 0; $n < 50; $n++) {
            $oid = substr(bin2hex(random_bytes(32)), 0, random_int(1, 64));
            $status = random_int(0, 1) === 1 ? 'success' : 'failed';
            $total = (string) random_int(1, 1000000000);
            $hash = base64_encode(hash_hmac('sha256', $oid . self::SALT . $status . $total, self::KEY, true));
            $fields = ['merchant_oid' => $oid, 'status' => $status, 'total_amount' => $total, 'hash' => $hash,
                       'failed_reason_msg' => $this->text(0, 20), 'payment_type' => 'card', 'currency' => 'TL'];
            $r = $client->call('paytr.verify_callback', $fields);
            $this->assertSame($status === 'success' ? 'paid' : 'failed', $r['outcome']['state']);
            $this->assertSame('OK', $r['outcome']['reply']);
            $fields['status'] = $status === 'success' ? 'failed' : 'success';
            try {
                $client->call('paytr.verify_callback', $fields);
                $this->fail('a tampered callback was accepted');
            } catch (SignatureException $e) {
                $this->assertStringContainsString('PayTR callback', $e->getMessage());
            }
        }
    }
}
