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
        ];
        parent::__construct((string) $this->fields['message'], (int) $this->fields['status']);
    }

    /** @param array<string, mixed> $fields */
    public static function fromFields(array $fields): self
    {
        $class = self::CLASSES[$fields['kind'] ?? ''] ?? Exception\InternalException::class;
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

    /** @return array<string, mixed> */
    public function toArray(): array { return $this->fields; }

    public function __toString(): string
    {
        $where = $this->getOperation() !== null ? ' in ' . $this->getOperation() : '';
        return static::class . ' [' . $this->getKind() . $where . ']: ' . $this->getMessage();
    }
}
