<?php

declare(strict_types=1);

namespace Odeme\Tests;

use Odeme\Client;
use Odeme\OdemeException;
use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/Support.php';

/**
 * The binding against libodeme's registry (odeme_operations): an operation declared in Rust
 * without its PHP method, or a PHP method for an operation that no longer exists, fails here.
 */
final class RegistryTest extends TestCase
{
    /** Client methods that are not per-operation methods. */
    private const NOT_OPERATIONS = ['__construct', '__destruct', 'close', 'call', 'verifyWebhook', 'pending', 'reconcile', 'setLogger', 'lastLoggerError'];

    /** "iyzico.payment_details" -> "iyzicoPaymentDetails". */
    private static function methodName(string $operation): string
    {
        [$provider, $verb] = explode('.', $operation, 2);
        return $provider . str_replace(' ', '', ucwords(str_replace('_', ' ', $verb)));
    }

    /** @return list<string> the binding's per-operation methods */
    private static function operationMethods(): array
    {
        $names = [];
        foreach ((new \ReflectionClass(Client::class))->getMethods(\ReflectionMethod::IS_PUBLIC) as $m) {
            if (!$m->isStatic() && !in_array($m->getName(), self::NOT_OPERATIONS, true)) {
                $names[] = $m->getName();
            }
        }
        sort($names);
        return $names;
    }

    public function testOperationsAreDeclared(): void
    {
        $ops = Client::operations();
        $this->assertNotEmpty($ops);
        $names = array_column($ops, 'name');
        $this->assertSame(count($names), count(array_unique($names)), 'operation names are unique');
        foreach ($ops as $op) {
            $this->assertSame(['name', 'provider', 'sends', 'reconcile_with', 'reconcile_by', 'summary', 'method', 'path', 'outcome'], array_keys($op));
            $this->assertNotSame('', $op['summary']);
            $this->assertSame($op['sends'] === 'local', $op['method'] === null && $op['path'] === null, $op['name'] . ': method and path exactly when it does I/O');
            $this->assertNotEmpty($op['outcome']);
            $this->assertMatchesRegularExpression('/^[a-z]+\.[a-z0-9_]+$/', $op['name']);
            $this->assertStringStartsWith($op['provider'] . '.', $op['name']);
            $this->assertContains($op['sends'], ['at_most_once', 'retryable', 'local']);
            if ($op['reconcile_with'] !== null) {
                $this->assertContains($op['reconcile_with'], $names, $op['name'] . ' reconciles with a declared operation');
                $this->assertIsString($op['reconcile_by']);
            } else {
                $this->assertNull($op['reconcile_by']);
            }
        }
        $byName = array_column($ops, null, 'name');
        $this->assertSame('iyzico.payment_details', $byName['iyzico.create_payment']['reconcile_with']);
        $this->assertSame('at_most_once', $byName['iyzico.create_payment']['sends']);
        $this->assertSame('retryable', $byName['iyzico.payment_details']['sends']);
        $this->assertSame(['POST', '/payment/auth', ['completed', 'review']],
            [$byName['iyzico.create_payment']['method'], $byName['iyzico.create_payment']['path'], $byName['iyzico.create_payment']['outcome']]);
    }

    public function testEveryOperationHasItsMethodAndNoMore(): void
    {
        $expected = array_map([self::class, 'methodName'], array_column(Client::operations(), 'name'));
        sort($expected);
        $this->assertSame($expected, self::operationMethods(), 'Client per-operation methods == odeme_operations()');
    }

    public function testEachMethodCallsItsOperation(): void
    {
        // An empty request fails validation before any I/O, naming the operation that ran.
        $c = new Client(Support::config());
        foreach (Client::operations() as $op) {
            $method = self::methodName($op['name']);
            try {
                $c->$method([]);
                $this->fail("$method([]) should fail validation");
            } catch (OdemeException $e) {
                $this->assertSame($op['name'], $e->getOperation(), "$method runs " . $op['name']);
                $this->assertSame($op['provider'], $e->getProvider());
            }
        }
    }
}
