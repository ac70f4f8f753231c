<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use PHPUnit\Framework\TestCase;

final class HashTest extends TestCase
{
    private const ALPHABET = ['a', 'ç', 'ğ', 'ı', 'İ', 'ö', 'ş', 'ü', 'Ç', 'Ğ', 'Ö', 'Ş', 'Ü', 'Z', '0', '9', ' ', '.', ':', '&', '=', '€', '/'];

    private function text(int $max): string
    {
        $s = '';
        for ($i = random_int(0, $max); $i > 0; $i--) {
            $s .= self::ALPHABET[random_int(0, count(self::ALPHABET) - 1)];
        }
        return $s;
    }

    public function testPaymesHashEqualsPhpHash(): void
    {
        for ($n = 0; $n < 200; $n++) {
            $parts = [];
            for ($i = random_int(0, 8); $i > 0; $i--) {
                $parts[] = $this->text(20);
            }
            $secret = $this->text(30);
            $this->assertSame(base64_encode(hash('sha512', implode('', $parts) . $secret, true)), Client::paymesHash($parts, $secret));
        }
        $this->assertSame(
            'knYih0b6Nrvqvw7yxtt5H9Tb6kkH7RJkYlB450FziSBKfx0q2eZACHLi+ZexDZKcs9rxJ//QCmoaq12LaI5+3g==',
            Client::paymesHash(['123456789', '1050', 'TRY', 'Ürün İsmi', 'Mehmet Yılmaz', '05555555555', 'email@example.com', 'Örnek adres bilgisi'], '111111111')
        );
    }

    public function testIyzicoAuthHeaderEqualsHashHmac(): void
    {
        for ($n = 0; $n < 200; $n++) {
            [$api, $secret, $rnd, $path, $body] = [$this->text(20), $this->text(30), $this->text(12), '/' . $this->text(20), $this->text(200)];
            $sig = hash_hmac('sha256', $rnd . $path . $body, $secret);
            $want = 'IYZWSv2 ' . base64_encode("apiKey:$api&randomKey:$rnd&signature:$sig");
            $this->assertSame($want, Client::iyzicoAuthHeader($api, $secret, $rnd, $path, $body));
        }
    }

    public function testIyzicoSignatureEqualsHashHmac(): void
    {
        for ($n = 0; $n < 200; $n++) {
            $fields = [];
            for ($i = random_int(0, 7); $i > 0; $i--) {
                $fields[] = $this->text(12);
            }
            $secret = $this->text(30);
            $this->assertSame(hash_hmac('sha256', implode(':', $fields), $secret), Client::iyzicoSignature($secret, $fields));
        }
    }
}
