<?php
// B5 from PHP (FFI): 100,000 no-I/O calls of the Paymes hash helper.
require __DIR__ . '/../../bindings/php/autoload.php';
function rss(): int { return preg_match('/^VmRSS:\s+(\d+)/m', file_get_contents('/proc/self/status'), $m) ? (int) $m[1] : 0; }
$parts = ['123456789', '1050.00', 'TRY', 'Ürün İsmi', 'Mehmet Yılmaz', '05555555555', 'email@example.com', 'Örnek adres bilgisi'];
$n = 100000;
$t = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    Odeme\Client::paymesHash($parts, '111111111');
    if ($i === 999) { $rss1000 = rss(); }
}
$ns = (hrtime(true) - $t) / $n;
echo json_encode(['lang' => 'PHP', 'ns_per_call' => $ns, 'rss_after_1000_kib' => $rss1000, 'rss_after_100000_kib' => rss()]), "\n";
