<?php

// scripts/canary-log's PHP runner (not a PHPUnit test): a PSR-3 logger at debug appends every
// record (its context, the event's fields, with the message and level) to $ODEME_CANARY_EVENTS;
// calls come one a line on stdin (`normal|short TAB operation TAB request-json`) and each answer
// is one line (`ok TAB response-json` or `err TAB kind TAB message`).

declare(strict_types=1);

require __DIR__ . '/../autoload.php';
// psr/log as Debian ships it (php-psr-log), as LoggingTest.php loads it.
require_once '/usr/share/php/Psr/Log/autoload.php';

use Odeme\Client;
use Odeme\OdemeException;

final class CanaryFileLogger extends \Psr\Log\AbstractLogger
{
    /** @var resource */
    private $out;

    public function __construct(string $path)
    {
        $this->out = fopen($path, 'ab');
    }

    public function log($level, $message, array $context = []): void
    {
        $record = $context + ['_message' => (string) $message, '_level' => (string) $level];
        fwrite($this->out, json_encode($record, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n");
        fflush($this->out);
    }
}

$logger = new CanaryFileLogger(getenv('ODEME_CANARY_EVENTS'));
$clients = [
    'normal' => new Client(getenv('ODEME_CANARY_CONFIG')),
    'short' => new Client(getenv('ODEME_CANARY_SHORT_CONFIG')),
];
foreach ($clients as $client) {
    $client->setLogger($logger, 'debug');
}
while (($line = fgets(STDIN)) !== false) {
    [$which, $operation, $request] = explode("\t", rtrim($line, "\n"), 3);
    try {
        $response = $clients[$which]->call($operation, json_decode($request, true, 64, JSON_THROW_ON_ERROR));
        $answer = "ok\t" . json_encode($response, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    } catch (OdemeException $e) {
        $answer = "err\t" . $e->getKind() . "\t" . str_replace("\n", ' ', $e->getMessage());
    }
    fwrite(STDOUT, $answer . "\n");
    fflush(STDOUT);
}
foreach ($clients as $client) {
    if ($client->lastLoggerError() !== null) {
        fwrite(STDERR, 'the logger threw: ' . $client->lastLoggerError()->getMessage() . "\n");
        exit(1);
    }
}
