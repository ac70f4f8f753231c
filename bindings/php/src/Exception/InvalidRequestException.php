<?php

declare(strict_types=1);

namespace Odeme\Exception;

use Odeme\OdemeException;

/** The request failed validation before any I/O; getField() names the culprit. */
class InvalidRequestException extends OdemeException
{
    public const KIND = 'invalid_request';
    public const STATUS = 2;
}
