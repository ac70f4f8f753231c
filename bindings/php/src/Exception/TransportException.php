<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The request provably never reached the provider. Safe to retry. */
class TransportException extends OdemeException
{
    public const KIND = 'transport';
    public const STATUS = 10;
}
