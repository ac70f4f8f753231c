<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The provider rejected the credentials or the signature. */
class AuthException extends OdemeException
{
    public const KIND = 'auth';
    public const STATUS = 20;
}
