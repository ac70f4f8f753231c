<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** A bug in odeme. */
class InternalException extends OdemeException
{
    public const KIND = 'internal';
    public const STATUS = 99;
}
