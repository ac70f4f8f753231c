<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The call itself is wrong (not JSON-able data, unknown operation). */
class InvalidArgumentException extends OdemeException
{
    public const KIND = 'invalid_argument';
    public const STATUS = 1;
}
