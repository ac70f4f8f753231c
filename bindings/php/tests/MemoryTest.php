<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;

final class MemoryTest extends TestCase
{
    private static function rssKiB(): int
    {
        $status = (string) file_get_contents('/proc/self/status');
        return preg_match('/^VmRSS:\s+(\d+) kB/m', $status, $m) ? (int) $m[1] : 0;
    }

    private function cycle(int $i): void
    {
        $c = new Client(['paymes' => ['public_key' => 'p', 'secret_key' => 's', 'base_url' => 'https://api.paym.es']]);
        $fields = ['paymesOrderId' => "p$i", 'orderId' => "o$i", 'type' => 'success', 'message' => 'Ödeme Başarılı',
                   'price' => '10.00', 'currency' => 'TRY'];
        $fields['hash'] = Client::paymesHash(array_values($fields), 's');
        $ok = $c->paymesVerifyNotification($fields);
        $this->assertSame('paid', $ok['outcome']['state']);
        $fields['price'] = '11.00';
        try {
            $c->paymesVerifyNotification($fields);
            $this->fail('a tampered notification must not verify');
        } catch (OdemeException $e) {
            $this->assertSame('signature', $e->getKind());
        }
        unset($c);
    }

    public function testFiveThousandCyclesKeepMemoryFlat(): void
    {
        for ($i = 0; $i < 500; $i++) {
            $this->cycle($i);
        }
        gc_collect_cycles();
        $rss = self::rssKiB();
        $heap = memory_get_usage();
        for ($i = 0; $i < 5000; $i++) {
            $this->cycle($i);
        }
        gc_collect_cycles();
        $this->assertGreaterThan(0, $rss);
        $this->assertLessThan(2048, self::rssKiB() - $rss, 'native memory grows: a handle or string is not freed');
        $this->assertLessThan(256 * 1024, memory_get_usage() - $heap, 'PHP heap grows');
    }
}
