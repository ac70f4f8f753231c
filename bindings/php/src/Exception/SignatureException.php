<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** A provider reply or notification failed signature verification. */
class SignatureException extends OdemeException
{
    public const KIND = 'signature';
    public const STATUS = 23;
}
