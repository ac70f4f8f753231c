<?php

declare(strict_types=1);

namespace Odeme;

/**
 * Base class of every odeme error. The fields are those of the C ABI's error JSON; none of them
 * ever contains card data or secrets.
 */
class OdemeException extends \RuntimeException
{
    public const KIND = 'internal';
    public const STATUS = 99;

    private const CLASSES = [
        'invalid_argument' => Exception\InvalidArgumentException::class,
        'invalid_request' => Exception\InvalidRequestException::class,
        'config' => Exception\ConfigException::class,
        'transport' => Exception\TransportException::class,
        'outcome_unknown' => Exception\OutcomeUnknownException::class,
        'auth' => Exception\AuthException::class,
        'declined' => Exception\DeclinedException::class,
        'provider' => Exception\ProviderException::class,
        'signature' => Exception\SignatureException::class,
        'decode' => Exception\DecodeException::class,
        'internal' => Exception\InternalException::class,
    ];

    /** @var array<string, mixed> */
    private array $fields;

    /** @param array<string, mixed> $fields */
    final public function __construct(array $fields)
    {
        $this->fields = $fields + [
            'status' => static::STATUS,
            'kind' => static::KIND,
            'message' => '',
            'operation' => null,
            'provider' => null,
            'provider_code' => null,
            'provider_message' => null,
            'http_status' => null,
            'field' => null,
            'retry_safe' => false,
            'reconcile_with' => null,
            'reconcile_request' => null,
        ];
        parent::__construct((string) $this->fields['message'], (int) $this->fields['status']);
    }

    /**
     * The exception of the error's kind; without a kind, that of its status (so a failure without
     * error details still has the class of the returned status).
     *
     * @param array<string, mixed> $fields
     */
    public static function fromFields(array $fields): self
    {
        $class = self::CLASSES[$fields['kind'] ?? ''] ?? null;
        if ($class === null && isset($fields['status'])) {
            foreach (self::CLASSES as $candidate) {
                if ($candidate::STATUS === (int) $fields['status']) {
                    $class = $candidate;
                    break;
                }
            }
        }
        $class = $class ?? Exception\InternalException::class;
        return new $class($fields);
    }

    public function getKind(): string { return (string) $this->fields['kind']; }
    public function getStatus(): int { return (int) $this->fields['status']; }
    public function getOperation(): ?string { return $this->fields['operation']; }
    public function getProvider(): ?string { return $this->fields['provider']; }
    public function getProviderCode(): ?string { return $this->fields['provider_code']; }
    public function getProviderMessage(): ?string { return $this->fields['provider_message']; }
    public function getHttpStatus(): ?int { return $this->fields['http_status']; }
    public function getField(): ?string { return $this->fields['field']; }
    public function isRetrySafe(): bool { return (bool) $this->fields['retry_safe']; }

    /**
     * After an outcome_unknown: the operation to call before anything else (e.g.
     * "iyzico.payment_details"), or null when the operation declares no reconciliation.
     */
    public function getReconcileWith(): ?string { return $this->fields['reconcile_with']; }

    /**
     * The exact request to pass to getReconcileWith()'s operation, or null.
     *
     * @return array<string, mixed>|null
     */
    public function getReconcileRequest(): ?array { return $this->fields['reconcile_request']; }

    /** @return array<string, mixed> */
    public function toArray(): array { return $this->fields; }

    public function __toString(): string
    {
        $where = $this->getOperation() !== null ? ' in ' . $this->getOperation() : '';
        return static::class . ' [' . $this->getKind() . $where . ']: ' . $this->getMessage();
    }
}
