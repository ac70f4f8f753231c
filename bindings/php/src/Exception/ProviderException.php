<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** Any other provider-reported error; see getProviderCode(). */
class ProviderException extends OdemeException
{
    public const KIND = 'provider';
    public const STATUS = 22;
}
