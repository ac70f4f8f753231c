<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** A reply to a read-only call could not be understood. Safe to retry. */
class DecodeException extends OdemeException
{
    public const KIND = 'decode';
    public const STATUS = 30;
}
