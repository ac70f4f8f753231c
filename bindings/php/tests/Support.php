<?php

declare(strict_types=1);

namespace Odeme\Tests;

/** Shared request builders and simulator helpers. */
final class Support
{
    public const SUCCESS = '5528790000000008';
    public const INSUFFICIENT_FUNDS = '4111111111111129';
    public const DO_NOT_HONOUR = '4129111111111111';
    public const INVALID_CVC = '4124111111111116';

    private static int $seq = 0;

    public static function sim(): string
    {
        $url = getenv('ODEME_SIM_URL');
        if ($url === false || $url === '') {
            throw new \RuntimeException('ODEME_SIM_URL is not set: run the tests through scripts/with-sim');
        }
        return $url;
    }

    /** @return array<string, mixed> */
    public static function config(array $overrides = []): array
    {
        $base = self::sim();
        return array_replace([
            'allow_http' => true,
            'timeout_ms' => 30000,
            'iyzico' => ['api_key' => 'sim-iyzico-api-key', 'secret_key' => 'sim-iyzico-secret-key', 'base_url' => $base],
            'paymes' => ['public_key' => 'sim-paymes-public-key', 'secret_key' => 'sim-paymes-secret-key',
                         'secret' => 'sim-paymes-legacy-secret', 'base_url' => $base],
            'paymago' => ['token' => 'sim-paymago-token', 'base_url' => $base . '/api'],
            'esnekpos' => ['merchant' => 'TEST1234', 'merchant_key' => '4oK26hK8MOXrIV1bzTRVPA==', 'base_url' => $base],
            'paytr' => ['merchant_id' => '100000', 'merchant_key' => 'sim-paytr-merchant-key',
                        'merchant_salt' => 'sim-paytr-merchant-salt', 'base_url' => $base, 'test_mode' => true],
        ], $overrides);
    }

    public static function unique(string $prefix): string
    {
        return $prefix . '-' . getmypid() . '-' . (++self::$seq);
    }

    /** GET a payment URL as the payer's browser would. @return array<string, mixed> */
    public static function visit(string $url): array
    {
        $body = file_get_contents($url);
        return json_decode((string) $body, true);
    }

    /** @return array<string, mixed> */
    public static function iyzico(string $conversationId, string $card = self::SUCCESS, string $product = 'Binocular'): array
    {
        return [
            'locale' => 'tr', 'conversationId' => $conversationId, 'price' => '1.0', 'paidPrice' => '1.20',
            'currency' => 'TRY', 'installment' => 1, 'basketId' => 'B67832', 'paymentChannel' => 'WEB',
            'paymentGroup' => 'PRODUCT',
            'paymentCard' => ['cardHolderName' => 'John Doe', 'cardNumber' => $card, 'expireMonth' => '12',
                              'expireYear' => '2030', 'cvc' => '123'],
            'buyer' => ['id' => 'BY789', 'name' => 'John', 'surname' => 'Doe', 'identityNumber' => '74300864791',
                        'email' => 'email@email.com', 'registrationAddress' => 'Nidakule Göztepe',
                        'ip' => '85.34.78.112', 'city' => 'Istanbul', 'country' => 'Turkey'],
            'shippingAddress' => ['contactName' => 'Jane Doe', 'city' => 'Istanbul', 'country' => 'Turkey', 'address' => 'Nidakule'],
            'billingAddress' => ['contactName' => 'Jane Doe', 'city' => 'Istanbul', 'country' => 'Turkey', 'address' => 'Nidakule'],
            'basketItems' => [
                ['id' => 'BI101', 'name' => $product, 'category1' => 'C', 'itemType' => 'PHYSICAL', 'price' => '0.3'],
                ['id' => 'BI102', 'name' => 'Game', 'category1' => 'C', 'itemType' => 'VIRTUAL', 'price' => '0.7'],
            ],
        ];
    }

    /** @return array<string, mixed> */
    public static function paymes(string $orderId, string $product = 'Ürün İsmi'): array
    {
        return ['orderId' => $orderId, 'price' => '1050', 'currency' => 'TRY', 'productName' => $product,
                'buyerName' => 'Mehmet Yılmaz', 'buyerPhone' => '05555555555', 'buyerEmail' => 'email@example.com',
                'buyerAddress' => 'Örnek adres bilgisi'];
    }

    /** @return array<string, mixed> */
    public static function paymago(?string $orderId = null, string $card = self::SUCCESS, string $product = 'Phone'): array
    {
        $r = ['amount' => '150.00', 'currencyCode' => '949', 'cardHolderName' => 'John Doe', 'cardNumber' => $card,
              'expireYear' => '2030', 'expireMonth' => '12', 'cvc' => '123', 'saleProduct' => $product,
              'saleProductPrice' => '150.00', 'isSecureTransaction' => true,
              'callbackUrl' => 'https://merchant.example/callback'];
        if ($orderId !== null) {
            $r['orderId'] = $orderId;
        }
        return $r;
    }

    /** @return array<string, mixed> */
    public static function esnekpos(string $product = 'Test Ürün'): array
    {
        return ['AMOUNT' => '10.56', 'INSTALLMENT' => 0, 'PHONE_NUMBER' => '5554443322', 'MAIL' => 'test@mail.com',
                'TYPE' => 3, 'LOCALE' => 'tr', 'IS_TOTAL_AMOUNT' => true, 'PRODUCT' => $product];
    }
}
