<?php
// odeme from PHP: an iyzico payment against the simulator, a declined card, and an
// outcome-unknown payment reconciled by querying.
//
//   ODEME_LIBRARY=$PWD/target/debug/libodeme.so scripts/with-sim -- php examples/php/create_payment.php
// Copied into a Composer project (`composer require odeme/odeme`), it loads odeme through
// Composer's autoloader, as scripts/test-packages runs it.

declare(strict_types=1);

require is_file(__DIR__ . '/vendor/autoload.php')
    ? __DIR__ . '/vendor/autoload.php'
    : __DIR__ . '/../../bindings/php/autoload.php';

use Odeme\Client;
use Odeme\Exception\DeclinedException;
use Odeme\Exception\OutcomeUnknownException;

$base = getenv('ODEME_SIM_URL') ?: 'http://127.0.0.1:8080';
$client = new Client([
    'allow_http' => true,
    'timeout_ms' => 1500,
    'iyzico' => ['api_key' => 'sim-iyzico-api-key', 'secret_key' => 'sim-iyzico-secret-key', 'base_url' => $base],
]);

function payment(string $order, string $card, string $product = 'Kitap'): array
{
    return [
        'conversationId' => $order, 'price' => '149.90', 'paidPrice' => '149.90', 'installment' => 1,
        'paymentCard' => ['cardHolderName' => 'Ayşe Yılmaz', 'cardNumber' => $card, 'expireMonth' => '12',
                          'expireYear' => '2030', 'cvc' => '123'],
        'buyer' => ['id' => 'B1', 'name' => 'Ayşe', 'surname' => 'Yılmaz', 'identityNumber' => '11111111110',
                    'email' => 'ayse@example.com', 'registrationAddress' => 'Kadıköy', 'city' => 'Istanbul',
                    'country' => 'Turkey', 'ip' => '85.34.78.112'],
        'billingAddress' => ['contactName' => 'Ayşe Yılmaz', 'city' => 'Istanbul', 'country' => 'Turkey', 'address' => 'Kadıköy'],
        'basketItems' => [['id' => 'SKU-1', 'name' => $product, 'category1' => 'Books', 'itemType' => 'VIRTUAL', 'price' => '149.90']],
    ];
}

$ok = true;
$r = $client->iyzicoCreatePayment(payment('shop-1001', '5528790000000008'));
printf("iyzico payment: %s %s %s\n", $r['outcome']['type'], $r['outcome']['payment_id'], $r['outcome']['paid_price']);

try {
    $client->iyzicoCreatePayment(payment('shop-1002', '4111111111111129'));
    $ok = false;
} catch (DeclinedException $e) {
    printf("declined: %s %s -> ask for another card\n", $e->getProviderCode(), $e->getProviderMessage());
}

try {
    $client->iyzicoCreatePayment(payment('shop-1003', '5528790000000008', 'sim:delay'));
    $ok = false;
} catch (OutcomeUnknownException $e) {
    echo "outcome unknown: ", $e->getMessage(), "\n";
    // Never resend blindly: ask the provider with the declared reconciliation
    // (iyzico.payment_details for iyzico.create_payment) and the exact request odeme built.
    $q = $client->call($e->getReconcileWith(), $e->getReconcileRequest());
    printf("  reconciled with %s: shop-1003 is %s\n", $e->getReconcileWith(), $q['outcome']['state']);
    $ok = $ok && $q['outcome']['state'] === 'paid';
}
exit($ok ? 0 : 1);
