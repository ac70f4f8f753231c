<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

/**
 * Issue 30: a reply carrying a 100 KB string beside its amounts (iyzico echoes the
 * conversationId, as long as a 3-D page) gives back every amount exactly: every non-integer
 * number of the outcome and of `raw` is a PHP string of the provider's digits, never a float;
 * integers stay ints. (The regex this replaced gave up at about 8 KB and fell back to floats.)
 */
final class ExactNumbersTest extends TestCase
{
    /** Every float anywhere in $value, as "path => value". @return list<string> */
    private static function floats($value, string $path = ''): array
    {
        if (is_float($value)) {
            return ["$path => $value"];
        }
        $out = [];
        if (is_array($value)) {
            foreach ($value as $k => $v) {
                $out = array_merge($out, self::floats($v, "$path.$k"));
            }
        }
        return $out;
    }

    public function testAmountsBesideA100KbStringAreExactStrings(): void
    {
        $c = new Client(Support::config());
        $conv = Support::unique('exact') . str_repeat('c', 100 * 1024);
        $r = $c->iyzicoCreatePayment(Support::iyzico($conv));
        $this->assertSame('completed', $r['outcome']['type']);
        $this->assertSame($conv, $r['raw']['conversationId'], 'the 100 KB field comes back');
        $this->assertSame([], self::floats($r), 'no float anywhere in the response');
        // odeme sends paidPrice "1.20" as iyzico's SDK does ("1.2"); the reply's digits come back.
        $this->assertSame('1.2', $r['outcome']['paid_price']);
        $this->assertSame('1.2', $r['raw']['paidPrice']);
        $this->assertSame('1.0', $r['raw']['price']);
        $this->assertSame('0.25', $r['raw']['iyziCommissionFee']);
        $this->assertSame('0.3', $r['raw']['itemTransactions'][0]['price']);
        $this->assertSame('0.3', $r['raw']['itemTransactions'][0]['convertedPayout']['merchantPayoutAmount']);
        $this->assertSame(1, $r['raw']['installment'], 'integers stay ints');
        $this->assertSame(0, $r['raw']['merchantCommissionRate']);
        $this->assertIsInt($r['raw']['systemTime']);

        // The status query of the same payment, and call() itself, are exact too.
        $q = $c->call('iyzico.retrieve_payment', ['paymentConversationId' => $conv]);
        $this->assertSame('paid', $q['outcome']['state']);
        $this->assertSame([], self::floats($q));
        $this->assertSame('1.2', $q['raw']['paidPrice']);
    }
}
