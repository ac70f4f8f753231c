<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** Bad or missing configuration. */
class ConfigException extends OdemeException
{
    public const KIND = 'config';
    public const STATUS = 3;
}
